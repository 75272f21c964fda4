"""Pack a student's exercise modules and their manifest into <student>-<assignment>.zip, refusing bad work."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_bytes_atomically
from ..contract import EXERCISE_MODULES
from ..i18n import _
from ..submission_reader import MAX_MODULE_BYTES
from .importcheck import import_problems
from .manifest import MANIFEST_NAME, build_manifest


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


def zip_name(student_id: str, assignment: str) -> str:
    """<student>-<assignment>.zip, with anything but letters, digits, . _ @ + - replaced by _."""
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", f"{student_id}-{assignment}") + ".zip"


def pack(root: Path, student_id: str, assignment: str, out: Path, timeout: float | None = None,
         before_packing=None) -> Packed:
    """Check that every module exists and imports, then write out/<student>-<assignment>.zip atomically.

    `before_packing(files)`, if given, runs once the work is known to be packable, before the zip is
    written ({'course_lib/<module>.py': bytes}; `course submit` names unfinished stubs there).
    """
    files = collect(root)
    problems = import_problems(root, EXERCISE_MODULES, **({"timeout": timeout} if timeout else {}))
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
