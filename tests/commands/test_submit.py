"""Does `course submit` pack exactly the exercise modules with a truthful manifest, and refuse broken work?"""

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course_tools.contract import EXERCISE_MODULES

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]


def no_zip(out: Path) -> bool:
    return not out.exists() or not list(out.glob("*.zip"))


def submit(checkout: Path, out: Path, *extra: str):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", "submit", "--root", str(checkout),
                           "--out", str(out), *extra], capture_output=True, text=True, timeout=300)


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A student's checkout: the released course_lib/ and the course config."""
    shutil.copytree(ROOT / "course_lib", tmp_path / "checkout" / "course_lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "checkout" / "course.toml").write_text('[assignment]\nname = "week-3"\n')
    return tmp_path / "checkout"


def test_packs_every_module_with_its_sha256(checkout, tmp_path):
    """Does the zip hold each course_lib/<module>.py and a manifest whose hashes match the student's files?"""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = submit(checkout, tmp_path / "out", "--student-id", "s.alice@uni")
    assert result.returncode == 0, result.stderr
    archive_path = tmp_path / "out" / "s.alice@uni-week-3.zip"
    with zipfile.ZipFile(archive_path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("submission.json"))
        packed = {name: archive.read(name) for name in names - {"submission.json"}}
    expected = {f"course_lib/{m}.py" for m in EXERCISE_MODULES}
    assert names == expected | {"submission.json"}
    assert manifest["student_id"] == "s.alice@uni" and manifest["assignment"] == "week-3"
    # oracle: hashlib over the files in the checkout, and the packed bytes are those files
    for name in expected:
        on_disk = (checkout / name).read_bytes()
        assert packed[name] == on_disk
        assert manifest["files"][name] == hashlib.sha256(on_disk).hexdigest()
    stamp = dt.datetime.fromisoformat(manifest["timestamp"])
    assert manifest["timestamp"].endswith("Z") and stamp.utcoffset() == dt.timedelta(0)
    assert before <= stamp <= dt.datetime.now(dt.UTC)
    assert str(archive_path) in result.stdout and "course_lib/softmax.py" in result.stdout


def test_refuses_a_missing_module_and_packs_nothing(checkout, tmp_path):
    """Is a missing module named, with exit status 1 and no zip written?"""
    (checkout / "course_lib" / "optim.py").unlink()
    result = submit(checkout, tmp_path / "out", "--student-id", "s1")
    assert result.returncode == 1
    assert "course_lib/optim.py is missing" in result.stderr
    assert no_zip(tmp_path / "out")


def test_refuses_a_module_the_grader_would_reject_as_too_large(checkout, tmp_path):
    """Is a module over the grader's MAX_MODULE_BYTES (1 MiB) refused by name, with exit status 1 and no zip?"""
    from course_tools.submission_reader import MAX_MODULE_BYTES

    (checkout / "course_lib" / "metrics.py").write_text("#" * MAX_MODULE_BYTES + "\n")
    result = submit(checkout, tmp_path / "out", "--student-id", "s1")
    assert result.returncode == 1
    assert "course_lib/metrics.py is 1,048,577 bytes" in result.stderr
    assert no_zip(tmp_path / "out")


def test_refuses_a_module_that_does_not_import(checkout, tmp_path):
    """Is a syntax error reported with the module's name and the error, and nothing packed?"""
    path = checkout / "course_lib" / "losses.py"
    path.write_text(path.read_text() + "\ndef broken(:\n")
    result = submit(checkout, tmp_path / "out", "--student-id", "s1")
    assert result.returncode == 1
    assert "course_lib/losses.py does not import: SyntaxError" in result.stderr
    assert "softmax.py" not in result.stderr  # the modules that import are not blamed
    assert no_zip(tmp_path / "out")


def test_a_hanging_import_cannot_hang_submit(checkout, tmp_path):
    """Does a module that loops at import time get named after the time limit, instead of hanging submit?"""
    (checkout / "course_lib" / "softmax.py").write_text("import time\nwhile True:\n    time.sleep(0.1)\n")
    result = submit(checkout, tmp_path / "out", "--student-id", "s1", "--timeout", "3")
    assert result.returncode == 1
    assert "course_lib/softmax.py does not import: importing it took more than 3 s" in result.stderr


@pytest.mark.parametrize("student_id", ["", "../evil", "a b"])
def test_rejects_a_missing_or_unsafe_student_id(checkout, tmp_path, student_id, monkeypatch):
    """Is an empty or path-like student id refused with a clear message (it names the zip)?"""
    monkeypatch.delenv("COURSE_STUDENT_ID", raising=False)
    result = submit(checkout, tmp_path / "out", *(["--student-id", student_id] if student_id else []))
    assert result.returncode == 2 and "student id" in result.stderr


def test_untouched_stubs_are_named_before_packing(checkout, tmp_path):
    """Does submit warn, naming each module that is still the released stub (all of them here), and
    each function still unfinished in a module half done (oracle: the reference copied over one function)?"""
    solved = (ROOT / "solutions" / "course_lib" / "metrics.py").read_text()
    stub = (checkout / "course_lib" / "metrics.py").read_text()
    accuracy = solved.split("def evaluate_accuracy")[0].split("def accuracy", 1)[1]
    half = stub.split("def accuracy", 1)[0] + "def accuracy" + accuracy + "def evaluate_accuracy" + stub.split("def evaluate_accuracy", 1)[1]
    (checkout / "course_lib" / "metrics.py").write_text(half)
    (checkout / "course_lib" / "optim.py").write_bytes((ROOT / "solutions" / "course_lib" / "optim.py").read_bytes())
    result = submit(checkout, tmp_path / "out", "--student-id", "s1")
    assert result.returncode == 0, result.stderr  # packed anyway: a partial hand-in is allowed
    assert "WARNING" in result.stderr
    for module in set(EXERCISE_MODULES) - {"metrics", "optim"}:
        assert f"course_lib/{module}.py is still the untouched stub" in result.stderr
    assert "course_lib/metrics.py: evaluate_accuracy still raises NotImplementedError" in result.stderr
    assert "optim.py" not in result.stderr and "accuracy," not in result.stderr


def test_finished_work_gets_no_stub_warning(checkout, tmp_path):
    """Does the reference, submitted, pack without a warning?"""
    for module in EXERCISE_MODULES:
        shutil.copy(ROOT / "solutions" / "course_lib" / f"{module}.py", checkout / "course_lib" / f"{module}.py")
    result = submit(checkout, tmp_path / "out", "--student-id", "s1")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr


def test_completed_lab_notebooks_are_packed_in_place_of_their_stub_modules(checkout, tmp_path):
    """With every lab completed in exercises/, does the zip hold the notebooks (listed in the manifest) instead of the
    untouched stub modules they answer, say so, and read back as the reference's modules?"""
    from course_tools.submission_reader import read
    from submissions import completed_labs

    completed_labs(checkout / "exercises" / "softmax-regression")
    result = submit(checkout, tmp_path / "out", "--student-id", "s1")
    assert result.returncode == 0, result.stderr
    archive = tmp_path / "out" / "s1-week-3.zip"
    names = set(zipfile.ZipFile(archive).namelist())
    labs = {f"notebooks/{p.name}" for p in (ROOT / "exercises" / "softmax-regression").glob("*.ipynb")}
    assert names == labs | {"submission.json"}, names  # every stub module is answered by a notebook
    manifest = json.loads(zipfile.ZipFile(archive).read("submission.json"))
    assert set(manifest["files"]) == labs and "notebooks/softmax-regression.ipynb" in result.stdout
    reference = (ROOT / "solutions" / "course_lib" / "softmax.py").read_text()
    built = read(archive).modules["softmax"].decode()
    assert "def log_softmax" in built and built.split("def softmax", 1)[1].split("def log_softmax")[0].strip() in reference


def test_a_module_answered_twice_is_refused(checkout, tmp_path):
    """Is work finished both in course_lib/softmax.py and in a lab notebook refused, naming the module?"""
    from submissions import completed_labs

    completed_labs(checkout / "exercises" / "softmax-regression")
    shutil.copy(ROOT / "solutions" / "course_lib" / "softmax.py", checkout / "course_lib" / "softmax.py")
    result = submit(checkout, tmp_path / "out", "--student-id", "s1")
    assert result.returncode == 1 and "two answers to softmax" in result.stderr and no_zip(tmp_path / "out")
