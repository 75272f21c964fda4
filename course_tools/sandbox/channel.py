"""One started worker process and its framed channel: start it (cold, or forked from the zygote), send
requests, read replies by a deadline, and kill it with everything it started.

What a request may cost and what to do after a failure is the policy of client.py's Worker.
"""

from __future__ import annotations

import os
import select
import signal
import tempfile
import time
from pathlib import Path

from ..i18n import _
from ..worker import wire
from .. import sandbox
from . import reaper


class WorkerFailure(Exception):
    """The worker hung, died or answered garbage; it has been killed and will be restarted."""


class WorkerTimeout(WorkerFailure):
    """The worker gave no answer within the call's time limit (an infinite loop?)."""


class SandboxError(Exception):
    """The worker could not be started: a problem of the grading machine, never of the submission."""


class Channel:
    """A worker process on `stage`, READY to serve (or SandboxError): cold, or forked from the zygote at `zygote`."""

    def __init__(self, stage: Path, limits: sandbox.Limits, hide: tuple[Path, ...], zygote: str | None,
                 startup_timeout: float):
        self.zygote, self.process, self._scratch, self._since = zygote, None, None, 0
        try:
            self._launch(stage, limits, hide)
        except (OSError, RuntimeError, ValueError) as error:  # SandboxUnavailable too: refused before any student code ran
            self.close()
            raise SandboxError(f"the grading worker could not be started: {error}") from None
        try:
            ready = self.receive(time.monotonic() + startup_timeout)
        except (WorkerFailure, wire.WireError) as error:  # no student code has run yet
            said = self.process.failure() if zygote else ""
            self.close()
            raise SandboxError(f"the grading worker did not start: {said or error}") from None
        if ready != wire.READY:
            self.close()
            raise SandboxError("the grading worker did not start: it sent no READY frame")

    def _launch(self, stage: Path, limits: sandbox.Limits, hide: tuple[Path, ...]) -> None:
        if self.zygote:
            from .zygote import spawn

            self.process = spawn(self.zygote, stage, limits)
            self.launched = sandbox.Launched(self.process, sandbox.BUBBLEWRAP, None)
            return
        self._scratch = tempfile.TemporaryDirectory(prefix="course-scratch-")
        self.launched = sandbox.start_worker(stage, Path(self._scratch.name), limits, hide)
        self.process = self.launched.process
        reaper.register(self.process.pid)
        self._since = reaper.start_ticks(self.process.pid) or 0

    def send(self, frame: bytes) -> None:
        self.process.stdin.write(frame)
        self.process.stdin.flush()

    def _read(self, n: int, deadline: float) -> bytes:
        fd, data = self.process.stdout.fileno(), bytearray()
        while len(data) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise WorkerTimeout("no answer in time")  # replaced by the Worker, with the limit
            chunk = os.read(fd, min(n - len(data), 1 << 20))
            if not chunk:
                raise WorkerFailure(_("the worker process died"))
            data += chunk
        return bytes(data)

    def receive(self, deadline: float):
        """The next frame, decoded; WorkerTimeout after `deadline`, WorkerFailure if the worker died."""
        return wire.decode(self._read(wire.frame_length(self._read(wire.PREFIX_BYTES, deadline)), deadline))

    def close(self) -> None:
        """Kill the worker and everything it started (its session, its pid namespace, its orphans)."""
        if self.process is not None and self.zygote:
            self.process.kill()  # hangs up: the zygote's keeper kills the worker's pid namespace
            self.process.wait()
        elif self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
            reaper.forget(self.process.pid)
            if self.launched.mode != sandbox.BUBBLEWRAP:  # no pid namespace: hunt down what left the group
                reaper.kill_orphans(self._since)
                if self.launched.uid is not None:
                    reaper.kill_uid(self.launched.uid)
        if self.process is not None:
            for stream in (self.process.stdin, self.process.stdout):
                stream.close()
            self.process = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
