"""The released lab notebooks, made by nbgrader's own `generate_assignment` from the source notebooks.

nbgrader reads nbgrader_config.py in the course root: source solutions/notebooks/<assignment>/,
release exercises/<assignment>/. It replaces solution regions by `raise NotImplementedError()`,
strips `### BEGIN HIDDEN TESTS` blocks, clears outputs and records checksums.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .notebooks import ASSIGNMENT, RELEASE_DIR, SOURCE_DIR

CONFIG = "nbgrader_config.py"


class NbgraderError(RuntimeError):
    """An nbgrader command failed; the message ends with its log."""


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader: this venv's bin/ first on PATH (nbgrader calls `alembic` by name)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_nbgrader(root: Path, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` in course root `root` (so that its nbgrader_config.py applies); raise NbgraderError on failure."""
    run = subprocess.run([sys.executable, "-m", "course_tools.release.nbgrader_command", *args], cwd=root, env=nbgrader_env(),
                         capture_output=True, text=True, timeout=timeout)
    if run.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} failed (exit status {run.returncode}):\n{run.stdout[-4000:]}{run.stderr[-8000:]}")
    return run


def generate_assignment(root: Path, assignment: str = ASSIGNMENT, *, database: bool = True) -> Path:
    """Release `assignment` from root/solutions/notebooks into root/exercises; return the released folder.

    With `database`, nbgrader also records the assignment in the course's gradebook.db, which
    `nbgrader autograde` needs later.
    """
    if not (root / CONFIG).is_file():
        raise NbgraderError(f"{root / CONFIG} is missing: nbgrader would not know where the source and release folders are")
    run_nbgrader(root, "generate_assignment", assignment, "--force", *([] if database else ["--no-db"]))
    return root / RELEASE_DIR / assignment


def released_texts(folder: Path) -> dict[str, str]:
    """{file name: text} of the notebooks in a released assignment folder."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.ipynb"))}


def stale_release(root: Path, assignment: str = ASSIGNMENT) -> list[str]:
    """The released notebooks in root/exercises that differ from a fresh release of the source notebooks.

    The fresh release is made in a scratch course holding only the config and the sources, without a gradebook.
    """
    with tempfile.TemporaryDirectory(prefix="course-release-") as scratch:
        scratch = Path(scratch)
        shutil.copy(root / CONFIG, scratch / CONFIG)
        shutil.copytree(root / SOURCE_DIR / assignment, scratch / SOURCE_DIR / assignment)
        expected = released_texts(generate_assignment(scratch, assignment, database=False))
    actual = released_texts(root / RELEASE_DIR / assignment)
    return sorted(name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name))
