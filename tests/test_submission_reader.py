"""Is a hand-in read one way everywhere: where the modules sit, the manifest, the student id, what is hashed?"""

import json
import zipfile
from pathlib import Path

import pytest

from course_tools.submission_reader import (
    MAX_MODULE_BYTES,
    NoModules,
    NotGradable,
    from_files,
    locate,
    read,
    read_zip_bytes,
)

SOFTMAX = b"def softmax(X):\n    return X\n"


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _folder(path: Path, entries: dict[str, bytes]) -> Path:
    for name, data in entries.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    return path


def test_the_shallowest_course_lib_wins_and_macos_forks_never_count():
    """Is course_lib/ at the top preferred to one folder down, a deeper one ignored, and __MACOSX/ never it?"""
    assert locate(["a/course_lib/softmax.py", "course_lib/losses.py"]) == ""
    assert locate(["work/course_lib/softmax.py", "x/y/course_lib/softmax.py"]) == "work"
    assert locate(["x/y/course_lib/softmax.py", "__MACOSX/course_lib/softmax.py"]) is None
    assert locate(["softmax.py", "notes.txt"]) == ""  # loose modules at the top
    assert locate(["src/main.py"]) is None


@pytest.mark.parametrize("layout", ["top", "one folder down", "loose"])
def test_a_zip_and_a_folder_with_the_same_files_read_and_hash_alike(tmp_path, layout):
    """Do a zip and a folder holding the same modules and manifest give the same Submission and digest
    (oracle: the files written), whatever the layout?"""
    prefix = {"top": "course_lib/", "one folder down": "my-work/course_lib/", "loose": ""}[layout]
    manifest_at = "my-work/submission.json" if layout == "one folder down" else "submission.json"
    entries = {f"{prefix}softmax.py": SOFTMAX, manifest_at: json.dumps({"student_id": "s42"}).encode()}
    zipped = read(_zip(tmp_path / "hand-in.zip", entries))
    folder = read(_folder(tmp_path / "hand-in", entries))
    assert zipped == folder and zipped.modules == {"softmax": SOFTMAX} and zipped.student_id == "s42"
    assert zipped.digest() == folder.digest()
    assert read_zip_bytes("hand-in", (tmp_path / "hand-in.zip").read_bytes()) == zipped


def test_a_folder_holding_one_zip_is_read_as_that_zip(tmp_path):
    """Is a folder with no modules but one zip (Gradescope's and PrairieLearn's uploads) read as the zip, and
    a folder with two zips refused?"""
    upload = tmp_path / "submission"
    upload.mkdir()
    _zip(upload / "work.zip", {"course_lib/softmax.py": SOFTMAX})
    assert read(upload).modules == {"softmax": SOFTMAX} and read(upload).name == "submission"
    _zip(upload / "other.zip", {"course_lib/losses.py": b""})
    with pytest.raises(NoModules):
        read(upload)


def test_the_student_id_is_the_manifests_else_the_submissions_name(tmp_path):
    """Does a missing, broken or non-object manifest leave the submission's name as the student id?"""
    for manifest in (None, b"{not json", b"[1, 2]", b'{"student_id": ""}'):
        files = {"course_lib/softmax.py": SOFTMAX} | ({"submission.json": manifest} if manifest else {})
        assert from_files("folder-name", files).student_id == "folder-name"
    assert from_files("n", {"course_lib/softmax.py": SOFTMAX, "submission.json": b'{"student_id": 7}'}).student_id == "7"


def test_what_is_kept_is_only_modules_and_the_manifest(tmp_path):
    """Are other files (notes, caches, other folders' modules) left out, so they change neither grade nor hash?"""
    files = {"course_lib/softmax.py": SOFTMAX, "course_lib/__pycache__/x.pyc": b"x", "notes.txt": b"n",
             "course_lib/helper.py": b"h", "submission.json": b"{}"}
    assert set(from_files("n", files).files) == {"course_lib/softmax.py", "submission.json"}


def test_too_large_symlinked_and_unreadable_inputs(tmp_path):
    """Is an oversized module kept as None (the stager says so), a symlinked course_lib never followed, and a
    non-zip a NotGradable that is not NoModules?"""
    big = _folder(tmp_path / "big", {"course_lib/softmax.py": b"#" * (MAX_MODULE_BYTES + 1)})
    assert read(big).modules == {"softmax": None}
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "course_lib").symlink_to(big / "course_lib")
    with pytest.raises(NoModules):
        read(tmp_path / "linked")
    (tmp_path / "fake.zip").write_bytes(b"not a zip")
    with pytest.raises(NotGradable) as info:
        read(tmp_path / "fake.zip")
    assert not isinstance(info.value, NoModules) and "not a zip" in str(info.value)
