"""Staging an LMS download for `course grade`: one folder per gradable student, named by the LMS id.

Each staged folder holds the student's course_lib/<module>.py files and a submission.json written
here: its student_id is the LMS id (identity comes from the LMS, never from the student's manifest)
and it carries no timestamp: lateness is the LMS's, or, for nbgrader, computed from the time its
timestamp.txt recorded (lms/grading.py hands that to the batch's clock). The student's own file hashes are kept,
so the batch still reports files changed after `course submit` packed them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..atomic import write_bytes_atomically, write_text_atomically
from ..contract import EXERCISE_MODULES
from ..submitting.manifest import MANIFEST_NAME
from .record import Record, Student
from .uploads import Gradable, Upload, classify

STAGE_FOLDER = "lms"


def _stage(folder: Path, gradable: Gradable, upload: Upload, assignment: str) -> None:
    lib = folder / "course_lib"
    lib.mkdir(parents=True, exist_ok=True)
    for module in EXERCISE_MODULES:
        if module in gradable.modules:
            write_bytes_atomically(lib / f"{module}.py", gradable.modules[module])
        else:
            (lib / f"{module}.py").unlink(missing_ok=True)  # a module dropped since an earlier download
    files = gradable.manifest.get("files")
    manifest = {"student_id": upload.lms_id, "assignment": assignment, "lms": upload.lms,
                **({"files": files} if isinstance(files, dict) else {})}
    write_text_atomically(folder / MANIFEST_NAME, json.dumps(manifest, indent=1, sort_keys=True))


def _claim(manifest: dict) -> str:
    claim = manifest.get("student_id")
    return claim[:128] if isinstance(claim, str) else ""


def stage_uploads(uploads: list[Upload], download: Path, out: Path, assignment: str) -> tuple[list[Path], Record]:
    """Stage every gradable upload under out/lms/<LMS id>/; return their paths and the record of all uploads.

    Raises DownloadError (before anything is written) when an upload is ambiguous.
    """
    decided = [(upload, classify(upload)) for upload in uploads]  # every error surfaces before any write
    record, paths = Record(uploads[0].lms if uploads else "", str(Path(download).resolve())), []
    root = Path(out) / STAGE_FOLDER
    for upload, verdict in decided:
        entries = [*upload.files, *upload.other_entries]
        folder = root / upload.lms_id
        if isinstance(verdict, str):
            shutil.rmtree(folder, ignore_errors=True)  # an earlier gradable copy must not be graded again
            record.students[upload.lms_id] = Student(upload.name, upload.late, entries, False, verdict)
            continue
        _stage(folder, verdict, upload, assignment)
        paths.append(folder)
        record.students[upload.lms_id] = Student(upload.name, upload.late, entries, True, "",
                                                 _claim(verdict.manifest), verdict.digest,
                                                 folder.relative_to(out).as_posix())
    return paths, record
