"""Does `course check` run the public checks on a student's copy and say they are not the grade?"""

import tomllib

import pytest

from course_tools.contract import EXERCISE_MODULES
from course_tools.release.notebooks import NOTEBOOK
from course_tools.site import site_url
from submissions import completed_labs, course_check, student_copy

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker


def test_reference_passes_every_public_check(root, tmp_path):
    """Does a copy holding the reference pass all public checks, for full points?"""
    result = course_check(student_copy(root, tmp_path, EXERCISE_MODULES))
    total = tomllib.loads((root / "public_tests" / "checks.toml").read_text())["total"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Public checks: {total:g}/{total:g} points" in result.stdout  # every configured check ran and passed
    assert "FAIL" not in result.stdout


def test_one_exercise_with_stubs_fails_with_hints(root, tmp_path):
    """Does checking one unsolved exercise run only its checks, fail them with a hint, and say it is not the grade?"""
    result = course_check(student_copy(root, tmp_path), "losses")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(lines) == 2 and all(line.startswith("FAIL") and "cross_entropy" in line for line in lines)
    assert "Hint: Replace the `raise NotImplementedError(...)`" in result.stdout
    # the lesson by its address on the course site (oracle: mkdocs.yml's site_url), not by a repository path
    assert f"{site_url(root)}exercises/cross-entropy/" in result.stdout and "docs/exercises" not in result.stdout
    assert "public checks only" in result.stdout and "hidden checks" in result.stdout


def test_public_checks_stay_apart_from_hidden_ones(root):
    """Do the public checks ship without any hidden grader title, so nothing hidden reaches students?"""
    public = tomllib.loads((root / "public_tests" / "checks.toml").read_text())["checks"]
    hidden = tomllib.loads((root / "graders" / "grading.toml").read_text())["checks"]
    assert public and not set(public) & set(hidden)
    for path in (root / "public_tests").glob("*.py"):
        text = path.read_text()
        assert "from graders" not in text and "import graders" not in text and "ref." not in text


def test_missing_public_tests_is_a_clear_error(tmp_path):
    """Does running outside a course folder say what is wrong instead of crashing?"""
    (tmp_path / "course_lib").mkdir()
    result = course_check(tmp_path)
    assert result.returncode == 2 and "no public_tests/" in result.stderr


def test_a_completed_lab_notebook_is_checked_in_place_of_course_lib(root, tmp_path):
    """Does `--notebook` check the answers in a lab notebook (a softmax without the max shift fails the docstring's
    1e4 example), however the stubs in course_lib/ stand?

    Oracle: the unshifted softmax overflows on the docstring's 1e4 logits; every other public check passes."""
    folder = student_copy(root, tmp_path / "student")
    labs = completed_labs(tmp_path / "labs", replace={"softmax": ("X_exp = torch.exp(X - X_max)", "X_exp = torch.exp(X)")})
    result = course_check(folder, "--notebook", str(labs / NOTEBOOK))
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert failed == ["FAIL   0/2   softmax: docstring example"], result.stdout


def test_a_missing_notebook_is_a_clear_error(root, tmp_path):
    """Does `--notebook` on a path that does not exist say so, with exit status 2?"""
    result = course_check(student_copy(root, tmp_path), "--notebook", str(tmp_path / "nowhere.ipynb"))
    assert result.returncode == 2 and "nowhere.ipynb does not exist" in result.stderr
