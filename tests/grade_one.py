"""Grade one submission folder with the hidden graders, in a fresh pytest process, as the judge does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def grade_folder(submission: Path, results: Path, data_root: Path, only: str | None = None,
                 tests: Path = ROOT / "graders", config: Path | None = None) -> dict:
    """results.json of `submission` (a folder holding course_lib/), graded by `tests` (default: the hidden graders)."""
    command = [sys.executable, "-m", "pytest", str(tests), "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
               "--submission", str(submission), "--results", str(results)]
    if not Path(tests).resolve().is_relative_to(ROOT / "tests"):  # tests/conftest.py loads the plugin; public_tests/ do not
        command += ["-p", "course_tools.judge.plugin"]
    command += ["--only", only] if only else []
    command += ["--grading-config", str(config)] if config else []
    env = os.environ | {"FASHION_MNIST_ROOT": str(data_root)}
    run = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert results.is_file(), run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(results.read_text())


def failed(results: dict) -> dict[str, str]:
    """{check title: its feedback} for every check that did not pass."""
    return {t["name"]: t["output"] for t in results["tests"] if t["status"] != "passed"}
