"""One bad submission, trusted-side failure or interrupted grader never crashes the batch or becomes a student's 0."""

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from course_tools.course_config import CourseConfig, LatePolicy
from course_tools.judge.fingerprint import input_hash
from course_tools.batch.clock import CLAIMED, SubmissionTime, claimed_time
from course_tools.batch.penalties import assess
from course_tools.batch.run import Batch, BatchOptions
from course_tools.judge.launcher import GraderSettings
from course_tools.grading_results import BatchRecord
from course_tools.judge.results import build_results
from course_tools.submission_reader import submission_name

DUE = dt.datetime(2027, 1, 31, 23, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", 12, ["x"], "soon"])
def test_out_of_range_timestamps_are_unreadable_not_a_crash(timestamp):
    """Do timestamps that overflow in UTC (datetime raises OverflowError) or are not strings give no time and a note?"""
    assert claimed_time({"timestamp": timestamp}) is None
    late = assess(SubmissionTime(claimed_time({"timestamp": timestamp}), CLAIMED), DUE,
                  LatePolicy(percent_per_day=10, trust_claimed_times=True))
    assert late["fraction"] == 0 and "no recorded or readable submission time" in late["note"]


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
        results.batch = BatchRecord(input_hash=input_hash(path, batch.grader))
        (out / path.name).mkdir(parents=True)
        (out / path.name / "results.json").write_text(json.dumps(results.to_json()))
    return batch


@pytest.mark.slow  # starts a grader or the `course` command
def test_one_overflowing_timestamp_only_warns(root, tmp_path):
    """Does a manifest timestamp that overflows in UTC finish with no penalty and a warning, the batch going on?"""
    batch = _finished_batch(root, tmp_path, {"ok": {"student_id": "a", "timestamp": "2027-01-30T00:00:00Z"},
                                             "odd": {"student_id": "b", "timestamp": "0001-01-01T00:00:00+14:00"}})
    outcome = batch.run()
    assert set(outcome.skipped) == {"ok", "odd"} and outcome.csv.is_file()
    assert outcome.results["odd"].batch.late_penalty == 0
    assert [w for w in outcome.warnings if w.startswith("odd:") and "no recorded or readable submission time" in w]
    assert not [w for w in outcome.warnings if w.startswith("ok:")]


@pytest.mark.slow  # starts a grader or the `course` command
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
    bad = outcome.results["bad"]
    assert bad.infrastructure_error and "disk on fire" in bad.reason
    error = json.loads((tmp_path / "out" / "bad" / "grader_error.json").read_text())
    assert "disk on fire" in error["extra_data"]["reason"]
    assert not outcome.results["ok"].infrastructure_error and outcome.csv.is_file()
    assert "a" in outcome.csv.read_text() and ",b," not in outcome.csv.read_text()


@pytest.mark.slow  # starts a grader or the `course` command
def test_an_interrupted_grader_session_keeps_the_earlier_grade(root, tmp_path):
    """Is a grader session interrupted by a collection error (pytest exit status 2) an infrastructure error, as
    a crash is: the earlier results.json kept byte for byte, the failure in grader_error.json?"""
    course = tmp_path / "course"  # a course whose graders include one that cannot even be imported
    for part in ("solutions", "course_lib", "course_tools", "graders", "pyproject.toml"):
        (shutil.copytree if (root / part).is_dir() else shutil.copy)(root / part, course / part)
    (course / "graders" / "test_broken_grader.py").write_text("import no_such_module_anywhere\n")
    out = tmp_path / "out"
    earlier = json.dumps({"score": 42.0, "tests": [], "extra_data": {"input_hash": "old"}})
    (out / "solutions").mkdir(parents=True)
    (out / "solutions" / "results.json").write_text(earlier)
    options = BatchOptions(root=course, out=out, gradebook_url=f"sqlite:///{tmp_path / 'gb.db'}", progress=False,
                           settings=GraderSettings(only=("softmax",)))
    outcome = Batch([course / "solutions"], options).run()
    failed = outcome.results["solutions"]
    assert failed.infrastructure_error and "interrupted (pytest exit status 2" in failed.reason
    assert (out / "solutions" / "results.json").read_text() == earlier
    assert "interrupted" in json.loads((out / "solutions" / "grader_error.json").read_text())["extra_data"]["reason"]


def _report_through_plugin(when: str, error: Exception):
    """Run the plugin's makereport wrapper on a failed `when` phase of a grader check; return the session."""
    from course_tools.judge import plugin

    state = SimpleNamespace(infrastructure=None, outcomes={}, recorded=[])
    state.record = lambda title, hint, passed, error=None: state.recorded.append((title, passed))
    config = SimpleNamespace(stash={plugin._KEY: state})
    item = SimpleNamespace(config=config, function=SimpleNamespace(check_title="softmax: rows sum to one",
                                                                   check_hint="hint"))
    call = SimpleNamespace(excinfo=SimpleNamespace(value=error))
    report = SimpleNamespace(when=when, failed=True, passed=False, longrepr="")
    steps = plugin.pytest_runtest_makereport(item, call)  # a hook wrapper: a generator around the report
    next(steps)
    with pytest.raises(StopIteration):
        steps.send(report)
    return state


def test_a_failed_fixture_is_an_infrastructure_error_not_the_students():
    """Does a failure in setting up a check (trusted fixtures such as `fashion` or `ref`) mark the session as an
    infrastructure error, while a failure in the check's call does not?"""
    setup = _report_through_plugin("setup", FileNotFoundError("train-images-idx3-ubyte"))
    assert setup.infrastructure and "train-images-idx3-ubyte" in setup.infrastructure
    call = _report_through_plugin("call", AssertionError("rows do not sum to one"))
    assert call.infrastructure is None and call.recorded == [("softmax: rows sum to one", False)]


def test_an_oversized_module_counts_as_changed_since_packing(tmp_path):
    """Does a module too large to read (the stager's None) count as changed, instead of crashing sha256(None)?"""
    import zipfile

    from course_tools.batch.integrity import changed_since_packing
    from course_tools.submission_reader import MAX_MODULE_BYTES, read
    from course_tools.submitting.manifest import build_manifest

    manifest = build_manifest("s1", "w1", {"course_lib/softmax.py": b"x = 1\n", "course_lib/losses.py": b"y = 2\n"})
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w") as archive:  # stored: a 100:1 compressed entry would be refused as a zip bomb
        archive.writestr("course_lib/softmax.py", b"#" * (MAX_MODULE_BYTES + 1))
        archive.writestr("course_lib/losses.py", b"y = 2\n")
        archive.writestr("submission.json", json.dumps(manifest))
    assert changed_since_packing(read(path), manifest) == ["course_lib/softmax.py"]
