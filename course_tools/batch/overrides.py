"""The instructor's overrides: points given or excused by hand, per student and check or exercise, on every run.

course.toml names a CSV (`[overrides] file = "overrides.csv"`) with COLUMNS: student_id (as the gradebook
has it), target (a check's title from graders/grading.toml, or an exercise module: softmax, losses, ...),
points (0 to the target's maximum, or "excused") and reason (the instructor's note: the report shows it,
a student's feedback does not). `course grade` applies them after grading and before the late penalty,
each time it finishes a submission (finish.py), so they reach results.json, the feedback, the gradebook,
grades.csv and the LMS exports, and a regrade keeps them. The graders' own points stay in results.json
beside them: an override deleted from the file is undone at the next run, with nothing regraded.

Points on an exercise are shared among its checks in proportion to their points. An excused check earns
the share of its points that the student earned on the checks not excused: the total is as if it did not
count, and stays out of the assignment's maximum in every gradebook.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..course_config import CourseConfigError
from ..grading_results import AppliedOverride, GradingResults
from .exercises import exercise_names, exercise_of

COLUMNS = ("student_id", "target", "points", "reason")
EXCUSED = "excused"


@dataclass(frozen=True)
class Override:
    """One row: `points` (None: excused) for the `checks` that `target` names, for one student."""

    student: str
    target: str
    checks: tuple[str, ...]
    points: float | None
    reason: str
    row: int  # in the file, the header being row 1

    @property
    def excused(self) -> bool:
        return self.points is None


def read_overrides(path: Path, checks: dict) -> dict[str, list[Override]]:
    """{student id: their overrides, in file order} from the CSV at `path`, checked against `checks` (grading.toml's
    {title: CheckConfig}). Raises CourseConfigError naming the file, row and what is wrong."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:  # -sig: a spreadsheet's byte-order mark
            reader = csv.DictReader(file)
            rows, columns = list(reader), set(reader.fieldnames or ())
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CourseConfigError(f"overrides {path}: {error}") from None
    if not set(COLUMNS) <= columns:
        raise CourseConfigError(f"overrides {path}: the columns must be {', '.join(COLUMNS)}; "
                                f"found {', '.join(sorted(c for c in columns if c)) or 'none'}")
    exercises = exercise_names(checks)
    found: dict[str, list[Override]] = {}
    claimed: dict[tuple[str, str], int] = {}  # (student, check): the row that overrides it
    for number, row in enumerate(rows, start=2):
        where = f"overrides {path}, row {number}"
        student, target = (row["student_id"] or "").strip(), (row["target"] or "").strip()
        if not student:
            raise CourseConfigError(f"{where}: no student_id")
        titles = _checks_of(target, checks, exercises, where)
        points = _points((row["points"] or "").strip(), sum(checks[t].points for t in titles), target, where)
        for title in titles:
            if (student, title) in claimed:
                raise CourseConfigError(f"{where}: {student}'s check {title!r} is already overridden in row "
                                        f"{claimed[student, title]}")
            claimed[student, title] = number
        found.setdefault(student, []).append(Override(student, target, titles, points, (row["reason"] or "").strip(),
                                                      number))
    return found


def _checks_of(target: str, checks: dict, exercises: list[str], where: str) -> tuple[str, ...]:
    if target in checks:
        return (target,)
    if target in exercises:
        return tuple(title for title in checks if exercise_of(title) == target)
    raise CourseConfigError(f"{where}: no check or exercise is called {target!r}: give an exercise "
                            f"({', '.join(exercises)}) or a check's title exactly as in graders/grading.toml")


def _points(text: str, most: float, target: str, where: str) -> float | None:
    if text.lower() == EXCUSED:
        return None
    try:
        points = float(text)
    except ValueError:
        raise CourseConfigError(f"{where}: points must be a number or {EXCUSED!r}, not {text!r}") from None
    if not 0 <= points <= most:
        raise CourseConfigError(f"{where}: {target!r} is worth 0 to {most:g} points, not {text}")
    return points


def apply_overrides(results: GradingResults, overrides: list[Override]) -> list[AppliedOverride]:
    """Set the points of `results`' checks as `overrides` say (points first, then excused) and return what changed;
    checks missing from `results` are left alone. Call on results as graded (restore_graded)."""
    tests = {test.name: test for test in results.tests}
    excused = {t for o in overrides if o.excused for t in o.checks}
    applied = []
    for override in sorted(overrides, key=lambda o: o.excused):  # excused last: they follow the others' share
        present = [tests[title] for title in override.checks if title in tests]
        if not present:
            continue
        if override.excused:
            rest = [t for t in results.tests if t.name not in excused]
            most = sum(t.max_score for t in rest)
            share = sum(t.score for t in rest) / most if most else 1.0
            new = {t.name: t.max_score * share for t in present}
        else:
            most = sum(t.max_score for t in present)
            new = {t.name: override.points * (t.max_score / most if most else 0.0) for t in present}
        graded = {t.name: t.score for t in present}
        for test in present:
            test.score = round(new[test.name], 6)
        applied.append(AppliedOverride(override.target, override.reason, override.excused, graded,
                                       {t.name: t.score for t in present}))
    return applied


def restore_graded(results: GradingResults) -> None:
    """Undo the overrides a finished results.json carries: each check back to the graders' points."""
    if results.batch is None:
        return
    tests = {test.name: test for test in results.tests}
    for applied in reversed(results.batch.overrides):
        for title, score in applied.graded.items():
            if title in tests:
                tests[title].score = score
    results.batch.overrides = []


def unknown_students(overrides: dict[str, list[Override]], students: set[str]) -> list[str]:
    """One line per student of `overrides` not among `students` (those the batch graded)."""
    return [f"overrides row {', '.join(str(o.row) for o in rows)}: no graded submission of this run is student "
            f"{student!r}, so nothing was overridden (check the id against grades.csv)"
            for student, rows in sorted(overrides.items()) if student not in students]
