"""Public checks for course_lib/softmax.py: the docstring's examples and basic shape rules."""

import torch
import torch.nn.functional as F

from course_tools.judge.checks import check, expect_close
from course_tools.i18n import N_, _


@check("softmax: docstring example", hint=N_("Subtract the row max, exponentiate, divide by the sum over the last dimension."))
def test_softmax_example(student):
    X = torch.tensor([[0.0, 0.0], [1e4, 0.0]])
    expect_close(student.call("softmax", "softmax", X), torch.tensor([[0.5, 0.5], [1.0, 0.0]]), "softmax([[0, 0], [1e4, 0]])")


@check("softmax: shape kept and rows sum to one", hint=N_("Normalise over the last dimension: sum(dim=-1, keepdim=True)."))
def test_softmax_rows(student):
    X = torch.arange(24, dtype=torch.float64).reshape(2, 3, 4) / 7
    expect_close(student.call("softmax", "softmax", X), F.softmax(X, dim=-1), _("softmax of a (2, 3, 4) tensor"))  # oracle: PyTorch


@check("log_softmax: docstring example", hint=N_("log_softmax(X) = X - m - log(sum(exp(X - m))), m the row max."))
def test_log_softmax_example(student):
    X = torch.tensor([0.0, 0.0])
    expect_close(student.call("softmax", "log_softmax", X), torch.log(torch.tensor([0.5, 0.5])), "log_softmax([0, 0])")
