"""Does `course report` give the right statistics and failure rates, most failed first, and draw both charts?"""

import json
import statistics
from pathlib import Path

import pytest

import matplotlib.image

from course_tools.commands import report

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
CHECKS = {"softmax: rows sum to one": 40.0, "sgd: update rule": 35.0, "train: runs the given number of epochs": 25.0}


def results(passed: set[str]) -> dict:
    tests = [{"name": name, "score": points if name in passed else 0.0, "max_score": points,
              "status": "passed" if name in passed else "failed", "output": "", "visibility": "visible"}
             for name, points in CHECKS.items()]
    return {"score": sum(t["score"] for t in tests), "execution_time": 1.0, "output": "", "tests": tests,
            "extra_data": {"not_gradable": False}}


def only_softmax() -> dict:
    """Graded with `course grade --only softmax`: the other checks are 'not run', neither passed nor failed."""
    graded = results({"softmax: rows sum to one"})
    for test in graded["tests"][1:]:
        test["output"] = "not run"
    return graded


def late(graded: dict, penalty: float, source: str) -> dict:
    """`graded`, finished by the batch a day late (its time from `source`), with a penalty of `penalty` points."""
    graded["extra_data"].update(submission="s", late={"seconds_late": 86400.0, "source": source, "due": "2027-01-31T23:59:00+00:00",
                                      "fraction": penalty / graded["score"]},
                                late_penalty=penalty, final_score=graded["score"] - penalty)
    return graded


def write_batch(folder: Path) -> list[float]:
    """Five graded submissions (one graded --only softmax; two late, by a recorded and by a claimed time), one that
    could not be graded and one grader error; returns the graded final scores."""
    batch = {
        "a": late(results(set(CHECKS)), 0.0, "claimed"),  # 100, claimed late, not penalised
        "b": late(results({"softmax: rows sum to one", "train: runs the given number of epochs"}), 13.0, "receipts"),  # 52
        "c": results({"softmax: rows sum to one"}),  # 40
        "d": results(set()),  # 0
        "e": {"score": 0.0, "execution_time": 0, "output": "Could not grade", "tests": [],
              "extra_data": {"not_gradable": True}},
        "f": {"score": 0.0, "execution_time": 0, "output": "Could not grade: the grader crashed", "tests": [],
              "extra_data": {"not_gradable": True, "infrastructure_error": True}},
        "n": only_softmax(),  # 40
    }
    for name, value in batch.items():
        (folder / name).mkdir(parents=True)
        (folder / name / "results.json").write_text(json.dumps(value))
    (folder / "broken").mkdir()
    (folder / "broken" / "results.json").write_text("{ not json")  # ignored, not fatal
    return [r["extra_data"].get("final_score", r["score"]) for r in batch.values() if not r["extra_data"]["not_gradable"]]


def test_statistics_failure_rates_and_charts(tmp_path, capsys):
    """Are count, mean, median, stdev, min and max of the final scores right (statistics module as oracle, on the scores
    after penalties), the late hand-ins listed with their time's source, the failure rates counted over gradable
    submissions and sorted descending, and both PNGs written?"""
    scores = write_batch(tmp_path / "out")
    assert report.main(tmp_path / "out") == 0  # the verb's function, as `course report DIR` calls it
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "5 graded submissions (2 skipped: not gradable or a grader error)"
    assert lines[1] == ("final score (after overrides and late penalties, as in the gradebook): "
                        f"mean {statistics.fmean(scores):.1f}, "
                        f"median {statistics.median(scores):.1f}, stdev {statistics.stdev(scores):.1f}, min 0, max 100")
    assert lines[2] == "late: 1 submissions, mean penalty 13.0 points"
    assert lines[3] == "late hand-ins:" and "a: 24.0 h" in lines[4] and "claimed by the student, penalty 0" in lines[4]
    assert "b: 24.0 h" in lines[5] and "recorded (receipts), penalty 13" in lines[5]
    rates = [line for line in lines if "%" in line and "pts" in line]
    # sgd fails in b, c, d (3 of the 4 where it ran); train in c, d (2 of 4); softmax in d (1 of 5)
    assert [r.split("pts")[1].strip() for r in rates] == ["sgd: update rule", "train: runs the given number of epochs",
                                                          "softmax: rows sum to one"]
    assert [r.split()[:2] for r in rates] == [["75.0%", "3/4"], ["50.0%", "2/4"], ["20.0%", "1/5"]]
    for chart in ("score_histogram.png", "failure_rates.png"):
        image = matplotlib.image.imread(tmp_path / "out" / chart)
        assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
        assert image[..., :3].std() > 0.05  # something is drawn, not a blank canvas


def test_empty_folder_is_a_clear_error(tmp_path, capsys):
    """Does a folder without results say so, with exit status 2, instead of drawing empty charts?"""
    assert report.main(tmp_path) == 2
    assert "no results.json" in capsys.readouterr().err
    assert not (tmp_path / "score_histogram.png").exists()


def test_feedback_does_not_list_checks_that_did_not_run_as_failures():
    """Are checks left out by --only shown as not run, never under 'What to fix', in both renderings?"""
    from course_tools.batch.feedback import render_html, render_markdown
    from course_tools.grading_results import GradingResults

    markdown, html = (render(GradingResults.from_json(only_softmax())) for render in (render_markdown, render_html))
    assert "## What to fix" not in markdown and "What to fix" not in html
    not_run = markdown.split("## Not run in this grading")[1]
    assert "sgd: update rule" in not_run and "train: runs the given number of epochs" in not_run
    assert "<h2>Not run in this grading</h2>" in html
    failed = results(set())
    failed["tests"][0]["output"] = "rows do not sum to one"
    assert "rows do not sum to one" in render_markdown(GradingResults.from_json(failed)).split("## What to fix")[1]
