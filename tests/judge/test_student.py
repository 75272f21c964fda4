"""Does the judge's view of a submission (course_tools/judge/student.py) fail fast and name the cause?

No worker process is started here: each question is answered before one would be needed."""

import pytest

from course_tools.judge.checks import Mistake
from course_tools.judge.student import Student
from course_tools.judge.submission import Staged
from course_tools.sandbox.client import Worker


def _student(tmp_path, problems=None) -> Student:
    staged = Staged("alice", tmp_path, "alice", problems=problems or {})
    return Student(staged, Worker(tmp_path))


def test_a_probe_that_needs_a_module_whose_import_hung_fails_at_once(tmp_path):
    """Does an end-to-end probe fail without starting a worker when a module it builds on is known broken?"""
    student = _student(tmp_path)
    student.worker.broken["softmax"] = "importing course_lib/softmax.py failed: no answer within 10 s"
    with pytest.raises(Mistake) as caught:
        student.run("fit_scratch", "training", timeout=80, needs=("softmax", "losses"))
    assert "importing course_lib/softmax.py failed" in str(caught.value)  # the first cause, not a time-out of its own
    assert student.worker.process is None  # nothing was started: the answer cost no time


def test_a_needed_module_that_was_not_submitted_is_named(tmp_path):
    """Does a probe that needs a missing module say which file to submit, before any worker runs?"""
    student = _student(tmp_path, problems={"losses": "course_lib/losses.py is missing"})
    with pytest.raises(Mistake) as caught:
        student.run("fit_scratch", "training", needs=("softmax", "losses"))
    assert "course_lib/losses.py is missing" in str(caught.value)
    assert "course_lib/losses.py" in caught.value.hint  # the hint names the file to submit
    assert student.worker.process is None
