"""Is the student's own code, run in `course check`'s own process, held to the sandboxed worker's contract,
and is that mode refused wherever a grade is decided?"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test here starts a Python that imports torch

ROOT = Path(__file__).resolve().parents[2]

# Run in a child: the in-process worker puts the stage first on sys.path and forgets any imported course_lib.
PROBE = r'''
import json, sys
from pathlib import Path
from course_tools.sandbox.client import StudentError, WorkerTimeout
from course_tools.own_code import InProcessWorker
stage = Path(sys.argv[1])
worker, seen = InProcessWorker(stage, timeout=1.0), {}
try:
    worker.request("call", "softmax", name="softmax", args=[[1.0]])
except WorkerTimeout as error:
    seen["loop"] = str(error)
seen["after"] = worker.request("call", "softmax", name="log_softmax", args=[2.0])["result"]
try:
    worker.request("call", "softmax", name="broken", args=[])
except StudentError as error:
    seen["error"] = [error.type_name, error.message, error.frames]
seen["printed"] = worker.output.getvalue()
seen["module"] = sys.modules["course_lib.softmax"].__file__
print(json.dumps(seen))
'''

STUDENT = '''
def softmax(X):
    print("student output")
    while True:
        try:
            pass
        except Exception:
            pass

def log_softmax(x):
    return x + 1

def broken():
    return 1 / 0
'''


def test_a_loop_times_out_output_stays_out_and_errors_keep_their_frames(tmp_path):
    """Does a loop end at its time limit (the next call still answers), does what the code prints stay out of
    the report, and does an exception come back as the sandboxed worker's StudentError with the student's frame?"""
    lib = tmp_path / "stage" / "course_lib"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text("")
    (lib / "softmax.py").write_text(STUDENT)
    result = subprocess.run([sys.executable, "-c", PROBE, str(lib.parent)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert "no answer within 1 s" in seen["loop"]
    assert seen["after"] == 3.0  # oracle: log_softmax above
    assert seen["error"][:2] == ["ZeroDivisionError", "division by zero"]
    assert seen["error"][2][-1][:3] == ["softmax.py", 14, "broken"]  # oracle: the line of `1 / 0` in STUDENT
    assert seen["printed"] == "student output\n" and "student output" not in result.stdout.splitlines()[:-1]
    assert seen["module"] == str(lib / "softmax.py")  # the staged module, never an installed course_lib


def test_own_code_is_refused_with_the_hidden_graders(tmp_path):
    """Does the plugin refuse --own-code when a check is hidden, before any student code runs (fail closed)?"""
    result = subprocess.run([sys.executable, "-m", "pytest", str(ROOT / "graders"), "-q", "-p", "no:cacheprovider",
                             "-p", "course_tools.judge.plugin", "--own-code", "--submission", str(ROOT / "solutions"),
                             "--results", str(tmp_path / "results.json")],
                            capture_output=True, text=True, cwd=ROOT, timeout=300,
                            env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout[-2000:] + result.stderr[-2000:]
    assert "--own-code runs only visible checks" in result.stderr
    assert not (tmp_path / "results.json").exists()
