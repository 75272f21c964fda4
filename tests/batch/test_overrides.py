"""Are the instructor's overrides read strictly, applied as the module says, kept beside the graders' points, and
carried through finishing: results.json, the late penalty, the gradebook and the feedback?"""

from __future__ import annotations

import datetime as dt

import pytest

from course_tools.batch.overrides import apply_overrides, read_overrides, restore_graded, unknown_students
from course_tools.course_config import CourseConfig, CourseConfigError, LatePolicy, load_course_config
from course_tools.grading_results import BatchRecord, CheckResult, GradingResults, State
from course_tools.judge.config import CheckConfig

CHECKS = {"softmax: rows sum to one": CheckConfig(10.0, "visible"),
          "softmax: stable for large inputs": CheckConfig(30.0, "hidden"),
          "sgd: update rule": CheckConfig(20.0, "visible"),
          "accuracy: counts correct rows": CheckConfig(40.0, "visible")}
HEADER = "student_id,target,points,reason\n"


def graded(*scores: float) -> GradingResults:
    """Results over CHECKS (in order) with these points earned."""
    return GradingResults(State.GRADED, [CheckResult(t, s, c.points, s == c.points)
                                         for (t, c), s in zip(CHECKS.items(), scores)], student_id="s1")


def overrides(tmp_path, rows: str) -> dict:
    path = tmp_path / "overrides.csv"
    path.write_text(HEADER + rows)
    return read_overrides(path, CHECKS)


def test_a_check_gets_its_points_and_keeps_the_graders(tmp_path):
    """Does an override on one check set its points, leave the others, record the graders' points, and does
    restore_graded give the results back as graded?"""
    results = graded(10, 0, 20, 40)
    [applied] = apply_overrides(results, overrides(tmp_path, "s1,softmax: stable for large inputs,25,regrade #3\n")["s1"])
    assert [t.score for t in results.tests] == [10, 25, 20, 40]
    assert (applied.graded, applied.points, applied.reason) == ({"softmax: stable for large inputs": 0},
                                                                {"softmax: stable for large inputs": 25}, "regrade #3")
    results.batch = BatchRecord(overrides=[applied])
    restore_graded(results)
    assert [t.score for t in results.tests] == [10, 0, 20, 40] and results.batch.overrides == []


def test_an_exercise_shares_its_points_by_the_checks_points(tmp_path):
    """Are 20 points on the softmax exercise (checks worth 10 and 30) shared as 5 and 15?"""
    results = graded(10, 0, 20, 40)
    apply_overrides(results, overrides(tmp_path, "s1,softmax,20,\n")["s1"])
    assert [t.score for t in results.tests] == [5, 15, 20, 40]  # 20 x 10/40, 20 x 30/40


def test_excused_checks_earn_the_share_earned_on_the_rest(tmp_path):
    """Is an excused exercise as if it did not count? The rest earned 30 of 60 (half), so softmax's 40 earn 20 and
    the total is 50 of 100: the same fraction as 30/60."""
    results = graded(0, 0, 20, 10)
    apply_overrides(results, overrides(tmp_path, "s1,softmax,excused,illness\n")["s1"])
    assert [t.score for t in results.tests] == [5, 15, 20, 10]
    assert results.score == 50 == 100 * 30 / 60


def test_excused_follows_the_point_overrides_of_the_same_student(tmp_path):
    """With sgd overridden to 20 (the rest now 50 of 60) and softmax excused, does softmax earn 40 x 50/60?"""
    results = graded(0, 0, 0, 30)
    apply_overrides(results, overrides(tmp_path, "s1,softmax,excused,\ns1,sgd: update rule,20,\n")["s1"])
    assert results.tests[2].score == 20 and results.tests[0].score + results.tests[1].score == pytest.approx(40 * 50 / 60)


@pytest.mark.parametrize("rows, message", [
    ("s1,softmax: typo,1,\n", "row 2: no check or exercise is called 'softmax: typo'"),
    ("s1,softmax,41,\n", "row 2: 'softmax' is worth 0 to 40 points, not 41"),
    ("s1,sgd: update rule,-1,\n", "worth 0 to 20"),
    ("s1,sgd: update rule,lots,\n", "points must be a number or 'excused', not 'lots'"),
    (",sgd: update rule,1,\n", "row 2: no student_id"),
    ("s1,sgd: update rule,1,\ns1,softmax,excused,\ns1,sgd: update rule,2,\n", "row 4: s1's check 'sgd: update rule' "
                                                                              "is already overridden in row 2"),
])
def test_a_bad_row_is_named(tmp_path, rows, message):
    """Is each malformed row refused with its number and what is wrong?"""
    with pytest.raises(CourseConfigError, match=message.replace("(", r"\(")):
        overrides(tmp_path, rows)


def test_a_file_without_the_columns_or_missing_is_named(tmp_path):
    """Are a file with other columns and a missing file refused, naming the file?"""
    path = tmp_path / "o.csv"
    path.write_text("student,check,points\ns1,softmax,1\n")
    with pytest.raises(CourseConfigError, match="the columns must be student_id, target, points, reason"):
        read_overrides(path, CHECKS)
    with pytest.raises(CourseConfigError, match="nowhere.csv"):
        read_overrides(tmp_path / "nowhere.csv", CHECKS)


def test_unknown_students_are_listed_with_their_rows(tmp_path):
    """Is a student no graded submission is named listed, with the rows that name them?"""
    found = overrides(tmp_path, "s1,softmax,1,\nghost,softmax,1,\nghost,sgd: update rule,1,\n")
    [line] = unknown_students(found, {"s1"})
    assert line.startswith("overrides row 3, 4:") and "'ghost'" in line


def test_course_toml_names_the_file_beside_it(tmp_path):
    """Is [overrides] file read relative to course.toml's folder, and a wrong kind refused?"""
    config = tmp_path / "course.toml"
    config.write_text('[overrides]\nfile = "by-hand.csv"\n')
    assert load_course_config(config).overrides == tmp_path / "by-hand.csv"
    config.write_text("[overrides]\nfile = 3\n")
    with pytest.raises(CourseConfigError, match="overrides.file must be a file name"):
        load_course_config(config)


def test_results_json_round_trip_keeps_the_overrides(tmp_path):
    """Does results.json carry the applied overrides and read them back equal?"""
    results = graded(10, 0, 20, 40)
    results.batch = BatchRecord(overrides=apply_overrides(results, overrides(tmp_path, "s1,softmax,excused,x\n")["s1"]))
    again = GradingResults.from_json(results.to_json())
    assert again.batch.overrides == results.batch.overrides and again.score == results.score


DUE = dt.datetime(2027, 2, 1, tzinfo=dt.UTC)


def test_finishing_applies_them_before_the_penalty_and_again_from_results_json(tmp_path):
    """Through the Finisher: is the late penalty taken from the overridden score, do the gradebook and feedback
    hold it, and does finishing the written results.json again (a rerun) give the same, or, with the override
    removed, the graders' points back?"""
    from nbgrader.api import Gradebook

    from course_tools.batch.clock import RECEIPTS, Clock
    from course_tools.batch.finish import Finisher
    from course_tools.batch.gradebook import CourseGradebook
    from course_tools.grading_results import read_results

    found = overrides(tmp_path, "s1,sgd: update rule,20,accepted regrade\n")
    config = CourseConfig(assignment="w1", due=DUE, late=LatePolicy(percent_per_day=10))
    clock = Clock({"s1": DUE + dt.timedelta(hours=2)}, RECEIPTS)  # one started day late: 10 %
    submission, url = tmp_path / "s1", f"sqlite:///{tmp_path / 'gb.db'}"
    submission.mkdir()
    with CourseGradebook(url) as gradebook:
        exercises = gradebook.define_assignment("w1", DUE, CHECKS)
        finish = Finisher(config, exercises, "v1", tmp_path / "out", clock, found)
        first = finish(gradebook, submission, graded(10, 30, 0, 40), "key")
        assert first.score == 100 and first.final_score == pytest.approx(90)  # 10 % of the overridden 100
        again = finish(gradebook, submission, read_results(tmp_path / "out" / "s1" / "results.json"), "key")
        assert again.to_json() == first.to_json()
        feedback = (tmp_path / "out" / "s1" / "feedback.md").read_text()
        assert "Adjusted by your instructor" in feedback and "sgd: update rule: 0 → 20 points" in feedback
        assert "accepted regrade" not in feedback  # the instructor's reason is theirs
        with Gradebook(url) as gb:
            [row] = gb.assignment_submissions("w1")
            assert (row.score, row.late_submission_penalty) == (100, pytest.approx(10))
        finish.overrides = {}
        undone = finish(gradebook, submission, read_results(tmp_path / "out" / "s1" / "results.json"), "key")
        assert undone.score == 80 and undone.batch.overrides == []
