"""Does every malformed submission get a clear verdict of its own, write nothing outside its place, and
never stop the batch? Zip-slip, absolute and Windows paths, symlinks, zip bombs, corrupt zips,
non-UTF-8 and oversized sources, missing files, wrong signatures, empty zips and non-zips, first
through `stage` (fast), then a few through one `course grade` batch. Oracles: the file tree around
the submission and the out folder, and the verdict text."""

import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from course_tools.contract import EXERCISE_MODULES
from course_tools.judge.submission import stage
from course_tools.submission_reader import MAX_ENTRIES, NotGradable, submission_name

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "solutions" / "course_lib"
RELEASED = ROOT / "course_lib"


def reference_entries(prefix: str = "", skip=()) -> dict[str, bytes]:
    return {f"{prefix}course_lib/{m}.py": (REFERENCE / f"{m}.py").read_bytes() for m in EXERCISE_MODULES if m not in skip}


def make_zip(path: Path, entries: dict[str, bytes], symlinks: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def place(tmp_path):
    """A folder holding the submission and the staging folder; nothing else may appear in it."""
    (tmp_path / "work").mkdir()
    return tmp_path


def test_zip_slip_absolute_and_windows_paths_are_ignored(place):
    """Are '..', absolute, drive and backslash entries skipped, writing nothing outside the staging folder?"""
    marker = uuid.uuid4().hex
    evil = {f"../evil-{marker}.py": b"x", f"course_lib/../../evil-{marker}.py": b"x",
            f"/tmp/evil-{marker}/course_lib/softmax.py": b"raise SystemExit", f"..\\..\\evil-{marker}.py": b"x",
            f"C:/evil-{marker}/course_lib/losses.py": b"x", "course_lib/../course_lib/softmax.py": b"raise SystemExit"}
    path = make_zip(place / "slip.zip", reference_entries() | evil)
    before = snapshot(place)
    staged = stage(path, RELEASED, place / "work" / "stage")
    assert staged.problems == {} and staged.sources["softmax"] == (REFERENCE / "softmax.py").read_text()
    assert all(p.startswith("work/stage") for p in snapshot(place) - before)
    assert not any(marker in p.name for folder in (Path("/tmp"), Path("/"), place.parent) for p in folder.iterdir())


def test_symlinks_are_never_followed(place):
    """Is a zip symlink entry, or a symlinked module or course_lib in a folder, treated as missing?"""
    target = str(REFERENCE / "softmax.py")
    path = make_zip(place / "links.zip", reference_entries(skip=["softmax"]), {"course_lib/softmax.py": target})
    staged = stage(path, RELEASED, place / "work" / "stage")
    assert "softmax.py is missing" in staged.problems["softmax"] and "softmax" not in staged.sources
    folder = place / "folder"
    shutil.copytree(REFERENCE, folder / "course_lib")
    (folder / "course_lib" / "losses.py").unlink()
    (folder / "course_lib" / "losses.py").symlink_to(REFERENCE / "losses.py")
    assert set(stage(folder, RELEASED, place / "work" / "stage2").problems) == {"losses"}
    linked = place / "linked"
    linked.mkdir()
    (linked / "course_lib").symlink_to(REFERENCE)
    with pytest.raises(NotGradable, match="no course_lib"):
        stage(linked, RELEASED, place / "work" / "stage3")


@pytest.mark.parametrize("entries,reason", [
    ({"course_lib/softmax.py": b"\0" * (50 << 20)}, "compressed more than 100:1"),
    ({f"course_lib/pad{i}.txt": os.urandom(1 << 20) for i in range(70)}, "more than 64 MiB"),
], ids=["ratio", "total"])
def test_zip_bombs_are_refused(place, entries, reason):
    """Is a zip whose entries expand too much, or too far in total, refused before anything is read?"""
    path = make_zip(place / "bomb.zip", reference_entries() | entries)
    with pytest.raises(NotGradable, match=reason):
        stage(path, RELEASED, place / "work" / "stage")
    assert not (place / "work" / "stage").exists()


def test_too_many_entries_are_refused(place):
    """Is a zip of more than MAX_ENTRIES tiny entries refused?"""
    path = make_zip(place / "many.zip", reference_entries() | {f"junk/{i}": b"" for i in range(MAX_ENTRIES + 1)})
    with pytest.raises(NotGradable, match="entries"):
        stage(path, RELEASED, place / "work" / "stage")


def test_corrupt_and_truncated_zips_are_not_gradable(place):
    """Do a zip with a corrupted entry and a zip cut in half each get a verdict, not a crash?"""
    good = make_zip(place / "good.zip", reference_entries())
    data = bytearray(good.read_bytes())
    start = data.index(b"course_lib/softmax.py") + len("course_lib/softmax.py")
    data[start + 10 : start + 40] = b"\xff" * 30  # inside the first entry's compressed bytes
    corrupt = place / "corrupt.zip"
    corrupt.write_bytes(bytes(data))
    half = place / "half.zip"
    half.write_bytes(good.read_bytes()[: len(data) // 2])
    for path in (corrupt, half):
        with pytest.raises(NotGradable, match="zip"):
            stage(path, RELEASED, place / "work" / path.stem)


def test_sources_that_are_not_utf8_or_too_large_are_problems_not_crashes(place):
    """Are a Latin-1 module and a 2 MiB module reported per module, the rest staged?"""
    entries = reference_entries() | {"course_lib/softmax.py": "# café\n".encode("latin-1"),
                                     "course_lib/losses.py": b"# " + os.urandom(1 << 20).hex().encode() + b"\n"}
    staged = stage(make_zip(place / "enc.zip", entries), RELEASED, place / "work" / "stage")
    assert staged.problems == {"softmax": "course_lib/softmax.py is not valid UTF-8 text",
                               "losses": "course_lib/losses.py is larger than 1 MiB"}
    assert (place / "work" / "stage" / "course_lib" / "softmax.py").read_bytes() == (RELEASED / "softmax.py").read_bytes()


@pytest.mark.parametrize("make,reason", [
    (lambda p: make_zip(p / "empty.zip", {}), "no course_lib"),
    (lambda p: make_zip(p / "other.zip", {"README.md": b"hello", "src/main.py": b""}), "no course_lib"),
    (lambda p: (p / "text.zip").write_text("not a zip") and p / "text.zip", "not a zip"),
    (lambda p: (p / "image.png").write_bytes(b"\x89PNG\r\n") and p / "image.png", "not a zip"),
    (lambda p: p / "does-not-exist", "does not exist"),
    (lambda p: (p / "empty-folder").mkdir() or p / "empty-folder", "no course_lib"),
], ids=["empty-zip", "no-course-lib", "text", "png", "missing", "empty-folder"])
def test_whole_submission_verdicts(place, make, reason):
    """Does each submission that cannot be graded at all say why?"""
    with pytest.raises(NotGradable, match=reason):
        stage(make(place), RELEASED, place / "work" / "stage")


def test_garbage_manifests_are_ignored(place):
    """Are a non-JSON, a list and a deeply nested submission.json ignored, the id falling back to the name?"""
    for i, manifest in enumerate([b"{not json", b"[1, 2]", b"[" * 100_000, b"\xff\xfe"]):
        path = make_zip(place / f"m{i}.zip", reference_entries() | {"submission.json": manifest})
        staged = stage(path, RELEASED, place / "work" / f"stage{i}")
        assert staged.manifest == {} and staged.student_id == f"m{i}"


def test_only_exercise_modules_locate_course_lib(place):
    """Do a course_lib/README.md at the top and macOS's __MACOSX/course_lib/._softmax.py leave the real modules one
    folder deep found (the prefix is chosen from exercise modules only)?"""
    entries = reference_entries("my-work/") | {"course_lib/README.md": b"notes", "__MACOSX/course_lib/._softmax.py": b"\0"}
    staged = stage(make_zip(place / "mac.zip", entries), RELEASED, place / "work" / "stage")
    assert staged.problems == {} and staged.sources["softmax"] == (REFERENCE / "softmax.py").read_text()
    with pytest.raises(NotGradable, match="no course_lib"):
        stage(make_zip(place / "readme.zip", {"course_lib/README.md": b"notes"}), RELEASED, place / "work" / "s2")


def test_submission_names_stay_inside_the_out_folder():
    """Can no file name ('...zip', '..') make a submission's output folder point outside --out?"""
    for name in ("...zip", "..zip", "..", "/"):
        assert submission_name(Path(name)).strip(".") != ""
        assert "/" not in submission_name(Path(name))


@pytest.fixture(scope="module")
def graded(tmp_path_factory, data_root, scheduler):
    """A zip-slip zip, wrong signatures, a Latin-1 module, an empty zip and a non-zip in one `course grade` batch."""
    base = tmp_path_factory.mktemp("malformed")
    marker = uuid.uuid4().hex
    subs = base / "submissions"
    subs.mkdir()
    make_zip(subs / "slip.zip", reference_entries() | {f"../../../evil-{marker}.py": b"x", f"/tmp/evil-{marker}.py": b"x"})
    wrong = subs / "signatures"
    shutil.copytree(REFERENCE, wrong / "course_lib")
    with open(wrong / "course_lib" / "softmax.py", "a") as f:
        f.write("\n\ndef softmax(X, dim):\n    return X\n")
    make_zip(subs / "latin1.zip", reference_entries() | {"course_lib/softmax.py": "# café\n".encode("latin-1")})
    make_zip(subs / "empty.zip", {})
    (subs / "notazip.zip").write_bytes(b"PK\x03\x04 but not really a zip")
    out = base / "out"
    before = snapshot(base)
    run = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", *map(str, sorted(subs.iterdir())),
                          "--out", str(out), "--jobs", "2", "--quiet", "--data-root", str(data_root), "--only=softmax",
                          "--scheduler", scheduler],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    outside = {p for p in snapshot(base) - before if not p.startswith("out")}
    outside |= {str(p) for folder in (Path("/tmp"), Path("/"), ROOT) for p in folder.iterdir() if marker in p.name}
    results = {p.name: json.loads((p / "results.json").read_text()) for p in out.iterdir() if (p / "results.json").is_file()}
    return run, results, outside


def test_the_batch_grades_each_malformed_submission(graded):
    """Does the batch finish with one verdict per submission and nothing written outside --out?"""
    run, results, outside = graded
    assert run.returncode == 0, run.stderr[-3000:]
    assert set(results) == {"slip", "signatures", "latin1", "empty", "notazip"}
    assert outside == set()


def test_malformed_verdicts_are_clear(graded):
    """Does each submission get the verdict its defect calls for?"""
    _, results, _ = graded
    softmax = {t["name"]: t for t in results["slip"]["tests"] if t["name"].startswith(("softmax", "log_softmax"))}
    assert results["slip"]["score"] == 20 and all(t["status"] == "passed" for t in softmax.values())
    failed = {t["name"]: t["output"] for t in results["signatures"]["tests"] if t["status"] == "failed" and t["output"] != "not run"}
    assert "softmax: matches the reference on random inputs" in failed
    assert "missing 1 required positional argument: 'dim'" in failed["softmax: matches the reference on random inputs"]
    latin1 = {t["name"]: t["output"] for t in results["latin1"]["tests"] if t["output"] != "not run"}
    assert len(latin1) == 10 and results["latin1"]["score"] == 0
    assert all("not valid UTF-8" in o for o in latin1.values() if not o.startswith("Hint")), latin1
    for name, phrase in (("empty", "no course_lib"), ("notazip", "not a zip")):
        assert results[name]["extra_data"]["not_gradable"] is True and phrase in results[name]["output"]
