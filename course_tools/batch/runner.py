"""One submission graded in its own trusted pytest process, with a wall-clock limit, dying with its parent.

The student's code runs in that process's sandboxed worker (grading/sandbox.py: rlimits on memory,
CPU, file size and processes). The pytest process writes its results to a private partial file;
only the batch turns it into results.json, so a killed or stale process can never leave a
half-written or outdated results.json behind.
"""

from __future__ import annotations

import ctypes
import json
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..grading.results import infrastructure_error_results

DEFAULT_TIMEOUT = 900.0
_PR_SET_PDEATHSIG = 1


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None  # loaded here, not in the child


def _die_with_parent() -> None:
    """In the child: get SIGKILL when the batch process dies, so a killed batch leaves no graders behind."""
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class Grading:
    """A running grader process for one submission."""

    path: Path
    target: Path
    partial: Path
    process: subprocess.Popen
    started: float
    timeout: float

    def finished(self) -> bool:
        """True once the process has exited or overrun its time limit (it is then killed)."""
        if self.process.poll() is not None:
            return True
        if time.monotonic() - self.started > self.timeout:
            self.kill()
            return True
        return False

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def results(self) -> dict:
        """The grader's results, or not-gradable results naming the infrastructure problem."""
        elapsed = time.monotonic() - self.started
        try:
            results = json.loads(self.partial.read_text())
            self.partial.unlink()
            return results
        except (OSError, ValueError):
            pass
        if elapsed > self.timeout:
            reason = f"the grader ran longer than its {self.timeout:g} s limit"
        else:
            reason = f"the grader crashed (exit status {self.process.returncode}; see its grader.log)"
        results = infrastructure_error_results(reason, elapsed)
        return results


def start(path: Path, target: Path, root: Path, timeout: float = DEFAULT_TIMEOUT,
          student_id: str | None = None, grader_args: tuple[str, ...] = ()) -> Grading:
    """Start grading `path` with root/tests/graders (plus plugin options `grader_args`); log in target/grader.log."""
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob(".partial-*.json"):  # left by a killed batch
        stale.unlink(missing_ok=True)
    partial = target / f".partial-{uuid.uuid4().hex}.json"
    argv = [sys.executable, "-m", "pytest", str(root / "tests" / "graders"), "-q", "-p", "no:cacheprovider",
            "--rootdir", str(root), "--submission", str(Path(path).resolve()), "--results", str(partial),
            "--junitxml", str(target / "junit.xml"), *grader_args]
    if student_id:
        argv += ["--student-id", student_id]
    with open(target / "grader.log", "wb") as log:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=root,
                                   preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    return Grading(Path(path), target, partial, process, time.monotonic(), timeout)


def grade(path: Path, target: Path, root: Path, timeout: float = DEFAULT_TIMEOUT,
          student_id: str | None = None, grader_args: tuple[str, ...] = ()) -> dict:
    """Grade one submission and wait for it; return its results (not written to results.json)."""
    grading = start(path, target, root, timeout, student_id, grader_args)
    try:
        while not grading.finished():
            time.sleep(0.2)
    finally:
        grading.kill()
    return grading.results()
