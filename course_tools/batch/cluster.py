"""Where the batch's tasks run: an embedded Dask LocalCluster, an existing scheduler, or SLURM jobs.

All three give a dask.distributed Client; nothing else in the batch knows which one it has.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
from dataclasses import dataclass

import dask

from ..course_config import ClusterSettings

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
EMBEDDED, SLURM = "local", "slurm"
DEFAULT_ALLOWED_FAILURES = 3
# Dask's worker processes are daemons by default, and a daemon may not fork: its judges would start cold
DAEMON_ENV = "DASK_DISTRIBUTED__WORKER__DAEMON"


class ClusterError(ValueError):
    """The cluster cannot be reached or made; the message says how to fix it."""


@dataclass(frozen=True)
class Where:
    """Which cluster: `scheduler` (an address) wins over `kind` (EMBEDDED or SLURM)."""

    kind: str = EMBEDDED
    scheduler: str = ""
    jobs: int = 1
    allowed_failures: int = DEFAULT_ALLOWED_FAILURES
    settings: ClusterSettings = ClusterSettings()

    def describe(self) -> str:
        if self.scheduler:
            return f"the Dask scheduler at {self.scheduler}"
        if self.kind == SLURM:
            return f"{self.settings.jobs} SLURM job(s) of {self.settings.cores} workers"
        return f"an embedded Dask cluster of {max(1, self.jobs)} worker process(es)"


def first_worker_wait(where: Where) -> float:
    """Seconds to wait for a first worker: an embedded cluster has its own at once; SLURM jobs may queue."""
    return 0.0 if not where.scheduler and where.kind == EMBEDDED else 600.0 if where.kind == SLURM else 60.0


def has_dashboard() -> bool:
    """Dask serves its dashboard only with bokeh installed."""
    return importlib.util.find_spec("bokeh") is not None


def jobqueue_arguments(settings: ClusterSettings) -> dict:
    """dask-jobqueue SLURMCluster's arguments: one worker per job with a thread per core (as the embedded cluster's:
    one warm parent and one zygote per node), retiring before the walltime."""
    lifetime = settings.lifetime
    stagger = min(5.0, lifetime / 10)  # the jobs' workers do not all retire at once
    arguments = dict(cores=settings.cores, processes=1, memory=settings.memory,
                     walltime=settings.walltime, python=settings.python or sys.executable,
                     worker_extra_args=[f"--lifetime={lifetime:g}m", f"--lifetime-stagger={stagger:g}m",
                                        "--lifetime-restart"],
                     job_extra_directives=list(settings.job_directives),
                     job_script_prologue=[f"export {DAEMON_ENV}=False"])
    if settings.queue:
        arguments["queue"] = settings.queue
    if settings.account:
        arguments["account"] = settings.account
    return arguments


def _slurm(settings: ClusterSettings):
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError:
        raise ClusterError("--cluster slurm needs dask-jobqueue: pip install -e '.[cluster]'") from None
    cluster = SLURMCluster(**jobqueue_arguments(settings),
                           scheduler_options={"dashboard_address": ":0"})
    cluster.scale(jobs=settings.jobs)
    return cluster


@contextlib.contextmanager
def connect(where: Where):
    """A Client for `where`, closed (and an embedded or SLURM cluster stopped) on exit."""
    from distributed import Client, LocalCluster

    # a task whose worker dies this many times is given up (KilledWorker): an infrastructure error, not a hang
    with dask.config.set({"distributed.scheduler.allowed-failures": where.allowed_failures,
                          "distributed.worker.daemon": False}):  # so that judges fork warm (launcher.py)
        cluster = None
        try:
            if where.scheduler:
                client = Client(where.scheduler, timeout="20s")
            elif where.kind == SLURM:
                cluster = _slurm(where.settings)
                client = Client(cluster)
            else:
                # one worker process with a thread per job: a task only waits on its judge, and the threads share
                # one warm parent and one zygote (two imports of torch, not two per job); no memory limit: the
                # sandbox limits each grading
                cluster = LocalCluster(n_workers=1, threads_per_worker=max(1, where.jobs), processes=True,
                                       host="127.0.0.1", memory_limit=0, silence_logs=logging.ERROR,
                                       dashboard_address=":0")  # a free port: the HTTP routes start anyway
                client = Client(cluster)
        except (OSError, TimeoutError) as error:
            if cluster is not None:
                cluster.close()
            raise ClusterError(f"cannot reach {where.describe()}: {error}") from None
        try:
            yield client
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def scheduler_from(argument: str | None) -> str:
    """The scheduler address: --scheduler, else $DASK_SCHEDULER_ADDRESS, else '' (embedded or SLURM)."""
    return argument or os.environ.get(SCHEDULER_ENV, "")
