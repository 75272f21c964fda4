"""Do a submission's files still match the sha256 its manifest recorded when `course submit` packed them?"""

from __future__ import annotations

from pathlib import Path

from ..submission_reader import NotGradable, read
from ..submitting.manifest import mismatched_files


def changed_since_packing(path: Path, manifest: dict) -> list[str]:
    """Manifest paths whose file is missing or differs in the submission at `path` ([] without a file list)."""
    if not isinstance(manifest.get("files"), dict) or not manifest["files"]:
        return []
    try:
        files = read(path).files  # relative to where course_lib/ sits, as `course submit` packed them
    except NotGradable:
        return []  # the grader reports unreadable submissions itself
    return mismatched_files(manifest, files)
