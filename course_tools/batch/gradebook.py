"""The gradebook: nbgrader's database (any SQLAlchemy URL), one transaction per graded submission.

Mapping: the course.toml assignment is an nbgrader Assignment; each exercise module (softmax,
losses, ...) is a Notebook; each grader check is a code GradeCell worth its grading.toml points;
a student's submission is a SubmittedAssignment whose Grades carry the checks' auto scores, and
whose SubmittedNotebooks carry the late penalty (nbgrader subtracts it in its own exports).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic.script import ScriptDirectory
from nbgrader.api import (
    Base,
    Grade,
    Gradebook,
    MissingEntry,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from nbgrader.dbutil import ALEMBIC_DIR
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from ..grading_results import GradingResults
from .exercises import exercise_names, exercise_of

MAX_NAME = 128  # nbgrader's column width for cell names and student ids


class GradebookError(ValueError):
    """The gradebook cannot be opened or used as asked; the message says why."""


def default_url(out: Path) -> str:
    """SQLite beside the results: sqlite:////abs/out/gradebook.db."""
    return f"sqlite:///{(Path(out) / 'gradebook.db').resolve()}"


def _naive_utc(when: dt.datetime | None) -> dt.datetime | None:
    """nbgrader stores naive UTC datetimes."""
    return None if when is None else when.astimezone(dt.UTC).replace(tzinfo=None)


def stamp_new_database(url: str) -> None:
    """Create nbgrader's tables and alembic version in an empty database, in this process.

    nbgrader does the same when it opens an empty database, but finds the alembic head by running
    `alembic heads` in a subprocess that imports nbgrader again (about 4 s per new gradebook)."""
    engine = create_engine(url)
    try:
        if inspect(engine).get_table_names():
            return
        Base.metadata.create_all(bind=engine)
        head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})
    finally:
        engine.dispose()


class CourseGradebook:
    """nbgrader's Gradebook with the course's mapping; use as a context manager."""

    def __init__(self, url: str, course_id: str = "default_course"):
        try:
            stamp_new_database(url)
            self.gradebook = Gradebook(url, course_id=course_id)
        except (SQLAlchemyError, ImportError) as error:  # a bad URL, an unreachable server, a missing driver
            raise GradebookError(f"cannot open the gradebook {url}: {error}") from None
        self.db = self.gradebook.db

    def __enter__(self) -> CourseGradebook:
        return self

    def __exit__(self, *exc) -> None:
        self.gradebook.close()

    def define_assignment(self, name: str, due: dt.datetime | None, checks: dict) -> list[str]:
        """Create or update the assignment, a notebook per exercise and a grade cell per check; return the exercises."""
        too_long = [t for t in checks if len(t) > MAX_NAME]
        if too_long:
            raise ValueError(f"check titles longer than {MAX_NAME} characters cannot be gradebook cells: {too_long}")
        gb, exercises = self.gradebook, exercise_names(checks)
        try:
            existing = [nb.name for nb in gb.find_assignment(name).notebooks]
        except MissingEntry:
            existing = []
        foreign = sorted(set(existing) - set(exercises))
        if foreign:  # e.g. nbgrader's own notebooks for the same assignment: never mix the two
            raise GradebookError(f"the gradebook's assignment {name!r} has notebooks that `course grade` did not make "
                             f"({', '.join(foreign)}); use another gradebook URL or assignment name")
        gb.update_or_create_assignment(name, duedate=_naive_utc(due))
        for exercise in exercises:
            gb.update_or_create_notebook(exercise, name)
        for title, entry in checks.items():
            gb.update_or_create_grade_cell(title, exercise_of(title), name, max_score=entry.points, cell_type="code")
        return exercises

    def record(self, assignment: str, student_id: str, results: GradingResults, timestamp: dt.datetime | None,
               penalties: dict[str, float]) -> None:
        """Write one submission's grades and penalties in a single transaction (all or nothing)."""
        db, scores = self.db, {t.name: t.score for t in results.tests}
        try:
            self._write(assignment, student_id, scores, timestamp, penalties)
            db.commit()
        except BaseException:
            db.rollback()
            raise

    def _write(self, assignment, student_id, scores, timestamp, penalties) -> None:
        db = self.db
        master = self.gradebook.find_assignment(assignment)
        student = db.get(Student, student_id) or Student(id=student_id)
        submission = (db.query(SubmittedAssignment)
                      .filter_by(assignment_id=master.id, student_id=student_id).one_or_none())
        with db.no_autoflush:  # build the whole submission in memory; it is flushed once, at commit
            db.add(student)
            if submission is None:
                submission = SubmittedAssignment(assignment=master, student=student)
                db.add(submission)
            submission.timestamp = _naive_utc(timestamp)
            by_notebook = {nb.notebook_id: nb for nb in submission.notebooks}
            for notebook in master.notebooks:
                submitted = by_notebook.get(notebook.id) or SubmittedNotebook(notebook=notebook, assignment=submission)
                db.add(submitted)  # SQLAlchemy 2 does not cascade along nbgrader's backrefs
                grades = {g.cell_id: g for g in submitted.grades}
                for cell in notebook.grade_cells:
                    grade = grades.get(cell.id) or Grade(cell_id=cell.id, notebook=submitted)
                    db.add(grade)
                    grade.auto_score = scores.get(cell.name, 0.0)
                    grade.needs_manual_grade = False
                submitted.late_submission_penalty = penalties.get(notebook.name, 0.0)

    def rows(self, assignment: str) -> list[dict]:
        """One dict per student: student_id, each exercise's score, score, late_penalty, total (sorted by id)."""
        self.db.expire_all()  # scores are SQL column properties: read them fresh
        master = self.gradebook.find_assignment(assignment)
        exercises = [nb.name for nb in master.notebooks]
        rows = []
        for submission in sorted(master.submissions, key=lambda s: s.student_id):
            row = {"student_id": submission.student_id}
            row.update({name: 0.0 for name in exercises})
            row.update({nb.notebook.name: float(nb.score) for nb in submission.notebooks})
            score, penalty = float(submission.score), float(submission.late_submission_penalty)
            row.update(score=score, late_penalty=penalty, total=max(0.0, score - penalty))
            rows.append(row)
        return rows

    def exercises(self, assignment: str) -> list[str]:
        """The assignment's notebooks (exercises) in the order nbgrader keeps them (by name)."""
        return [nb.name for nb in self.gradebook.find_assignment(assignment).notebooks]
