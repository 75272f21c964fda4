"""Finding a submission's exercise modules in a folder or a zip, and staging them for the worker."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..contract import EXERCISE_MODULES
from ..i18n import _
from ..sandbox import stage_worker

MAX_MODULE_BYTES = 1 << 20
MAX_ZIP_TOTAL = 64 << 20
MAX_RATIO = 100
MAX_ENTRIES = 10_000
HELPERS = ("__init__.py", "data.py", "batches.py", "idx.py", "plotting.py")


class NotGradable(Exception):
    """The submission as a whole cannot be graded (not a zip, a zip bomb, no course_lib...)."""


@dataclass
class Staged:
    """A submission ready for the worker: `dir` holds course_lib/ and grader_worker/."""

    name: str
    dir: Path
    student_id: str
    manifest: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)  # module -> why it is missing or unusable
    sources: dict = field(default_factory=dict)  # module -> source text (for AST checks)


def submission_name(path: Path) -> str:
    """The folder name or the zip's stem: one safe path component ('...zip' is not '..')."""
    name = path.stem if path.suffix == ".zip" else (path.name or Path(path).resolve().name)
    return name if name.strip(".") else "_" * len(name) or "submission"


def _pick_prefix(names) -> str | None:
    """The shallowest prefix P such that P + 'course_lib/<module>.py' exists (P may be one folder)."""
    modules, prefixes = {f"{m}.py" for m in EXERCISE_MODULES}, set()
    for name in names:
        parts = PurePosixPath(name).parts
        if "__MACOSX" in parts:  # macOS resource forks (._softmax.py), never modules
            continue
        if len(parts) >= 2 and parts[-2] == "course_lib" and parts[-1] in modules and len(parts) <= 3:
            prefixes.add("/".join(parts[:-2]))
    return min(prefixes, key=lambda p: (p.count("/") + bool(p), p)) if prefixes else None


def _read_zip(path: Path) -> dict[str, bytes | None]:
    """The zip's safe regular files by name (None: larger than MAX_MODULE_BYTES); never extracts anything."""
    if not zipfile.is_zipfile(path):
        raise NotGradable(_("{name} is not a zip file").format(name=path.name))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise NotGradable(_("the zip holds {count} entries; at most {most} are accepted").format(
                    count=len(infos), most=MAX_ENTRIES))
            if sum(i.file_size for i in infos) > MAX_ZIP_TOTAL:
                raise NotGradable(_("the zip unpacks to more than 64 MiB (a zip bomb?)"))
            if any(i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > (1 << 20) for i in infos):
                raise NotGradable(_("the zip has an entry compressed more than 100:1 (a zip bomb?)"))
            files = {}
            for info in infos:
                name = info.filename
                if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
                    continue  # symbolic links are never followed
                if name.startswith("/") or ".." in PurePosixPath(name).parts or "\\" in name or ":" in name:
                    continue  # unsafe paths are never used
                files[name] = _read_entry(archive, info)
            return files
    except NotGradable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, OSError, EOFError,
            ValueError, zlib.error) as error:  # corrupt, encrypted, or an unsupported compression method
        raise NotGradable(_("{name} cannot be read as a zip: {error}").format(name=path.name, error=error)) from None


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The entry's bytes, reading at most MAX_MODULE_BYTES + 1 whatever its header claims."""
    with archive.open(info) as entry:
        data = entry.read(MAX_MODULE_BYTES + 1)
    return data if len(data) <= MAX_MODULE_BYTES else None


def _read_folder(path: Path) -> dict[str, bytes]:
    files = {}
    for candidate in [path, *[p for p in path.iterdir() if p.is_dir() and not p.is_symlink()]]:
        lib = candidate / "course_lib"
        if lib.is_dir() and not lib.is_symlink():
            rel = candidate.relative_to(path).as_posix()
            for module in EXERCISE_MODULES:
                file = lib / f"{module}.py"
                if file.is_file() and not file.is_symlink():
                    data = file.read_bytes() if file.stat().st_size <= MAX_MODULE_BYTES else None
                    files[(f"{rel}/" if rel != "." else "") + f"course_lib/{module}.py"] = data
        manifest = candidate / "submission.json"
        if manifest.is_file() and not manifest.is_symlink() and manifest.stat().st_size <= MAX_MODULE_BYTES:
            files[(f"{candidate.relative_to(path).as_posix()}/" if candidate != path else "") + "submission.json"] = manifest.read_bytes()
    return files


def stage(path: Path, released_lib: Path, workdir: Path) -> Staged:
    """Stage the submission at `path` in `workdir`: released helpers + their exercise modules.

    A missing or undecodable module is replaced by the released stub and recorded in `problems`.
    Raises NotGradable when nothing can be graded.
    """
    path = Path(path)
    if not path.exists():
        raise NotGradable(_("{path} does not exist").format(path=path))
    try:
        files = _read_zip(path) if path.is_file() else _read_folder(path)
    except OSError as error:
        raise NotGradable(_("{name} cannot be read: {error}").format(name=path.name, error=error)) from None
    prefix = _pick_prefix(files)
    if prefix is None:
        raise NotGradable(_("no course_lib/<module>.py found in the submission"))
    base = f"{prefix}/" if prefix else ""
    manifest = {}
    if f"{base}submission.json" in files:
        try:
            manifest = json.loads(files[f"{base}submission.json"] or b"")
            manifest = manifest if isinstance(manifest, dict) else {}
        except (ValueError, RecursionError):
            manifest = {}
    name = submission_name(path)
    staged = Staged(name=name, dir=workdir, manifest=manifest,
                    student_id=str(manifest.get("student_id") or name))
    lib = workdir / "course_lib"
    lib.mkdir(parents=True)
    for helper in HELPERS:
        shutil.copy(released_lib / helper, lib / helper)
    stage_worker(workdir)
    for module in EXERCISE_MODULES:
        raw = files.get(f"{base}course_lib/{module}.py")
        text = None
        if f"{base}course_lib/{module}.py" not in files:
            staged.problems[module] = _("course_lib/{module}.py is missing from the submission").format(module=module)
        elif raw is None:
            staged.problems[module] = _("course_lib/{module}.py is larger than {size} MiB").format(
                module=module, size=MAX_MODULE_BYTES >> 20)
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                staged.problems[module] = _("course_lib/{module}.py is not valid UTF-8 text").format(module=module)
        if text is None:
            shutil.copy(released_lib / f"{module}.py", lib / f"{module}.py")
        else:
            (lib / f"{module}.py").write_text(text, encoding="utf-8")
            staged.sources[module] = text
    return staged


def student_seed(student_id: str, salt: str = "") -> int:
    """A stable 63-bit seed from the student id, so each student gets their own inputs."""
    return int.from_bytes(hashlib.sha256(f"{student_id}/{salt}".encode()).digest()[:8], "big") >> 1
