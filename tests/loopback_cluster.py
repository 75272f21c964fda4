"""A `dask scheduler` and `dask worker` processes on 127.0.0.1, started by a test: a real cluster without a network."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


class LoopbackCluster:
    """A `dask scheduler` and `dask worker`s on 127.0.0.1, each in its own session so it can be stopped alone."""

    def __init__(self, folder: Path):
        self.folder, self.processes = folder, []
        scheduler_file = folder / "scheduler.json"
        self.scheduler = self._start("scheduler", [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                                                    "0", "--no-dashboard", "--scheduler-file", str(scheduler_file),
                                                    # its HTTP routes start even without a dashboard: never on 8787
                                                    "--dashboard-address", "127.0.0.1:0"])
        deadline = time.monotonic() + 120
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            assert self.scheduler.poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]

    def _start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")
        process = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, **(env or {})})
        self.processes.append(process)
        return process

    def add_worker(self, name: str, env: dict | None = None, extra: tuple[str, ...] = ()) -> subprocess.Popen:
        """A one-thread `dask worker` (with its nanny, unless `extra` says --no-nanny) named `name`."""
        return self._start(name, [str(BIN / "dask"), "worker", self.address, "--nthreads", "1", "--nworkers", "1",
                                  "--host", "127.0.0.1", "--no-dashboard", "--name", name, *extra], env)

    def wait_for_workers(self, count: int, timeout: float = 180) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(count, timeout=timeout)

    def stop(self) -> None:
        for process in reversed(self.processes):  # only the process groups this test started
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
