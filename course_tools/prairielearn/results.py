"""Our results (grading_results.GradingResults) in PrairieLearn's results.json format.

PrairieLearn's docs/externalGrading.md ("Grading results"): `score` in [0, 1]; `gradable: false` (with
`format_errors`) for a submission that cannot be graded, which costs the student no attempt; `tests[]`
with `name`, `points`, `max_points`, `message`, `output` (all of them on every test, or PrairieLearn
shows no per-test points); the file at most 1 MB.
"""

from __future__ import annotations

import json

from ..grading_results import GradingResults
from ..i18n import N_, _

MAX_BYTES = 1_000_000
MAX_TEST_OUTPUT = 4_000
MAX_OUTPUT = 20_000
GRADER_TROUBLE = N_("The grader could not grade this submission; this is not your fault and costs you no attempt. "
                    "Submit again, and tell your instructor if it happens again.")


def _clip(text: str, limit: int) -> str:
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 20] + "\n... " + _("(cut short)")


def to_prairielearn(results: GradingResults) -> dict:
    """PrairieLearn's results for our `results`: gradable with a 0-1 score and tests, or gradable false with why."""
    if results.infrastructure_error:
        return {"gradable": False, "score": 0.0, "message": _(GRADER_TROUBLE), "output": _clip(results.output, MAX_OUTPUT)}
    if results.not_gradable:
        reason = results.reason or results.output or "the upload cannot be graded"
        return {"gradable": False, "format_errors": [_clip(reason, MAX_TEST_OUTPUT)],
                "message": _("Upload the zip from `course submit`, or your course_lib/<module>.py files.")}
    tests = [{"name": t.name, "points": t.score, "max_points": t.max_score,
              "message": _("passed") if t.passed else (_("not run") if t.not_run else _("failed")),
              "output": _clip(t.output, MAX_TEST_OUTPUT)} for t in results.tests]
    total = results.max_score
    converted = {"gradable": True, "score": round(max(0.0, min(1.0, results.final_score / total)), 6) if total else 0.0,
                 "message": _clip(results.output, MAX_TEST_OUTPUT), "tests": tests}
    if len(json.dumps(converted)) > MAX_BYTES:  # 39 checks never get here; a flood of output must not lose the grade
        for test in tests:
            test["output"] = _clip(test["output"], 200)
    return converted
