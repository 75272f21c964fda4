"""One crash, one message: checks that failed at the same line of the student's code are grouped.

The key is what the worker reports: the exception type and the innermost frame in the student's
exercise modules (crash.py), so no mistake needs a diagnosis written for it. The first failing
check of a group, in grading.toml's order, states the crash and its hint; the others say in one
line "same crash as '<first>'". When the crash lies with a diagnosed cause (a check of the group
carries it, or the crash passed through the function whose check diagnosed it, e.g. evaluate_accuracy
called in the contract's order when it takes the first edition's), the group names that cause instead.
Only messages change, never points.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..contract import check_module, contract_name
from ..i18n import _, ngettext
from .crash import Crash
from .outcome import Outcome


@dataclass(frozen=True)
class CrashGroup:
    """A crash stated once: the type and message, the student's file and line, and the checks it failed
    (the first, `home`, states it in full)."""
    type: str
    message: str
    file: str
    line: int
    home: str
    checks: tuple[str, ...]

    def where(self) -> str:
        return _("{error} at course_lib/{file}, line {line}").format(error=self.type, file=self.file, line=self.line)


def crash_key(crash) -> tuple[str, str, int] | None:
    """(type, file, line) of the innermost student frame, or None for a crash with no line of theirs."""
    if not isinstance(crash, Crash) or not crash.frames:
        return None
    frame = crash.frames[-1]
    return crash.type_name, frame.file, frame.line


def _cause_through(crash: Crash, causes) -> object | None:
    """A confirmed cause whose home check is on a function this crash passed through, else None."""
    for cause in causes:
        name, module = contract_name(cause.home), check_module(cause.home)
        if any(frame.function == name and frame.file == f"{module}.py" for frame in crash.frames):
            return cause
    return None


def group(outcomes: dict[str, Outcome], order: list[str], confirmed: dict) -> tuple[list[CrashGroup], dict]:
    """Rewrite the feedback of crashed checks in `outcomes` in place.

    `confirmed`: {cause key: Cause} whose home check failed for them. Returns the groups of two or more
    checks that state their crash once, and {cause key: [titles]} of crashed checks linked to a cause."""
    keyed: dict[tuple, list[str]] = {}
    for title in sorted(outcomes, key=lambda t: order.index(t) if t in order else len(order)):
        outcome = outcomes[title]
        key = crash_key(outcome.crash)
        if not outcome.passed and key is not None:
            keyed.setdefault(key, []).append(title)
    groups, to_causes = [], {}
    for titles in keyed.values():
        carried = [outcomes[t].cause for t in titles if outcomes[t].cause is not None and outcomes[t].cause.key in confirmed]
        cause = carried[0] if carried else _cause_through(outcomes[titles[0]].crash, confirmed.values())
        if cause is not None:
            for title in titles:
                if outcomes[title].cause is None or outcomes[title].cause.key not in confirmed:
                    outcomes[title].output = _("same cause as '{home}': {summary}").format(
                        home=_(cause.home), summary=_(cause.summary))
                    to_causes.setdefault(cause.key, []).append(title)
            continue
        if len(titles) < 2:
            continue
        crash = outcomes[titles[0]].crash
        found = CrashGroup(crash.type_name, crash.message, crash.frames[-1].file, crash.frames[-1].line,
                           titles[0], tuple(titles))
        for title in titles[1:]:
            outcomes[title].output = _("same crash as '{home}': {where}").format(home=_(found.home), where=found.where())
        groups.append(found)
    return groups, to_causes


def summary_lines(groups: list[dict]) -> list[str]:
    """The grouped crashes in a results summary (their JSON form, as results.json holds them): one line each."""
    lines = []
    for entry in groups:
        found = CrashGroup(**{**entry, "checks": tuple(entry["checks"])})
        cost = ngettext("{count} check", "{count} checks", len(found.checks)).format(count=len(found.checks))
        message = f": {found.message}" if found.message else ""
        lines.append("- " + _("{error}{message} at course_lib/{file}, line {line} ({cost}). First reported by '{home}'.").format(
            error=found.type, message=message, file=found.file, line=found.line, cost=cost, home=_(found.home)))
    return [_("Crashes in your code (each stated once):"), *lines] if lines else []
