"""Does `course prairielearn` write a question PrairieLearn accepts, and does its entrypoint, in a simulated /grade
(PrairieLearn's docs/externalGrading.md: serverFilesCourse/, student/, data/data.json; results/ made by the
grader), grade with the question's own graders and write results.json in PrairieLearn's format?"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from submissions import completed_labs

from course_tools.contract import EXERCISE_MODULES

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
COURSE = "softmax_course"


@pytest.fixture(scope="module")
def question(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("prairielearn")
    run = subprocess.run([sys.executable, "-m", "course_tools.cli", "prairielearn", "--out", str(out),
                          "--image", "example/softmax-grader:1"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    return out


def test_the_question_is_externally_graded_with_a_file_upload(question):
    """info.json as PrairieLearn's schema (apps/prairielearn/src/schemas/infoQuestion.ts) and externalGrading.md
    describe it; question.html uploads files; the entrypoint and the graders are under serverFilesCourse/."""
    info = json.loads((question / "questions" / "softmaxRegression" / "info.json").read_text())
    assert info["gradingMethod"] == "External" and info["type"] == "v3" and len(info["uuid"]) == 36
    options = info["externalGradingOptions"]
    assert options["image"] == "example/softmax-grader:1" and options["serverFilesCourse"] == [f"{COURSE}/"]
    assert 300 <= options["timeout"] <= 600  # externalGrading.md: at most 600 s; the suite trains twice
    entrypoint = Path(options["entrypoint"].replace("/grade/serverFilesCourse", str(question / "serverFilesCourse")))
    assert entrypoint.is_file() and os.access(entrypoint, os.X_OK)
    assert subprocess.run(["bash", "-n", str(entrypoint)]).returncode == 0
    html = (question / "questions" / "softmaxRegression" / "question.html").read_text()
    assert "<pl-file-upload" in html and all(f"{m}.py" in html for m in EXERCISE_MODULES)
    assert (question / "serverFilesCourse" / COURSE / "graders" / "grading.toml").is_file()
    assert "FROM python:3.12" in (question / "Dockerfile").read_text()


def simulate(question: Path, top: Path, student: dict[str, str], python: str, sandbox: str | None, data_root):
    """A /grade folder below `top` (no results/ yet), the entrypoint run in it; return (run, results.json)."""
    root = top / "grade"
    shutil.copytree(question / "serverFilesCourse", root / "serverFilesCourse")
    (root / "student").mkdir(parents=True)
    for name, text in student.items():
        (root / "student" / name).write_text(text)
    (root / "data").mkdir()
    (root / "data" / "data.json").write_text(json.dumps({"params": {}, "variant_seed": 4242}))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_SANDBOX")}
    env.update(GRADE_ROOT=str(root), COURSE_PYTHON=python, FASHION_MNIST_ROOT=str(data_root))
    if sandbox:
        env["COURSE_SANDBOX"] = sandbox
    run = subprocess.run(["bash", str(root / "serverFilesCourse" / COURSE / "run_prairielearn")], capture_output=True,
                         text=True, env=env, cwd=top, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    target = root / "results" / "results.json"
    assert target.stat().st_size < 1_000_000  # externalGrading.md: at most 1 MB
    return run, json.loads(target.read_text())


def reference_files() -> dict[str, str]:
    return {f"{m}.py": (ROOT / "solutions" / "course_lib" / f"{m}.py").read_text() for m in EXERCISE_MODULES}


# Appended to the reference softmax.py: at import, try to read the graders, then record what happened.
PROBE = '''
import json as _json, os as _os
try:
    open({toml!r}).read()
    _seen = "read"
except OSError as _error:
    _seen = type(_error).__name__
with open({record!r}, "w") as _f:
    _json.dump({{"uid": _os.getuid(), "graders": _seen}}, _f)
'''


def test_in_the_container_mode_the_reference_scores_one_and_cannot_read_the_grader(question, relocated_course, data_root):
    """With the container as the sandbox (the entrypoint's named opt-in, as root), does the reference score 1.0 with
    every test's points, while its code runs as an unprivileged uid that cannot read the graders?"""
    top = Path(tempfile.mkdtemp(prefix="prairielearn-", dir="/tmp"))
    os.chmod(top, 0o1777)  # as /tmp: the worker's uid may leave its record here; root's folders stay locked
    record, toml = top / "record.json", top / "grade" / "serverFilesCourse" / COURSE / "graders" / "grading.toml"
    try:
        files = reference_files()
        files["softmax.py"] += PROBE.format(toml=str(toml), record=str(record))
        run, results = simulate(question, top, files, str(relocated_course.python), None, data_root)
        assert "COURSE_SANDBOX=container" in run.stdout  # said, never a silent fallback
        if os.geteuid() != 0 or not relocated_course.packages_readable:  # fail closed: the worker cannot drop
            # root, or could not read torch once it had: the container mode is refused, and no student code runs
            assert results["gradable"] is False and not record.exists()
            return
        assert results["gradable"] is True and results["score"] == 1.0, results.get("message")
        assert all(t["points"] == t["max_points"] > 0 and t["message"] == "passed" for t in results["tests"])
        seen = json.loads(record.read_text())
        assert seen["uid"] != 0 and seen["graders"] == "PermissionError", seen
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_a_broken_softmax_scores_between_zero_and_one(question, tmp_path, data_root):
    """Uploaded as completed lab notebooks (the upload box takes .ipynb): oracle, the unshifted softmax fails the
    stability checks only (tests/corpus/mutants.py, softmax_no_max), so 0 < score < 1, and a failed test says so."""
    labs = completed_labs(tmp_path / "labs", replace={"softmax": ("X_exp = torch.exp(X - X_max)", "X_exp = torch.exp(X)")})
    files = {path.name: path.read_text() for path in labs.glob("*.ipynb")}
    _, results = simulate(question, tmp_path, files, sys.executable, "bubblewrap", data_root)  # bwrap works here
    assert results["gradable"] is True and 0 < results["score"] < 1, results.get("message")
    assert {t["name"] for t in results["tests"] if t["points"] < t["max_points"]} == {
        "softmax: stable for extreme logits", "softmax: invariant to shifts"}
    assert any(t["points"] < t["max_points"] and t["message"] == "failed" for t in results["tests"])
    assert all({"name", "points", "max_points", "message"} <= set(t) for t in results["tests"])


def test_a_malformed_upload_is_not_gradable_with_the_reason(question, tmp_path, data_root):
    """An upload with no module is `gradable: false` with format_errors naming what was uploaded: no attempt lost."""
    _, results = simulate(question, tmp_path, {"notes.txt": "I forgot my code"}, sys.executable, "bubblewrap", data_root)
    assert results["gradable"] is False and "notes.txt" in results["format_errors"][0]


def test_without_a_working_sandbox_no_student_code_runs(question, tmp_path, data_root):
    """Fail closed: with a sandbox mode that cannot work, the result is not gradable (no attempt lost) and the
    upload's code never ran (oracle: its import-time record is absent)."""
    record = tmp_path / "ran.txt"
    files = reference_files()
    files["softmax.py"] += f"\nopen({str(record)!r}, 'w').write('ran')\n"
    run, results = simulate(question, tmp_path, files, sys.executable, "no-such-mode", data_root)
    assert results["gradable"] is False and "not your fault" in results["message"]
    assert not record.exists() and "no-such-mode" in run.stdout + run.stderr
