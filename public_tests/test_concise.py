"""Public checks for course_lib/concise.py."""

import torch

from course_tools.grading.checks import check, expect


def _concise(student):
    X, logits, y = torch.rand(2, 1, 28, 28), torch.randn(3, 10), torch.tensor([0, 4, 9])
    return student.run("concise", "concise", seed=0, X=X, logits=logits, labels=y, lr=0.3)


@check("build_model: layers and output shape", hint="nn.Sequential(nn.Flatten(), nn.Linear(784, 10)).")
def test_build_model(student):
    got = _concise(student)
    expect(got["layers"] == ["Flatten", "Linear"] and tuple(got["output"].shape) == (2, 10),
           f"layers {got['layers']}, output shape {tuple(got['output'].shape)}; expected Flatten, Linear and (2, 10)")


@check("build_loss: per-example losses", hint='nn.CrossEntropyLoss(reduction="none").')
def test_build_loss(student):
    got = _concise(student)
    expect(tuple(got["loss_values"].shape) == (3,), f"the loss has shape {tuple(got['loss_values'].shape)}, expected (3,)")


@check("build_optimizer: SGD with the given lr", hint="torch.optim.SGD(model.parameters(), lr=lr).")
def test_build_optimizer(student):
    got = _concise(student)
    expect(got["optimizer_type"] == "SGD" and got["lr"] == [0.3], f"{got['optimizer_type']} with lr {got['lr']}, expected SGD with lr [0.3]")
