"""The zip for Canvas's "Re-Upload Submissions": each graded student's feedback.html, attached as a submission comment.

canvas-lms app/models/assignment.rb (infer_comment_context_from_filename) splits a file's name on "_"
and takes its first two all-digit fields as the user id and the id of a file of that user's
submission; a file it cannot match is ignored. So each page is named after the student's own
uploaded file in the download: `<lastfirst>_<user id>_<file id>_feedback.html`.
"""

from __future__ import annotations

import io
import zipfile

from .canvas import FILE
from .outcomes import Outcome
from .record import Record

FEEDBACK_FILE = "feedback.html"


def feedback_zip(record: Record, found: dict[str, Outcome]) -> tuple[bytes, list[str]]:
    """The zip's bytes and its entry names: one feedback page per graded student who uploaded a file."""
    buffer, names = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for lms_id, outcome in found.items():
            page = outcome.folder / FEEDBACK_FILE if outcome.folder else None
            uploaded = [m for e in record.students[lms_id].entries if (m := FILE.match(e))]
            if outcome.fraction is None or page is None or not page.is_file() or not uploaded or not lms_id.isdigit():
                continue  # anonymous ids (anon_...) have no digits for Canvas to match
            first = uploaded[0]
            name = "_".join(p for p in (first["name"], lms_id, first["file"], FEEDBACK_FILE) if p)
            archive.writestr(name, page.read_bytes())
            names.append(name)
    return buffer.getvalue(), names
