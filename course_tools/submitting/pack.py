"""Pack a student's exercise modules and their manifest into <student>-<assignment>.zip, refusing bad work."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import notebook_answers
from ..atomic import write_bytes_atomically
from ..contract import EXERCISE_MODULES
from ..i18n import _
from ..submission_reader import MAX_MODULE_BYTES, NotGradable, from_files
from .importcheck import import_problems
from .manifest import MANIFEST_NAME, build_manifest
from .stubs_left import untouched


class RefusedToPack(Exception):
    """The work cannot be packed; `reasons` says why, one line per problem."""

    def __init__(self, reasons: list[str]):
        super().__init__("\n".join(reasons))
        self.reasons = reasons


@dataclass
class Packed:
    zip_path: Path
    manifest: dict
    sizes: dict[str, int]


def collect(root: Path, modules=EXERCISE_MODULES) -> dict[str, bytes]:
    """{'course_lib/<module>.py': bytes} for every exercise module; RefusedToPack names the missing ones."""
    files, missing = {}, []
    for module in modules:
        path = Path(root) / "course_lib" / f"{module}.py"
        if path.is_file():
            files[f"course_lib/{module}.py"] = path.read_bytes()
        else:
            missing.append(_("course_lib/{module}.py is missing (restore it with `git checkout course_lib/{module}.py`)").format(
                module=module))
    too_large = [_("{path} is {size} bytes; the grader accepts at most {most} (1 MiB) per module").format(
        path=path, size=f"{len(data):,}", most=f"{MAX_MODULE_BYTES:,}")
                 for path, data in files.items() if len(data) > MAX_MODULE_BYTES]
    if missing or too_large:
        raise RefusedToPack(missing + too_large)
    return files


NOTEBOOK_FOLDER = "notebooks"  # where the zip holds the lab notebooks (one folder down: the reader looks there)


def completed_notebooks(root: Path) -> dict[str, bytes]:
    """{'notebooks/<name>.ipynb': bytes} of the lab notebooks in root/exercises/ and at root's top with at least one
    solution cell the student changed (unreadable ones are left to the reader's verdict when packed)."""
    found = {}
    for path in sorted([*Path(root).glob("*.ipynb"), *(Path(root) / "exercises").rglob("*.ipynb")]):
        if ".ipynb_checkpoints" in path.parts or not path.is_file():
            continue
        data = path.read_bytes()
        try:
            answered = any(a.answered for a in notebook_answers.answers(path.name, data))
        except notebook_answers.NotebookError:
            continue  # not a lab: an exploration notebook of the student's is not packed
        if answered:
            if f"{NOTEBOOK_FOLDER}/{path.name}" in found:
                raise RefusedToPack([_("two lab notebooks are named {name}: rename one").format(name=path.name)])
            if len(data) > notebook_answers.MAX_NOTEBOOK_BYTES:  # the grader's own limit, and its words
                raise RefusedToPack([str(notebook_answers.NotebookError.too_large(path.name))])
            found[f"{NOTEBOOK_FOLDER}/{path.name}"] = data
    return found


def _superseded(files: dict[str, bytes], notebooks: dict[str, bytes]) -> dict[str, bytes]:
    """`files` without the untouched stub modules that the notebooks answer (the notebooks are the work there)."""
    _built, answered, _empty = notebook_answers.modules({PurePosixPath(p).name: d for p, d in notebooks.items()})
    kept = dict(files)
    for module in answered:
        path = f"course_lib/{module}.py"
        if path in kept and untouched(module, kept[path].decode("utf-8", "replace")):
            del kept[path]
    return kept


def zip_name(student_id: str, assignment: str) -> str:
    """<student>-<assignment>.zip, with anything but letters, digits, . _ @ + - replaced by _."""
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", f"{student_id}-{assignment}") + ".zip"


def pack(root: Path, student_id: str, assignment: str, out: Path, timeout: float | None = None,
         before_packing=None) -> Packed:
    """Check that every module exists and imports, then write out/<student>-<assignment>.zip atomically, with the
    lab notebooks the student completed (completed_notebooks) in place of the stub modules they answer.

    `before_packing(files)`, if given, runs once the work is known to be packable, before the zip is
    written ({'course_lib/<module>.py': bytes}; `course submit` names unfinished stubs there).
    """
    files, notebooks = collect(root), completed_notebooks(root)
    try:
        files = _superseded(files, notebooks) | notebooks
        from_files("check", files)  # the grader's own reader: two answers to one exercise are refused here
    except (NotGradable, notebook_answers.NotebookError) as error:
        raise RefusedToPack([str(error)]) from None
    modules = [m for m in EXERCISE_MODULES if f"course_lib/{m}.py" in files]
    problems = import_problems(root, modules, **({"timeout": timeout} if timeout else {}))
    if problems:
        raise RefusedToPack([_("course_lib/{module}.py does not import: {why}").format(module=m, why=why)
                             for m, why in problems.items()])
    if before_packing is not None:
        before_packing(files)
    manifest = build_manifest(student_id, assignment, files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
    target = Path(out) / zip_name(student_id, assignment)
    write_bytes_atomically(target, buffer.getvalue())
    return Packed(target, manifest, {path: len(data) for path, data in files.items()})
