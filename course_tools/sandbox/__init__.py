"""Starting a worker confined: its package staged, the modes, limits and bubblewrap's argv (the
judge's handle on the worker is client.py, the orphan killer reaper.py, the gate selfcheck.py).

Grading fails closed: the default mode, `bubblewrap`, raises SandboxUnavailable when bwrap is
missing or cannot create its namespaces, before any student code runs. `COURSE_SANDBOX` picks
another mode (see MODES); `course sandbox-check` says what works here and how to fix what does not.

Inside bubblewrap the worker sees only the system's libraries, the Python installation (its
prefixes and the site-packages folders on sys.path, as seen and as resolved through symbolic
links; never the course root or a Dask worker's scratch space), the staged submission (read-only, at /submission) and two small writable tmpfs
folders (/scratch, /tmp). The tmpfs folders are mounted first, so a Python installation under
/tmp stays visible. It has no network and its own pid namespace. What the worker process itself takes on (the uid
and capabilities, the limits, the environment) is one `Confinement` (worker/confinement.py), which
warm workers (zygote.py) enter too.
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
from ..worker.confinement import ENV_VARIABLE, SCRATCH_DIRS, SUBMISSION, SYS_CAPSET, WORKDIR, Confinement
from ..worker.confinement import Limits, environment

MODE_ENV = "COURSE_SANDBOX"
BUBBLEWRAP, NONE, CONTAINER, OWN = "bubblewrap", "none", "container", "own"
MODES = {
    BUBBLEWRAP: "the default: every worker runs in bubblewrap; grading refuses to start without it",
    NONE: "UNSAFE, for trusted code only: no sandbox (rlimits, a scrubbed environment, a fresh uid when run as root)",
    CONTAINER: "the container is the sandbox (Gradescope, PrairieLearn): as 'none', and only as root, so that "
               "the worker drops to an unprivileged uid",
    OWN: "course check: the student's own code on their own machine; bubblewrap when it works, else unconfined",
}
COURSE_ROOT = Path(__file__).resolve().parents[2]  # holds solutions/ and tests/: never visible to a worker
SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib64", "/etc/alternatives", "/etc/ld.so.cache")
WORKER_COMMAND = ("-B", "-m", "grader_worker.worker")
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
    probe = subprocess.run(["bwrap", *_namespaces(), "--ro-bind", "/", "/", "true"], capture_output=True, text=True)
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


def _namespaces() -> list[str]:
    # Root keeps the initial user namespace so that the worker can drop to a real unprivileged uid
    # (RLIMIT_NPROC does not apply to uid 0, even one mapped from a user namespace).
    if os.geteuid() == 0:
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    return ["--unshare-all"]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def python_binds() -> list[tuple[str, str]]:
    """(source, target) pairs that show the Python installation: prefixes and sys.path, as seen and resolved."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(sys.executable))}
    entries = [p for p in sys.path if p and os.path.isabs(p)]
    binds = set()
    for path in (*prefixes, *entries):
        seen, real = os.path.abspath(path), os.path.realpath(path)
        if not os.path.exists(real):
            continue
        packages = any(part in ("site-packages", "dist-packages") for part in Path(real).parts)
        in_prefix = any(_inside(seen, os.path.abspath(p)) or _inside(real, os.path.realpath(p)) for p in prefixes)
        if not (in_prefix or packages):
            continue  # e.g. the course root (solutions/, the graders) or a Dask worker's scratch space on sys.path
        binds |= {(real, seen), (real, real)}
    return sorted(binds, key=lambda b: (b[1].count("/"), b[1]))


def _parents(target: str, made: set[str], covered: list[str]) -> list[str]:
    """--dir arguments for the missing parents of target (bwrap would make them 0700: unreadable after the uid drop)."""
    argv = []
    for parent in reversed(Path(target).parents):
        parent = str(parent)
        if parent != "/" and parent not in made and not any(_inside(parent, c) for c in covered):
            argv += ["--perms", "0755", "--dir", parent]
            made.add(parent)
    return argv


def confined_filesystem(limits: Limits, hide: tuple[Path, ...] = ()) -> list[str]:
    """bwrap's arguments up to the submission: namespaces, tmpfs, the system and Python read-only, `hide` covered."""
    argv = [shutil.which("bwrap") or "bwrap", *_namespaces(), "--die-with-parent", "--new-session", "--clearenv", "--proc", "/proc", "--dev", "/dev"]
    for tmp in SCRATCH_DIRS:  # first: a later bind below /tmp must not be hidden by this tmpfs
        argv += ["--perms", "1777", "--size", str(limits.scratch_bytes), "--tmpfs", tmp]
    binds = [(d, d) for d in SYSTEM_DIRS if os.path.exists(d)] + python_binds()
    covered, made = [], set(SCRATCH_DIRS)  # below a tmpfs, bwrap would make missing parents 0700
    hidden = [str(f) for f in (COURSE_ROOT, *hide) if any(_inside(str(f), t) for _, t in binds)]
    late = [b for b in binds if any(_inside(b[1], h) for h in hidden)]  # a venv inside a hidden course root
    for source, target in [b for b in binds if b not in late]:
        argv += _parents(target, made, covered) + ["--ro-bind", source, target]
        covered.append(target)
    for folder in hidden:  # e.g. a course root inside a bound Python installation
        argv += ["--tmpfs", folder]
    for source, target in late:  # after the tmpfs that would otherwise cover them
        argv += _parents(target, made, []) + ["--ro-bind", source, target]
    return argv


def with_environment(argv: list[str], env: dict[str, str]) -> list[str]:
    """bwrap's arguments that set exactly `env` (after --clearenv)."""
    for key, value in env.items():
        argv = argv + ["--setenv", key, value]
    return argv


def bubblewrap_argv(stage: Path, confinement: Confinement, hide: tuple[Path, ...] = ()) -> list[str]:
    """The bwrap command line that runs the worker on `stage`; folders in `hide` are covered by empty tmpfs."""
    argv = confined_filesystem(confinement.limits, hide)
    argv += ["--ro-bind", str(stage), SUBMISSION, "--remount-ro", "/", "--chdir", WORKDIR]
    if confinement.uid is not None:  # the worker drops to it, and clears every capability, before student code
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    argv = with_environment(argv, confinement.env | {ENV_VARIABLE: json.dumps(confinement.to_dict())})
    return argv + [sys.executable, *WORKER_COMMAND]


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
