"""What the warm parent imports once, so that no judge forked from it imports it again.

torch (with torch._dynamo, which a first optimizer step imports), torchvision through the released
helpers, pytest, the grading plugin and the default reference. Importing runs no tensor op: a
child forked after a parallel op can deadlock (pytorch #17199, #41197).
"""

import sys
from pathlib import Path

import pytest  # noqa: F401
import torch
import torch._dynamo  # noqa: F401

from . import plugin  # noqa: F401
from ..paths import find_root, solutions_lib, student_lib
from ..reference import load_reference

ROOT = find_root(__file__)
if (student_lib(ROOT) / "data.py").is_file():
    import course_lib.data  # noqa: F401 - torchvision, for the end-to-end checks
if solutions_lib(ROOT).is_dir():
    load_reference(solutions_lib(ROOT))


def forget_other_course(root: Path) -> None:
    """In a judge for another course root: drop the preloaded helpers, so that its own are imported."""
    helpers = sys.modules.get("course_lib")
    if helpers is not None and Path(helpers.__file__).resolve().parent != (Path(root) / "course_lib").resolve():
        for name in [n for n in sys.modules if n == "course_lib" or n.startswith("course_lib.")]:
            del sys.modules[name]
