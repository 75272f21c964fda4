"""Submissions per minute: the embedded Dask cluster against the old process pool, both at 2 jobs, in the same run.

Both grade the same N copies of the reference through the same launcher (batch/runner.py, one trusted
pytest process per submission). The old pool is the loop `course grade --jobs 2` ran before Dask
(runner.start, two in flight, polled), rebuilt here since the batch no longer has it. The Dask side
is what `course grade` now does: start a LocalCluster, admit its workers (grader version and sandbox
self-check), dispatch; its clock includes all of that. Neither side touches a gradebook. The last
line is `pool P/min, dask D/min, ratio D/P` (the issue's bar: D/P >= 0.9).
Usage: python benchmarks/batch_engine.py [--count 40] [--jobs 2] [--only softmax] [--data-root DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_tools.batch import runner  # noqa: E402


def copies(folder: Path, count: int) -> list[Path]:
    """`count` submissions: the reference's modules under distinct names."""
    paths = []
    for i in range(count):
        target = folder / f"s{i:03d}" / "course_lib"
        shutil.copytree(ROOT / "solutions" / "course_lib", target, ignore=shutil.ignore_patterns("__pycache__"))
        paths.append(target.parent)
    return paths


def old_pool(paths: list[Path], out: Path, jobs: int, grader_args: tuple[str, ...]) -> list[float]:
    """The pre-Dask `course grade` loop: keep `jobs` runner processes busy; return the scores."""
    queue, running, scores = list(paths), [], []
    while queue or running:
        while queue and len(running) < jobs:
            path = queue.pop(0)
            running.append(runner.start(path, out / path.name, ROOT, grader_args=grader_args))
        time.sleep(0.1)
        for grading in [g for g in running if g.finished()]:
            running.remove(grading)
            scores.append(grading.results()["score"])
    return scores


def dask_engine(paths: list[Path], jobs: int, grader_args: tuple[str, ...]) -> list[float]:
    """What `course grade --jobs N` does now, minus the gradebook: cluster, admission, dispatch."""
    from course_tools.batch.admission import admit
    from course_tools.batch.cluster import Where, connect
    from course_tools.batch.dispatch import Dispatcher, Job
    from course_tools.batch.fingerprint import grader_parts

    scores = []
    with connect(Where(jobs=jobs)) as client:
        run, admitted, refused = admit(client, grader_parts(ROOT, grader_args), grader_args, ROOT)
        if refused or not admitted:
            raise SystemExit(f"workers refused: {[v.message() for v in refused]}")
        dispatcher = Dispatcher(client, run, runner.DEFAULT_TIMEOUT, grader_args, 3, window=2 * jobs, progress=False)
        dispatcher.run([Job(p, p.name) for p in paths], lambda job, delivery: scores.append(delivery["results"]["score"]))
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="submissions graded by each engine (default 40)")
    parser.add_argument("--jobs", type=int, default=2, help="gradings in parallel on each side (default 2)")
    parser.add_argument("--only", default="", help="grade only these modules' checks, e.g. softmax (default: all)")
    parser.add_argument("--data-root", type=Path, default=None, help="Fashion-MNIST root (default: FASHION_MNIST_ROOT)")
    args = parser.parse_args(argv)
    if args.data_root:
        os.environ["FASHION_MNIST_ROOT"] = str(args.data_root.resolve())
    grader_args = (f"--only={args.only}",) if args.only else ()
    rates = {}
    with tempfile.TemporaryDirectory(prefix="batch-engine-bench-") as tmp:
        paths = copies(Path(tmp) / "submissions", args.count)
        for name, grade in (("pool", lambda: old_pool(paths, Path(tmp) / "pool", args.jobs, grader_args)),
                            ("dask", lambda: dask_engine(paths, args.jobs, grader_args))):
            started = time.perf_counter()
            scores = grade()
            seconds = time.perf_counter() - started
            if len(scores) != args.count or len(set(scores)) != 1:  # a failed grading is an error, not a fast time
                raise SystemExit(f"{name}: unexpected scores {sorted(set(scores))} for {len(scores)} submissions")
            rates[name] = 60 * args.count / seconds
            print(f"{name}: {args.count} submissions in {seconds:.1f} s (score {scores[0]:g} each)", flush=True)
    print(f"count {args.count}, jobs {args.jobs}, only {args.only or 'all'}; "
          f"pool {rates['pool']:.2f}/min, dask {rates['dask']:.2f}/min, ratio {rates['dask'] / rates['pool']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
