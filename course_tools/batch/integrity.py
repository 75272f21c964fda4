"""Do a submission's files still match the sha256 its manifest recorded when `course submit` packed them?"""

from __future__ import annotations

from ..submission_reader import Submission
from ..submitting.manifest import mismatched_files


def changed_since_packing(submission: Submission | None, manifest: dict) -> list[str]:
    """Manifest paths whose file is missing or differs in `submission` ([] without a file list, or for a hand-in that
    could not be read: the grader reports that itself)."""
    if submission is None or not isinstance(manifest.get("files"), dict) or not manifest["files"]:
        return []
    return mismatched_files(manifest, submission.files)  # relative to course_lib/'s folder, as `course submit` packed
