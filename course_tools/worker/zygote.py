"""The warm zygote: imports torch once inside the sandbox, then forks one fresh, confined worker per request.

Started as `python -m grader_worker.zygote` by course_tools/sandbox/zygote.py, inside a bubblewrap
sandbox that has no network, shows the Python installation read-only and every stage of this
batch read-only under /stages. It keeps only CAP_SYS_ADMIN, CAP_SETUID and CAP_SETGID, and runs
only this package's code: it never imports student code and never runs a tensor op (forking after
a parallel op deadlocks the child, pytorch #17199).

For each connection on its listening socket (the fd named by its argument) it forks a keeper, which reads the request
(a JSON line with the stage and the worker's Confinement, plus the channel's two pipe ends) and enters fresh
mount, pid, network, IPC and UTS namespaces. The keeper's child is pid 1 there: it binds only its
own stage at /submission, covers /stages, mounts a fresh /proc and its own tmpfs /scratch and /tmp,
drops to the request's unprivileged uid (which clears every capability), and reaps orphans while
its child, the worker, enters the Confinement (confinement.py, as a cold worker does) and serves. Nothing is shared between two submissions:
not a process, a module's state, an RNG, a file or a thread. The keeper kills the whole pid
namespace when the judge closes the connection, and closes it when the worker is gone.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import select
import signal
import socket
import sys

from . import proc_self
from .confinement import SCRATCH_DIRS, SUBMISSION, WORKDIR, Confinement, ConfinementError, drop_to, enter

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 32, 4096, 8192, 16384, 1 << 18
_libc = ctypes.CDLL(None, use_errno=True)


def _call(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise ConfinementError(f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    def encode(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None

    _call(_libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)), f"mount {target}")


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """One JSON line and the two pipe ends (requests to read, replies to write) from the judge."""
    data, fds = b"", []
    while not data.endswith(b"\n"):
        chunk, more, _flags, _addr = socket.recv_fds(conn, 1 << 16, 4)
        if not chunk:
            raise ConfinementError("the judge closed the connection before its request")
        data, fds = data + chunk, fds + list(more)
    if len(fds) != 2:
        raise ConfinementError(f"expected the channel's two pipe ends, got {len(fds)} descriptors")
    return json.loads(data), fds


def _stage_path(stage: str) -> str:
    """/stages/<stage>, refusing anything that could name another folder."""
    if not stage or stage.startswith("/") or ".." in stage.split("/"):
        raise ConfinementError(f"not a stage name: {stage!r}")
    path = os.path.join("/stages", stage)
    if not os.path.isdir(path):
        raise ConfinementError(f"no such stage: {stage}")
    return path


def _mounts_below(folder: str) -> list[str]:
    """The outermost mount points strictly below `folder`, in mount order."""
    points: list[str] = []
    for point in (mount.point for mount in proc_self.mounts()):
        if point.startswith(folder + "/") and not any(point.startswith(p + "/") or point == p for p in points):
            points.append(point)
    return points


def _fresh_tmpfs(folder: str, scratch_bytes: int, hold: str) -> None:
    """A fresh tmpfs at `folder` that still shows what was bound below it (a Python installation under /tmp,
    as the zygote's own sandbox shows it), those mounts held under `hold` while the tmpfs is mounted."""
    kept = _mounts_below(folder)
    for i, point in enumerate(kept):
        os.mkdir(f"{hold}/{i}", 0o700)
        _mount(point, f"{hold}/{i}", None, MS_BIND | MS_REC)  # a bind keeps the read-only flag of its source
    _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"size={scratch_bytes},mode=1777")
    for i, point in enumerate(kept):
        os.makedirs(point, 0o755, exist_ok=True)
        for made in _made_below(folder, point):
            os.chmod(made, 0o755)  # else the umask decides whether the dropped uid may pass
        _mount(f"{hold}/{i}", point, None, MS_MOVE)
        os.rmdir(f"{hold}/{i}")


def _made_below(folder: str, point: str) -> list[str]:
    """The folders from just below `folder` down to `point`."""
    parts = point[len(folder) + 1:].split("/")
    return [folder + "/" + "/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _enter_filesystem(stage: str, scratch_bytes: int) -> None:
    """Only our stage, read-only at SUBMISSION; a fresh /proc; our own tmpfs SCRATCH_DIRS (what the zygote's
    sandbox bound below them still shown)."""
    source = _stage_path(stage)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount(source, SUBMISSION, None, MS_BIND | MS_REC)
    _mount(None, SUBMISSION, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _mount("tmpfs", "/stages", "tmpfs", MS_NOSUID | MS_NODEV, "size=4k,mode=0755")  # covers the other stages
    for folder in SCRATCH_DIRS:
        _fresh_tmpfs(folder, scratch_bytes, "/stages")  # held there while covered, then moved back
    _mount(None, "/stages", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _fresh_state() -> None:
    """What the zygote's memory holds that must not be shared: RNG seeds; and torch's thread pool size."""
    import torch

    random.seed(os.urandom(32))
    torch.seed()
    if "numpy" in sys.modules:  # imported by torch: its global generator was seeded once, in the zygote
        sys.modules["numpy"].random.seed(int.from_bytes(os.urandom(4), "big"))
    torch.set_num_threads(1)


def _worker(confinement: Confinement, self_check: dict | None, channel: list[int]) -> None:
    """The worker (pid 2 of the namespace): its Confinement, the channel on fds 0 and 1, then serve or self-check."""
    enter(confinement)
    os.dup2(channel[0], 0)
    os.dup2(channel[1], 1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # close_range(2): cheap however high the limit
    os.chdir(WORKDIR)
    sys.path[:0] = [SUBMISSION]
    sys.path_importer_cache.clear()
    _fresh_state()
    from . import worker

    if self_check is not None:
        os.write(1, (json.dumps(worker.self_check(self_check)) + "\n").encode())
    else:
        worker.serve()


def _init(request: dict, channel: list[int], conn: socket.socket) -> None:
    """pid 1 of the fresh namespaces: the filesystem, then reap orphans until the worker exits."""
    try:
        confinement = Confinement.from_dict(request["confinement"])
        if confinement.uid is None:
            raise ConfinementError("a warm worker must drop to a fresh uid")
        os.setsid()
        _enter_filesystem(request["stage"], confinement.limits.scratch_bytes)
        worker_pid = os.fork()
        if worker_pid == 0:
            conn.close()
            try:
                _worker(confinement, request.get("self_check"), channel)
                os._exit(0)
            except BaseException:  # noqa: BLE001 - never return into the zygote's code
                os._exit(70)
        for fd in channel:
            os.close(fd)
        drop_to(confinement.uid)
    except BaseException as error:  # noqa: BLE001 - say why, and run nothing
        conn.sendall(f"confinement failed: {error}\n".encode())
        os._exit(71)
    conn.close()
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == worker_pid:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _keep(conn: socket.socket) -> None:
    """The keeper: start the namespace's init, then kill it when the judge hangs up (or report its end)."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    request, channel = _read_request(conn)
    _call(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    init = os.fork()
    if init == 0:
        _init(request, channel, conn)
    for fd in channel:
        os.close(fd)
    watch = os.pidfd_open(init)
    while True:
        ready = select.select([conn, watch], [], [])[0]
        if conn in ready and not conn.recv(1 << 12):  # the judge hung up (or died): end the namespace
            os.kill(init, signal.SIGKILL)
            os.waitpid(init, 0)
            break
        if watch in ready:
            os.waitpid(init, 0)
            break
    conn.close()


def main(listener_fd: int, lifeline_fd: int) -> None:
    """Import what every worker needs, then fork a keeper per connection on `listener_fd`, until the
    grading process that started us is gone (`lifeline_fd` reads end of file)."""
    from . import probes, wire  # noqa: F401 - imported once, here, for every worker
    import torch._dynamo  # noqa: F401 - a first optimizer step imports it (seconds)

    listener = socket.socket(fileno=listener_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # keepers are reaped by the kernel
    print("READY", flush=True)
    while True:
        if lifeline_fd in select.select([listener, lifeline_fd], [], [])[0]:
            return  # our sandbox's pid namespace, keepers and workers included, ends with us
        conn, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            os.close(lifeline_fd)
            try:
                _keep(conn)
            except BaseException as error:  # noqa: BLE001 - tell the judge, never return into the loop
                try:
                    conn.sendall(f"confinement failed: {error}\n".encode())
                except OSError:
                    pass
            os._exit(0)
        conn.close()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
