"""One submission's judge for the batch, Gradescope and PrairieLearn: the launcher, logging into one folder.

The judge writes target/grader.log and target/junit.xml, and its results to a private partial file
that only its caller turns into results.json (see launcher.py). Judges are warm (forked
from a preloaded forkserver) wherever the process may have children, else cold.
"""

from __future__ import annotations

from pathlib import Path

from . import launcher
from ..grading_results import GradingResults
from .launcher import GraderSettings

DEFAULT_TIMEOUT = 900.0
Grading = launcher.Judging


def start(path: Path, target: Path, root: Path, timeout: float = DEFAULT_TIMEOUT,
          student_id: str | None = None, settings: GraderSettings = GraderSettings(), warm: bool = True) -> Grading:
    """Start judging `path` with root's graders and the batch's `settings`; log in target/grader.log."""
    target.mkdir(parents=True, exist_ok=True)
    options = launcher.JudgeOptions(submission=Path(path), root=root, student_id=student_id, junit=target / "junit.xml",
                                    settings=settings, warm=warm)
    return launcher.start(options, target / "grader.log", timeout)


def grade(path: Path, target: Path, root: Path, timeout: float = DEFAULT_TIMEOUT,
          student_id: str | None = None, settings: GraderSettings = GraderSettings(), warm: bool = True) -> GradingResults:
    """Judge one submission and wait for it; return its results (not written to results.json)."""
    grading = start(path, target, root, timeout, student_id, settings, warm)
    try:
        grading.wait()
    finally:
        grading.kill()
    return grading.results()
