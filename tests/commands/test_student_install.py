"""Do `course check` and `course submit` work from the student bundle with only the student's install?

The student's venv is built from this one's files of the base install's distributions (install_sets.py): what a
fresh venv with the bundle's `pip install -e .` holds, without installing torch again."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from course_tools.release.bundle import PREFIX, write_bundle
from install_sets import student_venv

pytestmark = pytest.mark.slow  # every test here starts the `course` command, which imports torch

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def python(tmp_path_factory) -> Path:
    """The python of a student's venv, holding the base install only."""
    return student_venv(tmp_path_factory.mktemp("student venv") / "venv")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The released student bundle, unzipped in a path with a space."""
    folder = tmp_path_factory.mktemp("student bundle")
    zipfile.ZipFile(write_bundle(ROOT, folder / "student.zip") and folder / "student.zip").extractall(folder)
    return folder / PREFIX


def course(python: Path, folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`course` run by `python` from `folder`, whose course_tools/ comes first on sys.path."""
    return subprocess.run([str(python), "-m", "course_tools.cli", *args], cwd=folder, capture_output=True, text=True,
                          timeout=300)


def test_the_student_venv_lacks_the_other_installs(python):
    """Is none of the instructor's, the site's or the tests' packages importable there (else the others prove little)?"""
    for module in ("dask", "distributed", "nbgrader", "mkdocs", "playwright", "hypothesis", "jupyter_server"):
        found = subprocess.run([str(python), "-c", f"import importlib.util as u; print(u.find_spec({module!r}))"],
                               capture_output=True, text=True, timeout=60)
        assert found.stdout.strip() == "None", (module, found.stdout, found.stderr)


def test_check_and_submit_work_with_the_student_install_only(bundle, python, tmp_path):
    """Does `course check softmax` pass a solved softmax, and `course submit` pack the work?"""
    (bundle / "course_lib" / "softmax.py").write_bytes((ROOT / "solutions" / "course_lib" / "softmax.py").read_bytes())
    check = course(python, bundle, "check", "softmax")
    assert check.returncode == 0 and "3/3 passed" in check.stdout, check.stdout + check.stderr
    submit = course(python, bundle, "submit", "--student-id", "s1234", "--out", str(tmp_path))
    assert submit.returncode == 0, submit.stdout + submit.stderr
    assert [p.suffix for p in tmp_path.iterdir()] == [".zip"]


def test_the_bundle_offers_the_students_verbs_only(bundle, python):
    """Does `course --help` in the bundle list check and submit, and no instructor verb?"""
    listed = course(python, bundle, "--help")
    assert listed.returncode == 0 and "check" in listed.stdout and "submit" in listed.stdout
    assert "grade" not in listed.stdout.split("positional arguments")[-1], listed.stdout


def test_an_instructor_verb_without_its_install_names_the_extra(python, tmp_path):
    """In a checkout with the student install only, does `course grade` say which extra to install?"""
    result = course(python, ROOT, "grade", str(ROOT / "course_lib"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "pip install -e '.[instructor]'" in result.stderr and "dask" in result.stderr, result.stderr[-2000:]
