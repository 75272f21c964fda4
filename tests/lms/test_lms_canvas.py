"""Canvas round trip: its "Download Submissions" zip through `course grade --from canvas`, then its gradebook export
through `course export canvas`. Downloads are built by canvas-lms lib/content_zipper.rb's naming rules
(tests/lms_fixtures.py); the gradebook is tests/fixtures/lms/canvas_gradebook.csv (lib/gradebook_exporter.rb)."""

import csv
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lms_fixtures import FIXTURES, canvas_file, canvas_text, modules, student_zip, write_zip

from course_tools.contract import EXERCISES, contract_name
from course_tools.judge.config import load_config
from course_tools.lms.canvas import read_canvas
from course_tools.lms.canvas_gradebook import fill_gradebook
from course_tools.lms.csvfile import read_csv
from course_tools.lms.download import DownloadError
from course_tools.lms.outcomes import Outcome
from course_tools.lms.uploads import Gradable, classify

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
COLUMN = "softmax-regression (1234)"
GRADEBOOK = FIXTURES / "canvas_gradebook.csv"


def course(*args, env=None, timeout=900):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


def test_reading_a_download_names_identity_lateness_and_what_is_gradable(tmp_path):
    """Are ids, names (non-ASCII too), LATE, loose modules renamed -1, text entries, links, anonymous ids and files
    of the wrong kind read as content_zipper.rb writes them?"""
    sources = modules()
    entries = {canvas_file("Doe, Jane", "101", "9001", "s-jane-softmax-regression.zip", late=True): student_zip("s-jane"),
               **{canvas_file("Müller, Jürgen", "103", str(9100 + i), f"{m}-1.py" if m == "softmax" else f"{m}.py"):
                  sources[m] for i, m in enumerate(sources)},
               canvas_text("Text, Tina", "104"): b"<p>my answer</p>",
               canvas_text("Link, Lou", "106", kind="link"): b"<a href='x'>",
               canvas_file("Pdf, Pat", "108", "9200", "report.pdf"): b"%PDF",
               canvas_file(None, "anon_Xy12z", "9300", "a.zip", late=True): student_zip("s-anon")}
    uploads = {u.lms_id: u for u in read_canvas(write_zip(tmp_path / "download.zip", entries))}
    assert list(uploads) == ["101", "103", "104", "106", "108", "anon_Xy12z"]
    assert (uploads["101"].name, uploads["101"].late) == ("doejane", True)
    assert (uploads["103"].name, uploads["103"].late) == ("müllerjürgen", False)
    assert uploads["anon_Xy12z"].late is True and uploads["anon_Xy12z"].name == ""
    loose = classify(uploads["103"])
    assert isinstance(loose, Gradable) and loose.modules == sources  # softmax-1.py is softmax.py
    archive = classify(uploads["101"])
    assert isinstance(archive, Gradable) and archive.manifest["student_id"] == "s-jane"
    assert "text entry" in classify(uploads["104"])
    assert "link" in classify(uploads["106"])
    assert "wrong kind" in classify(uploads["108"]) and "report.pdf" in classify(uploads["108"])


@pytest.mark.parametrize("entries, named", [
    ({"Jane Doe_501_assignsubmission_file/a.zip": b"x"}, "Jane Doe_501_assignsubmission_file/a.zip"),  # Moodle's
    ({"doejane_softmax.py": b"x"}, "doejane_softmax.py"),  # no user id
    ({canvas_file("Doe, Jane", "101", "1", "a.zip"): b"x", canvas_file("Doe, Jane", "101", "2", "b.zip"): b"y"},
     "doejane_101_2_b.zip"),  # two archives for one id
    ({canvas_file("Doe, Jane", "101", "1", "softmax.py"): b"x", canvas_file("Doe, Jane", "101", "2", "softmax-1.py"): b"y"},
     "doejane_101_2_softmax-1.py"),  # one module twice
    ({canvas_file("Doe, Jane", "101", "1", "a.zip"): b"x", canvas_file("Roe, Rich", "101", "2", "b.zip"): b"y"},
     "roerich_101_2_b.zip"),  # one id under two names
])
def test_a_malformed_download_is_refused_naming_the_entry_and_nothing_is_written(tmp_path, entries, named):
    """Does `course grade --from canvas` exit 2 naming the offending entry, before grading, writing nothing and
    leaving the download as it was?"""
    download = write_zip(tmp_path / "download.zip", entries)
    before = hashlib.sha256(download.read_bytes()).hexdigest()
    run = course("grade", download, "--from", "canvas", "--out", tmp_path / "out", timeout=120)
    assert run.returncode == 2, run.stderr
    assert named in run.stderr
    assert not (tmp_path / "out").exists() and hashlib.sha256(download.read_bytes()).hexdigest() == before


def test_filling_the_gradebook_scales_to_points_possible_and_lists_the_missing(tmp_path):
    """Oracle: the fixture's Points Possible (20) times each fraction; a graded id absent from the gradebook is
    listed; a not-gradable student's cell stays as exported; every other cell is unchanged."""
    sheet = read_csv(GRADEBOOK, "gradebook")
    original = [list(row) for row in sheet.rows]
    found = {"101": Outcome("101", "doejane", True, 0.875, "", {}, None),
             "104": Outcome("104", "texttina", False, None, "a text entry", None, None),
             "777": Outcome("777", "ghost", False, 0.5, "", {}, None)}
    done = fill_gradebook(sheet, found, "", "softmax-regression")
    assert (done.written, done.blank, done.missing) == (["101"], ["104"], ["777"])
    column = original[0].index(COLUMN)
    changed = {(r, c) for r, row in enumerate(sheet.rows) for c, cell in enumerate(row) if cell != original[r][c]}
    assert changed == {(3, column)} and sheet.rows[3][column] == "17.5"
    with pytest.raises(DownloadError, match="Section"):
        sheet.rows[0][sheet.rows[0].index("Section")] = "Group"
        fill_gradebook(sheet, found, "", "softmax-regression")


def test_canvas_round_trip(tmp_path, data_root, scheduler):
    """Download -> course grade --from canvas -> course export canvas: the import file holds each graded student's
    softmax points scaled to 20 (oracle: grading.toml's softmax points; the broken softmax its own results.json;
    0 for the student whose softmax course.toml's overrides set to 0), blanks for the rest, every other cell as
    exported; grades.csv is by Canvas id with Canvas's late flag; the
    report names the shared archive and the manifest that names someone else."""
    shared = student_zip("s-jane")  # Richard hands in Jane's archive, manifest and all
    sources = modules(broken_softmax=True)
    entries = {canvas_file("Doe, Jane", "101", "9001", "s-jane-softmax-regression.zip", late=True): shared,
               canvas_file("Roe, Richard", "102", "9002", "s-jane-softmax-regression.zip"): shared,
               **{canvas_file("Müller, Jürgen", "103", str(9100 + i), f"{m}-1.py" if m == "softmax" else f"{m}.py"):
                  sources[m] for i, m in enumerate(sources)},
               canvas_text("Text, Tina", "104"): b"<p>my answer</p>",
               canvas_file("Pdf, Pat", "108", "9200", "report.pdf"): b"%PDF"}
    download, out = write_zip(tmp_path / "course-softmax_submissions.zip", entries), tmp_path / "graded"
    env = {**__import__("os").environ, "FASHION_MNIST_ROOT": str(data_root)}
    config = tmp_path / "course.toml"  # the course's, with an override: Richard's copied softmax earns nothing
    config.write_text((ROOT / "course.toml").read_text() + '\n[overrides]\nfile = "overrides.csv"\n')
    (tmp_path / "overrides.csv").write_text("student_id,target,points,reason\n102,softmax,0,handed in Jane's work\n")
    graded = course("grade", download, "--from", "canvas", "--out", out, "--only", "softmax", "--quiet",
                    "--scheduler", scheduler, "--config", config, env=env)
    assert graded.returncode == 0, graded.stderr[-3000:]
    assert "not gradable: canvas id 104" in graded.stdout and "not gradable: canvas id 108" in graded.stdout

    checks = load_config(ROOT / "graders" / "grading.toml")
    softmax_points = sum(c.points for t, c in checks.items() if contract_name(t) in EXERCISES["softmax"])
    broken = json.loads((out / "103" / "results.json").read_text())
    assert 0 < broken["score"] < softmax_points  # the stability checks fail, the rest pass
    assert json.loads((out / "101" / "results.json").read_text())["extra_data"]["student_id"] == "101"

    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}
    assert list(rows) == ["101", "102", "103", "104", "108"]
    assert [rows[i]["late"] for i in rows] == ["yes", "no", "no", "no", "no"]
    assert float(rows["101"]["total"]) == softmax_points and rows["103"]["name"] == "müllerjürgen"
    assert float(rows["102"]["total"]) == 0  # the override
    assert rows["104"]["total"] == "" and "text entry" in rows["104"]["not_gradable"]

    exported = course("export", "canvas", out, "--gradebook", GRADEBOOK, "-o", tmp_path / "import.csv",
                      "--config", config)
    assert exported.returncode == 0, exported.stderr
    before, after = (list(csv.reader(io.StringIO(p.read_text(encoding="utf-8")))) for p in (GRADEBOOK, tmp_path / "import.csv"))
    column = before[0].index(COLUMN)
    expected = {"101": softmax_points / 100 * 20, "102": 0.0, "103": broken["score"] / 100 * 20}
    for old, new in zip(before, after, strict=True):
        assert old[:column] + old[column + 1:] == new[:column] + new[column + 1:]  # every other cell unchanged
        if old[1] in expected:
            assert float(new[column]) == pytest.approx(expected[old[1]], abs=0.005)
        else:
            assert new[column] == old[column]  # not gradable, no submission, test student: as exported (blank)

    report = course("report", out, timeout=300)
    assert report.returncode == 0, report.stderr
    assert "the manifest names 's-jane' in the hand-ins of doejane (canvas id 101), roerichard (canvas id 102)" in report.stdout
    assert "was handed in by doejane (canvas id 101), roerichard (canvas id 102)" in report.stdout


def test_feedback_pages_are_named_for_canvas_re_upload(tmp_path):
    """Oracle: canvas-lms app/models/assignment.rb infer_comment_context_from_filename: the first two all-digit
    "_"-fields of a re-uploaded file's name are the user id and a file of that user's submission."""
    from course_tools.lms.canvas_feedback import feedback_zip
    from course_tools.lms.record import Record, Student

    page = tmp_path / "101" / "feedback.html"
    page.parent.mkdir()
    page.write_text("<p>feedback</p>")
    record = Record("canvas", "d.zip", {
        "101": Student("doejane", True, [canvas_file("Doe, Jane", "101", "9001", "a.zip", late=True)], True),
        "104": Student("texttina", False, [canvas_text("Text, Tina", "104")], False, "a text entry")})
    found = {"101": Outcome("101", "doejane", True, 0.5, "", {}, tmp_path / "101"),
             "104": Outcome("104", "texttina", False, None, "a text entry", None, None)}
    data, names = feedback_zip(record, found)
    assert names == ["doejane_101_9001_feedback.html"]
    assert [f for f in names[0].split("_") if f.isdigit()][:2] == ["101", "9001"]
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read(names[0]) == page.read_bytes()


def test_utf8_names_without_the_utf8_flag_are_read_as_written(tmp_path):
    """rubyzip (Canvas's zip writer) may store UTF-8 names without the UTF-8 flag (bit 11), which zipfile then reads
    as cp437: is "müllerjürgen" still read as written? (Oracle: the name as content_zipper.rb makes it.)"""
    name = canvas_file("Müller, Jürgen", "103", "9100", "softmax.py")
    path = write_zip(tmp_path / "d.zip", {name: b"x = 1\n"})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local header, central directory: flag bits
        at = data.index(signature) + offset
        data[at:at + 2] = (int.from_bytes(data[at:at + 2], "little") & ~0x800).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    import zipfile
    assert zipfile.ZipFile(path).namelist() != [name]  # zipfile alone misreads it
    (upload,) = read_canvas(path)
    assert (upload.lms_id, upload.name, list(upload.originals.values())) == ("103", "müllerjürgen", ["softmax.py"])


def test_a_manifest_naming_another_student_of_the_gradebook_is_reported(tmp_path):
    """Oracle: the fixture gradebook's SIS columns: Jane (101) is s-jane, Richard (102) is s-richard. Richard's manifest
    saying s-jane names Jane; Jane's own, and one naming nobody there, are not reported."""
    from course_tools.lms.canvas_gradebook import roster
    from course_tools.lms.claims import report_section, roster_lines
    from course_tools.lms.record import Record, Student

    record = Record("canvas", "d.zip", {"101": Student("doejane", False, [], True, claimed_student_id="s-jane"),
                                        "102": Student("roerichard", False, [], True, claimed_student_id="S-JANE"),
                                        "103": Student("müllerjürgen", False, [], True, claimed_student_id="12345")})
    lines = roster_lines(record, roster(read_csv(GRADEBOOK, "gradebook")))
    assert lines == ["the manifest of roerichard (canvas id 102) names 'S-JANE', who is doejane (canvas id 101)"]
    record.roster_claims = lines
    assert f"  {lines[0]}" in report_section(record)
