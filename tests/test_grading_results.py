"""Is one graded submission one typed object, read and written in one JSON form, with points from its checks?"""

import json

import pytest

from course_tools.grading_results import NOT_RUN, BatchRecord, CheckResult, GradingResults, State


def _graded() -> GradingResults:
    tests = [CheckResult("softmax: a", 3.0, 3.0, True), CheckResult("softmax: b", 0.0, 2.0, False, "Hint: x", "hidden"),
             CheckResult("sgd: c", 0.0, 25.0, False, NOT_RUN)]
    return GradingResults(State.GRADED, tests, "Score 3/30.", 1.234, "s1", {"student_id": "s1"},
                          [{"summary": "s", "hint": "h", "home": "softmax: b", "checks": ["softmax: b"]}])


def test_points_come_from_the_checks_never_from_100():
    """Are the score and its maximum the sums of the checks (oracle: 3 of 3 + 2 + 25 = 30 here)?"""
    results = _graded()
    assert (results.score, results.max_score, results.score_line()) == (3.0, 30.0, "3/30")


def test_the_json_form_is_gradescopes_and_reads_back_the_same():
    """Does to_json give Gradescope's fields, and does from_json give back an equal object (JSON round trip)?"""
    results = _graded()
    results.batch = BatchRecord(submission="s1", input_hash="k", late_penalty=0.5, final_score=2.5)
    raw = json.loads(json.dumps(results.to_json()))
    assert {"score", "execution_time", "output", "tests"} <= set(raw) and raw["score"] == 3.0
    assert raw["tests"][1] == {"name": "softmax: b", "score": 0.0, "max_score": 2.0, "status": "failed",
                               "output": "Hint: x", "visibility": "hidden"}
    back = GradingResults.from_json(raw)
    assert back.to_json() == raw and back.final_score == 2.5 and back.tests[2].not_run


@pytest.mark.parametrize("make,state", [(GradingResults.not_gradable_because, State.NOT_GRADABLE),
                                        (GradingResults.infrastructure_failure, State.INFRASTRUCTURE_ERROR)])
def test_no_grade_states_keep_their_reason(make, state):
    """Do not-gradable and infrastructure-error results say why, score 0, and read back in the same state?"""
    results = make("no course_lib/ in the upload", 0.5)
    back = GradingResults.from_json(json.loads(json.dumps(results.to_json())))
    assert back.state is state and back.reason == "no course_lib/ in the upload" and back.score == 0
    assert "no course_lib/" in back.output and not back.graded


@pytest.mark.parametrize("raw", [[], {"tests": "x"}, {"tests": [{"score": 1}]}, {"tests": [{"name": "a", "score": "1"}]},
                                 {"tests": [], "extra_data": []}, {"tests": [{"name": "a", "score": float("nan")}]}])
def test_malformed_results_are_refused(raw):
    """Is anything that is not results.json's form a ValueError, never a half-read object?"""
    with pytest.raises(ValueError):
        GradingResults.from_json(raw)


def test_one_format_for_a_checks_line():
    """Is a check's PASS/FAIL line one format (oracle: the column widths `course check` prints)?"""
    assert CheckResult("sgd: c", 0.0, 3.0, False).line() == "FAIL   0/3   sgd: c"
    assert CheckResult("sgd: c", 4.0, 4.0, True).line("sgd：c") == "PASS   4/4   sgd：c"
