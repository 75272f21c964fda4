"""Gradescope's results.json, the feedback text of a failed check, and the terminal summary."""

from __future__ import annotations

from ..i18n import _
from .causes import summary_lines as cause_lines
from .checks import Mistake
from .crash_groups import summary_lines as crash_lines


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


def build_results(checks, outcomes, staged, elapsed: float, causes=(), crashes=()) -> dict:
    """Return Gradescope's results.json for a graded submission; `causes` and `crashes` (causes.link) lead its output."""
    tests = []
    for title, entry in checks.items():
        outcome = outcomes.get(title)
        passed = bool(outcome and outcome.passed)
        tests.append({
            "name": title, "score": entry.points if passed else 0.0, "max_score": entry.points,
            "status": "passed" if passed else "failed",
            "output": outcome.output if outcome else "not run",
            "visibility": entry.visibility,
        })
    score = sum(t["score"] for t in tests)
    missing = sorted(staged.problems)
    output = _("Score {score}/100 from the hidden graders.").format(score=f"{score:g}")
    if missing:
        output += " " + _("Problems: {problems}.").format(problems="; ".join(staged.problems[m] for m in missing))
    if causes or crashes:
        output = "\n".join([*cause_lines(causes), *crash_lines(crashes), output])
    return {"score": score, "execution_time": round(elapsed, 2), "output": output, "tests": tests,
            "extra_data": {"student_id": staged.student_id, "not_gradable": False, "manifest": staged.manifest,
                           "causes": [dict(c) for c in causes], "crashes": [dict(c) for c in crashes]}}


def not_gradable_results(reason: str, elapsed: float) -> dict:
    """Return results.json for a submission that could not be graded at all (score 0, and why)."""
    return {"score": 0.0, "execution_time": round(elapsed, 2), "output": _("Could not grade this submission: {reason}").format(reason=reason),
            "tests": [], "extra_data": {"not_gradable": True, "reason": reason}}


def infrastructure_error_results(reason: str, elapsed: float) -> dict:
    """not_gradable_results for a failure of the grading machinery, not the submission: no grade, grade again."""
    results = not_gradable_results(reason, elapsed)
    results["extra_data"]["infrastructure_error"] = True
    return results


def leading_lines(results: dict) -> list[str]:
    """What a summary states first: the diagnosed causes, then the crashes stated once."""
    extra = results.get("extra_data", {})
    return cause_lines(extra.get("causes") or []) + crash_lines(extra.get("crashes") or [])


def summary_lines(results: dict) -> list[str]:
    """Readable lines for the terminal: leading_lines, one line per check, then the total."""
    causes = leading_lines(results)
    lines = [f"{'PASS' if t['status'] == 'passed' else 'FAIL'} {t['score']:>4g}/{t['max_score']:<3g} {_(t['name'])}"
             for t in results["tests"]]
    return causes + lines + [results["output"].splitlines()[-1] if results["output"] else ""]
