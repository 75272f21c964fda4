"""How the worker is launched: bubblewrap where it works, else rlimits and a scrubbed environment.

Inside bubblewrap the worker sees only the system's libraries, the Python installation, the staged
submission (read-only) and two small writable tmpfs folders (/scratch, /tmp); it has no network,
its own pid namespace (all of it dies with the worker), and, when grading runs as root, a fresh
unprivileged uid, so that the process limit applies. Without bubblewrap (a warning says so) it
gets resource limits, a scrubbed environment, a private scratch folder and its own session, but
it can read what the grading user can read: see docs/guides/security.md.
`COURSE_SANDBOX=rlimits` forces that weaker mode; `COURSE_SANDBOX=bubblewrap` makes it an error.
"""

from __future__ import annotations

import functools
import os
import resource
import secrets
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from . import reaper

MODE_ENV = "COURSE_SANDBOX"
COURSE_ROOT = Path(__file__).resolve().parents[2]  # holds solutions/ and tests/: never visible to a worker
SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib64", "/etc/alternatives", "/etc/ld.so.cache")


@dataclass(frozen=True)
class Limits:
    """Per-worker resource limits."""

    memory_bytes: int = 6 << 30  # address space; torch alone maps about 1.5 GiB
    cpu_seconds: int = 300
    file_bytes: int = 64 << 20
    processes: int = 64  # tasks (processes and threads) of the worker's uid
    scratch_bytes: int = 256 << 20  # each of /scratch and /tmp (tmpfs is RAM, outside RLIMIT_AS)


def _apply_limits(limits: Limits, processes: int | None) -> None:
    reaper.die_with_parent()
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if processes is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


@functools.cache
def bubblewrap_works() -> bool:
    """True when `bwrap` is installed and can create the namespaces we need here."""
    if not shutil.which("bwrap"):
        return False
    probe = subprocess.run(["bwrap", *_namespaces(), "--ro-bind", "/", "/", "true"], capture_output=True)
    return probe.returncode == 0


def mode() -> str:
    """'bubblewrap' or 'rlimits' (the fallback), from COURSE_SANDBOX and what works on this machine."""
    wanted = os.environ.get(MODE_ENV, "auto")
    if wanted == "rlimits":
        return "rlimits"
    if bubblewrap_works():
        return "bubblewrap"
    if wanted == "bubblewrap":
        raise RuntimeError(f"{MODE_ENV}=bubblewrap, but bwrap is missing or cannot create namespaces here")
    return "rlimits"


def _namespaces() -> list[str]:
    # Root keeps the initial user namespace so that the worker can drop to a real unprivileged uid
    # (RLIMIT_NPROC does not apply to uid 0, even one mapped from a user namespace).
    if os.geteuid() == 0:
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    return ["--unshare-all"]


def _python_roots() -> list[str]:
    roots = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    return sorted(roots)


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parents
    return [str(p) for p in reversed(parts) if str(p) != "/"]


def _clean_env(stage: Path, scratch: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "PYTHONPATH": str(stage),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "PYTHONNOUSERSITE": "1", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": scratch}


def bubblewrap_argv(stage: Path, limits: Limits, hide: tuple[Path, ...] = ()) -> list[str]:
    """The bwrap command line that runs the worker on `stage`; folders in `hide` are covered by empty tmpfs."""
    argv = ["bwrap", *_namespaces(), "--die-with-parent", "--new-session", "--clearenv",
            "--proc", "/proc", "--dev", "/dev"]
    binds = [(d, d) for d in SYSTEM_DIRS if os.path.exists(d)] + [(r, r) for r in _python_roots()]
    made = set()
    for source, target in binds:
        for parent in _ancestors(target):  # bwrap would create missing parents with mode 0700
            if parent not in made and not any(parent == t or parent.startswith(t + "/") for _, t in binds):
                argv += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        argv += ["--ro-bind", source, target]
    for folder in (COURSE_ROOT, *hide):  # e.g. a course root that a bound Python installation contains
        if any(str(folder) == t or str(folder).startswith(t + "/") for _, t in binds):
            argv += ["--tmpfs", str(folder)]
    argv += ["--ro-bind", str(stage), "/submission"]
    for tmp in ("/scratch", "/tmp"):
        argv += ["--perms", "1777", "--size", str(limits.scratch_bytes), "--tmpfs", tmp]
    argv += ["--remount-ro", "/", "--chdir", "/scratch"]
    env = _clean_env(Path("/submission"), "/scratch") | {"COURSE_MAX_PROCESSES": str(limits.processes)}
    if os.geteuid() == 0:  # the worker drops to this uid before it imports anything of the student's
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        env["COURSE_WORKER_UID"] = str(fresh_uid())
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv + [sys.executable, "-B", "-m", "grader_worker.worker"]


def fresh_uid() -> int:
    """A uid no account uses, so each worker has its own process count (and owns no file)."""
    return 1_000_000 + secrets.randbelow(1 << 30)


def _readable(stage: Path) -> None:
    """Let the worker's unprivileged uid read the staged files (and nothing else of ours)."""
    for folder, _, files in os.walk(stage):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def start_worker(stage: Path, scratch: Path, limits: Limits = Limits(), hide: tuple[Path, ...] = ()) -> subprocess.Popen:
    """Start the worker process with pipes for its channel; its stderr is discarded."""
    if mode() == "bubblewrap":
        _readable(stage)
        argv, env, processes = bubblewrap_argv(stage, limits, hide), {}, limits.processes if os.geteuid() == 0 else None
    else:
        warnings.warn("bubblewrap is unavailable: student code runs with rlimits only and can read "
                      "the grading user's files (see docs/guides/security.md)", RuntimeWarning, stacklevel=2)
        reaper.become_subreaper()
        processes = reaper.user_tasks() + limits.processes  # the limit counts all of this uid's tasks
        argv = [sys.executable, "-B", "-m", "grader_worker.worker"]
        env = _clean_env(stage, str(scratch)) | {"COURSE_MAX_PROCESSES": str(processes)}
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, cwd=str(scratch), start_new_session=True,
                            preexec_fn=functools.partial(_apply_limits, limits, processes))
