"""Starting a worker confined: the modes, its package staged, and the launch, cold in bubblewrap or unconfined
on an opt-in (bubblewrap's command lines are bubblewrap.py; what the worker process takes on is one
`Confinement`, worker/confinement.py, that warm workers from zygote.py enter too; the judge's handle on a
worker is client.py and channel.py, the orphan killer reaper.py, the gate selfcheck.py).

Grading fails closed: the default mode, `bubblewrap`, raises SandboxUnavailable when bwrap is
missing or cannot create its namespaces, before any student code runs. `COURSE_SANDBOX` picks
another mode (see MODES); `course sandbox-check` says what works here and how to fix what does not.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import reaper
from .bubblewrap import COURSE_ROOT, WORKER_COMMAND, bubblewrap_argv, confined_filesystem, namespaces, python_binds
from .bubblewrap import with_environment
from ..worker.confinement import ENV_VARIABLE, SYS_CAPSET, Confinement, Limits, environment

__all__ = ["BUBBLEWRAP", "CONTAINER", "COURSE_ROOT", "MODES", "MODE_ENV", "NONE", "OWN", "WORKER_COMMAND", "WORKER_PACKAGE",
           "Confinement", "Launched", "Limits", "SandboxUnavailable", "bubblewrap_argv", "bubblewrap_error",
           "confined_filesystem", "fresh_uid", "mode", "python_binds", "readable", "requested_mode", "stage_worker",
           "start_worker", "with_environment"]

MODE_ENV = "COURSE_SANDBOX"
BUBBLEWRAP, NONE, CONTAINER, OWN = "bubblewrap", "none", "container", "own"
MODES = {
    BUBBLEWRAP: "the default: every worker runs in bubblewrap; grading refuses to start without it",
    NONE: "UNSAFE, for trusted code only: no sandbox (rlimits, a scrubbed environment, a fresh uid when run as root)",
    CONTAINER: "the container is the sandbox (Gradescope, PrairieLearn): as 'none', and only as root, so that "
               "the worker drops to an unprivileged uid",
    OWN: "the caller's own code: bubblewrap when it works, else unconfined as the caller (no command sets it)",
}
# The untrusted side's package, staged whole: nothing of it is listed by hand
WORKER_PACKAGE = Path(__file__).resolve().parents[1] / "worker"


def stage_worker(workdir: Path) -> Path:
    """Copy the worker's package into workdir/grader_worker (making workdir); return workdir."""
    worker_pkg = workdir / "grader_worker"
    worker_pkg.mkdir(parents=True)
    for source in sorted(WORKER_PACKAGE.glob("*.py")):
        shutil.copy(source, worker_pkg / source.name)
    return workdir


class SandboxUnavailable(RuntimeError):
    """Student code cannot be confined as the chosen mode requires; nothing of the student's has run."""


def _reaped_early() -> None:
    """Run in the child before exec: it dies with us (the worker enters its Confinement itself)."""
    reaper.die_with_parent()


@functools.cache
def bubblewrap_error() -> str | None:
    """None when `bwrap` is installed and creates the namespaces we need; else what went wrong."""
    if not shutil.which("bwrap"):
        return "bubblewrap (bwrap) is not installed or not on PATH"
    probe = subprocess.run(["bwrap", *namespaces(), "--ro-bind", "/", "/", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"bwrap cannot create its namespaces here: {probe.stderr.strip() or f'exit status {probe.returncode}'}"
    return None


def requested_mode() -> str:
    """The mode COURSE_SANDBOX asks for (default bubblewrap); an unknown value is an error, never a fallback."""
    wanted = os.environ.get(MODE_ENV, "").strip() or BUBBLEWRAP
    if wanted not in MODES:
        raise SandboxUnavailable(f"{MODE_ENV}={wanted!r} is not a sandbox mode; use one of {', '.join(MODES)}")
    return wanted


def mode() -> str:
    """The mode workers start in now: bubblewrap, none, container or own. Raises SandboxUnavailable."""
    wanted = requested_mode()
    if wanted == OWN:
        return BUBBLEWRAP if bubblewrap_error() is None else OWN
    if wanted == BUBBLEWRAP and bubblewrap_error():
        raise SandboxUnavailable(f"{bubblewrap_error()}; grading refuses to run student code unconfined "
                                 "(`course sandbox-check` says how to fix it)")
    if wanted == CONTAINER and os.geteuid() != 0:
        raise SandboxUnavailable(f"{MODE_ENV}=container needs root, so that the worker can drop to an unprivileged uid")
    return wanted


def fresh_uid() -> int:
    """A uid no account uses, so each worker has its own process count (and owns no file)."""
    if os.uname().machine not in SYS_CAPSET:  # fail closed: the uid drop could not clear the capabilities
        raise SandboxUnavailable(f"the worker cannot drop root cleanly on {os.uname().machine}; grade as a normal user")
    return 1_000_000 + secrets.randbelow(1 << 30)


def readable(tree: Path) -> None:
    """Let the worker's unprivileged uid read the staged files (and nothing else of ours)."""
    for folder, _, files in os.walk(tree):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


@dataclass
class Launched:
    """A started worker: its process, the mode it runs in and the uid it drops to (None: the grader's)."""

    process: subprocess.Popen
    mode: str
    uid: int | None


def _unconfined(stage: Path, scratch: Path, limits: Limits, chosen: str, extra: tuple[str, ...], stderr) -> Launched:
    """Start the worker without namespaces: rlimits, a scrubbed environment, and a fresh uid when we are root."""
    reaper.become_subreaper()
    uid = fresh_uid() if os.geteuid() == 0 and chosen != OWN else None
    if uid is not None:  # root: a read-only copy of the stage, and a scratch folder only that uid can write
        os.chmod(scratch, 0o711)
        shutil.copytree(stage, scratch / "submission")
        readable(scratch / "submission")
        stage, scratch = scratch / "submission", scratch / "work"
        scratch.mkdir(mode=0o700)
        os.chown(scratch, uid, uid)
        processes = limits.processes
    else:
        processes = reaper.user_tasks() + limits.processes  # the limit counts all of this uid's tasks
    confinement = Confinement(limits, uid, processes, environment(str(stage), str(scratch)))
    env = confinement.env | {ENV_VARIABLE: json.dumps(confinement.to_dict())}
    process = subprocess.Popen([sys.executable, *WORKER_COMMAND, *extra], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=str(scratch),
                               start_new_session=True, preexec_fn=_reaped_early)
    return Launched(process, chosen, uid)


def start_worker(stage: Path, scratch: Path, limits: Limits = Limits(), hide: tuple[Path, ...] = (),
                 extra: tuple[str, ...] = (), stderr=subprocess.DEVNULL) -> Launched:
    """Start the worker with pipes for its channel (stderr discarded); raises SandboxUnavailable, never falls back."""
    chosen = mode()
    if chosen != BUBBLEWRAP:
        return _unconfined(stage, scratch, limits, chosen, extra, stderr)
    readable(stage)
    uid = fresh_uid() if os.geteuid() == 0 else None
    argv = bubblewrap_argv(stage, Confinement(limits, uid, limits.processes), hide) + list(extra)
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                               env={}, cwd=str(scratch), start_new_session=True, preexec_fn=_reaped_early)
    return Launched(process, chosen, uid)
