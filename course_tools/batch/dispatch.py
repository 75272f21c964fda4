"""Grading many submissions on a Dask cluster: one task each, a bounded number in flight, results as they come.

Every delivered result, and every failure around one submission (it could not be packed, its
worker was lost more than allowed-failures times, its task raised), reaches `on_result` as plain
Delivery for that submission alone; the batch goes on. Only the coordinator acts on results.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from distributed import KilledWorker, as_completed
from tqdm import tqdm

from ..grading_results import GradingResults
from ..judge.launcher import GraderSettings
from ..submission_reader import submission_name
from .admission import verdicts
from .cluster import has_dashboard
from .task import Delivery, grade_packed, pack

POLL_SECONDS = 2.0  # how often newly joined workers' verdicts are read
NO_WORKER_SECONDS = 300.0  # with no worker at all this long, the remaining submissions are given up


@dataclass(frozen=True)
class Job:
    """One submission to grade: its path and its input hash (content + grader version)."""

    path: Path
    key: str


def failed(job: Job, reason: str, elapsed: float = 0.0) -> Delivery:
    """A delivery for a submission that could not be graded because of the machinery, not the student."""
    return Delivery(submission_name(job.path), GradingResults.infrastructure_failure(reason, elapsed))


class Dispatcher:
    """Submits jobs to `client`, at most `window` at a time (at least two per worker thread, as workers join), and hands
    each delivery to `on_result(job, delivery)`."""

    def __init__(self, client, run: str, timeout: float, settings: GraderSettings, allowed_failures: int,
                 window: int, progress: bool = True, say: Callable[[str], None] | None = None, warm: bool = True):
        self.client, self.token, self.timeout, self.settings = client, run, timeout, settings
        self.allowed_failures, self.window, self.progress = allowed_failures, max(1, window), progress
        self.warm = warm  # False: every judge starts cold (the benchmark's baseline)
        self.say = say or (lambda line: tqdm.write(line, file=sys.stderr))
        self.reported: set[str] = set()

    def _submit(self, job: Job, futures: as_completed, owners: dict) -> Delivery | None:
        """Send `job` to the cluster; None, or the job's infrastructure error when it cannot even be packed."""
        try:
            packed = pack(job.path)
        except Exception as error:  # noqa: BLE001 - an unreadable submission is its own problem only
            return failed(job, f"it could not be read ({type(error).__name__}: {error})")
        future = self.client.submit(grade_packed, packed, self.timeout, self.settings, warm=self.warm, retries=0,
                                    key=f"grade-{packed['name']}-{job.key[:16]}")
        owners[future.key] = (job, time.monotonic())
        futures.add(future)
        return None

    def _delivery(self, future, job: Job, started: float) -> Delivery:
        """The task's result, or this submission's infrastructure error saying what happened to it."""
        elapsed = time.monotonic() - started
        try:
            return future.result()
        except KilledWorker:
            return failed(job, f"the workers grading it were lost more than {self.allowed_failures} time(s) "
                               "(allowed-failures); run the batch again", elapsed)
        except Exception as error:  # noqa: BLE001 - contained to this submission
            return failed(job, f"its grading task failed ({type(error).__name__}: {error})", elapsed)
        finally:
            future.release()

    def _report_new_verdicts(self) -> None:
        for address, verdict in verdicts(self.client, self.token).items():
            if address not in self.reported:
                self.reported.add(address)
                if not verdict.admitted:
                    self.say(verdict.message())

    def run(self, jobs: list[Job], on_result: Callable[[Job, Delivery], None]) -> None:
        """Grade `jobs`; return once each has been handed to `on_result` exactly once."""
        queue, owners, futures = list(jobs), {}, as_completed()
        with tqdm(total=len(jobs), desc="grading", unit="submission", disable=not self.progress or not jobs,
                  file=sys.stderr) as bar:
            if has_dashboard() and self.progress:
                self.say(f"Dask dashboard: {self.client.dashboard_link}")
            last_poll, last_worker = 0.0, time.monotonic()
            while queue or futures.count():
                while queue and futures.count() < self.window:
                    job = queue.pop(0)
                    unreadable = self._submit(job, futures, owners)
                    if unreadable:
                        on_result(job, unreadable)
                        bar.update()
                batch = futures.next_batch(block=False) if futures.count() else []
                for future in batch:
                    job, started = owners.pop(future.key)
                    on_result(job, self._delivery(future, job, started))
                    bar.update()
                if time.monotonic() - last_poll > POLL_SECONDS:
                    last_poll = time.monotonic()
                    self._report_new_verdicts()
                    threads = sum(self.client.nthreads().values())  # a worker grades one submission per thread
                    self.window = max(self.window, 2 * threads)  # workers that join later get work too
                    if threads:
                        last_worker = last_poll
                    elif last_poll - last_worker > NO_WORKER_SECONDS:
                        self._give_up(futures, owners, queue, on_result, bar)
                if not batch:
                    time.sleep(0.05)

    def _give_up(self, futures, owners, queue, on_result, bar) -> None:
        """No worker for NO_WORKER_SECONDS: every remaining submission is an infrastructure error."""
        reason = f"no admitted Dask worker was left for {NO_WORKER_SECONDS:g} s; run the batch again"
        for future in list(futures.futures):
            future.cancel()
        futures.clear()
        for job, _ in owners.values():
            on_result(job, failed(job, reason))
            bar.update()
        owners.clear()
        for job in queue:
            on_result(job, failed(job, reason))
            bar.update()
        queue.clear()
