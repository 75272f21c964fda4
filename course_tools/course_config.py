"""The instructor's course config (course.toml): the assignment, its due date, late penalties, extensions, gradebook."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import LANGUAGES, supported

CONFIG_NAME = "course.toml"


class CourseConfigError(ValueError):
    """course.toml is unreadable or holds a value of the wrong kind; the message names it."""


@dataclass(frozen=True)
class LatePolicy:
    """Late penalty: `percent_per_day` of the earned score per started day after `grace_minutes`, capped.

    It is computed from a time the instructor's side recorded (a receipts CSV, nbgrader's timestamp.txt); the time
    in a student's own submission.json is a claim, penalised only when `trust_claimed_times` (batch/clock.py)."""

    grace_minutes: float = 0.0
    percent_per_day: float = 0.0
    max_percent: float = 100.0
    trust_claimed_times: bool = False
    receipts: Path | None = None  # CSV of student_id, received_at: when the instructor's side received each hand-in


@dataclass(frozen=True)
class Extension:
    """One student's extension ([extensions] in course.toml): a new due date, or extra time; `reason` is the
    instructor's own note, shown to no student."""

    due: dt.datetime | None = None
    extra_hours: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class ClusterSettings:
    """course.toml's [cluster]: the SLURM jobs `course grade --cluster slurm` asks for through dask-jobqueue.

    Each job runs one grading worker with `cores` threads, one grading each. Workers retire after `lifetime_minutes`, before
    the walltime would kill them mid-task (dask-jobqueue #122, #611); unset, it is the walltime less 10 minutes.
    """

    queue: str = ""
    account: str = ""
    cores: int = 4
    memory: str = "16GB"
    walltime: str = "01:00:00"
    lifetime_minutes: float = 0.0
    jobs: int = 1
    python: str = ""
    job_directives: tuple[str, ...] = ()

    @property
    def walltime_minutes(self) -> float:
        """The walltime in minutes, read as SLURM does: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S."""
        days, dash, clock = self.walltime.strip().rpartition("-")
        parts = [float(p) for p in clock.split(":")]
        if len(parts) > 3 or (dash and not days):
            raise ValueError(self.walltime)
        if dash:  # after a day count the clock starts with hours
            hours, minutes, seconds = (parts + [0.0, 0.0])[:3]
        else:
            hours, minutes, seconds = ([0.0, 0.0] + parts)[-3:] if len(parts) == 3 else (0.0, *(parts + [0.0])[:2])
        return float(days or 0) * 1440 + hours * 60 + minutes + seconds / 60

    @property
    def lifetime(self) -> float:
        """Minutes a worker lives: the configured lifetime, else the walltime less 10 minutes (at least 1)."""
        return self.lifetime_minutes or max(1.0, self.walltime_minutes - 10)


@dataclass(frozen=True)
class CourseConfig:
    """What course.toml says; `due` is timezone-aware (UTC) or None for no deadline."""

    assignment: str = "softmax-regression"
    due: dt.datetime | None = None
    late: LatePolicy = field(default_factory=LatePolicy)
    gradebook_url: str = ""
    course_id: str = "default_course"
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    language: str = ""  # [feedback] language: the students' feedback language ('' = each one's locale)
    extensions: dict[str, Extension] = field(default_factory=dict)  # by the student id the gradebook uses
    overrides: Path | None = None  # [overrides] file: the instructor's points by hand (batch/overrides.py)
    given_code: tuple[Path, ...] = ()  # [similarity] given_code: more code every student may use (batch/given_code.py)

    def due_for(self, student: str) -> dt.datetime | None:
        """The due date that applies to `student`: their extension's, else the assignment's."""
        extension = self.extensions.get(student)
        if extension is None:
            return self.due
        if extension.due is not None:
            return extension.due
        return self.due + dt.timedelta(hours=extension.extra_hours) if self.due is not None else None


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


def _cluster_settings(table: dict, path) -> ClusterSettings:
    """[cluster], checked: counts are positive integers, the walltime readable and longer than the lifetime."""
    def text(key):
        value = table.get(key, getattr(ClusterSettings, key))
        if not isinstance(value, str):
            raise CourseConfigError(f"{path}: cluster.{key} must be a string, not {value!r}")
        return value

    def count(key):
        value = table.get(key, getattr(ClusterSettings, key))
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise CourseConfigError(f"{path}: cluster.{key} must be a whole number >= 1, not {value!r}")
        return value

    directives = table.get("job_directives", [])
    if not isinstance(directives, list) or not all(isinstance(d, str) for d in directives):
        raise CourseConfigError(f"{path}: cluster.job_directives must be a list of strings")
    settings = ClusterSettings(queue=text("queue"), account=text("account"), cores=count("cores"),
                               memory=text("memory"), walltime=text("walltime"),
                               lifetime_minutes=_number(table, "lifetime_minutes", 0, "cluster"), jobs=count("jobs"),
                               python=text("python"), job_directives=tuple(directives))
    try:
        walltime = settings.walltime_minutes
    except ValueError:
        raise CourseConfigError(f"{path}: cluster.walltime = {settings.walltime!r} is not HH:MM:SS") from None
    if settings.lifetime >= walltime:
        raise CourseConfigError(f"{path}: cluster.lifetime_minutes ({settings.lifetime:g}) must be shorter than the "
                                f"walltime ({walltime:g} minutes), or SLURM kills workers mid-task")
    return settings


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
    cluster, feedback, overrides = raw.get("cluster", {}), raw.get("feedback", {}), raw.get("overrides", {})
    similarity = raw.get("similarity", {})
    for table, value in (("assignment", assignment), ("late_penalty", late), ("gradebook", gradebook),
                         ("cluster", cluster), ("feedback", feedback), ("overrides", overrides),
                         ("similarity", similarity)):
        if not isinstance(value, dict):
            raise CourseConfigError(f"{path}: {table} must be a table ([{table}]), not {value!r}")
    name = assignment.get("name", CourseConfig.assignment)
    if not isinstance(name, str) or not name.strip():
        raise CourseConfigError(f"{path}: assignment.name must be a non-empty string")
    trust = late.get("trust_claimed_times", False)
    if not isinstance(trust, bool):
        raise CourseConfigError(f"{path}: late_penalty.trust_claimed_times must be true or false, not {trust!r}")
    policy = LatePolicy(_number(late, "grace_minutes", 0, "late_penalty"),
                        _number(late, "percent_per_day", 0, "late_penalty"),
                        _number(late, "max_percent", 100, "late_penalty"), trust,
                        _beside(path, late, "receipts", "late_penalty"))
    if policy.max_percent > 100:
        raise CourseConfigError(f"{path}: late_penalty.max_percent cannot exceed 100")
    return CourseConfig(assignment=name.strip(), due=parse_due(assignment.get("due")), late=policy,
                        gradebook_url=str(gradebook.get("url", "")),
                        course_id=str(gradebook.get("course_id", CourseConfig.course_id)),
                        cluster=_cluster_settings(cluster, path), language=_language(feedback, path),
                        extensions=_extensions(raw.get("extensions", {}), path),
                        overrides=_beside(path, overrides, "file", "overrides"),
                        given_code=_given_code(similarity, path))


def _given_code(table: dict, path) -> tuple[Path, ...]:
    """[similarity] given_code = ["book/", ...]: files or folders, relative to course.toml's folder."""
    names = table.get("given_code", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise CourseConfigError(f"{path}: similarity.given_code must be a list of file or folder names")
    return tuple(Path(path).parent / name for name in names)


def _beside(path, table: dict, key: str, where: str) -> Path | None:
    """The file that `table[key]` names, relative to course.toml's folder; None when not given."""
    name = table.get(key, "")
    if not isinstance(name, str):
        raise CourseConfigError(f"{path}: {where}.{key} must be a file name, not {name!r}")
    return Path(path).parent / name if name else None


def _extensions(table, path) -> dict[str, Extension]:
    """[extensions]: `student = { due = 2027-02-05T23:59:00Z, reason = "..." }` or `{ extra_hours = 48, ... }`."""
    if not isinstance(table, dict):
        raise CourseConfigError(f"{path}: extensions must be a table ([extensions]), not {table!r}")
    found = {}
    for student, entry in table.items():
        where = f"extensions.{student}"
        if not isinstance(entry, dict) or set(entry) - {"due", "extra_hours", "reason"}:
            raise CourseConfigError(f"{path}: {where} must be {{ due = <date and time> }} or {{ extra_hours = <hours> }}, "
                                    f"with an optional reason; got {entry!r}")
        if ("due" in entry) == ("extra_hours" in entry):
            raise CourseConfigError(f"{path}: {where} needs exactly one of due and extra_hours")
        reason = entry.get("reason", "")
        if not isinstance(reason, str):
            raise CourseConfigError(f"{path}: {where}.reason must be a string")
        found[student] = Extension(parse_due(entry.get("due"), f"{where}.due"),
                                   _number(entry, "extra_hours", 0, where), reason)
    return found


def _language(table: dict, path) -> str:
    """[feedback] language: '' or one of i18n.LANGUAGES."""
    value = table.get("language", "")
    if value and not (isinstance(value, str) and supported(value) == value):
        raise CourseConfigError(f"{path}: feedback.language must be one of {', '.join(LANGUAGES)}, not {value!r}")
    return value


def default_config_path(root: Path) -> Path:
    """Where course.toml lives: the course root."""
    return Path(root) / CONFIG_NAME


def feedback_language(root: Path) -> str:
    """The language graders write feedback in where no student chose one (Gradescope, PrairieLearn):
    course.toml's [feedback] language, else English (never the grading machine's locale)."""
    return load_course_config(default_config_path(root)).language or "en"
