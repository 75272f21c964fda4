"""Public checks for course_lib/concise.py."""

import torch

from course_tools.judge.affine import weight_and_bias
from course_tools.judge.checks import check, expect, expect_close
from course_tools.i18n import N_, _

X = torch.rand(2, 1, 28, 28, generator=torch.Generator().manual_seed(0))


def _concise(student):
    logits, y = torch.randn(3, 10), torch.tensor([0, 4, 9])
    return student.run("concise", "concise", seed=0, X=X, logits=logits, labels=y, lr=0.3)


@check("build_model: layers and output shape", hint=N_("nn.Sequential(nn.Flatten(), nn.Linear(784, 10))."))
def test_build_model(student):
    # by behaviour: any flatten then one Linear(784, 10) gives these logits (layer names do not matter)
    got = _concise(student)
    W, b = weight_and_bias(got["parameters"])
    expect_close(got["output"], X.reshape(2, -1) @ W.T + b,
                 _("the output on X of shape (2, 1, 28, 28): X flattened @ weight.T + bias"))


@check("build_loss: per-example losses", hint=N_('nn.CrossEntropyLoss(reduction="none").'))
def test_build_loss(student):
    got = _concise(student)
    expect(tuple(got["loss_values"].shape) == (3,),
           _("the loss has shape {shape}, expected (3,)").format(shape=tuple(got["loss_values"].shape)))


@check("build_optimizer: SGD with the given lr", hint=N_("torch.optim.SGD(model.parameters(), lr=lr)."))
def test_build_optimizer(student):
    got = _concise(student)
    expect(got["optimizer_type"] == "SGD" and got["lr"] == [0.3],
           _("{optimizer} with lr {lr}, expected SGD with lr [0.3]").format(optimizer=got["optimizer_type"], lr=got["lr"]))
