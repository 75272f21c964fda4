"""Grade submissions (folders or zips) with the hidden graders; write DIR/<name>/results.json and junit.xml.

Each submission is judged in its own trusted pytest process, whose student code runs in a
sandboxed worker. The exit status is 0 whenever grading ran, whatever the scores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tqdm import tqdm

from course_lib.data import ROOT_ENV_VAR, FashionMNISTNotFoundError, load_fashion_mnist_tensors

from ..grading.results import not_gradable_results, summary_lines
from ..grading.submission import submission_name
from ..paths import find_root

PER_SUBMISSION_TIMEOUT = 900


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="submission folders or .zip files")
    parser.add_argument("--out", type=Path, required=True, help="output folder: one sub-folder per submission")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded in parallel (default 1)")
    parser.add_argument("--root", type=Path, default=None, help="course root holding tests/graders (default: found from cwd)")
    parser.add_argument("--data-root", type=Path, default=None, help="Fashion-MNIST root for the end-to-end checks (default: FASHION_MNIST_ROOT or the user cache)")
    parser.add_argument("--quiet", action="store_true", help="no per-check summary, only the totals")


def grade_one(path: Path, out: Path, root: Path) -> dict:
    """Grade one submission in a fresh trusted process; return its results (also written to disk)."""
    target = out / submission_name(path)
    target.mkdir(parents=True, exist_ok=True)
    results_file = target / "results.json"
    results_file.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "pytest", str(root / "tests" / "graders"), "-q", "-p", "no:cacheprovider",
            "--rootdir", str(root), "--submission", str(path.resolve()), "--results", str(results_file),
            "--junitxml", str(target / "junit.xml")]
    try:
        run = subprocess.run(argv, capture_output=True, text=True, cwd=root, timeout=PER_SUBMISSION_TIMEOUT)
        (target / "grader.log").write_text(run.stdout[-200_000:] + run.stderr[-50_000:])
    except subprocess.TimeoutExpired:
        run = None
    if not results_file.is_file():
        reason = "the grader timed out" if run is None else f"the grader crashed (see {target / 'grader.log'})"
        results = not_gradable_results(reason, float(PER_SUBMISSION_TIMEOUT if run is None else 0))
        results["extra_data"]["infrastructure_error"] = True
        results_file.write_text(json.dumps(results, indent=2))
        return results
    return json.loads(results_file.read_text())


def run(args) -> int:
    root = (args.root or find_root()).resolve()
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"course grade: {path} does not exist", file=sys.stderr)
    if missing:
        return 2
    if args.data_root:
        os.environ[ROOT_ENV_VAR] = str(args.data_root.resolve())
    try:  # the end-to-end checks need the data: missing data is our problem, not the students'
        load_fashion_mnist_tensors(False)
    except (FashionMNISTNotFoundError, ValueError) as error:
        print(f"course grade: cannot grade without Fashion-MNIST.\n{error}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {path: pool.submit(grade_one, path, args.out, root) for path in args.paths}
        results = {}
        for path in tqdm(futures, desc="grading", unit="submission", disable=len(futures) < 2):
            results[path] = futures[path].result()
    infrastructure = 0
    for path, result in results.items():
        print(f"\n== {submission_name(path)}: {result['score']:g}/100")
        if not args.quiet:
            print("\n".join(summary_lines(result)))
        infrastructure += bool(result.get("extra_data", {}).get("infrastructure_error"))
    return 1 if infrastructure else 0
