"""`course grade ARCHIVE --from canvas|moodle` (and `COURSE --from nbgrader`): the hook between the LMS download and
the batch (nbgrader_exchange.py for nbgrader's collected notebooks).

`prepare` reads the download and stages one folder per gradable student (stage.py); the batch then
grades them like any folders. `finish` rewrites grades.csv with the LMS's ids, names and late flags
and prints what could not be graded. Lateness is the LMS's, so the batch computes no penalty of its
own: the LMS applies its late policy to the imported grades.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from ..batch.clock import NBGRADER, Clock
from ..course_config import parse_due
from .canvas import read_canvas
from .download import DownloadError
from .grades_csv import rewrite_grades_csv
from .moodle import read_moodle
from .nbgrader_exchange import read_nbgrader, write_feedback
from .outcomes import outcomes
from .record import write_record
from .stage import stage_uploads
from .worksheet_late import late_flags

READERS = {"canvas": read_canvas, "moodle": read_moodle}
SOURCES = (*READERS, "nbgrader")  # nbgrader: its collected submissions, the time recorded at collection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--from and --worksheet on `course grade`."""
    parser.add_argument("--from", dest="lms", choices=SOURCES, default=None,
                        help="PATH is this LMS's bulk download of the submissions (one zip): students are named and "
                             "marked late by the LMS, not by their manifests; or, with nbgrader, the nbgrader course "
                             "folder whose submitted/<student>/<assignment>/ notebooks are graded (late by "
                             "timestamp.txt), the feedback written to its feedback/ for `nbgrader release_feedback`")
    parser.add_argument("--worksheet", type=Path, default=None,
                        help="with --from moodle: the grading worksheet (English), whose Status says who was late")


def prepare(lms: str, paths: list[Path], worksheet: Path | None, config, out: Path):
    """(paths to grade, config for the batch, the batch's Clock) for `lms`'s download; DownloadError says what is wrong
    with it."""
    if len(paths) != 1:
        raise DownloadError(f"--from {lms} grades one download (a zip); got {len(paths)} paths")
    if worksheet and lms != "moodle":
        raise DownloadError("--worksheet goes with --from moodle (Canvas's download marks late files itself)")
    uploads = read_nbgrader(paths[0], config.assignment) if lms == "nbgrader" else READERS[lms](paths[0])
    if worksheet:
        flags = late_flags(worksheet)
        for upload in uploads:
            upload.late = flags.get(upload.lms_id)
    staged, record = stage_uploads(uploads, paths[0], out, config.assignment)
    out.mkdir(parents=True, exist_ok=True)
    write_record(out, record)
    for lms_id, student in record.students.items():
        if not student.gradable:
            print(f"not gradable: {lms} id {lms_id} ({student.name}): {student.reason}")
    if lms == "nbgrader":  # the time nbgrader recorded at collection: the penalty is computed from it
        recorded = {u.lms_id: parse_due(u.received, "timestamp.txt") for u in uploads if u.received}
        return staged, config, Clock(recorded, NBGRADER)
    return staged, dataclasses.replace(config, due=None), Clock()  # the LMS's late flag, never the manifest's clock


def finish(lms: str, paths: list[Path], out: Path, csv_path: Path, assignment: str) -> None:
    """Rewrite grades.csv by LMS id with the LMS's names and late flags; for nbgrader, write the feedback pages
    into its feedback/ folder instead (grades.csv keeps the penalties computed from its timestamps)."""
    if lms == "nbgrader":
        pages = write_feedback(paths[0], assignment, out)
        print(f"feedback for `nbgrader release_feedback`: {len(pages)} pages in {paths[0]}/feedback/")
        return
    _, found = outcomes(out)
    rewrite_grades_csv(csv_path, found)
