"""submission.json: who submitted which assignment when, and the sha256 of every packed file."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

MANIFEST_NAME = "submission.json"
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")


def valid_student_id(student_id: str) -> bool:
    """Letters, digits and . _ @ + - (starting with a letter or digit), at most 128 characters."""
    return bool(STUDENT_ID.fullmatch(student_id or ""))


def utc_iso(when: dt.datetime) -> str:
    """`when` (aware) in UTC, ISO 8601 to the second: 2026-11-25T13:36:13Z, the manifests' one time format."""
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def utc_now() -> str:
    """The current time as utc_iso writes it."""
    return utc_iso(dt.datetime.now(dt.UTC))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(student_id: str, assignment: str, files: dict[str, bytes], timestamp: str | None = None) -> dict:
    """{student_id, assignment, timestamp (UTC ISO 8601), files: {path: sha256}}."""
    return {"student_id": student_id, "assignment": assignment, "timestamp": timestamp or utc_now(),
            "files": {path: sha256(data) for path, data in sorted(files.items())}}


def mismatched_files(manifest: dict, files: dict[str, bytes | None]) -> list[str]:
    """The manifest's paths whose bytes are missing from `files` or hash differently (edited after packing).

    None in `files` (a file too large to read, see judge/submission.py) counts as changed.
    """
    listed = manifest.get("files", {}) if isinstance(manifest.get("files"), dict) else {}
    return sorted(path for path, digest in listed.items()
                  if files.get(path) is None or sha256(files[path]) != digest)
