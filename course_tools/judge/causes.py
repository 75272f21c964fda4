"""One root cause, one message: diagnosed causes shared by several checks, and how their feedback is linked.

A grader diagnoses a cause on the trusted side, by comparing what the student's code returned with
the reference run the way that mistake would run it (e.g. loss.sum().backward() under an
optimizer), and raises a Mistake carrying the Cause. Each Cause has a *home* check whose feedback
states it in full; when the home check failed for the same cause, every other check that diagnosed
it says only "same cause as '<home>': <summary>". The results' summary lists the causes first.

Crashes at one line of the student's code are stated once, or named as a cause (crash_groups.py).
A check that only builds on others (the end-to-end trainings, `builds_on=` in @check) and failed
without a crash or a cause of its own names the failing checks of the modules it builds on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..i18n import _, ngettext
from ..contract import check_module
from .crash_groups import group
from .outcome import Outcome


@dataclass(frozen=True)
class Cause:
    """A diagnosed mistake: `summary` says what the code does (one line), `hint` how to fix it.

    Both are marked N_() where the Cause is defined and translated here, when feedback is written."""
    key: str
    home: str
    summary: str
    hint: str


def _named(titles: list[str], most: int = 4) -> str:
    shown = ", ".join(f"'{_(t)}'" for t in titles[:most])
    return shown + (_(" and {count} more").format(count=len(titles) - most) if len(titles) > most else "")


def link(outcomes: dict[str, Outcome], builds_on: dict[str, tuple[str, ...]],
         order: list[str] | None = None) -> tuple[list[dict], list[dict]]:
    """Rewrite the feedback of `outcomes` in place; `order`: the checks in grading.toml's order.

    Returns the causes whose home check failed for them, each {summary, hint, home, checks}, in home
    order, and the crashes stated once (crash_groups.CrashGroup as dicts), both in results.json's form."""
    order = list(order or outcomes)
    found: dict[str, dict] = {}
    confirmed: dict[str, Cause] = {}
    for title, outcome in outcomes.items():
        cause = outcome.cause
        home = outcomes.get(cause.home) if cause else None
        if outcome.passed or cause is None or not home or home.passed or home.cause != cause:
            continue
        confirmed[cause.key] = cause
        entry = found.setdefault(cause.key, {"summary": _(cause.summary), "hint": _(cause.hint), "home": cause.home,
                                             "checks": []})
        entry["checks"].append(title)
        if title != cause.home:
            outcome.output = _("same cause as '{home}': {summary}").format(home=_(cause.home), summary=_(cause.summary))
    groups, crashed_into = group(outcomes, order, confirmed)  # one crash, one message (crash_groups.py)
    for key, titles in crashed_into.items():
        found[key]["checks"] += titles
    for title, modules in builds_on.items():
        outcome = outcomes.get(title)
        if not outcome or outcome.passed or outcome.cause or outcome.crash is not None:
            continue
        below = [t for t, o in outcomes.items() if t != title and not o.passed and t not in builds_on
                 and check_module(t) in modules and o.output != "not run"]
        if below:
            outcome.output = _("Hint: this builds on checks that fail: {checks}. Fix those first.").format(
                checks=_named(below))
    causes = sorted(found.values(), key=lambda e: order.index(e["home"]) if e["home"] in order else len(order))
    return causes, [{**asdict(g), "checks": list(g.checks)} for g in groups]


def summary_lines(causes: list[dict]) -> list[str]:
    """The causes, first in a results summary: one line each, with how many checks they cost."""
    lines = []
    for cause in causes:
        count = len(cause["checks"])
        cost = ngettext("{count} check", "{count} checks", count).format(count=count)
        lines.append(f"- {cause['summary']} ({cost}). {cause['hint']}")
    return [_("Causes found (fix these first):"), *lines] if lines else []
