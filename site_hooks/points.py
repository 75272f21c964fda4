"""MkDocs hook: exercise pages quote their points from tests/graders/grading.toml, never by hand.

A Markdown page writes `<!-- points: softmax log_softmax -->`; the marker becomes a table of every
hidden check whose name starts with one of those function names ("softmax: ..."), with its points
and what a student sees when it fails, and a total. `<!-- points: * -->` gives the whole course.
The graders' file is the one source of points, so the pages cannot drift from it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

GRADING_TOML = Path("tests/graders/grading.toml")
MARKER = re.compile(r"<!--\s*points:\s*([^>]*?)\s*-->")

SHOWN = {
    "visible": "expected vs got, and a hint",
    "hidden": "a hint only",
    "after_due_date": "after the due date",
    "after_published": "after grades are published",
}


def load_checks(path: Path = GRADING_TOML) -> list[tuple[str, int, str]]:
    """Return [(check name, points, visibility)] in the file's order."""
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    default = config.get("default_visibility", "visible")
    return [(name, int(spec["points"]), spec.get("visibility", default)) for name, spec in config["checks"].items()]


def points_table(functions: list[str], checks: list[tuple[str, int, str]]) -> str:
    """Return a Markdown table of the checks of `functions` ("*" for all) and their total."""
    chosen = [c for c in checks if "*" in functions or c[0].split(":")[0].strip() in functions]
    if not chosen:
        raise ValueError(f"no check in {GRADING_TOML} belongs to {functions}")
    rows = [f"| {name} | {points} | {SHOWN.get(vis, vis)} |" for name, points, vis in chosen]
    total = sum(points for _, points, _ in chosen)
    return "\n".join(
        ["| hidden check | points | when it fails, you see |", "| --- | ---: | --- |", *rows,
         f"| **total** | **{total}** | |"]
    )


def on_page_markdown(markdown, page, config, files):
    if "<!--" not in markdown:
        return markdown
    checks = load_checks(Path(config.config_file_path).parent / GRADING_TOML)
    return MARKER.sub(lambda m: points_table(m.group(1).split(), checks), markdown)
