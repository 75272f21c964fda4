"""Late penalties: from the submission's time (clock.py), the student's due date and the course's LatePolicy."""

from __future__ import annotations

import datetime as dt
import math

from ..course_config import LatePolicy
from .clock import CLAIMED, SubmissionTime

DAY = 86_400.0


def late_fraction(seconds_late: float, policy: LatePolicy) -> float:
    """The fraction (0..1) of the earned score taken away: per started day after the grace period, capped."""
    late = seconds_late - policy.grace_minutes * 60
    if late <= 0:
        return 0.0
    days = math.ceil(late / DAY)
    return min(policy.percent_per_day * days, policy.max_percent) / 100.0


def assess(time: SubmissionTime, due: dt.datetime | None, policy: LatePolicy) -> dict:
    """How late the submission was: {timestamp, source, due, seconds_late, fraction} (JSON-ready; fraction 0 when on
    time). `source` says who gave the time (clock.py). With no due date, no time, or only the student's claimed time
    (unless the course trusts claimed times) there is no penalty, and `note` says why."""
    when = time.when
    info = {"timestamp": when.isoformat() if when else None, "source": time.source,
            "due": due.isoformat() if due else None, "seconds_late": 0.0, "fraction": 0.0}
    if due is None:
        info["note"] = "no due date in course.toml"
    elif when is None:
        info["note"] = "no recorded or readable submission time: no late penalty applied"
    else:
        info["seconds_late"] = max(0.0, (when - due).total_seconds())
        if time.source == CLAIMED and not policy.trust_claimed_times:
            if info["seconds_late"]:
                info["note"] = ("only the student's own claimed time (submission.json): no late penalty applied; "
                                "give course.toml a receipts CSV, or set trust_claimed_times")
        else:
            info["fraction"] = late_fraction(info["seconds_late"], policy)
    return info


def split_penalty(scores_by_exercise: dict[str, float], fraction: float) -> dict[str, float]:
    """The penalty per exercise: each exercise loses `fraction` of its score (nbgrader keeps it per notebook)."""
    return {name: round(score * fraction, 6) for name, score in scores_by_exercise.items()}
