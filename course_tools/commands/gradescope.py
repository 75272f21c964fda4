"""Build Gradescope's autograder zip: setup.sh, run_autograder and the course with its hidden graders.

Upload the zip as a programming assignment's autograder (Ubuntu 24.04 base image). setup.sh
installs the course (CPU-only PyTorch) and Fashion-MNIST; run_autograder grades each submission
with the same graders as `course grade` and writes /autograder/results/results.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..paths import find_root, grading_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("autograder.zip"), help="the zip to write (default: autograder.zip)")
    parser.add_argument("--data-root", type=Path, default=None,
                        help="bundle Fashion-MNIST from this root (default: setup.sh downloads it)")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: found from the current folder)")


def main(out: Path = Path("autograder.zip"), *, data_root: Path | None = None, root: Path | None = None) -> int:
    """`course gradescope`: write Gradescope's autograder zip to `out`; 0 when written, 2 when refused."""
    from ..gradescope.build import build_zip

    root = (root or find_root()).resolve()
    if not grading_config(root).is_file():
        print(f"course gradescope: {root} has no graders/grading.toml: run it in the instructor's fork",
              file=sys.stderr)
        return 2
    try:
        names = build_zip(root, out, data_root)
    except FileNotFoundError as error:
        print(f"course gradescope: cannot bundle the data: {error}", file=sys.stderr)
        return 2
    data = "bundled" if data_root else "downloaded by setup.sh"
    print(f"wrote {out}: setup.sh, run_autograder and {len(names) - 2} course files (Fashion-MNIST {data})")
    return 0
