"""LMS downloads built as the LMSs build them, for the LMS tests. Each rule cites the LMS source file it copies.

Canvas: lib/content_zipper.rb (get_filename, sanitize_user_name, sanitize_file_name,
sanitize_attachment_filename, add_upload_submission, add_text_or_url). Moodle:
mod/assign/classes/downloader.php (get_student_prefix, load_submissionplugin_filelist).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from course_tools.contract import EXERCISE_MODULES
from course_tools.submitting.manifest import build_manifest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "lms"

# An unshifted softmax: right on ordinary inputs, overflows at +-1000 (loses the stability checks only).
BROKEN_SOFTMAX = '''"""Softmax without the max shift."""

import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    X_exp = torch.exp(X)
    return X_exp / X_exp.sum(dim=1, keepdim=True)


def log_softmax(X: torch.Tensor) -> torch.Tensor:
    return torch.log(softmax(X))
'''


def modules(broken_softmax: bool = False) -> dict[str, bytes]:
    """course_lib/<module>.py bytes: the reference, or the reference with the unshifted softmax."""
    files = {m: (ROOT / "solutions" / "course_lib" / f"{m}.py").read_bytes() for m in EXERCISE_MODULES}
    if broken_softmax:
        files["softmax"] = BROKEN_SOFTMAX.encode()
    return files


def student_zip(student_id: str, broken_softmax: bool = False) -> bytes:
    """What `course submit` packs: course_lib/<module>.py and submission.json with each file's sha256."""
    files = {f"course_lib/{m}.py": data for m, data in modules(broken_softmax).items()}
    manifest = build_manifest(student_id, "softmax-regression", files, "2027-01-30T10:00:00Z")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("submission.json", json.dumps(manifest))
    return buffer.getvalue()


def canvas_user(sortable_name: str | None, user_id: str, late: bool = False) -> str:
    """content_zipper.rb get_filename: [sanitize_user_name(sortable_name), "LATE"?, id].compact.join("_"), then
    sanitize_file_name (every non-word character removed); sanitize_user_name turns _123_ into 123 and downcases."""
    name = re.sub(r"_(\d+)_", r"\1", sortable_name).lower() if sortable_name is not None else None
    return re.sub(r"[^\w]", "", "_".join(p for p in (name, "LATE" if late else None, user_id) if p is not None))


def canvas_file(sortable_name, user_id, file_id, display_name, late=False) -> str:
    """add_upload_submission: "#{filename}_#{file.id}_#{sanitize_attachment_filename(file.display_name)}"."""
    safe = re.sub(r'[\x00/\\:*?"<>|]+', "_", display_name)
    return f"{canvas_user(sortable_name, user_id, late)}_{file_id}_{safe}"


def canvas_text(sortable_name, user_id, kind="text", late=False) -> str:
    """add_text_or_url: "#{called}_text.html" for a text entry, "#{called}_link.html" for a URL."""
    return f"{canvas_user(sortable_name, user_id, late)}_{kind}.html"


def moodle_folder(full_name: str, participant: int, plugin: str = "file") -> str:
    """downloader.php get_student_prefix + load_submissionplugin_filelist (download as folders, the default):
    str_replace('_', ' ', fullname) . '_' . uniqueid, then '_assignsubmission_<type>'."""
    return f"{full_name.replace('_', ' ')}_{participant}_assignsubmission_{plugin}"


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    """A zip of `entries` (UTF-8 names), as both LMSs stream them: files only, no folder entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path
