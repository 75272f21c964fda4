"""Staging a submission for the worker: the released helpers, and the exercise modules that
submission_reader (the one reader of a hand-in) found."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..contract import EXERCISE_MODULES
from ..i18n import _
from ..notebook_answers import with_given_code
from ..sandbox import stage_worker
from ..submission_reader import MAX_MODULE_BYTES, read

HELPERS = ("__init__.py", "data.py", "batches.py", "idx.py", "plotting.py")


@dataclass
class Staged:
    """A submission ready for the worker: `dir` holds course_lib/ and grader_worker/."""

    name: str
    dir: Path
    student_id: str
    manifest: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)  # module -> why it is missing or unusable
    sources: dict = field(default_factory=dict)  # module -> source text (for AST checks)


def stage(path: Path, released_lib: Path, workdir: Path) -> Staged:
    """Stage the submission at `path` in `workdir`: released helpers + their exercise modules.

    A missing or undecodable module is replaced by the released stub and recorded in `problems`.
    Raises NotGradable when nothing can be graded.
    """
    submission = read(path)  # the one reader: where the modules sit, the manifest, the student id
    modules = submission.modules
    staged = Staged(name=submission.name, dir=workdir, manifest=submission.manifest, student_id=submission.student_id)
    lib = workdir / "course_lib"
    lib.mkdir(parents=True)
    for helper in HELPERS:
        shutil.copy(released_lib / helper, lib / helper)
    stage_worker(workdir)
    for module in EXERCISE_MODULES:
        text = None
        if module not in modules:
            staged.problems[module] = _("course_lib/{module}.py is missing from the submission").format(module=module)
        elif modules[module] is None:
            staged.problems[module] = _("course_lib/{module}.py is larger than {size} MiB").format(
                module=module, size=MAX_MODULE_BYTES >> 20)
        else:
            try:
                text = modules[module].decode("utf-8")
            except UnicodeDecodeError:
                staged.problems[module] = _("course_lib/{module}.py is not valid UTF-8 text").format(module=module)
        if text is None:
            shutil.copy(released_lib / f"{module}.py", lib / f"{module}.py")
        else:  # a module from lab notebooks gets the released stub's given code (its imports)
            text = with_given_code(text, (released_lib / f"{module}.py").read_text(encoding="utf-8"))
            (lib / f"{module}.py").write_text(text, encoding="utf-8")
            staged.sources[module] = text
    return staged


def student_seed(student_id: str, salt: str = "") -> int:
    """A stable 63-bit seed from the student id, so each student gets their own inputs."""
    return int.from_bytes(hashlib.sha256(f"{student_id}/{salt}".encode()).digest()[:8], "big") >> 1
