"""The mutant corpus graded once for both test_grading.py (fairness) and test_feedback_language.py (Chinese)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.mutants import ALTERNATIVES, MUTANTS
from submissions import reference_submission

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def graded(tmp_path_factory, data_root, scheduler):
    """(out folder, {name: results.json}) of the reference, the stubs, every mutant and every alternative, graded
    in one `course grade --lang zh --jobs 2` on the session's Dask cluster.

    In Chinese, because scores do not depend on the language and a hint is found by its catalogue translation
    (catalogue_text.says_in_chinese): one batch serves the fairness tests and the language tests."""
    base = tmp_path_factory.mktemp("corpus")
    stubs = base / "stubs"
    shutil.copytree(ROOT / "course_lib", stubs / "course_lib")
    paths = [reference_submission(base / "reference"), stubs]
    paths += [reference_submission(base / name, replace={module: (old, new)})
              for name, module, old, new, *_ in MUTANTS + ALTERNATIVES]
    out = base / "out"
    result = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", *map(str, paths), "--out", str(out),
                             "--jobs", "2", "--quiet", "--lang", "zh", "--data-root", str(data_root),
                             "--scheduler", scheduler],
                            capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, {p.name: json.loads((out / p.name / "results.json").read_text()) for p in paths}
