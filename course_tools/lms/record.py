"""lms.json in the output folder: who each graded submission belongs to, as the LMS said (written by us, trusted).

The batch grades staged copies named by the LMS id; this record keeps what the LMS said beside them
(name, late flag, the entries handed in), what the student's own manifest claimed, and why an upload
is not gradable. The exports and `course report` read it; results.json files stay the batch's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..atomic import write_json_atomically

RECORD_NAME = "lms.json"


@dataclass
class Student:
    """One LMS identity and its hand-in."""

    name: str
    late: bool | None
    entries: list[str]
    gradable: bool
    reason: str = ""  # why it is not gradable
    claimed_student_id: str = ""  # the manifest's student_id: the student's claim, never used as identity
    digest: str = ""  # sha256 of what was handed in
    submission: str = ""  # the staged copy, relative to the output folder


@dataclass
class Record:
    """The LMS, the download it came from, and every student in it by LMS id (in download order)."""

    lms: str
    download: str
    students: dict[str, Student] = field(default_factory=dict)
    roster_claims: list[str] = field(default_factory=list)  # found by `course export` in the LMS's own file


def write_record(out: Path, record: Record) -> Path:
    """Write out/lms.json atomically; return its path."""
    path = Path(out) / RECORD_NAME
    write_json_atomically(path, asdict(record))
    return path


def read_record(out: Path) -> Record | None:
    """out/lms.json, or None when the folder was not graded from an LMS download."""
    try:
        raw = json.loads((Path(out) / RECORD_NAME).read_text())
    except (OSError, ValueError):
        return None
    return Record(raw["lms"], raw["download"], {k: Student(**v) for k, v in raw["students"].items()},
                  list(raw.get("roster_claims", [])))
