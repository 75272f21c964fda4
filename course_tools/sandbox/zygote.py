"""The trusted side of the warm zygote (course_tools/worker/zygote.py): start it confined, ask it for workers.

One zygote per grading process, started on first use: a bubblewrap sandbox like a cold worker's
(no network, the Python installation read-only, the course root hidden) that also shows this
zygote's stages folder read-only at /stages and keeps CAP_SYS_ADMIN, CAP_SETUID and CAP_SETGID, so
that each worker it forks can enter its own namespaces, see only its own stage and drop to a fresh
uid. It needs root (an unprivileged user's sandbox cannot mount a fresh /proc); elsewhere
`unavailable()` says why and judges start cold workers, confined the same way.

Judges reach it through a Unix socket in a private folder; each worker's channel is a pair of pipes
whose far ends travel over that socket, and the connection is the worker's lifeline: hanging up
kills its whole pid namespace.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import BUBBLEWRAP, Limits, bubblewrap_error, confined_filesystem, fresh_uid, mode, readable
from . import stage_worker, with_environment
from ..worker.confinement import SUBMISSION, SYS_CAPSET, WORKDIR, Confinement, environment

ZYGOTE_COMMAND = ("-B", "-m", "grader_worker.zygote")
START_TIMEOUT = 120.0


def stages_of(socket_path: str) -> Path:
    """The folder, beside a zygote's socket, under which every stage it can give a worker must lie."""
    return Path(socket_path).parent / "stages"


def unavailable() -> str | None:
    """None when warm workers can start here; else why judges start cold ones (still confined)."""
    try:
        if mode() != BUBBLEWRAP:
            return f"the sandbox mode is {mode()}, not bubblewrap"
    except RuntimeError as error:
        return str(error)
    if os.geteuid() != 0:
        return "warm workers need root (to mount each worker's own /proc); starting cold, confined workers"
    if os.uname().machine not in SYS_CAPSET:
        return f"warm workers do not know the capset syscall of {os.uname().machine}; starting cold, confined workers"
    return bubblewrap_error()


class WarmWorker:
    """A forked worker as the client sees a process: `stdin`, `stdout`, `kill()`, `wait()`."""

    pid = None  # its pid namespace is the reaper: nothing of it can outlive the lifeline

    def __init__(self, connection: socket.socket, stdin, stdout):
        self.connection, self.stdin, self.stdout = connection, stdin, stdout
        self.returncode = None

    def failure(self) -> str:
        """What the zygote said went wrong while confining this worker ('' when it said nothing)."""
        self.connection.setblocking(False)
        try:
            return self.connection.recv(1 << 12).decode(errors="replace").strip()
        except OSError:
            return ""

    def kill(self) -> None:
        """Hang up: the keeper kills the worker's pid namespace (everything the student started)."""
        try:
            self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def wait(self, timeout: float = 10.0) -> int:
        """Until the keeper has closed its end, i.e. the namespace is gone (or `timeout` passed)."""
        self.connection.setblocking(True)
        self.connection.settimeout(timeout)
        try:
            while self.connection.recv(1 << 12):
                pass
        except OSError:
            pass
        self.connection.close()
        self.returncode = -9
        return self.returncode


class Zygote:
    """A started zygote: `spawn(stage, limits)` forks a confined worker on a stage under `stages`."""

    def __init__(self):
        self.home = Path(tempfile.mkdtemp(prefix="course-zygote-"))  # 0700: only we reach the socket
        self.socket_path = str(self.home / "control.sock")
        self.stages = stages_of(self.socket_path)
        self.stages.mkdir()
        os.chmod(self.stages, 0o755)
        stage_worker(self.home / "worker")
        readable(self.home / "worker")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.socket_path)
        listener.listen(64)
        argv = with_environment(confined_filesystem(Limits()) + [
            "--ro-bind", str(self.stages), "/stages", "--ro-bind", str(self.home / "worker"), "/worker",
            "--dir", SUBMISSION, "--remount-ro", "/", "--chdir", WORKDIR,
            "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"], environment("/worker"))
        # Its lifeline is a pipe, not --die-with-parent: that follows the thread that started it (a
        # Dask worker's thread may end), the pipe closes only when this whole process is gone.
        argv.remove("--die-with-parent")
        lifeline, self._lifeline = os.pipe()
        argv += [sys.executable, *ZYGOTE_COMMAND, str(listener.fileno()), str(lifeline)]
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env={}, pass_fds=(listener.fileno(), lifeline),
                                        start_new_session=True)
        listener.close()
        os.close(lifeline)
        atexit.register(self.close)
        self._ready = False
        self._readying = threading.Lock()  # a worker's threads share one zygote; one of them reads READY

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Block until the zygote has imported torch; raise RuntimeError if it died instead."""
        with self._readying:
            self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        if self._ready:
            return
        import select

        deadline = time.monotonic() + timeout
        while not select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
            if time.monotonic() >= deadline:
                raise RuntimeError(f"the warm zygote did not start within {timeout:g} s")
        if self.process.stdout.readline().strip() != b"READY":
            raise RuntimeError(f"the warm zygote did not start (exit status {self.process.wait()})")
        from .selfcheck import self_check

        report = self_check(zygote=self)  # its first worker is judged from the outside, as a cold one is
        if not report.ok:
            self.close()
            raise RuntimeError("the warm zygote's worker failed the sandbox self-check:\n" + "\n".join(report.lines()))
        self._ready = True

    def close(self) -> None:
        """Stop the zygote (its sandbox's pid namespace, keepers and workers with it) and remove its folder."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None
        shutil.rmtree(self.home, ignore_errors=True)


def spawn(socket_path: str, stage: Path, limits: Limits, self_check: dict | None = None) -> WarmWorker:
    """Ask the zygote at `socket_path` for a worker on `stage` (a folder under its stages); pipes as channel."""
    name = str(Path(stage).resolve().relative_to(stages_of(socket_path).resolve()))
    readable(Path(stage))
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(socket_path)
        confinement = Confinement(limits, fresh_uid(), limits.processes)
        request = {"stage": name, "confinement": confinement.to_dict(), "self_check": self_check}
        socket.send_fds(connection, [json.dumps(request).encode() + b"\n"], [requests_read, replies_write])
    except OSError:
        connection.close()
        for fd in (requests_read, requests_write, replies_read, replies_write):
            os.close(fd)
        raise
    os.close(requests_read)
    os.close(replies_write)
    return WarmWorker(connection, os.fdopen(requests_write, "wb"), os.fdopen(replies_read, "rb", buffering=0))


_zygote: Zygote | None = None
_starting = threading.Lock()


def shared() -> Zygote:
    """This process's zygote, started on first use (once, whichever of its threads asks first)."""
    global _zygote
    with _starting:
        if _zygote is None or _zygote.process.poll() is not None:
            _zygote = Zygote()
        return _zygote
