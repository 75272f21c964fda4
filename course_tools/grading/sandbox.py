"""How the worker is launched: bubblewrap where it works, else rlimits and a scrubbed environment.

Inside bubblewrap the worker sees only the system's libraries, the Python installation, the staged
submission (read-only) and an empty scratch folder; it has no network, and dies with its parent.
Without bubblewrap (a warning says so) it still gets resource limits, a scrubbed environment, a
private scratch folder and its own session, but it can read what the grading user can read.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """Per-worker resource limits."""

    memory_bytes: int = 6 << 30  # address space; torch alone maps about 1.5 GiB
    cpu_seconds: int = 300
    file_bytes: int = 64 << 20
    processes: int = 64


def _apply_limits(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@functools.cache
def bubblewrap_works() -> bool:
    """True when `bwrap` is installed and can create the namespaces we need here."""
    if not shutil.which("bwrap"):
        return False
    probe = subprocess.run(["bwrap", "--unshare-all", "--ro-bind", "/", "/", "true"], capture_output=True)
    return probe.returncode == 0


def _python_roots() -> list[str]:
    roots = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    return sorted(roots)


def _clean_env(stage: Path, scratch: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "PYTHONPATH": str(stage),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": scratch}


def worker_command(stage: Path, scratch: Path) -> tuple[list[str], dict[str, str], str]:
    """Return (argv, env, cwd) that start the worker on the staged submission `stage`."""
    python = [sys.executable, "-B", "-m", "grader_worker.worker"]
    if not bubblewrap_works():
        warnings.warn("bubblewrap is unavailable: student code runs with rlimits only and can read "
                      "the grading user's files (see the README's threat model)", RuntimeWarning, stacklevel=2)
        return python, _clean_env(stage, str(scratch)), str(scratch)
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for system in ("/usr", "/bin", "/lib", "/lib64", "/etc/alternatives", "/etc/ld.so.cache"):
        if os.path.exists(system):
            argv += ["--ro-bind", system, system]
    for root in _python_roots():
        argv += ["--ro-bind", root, root]
    argv += ["--ro-bind", str(stage), "/submission", "--dir", "/scratch", "--chdir", "/scratch"]
    env = _clean_env(Path("/submission"), "/scratch")
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv + python, env, str(scratch)


def start_worker(stage: Path, scratch: Path, limits: Limits = Limits()) -> subprocess.Popen:
    """Start the worker process with pipes for its channel; its stderr is discarded."""
    argv, env, cwd = worker_command(stage, scratch)
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, cwd=cwd, start_new_session=True,
                            preexec_fn=functools.partial(_apply_limits, limits))
