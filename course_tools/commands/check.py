"""Run the public checks against your course_lib/ and print what passed, with hints.

These are the public checks only: the hidden graders, which decide your grade, check much more.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..contract import EXERCISE_MODULES, check_module
from ..judge.launcher import GraderSettings, JudgeOptions, grade
from ..i18n import _
from ..sandbox import OWN
from ..paths import find_root
from ..site import lesson_of_source
from . import language

PUBLIC_TESTS = "public_tests"
TIMEOUT = 600


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercise", nargs="?", choices=EXERCISE_MODULES, metavar="EXERCISE",
                        help=f"check one exercise module only: {', '.join(EXERCISE_MODULES)} (default: all)")
    parser.add_argument("--root", type=Path, default=None,
                        help="your course folder holding course_lib/ and public_tests/ (default: found from the current folder)")
    language.add_argument(parser)


def public_check_options(root: Path, exercise: str | None, lang: str = "en") -> JudgeOptions:
    """The public checks (all, or one exercise's) on root/course_lib, in your own sandbox mode (OWN)."""
    tests = root / PUBLIC_TESTS
    # your own code on your own machine: bubblewrap when it works, else unconfined; one judge, so cold
    return JudgeOptions(submission=root, root=root, tests=tests / f"test_{exercise}.py" if exercise else tests,
                        grading_config=tests / "checks.toml", sandbox=OWN, warm=False, settings=GraderSettings(lang=lang))


def lessons(root: Path) -> dict[str, str]:
    """{exercise module: its lesson's address}, from each module's `__lesson__` (read, never run).

    `course release` writes the site address there (course_tools/site.py); a module without one is left out.
    """
    found = {}
    for module in EXERCISE_MODULES:
        path = root / "course_lib" / f"{module}.py"
        lesson = lesson_of_source(path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else None
        if lesson and lesson.startswith(("https://", "http://")):  # an address; a bare docs path is no use to a student
            found[module] = lesson
    return found


def summarise(results: dict, lesson_links: dict[str, str] | None = None) -> list[str]:
    """One line per check that ran, its feedback when it failed (and its lesson's address), then
    the points of the checks that ran."""
    from ..judge.results import leading_lines  # imports torch: not at `course --help`

    ran = [t for t in results.get("tests", []) if t["output"] != "not run"]
    lines = leading_lines(results)  # one root cause, one crash, one message: first
    lines += [""] if lines else []
    for test in ran:
        passed = test["status"] == "passed"
        lines.append(f"{'PASS' if passed else 'FAIL'} {test['score']:>3g}/{test['max_score']:<3g} {_(test['name'])}")
        if not passed:
            lines += [f"       {line}" for line in test["output"].splitlines()]
            lesson = (lesson_links or {}).get(check_module(test["name"]))
            if lesson and lesson not in test["output"]:
                lines.append("       " + _("Lesson: {url}").format(url=lesson))
    score, total = sum(t["score"] for t in ran), sum(t["max_score"] for t in ran)
    lines.append("\n" + _("Public checks: {score}/{total} points, {passed}/{ran} passed.").format(
        score=f"{score:g}", total=f"{total:g}", passed=sum(t["status"] == "passed" for t in ran), ran=len(ran)))
    lines.append(_("These are the public checks only. The hidden checks, which decide your grade, test much more:\n"
                   "stability, dtypes, gradients, edge cases and training end to end. Read each exercise's page."))
    return lines


def main(exercise: str | None = None, *, root: Path | None = None, lang: str | None = None) -> int:
    """`course check`: run the public checks on the student's course_lib; 0 when every check that ran passed."""
    root = (root or find_root()).resolve()
    lang = language.use(lang, root, suites=[root / PUBLIC_TESTS])  # the titles are shown here
    if not (root / PUBLIC_TESTS / "checks.toml").is_file():
        print("course check: " + _("no {folder}/ in {root}; run it inside your course folder (or pass --root).").format(
            folder=PUBLIC_TESTS, root=root), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        log = Path(tmp) / "checks.log"
        results = grade(public_check_options(root, exercise, lang), log, TIMEOUT)
        if results.get("extra_data", {}).get("infrastructure_error"):
            print("course check: " + _("the checks could not run: {reason}").format(reason=results["output"]) +
                  f"\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
            return 2
    if results.get("extra_data", {}).get("not_gradable"):
        print(results["output"])
        return 1
    print("\n".join(summarise(results, lessons(root))))
    ran = [t for t in results["tests"] if t["output"] != "not run"]
    return 0 if ran and all(t["status"] == "passed" for t in ran) else 1
