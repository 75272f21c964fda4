"""Generate everything student-facing from solutions/: the course_lib/ stubs, the lab notebooks and the student bundle.

Steps: stubs in course_lib/; source notebooks in solutions/notebooks/<assignment>/ (generated from
solutions/course_lib/); released notebooks in exercises/<assignment>/ (nbgrader generate_assignment);
the student bundle zip; then a scan of all of them for solution code and hidden tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from ..contract import EXERCISE_MODULES, EXERCISES
from ..paths import find_root, grading_config, solutions_lib, student_lib
from ..release.stubs import SolutionRegionError, stale_stubs, write_stubs

# The notebook steps import nbformat and nbgrader (seconds): they load in run(), so `course --help` stays instant.

DEFAULT_BUNDLE = Path("dist") / "softmax-course-student.zip"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, help="course repository root (default: found from the current folder)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing: report stubs and notebooks that differ from solutions/; exit 1 if any do")
    parser.add_argument("--bundle", type=Path, default=None, metavar="ZIP",
                        help=f"where to write the student bundle (default: ROOT/{DEFAULT_BUNDLE.as_posix()})")
    parser.add_argument("--no-db", action="store_true",
                        help="do not record the assignment in nbgrader's gradebook.db (autograde needs it there)")


def check_outputs(root: Path) -> int:
    """Report every generated file that differs from what solutions/ gives; 1 if any does."""
    from ..release.assignment import stale_release
    from ..release.notebooks import ASSIGNMENT, RELEASE_DIR, SOURCE_DIR, stale_notebooks

    solutions, sources = solutions_lib(root), root / SOURCE_DIR / ASSIGNMENT
    stale = [f"course_lib/{name}" for name in stale_stubs(solutions, student_lib(root), EXERCISE_MODULES)]
    stale += [f"{SOURCE_DIR.as_posix()}/{ASSIGNMENT}/{name}" for name in
              stale_notebooks(solutions, grading_config(root), EXERCISES, sources)]
    if not stale:  # the release is made from the source notebooks, so compare it only when they are current
        stale += [f"{RELEASE_DIR.as_posix()}/{ASSIGNMENT}/{name}" for name in stale_release(root)]
    for name in stale:
        print(f"stale: {name} differs from what solutions/ generates", file=sys.stderr)
    print("stubs and notebooks are up to date" if not stale else "run `course release` to regenerate them")
    return 1 if stale else 0


def main(*, root: Path | None = None, check: bool = False, bundle: Path | None = None, no_db: bool = False) -> int:
    """`course release`: regenerate every student-facing output (or, with `check`, only say what is stale)."""
    from ..release.assignment import NbgraderError

    root = (root or find_root()).resolve()
    try:
        if check:
            return check_outputs(root)
        return release(root, bundle or root / DEFAULT_BUNDLE, database=not no_db)
    except (NbgraderError, SolutionRegionError, ValueError, OSError) as error:  # a bad reference or a failed nbgrader run: say what, not a traceback
        print(f"course release: {error}", file=sys.stderr)
        return 1


def release(root: Path, bundle: Path, *, database: bool = True) -> int:
    """Write every student-facing output, then scan them; 1 if anything secret leaked into one."""
    from ..release.assignment import generate_assignment
    from ..release.bundle import tool_files, write_bundle
    from ..release.leaks import scan_outputs, secret_lines
    from ..release.notebooks import ASSIGNMENT, SOURCE_DIR, write_notebooks

    solutions, sources = solutions_lib(root), root / SOURCE_DIR / ASSIGNMENT
    steps = tqdm(total=5, desc="release", unit="step", disable=None)  # a bar on terminals only

    def done(message: str) -> None:
        steps.update()
        tqdm.write(message)

    changed = write_stubs(solutions, student_lib(root), EXERCISE_MODULES)
    done(f"stubs: {len(changed)} written ({', '.join(changed) or 'all up to date'}) in {student_lib(root)}")
    changed = write_notebooks(solutions, grading_config(root), EXERCISES, sources)
    done(f"source notebooks: {len(changed)} written ({', '.join(changed) or 'all up to date'}) in {sources}")
    released = generate_assignment(root, database=database)
    done(f"released notebooks: nbgrader generate_assignment wrote {released}")
    members = write_bundle(root, bundle)
    done(f"student bundle: {len(members)} files in {bundle}")
    secrets = secret_lines(solutions, sources, student_lib(root), EXERCISE_MODULES, tool_files(root))
    leaks = scan_outputs([student_lib(root), released, bundle], secrets)
    done(f"leak scan: {len(leaks)} leaks in course_lib/, {released.relative_to(root)} and the bundle")
    steps.close()
    for leak in leaks:
        print(f"LEAK {leak}", file=sys.stderr)
    return 1 if leaks else 0
