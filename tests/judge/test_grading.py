"""Is `course grade` fair? The reference scores 100, each mutant loses its check with its hint, and
alternative correct implementations score 100 (the stubs' 0 is test_feedback_language.py's).

The corpus is graded once for the session, in Chinese (tests/judge/conftest.py, `graded`): a score does not
depend on the language, and a hint is found by the catalogue's translation of the phrase the corpus names."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from catalogue_text import says_in_chinese
from corpus.mutants import ALTERNATIVES, MUTANTS
from submissions import reference_submission

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]


def _failed(results):
    return {t["name"]: t["output"] for t in results["tests"] if t["status"] != "passed"}


def test_reference_scores_100(graded):
    """Does the reference get full marks?"""
    assert graded[1]["reference"]["score"] == 100, _failed(graded[1]["reference"])


@pytest.mark.parametrize("name,module,old,new,check,hint", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_loses_its_check_with_its_hint(graded, name, module, old, new, check, hint):
    """Does each realistic mistake fail the check that targets it, with the matching hint?"""
    failed = _failed(graded[1][name])
    assert check in failed, f"{name} passed {check!r}; it failed {sorted(failed)}"  # titles stay English keys
    assert says_in_chinese(failed[check], hint), failed[check]
    assert graded[1][name]["score"] < 100


@pytest.mark.parametrize("name", [a[0] for a in ALTERNATIVES])
def test_alternative_correct_implementation_scores_100(graded, name):
    """Does a correct implementation written differently get full marks?"""
    assert graded[1][name]["score"] == 100, _failed(graded[1][name])


def test_results_carry_gradescope_fields(graded):
    """Does results.json have Gradescope's fields on the top level and on every test?"""
    results = graded[1]["reference"]
    assert {"score", "execution_time", "output", "tests"} <= set(results)
    for test in results["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
    assert sum(t["max_score"] for t in results["tests"]) == 100


def test_nested_zip_missing_module_and_not_a_zip(tmp_path, data_root, scheduler):
    """Is a zip one folder deep found, a missing module reported, and a non-zip marked not gradable?"""
    source = reference_submission(tmp_path / "src")
    (source / "course_lib" / "optim.py").unlink()
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        for file in (source / "course_lib").glob("*.py"):
            archive.write(file, f"my-work/course_lib/{file.name}")
        archive.writestr("my-work/submission.json", json.dumps({"student_id": "s123"}))
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"this is not a zip")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", str(nested), str(garbage), "--out", str(out),
                             "--data-root", str(data_root), "--scheduler", scheduler], capture_output=True, text=True,
                            cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    nested_results = json.loads((out / "nested" / "results.json").read_text())
    failed = _failed(nested_results)
    # the from-scratch pipeline uses sgd too, so it fails with it
    assert set(failed) == {"sgd: update rule", "sgd: zeroes gradients and keeps leaves",
                           "train: from-scratch pipeline reaches the reference's held-out accuracy"}
    assert "optim.py is missing" in failed["sgd: update rule"]
    assert nested_results["extra_data"]["student_id"] == "s123" and nested_results["score"] == 88
    garbage_results = json.loads((out / "garbage" / "results.json").read_text())
    assert garbage_results["score"] == 0 and garbage_results["extra_data"]["not_gradable"] is True
    assert "not a zip" in garbage_results["output"]
