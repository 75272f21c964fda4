"""Public checks for course_lib/optim.py."""

import torch

from course_tools.judge.checks import check, expect_close
from course_tools.i18n import N_, _


@check("sgd: docstring example", hint=N_("Inside torch.no_grad(): p -= lr * p.grad / batch_size, then p.grad.zero_() "
                                         "(or p.grad = None)."))
def test_sgd_example(student):
    got = student.run("sgd", "optim", params=[torch.ones(2)], grads=[torch.full((2,), 4.0)], lr=0.5, batch_size=2)
    expect_close(got["params"][0], torch.zeros(2), _("w after sgd"))
    if got["grads"][0] is not None:  # cleared (None), as torch.optim does, counts as zeroed
        expect_close(got["grads"][0], torch.zeros(2), _("w.grad after sgd"))
