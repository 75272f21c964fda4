"""The whole hidden suite on one submission: median wall seconds, against a floor measured in the same run.

The floor is a fresh interpreter importing what every grading must import (torch, torchvision);
the ratio says how much the checks themselves cost on top of it.
Usage: python benchmarks/grading_suite.py [--submission DIR] [--data-root DIR] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall_seconds(argv: list[str], env: dict) -> float:
    """Run `argv` to completion and return its wall time; fail loudly if it fails."""
    start = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, env=env, capture_output=True)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submission", type=Path, default=ROOT / "solutions", help="submission to grade (default: the reference)")
    parser.add_argument("--data-root", type=Path, default=None, help="Fashion-MNIST root (default: FASHION_MNIST_ROOT or the user cache)")
    parser.add_argument("--repeats", type=int, default=3, help="gradings timed (the median is reported)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if args.data_root:
        env["FASHION_MNIST_ROOT"] = str(args.data_root.resolve())
    floor = [sys.executable, "-c", "import torch, torchvision"]
    floors, suites, score = [], [], None
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.json"
        suite = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "graders"), "-q", "-p", "no:cacheprovider",
                 "--rootdir", str(ROOT), "--submission", str(args.submission.resolve()), "--results", str(results)]
        for _ in range(args.repeats):
            floors.append(wall_seconds(floor, env))
            suites.append(wall_seconds(suite, env))
            score = json.loads(results.read_text())["score"]
    median_suite, median_floor = statistics.median(suites), statistics.median(floors)
    print(f"data root: {env.get('FASHION_MNIST_ROOT', 'user cache')}; submission: {args.submission} (score {score:g}/100)")
    print(f"hidden suite: median {median_suite:.1f} s over {args.repeats} runs (min {min(suites):.1f}, max {max(suites):.1f})")
    print(f"floor (import torch, torchvision): median {median_floor:.1f} s; suite / floor = {median_suite / median_floor:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
