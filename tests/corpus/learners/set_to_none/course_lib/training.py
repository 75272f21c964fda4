# zero_grad(set_to_none=True), sums kept as tensors, and tqdm's trange for the epochs.
"""Exercise: the training loop, for one epoch and for many."""

import torch
from torch import nn
from tqdm.auto import trange

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater) -> tuple:
    if isinstance(net, nn.Module):
        net.train()
    loss_total, correct, seen = torch.zeros((), dtype=torch.float64), 0.0, 0
    for X, y in train_iter:
        y_hat = net(X)
        losses = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad(set_to_none=True)
            losses.mean().backward()
            updater.step()
        else:
            losses.sum().backward()
            updater(len(y))
        loss_total += losses.detach().sum()
        correct += accuracy(y_hat.detach(), y)
        seen += len(y)
    return loss_total.item() / seen, correct / seen


def train(net, train_iter, test_iter, loss, num_epochs: int, updater, *, callback=None, progress: bool = True) -> list:
    history = []
    epochs = trange(1, num_epochs + 1, desc="training", disable=not progress)
    for epoch in epochs:
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        history.append({"epoch": epoch, "train_loss": train_loss, "train_acc": train_acc,
                        "val_acc": evaluate_accuracy(net, test_iter)})
        epochs.set_postfix(loss=round(train_loss, 3), test_acc=round(history[-1]["val_acc"], 3))
        if callback:
            callback(history[-1])
    return history
