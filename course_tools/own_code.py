"""The student's own code run in the checking process itself: `course check` on the student's own machine.

A student checking their own work needs no boundary against themselves, and one process imports torch
once instead of three times (judge, sandboxed worker, its interpreter). `InProcessWorker` answers the
same requests as the sandboxed `Worker` (sandbox/client.py), and its replies cross the same wire
encoding, so a check sees the same plain data and the same errors. Never used to grade: the plugin
refuses it with the hidden graders' points (judge/plugin.py).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import signal
import sys
from pathlib import Path

from .sandbox.client import StudentError, WorkerFailure, WorkerTimeout, import_failed, timed_out
from .worker import probes, wire
from .worker.worker import error_reply_for

RETRY_INTERVAL = 0.5  # seconds between further alarms, should the student's code catch the first


class _OutOfTime(BaseException):
    """Raised in the student's code when its time is up (a BaseException: `except Exception` lets it pass)."""


def _out_of_time(signum, frame):
    raise _OutOfTime


class InProcessWorker:
    """The staged course_lib/ imported here; requests time out by SIGALRM, in the main thread."""

    def __init__(self, stage: Path, timeout: float = 15.0):
        self.stage, self.timeout = Path(stage), timeout
        self.broken: dict[str, str] = {}  # module -> why importing it failed, as the sandboxed worker keeps it
        self.output = io.StringIO()  # what the student's code printed: kept out of the checks' report
        for name in [n for n in sys.modules if n == "course_lib" or n.startswith("course_lib.")]:
            del sys.modules[name]  # an installed course_lib must not stand in for the staged one
        sys.path.insert(0, str(self.stage))

    def close(self) -> None:
        if str(self.stage) in sys.path:
            sys.path.remove(str(self.stage))

    def _run(self, probe: str, module: str | None, args: dict, timeout: float):
        """The probe's value after a round trip through the wire format; StudentError when their code raised."""
        previous = signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, timeout, RETRY_INTERVAL)
        try:
            with contextlib.redirect_stdout(self.output), contextlib.redirect_stderr(self.output):
                target = importlib.import_module(f"course_lib.{module}") if module else None
                reply = wire.value_reply(0, getattr(probes, probe)(target, **args))
        except _OutOfTime:
            raise timed_out(timeout) from None
        except KeyboardInterrupt:  # the student's Ctrl-C stops `course check`
            raise
        except BaseException as error:  # noqa: BLE001 - SystemExit from student code too
            reply = error_reply_for(0, error)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        try:
            reply = wire.decode(wire.encode(reply)[wire.PREFIX_BYTES:])
        except BaseException as error:  # noqa: BLE001 - e.g. a RecursionError from a self-containing list
            reply = wire.error_reply(0, "UnsendableResult", f"the value cannot be sent back ({type(error).__name__})")
        if not reply["ok"]:
            raise StudentError(str(reply["type"]), str(reply["message"]), str(reply.get("where", "")),
                               reply.get("frames") or [])
        return reply["value"]

    def import_module(self, module: str) -> None:
        """Import the student's `module`; WorkerFailure, once and for every later request, when that fails."""
        if module in self.broken:
            raise WorkerFailure(self.broken[module])
        try:
            self._run("imported", module, {}, self.timeout)
        except WorkerTimeout as error:
            self.broken[module] = import_failed(module, error)
            raise WorkerFailure(self.broken[module]) from None

    def request(self, probe: str, module: str | None = None, timeout: float | None = None, **args):
        """Run `probe` on the student's `module` here; its plain-data value, or StudentError / WorkerTimeout."""
        if module:
            self.import_module(module)
        return self._run(probe, module, args, timeout or self.timeout)
