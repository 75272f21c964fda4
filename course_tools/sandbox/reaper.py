"""Finding the processes a worker left behind when no pid namespace holds them (the unconfined modes).

The trusted process makes itself a child subreaper (Linux prctl), so a process that double-forks
or calls setsid() out of the worker's process group is re-parented to it instead of to init. After
killing the worker's group, `kill_orphans` kills every child of ours that we did not start ourselves
and that started after the worker did, until none is left.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
_started: set[int] = set()  # pids of workers we started and still own
try:  # resolved now: after fork, in a preexec_fn, loading a library could deadlock
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _prctl = None


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux only); True when it worked."""
    return _prctl is not None and _prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def die_with_parent() -> None:
    """In a child before exec: get SIGKILL when the trusted process dies (Linux only)."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)


def register(pid: int) -> None:
    """Remember a worker we started, so it is never mistaken for an orphan."""
    _started.add(pid)


def forget(pid: int) -> None:
    _started.discard(pid)


def start_ticks(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat)."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def _status(pid: str) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except OSError:
        return {}


def user_tasks(uid: int | None = None) -> int:
    """Number of tasks (processes and threads) the real uid runs now: RLIMIT_NPROC counts these."""
    uid = os.getuid() if uid is None else uid
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        status = _status(pid)
        if status.get("Uid", "").split("\t")[:1] == [str(uid)]:
            total += int(status.get("Threads", "1"))
    return total


def orphans(since: int) -> list[int]:
    """Our children that we did not start and that started at or after `since` (clock ticks)."""
    me, found = str(os.getpid()), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        status = _status(pid)
        if status.get("PPid") == me and int(pid) not in _started:
            ticks = start_ticks(int(pid))
            if ticks is not None and ticks >= since:
                if status.get("State", "").startswith("Z"):
                    _reap(int(pid))  # already dead: only its exit status is left
                else:
                    found.append(int(pid))
    return found


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _kill_until_none(find, rounds: int) -> int:
    """SIGKILL and reap what `find()` lists until it lists nothing (at most `rounds` times); return how many."""
    killed = 0
    for _ in range(rounds):
        found = find()
        if not found:
            return killed
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        time.sleep(0.02)  # their own children are re-parented to us; the next round finds them
        for pid in found:
            _reap(pid)
    return killed


def kill_orphans(since: int, rounds: int = 50) -> int:
    """SIGKILL and reap the orphans of a worker that started at `since`; return how many were killed."""
    return _kill_until_none(lambda: orphans(since), rounds)


def kill_uid(uid: int, rounds: int = 50) -> int:
    """SIGKILL every process of `uid` (a worker's fresh uid, which nothing else uses); return how many."""
    return _kill_until_none(lambda: [int(p) for p in filter(str.isdigit, os.listdir("/proc"))
                                     if _status(p).get("Uid", "").split("\t")[:1] == [str(uid)]], rounds)
