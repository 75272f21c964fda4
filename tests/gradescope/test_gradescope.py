"""Does the Gradescope autograder zip hold runnable scripts, and does run_autograder, in a simulated
/autograder layout, grade with the zip's own graders and write a valid results.json?"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from course_tools.contract import EXERCISES, contract_name
from course_tools.judge.config import VISIBILITIES, load_config
from submissions import completed_labs, reference_submission

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
SOLVED = "softmax"
MARKED = '"softmax: rows sum to one" = { points = 2 }'


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory, data_root) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    run = subprocess.run([sys.executable, "-m", "course_tools.cli", "gradescope", "--out", str(out),
                          "--data-root", str(data_root)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    return out


def test_zip_has_executable_scripts_that_parse(autograder_zip, tmp_path):
    """Are setup.sh and run_autograder at the top of the zip, executable, and valid bash (`bash -n`)?"""
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(archive.getinfo(script).external_attr >> 16) & 0o111 == 0o111
            (tmp_path / script).write_bytes(archive.read(script))
            check = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
    assert {"pyproject.toml", "graders/grading.toml", "solutions/course_lib/softmax.py",
            "course_tools/judge/plugin.py", "data/FashionMNIST/raw/train-images-idx3-ubyte"} <= names
    assert not any("__pycache__" in name for name in names)


def test_run_autograder_in_a_simulated_layout(autograder_zip, tmp_path):
    """Does run_autograder grade /autograder/submission (the lab notebook as a student uploads it: its softmax part
    solved, the rest as released) with the zip's graders and the bundled data, seeded from the Gradescope sid, and write a
    results.json Gradescope accepts?"""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")  # where Gradescope unpacks the autograder
    toml = root / "source" / "graders" / "grading.toml"
    assert toml.read_text().count(MARKED) == 1
    toml.write_text(toml.read_text().replace(MARKED, MARKED[:-2] + ', visibility = "after_due_date" }'))
    completed_labs(root / "submission", modules=(SOLVED,), rename=lambda name: f"my {name}")
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"sid": "s-4242", "email": "x@y.z"}]}))
    env = {k: v for k, v in os.environ.items() if k not in ("FASHION_MNIST_ROOT", "PYTHONPATH")}
    env.update(AUTOGRADER_ROOT=str(root), COURSE_PYTHON=sys.executable, COURSE_SANDBOX="bubblewrap")  # bwrap works here
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    checks = load_config(toml)
    # oracle: the softmax module's points in grading.toml; nothing else is implemented
    expected = sum(c.points for t, c in checks.items() if contract_name(t) in EXERCISES[SOLVED])
    assert results["score"] == expected > 0
    assert {t["name"] for t in results["tests"]} == set(checks)
    for test in results["tests"]:
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES
        assert isinstance(test["output"], str)
    assert sum(t["score"] for t in results["tests"]) == results["score"]
    by_name = {t["name"]: t for t in results["tests"]}
    assert by_name["softmax: rows sum to one"]["visibility"] == "after_due_date"  # the zip's graders ran
    assert results["extra_data"]["student_id"] == "s-4242" and results["stdout_visibility"] == "hidden"


def test_a_submission_without_course_lib_still_gets_results(autograder_zip, tmp_path):
    """Does an upload with no course_lib/ give results.json saying why (score 0), not an autograder crash?"""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    (root / "submission").mkdir()
    (root / "submission" / "notes.txt").write_text("I forgot my code")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(AUTOGRADER_ROOT=str(root), COURSE_PYTHON=sys.executable, COURSE_SANDBOX="bubblewrap")  # bwrap works here
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                         env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and results["extra_data"]["not_gradable"] is True
    assert "no course_lib" in results["output"]


# Appended to the reference softmax.py: at import, try to read the graders and results, and forge results.json.
STEAL = '''
import json as _json, os as _os
_seen = {{"uid": _os.getuid()}}
for _path in ({toml!r}, {results!r}):
    try:
        open(_path).read()
        _seen[_path] = "read"
    except OSError as _error:
        _seen[_path] = type(_error).__name__
try:
    open({results!r}, "w").write('{{"score": 100}}')
    _seen["forged"] = "written"
except OSError as _error:
    _seen["forged"] = type(_error).__name__
with open({record!r}, "w") as _f:
    _json.dump(_seen, _f)
'''


def test_in_the_container_mode_student_code_sees_no_source_and_writes_no_results(autograder_zip, relocated_course):
    """With the container as the sandbox (run_autograder's named opt-in, as root), can student code neither read
    the graders nor touch results/, while the trusted side writes the real results.json?"""
    top = Path(tempfile.mkdtemp(prefix="gradescope-", dir="/tmp"))
    os.chmod(top, 0o1777)  # as /tmp: the worker's fresh uid may leave its record here; root's folders stay locked
    root, record = top / "autograder", top / "record.json"
    try:
        with zipfile.ZipFile(autograder_zip) as archive:
            archive.extractall(root / "source")
        toml, results = root / "source" / "graders" / "grading.toml", root / "results" / "results.json"
        reference_submission(root / "submission", append={
            "softmax": STEAL.format(toml=str(toml), results=str(results), record=str(record))})
        env = {k: v for k, v in os.environ.items() if k not in ("FASHION_MNIST_ROOT", "PYTHONPATH", "COURSE_SANDBOX")}
        env.update(AUTOGRADER_ROOT=str(root), COURSE_PYTHON=str(relocated_course.python))
        run = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                             env=env, cwd=top, timeout=900)
        assert run.returncode == 0, run.stderr[-3000:]
        assert "COURSE_SANDBOX=container" in run.stdout  # said, never a silent fallback
        graded = json.loads(results.read_text())
        if os.geteuid() != 0 or not relocated_course.packages_readable:  # fail closed: the worker cannot drop
            # root, or could not read torch once it had: the container mode is refused, and no student code runs
            assert graded["extra_data"]["infrastructure_error"] is True and not record.exists()
            return
        seen = json.loads(record.read_text())  # the attack ran, as an unprivileged uid (oracle: the host's owner)
        assert seen["uid"] == record.stat().st_uid != 0
        assert seen[str(toml)] == seen[str(results)] == seen["forged"] == "PermissionError", seen
        assert graded["score"] == 100  # the trusted side's results: the reference, its attack changing no value
    finally:
        shutil.rmtree(top, ignore_errors=True)
