"""What a regrade changed: each student whose final score moved, by how much, and on which checks.

When the graders, their points or the course's settings change, the grader version changes and `course
grade` grades every submission again. Before it does, the batch keeps each submission's previous
results.json; afterwards it compares them and writes changes.csv (one row per student whose final score
changed), so that an instructor can answer the students the regrade concerns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text_atomically
from ..grading_results import GradingResults, read_results

CHANGES_NAME = "changes.csv"
COLUMNS = ("student_id", "submission", "old_score", "new_score", "checks_changed")


@dataclass(frozen=True)
class ScoreChange:
    """One student's final score before and after a regrade, and the checks whose points changed."""

    student_id: str
    submission: str
    old: float
    new: float
    checks: tuple[str, ...]


def previous_results(out: Path, names: list[str]) -> dict[str, GradingResults]:
    """{submission name: its earlier graded results.json} for those of `names` that have one."""
    found = {}
    for name in names:
        results = read_results(Path(out) / name / "results.json")
        if results is not None and not results.infrastructure_error:
            found[name] = results
    return found


def _points(results: GradingResults) -> dict[str, float]:
    return {test.name: test.score for test in results.tests}


def score_changes(previous: dict[str, GradingResults], now: dict[str, GradingResults]) -> list[ScoreChange]:
    """The submissions of `previous` whose final score differs in `now`, by student id."""
    changes = []
    for name, before in sorted(previous.items()):
        after = now.get(name)
        if after is None or after.infrastructure_error or round(after.final_score, 6) == round(before.final_score, 6):
            continue
        old, new = _points(before), _points(after)
        checks = tuple(sorted(title for title in old.keys() | new.keys() if old.get(title) != new.get(title)))
        changes.append(ScoreChange(str(after.student_id or name), name, before.final_score, after.final_score, checks))
    return changes


def write_changes(path: Path, changes: list[ScoreChange]) -> None:
    """changes.csv: COLUMNS, one row per change (checks separated by '; '); only the header when nothing changed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows((c.student_id, c.submission, f"{c.old:g}", f"{c.new:g}", "; ".join(c.checks)) for c in changes)
    write_text_atomically(Path(path), buffer.getvalue())
