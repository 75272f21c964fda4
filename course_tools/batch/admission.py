"""Workers prove themselves before they take work: the same grader version as the coordinator, a working sandbox.

A Dask WorkerPlugin runs the check on every worker, those connected now and those joining later,
before the worker handles any task (Dask sets plugins up before it reads the scheduler's
messages). The verdict is logged to the scheduler on TOPIC, where the coordinator reads it. A
refused worker closes itself, and its nanny, so it never grades; a task that still reaches a
worker without a verdict asks to be rescheduled. An admitted worker starts its warm parent and
zygote (launcher.prewarm) before its verdict goes out, so that their imports of torch overlap the
coordinator's dispatch instead of delaying the first task.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from distributed import Reschedule, WorkerPlugin, get_worker

from ..judge.launcher import GraderSettings
from ..paths import find_root, grading_config
from ..judge.fingerprint import grader_parts, version_difference

TOPIC = "course-grade-admission"
ROOT_ENV = "COURSE_ROOT"  # a worker's course checkout, when the coordinator's path does not hold one


@dataclass
class Verdict:
    """One worker's admission: whether it may grade, its course root, and every reason it may not."""

    run: str
    address: str
    host: str
    root: str
    admitted: bool
    reasons: list[str] = field(default_factory=list)

    def message(self) -> str:
        state = "admitted" if self.admitted else "REFUSED, it will not grade: " + "; ".join(self.reasons)
        return f"worker {self.address} on {self.host} ({self.root}): {state}"


def worker_root(coordinator_root: str) -> Path:
    """This machine's course root: $COURSE_ROOT, else the coordinator's path if it holds graders here, else the
    checkout found from the working directory."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    if grading_config(coordinator_root).is_file():
        return Path(coordinator_root)
    return find_root()


def sandbox_problems() -> list[str]:
    """The failed findings of the sandbox self-check on this machine ([] when grading may start here)."""
    from ..sandbox.selfcheck import self_check  # the grading package's check, the one `course grade` runs

    report = self_check()
    if report.ok:
        return []
    failed = [f"{f.name}: {f.detail}" for f in report.findings if f.status == "FAIL"]
    return [f"its sandbox self-check failed ({'; '.join(failed) or report.mode})"]


def mode_problems(allowed: str) -> list[str]:
    """Why this machine's sandbox mode may not grade for a coordinator that asked for `allowed` ([] when it may).

    Bubblewrap always may; an unconfined mode (COURSE_SANDBOX=none, container) only when the coordinator
    opted into that same mode, so that a worker started with it never grades silently unconfined."""
    from .. import sandbox

    try:
        mine = sandbox.requested_mode()
    except sandbox.SandboxUnavailable:
        return []  # an unknown mode: the self-check refuses it and says why
    if mine in (sandbox.BUBBLEWRAP, allowed):
        return []
    return [f"it would run student code with {sandbox.MODE_ENV}={mine}, but the coordinator grades with "
            f"{allowed}: unset {sandbox.MODE_ENV} on that worker (or opt in on the coordinator as well)"]


def check_this_machine(run: str, address: str, expected: dict[str, str], settings: GraderSettings,
                       coordinator_root: str, allowed_mode: str = "bubblewrap") -> Verdict:
    """The verdict on this machine: the grader version compared part by part with `expected`, then the sandbox
    (its mode, which must be bubblewrap or the coordinator's own opt-in, and its self-check)."""
    host, reasons = socket.gethostname(), []
    try:
        root = worker_root(coordinator_root)
        if not grading_config(root).is_file():
            reasons.append(f"{root} holds no graders (set {ROOT_ENV} to the course checkout)")
        else:
            different = version_difference(expected, grader_parts(root, settings))
            if different:
                reasons.append("its grader version differs from the coordinator's in " + ", ".join(different))
        reasons += sandbox_problems() + mode_problems(allowed_mode)
    except Exception as error:  # noqa: BLE001 - a check that cannot run refuses the worker, never crashes it
        root = Path(coordinator_root)
        reasons.append(f"its check failed ({type(error).__name__}: {error})")
    return Verdict(run, address, host, str(root), not reasons, reasons)


def prewarm_quietly() -> None:
    """Start this worker's warm parent and zygote; a failure is left to the first task, which says it and grades cold."""
    from ..judge.launcher import prewarm

    try:
        prewarm()
    except Exception:  # noqa: BLE001 - an optimisation: admission never fails on it
        pass


class Admission(WorkerPlugin):
    """Checks a worker when it connects; keeps the verdict on the worker and reports it on TOPIC."""

    name = "course-grade-admission"
    idempotent = False  # a new coordinator (another grader version) re-checks every worker

    def __init__(self, expected: dict[str, str], settings: GraderSettings, coordinator_root: str,
                 allowed_mode: str = "bubblewrap", warm: bool = True):
        self.expected, self.settings, self.coordinator_root = expected, settings, str(coordinator_root)
        self.allowed_mode = allowed_mode  # the coordinator's own sandbox mode
        self.warm = warm  # an admitted worker starts its warm parent and zygote before its first task comes
        self.run = uuid.uuid4().hex  # tells this coordinator's verdicts from older ones in the scheduler's log

    async def setup(self, worker) -> None:
        worker.course_admission = None  # until the verdict is in, a task here reschedules itself
        verdict = await asyncio.to_thread(check_this_machine, self.run, worker.address, self.expected, self.settings,
                                          self.coordinator_root, self.allowed_mode)
        if verdict.admitted and self.warm:  # their imports of torch overlap the coordinator's dispatch
            await asyncio.to_thread(prewarm_quietly)
        worker.course_admission = verdict
        worker.log_event(TOPIC, asdict(verdict))
        if not verdict.admitted:  # after setup returns: closing from inside it would wait on itself
            worker.loop.call_later(0.5, lambda: asyncio.ensure_future(
                worker.close(nanny=True, reason="course grade: refused")))


def admitted_root() -> Path:
    """In a task: this worker's course root if it was admitted; else the task goes back to the scheduler."""
    try:
        verdict = getattr(get_worker(), "course_admission", None)
    except ValueError:  # not on a Dask worker (a direct call, e.g. in a test): this machine's own root
        return find_root()
    if verdict is None or not verdict.admitted:
        time.sleep(1)  # a refused worker is closing: do not spin through the queue
        raise Reschedule()
    return Path(verdict.root)


def verdicts(client, run: str) -> dict[str, Verdict]:
    """The latest verdict per worker address for coordinator run `run`, from the scheduler's event log."""
    found = {}
    for _, message in client.get_events(TOPIC):
        if message.get("run") == run:  # Dask adds its own keys (e.g. "worker") to a logged event
            found[message["address"]] = Verdict(**{f.name: message[f.name] for f in fields(Verdict)})
    return found


def admit(client, expected: dict[str, str], settings: GraderSettings, coordinator_root: Path,
          wait: float = 120.0, warm: bool = True) -> tuple[str, list[Verdict], list[Verdict]]:
    """Install the check on every worker and wait for the verdicts of those connected now (and still there);
    (the run token for verdicts(), admitted, refused).

    A worker that dies before or during its check costs nothing but its verdict: the scheduler keeps the
    plugin for every live and later worker even when its broadcast to a dying one fails."""
    from .. import sandbox

    workers = set(client.scheduler_info()["workers"])
    plugin = Admission(expected, settings, str(coordinator_root), sandbox.requested_mode(), warm)
    try:
        client.register_plugin(plugin)
    except OSError:  # CommClosedError and its kin: a worker left while the plugin was broadcast
        pass
    deadline = time.monotonic() + wait
    while True:
        found = verdicts(client, plugin.run)
        workers &= set(client.nthreads())  # a worker that left is not waited for
        if workers <= set(found) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    current = [found[a] for a in sorted(workers) if a in found]
    return plugin.run, [v for v in current if v.admitted], [v for v in current if not v.admitted]
