"""One bad submission, trusted-side failure or interrupted grader never crashes the batch or becomes a student's 0."""

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from course_tools.batch.course_config import CourseConfig, LatePolicy
from course_tools.batch.fingerprint import input_hash
from course_tools.batch.penalties import assess, submitted_at
from course_tools.batch.queue import Batch, BatchOptions
from course_tools.grading.results import build_results
from course_tools.grading.submission import submission_name

DUE = dt.datetime(2027, 1, 31, 23, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", 12, ["x"], "soon"])
def test_out_of_range_timestamps_are_unreadable_not_a_crash(timestamp):
    """Do timestamps that overflow in UTC (datetime raises OverflowError) or are not strings give no time and a note?"""
    assert submitted_at({"timestamp": timestamp}) is None
    late = assess({"timestamp": timestamp}, DUE, LatePolicy(percent_per_day=10))
    assert late["fraction"] == 0 and "no readable timestamp" in late["note"]


def _finished_batch(root: Path, tmp_path: Path, manifests: dict[str, dict]) -> Batch:
    """A batch whose submissions all have a current results.json already (so nothing is graded: resume only)."""
    out = tmp_path / "out"
    paths = []
    for name in manifests:
        (tmp_path / name / "course_lib").mkdir(parents=True)
        (tmp_path / name / "course_lib" / "softmax.py").write_text(f"# {name}\n")
        paths.append(tmp_path / name)
    batch = Batch(paths, BatchOptions(root=root, out=out, config=CourseConfig(assignment="w1", due=DUE,
                  late=LatePolicy(percent_per_day=10)), gradebook_url=f"sqlite:///{tmp_path / 'gb.db'}", progress=False))
    for path in paths:
        staged = SimpleNamespace(problems={}, student_id=manifests[path.name]["student_id"], manifest=manifests[path.name])
        results = build_results(batch.checks, {}, staged, 1.0)
        results["extra_data"]["input_hash"] = input_hash(path, batch.grader)
        (out / path.name).mkdir(parents=True)
        (out / path.name / "results.json").write_text(json.dumps(results))
    return batch


def test_one_overflowing_timestamp_only_warns(root, tmp_path):
    """Does a manifest timestamp that overflows in UTC finish with no penalty and a warning, the batch going on?"""
    batch = _finished_batch(root, tmp_path, {"ok": {"student_id": "a", "timestamp": "2027-01-30T00:00:00Z"},
                                             "odd": {"student_id": "b", "timestamp": "0001-01-01T00:00:00+14:00"}})
    outcome = batch.run()
    assert set(outcome.skipped) == {"ok", "odd"} and outcome.csv.is_file()
    assert outcome.results["odd"]["extra_data"]["late_penalty"] == 0
    assert [w for w in outcome.warnings if w.startswith("odd:") and "no readable timestamp" in w]
    assert not [w for w in outcome.warnings if w.startswith("ok:")]


def test_an_error_finishing_one_submission_is_its_infrastructure_error(root, tmp_path, monkeypatch):
    """Does an unexpected error while finishing one submission give it grader_error.json, the others their grade
    and the batch its CSV?"""
    from course_tools.batch import finish

    batch = _finished_batch(root, tmp_path, {"ok": {"student_id": "a"}, "bad": {"student_id": "b"}})
    real = finish.Finisher.__call__

    def flaky(self, gradebook, path, results, key):
        if submission_name(path) == "bad":
            raise RuntimeError("disk on fire")
        return real(self, gradebook, path, results, key)

    monkeypatch.setattr(finish.Finisher, "__call__", flaky)
    outcome = batch.run()
    bad = outcome.results["bad"]["extra_data"]
    assert bad["infrastructure_error"] and "disk on fire" in bad["reason"]
    error = json.loads((tmp_path / "out" / "bad" / "grader_error.json").read_text())
    assert "disk on fire" in error["extra_data"]["reason"]
    assert not outcome.results["ok"]["extra_data"].get("infrastructure_error") and outcome.csv.is_file()
    assert "a" in outcome.csv.read_text() and ",b," not in outcome.csv.read_text()
