"""The trusted side's handle on a worker: requests with timeouts, and a restart after any crash.

Time limits: the worker must be READY within `startup_timeout`; a student module must import
within `timeout` (a module whose import hangs or kills the worker fails every later request at
once); each request gets `timeout` seconds, and a function that has timed out once gets only
`retry_timeout` on later calls, so an infinite loop costs a grading run seconds, not minutes.
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


class StudentError(Exception):
    """The student's code raised; carries the exception type, message and their own frames."""

    def __init__(self, type_name: str, message: str, where: str = "", frames=()):
        super().__init__(f"{type_name}: {message}")
        self.type_name, self.message, self.where = type_name, message, where
        self.frames = frames  # as the worker sent them: [file, line, function, source line] (see crash.own_frames)


class WorkerFailure(Exception):
    """The worker hung, died or answered garbage; it has been killed and will be restarted."""


class WorkerTimeout(WorkerFailure):
    """The worker gave no answer within the call's time limit (an infinite loop?)."""


class SandboxError(Exception):
    """The worker could not be started: a problem of the grading machine, never of the submission."""


class Worker:
    """One sandboxed worker for one staged submission, started on first use.

    With `zygote` (a warm zygote's socket, sandbox/zygote.py) each worker is forked confined from
    it in a fraction of a second; without, each is a cold bubblewrap sandbox that imports torch.
    """

    def __init__(self, stage: Path, timeout: float = 15.0, limits: sandbox.Limits = sandbox.Limits(),
                 startup_timeout: float = 120.0, retry_timeout: float = 3.0, hide: tuple[Path, ...] = (),
                 zygote: str | None = None):
        self.stage, self.timeout, self.limits, self.hide = Path(stage), timeout, limits, hide
        self.startup_timeout, self.retry_timeout, self.zygote = startup_timeout, retry_timeout, zygote
        self.process = None
        self.launched: sandbox.Launched | None = None
        self._scratch = None
        self._since = 0
        self._imported: set[str] = set()  # modules imported by the current worker process
        self.broken: dict[str, str] = {}  # module -> why importing it hangs or crashes the worker
        self.timed_out: set[tuple] = set()  # (module, function) that once ran out of time
        self.restarts = 0
        self._next_id = 0

    def _launch(self) -> None:
        if self.zygote:
            from .zygote import spawn

            self.process = spawn(self.zygote, self.stage, self.limits)
            self.launched = sandbox.Launched(self.process, sandbox.BUBBLEWRAP, None)
            return
        self._scratch = tempfile.TemporaryDirectory(prefix="course-scratch-")
        self.launched = sandbox.start_worker(self.stage, Path(self._scratch.name), self.limits, self.hide)
        self.process = self.launched.process
        reaper.register(self.process.pid)
        self._since = reaper.start_ticks(self.process.pid) or 0

    def _start(self):
        try:
            self._launch()
        except (OSError, RuntimeError, ValueError) as error:  # SandboxUnavailable too: refused before any student code ran
            self.close()
            raise SandboxError(f"the grading worker could not be started: {error}") from None
        self._imported = set()
        try:
            ready = self._receive(time.monotonic() + self.startup_timeout)
        except (WorkerFailure, wire.WireError) as error:  # no student code has run yet
            said = self.process.failure() if self.zygote else ""
            self.close()
            raise SandboxError(f"the grading worker did not start: {said or error}") from None
        if ready != wire.READY:
            self.close()
            raise SandboxError("the grading worker did not start: it sent no READY frame")

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

    def _read(self, n: int, deadline: float) -> bytes:
        fd, data = self.process.stdout.fileno(), bytearray()
        while len(data) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise WorkerTimeout("no answer in time")  # replaced by _exchange, with the limit
            chunk = os.read(fd, min(n - len(data), 1 << 20))
            if not chunk:
                raise WorkerFailure(_("the worker process died"))
            data += chunk
        return bytes(data)

    def _receive(self, deadline: float):
        return wire.decode(self._read(wire.frame_length(self._read(wire.PREFIX_BYTES, deadline)), deadline))

    def _exchange(self, probe: str, module: str | None, args: dict, timeout: float):
        """Send one request and return the reply; on any failure kill the worker and raise WorkerFailure."""
        if self.process is None:
            self._start()
        deadline = time.monotonic() + timeout
        self._next_id += 1
        try:
            self.process.stdin.write(wire.encode(wire.request(self._next_id, probe, module, args)))
            self.process.stdin.flush()
            reply = self._receive(deadline)
            # A reply to an earlier request (written late by a process the student left running) is skipped.
            while wire.is_earlier_reply(reply, self._next_id):
                reply = self._receive(deadline)
            if not wire.is_reply(reply, self._next_id):
                raise wire.WireError("the reply is not a reply to this request")
        except (WorkerFailure, wire.WireError, BrokenPipeError, OSError) as error:
            self.close()
            self.restarts += 1
            if isinstance(error, WorkerTimeout):
                raise WorkerTimeout(_("no answer within {seconds} s (an infinite loop?)").format(
                    seconds=f"{timeout:.0f}")) from None
            raise WorkerFailure(f"{error}" if isinstance(error, WorkerFailure)
                                else _("the worker's reply was unreadable: {error}").format(error=error)) from None
        if not reply["ok"]:
            raise StudentError(str(reply.get("type")), str(reply.get("message")), str(reply.get("where", "")),
                               reply.get("frames") or [])
        return reply["value"]

    def import_module(self, module: str) -> None:
        """Import the student's `module` in the worker (once per worker process).

        Raises WorkerFailure at once, without asking the worker again, for a module whose import
        already hung or crashed it: a check that merely builds on such a module must not wait out
        its own, longer, time limit.
        """
        if module in self.broken:
            raise WorkerFailure(self.broken[module])
        if module in self._imported and self.process is not None:
            return
        try:
            self._exchange("imported", module, {}, self.timeout)
        except WorkerFailure as error:
            self.broken[module] = _("importing course_lib/{module}.py failed: {error}").format(module=module, error=error)
            raise WorkerFailure(self.broken[module]) from None
        self._imported.add(module)

    def request(self, probe: str, module: str | None = None, timeout: float | None = None, **args):
        """Run `probe` on the student's `module` in the worker; return its plain-data value.

        Raises StudentError when their code raised, WorkerFailure when the worker hung, died or
        replied with garbage (the worker is then killed, and the next request starts a new one).
        """
        if module:
            self.import_module(module)
        function = (module, args.get("name", probe))
        limit = timeout or self.timeout
        if function in self.timed_out:
            limit = min(limit, self.retry_timeout)
        try:
            return self._exchange(probe, module, args, limit)
        except WorkerFailure as error:
            if isinstance(error, WorkerTimeout):
                self.timed_out.add(function)
            raise
