"""Which exercise module a check belongs to: its title's prefix names a contract function."""

from __future__ import annotations

from ..contract import EXERCISES, check_module
from ..grading_results import GradingResults

OTHER = "other"


def exercise_of(check_title: str) -> str:
    """'softmax: rows sum to one' -> 'softmax'; 'train: ...' -> 'training'; unknown prefixes -> 'other'."""
    return check_module(check_title) or OTHER


def scores_by_exercise(results: GradingResults, exercises: list[str]) -> dict[str, float]:
    """Sum of each exercise's check scores (every listed exercise present, 0 if no checks)."""
    totals = {name: 0.0 for name in exercises}
    for test in results.tests:
        name = exercise_of(test.name)
        totals[name] = totals.get(name, 0.0) + test.score
    return totals


def exercise_names(check_titles) -> list[str]:
    """The exercises that have checks, in contract order (then 'other' if any check fits none)."""
    used = {exercise_of(t) for t in check_titles}
    return [m for m in EXERCISES if m in used] + ([OTHER] if OTHER in used else [])
