"""When a submission was handed in, and who says so: the instructor's side, or the student's own manifest.

A late penalty rests only on a time the instructor's side recorded: a receipts CSV (student_id, received_at),
named in course.toml, or nbgrader's timestamp.txt, written at collection. The `timestamp` that `course submit`
writes into submission.json is the student's claim: a student who sets their clock back would dodge the
penalty, and one whose clock runs fast would pay it. It is shown as claimed and penalised only when course.toml
says `trust_claimed_times = true`. On the Canvas and Moodle routes lateness is the platform's (lms/grading.py).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..course_config import CourseConfigError, parse_due

RECEIPTS, NBGRADER, CLAIMED = "receipts", "nbgrader", "claimed"  # where a time came from
RECEIPT_COLUMNS = ("student_id", "received_at")


@dataclass(frozen=True)
class SubmissionTime:
    """A hand-in's time (aware UTC, or None when nobody gave one) and its source: RECEIPTS or NBGRADER (recorded by
    the instructor's side) or CLAIMED (the student's submission.json)."""

    when: dt.datetime | None
    source: str | None


def claimed_time(manifest: dict) -> dt.datetime | None:
    """The manifest's timestamp as an aware UTC datetime, or None when absent or unreadable."""
    try:
        return parse_due(manifest.get("timestamp"), "submission.json timestamp")
    except (CourseConfigError, OverflowError, ValueError, TypeError):  # e.g. year 1 at +14:00 overflows in UTC
        return None


@dataclass(frozen=True)
class Clock:
    """The times the instructor's side recorded for one batch, by student id or submission name, and their source."""

    recorded: dict[str, dt.datetime] = field(default_factory=dict)
    source: str = RECEIPTS

    def time_of(self, student: str, submission: str, manifest: dict) -> SubmissionTime:
        """The recorded time of `student` (or of the file `submission`), else the manifest's claimed one."""
        for key in (student, submission):
            if key in self.recorded:
                return SubmissionTime(self.recorded[key], self.source)
        claimed = claimed_time(manifest)
        return SubmissionTime(claimed, CLAIMED if claimed else None)


def read_receipts(path: Path) -> dict[str, dt.datetime]:
    """{student id or submission name: when received} from a CSV with RECEIPT_COLUMNS; a student listed twice keeps
    the latest time (the last hand-in is the one graded). Raises CourseConfigError naming the file and row."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:  # -sig: a spreadsheet's byte-order mark
            rows = list(csv.DictReader(file))
            columns = set(rows[0]) if rows else set()
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CourseConfigError(f"receipts {path}: {error}") from None
    if rows and not set(RECEIPT_COLUMNS) <= columns:
        raise CourseConfigError(f"receipts {path}: the columns must include {', '.join(RECEIPT_COLUMNS)}; "
                                f"found {', '.join(sorted(c for c in columns if c))}")
    found: dict[str, dt.datetime] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        student = (row["student_id"] or "").strip()
        if not student:
            raise CourseConfigError(f"receipts {path}, row {number}: no student_id")
        when = parse_due((row["received_at"] or "").strip(), f"receipts {path}, row {number}: received_at")
        if when is None:
            raise CourseConfigError(f"receipts {path}, row {number}: no received_at")
        found[student] = max(when, found.get(student, when))
    return found
