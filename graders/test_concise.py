"""Hidden graders for course_lib/concise.py."""

import torch
import torch.nn.functional as F

from course_tools.judge.affine import weight_and_bias
from course_tools.judge.checks import check, expect, expect_close
from course_tools.i18n import N_, _


def _describe(student, seed, gen):
    X = torch.randn(3, 1, 28, 28, generator=gen)
    logits, y = torch.randn(4, 10, generator=gen), torch.randint(0, 10, (4,), generator=gen)
    return X, logits, y, student.run("concise", "concise", seed=seed, X=X, logits=logits, labels=y, lr=0.07)


NO_SOFTMAX = N_("No softmax layer: build_model returns logits, and nn.CrossEntropyLoss applies log-softmax itself.")
ZERO_BIAS = N_("Set the bias to zero with nn.init.zeros_(bias) (or constant_(bias, 0)): nn.Linear starts it uniform, not zero.")
NORMAL = N_("Draw the weight from N(0, 0.01²): nn.init.normal_(weight, std=0.01).")


@check("build_model: Flatten then Linear(784, 10), N(0, 0.01²) weights, zero bias", hint=N_("nn.Sequential(nn.Flatten(), nn.Linear(784, 10)); then nn.init.normal_(weight, std=0.01) and nn.init.zeros_(bias). No softmax layer: the loss takes logits."))
def test_model(student, seed, gen):
    # judged by behaviour, not layer names: any flatten (nn.Flatten, a hand-written FlattenLayer, a
    # reshape in forward) passes when the output is X flattened times the weight plus the bias
    X, _logits, _labels, got = _describe(student, seed, gen)
    W, b = weight_and_bias(got["parameters"])
    logits = X.reshape(3, -1) @ W.T + b  # oracle: the affine map of its own parameters, computed here
    expect_close(got["output"], logits, _("model output (logits) on X of shape (3, 1, 28, 28)"),
                 diagnoses=[(NO_SOFTMAX, torch.softmax(logits, dim=1)), (NO_SOFTMAX, torch.log_softmax(logits, dim=1))])
    expect(abs(W.mean().item()) < 2e-3 and abs(W.std().item() - 0.01) < 1.5e-3,
           _("weight mean {mean}, std {std}; expected 0 and 0.01").format(mean=f"{W.mean().item():.4f}", std=f"{W.std().item():.4f}"),
           NORMAL)
    expect(not b.any(), _("the bias is not zero (mean {mean}, max |b| {largest})").format(
        mean=f"{b.mean().item():.4f}", largest=f"{b.abs().max().item():.4f}"), ZERO_BIAS)


@check("build_loss: per-example cross-entropy from logits", hint=N_('nn.CrossEntropyLoss(reduction="none"): per-example losses, since train_epoch takes their mean or sum itself.'))
def test_loss(student, seed, gen):
    _X, logits, y, got = _describe(student, seed, gen)
    expected = F.cross_entropy(logits, y, reduction="none")  # oracle: PyTorch
    expect_close(got["loss_values"], expected, "build_loss()(logits, y)",
                 diagnoses=[(N_('Pass reduction="none": the default averages the losses.'), expected.mean())])


@check("build_optimizer: SGD over all parameters with the given lr", hint=N_("torch.optim.SGD(model.parameters(), lr=lr), using the lr argument."))
def test_optimizer(student, seed, gen):
    *_inputs, got = _describe(student, seed, gen)
    expect(got["optimizer_type"] == "SGD", _("optimizer is {optimizer}, expected SGD").format(optimizer=got["optimizer_type"]))
    expect(got["lr"] == [0.07], _("learning rates {lr}, expected [0.07] (from the lr argument)").format(lr=got["lr"]))
    expect(got["covers_all_parameters"], _("the optimizer does not cover exactly the model's parameters"))
