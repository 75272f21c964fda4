"""Nets, losses and updaters that the accuracy and training probes hand to student code.

They keep no logs: everything a check grades about *how* the student's code works (train/eval
mode, gradient tracking, gradient zeroing, when the callback runs) changes the values they give
back (scores, trained weights, an error), and the judge compares those values with the reference
run on the same objects on the trusted side. The same functions run in the worker around the
student's code and in the judge around the reference.
"""

from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F

GRAD_ON = ("this net was called with gradient tracking on; evaluation must not track gradients "
           "(torch.no_grad() or torch.inference_mode())")


def _no_grad_tripwire(counter: torch.Tensor, X: torch.Tensor) -> None:
    """Count X's rows in `counter`, a leaf that requires grad: torch itself refuses that in-place
    update while gradients are tracked, so the verdict rests on torch's grad mode, not on a flag."""
    try:
        counter.add_(X.shape[0])
    except RuntimeError:
        raise RuntimeError(GRAD_ON) from None


class NoGradIdentity(nn.Module):
    """(B, q) -> the same tensor, but only with gradient tracking off; raises RuntimeError(GRAD_ON) otherwise."""

    def __init__(self):
        super().__init__()
        self.seen = nn.Parameter(torch.zeros((), dtype=torch.float64))

    def forward(self, X):
        _no_grad_tripwire(self.seen, X)
        return X


def evaluation_net(running_mean: torch.Tensor, running_var: torch.Tensor) -> nn.Module:
    """(B, q) scores -> (B, q): BatchNorm1d with these running statistics, then NoGradIdentity; in train mode.

    Its scores are right only in eval mode (train mode normalises by each batch's own statistics)
    and with gradient tracking off: what evaluate_accuracy must arrange for any nn.Module.
    """
    norm = nn.BatchNorm1d(running_mean.shape[0], affine=False, dtype=running_mean.dtype)
    norm.running_mean.copy_(running_mean)
    norm.running_var.copy_(running_var)
    return nn.Sequential(norm, NoGradIdentity())  # new modules start in train mode: no call to a patchable train()


def evaluation_function():
    """A plain function X (B, q) -> X that raises RuntimeError(GRAD_ON) when called with gradient tracking on."""
    seen = torch.zeros((), dtype=torch.float64, requires_grad=True)

    def scores(X):
        _no_grad_tripwire(seen, X)
        return X

    return scores


def scorer(kind: str, running_mean=None, running_var=None):
    """The net handed to evaluate_accuracy: 'identity' (nn.Identity), 'evaluation' (evaluation_net) or 'function'."""
    if kind == "identity":
        return nn.Identity()
    if kind == "evaluation":
        return evaluation_net(running_mean, running_var)
    if kind == "function":
        return evaluation_function()
    raise ValueError(f"unknown scorer {kind!r}")


def linear(weight: torch.Tensor, bias: torch.Tensor) -> nn.Linear:
    """nn.Linear (in, out) holding copies of weight (out, in) and bias (out,)."""
    lin = nn.Linear(weight.shape[1], weight.shape[0], dtype=weight.dtype)
    with torch.no_grad():
        lin.weight.copy_(weight)
        lin.bias.copy_(bias)
    return lin


def per_example_loss(y_hat, y):
    """The loss given to train_epoch: per-example cross-entropy from logits, shape (B,)."""
    return F.cross_entropy(y_hat, y, reduction="none")


def summed_under_optimizer(y_hat, y):
    """per_example_loss with the same values but gradients times the batch size: under an optimizer,
    train_epoch's loss.mean().backward() then steps as loss.sum().backward() would (a diagnosis oracle)."""
    losses = per_example_loss(y_hat, y)
    scale = y.shape[0]
    return losses * scale - (scale - 1) * losses.detach()


def function_updater(net: nn.Module, lr: float):
    """A d2l-style updater(batch_size): p -= lr * p.grad / batch_size, then zero the gradients."""

    def updater(batch_size):
        with torch.no_grad():
            for p in net.parameters():
                if p.grad is not None:
                    p -= lr * p.grad / batch_size
                    p.grad.zero_()

    return updater


def run_train_epoch(train_epoch, weight, bias, batches, kind: str, lr: float, *, batchnorm: bool = False,
                    loss=per_example_loss) -> dict:
    """Run `train_epoch` on linear(weight, bias) with an updater of `kind` ('optimizer' or 'function').

    With batchnorm=True the net is BatchNorm1d (no affine part) then that Linear, handed over in
    eval mode: the trained weights are the reference's only if train_epoch switches it to train mode.
    Returns the result and the Linear's weight and bias after the epoch.
    """
    lin = linear(weight, bias)
    net = lin
    if batchnorm:
        norm = nn.BatchNorm1d(weight.shape[1], affine=False, dtype=weight.dtype)
        net = nn.Sequential(norm, lin)
        for module in (net, norm, lin):  # eval mode, set rather than by net.eval(): a patched nn.Module.train must not decide it
            module.training = False
    updater = torch.optim.SGD(net.parameters(), lr=lr) if kind == "optimizer" else function_updater(net, lr)
    result = train_epoch(net, batches, loss, updater)
    return {"result": result, "weight": lin.weight.detach(), "bias": lin.bias.detach()}


def run_train(train, weight, bias, batches, val_batches, epochs: int, lr: float, loss=per_example_loss) -> dict:
    """Run `train` for `epochs` on linear(weight, bias) with torch.optim.SGD.

    Returns the history, the final weight, and per callback call [record, the weight at that
    moment]: a callback run after epoch k sees the weights after epoch k, whenever else it runs.
    """
    net = linear(weight, bias)
    calls = []

    def callback(record):
        calls.append([record, net.weight.detach().clone()])

    history = train(net, batches, val_batches, loss, epochs, torch.optim.SGD(net.parameters(), lr=lr),
                    callback=callback, progress=False)
    return {"history": history, "calls": calls, "weight": net.weight.detach()}


def fit_scratch(lib, seed, images, labels, epochs, lr, batch_size, batches_type) -> dict:
    """Train lib.model.SoftmaxRegression with lib's cross_entropy, sgd and train; return W, b, history.

    `lib` has attributes model, losses, optim, training (the student's or the reference's).
    A slice of the training data serves as train()'s val_iter: test labels never reach it.
    """
    torch.manual_seed(seed)
    net = lib.model.SoftmaxRegression(784, 10)
    train_iter = batches_type(images, labels, batch_size, shuffle=True)
    holdout = batches_type(images[-256:], labels[-256:], batch_size)
    history = lib.training.train(net, train_iter, holdout, lib.losses.cross_entropy, epochs,
                                 lambda bs: lib.optim.sgd(net.params, lr, bs), progress=False)
    return {"W": net.W.detach(), "b": net.b.detach(), "history": history}


def fit_concise(lib, seed, images, labels, epochs, lr, batch_size, batches_type) -> dict:
    """Train lib.concise's model, loss and optimiser with lib.training.train; return its parameters."""
    torch.manual_seed(seed)
    model = lib.concise.build_model()
    train_iter = batches_type(images, labels, batch_size, shuffle=True)
    holdout = batches_type(images[-256:], labels[-256:], batch_size)
    history = lib.training.train(model, train_iter, holdout, lib.concise.build_loss(), epochs,
                                 lib.concise.build_optimizer(model, lr=lr), progress=False)
    # every parameter: the judge finds the weight and bias by shape (affine.py), whatever the layers are called
    return {"parameters": [[name, p.detach()] for name, p in model.named_parameters()], "history": history}
