"""The trusted side's handle on a worker: requests with timeouts, and a restart after any crash
(the process and its frames are channel.py's).

Time limits: the worker must be READY within `startup_timeout`; a student module must import
within `timeout` (a module whose import hangs or kills the worker fails every later request at
once); each request gets `timeout` seconds, and a function that has timed out once gets only
`retry_timeout` on later calls, so an infinite loop costs a grading run seconds, not minutes.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..i18n import _
from ..worker import wire
from .. import sandbox
from .channel import Channel, SandboxError, WorkerFailure, WorkerTimeout

__all__ = ["SandboxError", "StudentError", "Worker", "WorkerFailure", "WorkerTimeout"]


def timed_out(seconds: float) -> WorkerTimeout:
    """A call that gave no answer within `seconds`, in the student's words (sandboxed or in-process worker)."""
    return WorkerTimeout(_("no answer within {seconds} s (an infinite loop?)").format(seconds=f"{seconds:.0f}"))


def import_failed(module: str, error: Exception) -> str:
    """Why every later request on `module` fails at once: its import hung or broke the worker."""
    return _("importing course_lib/{module}.py failed: {error}").format(module=module, error=error)


class StudentError(Exception):
    """The student's code raised; carries the exception type, message and their own frames."""

    def __init__(self, type_name: str, message: str, where: str = "", frames=()):
        super().__init__(f"{type_name}: {message}")
        self.type_name, self.message, self.where = type_name, message, where
        self.frames = frames  # as the worker sent them: [file, line, function, source line] (see crash.own_frames)


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
        self.channel: Channel | None = None
        self._imported: set[str] = set()  # modules imported by the current worker process
        self.broken: dict[str, str] = {}  # module -> why importing it hangs or crashes the worker
        self.timed_out: set[tuple] = set()  # (module, function) that once ran out of time
        self.restarts = 0
        self._next_id = 0

    @property
    def process(self):
        """The running worker process (None before the first request and after a failure)."""
        return self.channel.process if self.channel else None

    def _start(self) -> None:
        self.channel = Channel(self.stage, self.limits, self.hide, self.zygote, self.startup_timeout)
        self._imported = set()

    def close(self) -> None:
        """Kill the worker and everything it started (its session, its pid namespace, its orphans)."""
        if self.channel is not None:
            self.channel.close()
            self.channel = None

    def _exchange(self, probe: str, module: str | None, args: dict, timeout: float):
        """Send one request and return the reply; on any failure kill the worker and raise WorkerFailure."""
        if self.channel is None:
            self._start()
        deadline = time.monotonic() + timeout
        self._next_id += 1
        try:
            self.channel.send(wire.encode(wire.request(self._next_id, probe, module, args)))
            reply = self.channel.receive(deadline)
            # A reply to an earlier request (written late by a process the student left running) is skipped.
            while wire.is_earlier_reply(reply, self._next_id):
                reply = self.channel.receive(deadline)
            if not wire.is_reply(reply, self._next_id):
                raise wire.WireError("the reply is not a reply to this request")
        except (WorkerFailure, wire.WireError, BrokenPipeError, OSError) as error:
            self.close()
            self.restarts += 1
            if isinstance(error, WorkerTimeout):
                raise timed_out(timeout) from None
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
        if module in self._imported and self.channel is not None:
            return
        try:
            self._exchange("imported", module, {}, self.timeout)
        except WorkerFailure as error:
            self.broken[module] = import_failed(module, error)
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
