"""A Dask worker preload (`dask worker --preload dying_worker.py`) that SIGKILLs its own worker at one stage.

The stage is $COURSE_TEST_DIE_AT, one of STAGES; before dying the worker writes
$COURSE_TEST_DEATHS/<stage> with its pid and the pids of its descendants then, so that a test can
tell that the stage was really reached and that nothing of the worker was left behind.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

STAGES = ("before admission", "during admission", "mid-task", "during collection")
MID_TASK_DELAY = 3.0  # seconds into its first grading: the judge and its sandboxed worker are running


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit():
                children.setdefault(int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]), []).append(int(proc.name))
        except (OSError, ValueError, IndexError):
            pass
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def die(stage: str) -> None:
    """Record the stage, this process and its descendants; then SIGKILL this process (nothing runs after)."""
    pids = [os.getpid(), *_descendants(os.getpid())]
    Path(os.environ["COURSE_TEST_DEATHS"], stage).write_text(" ".join(map(str, pids)))
    os.kill(os.getpid(), signal.SIGKILL)


class DyingDelivery:
    """A task's result whose serialization, when the coordinator gathers it, kills the worker holding it."""

    def __reduce__(self):
        die("during collection")


def dask_setup(worker) -> None:
    from course_tools.batch import admission, task
    from course_tools.judge import launcher

    stage = os.environ["COURSE_TEST_DIE_AT"]
    if stage == "before admission":  # the admission plugin's broadcast reaches a worker that is gone
        plugin_add = worker.handlers["plugin-add"]

        async def dying_plugin_add(plugin=None, name=None, **kwargs):
            if name == admission.Admission.name:
                die(stage)
            return await plugin_add(plugin=plugin, name=name, **kwargs)

        worker.handlers["plugin-add"] = dying_plugin_add
    elif stage == "during admission":  # its check has started; no verdict was logged
        admission.check_this_machine = lambda *args, **kwargs: die(stage)
    elif stage == "mid-task":
        grade = launcher.grade

        def dying_grade(*args, **kwargs):
            threading.Thread(target=lambda: (time.sleep(MID_TASK_DELAY), die(stage)), daemon=True).start()
            return grade(*args, **kwargs)

        launcher.grade = dying_grade
    elif stage == "during collection":
        grade_packed = task.grade_packed
        task.grade_packed = lambda *args, **kwargs: (grade_packed(*args, **kwargs), DyingDelivery())[1]
    else:
        raise ValueError(f"COURSE_TEST_DIE_AT={stage!r}: not one of {STAGES}")
