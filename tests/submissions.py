"""The reference as a submission: the one way the tests build a submission folder from solutions/."""

from __future__ import annotations

import shutil
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
