"""The instructor's grading config: points and visibility of every check, in one TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


@dataclass(frozen=True)
class CheckConfig:
    points: float
    visibility: str


def load_config(path: Path) -> dict[str, CheckConfig]:
    """Read `[checks."<title>"]` tables with `points` and `visibility`.

    The points must add up to the file's `total` (100 unless it says otherwise).
    """
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    checks = {}
    for title, entry in raw.get("checks", {}).items():
        if not isinstance(entry, dict):
            raise ValueError(f"{path}: checks.{title!r} must be a table with points and visibility")
        points = entry.get("points")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            raise ValueError(f"{path}: {title!r} needs points = a number >= 0, not {points!r}")
        visibility = entry.get("visibility", raw.get("default_visibility", "visible"))
        if visibility not in VISIBILITIES:
            raise ValueError(f"{path}: {title!r} has visibility {visibility!r}; use one of {VISIBILITIES}")
        checks[title] = CheckConfig(float(points), visibility)
    total, expected = sum(c.points for c in checks.values()), float(raw.get("total", 100))
    if abs(total - expected) > 1e-9:
        raise ValueError(f"{path}: the points total {total:g}, not {expected:g}")
    return checks
