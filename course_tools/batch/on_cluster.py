"""Grading jobs on a cluster: connect (or start it), wait for a first worker, admit the workers, dispatch.

Only admitted workers grade (admission.py); each delivery reaches `on_result` as it comes (dispatch.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from ..judge.fingerprint import grader_parts
from ..judge.launcher import GraderSettings
from .cluster import ClusterError, Where, connect, first_worker_wait
from .dispatch import Dispatcher, Job
from .task import Delivery


def grade_on_cluster(where: Where, root: Path, settings: GraderSettings, jobs: list[Job], timeout: float,
                     on_result: Callable[[Job, Delivery], None], progress: bool = True) -> None:
    """Grade `jobs` on the workers of `where` that admission lets grade; raises ClusterError when none may."""
    from .admission import admit  # distributed is imported only when there is grading to do

    tqdm.monitor_interval = 0  # no monitor thread in the coordinator
    with connect(where) as client:
        wait = first_worker_wait(where)
        if wait:
            try:
                client.wait_for_workers(1, timeout=wait)
            except TimeoutError:
                raise ClusterError(f"no worker joined {where.describe()} within {wait:g} s") from None
        run, admitted, refused = admit(client, grader_parts(root, settings), settings, root)
        for verdict in refused:
            print(f"course grade: {verdict.message()}", file=sys.stderr)
        if not admitted:
            raise ClusterError(f"no worker of {where.describe()} may grade"
                               + (": every one was refused (see above)" if refused else ": none connected"))
        dispatcher = Dispatcher(client, run, timeout, settings, where.allowed_failures,
                                window=2 * max(sum(client.nthreads().values()), where.jobs), progress=progress)
        dispatcher.run(jobs, on_result)
