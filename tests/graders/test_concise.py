"""Hidden graders for course_lib/concise.py."""

import torch
import torch.nn.functional as F

from course_tools.grading.affine import weight_and_bias
from course_tools.grading.checks import check, expect, expect_close


def _describe(student, seed, gen):
    X = torch.randn(3, 1, 28, 28, generator=gen)
    logits, y = torch.randn(4, 10, generator=gen), torch.randint(0, 10, (4,), generator=gen)
    return X, logits, y, student.run("concise", "concise", seed=seed, X=X, logits=logits, labels=y, lr=0.07)


NO_SOFTMAX = "No softmax layer: build_model returns logits, and nn.CrossEntropyLoss applies log-softmax itself."
ZERO_BIAS = "Set the bias to zero with nn.init.zeros_(bias) (or constant_(bias, 0)): nn.Linear starts it uniform, not zero."
NORMAL = "Draw the weight from N(0, 0.01²): nn.init.normal_(weight, std=0.01)."


@check("build_model: Flatten then Linear(784, 10), N(0, 0.01²) weights, zero bias", hint="nn.Sequential(nn.Flatten(), nn.Linear(784, 10)); then nn.init.normal_(weight, std=0.01) and nn.init.zeros_(bias). No softmax layer: the loss takes logits.")
def test_model(student, seed, gen):
    # judged by behaviour, not layer names: any flatten (nn.Flatten, a hand-written FlattenLayer, a
    # reshape in forward) passes when the output is X flattened times the weight plus the bias
    X, _, _, got = _describe(student, seed, gen)
    W, b = weight_and_bias(got["parameters"])
    logits = X.reshape(3, -1) @ W.T + b  # oracle: the affine map of its own parameters, computed here
    expect_close(got["output"], logits, "model output (logits) on X of shape (3, 1, 28, 28)",
                 diagnoses=[(NO_SOFTMAX, torch.softmax(logits, dim=1)), (NO_SOFTMAX, torch.log_softmax(logits, dim=1))])
    expect(abs(W.mean().item()) < 2e-3 and abs(W.std().item() - 0.01) < 1.5e-3,
           f"weight mean {W.mean().item():.4f}, std {W.std().item():.4f}; expected 0 and 0.01", NORMAL)
    expect(not b.any(), f"the bias is not zero (mean {b.mean().item():.4f}, max |b| {b.abs().max().item():.4f})", ZERO_BIAS)


@check("build_loss: per-example cross-entropy from logits", hint='nn.CrossEntropyLoss(reduction="none"): per-example losses, since train_epoch takes their mean or sum itself.')
def test_loss(student, seed, gen):
    _, logits, y, got = _describe(student, seed, gen)
    expected = F.cross_entropy(logits, y, reduction="none")  # oracle: PyTorch
    expect_close(got["loss_values"], expected, "build_loss()(logits, y)",
                 diagnoses=[('Pass reduction="none": the default averages the losses.', expected.mean())])


@check("build_optimizer: SGD over all parameters with the given lr", hint="torch.optim.SGD(model.parameters(), lr=lr), using the lr argument.")
def test_optimizer(student, seed, gen):
    *_, got = _describe(student, seed, gen)
    expect(got["optimizer_type"] == "SGD", f"optimizer is {got['optimizer_type']}, expected SGD")
    expect(got["lr"] == [0.07], f"learning rates {got['lr']}, expected [0.07] (from the lr argument)")
    expect(got["covers_all_parameters"], "the optimizer does not cover exactly the model's parameters")
