"""Does no student-facing output hold solution code or hidden tests, and would the scan notice if one did?"""

import json
import shutil
import zipfile

import pytest

from course_tools.contract import EXERCISE_MODULES
from course_tools.release.bundle import tool_files, write_bundle
from course_tools.release.leaks import scan_file, scan_outputs, secret_lines
from course_tools.release.notebooks import ASSIGNMENT, NOTEBOOK, RELEASE_DIR, SOURCE_DIR


@pytest.fixture(scope="module")
def secrets(root):
    return secret_lines(root / "solutions" / "course_lib", root / SOURCE_DIR / ASSIGNMENT, root / "course_lib", EXERCISE_MODULES,
                        tool_files(root))


@pytest.fixture(scope="module")
def bundle(root, tmp_path_factory):
    target = tmp_path_factory.mktemp("bundle") / "student.zip"
    write_bundle(root, target)
    return target


def test_secrets_cover_every_solution(secrets):
    """Are the reference's solution lines among the secrets scanned for?"""
    assert "X_exp = torch.exp(X - X_max)" in secrets
    assert "param -= lr * param.grad / batch_size" in secrets


def test_no_student_facing_output_leaks(root, secrets, bundle):
    """Do course_lib/, the released notebooks and the bundle's members hold no solution line, marker or hidden test?"""
    leaks = scan_outputs([root / "course_lib", root / RELEASE_DIR, bundle], secrets)
    assert not leaks, "\n".join(map(str, leaks))


def test_bundle_holds_the_student_files_only(root, bundle):
    """Does the bundle hold course_lib/, the notebooks, the public checks, the students' `course` tools and a README, and
    nothing secret or of the instructor's?"""
    names = zipfile.ZipFile(bundle).namelist()
    assert "softmax-course/README.md" in names and "softmax-course/course_lib/data.py" in names
    for notebook in (root / RELEASE_DIR / ASSIGNMENT).glob("*.ipynb"):
        assert f"softmax-course/exercises/{ASSIGNMENT}/{notebook.name}" in names
    assert not [n for n in names if "solutions" in n or "graders" in n or n.endswith((".pyc", ".db"))]
    assert "softmax-course/public_tests/checks.toml" in names  # `course check` works from the bundle
    assert "softmax-course/pyproject.toml" in names and "softmax-course/course_tools/cli.py" in names
    instructors = [n for n in names if n.split("/")[2:3] in (["batch"], ["lms"], ["gradescope"], ["prairielearn"],
                                                            ["release"]) or n.endswith("/commands/grade.py")]
    assert not instructors, instructors  # the instructor's tools stay with the instructor


def test_bundle_is_reproducible(root, bundle, tmp_path):
    """Does the same release give the same bundle bytes?"""
    again = tmp_path / "again.zip"
    write_bundle(root, again)
    assert again.read_bytes() == bundle.read_bytes()


@pytest.mark.parametrize("planted", [
    "    X_exp = torch.exp(X - X_max)\n",  # a solution line
    "### BEGIN SOLUTION\n",
    "### BEGIN HIDDEN TESTS\n",
])
def test_scan_catches_a_planted_leak_in_a_notebook(root, secrets, tmp_path, planted):
    """Does the scan report a solution line or a marker planted in a released notebook?"""
    notebook = json.loads((root / RELEASE_DIR / ASSIGNMENT / NOTEBOOK).read_text())
    notebook["cells"][-1]["source"] += "\n" + planted
    target = tmp_path / NOTEBOOK
    target.write_text(json.dumps(notebook))
    assert scan_file(target, secrets)


def test_scan_catches_a_leak_in_a_stub_and_in_a_zip(root, secrets, tmp_path):
    """Does the scan report a solution line in a stub, and a solutions/ file or leaked line inside a zip?"""
    stub = tmp_path / "optim.py"
    stub.write_text((root / "course_lib" / "optim.py").read_text() + "\n            param.grad.zero_()\n")
    assert scan_file(stub, secrets)
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("softmax-course/solutions/course_lib/optim.py", "")
        zf.writestr("softmax-course/course_lib/optim.py", stub.read_text())
    found = {leak.what for leak in scan_file(archive, secrets)}
    assert "an instructor-only file" in found and any("param.grad.zero_()" in what for what in found)


def test_helper_lines_are_not_secrets(root, secrets):
    """Are lines that the released helpers hold anyway (data.py, batches.py, ...) left out of the secrets?"""
    helper_lines = {line.strip() for path in (root / "course_lib").glob("*.py") if path.stem not in EXERCISE_MODULES
                    for line in path.read_text().splitlines()}
    assert not secrets & helper_lines


def test_stray_copy_of_the_reference_is_caught(root, secrets, tmp_path):
    """Would a release that copied solutions/course_lib into course_lib/ be caught?"""
    lib = tmp_path / "course_lib"
    shutil.copytree(root / "solutions" / "course_lib", lib)
    assert len(scan_outputs([lib], secrets)) >= len(EXERCISE_MODULES)
