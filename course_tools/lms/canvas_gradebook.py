"""Filling Canvas's gradebook export with the batch's scores, for Grades > Import (canvas-lms lib/gradebook_importer.rb).

The export (lib/gradebook_exporter.rb) has a header row ("Student", "ID", optional SIS columns,
"Section", then one column per assignment titled `Title (id)`), an optional "Manual Posting" row,
a "Points Possible" row, then one row per student. The importer matches a row by its `ID`, requires
"Section" as the last student column (`header?`), reads `Points Possible`, and treats a blank cell
as no change. Only the assignment's column is written, and only for graded students; every other cell
stays as exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .csvfile import CsvFile
from .download import DownloadError
from .outcomes import Outcome, points

TITLE_AND_ID = re.compile(r"^(?P<title>.*) \((?P<id>\d+)\)$")  # Assignment#title_with_id


@dataclass
class Filled:
    """What filling did: rows written, students graded but absent from the gradebook, blank on purpose."""

    written: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)


def _header(sheet: CsvFile) -> tuple[list[str], int]:
    header = sheet.rows[0]
    first_last = header[:2] == ["LastName", "FirstName"]
    id_at = 2 if first_last else 1
    if len(header) <= id_at or header[id_at] != "ID" or not (first_last or "Student" in header[0]):
        raise DownloadError("the gradebook's first row is not Canvas's header (Student, ID, ..., Section, then the "
                            "assignments): export it with Grades > Export > Export Entire Gradebook")
    if "Section" not in header:
        raise DownloadError("the gradebook has no Section column, which Canvas's import requires "
                            "(lib/gradebook_importer.rb): export it again, unchanged")
    return header, id_at


def find_column(header: list[str], wanted: str, assignment: str) -> int:
    """The index of the assignment's column: `wanted` exactly, else the one `Title (id)` titled `assignment`."""
    if wanted:
        if wanted not in header:
            raise DownloadError(f"the gradebook has no column {wanted!r}; its assignment columns are: "
                                + ", ".join(h for h in header if TITLE_AND_ID.match(h)))
        return header.index(wanted)
    titled = [i for i, h in enumerate(header) if (m := TITLE_AND_ID.match(h)) and m["title"] == assignment]
    if len(titled) != 1:
        columns = ", ".join(repr(h) for h in header if TITLE_AND_ID.match(h)) or "none"
        raise DownloadError(f"cannot tell which column is the assignment {assignment!r} ({len(titled)} match; the "
                            f"assignment columns are {columns}): give it with --column or course.toml's [lms] "
                            "canvas_column")
    return titled[0]


def roster(sheet: CsvFile) -> dict[str, set[str]]:
    """{Canvas id: the SIS User ID and SIS Login ID (and its part before "@") of that student}, from the export."""
    header, id_at = _header(sheet)
    columns = [header.index(c) for c in ("SIS User ID", "SIS Login ID") if c in header]
    found = {}
    for row in sheet.rows[1:]:
        if len(row) > max([id_at, *columns]) and row[id_at].strip().isdigit():
            aliases = {row[c].strip() for c in columns} | {row[c].strip().split("@")[0] for c in columns}
            found[row[id_at].strip()] = {a for a in aliases if a}
    return found


def fill_gradebook(sheet: CsvFile, found: dict[str, Outcome], wanted: str, assignment: str) -> Filled:
    """Write each graded student's points into the assignment's column of `sheet` (in place); return what was done."""
    header, id_at = _header(sheet)
    column = find_column(header, wanted, assignment)
    possible_rows = [row for row in sheet.rows[1:] if row and "Points Possible" in row[0]]
    if not possible_rows:
        raise DownloadError("the gradebook has no 'Points Possible' row: export it again, unchanged")
    try:
        possible = float(possible_rows[0][column].replace(",", "."))
    except (ValueError, IndexError):
        raise DownloadError(f"the 'Points Possible' of {header[column]!r} is not a number") from None
    done, seen = Filled(), set()
    for row in sheet.rows[1:]:
        if not row or "Points Possible" in row[0] or len(row) <= max(id_at, column):
            continue
        outcome = found.get(row[id_at].strip())
        if outcome is None:
            continue
        seen.add(outcome.lms_id)
        if outcome.fraction is None:
            done.blank.append(outcome.lms_id)  # the cell stays as exported: blank means "no change", never 0
            continue
        row[column] = points(outcome.fraction, possible)
        done.written.append(outcome.lms_id)
    done.missing = [i for i, o in found.items() if i not in seen and o.fraction is not None]
    return done
