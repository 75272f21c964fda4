"""Build a PrairieLearn question whose external grader runs the course's hidden graders.

Writes, below --out, a PrairieLearn course repository's layout: questions/<qid>/info.json
("gradingMethod": "External", the image, the entrypoint, serverFilesCourse and a 600 s timeout) and
question.html (a file upload), the grader in serverFilesCourse/softmax_course/, and the Dockerfile of
the grader image (Python, CPU-only PyTorch, Fashion-MNIST). Copy questions/ and serverFilesCourse/
into your PrairieLearn course, build and push the image, and set its name in info.json (--image).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..paths import find_root, grading_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="folder to write the question, grader and Dockerfile in")
    parser.add_argument("--qid", default="softmaxRegression", help="the question's folder name (default softmaxRegression)")
    parser.add_argument("--title", default="Softmax regression: the course_lib exercises", help="the question's title")
    parser.add_argument("--image", default="softmax-course/grader:latest",
                        help="the grader image PrairieLearn pulls (build and push it from --out's Dockerfile)")
    parser.add_argument("--data-root", type=Path, default=None,
                        help="bundle Fashion-MNIST from this root into the image (default: the Dockerfile downloads it)")
    parser.add_argument("--root", type=Path, default=None, help="course root (default: found from the current folder)")


def main(out: Path, *, qid: str = "softmaxRegression", title: str = "Softmax regression: the course_lib exercises",
         image: str = "softmax-course/grader:latest", data_root: Path | None = None, root: Path | None = None) -> int:
    """`course prairielearn`: write the question, its grader and Dockerfile under `out`; 0 when written."""
    from ..prairielearn.build import build_question

    root = (root or find_root()).resolve()
    if not grading_config(root).is_file():
        print(f"course prairielearn: {root} has no graders/grading.toml: run it in the instructor's fork",
              file=sys.stderr)
        return 2
    try:
        written = build_question(root, out, qid, title, image, data_root)
    except FileNotFoundError as error:
        print(f"course prairielearn: cannot bundle the data: {error}", file=sys.stderr)
        return 2
    print(f"wrote {out}: questions/{qid}/ (info.json, question.html), serverFilesCourse/ "
          f"({len(written) - 3} files), Dockerfile; build and push the image as {image}")
    return 0
