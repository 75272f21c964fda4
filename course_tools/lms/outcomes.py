"""What each LMS student got: the fraction of the points earned, or why there is no grade (blank, never 0)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..grading_results import GradingResults, read_results
from .record import Record, read_record


@dataclass(frozen=True)
class Outcome:
    """One student's grade: `fraction` of the points (0..1), or None with `reason`; `results` as graded."""

    lms_id: str
    name: str
    late: bool | None
    fraction: float | None
    reason: str
    results: GradingResults | None
    folder: Path | None  # the output folder holding feedback.html


def _fraction(results: GradingResults) -> float | None:
    if not results.graded or results.max_score <= 0:
        return None
    return max(0.0, min(1.0, results.final_score / results.max_score))


def outcomes(out: Path) -> tuple[Record, dict[str, Outcome]]:
    """The record of out/lms.json and every student's outcome by LMS id; ValueError when out was not LMS-graded."""
    record = read_record(out)
    if record is None:
        raise ValueError(f"{out} holds no lms.json: grade the download with `course grade ARCHIVE --from canvas|moodle "
                         f"--out {out}` first")
    found = {}
    for lms_id, student in record.students.items():
        results, fraction, reason, folder = None, None, student.reason, None
        if student.gradable:
            folder = Path(out) / Path(student.submission).name
            results = read_results(folder / "results.json")
            if results is None:
                reason = "not graded yet (run `course grade` again)"
            else:
                fraction = _fraction(results)
                if fraction is None:
                    reason = results.reason or results.output or "not gradable"
        found[lms_id] = Outcome(lms_id, student.name, student.late, fraction, reason, results, folder)
    return record, found


def points(fraction: float, possible: float) -> str:
    """`fraction` of `possible` as the LMS shows scores: at most two decimals, no trailing zeros."""
    return f"{round(fraction * possible, 2):.2f}".rstrip("0").rstrip(".")
