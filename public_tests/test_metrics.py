"""Public checks for course_lib/metrics.py."""

import torch

from course_tools.judge.checks import check, expect
from course_tools.i18n import N_, _


@check("accuracy: docstring example", hint=N_("Take argmax along dim 1, compare with y, and return the count as a Python float."))
def test_accuracy_example(student):
    got = student.call("metrics", "accuracy", torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), torch.tensor([1, 1, 1]))
    expect(type(got) is float and got == 2.0, _("accuracy returned {got}, expected 2.0 (a float count)").format(got=repr(got)))


@check("evaluate_accuracy: docstring example", hint=N_("Sum the correct predictions and the number of examples over all batches, then divide."))
def test_evaluate_accuracy_example(student):
    batches = [(torch.eye(2), torch.tensor([0, 0])), (torch.eye(2)[:1], torch.tensor([0]))]
    got = student.run("evaluate_accuracy", "metrics", batches=batches, net="identity")["result"]
    expect(got == 2 / 3, _("evaluate_accuracy returned {got}, expected {expected} (2 of 3 examples)").format(
        got=repr(got), expected=f"{2 / 3:.4f}"))
