"""course.toml's [lms] table: which Canvas gradebook column is this assignment's (read here, not by the batch)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .download import DownloadError


def canvas_column(config_path: Path | None) -> str:
    """[lms] canvas_column of course.toml ("" when absent); DownloadError when it is not a string."""
    if config_path is None or not Path(config_path).is_file():
        return ""
    try:
        with open(config_path, "rb") as f:
            table = tomllib.load(f).get("lms", {})
    except tomllib.TOMLDecodeError as error:
        raise DownloadError(f"{config_path}: {error}") from None
    value = table.get("canvas_column", "") if isinstance(table, dict) else None
    if not isinstance(value, str):
        raise DownloadError(f"{config_path}: lms.canvas_column must be the column's header text, e.g. "
                            "\"Softmax regression (1234)\"")
    return value
