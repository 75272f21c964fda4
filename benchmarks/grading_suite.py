"""The whole hidden suite on one submission, warm against cold, in the same run: median wall seconds and their ratio.

Both paths go through the one launcher (course_tools.judge.launcher): cold starts `python -m pytest`
per submission, whose sandboxed worker imports torch again; warm forks each judge from a forkserver
that imported torch, torchvision, pytest, the plugin and the reference once, and each worker from a
zygote inside the sandbox (both started, and timed apart, with the first warm grading). Runs alternate, so load drifts
reach both. The last line is `warm W s, cold C s, ratio R`.
Usage: python benchmarks/grading_suite.py [--submission DIR] [--data-root DIR] [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_tools.judge.launcher import JudgeOptions, grade  # noqa: E402


def timed(options: JudgeOptions, log: Path) -> tuple[float, float]:
    """Grade once; return (wall seconds, score). A grading that fails is an error, never a fast time."""
    start = time.perf_counter()
    results = grade(options, log, timeout=900)
    elapsed = time.perf_counter() - start
    if results.infrastructure_error:
        raise SystemExit(f"grading failed: {results.output} (see {log})")
    return elapsed, results.score


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submission", type=Path, default=ROOT / "solutions", help="submission to grade (default: the reference)")
    parser.add_argument("--data-root", type=Path, default=None, help="Fashion-MNIST root (default: FASHION_MNIST_ROOT or the user cache)")
    parser.add_argument("--repeats", type=int, default=3, help="gradings timed on each path (the median is reported)")
    args = parser.parse_args(argv)
    if args.data_root:
        os.environ["FASHION_MNIST_ROOT"] = str(args.data_root.resolve())
    cold, warm, scores = [], [], set()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "grader.log"
        warm_up, _ = timed(JudgeOptions(args.submission, warm=True), log)  # starts the forkserver and the zygote
        for _ in range(args.repeats):
            for path, times in ((True, warm), (False, cold)):
                seconds, score = timed(JudgeOptions(args.submission, warm=path), log)
                times.append(seconds)
                scores.add(score)
    w, c = statistics.median(warm), statistics.median(cold)
    print(f"data root: {os.environ.get('FASHION_MNIST_ROOT', 'user cache')}; submission: {args.submission} "
          f"(scores {sorted(scores)}); {args.repeats} gradings per path; forkserver and zygote start + first warm grading {warm_up:.1f} s")
    print(f"warm: {', '.join(f'{t:.1f}' for t in warm)} s; cold: {', '.join(f'{t:.1f}' for t in cold)} s")
    print(f"warm {w:.1f} s, cold {c:.1f} s, ratio {c / w:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
