"""Filling Moodle's grading worksheet (mod/assign/feedback/offline) and building its feedback-files zip.

The importer (importgradeslib.php) finds its columns by their exact header text ("Identifier",
"Grade", "Last modified (grade)", and each feedback plugin's field, "Feedback comments"), takes the
participant id from the end of "Participant N", and (locallib.php process_import_grades) skips a grade
equal to the current one, an empty one, and one whose "Last modified (grade)" is older than the grade
already in Moodle. So only Grade and Feedback comments are written; every other cell, the header and
the row order stay as downloaded.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

from .csvfile import CsvFile
from .download import DownloadError
from .outcomes import Outcome, points
from .worksheet_late import participant

IDENTIFIER, FULL_NAME, GRADE, MAXIMUM = "Identifier", "Full name", "Grade", "Maximum Grade"
MODIFIED, FEEDBACK = "Last modified (grade)", "Feedback comments"
MAX_FEEDBACK_CHARS = 1500
FEEDBACK_FILE = "feedback.html"


@dataclass
class Filled:
    """Participant ids whose grade was written, graded but absent from the worksheet, and left blank."""

    written: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # participant id -> the worksheet's full name


def summary(outcome: Outcome) -> str:
    """A short HTML-safe feedback comment: the score and the checks that failed, or why there is no grade."""
    if outcome.fraction is None:
        return html.escape(f"Not graded: {outcome.reason}")
    results = outcome.results
    failed = [t.name for t in results.tests if t.score < t.max_score] if results else []
    text = f"Score {results.final_score:g}/{results.max_score:g}." if results else ""
    text += (" Checks to revisit: " + "; ".join(failed) + ".") if failed else " Every check passed."
    text += " The attached feedback.html explains each check."
    if len(text) > MAX_FEEDBACK_CHARS:
        text = text[: MAX_FEEDBACK_CHARS - 1] + "…"
    return html.escape(text)


def _columns(header: list[str]) -> dict[str, int]:
    missing = [name for name in (IDENTIFIER, GRADE, MODIFIED) if name not in header]
    if missing:
        raise DownloadError(f"the worksheet has no {', '.join(repr(m) for m in missing)} column, which Moodle's import "
                            "needs (mod/assign/feedback/offline/importgradeslib.php): download the grading worksheet "
                            "again, unchanged and in English")
    return {name: header.index(name) for name in (IDENTIFIER, FULL_NAME, GRADE, MAXIMUM, MODIFIED, FEEDBACK)
            if name in header}


def fill_worksheet(sheet: CsvFile, found: dict[str, Outcome], default_maximum: float | None = None) -> Filled:
    """Write Grade (scaled to each row's Maximum Grade) and Feedback comments into `sheet` in place."""
    at = _columns(sheet.rows[0])
    done, seen = Filled(), set()
    for row in sheet.rows[1:]:
        if len(row) <= max(at.values()):
            continue
        pid = participant(row[at[IDENTIFIER]])
        outcome = found.get(pid or "")
        if outcome is None:
            continue
        seen.add(pid)
        done.names[pid] = row[at[FULL_NAME]] if FULL_NAME in at else outcome.name
        if FEEDBACK in at:
            row[at[FEEDBACK]] = summary(outcome)
        if outcome.fraction is None:
            done.blank.append(pid)  # Grade stays as downloaded: Moodle skips an empty grade, never a 0
            continue
        try:
            maximum = float(row[at[MAXIMUM]].replace(",", ".")) if MAXIMUM in at else default_maximum
        except ValueError:
            maximum = None
        if maximum is None:
            raise DownloadError(f"row {row[at[IDENTIFIER]]!r}: its Maximum Grade {row[at[MAXIMUM]]!r} is not a number "
                                "(a scale cannot take points)")
        row[at[GRADE]] = points(outcome.fraction, maximum)
        done.written.append(pid)
    done.missing = [i for i, o in found.items() if i not in seen and o.fraction is not None]
    return done


def roster(sheet: CsvFile) -> dict[str, set[str]]:
    """{participant id: the email address (and its part before "@")}, when the worksheet shows "Email address"."""
    header = sheet.rows[0]
    if IDENTIFIER not in header or "Email address" not in header:
        return {}
    at, email = header.index(IDENTIFIER), header.index("Email address")
    return {pid: {row[email].strip(), row[email].strip().split("@")[0]} - {""} for row in sheet.rows[1:]
            if len(row) > max(at, email) and (pid := participant(row[at]))}


def folder_name(full_name: str, pid: str) -> str:
    """`<Full Name>_<participant id>_assignfeedback_file`, which Moodle's feedback import maps back to the participant.

    mod/assign/feedback/file/importziplib.php splits the first path part on "_" and reads the second
    field as the participant id, so "_" in the name becomes a space, as the downloader does.
    """
    name = re.sub(r'[\x00-\x1f/\\:*?"<>|]', "", full_name.replace("_", " ")).strip() or "Participant"
    return f"{name}_{pid}_assignfeedback_file"


def feedback_zip(found: dict[str, Outcome], names: dict[str, str]) -> tuple[bytes, list[str]]:
    """The zip of feedback.html files for Moodle's "Upload multiple feedback files in a zip"; and its folder names."""
    buffer, folders = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for pid, outcome in found.items():
            page = outcome.folder / FEEDBACK_FILE if outcome.folder else None
            if outcome.fraction is None or page is None or not page.is_file():
                continue
            folder = folder_name(names.get(pid, outcome.name), pid)
            archive.writestr(f"{folder}/{FEEDBACK_FILE}", page.read_bytes())
            folders.append(folder)
    return buffer.getvalue(), folders
