"""grades.csv for an LMS batch: the batch's rows by LMS id, plus the LMS name and late flag, and the students
who handed in nothing gradable, with blank scores and the reason (never a 0)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..atomic import write_text_atomically
from ..batch.csv_export import spreadsheet_safe
from .outcomes import Outcome

SCORE_COLUMNS_AFTER_ID = 1  # grades.csv: student_id, then exercises, score, late_penalty, total (csv_export.py)


def _flag(late: bool | None) -> str:
    return "" if late is None else ("yes" if late else "no")


def rewrite_grades_csv(csv_path: Path, found: dict[str, Outcome]) -> None:
    """Rewrite the batch's grades.csv: columns student_id, name, <the batch's>, late, not_gradable."""
    rows = list(csv.reader(io.StringIO(Path(csv_path).read_text()))) if Path(csv_path).is_file() else []
    header = rows[0] if rows else ["student_id", "score", "late_penalty", "total"]
    by_id = {row[0]: row for row in rows[1:] if row}
    scores = header[SCORE_COLUMNS_AFTER_ID:]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", *scores, "late", "not_gradable"])
    for lms_id, outcome in found.items():
        row = by_id.pop(lms_id, None)
        cells = row[SCORE_COLUMNS_AFTER_ID:] if row and outcome.fraction is not None else [""] * len(scores)
        writer.writerow([lms_id, spreadsheet_safe(outcome.name), *cells, _flag(outcome.late),
                         "" if outcome.fraction is not None else spreadsheet_safe(outcome.reason)])
    for lms_id, row in by_id.items():  # graded earlier into this folder, not in this download: kept as they were
        writer.writerow([lms_id, "", *row[SCORE_COLUMNS_AFTER_ID:], "", ""])
    write_text_atomically(Path(csv_path), buffer.getvalue())
