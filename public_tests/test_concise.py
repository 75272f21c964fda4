"""Public checks for course_lib/concise.py."""

import torch

from course_tools.grading.affine import weight_and_bias
from course_tools.grading.checks import check, expect, expect_close

X = torch.rand(2, 1, 28, 28, generator=torch.Generator().manual_seed(0))


def _concise(student):
    logits, y = torch.randn(3, 10), torch.tensor([0, 4, 9])
    return student.run("concise", "concise", seed=0, X=X, logits=logits, labels=y, lr=0.3)


@check("build_model: layers and output shape", hint="nn.Sequential(nn.Flatten(), nn.Linear(784, 10)).")
def test_build_model(student):
    # by behaviour: any flatten then one Linear(784, 10) gives these logits (layer names do not matter)
    got = _concise(student)
    W, b = weight_and_bias(got["parameters"])
    expect_close(got["output"], X.reshape(2, -1) @ W.T + b, "the output on X of shape (2, 1, 28, 28): X flattened @ weight.T + bias")


@check("build_loss: per-example losses", hint='nn.CrossEntropyLoss(reduction="none").')
def test_build_loss(student):
    got = _concise(student)
    expect(tuple(got["loss_values"].shape) == (3,), f"the loss has shape {tuple(got['loss_values'].shape)}, expected (3,)")


@check("build_optimizer: SGD with the given lr", hint="torch.optim.SGD(model.parameters(), lr=lr).")
def test_build_optimizer(student):
    got = _concise(student)
    expect(got["optimizer_type"] == "SGD" and got["lr"] == [0.3], f"{got['optimizer_type']} with lr {got['lr']}, expected SGD with lr [0.3]")
