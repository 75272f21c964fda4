"""Moodle's "Download all submissions" zip, read as mod/assign/classes/downloader.php writes it.

`get_student_prefix` makes `<Full Name>_<participant id>`: the full name with every "_" replaced by a
space (so that the importer can split on "_"), through clean_filename, then the assignment's
per-participant id (`get_uniqueid_for_user`: not the user id; the worksheet calls it "Participant N").
With "Download submissions in folders" (the default since Moodle 3.1) a file is
`<prefix>_assignsubmission_file/<file path><file name>` and the online text
`<prefix>_assignsubmission_onlinetext/onlinetext.html`; without it,
`<prefix>_assignsubmission_file_<file name>` at the top (`load_submissionplugin_filelist`).
The zip does not say whether a submission was late.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .download import DownloadError, read_download
from .uploads import Upload

LMS = "moodle"
FOLDER = re.compile(r"^(?P<name>[^_/]*)_(?P<id>\d+)_assignsubmission_(?P<type>[a-z0-9]+)$")
FLAT = re.compile(r"^(?P<name>[^_/]*)_(?P<id>\d+)_assignsubmission_(?P<type>file|onlinetext)_(?P<original>[^/]+)$")
FORMAT = "<Full Name>_<participant id>_assignsubmission_file/<file> (moodle mod/assign/classes/downloader.php)"


def read_moodle(path: Path) -> list[Upload]:
    """One Upload per participant id, in order of first appearance; DownloadError names an entry Moodle would not write."""
    uploads: dict[str, Upload] = {}
    for entry in read_download(path, "Moodle"):
        parts = PurePosixPath(entry.name).parts
        folder = FOLDER.match(parts[0]) if len(parts) > 1 else None
        match = folder or (FLAT.match(parts[0]) if len(parts) == 1 else None)
        if not match:
            raise DownloadError(f"{Path(path).name}: entry {entry.name!r} is not named as Moodle names submissions, "
                                f"{FORMAT}: is this Moodle's \"Download all submissions\" zip, unchanged?")
        lms_id, name = match["id"], match["name"]
        upload = uploads.setdefault(lms_id, Upload(LMS, lms_id, name, None))
        if upload.name != name:
            raise DownloadError(f"{Path(path).name}: participant {lms_id} appears under two names, {upload.name!r} "
                                f"and {name!r} (entry {entry.name!r}); Moodle writes one folder per participant")
        original = parts[-1] if folder else match["original"]
        if match["type"] == "file":
            upload.files[entry.name] = entry.data
            upload.originals[entry.name] = original
        else:  # onlinetext (and any other submission plugin): not a file of ours
            upload.other.append("text")
            upload.other_entries.append(entry.name)
    return list(uploads.values())
