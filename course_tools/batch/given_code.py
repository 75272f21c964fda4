"""What the similarity report (similarity.py) compares, kept by `course grade` in its output folder.

Each finished submission's exercise modules go to <out>/<name>/code/<module>.py, as the trusted side read
them (a lab notebook's answers as modules; nothing is run). Once per batch, the code every student was
given goes to <out>/given-code/: the released stubs, the lesson notebooks' code cells, and the files or
folders course.toml's `[similarity] given_code` names (e.g. the textbook's code). Code found there is
nobody's copy. `course report DIR` needs nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_text_atomically
from ..contract import EXERCISE_MODULES
from ..course_config import CourseConfigError
from ..paths import lesson_notebooks, student_lib
from ..submission_reader import Submission

CODE_DIR = "code"  # in each submission's output folder
GIVEN_DIR = "given-code"  # in the output folder


def keep_code(target: Path, submission: Submission | None) -> None:
    """Write the exercise modules of `submission` to target/CODE_DIR (none for a hand-in that could not be read)."""
    for module, data in (submission.modules if submission else {}).items():
        if data is not None:
            _write_if_changed(Path(target) / CODE_DIR / f"{module}.py", data.decode("utf-8", "replace"))


def keep_given(out: Path, root: Path, extra: tuple[Path, ...] = ()) -> None:
    """Write out/GIVEN_DIR: the stubs and lesson code of the course at `root`, and each of `extra` (its .py files
    and notebooks' code cells). Raises CourseConfigError for an `extra` path that does not exist."""
    given = {"stubs.py": "\n".join(_text(student_lib(root) / f"{m}.py") for m in EXERCISE_MODULES),
             "lessons.py": "\n".join(_code(p) for p in lesson_notebooks(root))}
    for number, path in enumerate(extra):
        if not path.exists():
            raise CourseConfigError(f"similarity.given_code: {path} does not exist")
        files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".ipynb")) if path.is_dir() else [path]
        given[f"given-{number}.py"] = "\n".join(_code(p) for p in files)
    for name, text in given.items():
        _write_if_changed(Path(out) / GIVEN_DIR / name, text)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def _code(path: Path) -> str:
    """A .py file's text, or a notebook's code cells one after another."""
    if path.suffix != ".ipynb":
        return _text(path)
    try:
        cells = json.loads(_text(path)).get("cells", [])
    except (json.JSONDecodeError, AttributeError):
        return ""
    sources = ("".join(c.get("source", "")) if isinstance(c.get("source"), list) else str(c.get("source", ""))
               for c in cells if isinstance(c, dict) and c.get("cell_type") == "code")
    lines = (line for source in sources for line in source.splitlines())
    return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))  # magics are not Python


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text:
        write_text_atomically(path, text)
