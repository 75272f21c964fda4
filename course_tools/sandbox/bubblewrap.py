"""bubblewrap's command lines: what a confined worker (or the warm zygote) sees of this machine.

The namespaces; the tmpfs /scratch and /tmp first (so that a Python installation under /tmp stays
visible); the system's libraries and the Python installation read-only (its prefixes and the
site-packages folders on sys.path, as seen and as resolved through symbolic links; never the course
root or a Dask worker's scratch space); the staged submission read-only at /submission; the
Confinement's environment and the capabilities its uid drop needs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from ..worker.confinement import ENV_VARIABLE, SCRATCH_DIRS, SUBMISSION, WORKDIR, Confinement, Limits

COURSE_ROOT = Path(__file__).resolve().parents[2]  # holds solutions/ and tests/: never visible to a worker
SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib64", "/etc/alternatives", "/etc/ld.so.cache")
WORKER_COMMAND = ("-B", "-m", "grader_worker.worker")


def namespaces() -> list[str]:
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
    argv = [shutil.which("bwrap") or "bwrap", *namespaces(), "--die-with-parent", "--new-session", "--clearenv", "--proc", "/proc", "--dev", "/dev"]
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
