"""Put the grades of `course grade --from canvas|moodle` back into the LMS, in the file its import reads.

  course export canvas RESULTS --gradebook EXPORTED.csv -o IMPORT.csv [--column "Title (id)"] [--feedback-zip Z]
  course export moodle RESULTS --worksheet WORKSHEET.csv -o FILLED.csv --feedback-zip FEEDBACK.zip

Canvas: the gradebook export with the assignment's column filled (points scaled to its Points
Possible); upload it with Grades > Import. Moodle: the grading worksheet with Grade (scaled to
Maximum Grade) and Feedback comments filled, for "Upload grading worksheet", and a zip of each
student's feedback.html for "Upload multiple feedback files in a zip". Every other cell stays as the
LMS wrote it; a student with nothing gradable stays blank, never 0. Exit status: 0 written; 1 written,
but a graded student is missing from the LMS's file (listed); 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from ..paths import find_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    lms = parser.add_subparsers(dest="lms", metavar="LMS", required=True)
    canvas = lms.add_parser("canvas", help="fill Canvas's gradebook export for Grades > Import")
    canvas.add_argument("results", type=Path, metavar="RESULTS", help="the --out folder of `course grade --from canvas`")
    canvas.add_argument("--gradebook", type=Path, required=True, help="Grades > Export > Export Entire Gradebook (CSV)")
    canvas.add_argument("-o", "--out", type=Path, required=True, help="the CSV to write, for Grades > Import")
    canvas.add_argument("--column", default="", help="the assignment's column header, 'Title (id)' (default: course.toml's "
                        "[lms] canvas_column, else the one column titled as course.toml's assignment)")
    canvas.add_argument("--feedback-zip", type=Path, default=None,
                        help="also write each graded student's feedback.html, named for Canvas's Re-Upload Submissions")
    canvas.add_argument("--config", type=Path, default=None, help="course config (default: course.toml at the course root)")
    moodle = lms.add_parser("moodle", help="fill Moodle's grading worksheet and build the feedback-files zip")
    moodle.add_argument("results", type=Path, metavar="RESULTS", help="the --out folder of `course grade --from moodle`")
    moodle.add_argument("--worksheet", type=Path, required=True, help="Download grading worksheet (CSV)")
    moodle.add_argument("-o", "--out", type=Path, required=True, help="the worksheet to write, for Upload grading worksheet")
    moodle.add_argument("--feedback-zip", type=Path, required=True,
                        help="the zip of feedback.html files to write, for Upload multiple feedback files in a zip")


@dataclass(frozen=True)
class Export:
    """What to export where: the `course export` options of either LMS."""

    lms: str  # canvas or moodle
    results: Path  # the --out folder of `course grade --from LMS`
    out: Path  # the file to write for the LMS's import
    gradebook: Path | None = None  # Canvas: its gradebook export
    column: str = ""  # Canvas: the assignment's column header
    feedback_zip: Path | None = None
    config: Path | None = None  # Canvas: course.toml, for the column and assignment
    worksheet: Path | None = None  # Moodle: its grading worksheet


def _identity(export: Export, record, roster) -> None:
    """Say which manifests name another student of the LMS's file; keep them for `course report`."""
    from ..lms.claims import roster_lines
    from ..lms.record import write_record

    record.roster_claims = roster_lines(record, roster)
    write_record(export.results, record)
    for line in record.roster_claims:  # said, never acted on: the LMS says who handed in what
        print(f"identity: {line}", file=sys.stderr)


def _missing(lms: str, missing: list[str], where: str) -> None:
    for lms_id in missing:
        print(f"course export: {lms} id {lms_id} was graded but is not in {where}: its grade is NOT in the file",
              file=sys.stderr)


def _canvas(export: Export, found, record) -> int:
    from ..course_config import default_config_path, load_course_config
    from ..lms.canvas_gradebook import fill_gradebook, roster
    from ..lms.csvfile import read_csv
    from ..lms.settings import canvas_column

    config_path = export.config or _config_path(default_config_path)
    assignment = load_course_config(config_path).assignment
    sheet = read_csv(export.gradebook, "Canvas's gradebook export")
    done = fill_gradebook(sheet, found, export.column or canvas_column(config_path), assignment)
    _identity(export, record, roster(sheet))
    sheet.write(export.out)
    print(f"wrote {export.out}: {len(done.written)} scores; {len(done.blank)} left blank (not gradable); "
          "upload it with Grades > Import")
    if export.feedback_zip:
        from ..atomic import write_bytes_atomically
        from ..lms.canvas_feedback import feedback_zip

        data, names = feedback_zip(record, found)
        write_bytes_atomically(export.feedback_zip, data)
        print(f"wrote {export.feedback_zip}: {len(names)} feedback pages; upload it with the assignment's "
              "Re-Upload Submissions")
    _missing("Canvas", done.missing, export.gradebook)
    return 1 if done.missing else 0


def _config_path(default_config_path) -> Path | None:
    try:
        return default_config_path(find_root())
    except Exception:  # noqa: BLE001 - outside a course checkout: no course.toml, the defaults
        return None


def _moodle(export: Export, found, record) -> int:
    from ..atomic import write_bytes_atomically
    from ..lms.csvfile import read_csv
    from ..lms.moodle_worksheet import feedback_zip, fill_worksheet, roster

    sheet = read_csv(export.worksheet, "Moodle's grading worksheet")
    done = fill_worksheet(sheet, found)
    _identity(export, record, roster(sheet))
    data, folders = feedback_zip(found, done.names)
    sheet.write(export.out)
    write_bytes_atomically(export.feedback_zip, data)
    print(f"wrote {export.out}: {len(done.written)} grades, {len(done.blank)} left blank (not gradable); "
          f"{export.feedback_zip}: {len(folders)} feedback.html files")
    _missing("Moodle participant", done.missing, export.worksheet)
    return 1 if done.missing else 0


def main(lms: str, results: Path, out: Path, *, gradebook: Path | None = None, column: str = "",
         feedback_zip: Path | None = None, config: Path | None = None, worksheet: Path | None = None) -> int:
    """`course export`: fill the LMS's own file (and feedback zip) from `results`; 1 if a graded student is missing."""
    from ..course_config import CourseConfigError
    from ..lms.outcomes import outcomes

    export = Export(lms, Path(results), Path(out), gradebook, column, feedback_zip, config, worksheet)
    try:
        record, found = outcomes(export.results)
        if record.lms != lms:
            print(f"course export: {export.results} was graded from a {record.lms} download, not {lms}",
                  file=sys.stderr)
            return 2
        return (_canvas if lms == "canvas" else _moodle)(export, found, record)
    except (ValueError, CourseConfigError) as error:
        print(f"course export: {error}", file=sys.stderr)
        return 2
