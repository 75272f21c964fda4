"""Public checks for course_lib/losses.py."""

import torch
import torch.nn.functional as F

from course_tools.judge.checks import check, expect_close
from course_tools.i18n import N_


@check("cross_entropy: docstring example", hint=N_("Pick y_hat[i, y[i]] for every i at once, then -log: a tensor of shape (n,)."))
def test_cross_entropy_example(student):
    y_hat, y = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]), torch.tensor([0, 2])
    expect_close(student.call("losses", "cross_entropy", y_hat, y), -torch.log(torch.tensor([0.1, 0.5])), "cross_entropy")


@check("cross_entropy_from_logits: small example against PyTorch", hint=N_("Use log_softmax(logits), then pick the true class's entry and negate it."))
def test_from_logits_example(student):
    logits, y = torch.tensor([[2.0, -1.0, 0.5], [0.0, 3.0, 1.0]]), torch.tensor([2, 1])
    expected = F.cross_entropy(logits, y, reduction="none")  # oracle: PyTorch
    expect_close(student.call("losses", "cross_entropy_from_logits", logits, y), expected, "cross_entropy_from_logits")
