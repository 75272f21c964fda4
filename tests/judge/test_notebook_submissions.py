"""Are completed lab notebooks graded as the same code in modules is: through `course grade` as a folder, as a zip and
after a rename, the reference at 100 and a softmax without the max shift at the modules' own points?"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from submissions import LABS, completed_labs, reference_submission

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
NO_MAX_SHIFT = {"softmax": ("X_exp = torch.exp(X - X_max)", "X_exp = torch.exp(X)")}
# The attack that earned lab 1's 20 points under `nbgrader autograde`, when a hidden cell graded in the student's
# kernel: the stubs untouched, the first solution cell replacing a helper (now the lab's check) and doctest, and
# printing a score.
FORGERY = """import sys, types, doctest
_fake = types.ModuleType("course_tools.lab_check")
_fake.check_lab = lambda namespace: print("Public checks: 30/30 points")
sys.modules["course_tools.lab_check"] = _fake
doctest.DocTestRunner.run = lambda self, *args, **kwargs: doctest.TestResults(0, 0)
print("Score 100/100 from the hidden graders.")


def softmax(X):
    raise NotImplementedError()
"""


def forged_labs(folder: Path) -> Path:
    """The released lab, untouched but for its softmax cell, which holds FORGERY."""
    folder.mkdir(parents=True)
    for lab in LABS.glob("*.ipynb"):
        notebook = json.loads(lab.read_text())
        for cell in notebook["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "softmax":
                cell["source"] = FORGERY
        (folder / lab.name).write_text(json.dumps(notebook))
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory, data_root, scheduler) -> dict[str, dict]:
    """results.json by name of one `course grade` batch of modules and notebooks, reference and mutant."""
    base = tmp_path_factory.mktemp("notebooks")
    paths = [reference_submission(base / "modules-no-shift", replace=NO_MAX_SHIFT),
             completed_labs(base / "labs", rename=lambda name: name.replace(".ipynb", " (1).ipynb")),
             completed_labs(base / "labs-no-shift", replace=NO_MAX_SHIFT),
             Path(shutil.make_archive(str(base / "labs-zipped"), "zip", completed_labs(base / "to-zip"))),
             forged_labs(base / "labs-forged")]
    out = base / "out"
    result = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", *map(str, paths), "--out", str(out),
                             "--jobs", "2", "--quiet", "--data-root", str(data_root), "--scheduler", scheduler],
                            capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return {p.stem if p.suffix == ".zip" else p.name: json.loads((out / (p.stem if p.suffix == ".zip" else p.name)
                                                                  / "results.json").read_text()) for p in paths}


def test_completed_labs_score_100_as_a_folder_renamed_and_as_a_zip(graded):
    """Do the labs completed with the reference score 100, renamed `... (1).ipynb` and zipped alike?"""
    for name in ("labs", "labs-zipped"):
        assert graded[name]["score"] == 100, [t["name"] for t in graded[name]["tests"] if t["status"] != "passed"]


def test_the_same_mistake_costs_the_same_points_in_notebooks_and_in_modules(graded):
    """Does a softmax without the max shift score the same, strictly between 0 and 100, as notebooks and as modules,
    failing the same checks?"""
    modules, labs = graded["modules-no-shift"], graded["labs-no-shift"]
    assert 0 < labs["score"] == modules["score"] < 100  # oracle: the modules' own grade of the same code
    failed = [{t["name"] for t in r["tests"] if t["status"] != "passed"} for r in (modules, labs)]
    assert failed[0] == failed[1] and "softmax: stable for extreme logits" in failed[0]


def test_a_notebook_that_forges_the_helper_and_the_score_earns_nothing(graded):
    """Does the lab-1 forgery (a fake grading helper, a patched doctest, a printed score) earn 0: its cells are read
    as code and run only in the sandboxed worker, and the judge computes every point?"""
    forged = graded["labs-forged"]
    assert forged["score"] == 0 and not [t for t in forged["tests"] if t["score"] > 0]
    assert "Score 100/100" not in forged["output"]
