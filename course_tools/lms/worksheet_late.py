"""Moodle's late flag, which its download lacks, from its grading worksheet's Status column.

mod/assign/gradingtable.php (col_status) appends `submittedlateshort` to the status of a submission
made after the due date (or extension); in the English language pack (mod/assign/lang/en/assign.php)
that is "{$a} late", e.g. "Submitted for grading 1 day 2 hours late". Other languages translate it:
download the worksheet in English for this.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .download import DownloadError

IDENTIFIER, STATUS = "Identifier", "Status"
LATE = re.compile(r"\blate\b")


def read_text(path: Path) -> str:
    """The CSV's text (UTF-8, a byte-order mark allowed); DownloadError when unreadable."""
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DownloadError(f"{path}: cannot be read as UTF-8 CSV ({error})") from None


def participant(identifier: str) -> str | None:
    """The participant id of a worksheet Identifier ("Participant 123" -> "123"), or None."""
    match = re.search(r"(\d+)\s*$", identifier or "")
    return match.group(1) if match else None


def late_flags(path: Path) -> dict[str, bool]:
    """{participant id: late?} from the worksheet at `path`; DownloadError names a missing column."""
    rows = list(csv.reader(io.StringIO(read_text(path))))
    if not rows or IDENTIFIER not in rows[0] or STATUS not in rows[0]:
        raise DownloadError(f"{path}: no {IDENTIFIER!r} and {STATUS!r} columns: is this Moodle's grading worksheet "
                            "(Assignment > View all submissions > Download grading worksheet)?")
        # (mod/assign/feedback/offline/locallib.php download_grades)
    at, status = rows[0].index(IDENTIFIER), rows[0].index(STATUS)
    return {pid: bool(LATE.search(row[status])) for row in rows[1:]
            if len(row) > max(at, status) and (pid := participant(row[at]))}
