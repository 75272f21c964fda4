"""Hidden graders for course_lib/concise.py."""

import torch
import torch.nn.functional as F

from course_tools.grading.checks import check, expect, expect_close


def _describe(student, seed, gen):
    X = torch.randn(3, 1, 28, 28, generator=gen)
    logits, y = torch.randn(4, 10, generator=gen), torch.randint(0, 10, (4,), generator=gen)
    return X, logits, y, student.run("concise", "concise", seed=seed, X=X, logits=logits, labels=y, lr=0.07)


@check("build_model: Flatten then Linear(784, 10), N(0, 0.01²) weights, zero bias", hint="nn.Sequential(nn.Flatten(), nn.Linear(784, 10)); then nn.init.normal_(weight, std=0.01) and nn.init.zeros_(bias). No softmax layer: the loss takes logits.")
def test_model(student, seed, gen):
    X, _, _, got = _describe(student, seed, gen)
    expect(got["layers"] == ["Flatten", "Linear"], f"layers {got['layers']}, expected ['Flatten', 'Linear']")
    W, b = got["weight"], got["bias"]
    expect(W.shape == (10, 784) and abs(W.std().item() - 0.01) < 1.5e-3, f"weight shape {tuple(W.shape)}, std {W.std().item():.4f}")
    expect(not b.any(), "the bias is not zero")
    expect_close(got["output"], X.reshape(3, -1) @ W.T + b, "model output (logits)")


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
