"""One submission as a Dask task: its bytes go to a worker, plain data comes back.

The coordinator packs a submission (a zip's bytes, or the files of a folder that the stager would
read) so that a worker on another machine, sharing no disk, can grade it. The worker grades it
with the engine's launcher (launcher.grade: a trusted pytest process and its sandboxed worker) in a
private temporary folder and returns a Delivery: the typed results, the grader's log and junit XML
as text, and timings. It never touches the output folder, the gradebook or the CSV.
"""

from __future__ import annotations

import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..grading_results import GradingResults
from ..judge.launcher import GraderSettings
from ..submission_reader import MAX_MODULE_BYTES, NotGradable, read, submission_name
from ..judge import launcher

MAX_LOG_CHARS = 200_000  # the end of a runaway grader log is what explains it


@dataclass
class Delivery:
    """What comes back for one submission: its results, the grader's log and junit XML, the worker, timings."""
    name: str
    results: GradingResults
    log: str = ""
    junit: str = ""
    worker: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def pack(path: Path) -> dict:
    """The submission at `path` as plain data: {"name", "zip": bytes} or {"name", "files": {relative: bytes}}: a zip
    as it is (the worker's stager judges it), a folder as what the reader finds in it."""
    path = Path(path)
    if path.is_file():
        return {"name": submission_name(path), "filename": path.name, "zip": path.read_bytes()}
    try:
        found = read(path).files
    except NotGradable:  # carry its zips as they are, so that the worker's stager reaches the same verdict
        found = {p.name: p.read_bytes() for p in path.glob("*.zip") if p.is_file() and not p.is_symlink()}
    # a file too large to read is carried one byte too large, so that the worker's stager says so
    files = {relative: data if data is not None else b"\0" * (MAX_MODULE_BYTES + 1) for relative, data in found.items()}
    return {"name": submission_name(path), "filename": path.name, "files": files}


def unpack(packed: dict, folder: Path) -> Path:
    """Write a packed submission under `folder`, keeping its file or folder name; return its path."""
    target = Path(folder) / packed["filename"]
    if "zip" in packed:
        target.write_bytes(packed["zip"])
        return target
    for relative, data in packed["files"].items():
        file = target / relative  # relative paths come from our own folder reader, never from a zip
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _text(file: Path) -> str:
    try:
        return file.read_text(errors="replace")[-MAX_LOG_CHARS:]
    except OSError:
        return ""


def grade_packed(packed: dict, timeout: float, settings: GraderSettings, root: Path | None = None,
                 warm: bool = True) -> Delivery:
    """Grade one packed submission on this machine and return its Delivery.

    Runs on a Dask worker. Anything raised around the grading becomes this submission's infrastructure error.
    """
    from .admission import admitted_root  # the worker's course root, checked when it joined

    started, host = time.monotonic(), socket.gethostname()
    root = root or admitted_root()  # outside the try below: a refused worker's Reschedule must reach Dask
    with tempfile.TemporaryDirectory(prefix=f"course-grade-{packed['name']}-") as work:
        target = Path(work) / "out"
        try:
            submission = unpack(packed, Path(work))
            results = launcher.grade(*launcher.in_folder(submission, target, root, settings=settings, warm=warm), timeout)
        except Exception as error:  # noqa: BLE001 - contained to this submission
            results = GradingResults.infrastructure_failure(f"grading on {host} failed ({type(error).__name__}: {error})",
                                                            time.monotonic() - started)
        return Delivery(packed["name"], results, _text(target / "grader.log"), _text(target / "junit.xml"), host,
                        {"grading_seconds": round(time.monotonic() - started, 3)})
