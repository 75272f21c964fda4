"""The worker: the only process that imports student code. Reads requests, runs probes, replies.

Started cold as `python -m grader_worker.worker` inside the sandbox, with the staged submission's
`course_lib` first on sys.path; forked warm by zygote.py, which calls `serve` or `self_check`.
Replies travel on a private copy of the original stdout; fd 1 and 2 then point at stderr, so
nothing the student prints can pass for a reply. A cold worker imports torch, then enters the
Confinement in its environment (confinement.py) before it reads a request; `serve` sends a READY
frame first.

With `--self-check JSON` it runs no student code: it confines itself the same way, reports what
it can see and do (sandbox self-check, see selfcheck.py) as one JSON line, and exits.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import resource
import socket
import sys
import traceback

from . import confinement, proc_self


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


def _student_frames(error: BaseException) -> list:
    """The traceback frames of files directly in a course_lib/ folder, innermost last, as
    [file name, line, function, source line]: the trusted side keeps the exercise modules' ones."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if os.path.basename(os.path.dirname(f.filename)) == "course_lib"]
    return [[os.path.basename(f.filename), f.lineno, f.name, f.line or ""] for f in frames[-8:]]


def _student_traceback(frames: list) -> str:
    return "\n".join(f"  {file}, line {line}, in {name}: {code}" for file, line, name, code in frames[-3:])


def error_reply_for(request_id, error: BaseException) -> dict:
    from .wire import error_reply

    try:
        frames = _student_frames(error)
        return error_reply(request_id, type(error).__name__, str(error)[:2000], _student_traceback(frames), frames)
    except BaseException:  # noqa: BLE001 - an exception whose __str__ raises
        return error_reply(request_id, type(error).__name__, "(its message could not be read)")


def _preload() -> None:
    """Import what every request needs, before the uid drop: the installation may be unreadable after it."""
    from . import probes, wire  # noqa: F401 - torch
    import torch._dynamo  # noqa: F401 - a first optimizer step imports it (seconds): charged to start-up, not the student


def serve() -> None:
    """Answer requests until the channel closes (the process already confined); each reply echoes its request's id."""
    from . import probes, wire

    sys.setrecursionlimit(10_000)
    me = os.getpid()
    requests, replies = _open_channel()
    replies.write(wire.encode(wire.READY))
    while True:
        try:
            body = _read_exactly(requests, wire.frame_length(_read_exactly(requests, wire.PREFIX_BYTES)))
        except EOFError:
            return
        request = wire.decode(body)
        request_id = request.get("id")
        try:
            module = importlib.import_module(f"course_lib.{request['module']}") if request.get("module") else None
            reply = wire.value_reply(request_id, getattr(probes, request["probe"])(module, **request["args"]))
        except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt from student code too
            reply = error_reply_for(request_id, error)
        if os.getpid() != me:  # a process the student's code forked came back here: it must not reply
            os._exit(0)
        try:
            frame = wire.encode(reply)
        except BaseException as error:  # noqa: BLE001 - e.g. a RecursionError from a self-containing list
            frame = wire.encode(wire.error_reply(request_id, "UnsendableResult",
                                                 f"the value cannot be sent back ({type(error).__name__})"))
        replies.write(frame)


def _attempt(action) -> str:
    try:
        action()
        return "done"
    except Exception as error:  # noqa: BLE001 - e.g. LookupError when the codec cannot be imported
        return f"denied: {type(error).__name__}"


def _append(path: str) -> None:
    with open(path, "a") as f:
        f.write("written by the sandbox self-check")


def _mounts() -> dict[str, list]:
    """[file system type, read-only, size option] of the topmost mount at each of the worker's own folders."""
    seen = {mount.point: [mount.fstype, mount.read_only, mount.size] for mount in proc_self.mounts()}
    return {path: seen.get(path) for path in ("/", "/proc", confinement.SUBMISSION, *confinement.SCRATCH_DIRS)}


def confinement_facts() -> dict:
    """What a worker has taken on, to compare a cold one with a warm one (uid values differ: fresh each)."""
    return {"dropped_root": os.getuid() != 0 and os.getgid() != 0, "groups": os.getgroups(),
            "capabilities": proc_self.capabilities(), "no_new_privileges": proc_self.status()["NoNewPrivs"] == "1",
            "limits": {name: resource.getrlimit(getattr(resource, name)) for name in
                       ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE", "RLIMIT_NPROC")},
            "environment": dict(os.environ), "cwd": os.getcwd(), "mounts": _mounts()}


def self_check(request: dict) -> dict:
    """What this (confined) process can see and do: namespaces, uid, files, network (no student code)."""
    namespaces = {}
    for name in ("user", "net", "pid", "mnt"):
        try:
            namespaces[name] = os.readlink(f"/proc/self/ns/{name}")
        except OSError:
            namespaces[name] = "unreadable"

    def connect():
        socket.create_connection(("127.0.0.1", request["port"]), timeout=2).close()

    return {"uid": os.getuid(), "namespaces": namespaces,
            "visible": {p: os.path.exists(p) for p in request["hidden"]},
            "writes": {p: _attempt(lambda p=p: _append(p)) for p in request["targets"]},
            "deletes": {p: _attempt(lambda p=p: os.unlink(p)) for p in request["delete"]},
            "network": _attempt(connect),
            "missing_paths": [p for p in request["sys_path"] if not os.path.isdir(p)],
            "torch": importlib.util.find_spec("torch") is not None,
            "confinement": confinement_facts()}


def main() -> None:
    """A cold worker: preload, confine, then serve requests (or self-check with `--self-check JSON`)."""
    check = json.loads(sys.argv[2]) if sys.argv[1:2] == ["--self-check"] else None
    described = confinement.from_environment()
    if check is None:
        _preload()
    confinement.enter(described)
    if check is not None:
        os.write(1, (json.dumps(self_check(check)) + "\n").encode())
    else:
        serve()


if __name__ == "__main__":
    main()
