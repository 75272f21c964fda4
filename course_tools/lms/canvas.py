"""Canvas's "Download Submissions" zip, read as canvas-lms writes it (lib/content_zipper.rb).

`add_submission` names every file `<lastfirst>[_LATE]_<user id>_<file id>_<original name>` at the top of
the zip (no folders): `get_filename` joins the sortable name (downcased, every non-word character
removed: `sanitize_file_name`, `sanitize_user_name`), "LATE" when `submission.late?`, and the user id
(`anon_<anonymous id>` when the assignment is anonymous, with no name). The original name has
\\x00 / \\ : * ? " < > | replaced by "_" (`sanitize_attachment_filename`). A text entry is
`<lastfirst>[_LATE]_<user id>_text.html`, a link `..._link.html` (`add_text_or_url`). Canvas renames a
resubmitted file that has the name of an earlier one with `-1`, `-2`... before its extension
(Attachment.make_unique_filename), so `softmax-1.py` is softmax.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..submitting.manifest import MANIFEST_NAME
from .download import DownloadError, read_download
from .uploads import MODULE_FILES, Upload

LMS = "canvas"
_ID = r"(?P<id>\d+|anon_[A-Za-z0-9]+)"
_PREFIX = r"^(?:(?P<name>\w*?)_)??(?:(?P<late>LATE)_)?" + _ID
FILE = re.compile(_PREFIX + r"_(?P<file>\d+)_(?P<original>[^/]+)$")
TEXT = re.compile(_PREFIX + r"_(?P<kind>text|link)\.html$")
RENAMED = re.compile(r"-\d+(?=\.[^.]+$)")
FORMAT = "<lastfirst>[_LATE]_<user id>_<file id>_<file name> (canvas-lms lib/content_zipper.rb)"


def original_name(uploaded: str) -> str:
    """The name the student gave the file: Canvas's `-N` resubmission suffix removed from our file names."""
    unrenamed = RENAMED.sub("", uploaded, count=1)
    return unrenamed if unrenamed in MODULE_FILES or unrenamed == MANIFEST_NAME else uploaded


def read_canvas(path: Path) -> list[Upload]:
    """One Upload per Canvas user id, in order of first appearance; DownloadError names an entry Canvas would not write."""
    uploads: dict[str, Upload] = {}
    for entry in read_download(path, "Canvas"):
        file = FILE.match(entry.name)  # first: an uploaded file may itself be called text.html
        text = None if file else TEXT.match(entry.name)
        match = file or text
        if not match:
            raise DownloadError(f"{Path(path).name}: entry {entry.name!r} is not named as Canvas names submissions, "
                                f"{FORMAT}: is this Canvas's \"Download Submissions\" zip, unchanged?")
        lms_id, name = match["id"], match["name"] or ""
        upload = uploads.setdefault(lms_id, Upload(LMS, lms_id, name, bool(match["late"])))
        if upload.name != name:
            raise DownloadError(f"{Path(path).name}: Canvas user id {lms_id} appears under two names, "
                                f"{upload.name!r} and {name!r} (entry {entry.name!r}); Canvas writes one per id")
        upload.late = upload.late or bool(match["late"])
        if text:
            upload.other.append(text["kind"])
            upload.other_entries.append(entry.name)
        else:
            upload.files[entry.name] = entry.data
            upload.originals[entry.name] = original_name(match["original"])
    return list(uploads.values())
