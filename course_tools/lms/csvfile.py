"""A CSV file read and written back as the LMS wrote it: same delimiter, byte-order mark and line ends."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_bytes_atomically
from .download import DownloadError

BOM = "\ufeff"


@dataclass
class CsvFile:
    """Rows of cells, plus what writing them back unchanged needs."""

    rows: list[list[str]]
    delimiter: str = ","
    bom: bool = False
    newline: str = "\n"

    def write(self, path: Path) -> None:
        """Write the rows atomically with the original delimiter, byte-order mark and line ends."""
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline).writerows(self.rows)
        write_bytes_atomically(Path(path), ((BOM if self.bom else "") + buffer.getvalue()).encode("utf-8"))


def read_csv(path: Path, what: str) -> CsvFile:
    """Read `path` (UTF-8, optional BOM; ',' or ';' as canvas-lms lib/gradebook_importer.rb accepts); DownloadError."""
    try:
        raw = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DownloadError(f"{path}: cannot read it as the UTF-8 CSV of {what} ({error})") from None
    bom = raw.startswith(BOM)
    text = raw[1:] if bom else raw
    first = text.splitlines()[0] if text else ""
    # the importer's rule (identify_delimiter): ';' when it splits the lines into more fields than ','
    delimiter = ";" if len(next(csv.reader([first], delimiter=";"), [])) > len(next(csv.reader([first]), [])) else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise DownloadError(f"{path}: not a CSV file ({error})") from None
    if not rows:
        raise DownloadError(f"{path} is empty: give {what}")
    return CsvFile(rows, delimiter, bom, "\r\n" if "\r\n" in text else "\n")
