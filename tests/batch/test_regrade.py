"""Does a regrade say whose final score changed, by how much and on which checks (batch/regrade.py)?"""

import csv

from course_tools.batch.regrade import COLUMNS, previous_results, score_changes, write_changes
from course_tools.grading_results import BatchRecord, CheckResult, GradingResults, State


def graded(points: dict[str, tuple[float, float]], student="s1", penalty=0.0) -> GradingResults:
    """Results with checks {title: (score, max)} and a batch record with `penalty`."""
    tests = [CheckResult(title, score, most, score == most)
             for title, (score, most) in points.items()]
    results = GradingResults(State.GRADED, tests, student_id=student)
    score = sum(score for score, _ in points.values())
    results.batch = BatchRecord(submission=student, late_penalty=penalty, final_score=score - penalty)
    return results


def test_only_changed_final_scores_are_listed_with_their_checks(tmp_path):
    """Is a student listed when points moved between two checks changed their final score (with exactly those checks),
    and not when their score stayed, nor when they were not graded before? Oracle: the sums written here."""
    before = {"a": graded({"x": (3, 3), "y": (0, 2)}, "a"), "b": graded({"x": (3, 3), "y": (2, 2)}, "b")}
    after = {"a": graded({"x": (4, 4), "y": (0, 1)}, "a"),  # x gained a point: a passed it, 3 -> 4
             "b": graded({"x": (4, 4), "y": (1, 1)}, "b"),  # b passed both: 5 -> 5, not listed
             "c": graded({"x": (4, 4), "y": (0, 1)}, "c")}  # new: no earlier grade
    changes = score_changes(before, after)
    assert [(c.student_id, c.old, c.new, c.checks) for c in changes] == [("a", 3, 4, ("x",))]
    write_changes(tmp_path / "changes.csv", changes)
    with open(tmp_path / "changes.csv", newline="") as file:
        rows = list(csv.reader(file))
    assert rows == [list(COLUMNS), ["a", "a", "3", "4", "x"]]
    write_changes(tmp_path / "changes.csv", [])
    assert (tmp_path / "changes.csv").read_text().strip() == ",".join(COLUMNS)


def test_a_penalty_alone_is_a_change_and_unreadable_earlier_results_are_none(tmp_path):
    """Does a changed late penalty (same checks) count as a change, and is an unreadable earlier results.json skipped?"""
    assert [c.checks for c in score_changes({"a": graded({"x": (3, 3)}, "a")},
                                            {"a": graded({"x": (3, 3)}, "a", penalty=1)})] == [()]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "results.json").write_text("{ not json")
    assert previous_results(tmp_path, ["a", "b"]) == {}
