"""Content hashes that decide whether a finished result is still valid: submission + grader version."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .launcher import GraderSettings
from ..submission_reader import NotGradable, read
from .submission import HELPERS

# Everything that can change a grade: the graders, their points, the grading code, the reference, the contract
# and the released helpers staged into every worker (folders or single files).
GRADER_SOURCES = ("graders", "course_tools/judge", "course_tools/sandbox", "course_tools/worker", "solutions/course_lib",
                  "course_tools/contract.py", "course_tools/submission_reader.py", "course_tools/grading_results.py",
                  *(f"course_lib/{helper}" for helper in HELPERS))


def _tree_hash(folder: Path, digest) -> None:
    for file in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        if "__pycache__" in file.parts or file.suffix == ".pyc":
            continue
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())


def _part_digest(root: Path, part: str) -> bytes:
    """The bytes one grader source contributes to the version: its name, then its files' paths and contents."""
    digest = hashlib.sha256()
    if (root / part).is_dir():
        _tree_hash(root / part, digest)
    elif (root / part).is_file():
        digest.update(hashlib.sha256((root / part).read_bytes()).digest())
    return digest.digest()


def grader_parts(root: Path, settings: GraderSettings = GraderSettings()) -> dict[str, str]:
    """What the grader version is made of, part by part (options, each source, the data), so two machines'
    versions can be compared and their difference named."""
    parts = {"options": f"PYTEST_ADDOPTS={os.environ.get('PYTEST_ADDOPTS', '')!r} {settings.describe()}".strip()}
    parts.update({part: _part_digest(root, part).hex() for part in GRADER_SOURCES})
    parts["data"] = data_fingerprint()
    return parts


def grader_version(root: Path, settings: GraderSettings = GraderSettings()) -> str:
    """sha256 over grader_parts (the options, each grader source's paths and contents, the data), as hex: one
    computation, so the version and the parts two machines compare can never disagree."""
    return hashlib.sha256(json.dumps(grader_parts(root, settings)).encode()).hexdigest()


def version_difference(ours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """The parts of two grader_parts() that differ, named for a person: a source's path, or the options or data
    themselves (`theirs` first: the worker's, then `ours`: the coordinator's)."""
    names = list(ours) + [part for part in theirs if part not in ours]
    return [f"{part}: {theirs.get(part, 'missing')} here, {ours.get(part, 'missing')} on the coordinator"
            if part in ("options", "data") else part
            for part in names if ours.get(part) != theirs.get(part)]


def data_fingerprint() -> str:
    """The Fashion-MNIST files the graders will read ($FASHION_MNIST_ROOT...): each IDX file's name and size.

    Sizes, not contents: cheap, and a different sample (e.g. the 3,000-image one and the full set) differs in size.
    """
    from course_lib.idx import ALL_RAW_FILES, raw_folder, resolve_data_root  # torch-free: a worker's admission

    folder = raw_folder(resolve_data_root())
    sizes = []
    for name in ALL_RAW_FILES:
        file = folder / name
        sizes.append(f"{name}={file.stat().st_size if file.is_file() else 'missing'}")
    return "data:" + ",".join(sizes)


def input_hash(submission: Path, grader: str) -> str:
    """sha256 of what the reader finds in the submission (what is graded, however it is packed) and the grader
    version, as hex; for an unreadable submission, of its bytes (a file) or files (a folder)."""
    digest = hashlib.sha256(grader.encode() + b"\0")
    submission = Path(submission)
    try:
        digest.update(b"read\0" + read(submission).digest().encode())
        return digest.hexdigest()
    except NotGradable:
        pass
    if submission.is_file():
        digest.update(b"file\0" + hashlib.sha256(submission.read_bytes()).digest())
    else:
        digest.update(b"folder\0")
        _tree_hash(submission, digest)
    return digest.hexdigest()
