"""The feedback text of a failed check, and the typed results of a graded submission (grading_results.py)."""

from __future__ import annotations

from ..i18n import _
from ..grading_results import NOT_RUN, CheckResult, GradingResults, State
from .checks import Mistake


def failure_output(error, hint: str, visibility: str) -> str:
    """Feedback for a failed check: what was expected and what came back, then the hint.

    Hidden checks show only the hint: never their inputs or expected values. A crash of the
    student's own code (its type, trimmed message and their lines: crash.py) shows in every check.
    """
    crash = getattr(error, "crash", None) if isinstance(error, Mistake) else None
    if crash is not None:
        return f"{crash.describe()}\n{hint_line(error.hint or hint)}"
    if isinstance(error, Mistake):
        detail, hint = error.detail, error.hint or hint
    else:
        detail = (_("the check itself failed: {error}").format(error=f"{type(error).__name__}: {error}")
                  if error else _("failed"))
    if visibility != "visible":
        return hint_line(hint)
    return f"{detail}\n{hint_line(hint)}"


def hint_line(hint: str) -> str:
    """'Hint: ...' in the active language; the hint was marked N_() where it was written."""
    return _("Hint: {hint}").format(hint=_(hint))


def build_results(checks, outcomes, staged, elapsed: float, causes=(), crashes=()) -> GradingResults:
    """The results of a graded submission: every configured check, with its points if passed; `causes` and
    `crashes` (causes.link) lead the output."""
    tests = [CheckResult(title, entry.points if outcome and outcome.passed else 0.0, entry.points,
                         bool(outcome and outcome.passed), outcome.output if outcome else NOT_RUN, entry.visibility)
             for title, entry in checks.items() for outcome in [outcomes.get(title)]]
    results = GradingResults(State.GRADED, tests, "", elapsed, staged.student_id, staged.manifest,
                             list(causes), list(crashes))
    output = _("Score {score} from the hidden graders.").format(score=results.score_line())
    if staged.problems:
        output += " " + _("Problems: {problems}.").format(problems="; ".join(staged.problems[m] for m in sorted(staged.problems)))
    results.output = "\n".join([*results.leading_lines(), output])
    return results
