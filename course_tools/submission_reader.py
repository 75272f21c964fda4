"""The one reader of a hand-in: a folder, a zip, or loose files, read without extracting or running anything.

One rule for where the modules sit (`locate`): `course_lib/<module>.py` at the top or one folder down,
the shallowest winning (macOS's `__MACOSX/` never counts), else loose `<module>.py` files at the top.
A folder that holds neither, but exactly one zip, is read as that zip (how Gradescope and PrairieLearn
keep an upload). One manifest parser (`submission.json` beside `course_lib/`: the student's own claim)
and one decision on the student id (the manifest's, else the submission's name). The judge stages
what this returns; the batch, integrity, the fingerprint, the LMS code, Gradescope and PrairieLearn
read through it too. A core module: it imports nothing that imports torch.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import notebook_answers
from .contract import EXERCISE_MODULES
from .i18n import _
from .notebook_answers import MAX_NOTEBOOK_BYTES, NotebookError
from .submitting.manifest import MANIFEST_NAME

MAX_MODULE_BYTES = 1 << 20
MAX_ZIP_TOTAL = 64 << 20
MAX_RATIO = 100
MAX_ENTRIES = 10_000
MODULE_FILES = {f"{module}.py": module for module in EXERCISE_MODULES}


class NotGradable(Exception):
    """The hand-in as a whole cannot be graded (not a zip, a zip bomb, no course_lib...); the message says why."""


class NoModules(NotGradable):
    """Readable, but no exercise module anywhere the one rule looks."""


@dataclass(frozen=True)
class Submission:
    """What a hand-in holds: `files` by path relative to the folder that holds course_lib/ (bytes, or None
    when larger than its limit): the exercise modules as course_lib/<module>.py (built from the lab notebooks'
    cells where they answer them), submission.json, and the lab notebooks as handed in."""
    name: str
    files: dict[str, bytes | None]

    @property
    def modules(self) -> dict[str, bytes | None]:
        """{exercise module: its bytes, or None when too large}; a missing module is absent."""
        return {m: self.files[f"course_lib/{m}.py"] for m in EXERCISE_MODULES if f"course_lib/{m}.py" in self.files}

    @property
    def manifest(self) -> dict:
        """The student's submission.json ({} when absent or unreadable): a claim, never trusted for a grade."""
        return parse_manifest(self.files.get(MANIFEST_NAME))

    @property
    def student_id(self) -> str:
        """The manifest's student id, else the submission's name: the one decision, on every route."""
        return str(self.manifest.get("student_id") or self.name)

    def digest(self) -> str:
        """sha256 of what is graded (each file's path and content), whatever zip or folder carried it."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            data = self.files[path]
            digest.update(path.encode() + b"\0" + (hashlib.sha256(data).digest() if data is not None else b"too large"))
        return digest.hexdigest()


def submission_name(path: Path) -> str:
    """The folder name or the zip's stem: one safe path component ('...zip' is not '..')."""
    name = path.stem if path.suffix == ".zip" else (path.name or Path(path).resolve().name)
    return name if name.strip(".") else "_" * len(name) or "submission"


def parse_manifest(data: bytes | None) -> dict:
    """submission.json's object, or {} when it is absent, not JSON or not an object."""
    try:
        manifest = json.loads(data or b"")
    except (ValueError, RecursionError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def locate(names) -> str | None:
    """Where the modules sit among `names` (posix paths): the shallowest prefix P (at most one folder) such
    that P/course_lib/<module>.py exists; "" also when loose <module>.py files lie at the top; else None."""
    prefixes = set()
    for name in names:
        parts = PurePosixPath(name).parts
        if "__MACOSX" in parts:  # macOS resource forks (._softmax.py), never modules
            continue
        if len(parts) >= 2 and parts[-2] == "course_lib" and parts[-1] in MODULE_FILES and len(parts) <= 3:
            prefixes.add("/".join(parts[:-2]))
    if prefixes:
        return min(prefixes, key=lambda p: (p.count("/") + bool(p), p))
    return "" if any(name in MODULE_FILES for name in names) else None


def is_notebook(path: str) -> bool:
    """A notebook at the top or one folder down (never in .ipynb_checkpoints/ or macOS's __MACOSX/)."""
    parts = PurePosixPath(path).parts
    return path.endswith(notebook_answers.SUFFIX) and len(parts) <= 2 and not {"__MACOSX", ".ipynb_checkpoints"} & set(parts)


def from_files(name: str, files: dict[str, bytes | None]) -> Submission:
    """The Submission in `files` (posix path -> bytes or None): the modules wherever locate() finds them, and the
    completed lab notebooks' answers (notebook_answers.py) for the modules that are absent or untouched stubs."""
    notebooks = {path: data for path, data in files.items() if is_notebook(path)}
    if notebooks:
        return _with_notebooks(name, files, notebooks)
    prefix = locate(files)
    if prefix is None:
        raise NoModules(_("no course_lib/<module>.py found in the submission"))
    base = f"{prefix}/" if prefix else ""
    found = {path[len(base):]: data for path, data in files.items() if path.startswith(base)
             and "__MACOSX" not in PurePosixPath(path).parts}
    if not any(path.startswith("course_lib/") for path in found):  # loose modules: where course_lib/ would be
        found = {(f"course_lib/{path}" if path in MODULE_FILES else path): data for path, data in found.items()}
    kept = {path: data for path, data in found.items()
            if path == MANIFEST_NAME or (path.startswith("course_lib/") and path[len("course_lib/"):] in MODULE_FILES)}
    return Submission(name, kept)


def _with_notebooks(name: str, files: dict[str, bytes | None], notebooks: dict[str, bytes | None]) -> Submission:
    """The modules from the notebooks' cells beside those in course_lib/; NotGradable when they disagree."""
    from .submitting.stubs_left import untouched  # the released stubs' mark

    try:
        built, answered, empty = notebook_answers.modules({PurePosixPath(p).name: d for p, d in notebooks.items()})
    except NotebookError as error:
        raise NotGradable(str(error)) from None
    try:
        found = dict(from_files(name, {p: data for p, data in files.items() if p not in notebooks}).files)
    except NoModules:  # notebooks only: the manifest beside the shallowest of them
        folder = min((PurePosixPath(p).parent.as_posix() for p in notebooks), key=len)
        manifest = MANIFEST_NAME if folder == "." else f"{folder}/{MANIFEST_NAME}"
        found = {MANIFEST_NAME: files[manifest]} if manifest in files else {}
    for module, source in built.items():
        held = found.get(f"course_lib/{module}.py")
        held_text = held.decode("utf-8", "replace") if held is not None else ""
        # a module built from these notebooks before (the batch carries what this reader found) is not a second answer
        derived = held_text.startswith(notebook_answers.FROM_NOTEBOOKS)
        if held is not None and not derived and module not in answered:
            continue  # the released cells beside the student's own module: the module is the work
        if held is not None and not derived and not untouched(module, held_text):
            raise NotGradable(_("two answers to {module}: course_lib/{module}.py and a lab notebook; hand in "
                                "one").format(module=module))
        found[f"course_lib/{module}.py"] = source.encode("utf-8")
    found |= notebooks  # as handed in: the manifest's hashes cover them, and the digest what they hold
    if not any(path.startswith("course_lib/") for path in found):
        raise NoModules(_("{notebooks}: no solution cell of a lab notebook").format(
            notebooks=", ".join(sorted(PurePosixPath(p).name for p in notebooks))))
    return Submission(name, found)


def read(path: Path) -> Submission:
    """Read the hand-in at `path`: a zip, or a folder (course_lib/ in it or one folder down, loose modules,
    or its one zip). Raises NotGradable with the reason."""
    path = Path(path)
    if not path.exists():
        raise NotGradable(_("{path} does not exist").format(path=path))
    try:
        if path.is_file():
            return from_files(submission_name(path), _zip_entries(path, path.name))
        files = _folder_files(path)
        if locate(files) is None and not any(map(is_notebook, files)):
            zips = sorted(p for p in path.iterdir() if p.suffix == ".zip" and p.is_file() and not p.is_symlink())
            if len(zips) == 1:
                return from_files(submission_name(path), _zip_entries(zips[0], zips[0].name))
        return from_files(submission_name(path), files)
    except OSError as error:
        raise NotGradable(_("{name} cannot be read: {error}").format(name=path.name, error=error)) from None


def read_if_gradable(path: Path) -> Submission | None:
    """read(path), or None for a hand-in that cannot be graded (the grader reports it itself)."""
    try:
        return read(path)
    except NotGradable:
        return None


def read_zip_bytes(name: str, data: bytes, filename: str = "the upload") -> Submission:
    """Read a zip held in memory (an LMS download's entry); `filename` names it in the reasons."""
    return from_files(name, _zip_entries(io.BytesIO(data), filename))


def _zip_entries(source: Path | io.BytesIO, filename: str) -> dict[str, bytes | None]:
    """The zip's safe regular files by name (None: larger than MAX_MODULE_BYTES); never extracts anything."""
    if not zipfile.is_zipfile(source):
        raise NotGradable(_("{name} is not a zip file").format(name=filename))
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise NotGradable(_("the zip holds {count} entries; at most {most} are accepted").format(
                    count=len(infos), most=MAX_ENTRIES))
            if sum(i.file_size for i in infos) > MAX_ZIP_TOTAL:
                raise NotGradable(_("the zip unpacks to more than 64 MiB (a zip bomb?)"))
            if any(i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > (1 << 20)
                   for i in infos):
                raise NotGradable(_("the zip has an entry compressed more than 100:1 (a zip bomb?)"))
            files = {}
            for info in infos:
                name = info.filename
                if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
                    continue  # symbolic links are never followed
                if name.startswith("/") or ".." in PurePosixPath(name).parts or "\\" in name or ":" in name:
                    continue  # unsafe paths are never used
                most = MAX_NOTEBOOK_BYTES if is_notebook(name) else MAX_MODULE_BYTES
                with archive.open(info) as entry:  # at most one byte past the limit, whatever the header claims
                    read = entry.read(most + 1)
                files[name] = read if len(read) <= most else None
            return files
    except NotGradable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, OSError, EOFError,
            ValueError, zlib.error) as error:  # corrupt, encrypted, or an unsupported compression method
        raise NotGradable(_("{name} cannot be read as a zip: {error}").format(name=filename, error=error)) from None


def _folder_files(path: Path) -> dict[str, bytes | None]:
    """The candidate files of a folder: course_lib/<module>.py, submission.json and lab notebooks in it and one
    folder down, and loose <module>.py at its top; never through a symbolic link."""
    files: dict[str, bytes | None] = {}
    for folder in [path, *[p for p in path.iterdir() if p.is_dir() and not p.is_symlink()]]:
        rel = "" if folder == path else f"{folder.name}/"
        lib = folder / "course_lib"
        candidates = [lib / f for f in MODULE_FILES] if lib.is_dir() and not lib.is_symlink() else []
        candidates += [folder / MANIFEST_NAME] + ([path / f for f in MODULE_FILES] if folder == path else [])
        candidates += sorted(folder.glob("*" + notebook_answers.SUFFIX))
        for file in candidates:
            key = rel + file.relative_to(folder).as_posix()
            if file.is_file() and not file.is_symlink() and (not key.endswith(notebook_answers.SUFFIX) or is_notebook(key)):
                most = MAX_NOTEBOOK_BYTES if is_notebook(key) else MAX_MODULE_BYTES
                files[key] = file.read_bytes() if file.stat().st_size <= most else None
    return files
