"""Where the course's folders are: the repository root and what lies below it."""

from __future__ import annotations

import os
from pathlib import Path


def find_root(start: str | os.PathLike | None = None) -> Path:
    """Return the course root: the nearest folder at or above `start` (default: cwd) holding course_lib/.

    Falls back to the folder this package was installed from (an editable install).
    """
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "course_lib" / "__init__.py").is_file():
            return folder
    return Path(__file__).resolve().parents[1]


def solutions_lib(root: Path) -> Path:
    """The reference modules: solutions/course_lib/."""
    return root / "solutions" / "course_lib"


def student_lib(root: Path) -> Path:
    """The student's package: course_lib/."""
    return root / "course_lib"


def graders_dir(root: Path) -> Path:
    """The hidden checks: graders/ (with their catalogue in graders/locale/)."""
    return Path(root) / "graders"


def grading_config(root: Path) -> Path:
    """The hidden checks' points and visibilities: graders/grading.toml."""
    return graders_dir(root) / "grading.toml"


def public_checks_config(root: Path) -> Path:
    """The public checks' practice points: public_tests/checks.toml."""
    return Path(root) / "public_tests" / "checks.toml"


def lesson_notebooks(root: Path) -> list[Path]:
    """The lesson notebooks the site executes: docs/lessons/*.ipynb, sorted."""
    return sorted((Path(root) / "docs" / "lessons").glob("*.ipynb"))
