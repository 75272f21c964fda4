"""Exercise: the training loop, for one epoch and for many."""

import torch
from torch import nn
from tqdm.auto import tqdm

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "exercises/training.md"


def train_epoch(net, train_iter, loss, updater) -> tuple:
    """Train `net` for one pass over `train_iter`; return (mean_loss_per_example, train_accuracy).

    loss(y_hat, y) returns per-example losses of shape (B,). If `updater` is a
    torch.optim.Optimizer: zero_grad(), loss.mean().backward(), step(). Otherwise `updater` is a
    function of the batch size: loss.sum().backward(), then updater(B) with B this batch's size.
    An nn.Module is put in train mode. Both results are averaged over examples, not batches.
    """
    ### BEGIN SOLUTION
    if isinstance(net, nn.Module):
        net.train()
    total_loss, total_correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X)
        losses = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            losses.mean().backward()
            updater.step()
        else:
            losses.sum().backward()
            updater(X.shape[0])
        total_loss += float(losses.detach().sum())
        total_correct += accuracy(y_hat.detach(), y)
        total += y.numel()
    return total_loss / total, total_correct / total
    ### END SOLUTION


def train(net, train_iter, val_iter, loss, num_epochs: int, updater, *, callback=None, progress: bool = True) -> list:
    """Train for `num_epochs` epochs; return the history, one record per epoch.

    Each record is a dict {"epoch": 1-based int, "train_loss": float, "train_acc": float,
    "val_acc": float}: the accuracy on `val_iter`, a validation split (the test set is for the end, once). `callback(record)` is called after each epoch. A tqdm bar shows progress
    unless progress=False.
    """
    ### BEGIN SOLUTION
    history = []
    bar = tqdm(range(1, num_epochs + 1), desc="epochs", disable=not progress)
    for epoch in bar:
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        record = {"epoch": epoch, "train_loss": train_loss, "train_acc": train_acc,
                  "val_acc": evaluate_accuracy(net, val_iter)}
        history.append(record)
        bar.set_postfix(loss=f"{train_loss:.3f}", val_acc=f"{record['val_acc']:.3f}")
        if callback is not None:
            callback(record)
    return history
    ### END SOLUTION
