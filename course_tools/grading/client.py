"""The trusted side's handle on a worker: requests with timeouts, and a restart after any crash."""

from __future__ import annotations

import os
import select
import signal
import tempfile
import time
from pathlib import Path

from . import sandbox, wire


class StudentError(Exception):
    """The student's code raised; carries the exception type, message and their own frames."""

    def __init__(self, type_name: str, message: str, where: str = ""):
        super().__init__(f"{type_name}: {message}")
        self.type_name, self.message, self.where = type_name, message, where


class WorkerFailure(Exception):
    """The worker hung, died or answered garbage; it has been killed and will be restarted."""


class Worker:
    """One sandboxed worker for one staged submission, started on first use."""

    def __init__(self, stage: Path, timeout: float = 30.0, limits: sandbox.Limits = sandbox.Limits()):
        self.stage, self.timeout, self.limits = Path(stage), timeout, limits
        self.process = None
        self._scratch = None
        self.restarts = 0

    def _start(self):
        self._scratch = tempfile.TemporaryDirectory(prefix="course-scratch-")
        self.process = sandbox.start_worker(self.stage, Path(self._scratch.name), self.limits)

    def close(self) -> None:
        """Kill the worker and everything it started (its whole session)."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                stream.close()
            self.process = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def _read(self, n: int, deadline: float) -> bytes:
        fd, data = self.process.stdout.fileno(), b""
        while len(data) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise WorkerFailure("timed out")
            chunk = os.read(fd, min(n - len(data), 1 << 20))
            if not chunk:
                raise WorkerFailure("the worker process died")
            data += chunk
        return data

    def request(self, probe: str, module: str | None = None, timeout: float | None = None, **args):
        """Run `probe` on the student's `module` in the worker; return its plain-data value.

        Raises StudentError when their code raised, WorkerFailure when the worker hung, died or
        replied with garbage (the worker is then killed, and the next request starts a new one).
        """
        if self.process is None:
            self._start()
        deadline = time.monotonic() + (timeout or self.timeout)
        try:
            self.process.stdin.write(wire.encode({"probe": probe, "module": module, "args": args}))
            self.process.stdin.flush()
            reply = wire.decode(self._read(wire.frame_length(self._read(12, deadline)), deadline))
            if not isinstance(reply, dict) or "ok" not in reply:
                raise wire.WireError("the reply is not a reply")
        except (WorkerFailure, wire.WireError, BrokenPipeError, OSError) as error:
            self.close()
            self.restarts += 1
            if isinstance(error, WorkerFailure) and str(error) == "timed out":
                raise WorkerFailure(f"no answer within {timeout or self.timeout:.0f} s (an infinite loop?)") from None
            raise WorkerFailure(f"{error}" if isinstance(error, WorkerFailure) else f"the worker's reply was unreadable: {error}") from None
        if not reply["ok"]:
            raise StudentError(str(reply.get("type")), str(reply.get("message")), str(reply.get("where", "")))
        return reply["value"]
