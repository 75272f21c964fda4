"""The worker: the only process that imports student code. Reads requests, runs probes, replies.

Started as `python -m grader_worker.worker` inside the sandbox, with the staged submission's
`course_lib` first on sys.path. Replies travel on a private copy of the original stdout; fd 1
and 2 then point at stderr, so nothing the student prints can pass for a reply. Before it reads
a request it drops to the uid in COURSE_WORKER_UID (when started as root inside bubblewrap), caps
its processes at COURSE_MAX_PROCESSES, and sends a READY frame.
"""

from __future__ import annotations

import importlib
import os
import resource
import sys
import traceback

from . import probes, wire


def _open_channel():
    """Keep the original stdin/stdout as the channel and detach fds 0 and 1 from it."""
    channel_in, channel_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    return os.fdopen(channel_in, "rb", buffering=0), os.fdopen(channel_out, "wb", buffering=0)


def _read_exactly(stream, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _student_traceback(error: BaseException) -> str:
    """The traceback frames inside course_lib/, so the student sees their own line."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "course_lib" in f.filename]
    lines = [f"  {os.path.basename(f.filename)}, line {f.lineno}, in {f.name}: {f.line}" for f in frames[-3:]]
    return "\n".join(lines)


def _confine() -> None:
    """Drop root for a fresh uid (so RLIMIT_NPROC applies) and cap the number of processes."""
    uid = os.environ.pop("COURSE_WORKER_UID", None)
    if uid and os.getuid() == 0:
        os.setgroups([])
        os.setresgid(int(uid), int(uid), int(uid))
        os.setresuid(int(uid), int(uid), int(uid))
    processes = os.environ.pop("COURSE_MAX_PROCESSES", None)
    if processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (int(processes), int(processes)))


READY = {"ready": True}


def _describe(error: BaseException) -> dict:
    try:
        return {"ok": False, "type": type(error).__name__, "message": str(error)[:2000], "where": _student_traceback(error)}
    except BaseException:  # noqa: B902 - an exception whose __str__ raises
        return {"ok": False, "type": type(error).__name__, "message": "(its message could not be read)", "where": ""}


def serve() -> None:
    """Answer requests until the channel closes; each reply echoes its request's id."""
    _confine()
    me = os.getpid()
    requests, replies = _open_channel()
    replies.write(wire.encode(READY))
    while True:
        try:
            body = _read_exactly(requests, wire.frame_length(_read_exactly(requests, 12)))
        except EOFError:
            return
        request = wire.decode(body)
        try:
            module = importlib.import_module(f"course_lib.{request['module']}") if request.get("module") else None
            reply = {"ok": True, "value": getattr(probes, request["probe"])(module, **request["args"])}
        except BaseException as error:  # noqa: B902 - SystemExit and KeyboardInterrupt from student code too
            reply = _describe(error)
        if os.getpid() != me:  # a process the student's code forked came back here: it must not reply
            os._exit(0)
        reply["id"] = request.get("id")
        try:
            frame = wire.encode(reply)
        except BaseException as error:  # noqa: B902 - e.g. a RecursionError from a self-containing list
            frame = wire.encode({"ok": False, "type": "UnsendableResult", "where": "", "id": request.get("id"),
                                 "message": f"the value cannot be sent back ({type(error).__name__})"})
        replies.write(frame)


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    serve()
