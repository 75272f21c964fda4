"""What a worker may do, described once, and the one way a worker process takes it on.

A `Confinement` says: the resource limits, the unprivileged uid to become (no group, no capability
in any set), and the whole environment. Both kinds of worker enter it with `enter()`, in the
worker's own process, before anything of the student's is imported: a cold worker reads it from
COURSE_CONFINEMENT (sandbox/__init__.py sets it), a warm one from its request (zygote.py).

The filesystem is the same for both (namespaces cannot be entered by a process that already runs
threads, so each path builds it with its own tool: bwrap's argv or mount(2)): the submission
read-only at SUBMISSION, a fresh /proc, and SCRATCH_DIRS as tmpfs of `scratch_bytes` each, the
first of them the working folder. Stdlib only: this module is staged into the sandbox.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
from dataclasses import asdict, dataclass, field

from .proc_self import capabilities

ENV_VARIABLE = "COURSE_CONFINEMENT"
SUBMISSION = "/submission"
SCRATCH_DIRS = ("/scratch", "/tmp")
WORKDIR = SCRATCH_DIRS[0]
SYS_CAPSET = {"x86_64": 126, "aarch64": 91}  # the capset syscall's number per machine (no libc wrapper)
PR_SET_NO_NEW_PRIVS = 38


class ConfinementError(RuntimeError):
    """A step of confining the worker failed: no student code may run."""


@dataclass(frozen=True)
class Limits:
    """Per-worker resource limits."""

    memory_bytes: int = 6 << 30  # address space; torch alone maps about 1.5 GiB
    cpu_seconds: int = 300
    file_bytes: int = 64 << 20
    processes: int = 64  # tasks (processes and threads) of the worker's uid
    scratch_bytes: int = 256 << 20  # each of SCRATCH_DIRS (tmpfs is RAM, outside RLIMIT_AS)


def environment(submission: str = SUBMISSION, scratch: str = WORKDIR) -> dict[str, str]:
    """The worker's whole environment: nothing of the grader's is passed on."""
    return {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "PYTHONPATH": submission,
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "PYTHONNOUSERSITE": "1", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": scratch,
            # set here, or torch's compiler stack sets it itself to a folder shared by every worker
            "TORCHINDUCTOR_CACHE_DIR": f"{scratch}/torchinductor"}


@dataclass(frozen=True)
class Confinement:
    """What one worker may do. uid None keeps the caller's (an unprivileged user's own sandbox);
    processes is RLIMIT_NPROC, which counts every task of the uid (so it is not always limits.processes)."""

    limits: Limits = Limits()
    uid: int | None = None
    processes: int | None = None
    env: dict[str, str] = field(default_factory=environment)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Confinement:
        return cls(Limits(**data["limits"]), data["uid"], data["processes"], data["env"])


def _clear_capabilities() -> None:
    """capset with empty sets: leaving uid 0 empties the others, not the inheritable one."""
    machine = os.uname().machine
    if machine not in SYS_CAPSET:
        raise ConfinementError(f"cannot clear capabilities on {machine}: its capset syscall is unknown")
    libc = ctypes.CDLL(None, use_errno=True)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: twice 32 bits each
    if libc.syscall(SYS_CAPSET[machine], header, data) != 0:
        raise ConfinementError(f"capset: {os.strerror(ctypes.get_errno())}")


def drop_to(uid: int) -> None:
    """Become `uid` with no groups and no capability left in any set; check that it is so."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    _clear_capabilities()
    if os.getuid() == 0 or os.getgroups() or any(capabilities().values()):
        raise ConfinementError("privileges remain after dropping root")


def apply_limits(limits: Limits, processes: int | None) -> None:
    """The resource limits, hard and soft alike, so that nothing of the worker's can raise them."""
    for name, value in (("RLIMIT_AS", limits.memory_bytes), ("RLIMIT_CPU", limits.cpu_seconds),
                        ("RLIMIT_FSIZE", limits.file_bytes), ("RLIMIT_CORE", 0), ("RLIMIT_NPROC", processes)):
        if value is not None:
            resource.setrlimit(getattr(resource, name), (value, value))


def _no_new_privileges() -> None:
    """No setuid program or file capability can give this process, or its children, more than it has."""
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise ConfinementError(f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(ctypes.get_errno())}")


def enter(confinement: Confinement) -> None:
    """Take on `confinement` in this process: the uid (from root only), the limits, the environment."""
    if confinement.uid is not None:
        if os.getuid() != 0:
            raise ConfinementError("asked to drop to a uid, but not started as root")
        drop_to(confinement.uid)
    _no_new_privileges()
    apply_limits(confinement.limits, confinement.processes)
    os.environ.clear()
    os.environ.update(confinement.env)


def from_environment() -> Confinement:
    """A cold worker's Confinement, from COURSE_CONFINEMENT (an error if there is none)."""
    described = os.environ.get(ENV_VARIABLE)
    if not described:
        raise ConfinementError(f"{ENV_VARIABLE} is not set: a worker never runs unconfined by accident")
    return Confinement.from_dict(json.loads(described))
