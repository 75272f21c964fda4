"""The instructor's course config (course.toml): the assignment, its due date, late penalties, gradebook."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_NAME = "course.toml"


class CourseConfigError(ValueError):
    """course.toml is unreadable or holds a value of the wrong kind; the message names it."""


@dataclass(frozen=True)
class LatePolicy:
    """Late penalty: `percent_per_day` of the earned score per started day after `grace_minutes`, capped."""

    grace_minutes: float = 0.0
    percent_per_day: float = 0.0
    max_percent: float = 100.0


@dataclass(frozen=True)
class CourseConfig:
    """What course.toml says; `due` is timezone-aware (UTC) or None for no deadline."""

    assignment: str = "softmax-regression"
    due: dt.datetime | None = None
    late: LatePolicy = field(default_factory=LatePolicy)
    gradebook_url: str = ""
    course_id: str = "default_course"


def _number(table: dict, key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise CourseConfigError(f"{where}.{key} must be a number >= 0, not {value!r}")
    return float(value)


def parse_due(value, where: str = "assignment.due") -> dt.datetime | None:
    """A TOML datetime or ISO 8601 string as an aware UTC datetime; naive times are taken as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise CourseConfigError(f"{where} = {value!r} is not an ISO 8601 date and time") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(23, 59, 59))
    if not isinstance(value, dt.datetime):
        raise CourseConfigError(f"{where} must be a date and time, e.g. 2027-01-31T23:59:00Z")
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def load_course_config(path: Path | None) -> CourseConfig:
    """Read course.toml at `path`; a missing file (or None) gives the defaults: no deadline, no penalty."""
    if path is None or not Path(path).is_file():
        return CourseConfig()
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise CourseConfigError(f"{path}: {error}") from None
    assignment, late, gradebook = raw.get("assignment", {}), raw.get("late_penalty", {}), raw.get("gradebook", {})
    for table, value in (("assignment", assignment), ("late_penalty", late), ("gradebook", gradebook)):
        if not isinstance(value, dict):
            raise CourseConfigError(f"{path}: {table} must be a table ([{table}]), not {value!r}")
    name = assignment.get("name", CourseConfig.assignment)
    if not isinstance(name, str) or not name.strip():
        raise CourseConfigError(f"{path}: assignment.name must be a non-empty string")
    policy = LatePolicy(_number(late, "grace_minutes", 0, "late_penalty"),
                        _number(late, "percent_per_day", 0, "late_penalty"),
                        _number(late, "max_percent", 100, "late_penalty"))
    if policy.max_percent > 100:
        raise CourseConfigError(f"{path}: late_penalty.max_percent cannot exceed 100")
    return CourseConfig(assignment=name.strip(), due=parse_due(assignment.get("due")), late=policy,
                        gradebook_url=str(gradebook.get("url", "")),
                        course_id=str(gradebook.get("course_id", CourseConfig.course_id)))


def default_config_path(root: Path) -> Path:
    """Where course.toml lives: the course root."""
    return Path(root) / CONFIG_NAME
