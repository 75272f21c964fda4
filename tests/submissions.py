"""The reference as a submission: the one way the tests build a submission folder from solutions/; and a
student's released copy, checked with `course check`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions" / "course_lib"


def reference_submission(folder: Path, *, replace: dict | None = None, append: dict | None = None) -> Path:
    """folder/course_lib/ holding the reference's modules (and helpers), edited; returns `folder`.

    replace: {module: (old, new)}, where `old` must occur exactly once in course_lib/<module>.py;
    append: {module: code} added at the end of course_lib/<module>.py (e.g. a hostile payload).
    """
    shutil.copytree(REFERENCE, Path(folder) / "course_lib")
    for module, (old, new) in (replace or {}).items():
        path = Path(folder) / "course_lib" / f"{module}.py"
        source = path.read_text()
        assert source.count(old) == 1, f"the edit must match exactly once in {module}.py: {old!r}"
        path.write_text(source.replace(old, new))
    for module, code in (append or {}).items():
        with open(Path(folder) / "course_lib" / f"{module}.py", "a") as f:
            f.write(code)
    return Path(folder)


def student_copy(root, tmp_path, solved=()):
    """A student's folder: the released course_lib and public_tests, with `solved` modules from the reference."""
    shutil.copytree(root / "course_lib", tmp_path / "course_lib")
    shutil.copytree(root / "public_tests", tmp_path / "public_tests")
    for module in solved:
        shutil.copy(root / "solutions" / "course_lib" / f"{module}.py", tmp_path / "course_lib" / f"{module}.py")
    return tmp_path


def course_check(folder, *args):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", "check", *args, "--root", str(folder)],
                          capture_output=True, text=True, timeout=300)
