"""Content hashes that decide whether a finished result is still valid: submission + grader version."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..grading.submission import HELPERS

# Everything that can change a grade: the graders, their points, the grading code, the reference, the contract
# and the released helpers staged into every worker (folders or single files).
GRADER_SOURCES = ("tests/graders", "course_tools/grading", "solutions/course_lib", "course_tools/contract.py",
                  *(f"course_lib/{helper}" for helper in HELPERS))


def _tree_hash(folder: Path, digest) -> None:
    for file in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        if "__pycache__" in file.parts or file.suffix == ".pyc":
            continue
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())


def grader_version(root: Path, grader_args=()) -> str:
    """sha256 over the grader sources under `root` (paths and contents) and the plugin options, as hex."""
    digest = hashlib.sha256()
    # options passed through to the graders (e.g. --only) change what a result means
    digest.update(os.environ.get("PYTEST_ADDOPTS", "").encode() + b"\0")
    digest.update("\0".join(grader_args).encode() + b"\0")
    for part in GRADER_SOURCES:
        digest.update(part.encode() + b"\0")
        if (root / part).is_dir():
            _tree_hash(root / part, digest)
        elif (root / part).is_file():
            digest.update(hashlib.sha256((root / part).read_bytes()).digest())
    digest.update(data_fingerprint().encode())
    return digest.hexdigest()


def data_fingerprint() -> str:
    """The Fashion-MNIST files the graders will read ($FASHION_MNIST_ROOT...): each IDX file's name and size.

    Sizes, not contents: cheap, and a different sample (e.g. the 3,000-image one and the full set) differs in size.
    """
    from course_lib.data import RAW_FILES, raw_folder, resolve_data_root

    folder = raw_folder(resolve_data_root())
    sizes = []
    for name in RAW_FILES[True] + RAW_FILES[False]:
        file = folder / name
        sizes.append(f"{name}={file.stat().st_size if file.is_file() else 'missing'}")
    return "data:" + ",".join(sizes)


def input_hash(submission: Path, grader: str) -> str:
    """sha256 of the submission's bytes (a zip) or files (a folder), and the grader version, as hex."""
    digest = hashlib.sha256(grader.encode() + b"\0")
    submission = Path(submission)
    if submission.is_file():
        digest.update(b"file\0" + hashlib.sha256(submission.read_bytes()).digest())
    else:
        digest.update(b"folder\0")
        _tree_hash(submission, digest)
    return digest.hexdigest()
