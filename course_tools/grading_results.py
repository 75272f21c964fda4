"""One graded submission, typed: the object every consumer reads (as otter-grader's GradingResults).

The judge builds it (judge/results.py); it crosses processes, Dask and the ledger's SQLite as its JSON
form, which is Gradescope's results.json: {score, execution_time, output, tests: [{name, score,
max_score, status, output, visibility}], extra_data: {...}}. `from_json` is the one reader of that
form and refuses anything malformed. The points and their maximum come from the checks (the config),
never from a constant. A core module: it imports nothing that imports torch.
"""

from __future__ import annotations

import enum
import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .i18n import _
from .judge.causes import summary_lines as cause_lines
from .judge.crash_groups import summary_lines as crash_lines

NOT_RUN = "not run"  # a check's output when it was left out of this run (e.g. `--only`)


class State(enum.Enum):
    """What happened to the submission: graded, not gradable (the student's upload), or an
    infrastructure error (the machinery's failure: no grade, grade it again)."""
    GRADED = "graded"
    NOT_GRADABLE = "not_gradable"
    INFRASTRUCTURE_ERROR = "infrastructure_error"


@dataclass
class CheckResult:
    """One check: its title (the gradebook's key), points earned of its maximum, and its feedback."""
    name: str
    score: float
    max_score: float
    passed: bool
    output: str = ""
    visibility: str = "visible"

    @property
    def not_run(self) -> bool:
        """Left out of this run: neither passed nor failed."""
        return not self.passed and self.output == NOT_RUN

    def line(self, title: str | None = None) -> str:
        """'PASS   4/4   <title>': the one format of a check's result line (`title`: the name as shown)."""
        return f"{'PASS' if self.passed else 'FAIL'} {self.score:>3g}/{self.max_score:<3g} {title or self.name}"

    def to_json(self) -> dict:
        return {"name": self.name, "score": self.score, "max_score": self.max_score,
                "status": "passed" if self.passed else "failed", "output": self.output, "visibility": self.visibility}

    @classmethod
    def from_json(cls, raw) -> CheckResult:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise ValueError(f"a test entry must be an object with a name, not {raw!r:.80}")
        return cls(raw["name"], _number(raw.get("score", 0.0), "score"), _number(raw.get("max_score", 0.0), "max_score"),
                   raw.get("status") == "passed", str(raw.get("output", "")), str(raw.get("visibility", "visible")))


@dataclass
class AppliedOverride:
    """One row of the instructor's overrides as applied (batch/overrides.py): each check's points before and after."""
    target: str  # a check's title or an exercise module
    reason: str  # the instructor's note: in the report, never in a student's feedback
    excused: bool
    graded: dict[str, float]  # check title: the points the graders gave
    points: dict[str, float]  # check title: the points after the override

    @property
    def graded_total(self) -> float:
        """The target's points as graded."""
        return sum(self.graded.values())

    @property
    def points_total(self) -> float:
        """The target's points after the override."""
        return sum(self.points.values())

    @classmethod
    def from_json(cls, raw) -> AppliedOverride:
        if not isinstance(raw, dict) or not isinstance(raw.get("graded"), dict) or not isinstance(raw.get("points"), dict):
            raise ValueError(f"an override must be an object with graded and points, not {raw!r:.80}")
        return cls(str(raw.get("target", "")), str(raw.get("reason", "")), bool(raw.get("excused")),
                   {str(k): _number(v, "graded") for k, v in raw["graded"].items()},
                   {str(k): _number(v, "points") for k, v in raw["points"].items()})


@dataclass
class BatchRecord:
    """What `course grade` adds when it finishes a submission (batch/finish.py): who, which run, lateness."""
    submission: str = ""
    assignment: str = ""
    input_hash: str = ""
    grader_version: str = ""
    late: dict = field(default_factory=dict)  # penalties.assess: timestamp, due, seconds_late, fraction[, note]
    late_penalty: float = 0.0
    final_score: float | None = None
    changed_since_packing: list[str] = field(default_factory=list)
    overrides: list[AppliedOverride] = field(default_factory=list)  # applied before the late penalty


_BATCH_KEYS = tuple(f.name for f in fields(BatchRecord) if f.name != "overrides")  # plain JSON values


@dataclass
class GradingResults:
    """A submission's grade: its state, its checks (points from the config), the output summary and why."""
    state: State
    tests: list[CheckResult] = field(default_factory=list)
    output: str = ""
    execution_time: float = 0.0
    student_id: str | None = None
    manifest: dict | None = None
    causes: list[dict] = field(default_factory=list)  # causes.link: {summary, hint, home, checks}
    crashes: list[dict] = field(default_factory=list)  # crash_groups.CrashGroup as dicts
    reason: str = ""  # why it is not gradable, or what failed in the machinery
    batch: BatchRecord | None = None

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        """The most these checks can earn: the config's total (100 for the hidden graders, 30 for the public checks)."""
        return sum(t.max_score for t in self.tests)

    @property
    def final_score(self) -> float:
        """The score after the batch's late penalty (the score itself before a batch finished it)."""
        return self.batch.final_score if self.batch and self.batch.final_score is not None else self.score

    @property
    def graded(self) -> bool:
        return self.state is State.GRADED

    @property
    def infrastructure_error(self) -> bool:
        return self.state is State.INFRASTRUCTURE_ERROR

    @property
    def not_gradable(self) -> bool:
        return self.state is State.NOT_GRADABLE

    def score_line(self) -> str:
        """'<score>/<max>': the score out of the checks' own total."""
        return f"{self.score:g}/{self.max_score:g}"

    @classmethod
    def not_gradable_because(cls, reason: str, elapsed: float = 0.0) -> GradingResults:
        """A submission that could not be graded at all (score 0, and why)."""
        return cls(State.NOT_GRADABLE, output=_("Could not grade this submission: {reason}").format(reason=reason),
                   execution_time=elapsed, reason=reason)

    @classmethod
    def infrastructure_failure(cls, reason: str, elapsed: float = 0.0) -> GradingResults:
        """A failure of the grading machinery, not the submission: no grade, grade it again."""
        return cls(State.INFRASTRUCTURE_ERROR, output=_("Could not grade this submission: {reason}").format(reason=reason),
                   execution_time=elapsed, reason=reason)

    def leading_lines(self) -> list[str]:
        """What a summary states first: the diagnosed causes, then the crashes stated once."""
        return cause_lines(self.causes) + crash_lines(self.crashes)

    def summary_lines(self) -> list[str]:
        """Readable lines for the terminal: leading_lines, one line per check (titles translated), then the total."""
        last = self.output.splitlines()[-1] if self.output else ""
        return self.leading_lines() + [t.line(_(t.name)) for t in self.tests] + [last]

    def to_json(self) -> dict:
        """Gradescope's results.json (extra_data holds the rest, read back by from_json)."""
        extra: dict = {}
        if self.graded:
            extra.update(student_id=self.student_id, not_gradable=False, manifest=self.manifest,
                         causes=[dict(c) for c in self.causes], crashes=[dict(c) for c in self.crashes])
        else:
            extra.update(not_gradable=True, reason=self.reason)
            if self.infrastructure_error:
                extra["infrastructure_error"] = True
            if self.student_id is not None:
                extra["student_id"] = self.student_id
        if self.batch is not None:
            extra.update({key: getattr(self.batch, key) for key in _BATCH_KEYS})
            extra["overrides"] = [asdict(applied) for applied in self.batch.overrides]
        return {"score": self.score, "execution_time": round(self.execution_time, 2), "output": self.output,
                "tests": [t.to_json() for t in self.tests], "extra_data": extra}

    @classmethod
    def from_json(cls, raw) -> GradingResults:
        """Read results.json's form; ValueError for anything that is not one."""
        if not isinstance(raw, dict) or not isinstance(raw.get("tests", []), list):
            raise ValueError("results must be an object with a list of tests")
        extra = raw.get("extra_data", {})
        if not isinstance(extra, dict):
            raise ValueError("extra_data must be an object")
        state = (State.INFRASTRUCTURE_ERROR if extra.get("infrastructure_error")
                 else State.NOT_GRADABLE if extra.get("not_gradable") else State.GRADED)
        batch = None
        if "input_hash" in extra or "submission" in extra:
            batch = BatchRecord(**{key: extra[key] for key in _BATCH_KEYS if key in extra})
            batch.overrides = [AppliedOverride.from_json(o) for o in extra.get("overrides") or []]
        student = extra.get("student_id")
        manifest = extra.get("manifest")
        return cls(state, [CheckResult.from_json(t) for t in raw.get("tests", [])], str(raw.get("output", "")),
                   _number(raw.get("execution_time", 0.0), "execution_time"),
                   student if isinstance(student, str) else None, manifest if isinstance(manifest, dict) else None,
                   list(extra.get("causes") or []), list(extra.get("crashes") or []), str(extra.get("reason") or ""),
                   batch)


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r:.40}")
    return float(value)


def read_results(path: Path) -> GradingResults | None:
    """The results in the file `path` (a results.json), or None when it is missing or does not read as results."""
    try:
        return GradingResults.from_json(json.loads(Path(path).read_text()))
    except (OSError, ValueError):
        return None
