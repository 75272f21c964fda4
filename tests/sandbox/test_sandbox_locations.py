"""Does grading work wherever the course and its Python live? A copy of the course under /tmp, in a path
with spaces, run by a venv made from the system's Python, reached through a symbolic link, with its packages
in a folder outside the venv (a .pth): the self-check passes there and the reference grades to 100."""

import json
import subprocess

import pytest

from test_selfcheck import course, without_mode

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker


def test_the_self_check_passes_in_a_relocated_course(relocated_course):
    """Does `course sandbox-check` pass from the copy, its venv bound after the tmpfs that covers /tmp?"""
    run = course("sandbox-check", env=without_mode(), python=relocated_course.python, cwd=relocated_course.root)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "FAIL" not in run.stdout and "grading can start." in run.stdout


WARM_SELF_CHECK = """
from course_tools.sandbox import zygote
started = zygote.Zygote()
started.wait_ready()  # raises unless its first worker passed the self-check judged from outside
print("warm workers pass")
"""


def test_a_warm_worker_passes_the_self_check_in_a_relocated_course(relocated_course):
    """Does a worker forked from the zygote still see the copy's Python, bound below /tmp, once it has its own
    fresh /tmp (a zygote whose worker fails the self-check is never used: grading would fall back to cold)?"""
    run = subprocess.run([str(relocated_course.python), "-c", WARM_SELF_CHECK], capture_output=True, text=True,
                         cwd=relocated_course.root, env=without_mode(), timeout=300)
    assert run.returncode == 0 and "warm workers pass" in run.stdout, run.stderr[-3000:]


def test_the_reference_grades_to_100_in_a_relocated_course(relocated_course, tmp_path, data_root):
    """Does `course grade` of the copy's solutions/ give 100, every check run in bubblewrap?"""
    out = relocated_course.root.parent / "graded out"
    run = course("grade", relocated_course.root / "solutions", "--out", out, "--data-root", data_root, "--quiet",
                 env=without_mode(), python=relocated_course.python, cwd=relocated_course.root)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "leaked" not in run.stderr, run.stderr[-3000:]  # e.g. a judge's tqdm lock left to the resource tracker
    results = json.loads((out / "solutions" / "results.json").read_text())
    assert results["score"] == 100, [t for t in results["tests"] if t["status"] != "passed"]
