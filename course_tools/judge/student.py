"""The judge's view of a submission: probe calls whose every failure becomes a Mistake with feedback."""

from __future__ import annotations

from .. import stub_message
from ..i18n import N_, _
from .checks import Mistake
from .crash import Stopped, from_reply
from ..sandbox.client import StudentError, Worker, WorkerFailure
from .submission import Staged


class Student:
    """Runs probes on the staged submission's worker and turns errors into teaching feedback."""

    def __init__(self, staged: Staged, worker: Worker):
        self.staged, self.worker = staged, worker

    def run(self, probe: str, module: str, timeout: float | None = None, needs: tuple[str, ...] = (), **args):
        """Return the probe's plain-data value, or raise a Mistake explaining what went wrong.

        `needs`: the other exercise modules the probe runs (an end-to-end check's `builds_on`); each is
        imported first, so that one whose import already hung fails the probe at once, not after `timeout`.
        """
        for name in (*needs, module):
            if name in self.staged.problems:
                raise Mistake(self.staged.problems[name], _resubmit(name))
        try:
            for name in needs:
                self.worker.import_module(name)
            return self.worker.request(probe, module, timeout=timeout, **args)
        except StudentError as error:
            if error.type_name == "NotImplementedError":
                detail = (stub_message.translated(error.message) if stub_message.parse(error.message)
                          else _("not implemented yet: {message}").format(message=error.message) if error.message
                          else _("{name} is not implemented yet").format(name=args.get("name", module)))
                raise Mistake(detail, N_("Replace the `raise NotImplementedError(...)` with your code.")) from None
            crash = from_reply(error.type_name, error.message, error.frames)
            raise Mistake(crash.describe(), crash.hint, crash=crash) from None
        except WorkerFailure as error:
            stopped = Stopped(str(error))
            raise Mistake(stopped.describe(), stopped.hint, crash=stopped) from None

    def call(self, module: str, name: str, *args, **kwargs):
        """Return module.name(*args, **kwargs) as computed by the student's code."""
        return self.run("call", module, name=name, args=list(args), kwargs=kwargs)["result"]

    def source(self, module: str) -> str:
        """The submitted source of `module` (read on the trusted side, never run here)."""
        if module in self.staged.problems:
            raise Mistake(self.staged.problems[module], _resubmit(module))
        return self.staged.sources[module]


def _resubmit(module: str) -> str:
    return _("Submit your work as course_lib/{module}.py (UTF-8 text).").format(module=module)
