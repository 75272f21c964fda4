"""`nbgrader autograde`, refused for this course (nbgrader_config.py installs this in place of its preprocessors).

autograde executes each collected notebook in a kernel on this machine, unconfined, and its hidden cells
compute the points in that same kernel, after the student's cells have run: a solution cell can write
anywhere the instructor can, and replace the grading helper and its result. No configuration confines
that kernel and keeps the points out of its reach, so nothing is executed: the collected notebooks are
graded by `course grade COURSE --from nbgrader` (lms/nbgrader_exchange.py), in the sandbox, from the
solution cells read as text.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

MESSAGE = ("nbgrader autograde is refused for this course: it would run each student's notebook on this machine, "
           "unconfined, and take the points from the kernel their code ran in. Grade the collected notebooks in the "
           "sandbox instead: `course grade . --from nbgrader --out graded/` in this folder, then "
           "`nbgrader release_feedback <assignment>`.")


class RefuseAutograde(Preprocessor):
    """Stops autograde before any cell of the notebook runs (in __call__: a preprocessor's `enabled` cannot skip it)."""

    def __call__(self, nb, resources):
        raise RuntimeError(MESSAGE)
