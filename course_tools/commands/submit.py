"""Pack your exercise modules (course_lib/<module>.py) into <student>-<assignment>.zip with a manifest.

Lab notebooks you completed (in exercises/ or in your course folder) are packed too, in place of the stub
modules whose exercises they answer: work in modules, in notebooks, or both, one exercise in one place.

The manifest (submission.json) records your student id, the assignment, the time (UTC) and the
sha256 of every file. Nothing is packed when a module is missing or does not import: the
message says which and why. Modules that still hold the released stubs (functions that raise
NotImplementedError) are packed, with a warning naming them first: they score 0. Upload the zip
where your instructor asks.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..course_config import (
    CourseConfigError,
    default_config_path,
    load_course_config,
)
from ..i18n import _
from ..paths import find_root
from ..submitting.manifest import valid_student_id
from ..submitting.pack import RefusedToPack, pack
from ..submitting.stubs_left import stub_warnings
from . import language

STUDENT_ENV_VAR = "COURSE_STUDENT_ID"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--student-id", default=None, help=f"your student id (default: ${STUDENT_ENV_VAR})")
    parser.add_argument("--assignment", default=None, help="assignment name (default: course.toml's)")
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the zip (default: the current folder)")
    parser.add_argument("--root", type=Path, default=None, help="your checkout of the course (default: found from the current folder)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds allowed for importing your modules (default 120)")
    language.add_argument(parser)


def warn_unfinished(files: dict[str, bytes]) -> None:
    """Name, before packing, the modules that still hold the released stubs: packed anyway (a partial
    hand-in is allowed), but never silently, since they score 0."""
    lines = stub_warnings(files)
    if lines:
        print("course submit: " + _("WARNING: these are still the released stubs and will score 0:"), file=sys.stderr)
        for line in lines:
            print(f"  - {line}", file=sys.stderr)


def main(*, student_id: str | None = None, assignment: str | None = None, out: Path = Path("."),
         root: Path | None = None, timeout: float | None = None, lang: str | None = None) -> int:
    """`course submit`: pack the student's modules and completed lab notebooks into a zip with its manifest;
    0 packed, 1 refused, 2 bad input."""
    root = (root or find_root()).resolve()
    language.use(lang, root)
    student_id = student_id or os.environ.get(STUDENT_ENV_VAR, "")
    if not student_id:
        print("course submit: " + _("give your student id with --student-id ID (or set {variable})").format(
            variable=STUDENT_ENV_VAR), file=sys.stderr)
        return 2
    if not valid_student_id(student_id):
        print("course submit: " + _("{student_id} is not a valid student id: use letters, digits and . _ @ + - "
                                    "(at most 128 characters)").format(student_id=repr(student_id)), file=sys.stderr)
        return 2
    try:
        assignment = assignment or load_course_config(default_config_path(root)).assignment
    except CourseConfigError as error:
        print(f"course submit: {error}", file=sys.stderr)
        return 2
    try:
        packed = pack(root, student_id, assignment, out, timeout, before_packing=warn_unfinished)
    except RefusedToPack as refused:
        print("course submit: " + _("nothing was packed:"), file=sys.stderr)
        for reason in refused.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return 1
    print(_("packed for {student_id}, assignment {assignment}, at {timestamp}:").format(
        student_id=student_id, assignment=assignment, timestamp=packed.manifest["timestamp"]))
    for path, digest in packed.manifest["files"].items():
        print(f"  {path:<26} " + _("{size} bytes").format(size=f"{packed.sizes[path]:>7}") + f"  sha256 {digest[:16]}")
    print("  " + _("submission.json (the manifest)") + f"\n-> {packed.zip_path}")
    notebooks = sum(path.endswith(".ipynb") for path in packed.manifest["files"])
    print(_("Packed {modules} modules of course_lib/ and {notebooks} lab notebooks (a notebook stands for the stub "
            "modules whose exercises it answers).").format(modules=len(packed.manifest["files"]) - notebooks,
                                                          notebooks=notebooks))
    print(_("Upload the zip where your instructor asks."))
    return 0
