"""Instrumented nets, losses and updaters that the training probes hand to student code.

The same classes run on the trusted side around the reference, so that the judge compares the
student's event log and weights with the reference's, event by event.
"""

from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F


class RecordingLinear(nn.Module):
    """nn.Linear from given weights; logs the train/eval mode and grad state at every forward."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor):
        super().__init__()
        self.lin = nn.Linear(weight.shape[1], weight.shape[0], dtype=weight.dtype)
        with torch.no_grad():
            self.lin.weight.copy_(weight)
            self.lin.bias.copy_(bias)
        self.events: list = []

    def forward(self, X):
        self.events.append(["forward", bool(self.training), bool(torch.is_grad_enabled()), int(X.shape[0])])
        return self.lin(X.reshape(X.shape[0], -1))


def per_example_loss(y_hat, y):
    """The loss given to train_epoch: per-example cross-entropy from logits, shape (B,)."""
    return F.cross_entropy(y_hat, y, reduction="none")


class RecordingSGD(torch.optim.SGD):
    """torch.optim.SGD that logs zero_grad and step calls, with the gradient seen at each step."""

    def __init__(self, params, lr, events):
        super().__init__(params, lr=lr)
        self.events = events

    def zero_grad(self, set_to_none: bool = True):
        self.events.append(["zero_grad"])
        super().zero_grad(set_to_none=set_to_none)

    def step(self, closure=None):
        grads = [p.grad.detach().clone() if p.grad is not None else None for g in self.param_groups for p in g["params"]]
        self.events.append(["step", grads])
        return super().step(closure)


def function_updater(net: RecordingLinear, lr: float, events: list):
    """A d2l-style updater(batch_size): logs the batch size and summed gradient, steps, zeroes."""

    def updater(batch_size):
        params = list(net.parameters())
        events.append(["updater", int(batch_size), [p.grad.detach().clone() if p.grad is not None else None for p in params]])
        with torch.no_grad():
            for p in params:
                if p.grad is not None:
                    p -= lr * p.grad / batch_size
                    p.grad.zero_()

    return updater


def run_train_epoch(train_epoch, weight, bias, batches, kind: str, lr: float) -> dict:
    """Run `train_epoch` on a RecordingLinear with an updater of `kind` ('optimizer' or 'function')."""
    net = RecordingLinear(weight, bias).eval()
    updater = RecordingSGD(net.parameters(), lr, net.events) if kind == "optimizer" else function_updater(net, lr, net.events)
    result = train_epoch(net, batches, per_example_loss, updater)
    return {"result": result, "weight": net.lin.weight.detach(), "bias": net.lin.bias.detach(), "events": net.events}


def run_train(train, weight, bias, batches, test_batches, epochs: int, lr: float) -> dict:
    """Run `train` for `epochs` with an optimizer updater; returns history and callback records."""
    net = RecordingLinear(weight, bias)
    calls = []
    history = train(net, batches, test_batches, per_example_loss, epochs,
                    RecordingSGD(net.parameters(), lr, net.events), callback=calls.append, progress=False)
    return {"history": history, "calls": calls, "weight": net.lin.weight.detach(), "modes": net.events}


def fit_scratch(lib, seed, images, labels, epochs, lr, batch_size, batches_type) -> dict:
    """Train lib.model.SoftmaxRegression with lib's cross_entropy, sgd and train; return W, b, history.

    `lib` has attributes model, losses, optim, training (the student's or the reference's).
    A slice of the training data serves as train()'s test_iter: test labels never reach it.
    """
    torch.manual_seed(seed)
    net = lib.model.SoftmaxRegression(784, 10)
    train_iter = batches_type(images, labels, batch_size, shuffle=True)
    holdout = batches_type(images[-256:], labels[-256:], batch_size)
    history = lib.training.train(net, train_iter, holdout, lib.losses.cross_entropy, epochs,
                                 lambda bs: lib.optim.sgd(net.params, lr, bs), progress=False)
    return {"W": net.W.detach(), "b": net.b.detach(), "history": history}


def fit_concise(lib, seed, images, labels, epochs, lr, batch_size, batches_type) -> dict:
    """Train lib.concise's model, loss and optimiser with lib.training.train; return its Linear."""
    torch.manual_seed(seed)
    model = lib.concise.build_model()
    train_iter = batches_type(images, labels, batch_size, shuffle=True)
    holdout = batches_type(images[-256:], labels[-256:], batch_size)
    history = lib.training.train(model, train_iter, holdout, lib.concise.build_loss(), epochs,
                                 lib.concise.build_optimizer(model, lr=lr), progress=False)
    linear = [m for m in model.modules() if isinstance(m, nn.Linear)][0]
    return {"weight": linear.weight.detach(), "bias": linear.bias.detach(), "history": history}
