"""Run the public checks against your course_lib/ and print what passed, with hints.

These are the public checks only: the hidden graders, which decide your grade, check much more.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ..contract import EXERCISE_MODULES, check_module
from ..grading_results import GradingResults, read_results
from ..judge.launcher import GraderSettings, JudgeOptions
from ..i18n import _
from ..paths import find_root, public_checks_config
from ..site import lesson_of_source
from . import language


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercise", nargs="?", choices=EXERCISE_MODULES, metavar="EXERCISE",
                        help=f"check one exercise module only: {', '.join(EXERCISE_MODULES)} (default: all)")
    parser.add_argument("--root", type=Path, default=None,
                        help="your course folder holding course_lib/ and public_tests/ (default: found from the current folder)")
    parser.add_argument("--notebook", type=Path, default=None,
                        help="check the answers in a completed lab notebook instead of course_lib/ (the lab's last "
                             "cell does this for you)")
    language.add_argument(parser)


def public_check_options(root: Path, exercise: str | None, lang: str = "en") -> JudgeOptions:
    """The public checks (all, or one exercise's) on root/course_lib."""
    tests = public_checks_config(root).parent
    return JudgeOptions(submission=root, root=root, tests=tests / f"test_{exercise}.py" if exercise else tests,
                        grading_config=public_checks_config(root), settings=GraderSettings(lang=lang))


def run_public_checks(options: JudgeOptions, log: Path) -> GradingResults:
    """Run the checks in this process, the student's code too (`--own-code`): torch is imported once.

    Your own code on your own machine needs no boundary against you; `course grade` always confines it.
    pytest's report goes to `log`; a session that wrote no results is an infrastructure failure."""
    import pytest

    results, start = log.with_name("results.json"), time.monotonic()
    autoload = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only the course's plugin: an installed one must not interfere
    try:
        with log.open("w") as report, contextlib.redirect_stdout(report):
            code = pytest.main([*options.pytest_args(results), "--own-code", "-p", "no:unraisableexception"])
    finally:
        if autoload is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    return read_results(results) or GradingResults.infrastructure_failure(f"pytest exit status {int(code)}",
                                                                          time.monotonic() - start)


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


def summarise(results: GradingResults, lesson_links: dict[str, str] | None = None) -> list[str]:
    """One line per check that ran, its feedback when it failed (and its lesson's address), then
    the points of the checks that ran."""
    ran = [t for t in results.tests if not t.not_run]
    lines = results.leading_lines()  # one root cause, one crash, one message: first
    lines += [""] if lines else []
    for test in ran:
        lines.append(test.line(_(test.name)))
        if not test.passed:
            lines += [f"       {line}" for line in test.output.splitlines()]
            lesson = (lesson_links or {}).get(check_module(test.name))
            if lesson and lesson not in test.output:
                lines.append("       " + _("Lesson: {url}").format(url=lesson))
    score, total = sum(t.score for t in ran), sum(t.max_score for t in ran)
    lines.append("\n" + _("Public checks: {score}/{total} points, {passed}/{ran} passed.").format(
        score=f"{score:g}", total=f"{total:g}", passed=sum(t.passed for t in ran), ran=len(ran)))
    lines.append(_("These are the public checks only. The hidden checks, which decide your grade, test much more:\n"
                   "stability, dtypes, gradients, edge cases and training end to end. Read each exercise's page."))
    return lines


def main(exercise: str | None = None, *, root: Path | None = None, lang: str | None = None,
         notebook: Path | None = None) -> int:
    """`course check`: run the public checks on the student's course_lib, or on the answers in `notebook`;
    0 when every check that ran passed."""
    root = (root or find_root()).resolve()
    lang = language.use(lang, root, suites=[public_checks_config(root).parent])  # the titles are shown here
    if not public_checks_config(root).is_file():
        print("course check: " + _("no {folder}/ in {root}; run it inside your course folder (or pass --root).").format(
            folder=public_checks_config(root).parent.name, root=root), file=sys.stderr)
        return 2
    if notebook is not None and not Path(notebook).is_file():
        print("course check: " + _("{path} does not exist").format(path=notebook), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        log, options = Path(tmp) / "checks.log", public_check_options(root, exercise, lang)
        if notebook is not None:  # the notebook alone is the submission; root still gives the released helpers
            (Path(tmp) / "submission").mkdir()
            shutil.copy(notebook, Path(tmp) / "submission" / Path(notebook).name)
            options = replace(options, submission=Path(tmp) / "submission")
        results = run_public_checks(options, log)
        if results.infrastructure_error:
            print("course check: " + _("the checks could not run: {reason}").format(reason=results.output) +
                  f"\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
            return 2
    if results.not_gradable:
        print(results.output)
        return 1
    print("\n".join(summarise(results, lessons(root))))
    ran = [t for t in results.tests if not t.not_run]
    return 0 if ran and all(t.passed for t in ran) else 1
