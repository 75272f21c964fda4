"""Moodle round trip: its "Download all submissions" zip through `course grade --from moodle`, then its grading
worksheet through `course export moodle` with the feedback-files zip. Downloads follow Moodle's
mod/assign/classes/downloader.php (tests/lms_fixtures.py); the worksheet is tests/fixtures/lms/moodle_worksheet.csv
(mod/assign/gradingtable.php's download columns)."""

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lms_fixtures import FIXTURES, canvas_file, modules, moodle_folder, student_zip, write_zip

from course_tools.contract import EXERCISES, contract_name
from course_tools.judge.config import load_config
from course_tools.lms.moodle import read_moodle
from course_tools.lms.uploads import Gradable, classify

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
WORKSHEET = FIXTURES / "moodle_worksheet.csv"


def course(*args, env=None, timeout=900):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


def moodle_import_participant(path: str) -> str | None:
    """mod/assign/feedback/file/importziplib.php is_valid_filename_for_import: the first path part with at least
    four "_"-separated fields and a numeric second field names the participant."""
    for part in path.split("/"):
        info = part.split("_", 4)
        if len(info) >= 4 and info[1].isdigit():
            return info[1]
    return None


def download_entries(broken: bool = True) -> dict[str, bytes]:
    sources = modules(broken_softmax=broken)
    return {f"{moodle_folder('Zoë Ångström', 501)}/s-zoe-softmax-regression.zip": student_zip("s-zoe"),
            **{f"{moodle_folder('Omar Said', 502)}/course_lib/{m}.py": data for m, data in sources.items()},
            f"{moodle_folder('Tess Text', 503, 'onlinetext')}/onlinetext.html": b"<p>my answer is 42</p>"}


def test_reading_a_download_by_participant_id(tmp_path):
    """Are participant ids and full names (non-ASCII, "_" made a space) read, an archive inside its folder and loose
    modules in a sub-folder gradable, and an online text not gradable, saying so?"""
    uploads = {u.lms_id: u for u in read_moodle(write_zip(tmp_path / "d.zip", download_entries(broken=False)))}
    assert {i: u.name for i, u in uploads.items()} == {"501": "Zoë Ångström", "502": "Omar Said", "503": "Tess Text"}
    assert all(u.late is None for u in uploads.values())  # the zip does not say
    assert isinstance(classify(uploads["501"]), Gradable)
    assert classify(uploads["502"]).modules == modules()
    assert "text entry" in classify(uploads["503"])
    flat = {"Ann_Lee_7_assignsubmission_file_softmax.py".replace("Ann_Lee", "Ann Lee"): b"x"}  # Moodle < 3.1 layout
    assert read_moodle(write_zip(tmp_path / "flat.zip", flat))[0].originals == {"Ann Lee_7_assignsubmission_file_softmax.py": "softmax.py"}


@pytest.mark.parametrize("entries, named", [
    ({canvas_file("Doe, Jane", "101", "1", "a.zip"): b"x"}, "doejane_101_1_a.zip"),  # Canvas's
    ({"Jane Doe_assignsubmission_file/a.zip": b"x"}, "Jane Doe_assignsubmission_file/a.zip"),  # no participant id
    ({f"{moodle_folder('Jane Doe', 9)}/a.zip": b"x", f"{moodle_folder('John Roe', 9)}/b.zip": b"y"},
     "John Roe_9_assignsubmission_file/b.zip"),  # one participant id, two names
])
def test_a_malformed_download_is_refused_naming_the_entry(tmp_path, entries, named):
    """Does `course grade --from moodle` exit 2 naming the entry, writing nothing, the download unchanged?"""
    download = write_zip(tmp_path / "download.zip", entries)
    before = hashlib.sha256(download.read_bytes()).hexdigest()
    run = course("grade", download, "--from", "moodle", "--out", tmp_path / "out", timeout=120)
    assert run.returncode == 2 and named in run.stderr, run.stderr
    assert not (tmp_path / "out").exists() and hashlib.sha256(download.read_bytes()).hexdigest() == before


def test_moodle_round_trip(tmp_path, data_root, scheduler):
    """Download + worksheet -> course grade --from moodle -> course export moodle: Grade scaled to Maximum Grade (50;
    oracle: grading.toml's softmax points, less the check course.toml's overrides set to 0 for participant 501, and
    the broken softmax's own results.json), Feedback comments HTML-safe,
    blanks for the text entry and the absent student, every other cell, the header, the row order and the byte-order
    mark as downloaded; late flags from the worksheet; the feedback zip's folders map back to each participant by
    importziplib.php's rule."""
    download, out = write_zip(tmp_path / "COURSE-Softmax-42.zip", download_entries()), tmp_path / "graded"
    env = {**os.environ, "FASHION_MNIST_ROOT": str(data_root)}
    checks = load_config(ROOT / "graders" / "grading.toml")
    softmax_points = sum(c.points for t, c in checks.items() if contract_name(t) in EXERCISES["softmax"])
    taken = next(t for t in checks if contract_name(t) in EXERCISES["softmax"])  # an override takes its points
    config = tmp_path / "course.toml"
    config.write_text((ROOT / "course.toml").read_text() + '\n[overrides]\nfile = "overrides.csv"\n')
    (tmp_path / "overrides.csv").write_text(f"student_id,target,points,reason\n501,{taken},0,oral exam\n")
    graded = course("grade", download, "--from", "moodle", "--worksheet", WORKSHEET, "--out", out, "--only", "softmax",
                    "--quiet", "--scheduler", scheduler, "--config", config, env=env)
    assert graded.returncode == 0, graded.stderr[-3000:]
    softmax_501 = softmax_points - checks[taken].points
    broken = json.loads((out / "502" / "results.json").read_text())
    assert 0 < broken["score"] < softmax_points

    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}
    assert {i: r["late"] for i, r in rows.items()} == {"501": "no", "502": "yes", "503": "no"}
    assert rows["503"]["score"] == "" and rows["501"]["name"] == "Zoë Ångström"

    filled, feedback = tmp_path / "filled.csv", tmp_path / "feedback.zip"
    exported = course("export", "moodle", out, "--worksheet", WORKSHEET, "-o", filled, "--feedback-zip", feedback)
    assert exported.returncode == 0, exported.stderr
    assert filled.read_bytes().startswith(b"\xef\xbb\xbf")
    before, after = (list(csv.reader(io.StringIO(p.read_text(encoding="utf-8-sig")))) for p in (WORKSHEET, filled))
    assert after[0] == before[0] and [r[0] for r in after] == [r[0] for r in before]
    grade, comments = before[0].index("Grade"), before[0].index("Feedback comments")
    for old, new in zip(before[1:], after[1:], strict=True):
        assert [c for i, c in enumerate(old) if i not in (grade, comments)] == \
               [c for i, c in enumerate(new) if i not in (grade, comments)]
    by_id = {row[0]: row for row in after}
    assert float(by_id["Participant 501"][grade]) == pytest.approx(softmax_501 / 100 * 50, abs=0.005)
    assert float(by_id["Participant 502"][grade]) == pytest.approx(broken["score"] / 100 * 50, abs=0.005)
    assert by_id["Participant 503"][grade] == "" and "text entry" in by_id["Participant 503"][comments]
    assert by_id["Participant 504"][grade] == by_id["Participant 504"][comments] == ""
    assert "<" not in by_id["Participant 502"][comments] and "softmax" in by_id["Participant 502"][comments]

    with zipfile.ZipFile(feedback) as archive:
        names = archive.namelist()
        assert sorted(moodle_import_participant(n) for n in names) == ["501", "502"]
        assert all(n.endswith("_assignfeedback_file/feedback.html") for n in names)
        assert archive.read(names[0]) == (out / moodle_import_participant(names[0]) / "feedback.html").read_bytes()
