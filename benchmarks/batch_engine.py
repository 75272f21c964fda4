"""Submissions per minute of `course grade --jobs 2`: warm judges against cold ones, and the old pool, in one run.

Every engine grades the same submissions (half copies of the reference, half the corpus's mutants)
through the same launcher. "dask warm" is what `course grade` does: an embedded LocalCluster whose
non-daemonic workers fork each judge from a forkserver that imported torch once, and each sandboxed
worker from a zygote inside the sandbox; "dask cold" is the same cluster with every judge a fresh
`python -m pytest` and every worker a fresh bubblewrap sandbox importing torch (the baseline); "pool" is the loop
`course grade` ran before Dask (launcher.start, two in flight, polled). Each Dask clock includes
starting the cluster and admitting its workers; a Dask engine also prints its phases (cluster, admission,
the first result, the rest, closing), which is where the coordinator's time goes. No engine touches a gradebook. Scores must agree
across engines. First, in the same process, a warm judge grades a few submissions one at a time: its
median W sets the ideal, jobs x 60 / W per minute, and the batch's warm rate is quoted as a fraction of
it. The last line is `... warm W/min (F of the warm judge's ideal I/min), cold C/min, ratio W/C`.
Usage: python benchmarks/batch_engine.py [--count 40] [--jobs 2] [--only softmax] [--data-root DIR] [--no-cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus.mutants import MUTANTS  # noqa: E402

from course_tools.judge import launcher  # noqa: E402
from course_tools.judge.launcher import GraderSettings  # noqa: E402


def submissions(folder: Path, count: int) -> list[Path]:
    """`count` submissions: even ones copies of the reference, odd ones its mutants in turn."""
    paths = []
    for i in range(count):
        target = folder / f"s{i:03d}" / "course_lib"
        shutil.copytree(ROOT / "solutions" / "course_lib", target, ignore=shutil.ignore_patterns("__pycache__"))
        if i % 2:
            _, module, old, new, _, _ = MUTANTS[(i // 2) % len(MUTANTS)]
            path = target / f"{module}.py"
            path.write_text(path.read_text().replace(old, new, 1))
        paths.append(target.parent)
    return paths


def old_pool(paths: list[Path], out: Path, jobs: int, settings: GraderSettings) -> dict[str, float]:
    """The pre-Dask `course grade` loop: keep `jobs` judges busy; return the scores by name."""
    queue, running, scores = list(paths), [], {}
    while queue or running:
        while queue and len(running) < jobs:
            path = queue.pop(0)
            running.append((path.name, launcher.start(*launcher.in_folder(path, out / path.name, ROOT, settings=settings,
                                                                            warm=False), launcher.DEFAULT_TIMEOUT)))
        time.sleep(0.1)
        for name, grading in [r for r in running if r[1].finished()]:
            running.remove((name, grading))
            scores[name] = grading.results().score
    return scores


def warm_judge_median(paths: list[Path], out: Path, settings: GraderSettings, samples: int = 5) -> float:
    """Median seconds of one warm judge grading one submission alone (after one warm-up grading)."""
    times = []
    for path in paths[:samples + 1]:
        started = time.perf_counter()
        launcher.grade(*launcher.in_folder(path, out / path.name, ROOT, settings=settings, warm=True), launcher.DEFAULT_TIMEOUT)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def dask_engine(paths: list[Path], jobs: int, settings: GraderSettings, warm: bool) -> dict[str, float]:
    """What `course grade --jobs N` does, minus the gradebook: cluster, admission, dispatch; scores by name."""
    from course_tools.batch.admission import admit
    from course_tools.batch.cluster import Where, connect
    from course_tools.batch.dispatch import Dispatcher, Job
    from course_tools.judge.fingerprint import grader_parts

    scores, marks = {}, [("start", time.perf_counter())]
    with connect(Where(jobs=jobs)) as client:
        marks.append(("cluster", time.perf_counter()))
        run, admitted, refused = admit(client, grader_parts(ROOT, settings), settings, ROOT, warm=warm)
        if refused or not admitted:
            raise SystemExit(f"workers refused: {[v.message() for v in refused]}")
        marks.append(("admission", time.perf_counter()))
        dispatcher = Dispatcher(client, run, launcher.DEFAULT_TIMEOUT, settings, 3, window=2 * jobs, progress=False,
                                warm=warm)

        def record(job, delivery):
            scores[job.path.name] = delivery.results.score
            if len(scores) == 1:
                marks.append(("first result", time.perf_counter()))

        dispatcher.run([Job(p, p.name) for p in paths], record)
        marks.append(("last result", time.perf_counter()))
    marks.append(("cluster closed", time.perf_counter()))
    print("  phases: " + ", ".join(f"{name} {later - earlier:.1f} s" for (_, earlier), (name, later) in zip(marks, marks[1:])),
          flush=True)
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="submissions graded by each engine (default 40)")
    parser.add_argument("--jobs", type=int, default=2, help="gradings in parallel on each side (default 2)")
    parser.add_argument("--only", default="", help="grade only these modules' checks, e.g. softmax (default: all)")
    parser.add_argument("--no-pool", action="store_true", help="skip the old pool (warm against cold only)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold engine (the warm batch against its ideal)")
    parser.add_argument("--data-root", type=Path, default=None, help="Fashion-MNIST root (default: FASHION_MNIST_ROOT)")
    args = parser.parse_args(argv)
    if args.data_root:
        os.environ["FASHION_MNIST_ROOT"] = str(args.data_root.resolve())
    settings = GraderSettings(only=tuple(m for m in args.only.split(",") if m))
    rates, results = {}, {}
    with tempfile.TemporaryDirectory(prefix="batch-engine-bench-") as tmp:
        paths = submissions(Path(tmp) / "submissions", args.count)
        median = warm_judge_median(paths, Path(tmp) / "alone", settings)
        ideal = min(args.jobs, os.cpu_count() or 1) * 60 / median
        print(f"warm judge alone: median {median:.2f} s, ideal {ideal:.2f}/min", flush=True)
        engines = {"dask warm": lambda: dask_engine(paths, args.jobs, settings, warm=True)}
        if not args.no_cold:
            engines["dask cold"] = lambda: dask_engine(paths, args.jobs, settings, warm=False)
        if not args.no_pool:
            engines["pool"] = lambda: old_pool(paths, Path(tmp) / "pool", args.jobs, settings)
        for name, grade in engines.items():
            started = time.perf_counter()
            results[name] = grade()
            seconds = time.perf_counter() - started
            if len(results[name]) != args.count:  # a lost grading is an error, not a fast time
                raise SystemExit(f"{name}: {len(results[name])} of {args.count} submissions graded")
            rates[name] = 60 * args.count / seconds
            print(f"{name}: {args.count} submissions in {seconds:.1f} s", flush=True)
        if len({tuple(sorted(r.items())) for r in results.values()}) != 1:  # faster must not mean different
            raise SystemExit(f"the engines' scores differ: {results}")
    pool = f", pool {rates['pool']:.2f}/min" if "pool" in rates else ""
    warm = rates["dask warm"]
    cold = f", cold {rates['dask cold']:.2f}/min, ratio {warm / rates['dask cold']:.2f}" if "dask cold" in rates else ""
    print(f"count {args.count}, jobs {args.jobs}, only {args.only or 'all'}{pool}; warm {warm:.2f}/min "
          f"({warm / ideal:.2f} of the warm judge's ideal {ideal:.2f}/min){cold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
