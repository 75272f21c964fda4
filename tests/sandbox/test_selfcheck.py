"""Does grading fail closed? Without a working bubblewrap `course grade` refuses (exit 2, naming the fix) before
any student code runs; an unconfined mode is only ever an explicit opt-in, and even then a worker started by root
never keeps root's rights. Oracles: the host's file system, the host's view of file owners, the exit status."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from course_tools.contract import EXERCISES, contract_name
from course_tools import sandbox
from course_tools.judge.config import load_config
from course_tools.sandbox.selfcheck import FAIL, OK, self_check
from submissions import reference_submission

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]

MARKER_AT_IMPORT = '''
with open({marker!r}, "w") as _f:
    _f.write("student code ran")
'''

# Appended to the reference softmax.py: at import, try to delete and plant the grader's files, and leave
# a world-readable record in /tmp of what worked (the only place outside its scratch it may write).
ATTACK_AT_IMPORT = '''
import json as _json, os as _os
_done = {{"uid": _os.getuid()}}
for _what, _path in (("delete", {victim!r}), ("delete", {course_file!r})):
    try:
        _os.remove(_path)
        _done[_path] = "deleted"
    except OSError as _error:
        _done[_path] = type(_error).__name__
for _path in ({planted!r}, {course_planted!r}):
    try:
        open(_path, "w").write("planted")
        _done[_path] = "created"
    except OSError as _error:
        _done[_path] = type(_error).__name__
with open({record!r}, "w") as _f:
    _json.dump(_done, _f)
'''


def submission_with(folder: Path, code: str) -> Path:
    """The reference as a submission, with `code` appended to its softmax.py."""
    return reference_submission(folder, append={"softmax": code})


def course(*args, env=None, python=sys.executable, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "course_tools.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def without_mode(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != sandbox.MODE_ENV}
    return env | extra


def softmax_points(root: Path) -> float:
    """The points of the softmax module's checks in grading.toml: a correct softmax.py earns exactly these."""
    checks = load_config(root / "graders" / "grading.toml")
    return sum(c.points for t, c in checks.items() if contract_name(t) in EXERCISES["softmax"])


def test_grade_refuses_without_bubblewrap_and_runs_no_student_code(tmp_path, data_root):
    """Without bwrap on PATH, does `course grade` exit 2 naming the fix, before any student code ran?"""
    marker = tmp_path / f"student-code-ran-{uuid.uuid4().hex}"
    submission = submission_with(tmp_path / "sub", MARKER_AT_IMPORT.format(marker=str(marker)))
    (tmp_path / "empty-bin").mkdir()
    run = course("grade", submission, "--out", tmp_path / "out", "--data-root", data_root,
                 env=without_mode(PATH=str(tmp_path / "empty-bin")))
    assert run.returncode == 2, run.stderr
    assert "bubblewrap (bwrap) is not installed" in run.stderr and "apt-get install bubblewrap" in run.stderr
    assert "grading is refused" in run.stderr and "--unsafe-no-sandbox" in run.stderr
    assert not marker.exists()  # oracle: the host's file system: the submission was never imported
    assert not (tmp_path / "out").exists()


def test_an_unknown_mode_is_refused_not_a_fallback(tmp_path):
    """Is COURSE_SANDBOX=rlimits (the old silent fallback's name) an error that lists the modes?"""
    run = course("sandbox-check", env=without_mode(**{sandbox.MODE_ENV: "rlimits"}))
    assert run.returncode == 2
    assert "'rlimits' is not a sandbox mode" in run.stderr and "bubblewrap, none, container, own" in run.stderr


def test_the_self_check_confines_a_real_worker_here(monkeypatch):
    """With bubblewrap (as make test installs it), does the self-check pass every finding?"""
    monkeypatch.delenv(sandbox.MODE_ENV, raising=False)
    report = self_check()
    assert report.ok and report.mode == sandbox.BUBBLEWRAP, "\n".join(report.lines())
    names = {f.name: f.status for f in report.findings}
    assert set(names.values()) == {OK}
    assert {"worker start", "network", "processes", "files", "uid", "grader's files"} <= set(names)


def test_the_self_check_sees_an_unconfined_worker(monkeypatch):
    """Does the self-check judge a worker that is not confined as such (own mode with bwrap pretended broken)?"""
    monkeypatch.setenv(sandbox.MODE_ENV, sandbox.OWN)
    monkeypatch.setattr(sandbox, "bubblewrap_error", lambda: "pretended broken")
    report = self_check()
    status = {f.name: f.status for f in report.findings}
    assert status["network"] != OK and status["processes"] != OK and status["files"] != OK
    # oracle: the host-side canary, which the unconfined probe (our code, as us) could delete
    assert status["grader's files"] != OK
    if os.geteuid() == 0:
        assert status["uid"] == FAIL and not report.ok  # own mode never drops root: never fit for grading


def test_the_unsafe_opt_in_never_keeps_the_graders_rights(relocated_course, tmp_path, data_root):
    """With --unsafe-no-sandbox, run as root, can a submission neither delete nor create the grader's files
    outside its scratch, while it is still graded? (As another user it would keep that user's rights: the
    self-check must say so, and no hostile code is run. From a venv that the fresh uid cannot read, grading is
    refused with the fix.)"""
    env = without_mode()
    if os.geteuid() != 0:
        run = course("sandbox-check", env=env | {sandbox.MODE_ENV: sandbox.NONE}, python=relocated_course.python,
                     cwd=relocated_course.root)
        assert "it can read, change and delete your files" in run.stdout + run.stderr
        return
    if not relocated_course.packages_readable:  # a venv in a home of mode 700: the fresh uid could not read torch
        run = course("grade", submission_with(tmp_path / "attacker", "raise SystemExit('must never run')"), "--out",
                     tmp_path / "out", "--only=softmax", "--unsafe-no-sandbox", "--data-root", data_root, env=env,
                     python=relocated_course.python, cwd=relocated_course.root)
        assert run.returncode == 2 and "grading is refused" in run.stderr, run.stderr[-3000:]  # fail closed
        assert "cannot read this Python installation" in run.stderr and not (tmp_path / "out" / "attacker").exists()
        return
    guarded = tmp_path / "grader"
    guarded.mkdir(mode=0o755)
    victim = guarded / "gradebook.db"
    victim.write_text("grades")
    course_file = relocated_course.root / "solutions" / "course_lib" / "losses.py"
    before = course_file.read_bytes()
    record = Path("/tmp") / f"attack-record-{uuid.uuid4().hex}.json"
    code = ATTACK_AT_IMPORT.format(victim=str(victim), course_file=str(course_file), planted=str(guarded / "planted.py"),
                                   course_planted=str(relocated_course.root / "planted.py"), record=str(record))
    submission = submission_with(tmp_path / "attacker", code)
    try:
        run = course("grade", submission, "--out", tmp_path / "out", "--only=softmax", "--unsafe-no-sandbox",
                     "--data-root", data_root, env=env, python=relocated_course.python, cwd=relocated_course.root)
        assert run.returncode == 0, run.stderr[-3000:]
        assert "WARNING: --unsafe-no-sandbox" in run.stderr
        done = json.loads(record.read_text())  # the attack ran: it wrote its record
        assert record.stat().st_uid not in (0, os.getuid()) and done["uid"] == record.stat().st_uid  # oracle: the host's owner
    finally:
        record.unlink(missing_ok=True)
    assert victim.read_text() == "grades" and sorted(os.listdir(guarded)) == ["gradebook.db"]  # oracle: the host
    assert course_file.read_bytes() == before and not (relocated_course.root / "planted.py").exists()
    assert set(done.values()) - {done["uid"]} <= {"PermissionError"}, done
    results = json.loads((tmp_path / "out" / "attacker" / "results.json").read_text())
    assert results["score"] == softmax_points(relocated_course.root) > 0  # still graded: softmax.py is correct
