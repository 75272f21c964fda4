"""What a graded batch says about the class: score statistics and how often each check fails."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from ..grading_results import GradingResults, read_results


@dataclass(frozen=True)
class ScoreStats:
    count: int
    mean: float
    median: float
    stdev: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class CheckFailures:
    title: str
    failed: int
    total: int
    max_score: float

    @property
    def rate(self) -> float:
        return self.failed / self.total if self.total else 0.0


def load_results(folder: Path) -> dict[str, GradingResults]:
    """{submission name: results} for every folder/*/results.json that reads as results (others are left out)."""
    found = {}
    for path in sorted(Path(folder).glob("*/results.json")):
        results = read_results(path)
        if results is not None:
            found[path.parent.name] = results
    return found


def split_graded(all_results: dict[str, GradingResults]) -> tuple[dict[str, GradingResults], dict[str, GradingResults]]:
    """(graded, skipped): skipped are the not-gradable submissions and grader (infrastructure) errors, whose 0
    is no grade and says nothing about the class."""
    graded, skipped = {}, {}
    for name, results in all_results.items():
        (graded if results.graded else skipped)[name] = results
    return graded, skipped


def score_stats(scores: list[float]) -> ScoreStats:
    """Count, mean, median, sample standard deviation (0 for one score), min and max; `scores` non-empty."""
    return ScoreStats(len(scores), statistics.fmean(scores), statistics.median(scores),
                      statistics.stdev(scores) if len(scores) > 1 else 0.0, min(scores), max(scores))


def failure_rates(all_results: list[GradingResults]) -> list[CheckFailures]:
    """Each check's failures over the graded submissions and the checks that ran, most failed first (then by title)."""
    counts: dict[str, list] = {}
    for results in all_results:
        if not results.graded:
            continue  # nothing ran, or the grader failed: it says nothing about any one check
        for test in results.tests:
            if test.not_run:
                continue  # left out of this run (--only): not a failure
            entry = counts.setdefault(test.name, [0, 0, test.max_score])
            entry[0] += not test.passed
            entry[1] += 1
    rows = [CheckFailures(title, failed, total, points) for title, (failed, total, points) in counts.items()]
    return sorted(rows, key=lambda r: (-r.rate, r.title))
