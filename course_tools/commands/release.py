"""Generate the student-facing files from solutions/: the stubs in course_lib/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..contract import EXERCISE_MODULES
from ..paths import find_root, solutions_lib, student_lib
from ..release.stubs import stale_stubs, write_stubs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, help="course repository root (default: found from the current folder)")
    parser.add_argument("--check", action="store_true", help="only report stubs that differ from solutions/; exit 1 if any do")


def run(args) -> int:
    root = args.root or find_root()
    solutions, target = solutions_lib(root), student_lib(root)
    if args.check:
        stale = stale_stubs(solutions, target, EXERCISE_MODULES)
        for name in stale:
            print(f"stale: course_lib/{name} differs from solutions/course_lib/{name}", file=sys.stderr)
        print("stubs are up to date" if not stale else "run `course release` to regenerate them")
        return 1 if stale else 0
    changed = write_stubs(solutions, target, EXERCISE_MODULES)
    print(f"stubs: {len(changed)} written ({', '.join(changed) or 'all up to date'}) in {target}")
    return 0
