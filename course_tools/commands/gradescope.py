"""Build Gradescope's autograder zip: setup.sh, run_autograder and the course with its hidden graders.

Upload the zip as a programming assignment's autograder (Ubuntu 24.04 base image). setup.sh
installs the course (CPU-only PyTorch) and Fashion-MNIST; run_autograder grades each submission
with the same graders as `course grade` and writes /autograder/results/results.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..paths import find_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("autograder.zip"), help="the zip to write (default: autograder.zip)")
    parser.add_argument("--data-root", type=Path, default=None,
                        help="bundle Fashion-MNIST from this root (default: setup.sh downloads it)")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: found from the current folder)")


def run(args) -> int:
    from ..gradescope.build import build_zip

    root = (args.root or find_root()).resolve()
    if not (root / "graders" / "grading.toml").is_file():
        print(f"course gradescope: {root} has no graders/grading.toml: run it in the instructor's fork",
              file=sys.stderr)
        return 2
    try:
        names = build_zip(root, args.out, args.data_root)
    except FileNotFoundError as error:
        print(f"course gradescope: cannot bundle the data: {error}", file=sys.stderr)
        return 2
    data = "bundled" if args.data_root else "downloaded by setup.sh"
    print(f"wrote {args.out}: setup.sh, run_autograder and {len(names) - 2} course files (Fashion-MNIST {data})")
    return 0
