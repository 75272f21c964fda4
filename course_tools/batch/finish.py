"""Finishing one graded submission: overrides, late penalty, feedback pages, gradebook row, then results.json.

results.json is written last, by an atomic rename, and marks the submission as finished: a batch
killed at any point loses no finished grade. A grader that crashed or ran out of time gives no
grade: an earlier results.json and gradebook row are kept, and the failure goes to
grader_error.json beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..grading_results import BatchRecord, GradingResults, read_results
from ..submission_reader import read_if_gradable, submission_name
from ..atomic import write_json_atomically
from ..course_config import CourseConfig
from .exercises import scores_by_exercise
from .feedback import write_feedback
from .given_code import keep_code
from .gradebook import MAX_NAME, CourseGradebook
from .integrity import changed_since_packing
from .clock import Clock
from .overrides import Override, apply_overrides, restore_graded
from .penalties import assess, split_penalty


def finished_results(target: Path, key: str) -> GradingResults | None:
    """target/results.json if it is complete, current (input hash `key`) and not an infrastructure error."""
    results = read_results(target / "results.json")
    if results is None or results.batch is None or results.batch.input_hash != key or results.infrastructure_error:
        return None
    return results


def student_of(results: GradingResults, name: str) -> str:
    """The gradebook's student id: the manifest's (as the grader saw it) when usable, else the submission name."""
    student = results.student_id
    if isinstance(student, str) and 0 < len(student) <= MAX_NAME and student.isprintable():
        return student
    return name[:MAX_NAME]


@dataclass
class Finisher:
    """What finishing needs to know: the course config, the exercises, the grader version, the output folder, the
    times the instructor's side recorded, and the instructor's overrides by student id."""

    config: CourseConfig
    exercises: list[str]
    grader: str
    out: Path
    clock: Clock = field(default_factory=Clock)
    overrides: dict[str, list[Override]] = field(default_factory=dict)

    def __call__(self, gradebook: CourseGradebook, path: Path, results: GradingResults, key: str) -> GradingResults:
        """Apply the overrides, add the late penalty and bookkeeping to `results` (in place) and write everything;
        return them."""
        name, config = submission_name(path), self.config
        student = results.student_id = student_of(results, name)
        restore_graded(results)  # a finished results.json read back: the graders' points, before today's overrides
        applied = apply_overrides(results, self.overrides.get(student, []))
        manifest, submission = results.manifest or {}, read_if_gradable(path)  # read once, for both uses below
        time = self.clock.time_of(student, name, manifest)
        late = assess(time, config.due_for(student), config.late)
        penalties = split_penalty(scores_by_exercise(results, self.exercises), late["fraction"])
        penalty = round(sum(penalties.values()), 6)
        results.batch = BatchRecord(submission=name, assignment=config.assignment, input_hash=key,
                                    grader_version=self.grader, late=late, late_penalty=penalty,
                                    final_score=round(max(0.0, results.score - penalty), 6),
                                    changed_since_packing=changed_since_packing(submission, manifest), overrides=applied)
        target, written = self.out / name, results.to_json()
        if results.infrastructure_error:  # our failure, not the student's: no feedback, no gradebook row
            kept = (target / "results.json").is_file()
            write_json_atomically(target / ("grader_error.json" if kept else "results.json"), written)
            return results
        (target / "grader_error.json").unlink(missing_ok=True)
        keep_code(target, submission)
        write_feedback(target, results)
        gradebook.record(config.assignment, student, results, time.when, penalties)
        finished = finished_results(target, key)
        if finished is None or finished.to_json() != written:  # unchanged results stay byte-identical
            write_json_atomically(target / "results.json", written)
        return results
