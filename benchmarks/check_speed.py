"""`course check` against a bare `import torch`, paired in the same run: median wall seconds and their ratios.

A student's inner loop: the public checks on a solved course_lib, one exercise (`course check softmax`) and all
seven (`course check`), each timed right after a `python -c "import torch"`, so that load drifts reach both
sides of a pair. The ratio is of the medians. Goals (issue "Students first"): at most 1.5 for one exercise,
2 for all. The last line is `softmax R1, all R2 (× a torch import of T s)`.
Usage: python benchmarks/check_speed.py [--repeats N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def seconds(command: list[str], cwd: Path, expect: int = 0) -> float:
    """Wall seconds of one run; a run that fails is an error, never a fast time."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != expect:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def solved_copy(folder: Path) -> Path:
    """A student's folder: the public checks and course_lib/ with the reference's exercise modules."""
    shutil.copytree(ROOT / "public_tests", folder / "public_tests")
    shutil.copytree(ROOT / "course_lib", folder / "course_lib")
    for module in (ROOT / "solutions" / "course_lib").glob("*.py"):
        shutil.copy(module, folder / "course_lib" / module.name)
    return folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="pairs timed per command (the medians are compared)")
    args = parser.parse_args(argv)
    torch_import = [sys.executable, "-c", "import torch"]
    check = [sys.executable, "-m", "course_tools.cli", "check"]
    times: dict[str, list[float]] = {"torch": [], "softmax": [], "all": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = solved_copy(Path(tmp) / "student")
        seconds(torch_import, folder)  # warm the file cache for both sides
        for _ in range(args.repeats):
            for name, command in (("softmax", [*check, "softmax"]), ("all", check)):
                times["torch"].append(seconds(torch_import, folder))
                times[name].append(seconds([*command, "--root", str(folder)], folder))
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name}: {', '.join(f'{t:.2f}' for t in values)} s (median {median[name]:.2f})")
    print(f"softmax {median['softmax'] / median['torch']:.2f}, all {median['all'] / median['torch']:.2f} "
          f"(× a torch import of {median['torch']:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
