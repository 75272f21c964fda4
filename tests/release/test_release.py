"""Does `course release` make every student-facing output from solutions/, report drift, and refuse leaks?

Each test works on a scratch copy of the course (course_lib/, solutions/, the grading config and
nbgrader_config.py), never on this checkout.
"""

import shutil
import subprocess
import sys
import zipfile

import pytest

from course_tools.commands import release as release_command
from course_tools.release.notebooks import ASSIGNMENT, NOTEBOOK

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker


def course(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", "release", *args],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


def scratch_course(root, target):
    """A copy of what `course release` reads, without any generated file but the helpers of course_lib/."""
    shutil.copytree(root / "course_lib", target / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "solutions" / "course_lib", target / "solutions" / "course_lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (target / "graders").mkdir(parents=True)
    shutil.copy(root / "graders" / "grading.toml", target / "graders" / "grading.toml")
    shutil.copy(root / "nbgrader_config.py", target / "nbgrader_config.py")
    shutil.copy(root / "mkdocs.yml", target / "mkdocs.yml")  # its site_url gives the stubs' lesson addresses
    (target / "course_lib" / "optim.py").write_text("# stale\n")
    return target


@pytest.fixture(scope="module")
def released(root, tmp_path_factory):
    target = scratch_course(root, tmp_path_factory.mktemp("course"))
    result = course("--root", str(target), "--bundle", str(target / "student.zip"))
    assert result.returncode == 0, result.stderr
    return target, result


def test_release_writes_every_output(root, released):
    """Does one `course release` write the stubs, source and released notebooks, the gradebook entry and the bundle?"""
    target, result = released
    assert (target / "course_lib" / "optim.py").read_text() == (root / "course_lib" / "optim.py").read_text()
    for folder in (target / "solutions" / "notebooks" / ASSIGNMENT, target / "exercises" / ASSIGNMENT):
        assert sorted(p.name for p in folder.glob("*.ipynb")) == sorted(p.name for p in (root / "exercises" / ASSIGNMENT).glob("*.ipynb"))
    assert (target / "gradebook.db").is_file()  # nbgrader autograde needs the assignment recorded there
    names = zipfile.ZipFile(target / "student.zip").namelist()
    assert "softmax-course/course_lib/optim.py" in names and f"softmax-course/exercises/{ASSIGNMENT}/{NOTEBOOK}" in names
    assert "leak scan: 0 leaks" in result.stdout


def test_released_notebooks_equal_the_checked_in_ones(root, released):
    """Does a release from the same solutions/ give byte-identical notebooks to the committed exercises/?"""
    target, _ = released
    for path in (root / "exercises" / ASSIGNMENT).glob("*.ipynb"):
        assert (target / "exercises" / ASSIGNMENT / path.name).read_bytes() == path.read_bytes(), path.name


def test_check_reports_drift_after_a_solution_changes(root, released, tmp_path):
    """After an edit of solutions/, does --check name the stale stub and notebook, write nothing, and exit 1?"""
    target = tmp_path / "course"
    shutil.copytree(released[0], target)
    assert course("--root", str(target), "--check").returncode == 0
    solution = target / "solutions" / "course_lib" / "optim.py"
    edited = solution.read_text().replace("then zero or clear p.grad.", "then zero or clear p.grad (always).")
    assert edited != solution.read_text()
    solution.write_text(edited)
    before = (target / "course_lib" / "optim.py").read_text()
    result = course("--root", str(target), "--check")
    assert result.returncode == 1
    assert "course_lib/optim.py" in result.stderr and f"solutions/notebooks/{ASSIGNMENT}/{NOTEBOOK}" in result.stderr
    assert (target / "course_lib" / "optim.py").read_text() == before


def test_a_misplaced_solution_region_is_a_clear_error(root, tmp_path):
    """Is a solution region outside any function refused with a message, not a traceback or a leak?"""
    target = scratch_course(root, tmp_path)
    (target / "solutions" / "course_lib" / "optim.py").write_text("### BEGIN SOLUTION\nSECRET = 1\n### END SOLUTION\n")
    result = course("--root", str(target), "--bundle", str(target / "b.zip"))
    assert result.returncode == 1 and "course release:" in result.stderr and "Traceback" not in result.stderr
    assert not (target / "b.zip").exists()


def test_a_leak_fails_the_release(root, released, tmp_path, monkeypatch, capsys):
    """If a step ever copied solution code into an output, would the release exit 1 and name the leak?"""
    target = tmp_path / "course"
    shutil.copytree(released[0], target)

    def copy_the_reference(solutions, lib, modules):
        for module in modules:
            shutil.copy(solutions / f"{module}.py", lib / f"{module}.py")
        return list(modules)

    monkeypatch.setattr(release_command, "write_stubs", copy_the_reference)
    assert release_command.release(target, target / "b.zip", database=False) == 1
    assert "LEAK" in capsys.readouterr().err
