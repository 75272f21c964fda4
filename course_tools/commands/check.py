"""Run the public checks against your course_lib/ and print what passed, with hints.

These are the public checks only: the hidden graders, which decide your grade, check much more.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..contract import EXERCISE_MODULES
from ..grading.sandbox import MODE_ENV, OWN
from ..paths import find_root

PUBLIC_TESTS = "public_tests"
TIMEOUT = 600


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercise", nargs="?", choices=EXERCISE_MODULES, metavar="EXERCISE",
                        help=f"check one exercise module only: {', '.join(EXERCISE_MODULES)} (default: all)")
    parser.add_argument("--root", type=Path, default=None,
                        help="your course folder holding course_lib/ and public_tests/ (default: found from the current folder)")


def public_check_argv(root: Path, exercise: str | None, results: Path) -> list[str]:
    """The pytest command that runs the public checks (all, or one exercise's) on root/course_lib."""
    tests = root / PUBLIC_TESTS
    target = tests / f"test_{exercise}.py" if exercise else tests
    return [sys.executable, "-m", "pytest", str(target), "-q", "-p", "no:cacheprovider",
            "-p", "course_tools.grading.plugin", "--rootdir", str(root), "-W", "ignore::RuntimeWarning",
            "--submission", str(root), "--grading-config", str(tests / "checks.toml"), "--results", str(results)]


def summarise(results: dict) -> list[str]:
    """One line per check that ran, its feedback when it failed, then the points of the checks that ran."""
    ran = [t for t in results.get("tests", []) if t["output"] != "not run"]
    lines = []
    for test in ran:
        passed = test["status"] == "passed"
        lines.append(f"{'PASS' if passed else 'FAIL'} {test['score']:>3g}/{test['max_score']:<3g} {test['name']}")
        if not passed:
            lines += [f"       {line}" for line in test["output"].splitlines()]
    score, total = sum(t["score"] for t in ran), sum(t["max_score"] for t in ran)
    lines.append(f"\nPublic checks: {score:g}/{total:g} points, {sum(t['status'] == 'passed' for t in ran)}/{len(ran)} passed.")
    lines.append("These are the public checks only. The hidden checks, which decide your grade, test much more:\n"
                 "stability, dtypes, gradients, edge cases and training end to end. Read each exercise's page.")
    return lines


def run(args) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / PUBLIC_TESTS / "checks.toml").is_file():
        print(f"course check: no {PUBLIC_TESTS}/ in {root}; run it inside your course folder (or pass --root).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        results_file = Path(tmp) / "results.json"
        try:
            # your own code on your own machine: bubblewrap when it works, else unconfined (sandbox.OWN)
            proc = subprocess.run(public_check_argv(root, args.exercise, results_file), capture_output=True,
                                  text=True, cwd=root, timeout=TIMEOUT, env=os.environ | {MODE_ENV: OWN})
        except subprocess.TimeoutExpired:
            print(f"course check: the checks took longer than {TIMEOUT} s; look for an infinite loop.", file=sys.stderr)
            return 1
        if not results_file.is_file():
            print(f"course check: the checks could not run:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}", file=sys.stderr)
            return 2
        results = json.loads(results_file.read_text())
    if results.get("extra_data", {}).get("not_gradable"):
        print(results["output"])
        return 1
    print("\n".join(summarise(results)))
    ran = [t for t in results["tests"] if t["output"] != "not run"]
    return 0 if ran and all(t["status"] == "passed" for t in ran) else 1
