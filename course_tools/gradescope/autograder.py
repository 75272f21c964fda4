"""What run_autograder runs on Gradescope: grade /autograder/submission, write /autograder/results/results.json.

The same graders and plugin as `course grade`. A results.json is always written, even when
grading itself fails, so Gradescope shows a reason instead of an autograder error. Grading starts
only when the sandbox self-check passes; in the container mode, source, submission and results
are first made readable by root alone, so the worker's unprivileged uid sees none of them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

from ..judge import launcher
from ..atomic import write_json_atomically
from ..course_config import feedback_language
from ..judge.launcher import GraderSettings
from ..grading_results import GradingResults
from ..sandbox.selfcheck import refusal
from ..paths import find_root


def student_from_metadata(root: Path) -> str | None:
    """The submitter's sid, else email, else Gradescope user id, from submission_metadata.json."""
    try:
        users = json.loads((root / "submission_metadata.json").read_text()).get("users") or []
    except (OSError, ValueError, AttributeError):
        return None
    for key in ("sid", "email", "id"):
        if users and isinstance(users[0], dict) and users[0].get(key):
            return str(users[0][key])
    return None


def lock_down(root: Path, folders: tuple[str, ...] = ("source", "submission", "results")) -> None:
    """As root: only root may read these folders of `root` (Gradescope's source, submission and results)."""
    if os.geteuid() == 0:
        for folder in folders:
            (root / folder).mkdir(exist_ok=True)
            os.chmod(root / folder, 0o700)


def grade_on_gradescope(root: Path, timeout: float) -> GradingResults:
    """Grade root/submission with the course at this package's root; return Gradescope's results."""
    course_root = find_root(Path(__file__).parent)
    lock_down(root)
    refused = refusal("the autograder's")
    if refused:  # fail closed: no student code runs unconfined
        return GradingResults.infrastructure_failure(refused)
    with tempfile.TemporaryDirectory(prefix="course-gradescope-") as work:
        # the judge reads the upload with the one reader: course_lib/, loose modules, or the one zip
        results = launcher.grade(*launcher.in_folder(root / "submission", Path(work), course_root,
                                                     student_from_metadata(root),
                                                     GraderSettings(lang=feedback_language(course_root))), timeout)
        log = Path(work) / "grader.log"
        if log.is_file():  # run_autograder's output is shown to instructors only (stdout_visibility)
            print(log.read_text(errors="replace")[-20_000:])
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="run_autograder", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("/autograder"), help="Gradescope's root (default /autograder)")
    parser.add_argument("--timeout", type=float, default=launcher.DEFAULT_TIMEOUT, help="seconds for the whole grading")
    args = parser.parse_args(argv)
    target = args.root / "results" / "results.json"
    try:
        results = grade_on_gradescope(args.root, args.timeout)
    except Exception:  # noqa: BLE001 - any failure is the machinery's: results.json says so
        traceback.print_exc()
        results = GradingResults.infrastructure_failure("the autograder failed (the instructor can see its output)")
    # run_autograder's output is shown to instructors only
    write_json_atomically(target, {**results.to_json(), "stdout_visibility": "hidden"})
    print(f"score {results.score_line()} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
