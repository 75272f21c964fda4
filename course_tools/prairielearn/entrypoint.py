"""What the question's external grader runs in its container: grade /grade/student, write /grade/results/results.json.

The same launcher as `course grade` and Gradescope's autograder (judge/launcher.py). Grading
starts only when the sandbox self-check passes; in the container mode the course (serverFilesCourse),
the upload, the results and the question's data are first made readable by root alone, as on
Gradescope (gradescope/autograder.py's lock_down), so the worker's unprivileged uid sees none of them.
A results.json is always written, even when grading itself fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import traceback
from pathlib import Path

from ..judge import launcher
from ..atomic import write_json_atomically
from ..course_config import feedback_language
from ..judge.launcher import GraderSettings
from ..i18n import activate
from ..gradescope.autograder import lock_down
from ..grading_results import GradingResults
from ..sandbox.selfcheck import refusal
from ..paths import find_root
from ..submission_reader import MODULE_FILES, NoModules, NotGradable, read
from .results import to_prairielearn

LOCKED = ("serverFilesCourse", "student", "results", "data", "tests")  # PrairieLearn's folders below /grade
DEFAULT_TIMEOUT = 540.0  # PrairieLearn kills the container at the question's timeout (at most 600 s)


def upload(student: Path) -> Path | str:
    """/grade/student when it holds one thing to grade (course_lib/, the one zip, or loose module files and lab
    notebooks, as the one reader finds them); else why not. Only an ambiguous upload is this box's own rule."""
    files = [p for p in student.rglob("*") if p.is_file() and not p.is_symlink()] if student.is_dir() else []
    zips = [p for p in files if p.suffix == ".zip"]
    loose = [p for p in files if (p.name in MODULE_FILES and p.parent.name != "course_lib") or p.suffix == ".ipynb"]
    if zips and loose:
        return "upload either the zip from `course submit` or the module files and notebooks, not both"
    if len(zips) > 1:
        return f"upload one zip, not {len(zips)}: {', '.join(p.name for p in zips)}"
    try:
        read(student)
    except NoModules:
        names = ", ".join(sorted(p.name for p in files)) or "nothing"
        return f"no course_lib/<module>.py in the upload ({names})"
    except NotGradable as error:
        return str(error)
    return student


def _seed_id(root: Path) -> str:
    """Inputs are seeded by this: PrairieLearn's variant seed (the grader is not told who the student is)."""
    try:
        data = json.loads((root / "data" / "data.json").read_text())
    except (OSError, ValueError):
        return "prairielearn"
    return str(data.get("variant_seed") or "prairielearn") if isinstance(data, dict) else "prairielearn"


def grade_on_prairielearn(root: Path, timeout: float) -> GradingResults:
    """Grade root/student with the course at this package's root; return our results."""
    course_root = find_root(Path(__file__).parent)
    activate(feedback_language(course_root))  # to_prairielearn's own words; the judge translates the rest
    seed = _seed_id(root)
    lock_down(root, LOCKED)
    refused = refusal("the grader's")
    if refused:  # fail closed: no student code runs unconfined
        return GradingResults.infrastructure_failure(refused)
    with tempfile.TemporaryDirectory(prefix="course-prairielearn-") as work:
        found = upload(root / "student")
        if isinstance(found, str):
            return GradingResults.not_gradable_because(found)
        results = launcher.grade(*launcher.in_folder(found, Path(work) / "out", course_root, seed,
                                                     GraderSettings(lang=feedback_language(course_root))), timeout)
        log = Path(work) / "out" / "grader.log"
        if log.is_file():  # the container's output is the instructor's to read
            print(log.read_text(errors="replace")[-20_000:])
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="run_prairielearn", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("/grade"), help="PrairieLearn's job folder (default /grade)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds for the whole grading")
    args = parser.parse_args(argv)
    target = args.root / "results" / "results.json"
    target.parent.mkdir(parents=True, exist_ok=True)  # PrairieLearn does not create it
    try:
        results = grade_on_prairielearn(args.root, args.timeout)
    except Exception:  # noqa: BLE001 - any failure is the machinery's: results.json says so
        traceback.print_exc()
        results = GradingResults.infrastructure_failure("the grader failed (the instructor can see its output)")
    converted = to_prairielearn(results)
    write_json_atomically(target, converted)
    print(f"score {converted.get('score', 0):g} (gradable: {converted['gradable']}) -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
