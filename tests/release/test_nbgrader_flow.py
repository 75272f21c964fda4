"""Does nbgrader's standard flow work on the lab notebooks, end to end, with the course's graders?

In a scratch course: `nbgrader generate_assignment`, a solved and an unsolved submission in
submitted/<student>/<assignment>/, `nbgrader autograde`, `generate_feedback` and `export`; the
scores are read from nbgrader's gradebook (the oracle: the points in graders/grading.toml).
One notebook of the lab keeps this under a minute (each notebook costs a kernel with torch per
submission); COURSE_NBGRADER_FLOW=all runs the whole lab (100 points; minutes).
"""

import csv
import json
import os
import shutil

import pytest
from nbgrader.api import Gradebook

from course_tools.contract import EXERCISE_MODULES, EXERCISES
from course_tools.release.assignment import CONFIG, generate_assignment, run_nbgrader
from course_tools.release.notebooks import ASSIGNMENT, SOURCE_DIR, notebook_name, points_by_name

MODULES = EXERCISE_MODULES if os.environ.get("COURSE_NBGRADER_FLOW") == "all" else ("softmax",)
NOTEBOOKS = tuple(notebook_name(m, EXERCISE_MODULES) for m in MODULES)

pytestmark = pytest.mark.slow


def _cells(path):
    return json.loads(path.read_text())["cells"]


def solved_copy(released, source, target):
    """The released notebook with each solution cell answered by the reference (matched by grade_id)."""
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in _cells(source)
               if c["metadata"].get("nbgrader", {}).get("solution")}
    notebook = json.loads(released.read_text())
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    target.write_text(json.dumps(notebook))


@pytest.fixture(scope="module")
def course(root, data_root, tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copy(root / CONFIG, course / CONFIG)
    sources = course / SOURCE_DIR / ASSIGNMENT
    sources.mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy(root / SOURCE_DIR / ASSIGNMENT / name, sources / name)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FASHION_MNIST_ROOT", str(data_root))
        env.setenv("XDG_CACHE_HOME", str(course / "cache"))  # a fresh grading cache: the graders really run
        released = generate_assignment(course)
        for student, solved in (("alice", True), ("bob", False)):
            folder = course / "submitted" / student / ASSIGNMENT
            folder.mkdir(parents=True)
            for name in NOTEBOOKS:
                if solved:
                    solved_copy(released / name, sources / name, folder / name)
                else:
                    shutil.copy(released / name, folder / name)
        run_nbgrader(course, "autograde", ASSIGNMENT, "--create")
        run_nbgrader(course, "generate_feedback", ASSIGNMENT)
        run_nbgrader(course, "export")
    return course


def _submission(course, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return submission.score, submission.max_score, {nb.name: nb.score for nb in submission.notebooks}


def test_max_score_is_the_graders_points(course, root):
    """Is the assignment worth exactly the grading.toml points of its contract names?"""
    points = points_by_name(root / "graders" / "grading.toml")
    assert _submission(course, "alice")[1] == pytest.approx(sum(points[name] for m in MODULES for name in EXERCISES[m]))


def test_solved_submission_gets_full_marks(course):
    """Does the reference, answered into the released notebooks, earn every point in nbgrader's gradebook?"""
    score, max_score, by_notebook = _submission(course, "alice")
    assert score == max_score > 0, by_notebook


def test_unsolved_submission_gets_nothing(course):
    """Do the released notebooks, unchanged, earn zero?"""
    score, _, by_notebook = _submission(course, "bob")
    assert score == 0, by_notebook


def test_hidden_cells_ran_the_graders(course):
    """Did the hidden test cells run at autograde time and print the graders' checks?"""
    cells = _cells(course / "autograded" / "alice" / ASSIGNMENT / "01-softmax.ipynb")
    test = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == "test-softmax")
    printed = "".join("".join(o.get("text", "")) for o in test["outputs"])
    assert "BEGIN HIDDEN TESTS" in "".join(test["source"])
    assert "PASS   3/3   softmax: stable for extreme logits" in printed


def test_feedback_is_generated(course):
    """Does generate_feedback write an HTML report per notebook and student?"""
    for student in ("alice", "bob"):
        for name in NOTEBOOKS:
            assert (course / "feedback" / student / ASSIGNMENT / name.replace(".ipynb", ".html")).is_file()


def test_export_csv_has_the_gradebook_scores(course):
    """Does `nbgrader export` write grades.csv with each student's score from the gradebook?"""
    with open(course / "grades.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    for student in ("alice", "bob"):
        assert float(rows[student]["raw_score"]) == _submission(course, student)[0]
