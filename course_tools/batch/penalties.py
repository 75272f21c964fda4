"""Late penalties: from the manifest's timestamp, the due date and the course's LatePolicy."""

from __future__ import annotations

import datetime as dt
import math

from ..course_config import CourseConfigError, LatePolicy, parse_due

DAY = 86_400.0


def submitted_at(manifest: dict) -> dt.datetime | None:
    """The manifest's timestamp as an aware UTC datetime, or None when absent or unreadable."""
    try:
        return parse_due(manifest.get("timestamp"), "submission.json timestamp")
    except (CourseConfigError, OverflowError, ValueError, TypeError):  # e.g. year 1 at +14:00 overflows in UTC
        return None


def late_fraction(seconds_late: float, policy: LatePolicy) -> float:
    """The fraction (0..1) of the earned score taken away: per started day after the grace period, capped."""
    late = seconds_late - policy.grace_minutes * 60
    if late <= 0:
        return 0.0
    days = math.ceil(late / DAY)
    return min(policy.percent_per_day * days, policy.max_percent) / 100.0


def assess(manifest: dict, due: dt.datetime | None, policy: LatePolicy) -> dict:
    """How late the submission was: {timestamp, due, seconds_late, fraction} (JSON-ready; fraction 0 when on time).

    With no due date or no readable timestamp there is no penalty, and `note` says why.
    """
    when = submitted_at(manifest)
    info = {"timestamp": when.isoformat() if when else None, "due": due.isoformat() if due else None,
            "seconds_late": 0.0, "fraction": 0.0}
    if due is None:
        info["note"] = "no due date in course.toml"
    elif when is None:
        info["note"] = "no readable timestamp in submission.json: no late penalty applied"
    else:
        info["seconds_late"] = max(0.0, (when - due).total_seconds())
        info["fraction"] = late_fraction(info["seconds_late"], policy)
    return info


def split_penalty(scores_by_exercise: dict[str, float], fraction: float) -> dict[str, float]:
    """The penalty per exercise: each exercise loses `fraction` of its score (nbgrader keeps it per notebook)."""
    return {name: round(score * fraction, 6) for name, score in scores_by_exercise.items()}
