"""Is one diagnosed root cause reported once, in full at its home check and as one line elsewhere?"""

from course_tools.judge.causes import Cause, link, summary_lines
from course_tools.judge.crash import Stopped
from course_tools.judge.checks import Mistake, expect, expect_close
from course_tools.judge.outcome import Outcome

import pytest
import torch

COLUMN = Cause("column", "cross_entropy: values and shape (n,)", "your cross_entropy returns shape (n, 1)", "Return shape (n,).")


def outcome(passed, output="", cause=None, crash=None):
    return Outcome(passed, output, cause, crash)


def test_other_checks_point_at_the_home_check():
    """Do checks that diagnosed the home's cause say 'same cause as', while the home keeps its full feedback?"""
    outcomes = {COLUMN.home: outcome(False, "full", COLUMN), "cross_entropy: gradient": outcome(False, "wrong hint", COLUMN),
                "cross_entropy: vectorised": outcome(True)}
    causes, crashes = link(outcomes, {})
    assert outcomes[COLUMN.home].output == "full" and crashes == []
    assert outcomes["cross_entropy: gradient"].output == \
        "same cause as 'cross_entropy: values and shape (n,)': your cross_entropy returns shape (n, 1)"
    assert causes[0]["checks"] == [COLUMN.home, "cross_entropy: gradient"]
    assert summary_lines(causes)[1].startswith("- your cross_entropy returns shape (n, 1) (2 checks).")


def test_a_cause_its_home_did_not_confirm_keeps_each_checks_own_feedback():
    """When the home check passed (or failed otherwise), is no check pointed at it?"""
    outcomes = {COLUMN.home: outcome(True), "cross_entropy: gradient": outcome(False, "own", COLUMN)}
    assert link(outcomes, {}) == ([], []) and outcomes["cross_entropy: gradient"].output == "own"


def test_an_end_to_end_check_names_the_failing_checks_it_builds_on():
    """Does a failed end-to-end check without a crash name the failing unit checks of its modules (and only those)?"""
    outcomes = {"sgd: update rule": outcome(False, "x"), "softmax: rows sum to one": outcome(False, "y"),
                "build_loss: per-example cross-entropy from logits": outcome(False, "z"),
                "train: from-scratch pipeline reaches the reference's held-out accuracy": outcome(False, "Hint: generic")}
    link(outcomes, {"train: from-scratch pipeline reaches the reference's held-out accuracy": ("softmax", "optim")})
    text = outcomes["train: from-scratch pipeline reaches the reference's held-out accuracy"].output
    assert "'sgd: update rule'" in text and "'softmax: rows sum to one'" in text and "build_loss" not in text


def test_a_crashed_end_to_end_check_keeps_its_crash():
    """Does an end-to-end check that crashed (alone) keep its own crash rather than point at other checks?"""
    outcomes = {"sgd: update rule": outcome(False, "x"), "train: e2e": outcome(False, "your code raised X", crash=Stopped("hung"))}
    link(outcomes, {"train: e2e": ("optim",)})
    assert outcomes["train: e2e"].output == "your code raised X"


def test_diagnoses_carry_their_cause():
    """Does a diagnosis given as a Cause put the cause and its hint on the Mistake (expect_close and expect)?"""
    expected = torch.tensor([1.0, 2.0])
    with pytest.raises(Mistake) as info:
        expect_close(expected[:, None], expected, "ce", diagnoses=[(COLUMN, expected[:, None])])
    assert info.value.cause is COLUMN and info.value.hint == "Return shape (n,)."
    with pytest.raises(Mistake) as info:
        expect(False, "detail", COLUMN)
    assert info.value.cause is COLUMN
