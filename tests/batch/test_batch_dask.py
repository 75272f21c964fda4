"""`course grade` on a real Dask cluster, on loopback: a `dask scheduler` and `dask worker` processes started here.

Oracles: grading.toml (the points of the softmax checks: a solved softmax earns them all, a stub none), nbgrader's
own API (each student exactly once) and the ledger (each commit once). The embedded cluster, `course grade`'s
default, grades in tests/batch/test_batch.py (the killed batch's resumption) and in most tests that grade.
Grading is restricted to `--only softmax`: these tests are about the engine, not the scores.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course_tools.contract import EXERCISE_MODULES, EXERCISES, contract_name
from course_tools.judge.config import load_config
from course_tools.release.stubs import write_stubs
from course_tools.submitting.manifest import build_manifest
from dying_worker import STAGES
from loopback_cluster import LoopbackCluster

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "softmax-regression"
STUDENTS = [f"s{i}" for i in range(6)]
SOLVED = {"s0", "s2", "s4"}  # their softmax.py is the reference; the others hand in the stub

pytestmark = pytest.mark.slow


def softmax_points() -> float:
    """The points of the checks on softmax's functions, from grading.toml."""
    functions = set(EXERCISES["softmax"])
    return sum(c.points for t, c in load_config(ROOT / "graders" / "grading.toml").items()
               if contract_name(t) in functions)


def make_submission(folder: Path, student: str, solved: bool) -> Path:
    """A submission folder: the released stubs, softmax solved or not, and a manifest naming the student."""
    lib = folder / "course_lib"
    lib.mkdir(parents=True)
    write_stubs(ROOT / "solutions" / "course_lib", lib, EXERCISE_MODULES)
    if solved:
        shutil.copy(ROOT / "solutions" / "course_lib" / "softmax.py", lib / "softmax.py")
    files = {f"course_lib/{m}.py": (lib / f"{m}.py").read_bytes() for m in EXERCISE_MODULES}
    (folder / "submission.json").write_text(json.dumps(build_manifest(student, ASSIGNMENT, files)))
    return folder


def grade(paths, out: Path, *extra, **popen) -> subprocess.CompletedProcess | subprocess.Popen:
    argv = [sys.executable, "-m", "course_tools.cli", "grade", *map(str, paths), "--out", str(out), "--only",
            "softmax", "--quiet", *map(str, extra)]
    if popen:
        return subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900)


def gradebook_students(out: Path) -> dict[str, float]:
    """Student id -> score, through nbgrader's API; asserts no student appears twice."""
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}", course_id="softmax-course") as gb:
        submissions = gb.assignment_submissions(ASSIGNMENT)
        ids = [s.student_id for s in submissions]
        assert len(ids) == len(set(ids)), ids
        return {s.student_id: s.score for s in submissions}


def ledger_rows(out: Path) -> list[tuple]:
    with sqlite3.connect(out / "ledger.sqlite") as db:
        return db.execute("SELECT name, input_hash, run, committed_at FROM commits ORDER BY name").fetchall()


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.fixture(scope="module")
def six(tmp_path_factory, data_root):
    """Six submissions, and the scores an uninterrupted grading gives them (grading.toml's softmax points or 0)."""
    base = tmp_path_factory.mktemp("dask")
    paths = [make_submission(base / "submissions" / s, s, s in SOLVED) for s in STUDENTS]
    return {"base": base, "paths": paths, "scores": {s: (softmax_points() if s in SOLVED else 0.0) for s in STUDENTS}}


def test_workers_killed_at_every_stage_cost_only_a_retry(six, tmp_path, data_root):
    """Grade the six on a real scheduler with two healthy workers and four that SIGKILL themselves: one when
    the admission check is broadcast to it, one during its check, one mid-task (its judge and sandboxed worker
    running) and one while its result is gathered (tests/dying_worker.py). Does every stage happen, and is the
    batch still whole: all six results, each student once in the gradebook and the ledger, the embedded run's
    scores, nothing of the dead workers left running, and no leaked-resource warning?"""
    cluster, deaths = LoopbackCluster(tmp_path), tmp_path / "deaths"
    deaths.mkdir()
    try:
        for i in range(2):
            cluster.add_worker(f"healthy{i}")
        for i, stage in enumerate(STAGES):
            cluster.add_worker(f"dying{i}", env={"COURSE_TEST_DIE_AT": stage, "COURSE_TEST_DEATHS": str(deaths)},
                               extra=("--no-nanny", "--preload", str(ROOT / "tests" / "dying_worker.py")))
        cluster.wait_for_workers(2 + len(STAGES))
        out = tmp_path / "out"
        result = grade(six["paths"], out, "--scheduler", cluster.address, "--data-root", data_root)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "graded 6, already graded 0" in result.stdout, result.stdout[-1500:]
        died = {stage.name: [int(p) for p in stage.read_text().split()] for stage in deaths.iterdir()}
        assert sorted(died) == sorted(STAGES), died  # oracle: each dying worker's own record of its death
        assert len(died["mid-task"]) > 1, "the mid-task worker died with no judge running"
        for path in six["paths"]:
            assert json.loads((out / path.name / "results.json").read_text())["extra_data"]["student_id"] == path.name
        assert gradebook_students(out) == six["scores"]  # oracle: grading.toml's points, as if never interrupted
        assert [row[0] for row in ledger_rows(out)] == STUDENTS  # one commit each, re-run tasks included
        assert "leaked" not in result.stderr, result.stderr[-3000:]
        time.sleep(1)
        left = [pid for pids in died.values() for pid in pids if Path(f"/proc/{pid}").exists() and running(pid)]
        assert not left, [cmdline(pid) for pid in left]
    finally:
        cluster.stop()


def running(pid: int) -> bool:
    """Is `pid` alive (a zombie has ended)?"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def course_copy_with_other_graders(folder: Path) -> Path:
    """The parts of the course that make the grader version, one grader edited: another machine's checkout."""
    for part in ("graders", "course_tools/judge", "course_tools/sandbox", "course_tools/worker", "solutions/course_lib", "course_lib"):
        shutil.copytree(ROOT / part, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "course_tools" / "contract.py", folder / "course_tools" / "contract.py")
    grader = sorted((folder / "graders").glob("test_*.py"))[0]
    grader.write_text(grader.read_text() + "\n# edited on this machine only\n")
    return folder


def test_a_worker_with_other_graders_is_refused(six, tmp_path):
    """Is a worker whose graders differ refused, with a message naming the machine and the differing part, so
    that with no other worker nothing is graded and the command stops with status 2?"""
    cluster = LoopbackCluster(tmp_path)
    try:
        other = course_copy_with_other_graders(tmp_path / "elsewhere")
        worker = cluster.add_worker("stranger", env={"COURSE_ROOT": str(other)})
        cluster.wait_for_workers(1)
        out = tmp_path / "out"
        result = grade(six["paths"][:1], out, "--scheduler", cluster.address)
        assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
        assert "REFUSED" in result.stderr and "graders" in result.stderr and os.uname().nodename in result.stderr
        assert "no worker of the Dask scheduler" in result.stderr
        assert not list(out.glob("*/results.json")) and not ledger_rows(out)
        worker.wait(timeout=60)  # a refused worker closes itself, nanny included
    finally:
        cluster.stop()
