"""The batch's pieces without grading anything: late penalties, course config, input hashes, CSV, feedback, gradebook."""

import csv
import datetime as dt
import io
import shutil

import pytest

from course_tools.course_config import (
    CourseConfigError,
    LatePolicy,
    load_course_config,
)
from course_tools.batch.csv_export import render
from course_tools.batch.feedback import render_html, render_markdown
from course_tools.grading_results import CheckResult, GradingResults, State
from course_tools.judge.fingerprint import input_hash
from course_tools.batch.clock import CLAIMED, NBGRADER, RECEIPTS, Clock, SubmissionTime, read_receipts
from course_tools.batch.penalties import assess, late_fraction, split_penalty
from course_tools.judge.launcher import GraderSettings

UTC = dt.UTC
DUE = dt.datetime(2027, 1, 31, 23, 59, tzinfo=UTC)
HOUR, DAY = 3600.0, 86400.0


@pytest.mark.parametrize("seconds_late,expected", [
    (0, 0.0), (10 * 60, 0.0),            # within the 15-minute grace period
    (16 * 60, 0.1),                      # a started day after the grace period
    (DAY + 15 * 60, 0.1), (DAY + 16 * 60, 0.2),
    (30 * DAY, 0.5),                     # capped at max_percent
])
def test_late_fraction_per_started_day_after_grace_capped(seconds_late, expected):
    """Is the penalty 10 % per started day after 15 minutes' grace, never above 50 %?"""
    policy = LatePolicy(grace_minutes=15, percent_per_day=10, max_percent=50)
    assert late_fraction(seconds_late, policy) == pytest.approx(expected)


def _at(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso)


def test_assess_penalises_a_recorded_time_and_explains_no_penalty():
    """Does a recorded time a day late cost 10 %, on time nothing, and do a missing due date or time give no penalty
    with a note?"""
    policy = LatePolicy(percent_per_day=10)
    late = assess(SubmissionTime(_at("2027-02-01T23:59:00+00:00"), RECEIPTS), DUE, policy)
    assert late["seconds_late"] == DAY and late["fraction"] == pytest.approx(0.1) and late["source"] == RECEIPTS
    assert assess(SubmissionTime(_at("2027-01-31T23:00:00+00:00"), NBGRADER), DUE, policy)["fraction"] == 0
    assert "no due date" in assess(SubmissionTime(_at("2030-01-01T00:00:00+00:00"), RECEIPTS), None, policy)["note"]
    unknown = assess(SubmissionTime(None, None), DUE, policy)
    assert unknown["fraction"] == 0 and "no recorded or readable submission time" in unknown["note"]
    assert split_penalty({"softmax": 20.0, "losses": 0.0}, 0.25) == {"softmax": 5.0, "losses": 0.0}


def test_a_claimed_time_is_penalised_only_when_the_course_trusts_claims():
    """Is a day late by the student's own submission.json no penalty (with a note saying why), unless course.toml
    sets trust_claimed_times?"""
    claimed = SubmissionTime(_at("2027-02-01T23:59:00+00:00"), CLAIMED)
    untrusted = assess(claimed, DUE, LatePolicy(percent_per_day=10))
    assert untrusted["fraction"] == 0 and untrusted["seconds_late"] == DAY and "claimed" in untrusted["note"]
    trusted = assess(claimed, DUE, LatePolicy(percent_per_day=10, trust_claimed_times=True))
    assert trusted["fraction"] == pytest.approx(0.1) and trusted["source"] == CLAIMED


def test_the_clock_prefers_a_recorded_time_to_the_claim():
    """Does a receipt (by student id or by the submission's file name) win over the manifest's timestamp, and is the
    manifest's time a claim when no receipt names the student?"""
    clock = Clock({"s1": _at("2027-02-02T00:00:00+00:00"), "s3-week-3.zip": _at("2027-02-03T00:00:00+00:00")}, RECEIPTS)
    manifest = {"timestamp": "2027-01-01T00:00:00Z"}
    assert clock.time_of("s1", "s1-week-3.zip", manifest) == SubmissionTime(_at("2027-02-02T00:00:00+00:00"), RECEIPTS)
    assert clock.time_of("s3", "s3-week-3.zip", manifest).when == _at("2027-02-03T00:00:00+00:00")
    assert clock.time_of("s2", "s2.zip", manifest) == SubmissionTime(_at("2027-01-01T00:00:00+00:00"), CLAIMED)
    assert clock.time_of("s2", "s2.zip", {}) == SubmissionTime(None, None)


def test_receipts_keep_the_last_hand_in(tmp_path):
    """Does a student received twice keep the later time (read as UTC)?"""
    path = tmp_path / "receipts.csv"
    path.write_text("student_id,received_at\ns1,2027-02-01T10:00:00Z\ns1,2027-02-02T10:00:00+01:00\n")
    assert read_receipts(path) == {"s1": _at("2027-02-02T09:00:00+00:00")}


@pytest.mark.parametrize("text, message", [
    ("student_id,received_at\ns1,yesterday\n", "row 2"),
    ("student,when\ns1,2027-02-01T10:00:00Z\n", "student_id, received_at"),
    ("student_id,received_at\n,2027-02-01T10:00:00Z\n", "no student_id"),
])
def test_a_bad_receipts_file_is_named_with_its_row(tmp_path, text, message):
    """Do a bad time, missing columns or a missing id raise CourseConfigError naming the file and row?"""
    path = tmp_path / "receipts.csv"
    path.write_text(text)
    with pytest.raises(CourseConfigError, match=message):
        read_receipts(path)


EXTENDED = '[assignment]\ndue = 2027-01-31T23:59:00Z\n[extensions]\n'


def test_extensions_give_a_student_their_own_due_date(tmp_path):
    """Does an extension by date or by extra hours move that student's due date only?"""
    path = tmp_path / "course.toml"
    path.write_text(EXTENDED + 's1 = { extra_hours = 48, reason = "disability office" }\ns2 = { due = 2027-02-10T12:00:00Z }\n')
    config = load_course_config(path)
    assert config.due_for("s1") == DUE + dt.timedelta(hours=48) and config.extensions["s1"].reason == "disability office"
    assert config.due_for("s2") == dt.datetime(2027, 2, 10, 12, tzinfo=UTC) and config.due_for("s3") == DUE


def test_an_extension_removes_the_penalty_on_the_plain_route(tmp_path):
    """Finishing two submissions received 30 h after the due date (receipts): does the student with 48 extra hours
    keep every point, the other lose two started days' 10 %, and does each one's feedback show their own due date?"""
    from course_tools.batch.finish import Finisher
    from course_tools.batch.gradebook import CourseGradebook
    from course_tools.judge.config import CheckConfig

    path = tmp_path / "course.toml"
    path.write_text(EXTENDED + 's1 = { extra_hours = 48 }\n[late_penalty]\npercent_per_day = 10\n')
    config = load_course_config(path)
    received = DUE + dt.timedelta(hours=30)
    clock = Clock({"s1": received, "s2": received}, RECEIPTS)
    checks = {"softmax: rows sum to one": CheckConfig(100.0, "visible")}
    with CourseGradebook(f"sqlite:///{tmp_path / 'gb.db'}") as gradebook:
        exercises = gradebook.define_assignment(config.assignment, DUE, checks)
        finish = Finisher(config, exercises, "v1", tmp_path / "out", clock)
        finals = {}
        for student in ("s1", "s2"):
            (tmp_path / student).mkdir()
            results = GradingResults(State.GRADED, [CheckResult("softmax: rows sum to one", 100.0, 100.0, True)],
                                     student_id=student)
            finals[student] = finish(gradebook, tmp_path / student, results, "key").final_score
    assert finals == {"s1": 100.0, "s2": 80.0}  # oracle: 30 h late is two started days at 10 %; s1's 48 h cover it
    assert "Your due date: 2027-02-02 23:59 UTC" in (tmp_path / "out" / "s1" / "feedback.md").read_text()
    assert "Your due date: 2027-01-31 23:59 UTC" in (tmp_path / "out" / "s2" / "feedback.md").read_text()


@pytest.mark.parametrize("entry, message", [
    ("s1 = { days = 2 }", "extensions.s1"),
    ("s1 = { due = 2027-02-01T00:00:00Z, extra_hours = 1 }", "exactly one of due and extra_hours"),
])
def test_a_malformed_extension_is_named(tmp_path, entry, message):
    """Is an extension with an unknown key, or with both a date and extra hours, an error naming it?"""
    path = tmp_path / "course.toml"
    path.write_text(EXTENDED + entry + "\n")
    with pytest.raises(CourseConfigError, match=message):
        load_course_config(path)


def test_course_config_values_and_errors(tmp_path):
    """Are the due date (as UTC) and policy read, defaults used without a file, and bad values named?"""
    path = tmp_path / "course.toml"
    path.write_text('[assignment]\nname = "w1"\ndue = 2027-01-31T23:59:00+01:00\n[late_penalty]\npercent_per_day = 5\n')
    config = load_course_config(path)
    assert config.assignment == "w1" and config.due == dt.datetime(2027, 1, 31, 22, 59, tzinfo=UTC)
    assert config.late == LatePolicy(0, 5, 100)
    assert load_course_config(tmp_path / "absent.toml").due is None
    path.write_text('[assignment]\ndue = "next friday"\n')
    with pytest.raises(CourseConfigError, match="assignment.due"):
        load_course_config(path)
    path.write_text('[late_penalty]\npercent_per_day = -1\n')
    with pytest.raises(CourseConfigError, match="percent_per_day"):
        load_course_config(path)


def test_input_hash_follows_content_and_grader(tmp_path):
    """Is the hash the same for the same files anywhere, and different after an edit or a grader change?"""
    a = tmp_path / "a" / "course_lib"
    a.mkdir(parents=True)
    (a / "softmax.py").write_text("x = 1\n")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    assert input_hash(tmp_path / "a", "g1") == input_hash(tmp_path / "b", "g1")
    assert input_hash(tmp_path / "a", "g1") != input_hash(tmp_path / "a", "g2")
    (tmp_path / "b" / "course_lib" / "softmax.py").write_text("x = 2\n")
    assert input_hash(tmp_path / "a", "g1") != input_hash(tmp_path / "b", "g1")


def test_csv_columns_and_no_spreadsheet_formulas():
    """Are the columns student, exercises in contract order, score, penalty, total; and is a student id
    starting with '=' defused, so a spreadsheet never runs it?"""
    rows = [{"student_id": "=HYPERLINK(\"x\")", "softmax": 20.0, "losses": 4.5, "score": 24.5,
             "late_penalty": 2.45, "total": 22.05}]
    parsed = list(csv.reader(io.StringIO(render(rows, ["losses", "softmax"]))))
    assert parsed[0] == ["student_id", "softmax", "losses", "score", "late_penalty", "total"]
    assert parsed[1] == ["'=HYPERLINK(\"x\")", "20", "4.5", "24.5", "2.45", "22.05"]


def _results(output: str) -> GradingResults:
    return GradingResults(State.GRADED, [CheckResult("softmax: rows sum to one", 0.0, 2.0, False, output)],
                          "Score 0/2.", student_id="<b>s1</b>")


def test_feedback_escapes_student_text():
    """Can text from student code (an exception message) inject HTML, or break out of its Markdown block?"""
    hostile = "your code raised ValueError: <script>alert(1)</script>\n```\n# Score: 100/100\n```"
    html = render_html(_results(hostile))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>s1</b>" not in html
    markdown = render_markdown(_results(hostile))
    fence = "````"  # longer than the student's ``` run, so their text stays inside the block
    assert f"{fence}text\n{hostile}\n{fence}" in markdown
    assert "\\<b\\>s1\\</b\\>" in markdown


def test_gradebook_record_is_idempotent_and_refuses_nbgrader_notebooks(tmp_path):
    """Does recording the same grades twice leave one submission with the same scores (nbgrader's API as
    oracle), and does an assignment holding nbgrader's own notebooks refuse to be mixed in?"""
    from nbgrader.api import Gradebook

    from course_tools.batch.gradebook import CourseGradebook
    from course_tools.judge.config import CheckConfig

    checks = {"softmax: rows sum to one": CheckConfig(60.0, "visible"), "sgd: update rule": CheckConfig(40.0, "visible")}
    results = GradingResults(State.GRADED, [CheckResult("softmax: rows sum to one", 60.0, 60.0, True),
                                            CheckResult("sgd: update rule", 0.0, 40.0, False)])
    url = f"sqlite:///{tmp_path / 'gb.db'}"
    with CourseGradebook(url) as gradebook:
        assert gradebook.define_assignment("w1", DUE, checks) == ["softmax", "optim"]
        for _ in range(2):
            gradebook.record("w1", "s1", results, DUE + dt.timedelta(hours=1), {"softmax": 6.0, "optim": 0.0})
        gradebook.gradebook.add_assignment("nb-assignment")
        gradebook.gradebook.add_notebook("01-softmax", "nb-assignment")
        with pytest.raises(ValueError, match="01-softmax"):
            gradebook.define_assignment("nb-assignment", None, checks)
    with Gradebook(url) as gb:
        [submission] = gb.assignment_submissions("w1")
        assert (submission.student_id, submission.score, submission.late_submission_penalty) == ("s1", 60.0, 6.0)
        assert submission.timestamp == dt.datetime(2027, 2, 1, 0, 59)
        assert gb.find_assignment("nb-assignment").duedate is None


@pytest.mark.slow  # the oracle, nbgrader's own stamping, runs `alembic heads` in a subprocess
def test_a_new_gradebook_is_the_database_nbgrader_makes(tmp_path, monkeypatch):
    """Does stamping a new gradebook in-process give the tables and alembic version nbgrader's own Gradebook
    writes into an empty database (nbgrader as oracle), and leave an existing gradebook alone?"""
    import sqlite3

    from nbgrader.api import Gradebook

    from course_tools.batch.gradebook import stamp_new_database
    from course_tools.release.assignment import nbgrader_env

    def schema(path):
        with sqlite3.connect(path) as db:
            tables = db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
            return tables, db.execute("SELECT version_num FROM alembic_version").fetchall()

    monkeypatch.setenv("PATH", nbgrader_env()["PATH"])  # nbgrader's own stamping runs `alembic` by name
    Gradebook(f"sqlite:///{tmp_path / 'nbgrader.db'}").close()
    stamp_new_database(f"sqlite:///{tmp_path / 'ours.db'}")
    assert schema(tmp_path / "ours.db") == schema(tmp_path / "nbgrader.db")  # same tables, same alembic head
    stamp_new_database(f"sqlite:///{tmp_path / 'ours.db'}")
    assert schema(tmp_path / "ours.db")[1] == schema(tmp_path / "nbgrader.db")[1]  # stamped once, not twice


def test_files_changed_after_packing_are_named(tmp_path):
    """Is a module edited after `course submit` wrote its sha256 named, also one folder deep, and an intact one not?"""
    import json
    import zipfile

    from course_tools.batch.integrity import changed_since_packing
    from course_tools.submission_reader import read
    from course_tools.submitting.manifest import build_manifest

    files = {"course_lib/softmax.py": b"x = 1\n", "course_lib/losses.py": b"y = 2\n"}
    manifest = build_manifest("s1", "w1", files)
    for prefix, edited in (("", False), ("my-work/", True)):
        archive_path = tmp_path / f"{prefix.strip('/') or 'flat'}.zip"
        with zipfile.ZipFile(archive_path, "w") as archive:
            for name, data in files.items():
                archive.writestr(prefix + name, b"x = 666\n" if edited and name.endswith("softmax.py") else data)
            archive.writestr(prefix + "submission.json", json.dumps(manifest))
        expected = ["course_lib/softmax.py"] if edited else []
        assert changed_since_packing(read(archive_path), manifest) == expected
    assert changed_since_packing(None, manifest) == []  # unreadable: the grader reports that itself


@pytest.mark.slow  # starts a grader or the `course` command
def test_grade_refuses_bad_input_before_grading(tmp_path):
    """Do a missing submission, a course without graders, a broken course.toml and a data root without
    Fashion-MNIST each give exit 2 and a reason?"""
    import subprocess
    import sys

    def grade(*args):
        return subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", *map(str, args), "--out",
                               str(tmp_path / "out")], capture_output=True, text=True, timeout=120)

    (tmp_path / "sub" / "course_lib").mkdir(parents=True)
    missing = grade(tmp_path / "nowhere.zip")
    assert missing.returncode == 2 and "nowhere.zip does not exist" in missing.stderr
    (tmp_path / "fork" / "course_lib").mkdir(parents=True)
    no_graders = grade(tmp_path / "sub", "--root", tmp_path / "fork")
    assert no_graders.returncode == 2 and "has no graders/grading.toml" in no_graders.stderr
    (tmp_path / "bad.toml").write_text('[assignment]\ndue = "soon"\n')
    bad_config = grade(tmp_path / "sub", "--config", tmp_path / "bad.toml")
    assert bad_config.returncode == 2 and "assignment.due" in bad_config.stderr
    (tmp_path / "empty").mkdir()
    no_data = grade(tmp_path / "sub", "--data-root", tmp_path / "empty")
    assert no_data.returncode == 2 and "cannot grade without Fashion-MNIST" in no_data.stderr
    assert "looked in: " + str(tmp_path / "empty" / "FashionMNIST" / "raw") in no_data.stderr
    assert not (tmp_path / "out").exists()  # nothing was written


def test_grader_options_change_the_grader_version(root, monkeypatch):
    """Does grading with options such as --only count as a different grader, so a later full run regrades?"""
    from course_tools.judge.fingerprint import grader_version

    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    plain = grader_version(root)
    monkeypatch.setenv("PYTEST_ADDOPTS", "--only=softmax")
    assert grader_version(root) != plain


def test_plugin_options_are_part_of_the_grader_version(root, monkeypatch):
    """Does `course grade --only softmax` count as a different grader from a full run?"""
    from course_tools.judge.fingerprint import grader_version

    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    only = GraderSettings(only=("softmax",))
    assert grader_version(root, only) != grader_version(root)
    assert grader_version(root, only) == grader_version(root, GraderSettings(only=("softmax",)))  # stable
    assert grader_version(root, GraderSettings(call_timeout=10)) != grader_version(root)  # a different clock, too


@pytest.mark.slow  # starts a grader or the `course` command
def test_unknown_only_module_is_a_usage_error(root, tmp_path):
    """Does `course grade --only` with a module that does not exist stop at once with exit status 2?"""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", str(root / "solutions"), "--out",
                             str(tmp_path / "out"), "--only", "softmax,nonsense"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no exercise module nonsense" in result.stderr
    assert not (tmp_path / "out").exists()  # nothing written


def test_grader_version_follows_helpers_contract_and_data(root, tmp_path, monkeypatch):
    """Do the staged helpers, the contract and the data files' sizes count as part of the grader (a resumed
    batch must regrade when any of them changes)?"""
    from course_tools.judge.fingerprint import GRADER_SOURCES, grader_version

    assert {"course_lib/data.py", "course_lib/batches.py", "course_lib/idx.py", "course_lib/__init__.py",
            "course_tools/contract.py"} <= set(GRADER_SOURCES)
    fork = tmp_path / "fork"
    shutil.copytree(root / "course_lib", fork / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    (fork / "course_tools").mkdir()
    shutil.copy(root / "course_tools" / "contract.py", fork / "course_tools" / "contract.py")
    raw = tmp_path / "data" / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        (raw / name).write_bytes(b"\0" * 16)
    monkeypatch.setenv("FASHION_MNIST_ROOT", str(tmp_path / "data"))
    versions = [grader_version(fork)]
    (fork / "course_lib" / "idx.py").write_text("# changed\n")
    versions.append(grader_version(fork))
    (fork / "course_tools" / "contract.py").write_text("# changed\n")
    versions.append(grader_version(fork))
    (raw / "t10k-labels-idx1-ubyte").write_bytes(b"\0" * 17)
    versions.append(grader_version(fork))
    assert len(set(versions)) == 4 and grader_version(fork) == versions[-1]


@pytest.mark.parametrize("text,match", [
    ('assignment = "w1"\n', "assignment must be a table"),
    ('late_penalty = 5\n', "late_penalty must be a table"),
])
def test_course_config_tables_of_the_wrong_kind_are_named(tmp_path, text, match):
    """Is `assignment = "w1"` (a string, not a table) a CourseConfigError naming it, not an AttributeError?"""
    path = tmp_path / "course.toml"
    path.write_text(text)
    with pytest.raises(CourseConfigError, match=match):
        load_course_config(path)


def test_grading_config_entry_without_points_is_named(tmp_path):
    """Is a check without `points` a ValueError naming the check, not a KeyError?"""
    from course_tools.judge.config import load_config

    path = tmp_path / "grading.toml"
    path.write_text('total = 10\n[checks."softmax: rows sum to one"]\nvisibility = "visible"\n')
    with pytest.raises(ValueError, match="'softmax: rows sum to one' needs points"):
        load_config(path)
