"""Does nbgrader's flow work on the lab notebooks with the course's graders, without ever running a notebook?

In a scratch course: `nbgrader generate_assignment`, then a solved, an unsolved and a hostile submission in
submitted/<student>/<assignment>/ (nbgrader's collect layout, with its timestamp.txt and submission_secret.txt).
`nbgrader autograde` is refused before any cell runs; `course grade . --from nbgrader` grades the collected
notebooks in the sandbox and writes feedback/ for `nbgrader release_feedback`. Oracles: the points in
graders/grading.toml, nbgrader's gradebook (max score), and files the hostile cell would have written.
"""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course_tools.contract import EXERCISES
from course_tools.release.assignment import CONFIG, NbgraderError, generate_assignment, run_nbgrader
from course_tools.release.nbgrader_refusal import MESSAGE
from course_tools.release.notebooks import ASSIGNMENT, NOTEBOOK, SOURCE_DIR, points_by_name

MODULES = ("softmax",)  # graded with --only: quick; the other routes grade all seven (tests/judge/test_notebook_submissions.py)
NOTEBOOKS = (NOTEBOOK,)
STUDENTS = ("alice", "bob", "mallory")  # solved, unsolved, solved with a cell that writes outside its submission

pytestmark = pytest.mark.slow


def _cells(path):
    return json.loads(path.read_text())["cells"]


def solved_copy(released, source, target, payload=""):
    """The released notebook with each solution cell answered by the reference (matched by grade_id), `payload`
    appended to the first one."""
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in _cells(source)
               if c["metadata"].get("nbgrader", {}).get("solution")}
    notebook = json.loads(released.read_text())
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = "".join(answers[grade_id]) + payload
            payload = ""
    target.write_text(json.dumps(notebook))


HOSTILE = """
import pathlib
for _target in {targets!r}:
    try:
        pathlib.Path(_target).write_text("written by a student's notebook cell")
    except OSError:  # confined: the write fails, and the rest of the work is still graded
        pass
"""


@pytest.fixture(scope="module")
def flow(root, data_root, tmp_path_factory):
    """The scratch course after `generate_assignment`, the three collected submissions, the refused `autograde` (its
    error) and `course grade --from nbgrader` (its run and output folder)."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(root / CONFIG, course / CONFIG)
    (course / "course.toml").write_text(f'[assignment]\nname = "{ASSIGNMENT}"\ndue = 2027-01-29T10:00:00Z\n'
                                        "[late_penalty]\ngrace_minutes = 0\npercent_per_day = 10\nmax_percent = 100\n"
                                        '[extensions]\nmallory = { extra_hours = 48, reason = "medical note" }\n')
    sources = course / SOURCE_DIR / ASSIGNMENT
    sources.mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy(root / SOURCE_DIR / ASSIGNMENT / name, sources / name)
    targets = [str(course / "written-by-mallory"), str(root / f"written-by-mallory-{course.name}")]
    released = generate_assignment(course)
    for student in STUDENTS:
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2027-01-30 10:00:00.000000 UTC")
        (folder / "submission_secret.txt").write_text(f"secret-{student}")
        for name in NOTEBOOKS:
            if student == "bob":
                shutil.copy(released / name, folder / name)
            else:
                solved_copy(released / name, sources / name, folder / name,
                            HOSTILE.format(targets=targets) if student == "mallory" else "")
    try:
        run_nbgrader(course, "autograde", ASSIGNMENT, "--create")
        refused = None
    except NbgraderError as error:
        refused = str(error)
    out = course / "graded"
    graded = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", str(course), "--from", "nbgrader",
                             "--out", str(out), "--only", ",".join(MODULES), "--quiet", "--root", str(root),
                             "--data-root", str(data_root), "--config", str(course / "course.toml")],
                            capture_output=True, text=True, cwd=course, timeout=900)
    return {"course": course, "refused": refused, "graded": graded, "out": out, "targets": targets}


def _submission(course, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return submission.score, submission.max_score, {nb.name: nb.score for nb in submission.notebooks}


def _results(flow, student):
    return json.loads((flow["out"] / student / "results.json").read_text())


def test_autograde_is_refused_before_any_cell_runs(flow):
    """Does `nbgrader autograde` fail, naming `course grade --from nbgrader`, with no file of the hostile cell written
    and no score in nbgrader's gradebook?"""
    assert flow["refused"] is not None and MESSAGE[:60] in flow["refused"]
    assert not [t for t in flow["targets"] if Path(t).exists()]
    assert _submission(flow["course"], "alice")[0] == 0


def test_the_assignment_is_worth_the_graders_points(flow, root):
    """Is the assignment in nbgrader's gradebook worth exactly the grading.toml points of its contract names?"""
    points = points_by_name(root / "graders" / "grading.toml")
    assert _submission(flow["course"], "alice")[1] == pytest.approx(sum(points[n] for names in EXERCISES.values() for n in names))


def test_the_collected_notebooks_are_graded_in_the_sandbox(flow, root):
    """Does `course grade --from nbgrader` give the solved notebooks every point of their checks and the unsolved
    nothing, by student, with the hostile cell confined (its files not written) and its checks still passing?"""
    assert flow["graded"].returncode == 0, flow["graded"].stderr[-3000:]
    points = points_by_name(root / "graders" / "grading.toml")
    full = sum(points[n] for m in MODULES for n in EXERCISES[m])
    scores = {s: _results(flow, s)["score"] for s in STUDENTS}
    assert scores == {"alice": full, "bob": 0, "mallory": full}  # oracle: grading.toml's points
    assert all(_results(flow, s)["extra_data"]["student_id"] == s for s in STUDENTS)
    assert not [t for t in flow["targets"] if Path(t).exists()]  # written nowhere the instructor can see


def test_the_penalty_comes_from_nbgraders_timestamp(flow):
    """Is a day late by timestamp.txt (2027-01-30 10:00 UTC against a due date a day earlier) a 10 % penalty, and does
    mallory's 48-hour extension (course.toml) take it away and show her own due date in her feedback?"""
    with open(flow["out"] / "grades.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    assert float(rows["alice"]["late_penalty"]) == pytest.approx(0.1 * float(rows["alice"]["score"]))  # course.toml
    assert float(rows["alice"]["score"]) > 0
    assert _results(flow, "alice")["extra_data"]["late"]["source"] == "nbgrader"
    assert float(rows["mallory"]["score"]) > 0 and float(rows["mallory"]["late_penalty"]) == 0
    assert _results(flow, "mallory")["extra_data"]["late"]["due"] == "2027-01-31T10:00:00+00:00"
    assert "2027-01-31 10:00 UTC" in (flow["out"] / "mallory" / "feedback.md").read_text()
    assert "medical note" not in (flow["out"] / "mallory" / "feedback.md").read_text()


def test_feedback_is_where_release_feedback_looks(flow):
    """Is each graded student's feedback page at feedback/<student>/<assignment>/<notebook>.html, with the submission's
    timestamp.txt and submission_secret.txt, as `nbgrader release_feedback` reads them?"""
    for student in STUDENTS:
        folder = flow["course"] / "feedback" / student / ASSIGNMENT
        for name in NOTEBOOKS:
            assert "<html" in (folder / name.replace(".ipynb", ".html")).read_text()
        assert (folder / "submission_secret.txt").read_text() == f"secret-{student}"
        assert (folder / "timestamp.txt").is_file()
