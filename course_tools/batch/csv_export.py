"""The grades as CSV: one row per student, one column per exercise, the score, late penalty and total."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..contract import EXERCISE_MODULES
from ..atomic import write_text_atomically


def columns(exercises: list[str]) -> list[str]:
    """student_id, the exercises in contract order (others after), score, late_penalty, total."""
    ordered = [m for m in EXERCISE_MODULES if m in exercises] + sorted(set(exercises) - set(EXERCISE_MODULES))
    return ["student_id", *ordered, "score", "late_penalty", "total"]


def spreadsheet_safe(text: str) -> str:
    """`text` as a CSV cell no spreadsheet evaluates: a leading =, +, - or @ starts a formula, and student ids,
    names and file names are untrusted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _cell(value) -> str:
    return f"{round(value, 4):g}" if isinstance(value, float) else spreadsheet_safe(str(value))


def render(rows: list[dict], exercises: list[str]) -> str:
    """The CSV text for gradebook rows (see CourseGradebook.rows)."""
    names = columns(exercises)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name, 0.0)) for name in names])
    return buffer.getvalue()


def write_csv(path: Path, rows: list[dict], exercises: list[str]) -> None:
    """Write the CSV atomically."""
    write_text_atomically(path, render(rows, exercises))
