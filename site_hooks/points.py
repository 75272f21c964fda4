"""MkDocs hook: exercise pages quote their checks and points from the graders' files, never by hand.

A Markdown page writes `<!-- points: softmax log_softmax -->`; the marker becomes a table of every
hidden check (graders/grading.toml) whose name starts with one of those function names
("softmax: ..."), with its points and what a student sees when it fails, and a total.
`<!-- points: * -->` gives the whole course. `<!-- public: softmax -->` does the same for the
public checks that `course check` runs (public_tests/checks.toml, practice points only).
Those files are the one source of points, so the pages cannot drift from them.
"""

from __future__ import annotations

import re
from pathlib import Path

from course_tools.contract import contract_name
from course_tools.judge.config import load_config
from course_tools.paths import grading_config, public_checks_config

MARKER = re.compile(r"<!--\s*(points|public):\s*([^>]*?)\s*-->")

SHOWN = {
    "visible": "expected vs got, and a hint",
    "hidden": "a hint only",
    "after_due_date": "after the due date",
    "after_published": "after grades are published",
}


def load_checks(path: Path) -> list[tuple[str, float, str]]:
    """Return [(check name, points, visibility)] in the file's order, read and validated as the judge reads it."""
    return [(name, check.points, check.visibility) for name, check in load_config(path).items()]


def points_table(functions: list[str], checks: list[tuple[str, float, str]], kind: str = "hidden") -> str:
    """Return a Markdown table of the `kind` checks of `functions` ("*" for all) and their total."""
    chosen = [c for c in checks if "*" in functions or contract_name(c[0]) in functions]
    if not chosen:
        raise ValueError(f"no {kind} check belongs to {functions}")
    if kind == "public":
        rows = [f"| {name} | {points:g} |" for name, points, _ in chosen]
        head = ["| public check | practice points |", "| --- | ---: |"]
        total = f"| **total** | **{sum(points for _, points, _ in chosen):g}** |"
    else:
        rows = [f"| {name} | {points:g} | {SHOWN.get(vis, vis)} |" for name, points, vis in chosen]
        head = ["| hidden check | points | when it fails, you see |", "| --- | ---: | --- |"]
        total = f"| **total** | **{sum(points for _, points, _ in chosen):g}** | |"
    return "\n".join([*head, *rows, total])


def on_page_markdown(markdown, page, config, files):
    if "<!--" not in markdown:
        return markdown
    repo = Path(config.config_file_path).parent
    sources = {"points": (grading_config(repo), "hidden"), "public": (public_checks_config(repo), "public")}

    def table(match):
        path, kind = sources[match.group(1)]
        return points_table(match.group(2).split(), load_checks(path), kind)

    return MARKER.sub(table, markdown)
