# Generated from solutions/course_lib/training.py by `course release`; edit the solution, not this header.
"""Exercise: the training loop, for one epoch and for many."""

import torch
from torch import nn
from tqdm.auto import tqdm

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater) -> tuple:
    """Train `net` for one pass over `train_iter`; return (mean_loss_per_example, train_accuracy).

    loss(y_hat, y) returns per-example losses of shape (B,). If `updater` is a
    torch.optim.Optimizer: zero_grad(), loss.mean().backward(), step(). Otherwise `updater` is a
    function of the batch size: loss.sum().backward(), then updater(B) with B this batch's size.
    An nn.Module is put in train mode. Both results are averaged over examples, not batches.
    """
    # YOUR CODE HERE
    raise NotImplementedError('training.train_epoch is not implemented yet: complete it in course_lib/training.py (lesson: https://softmax-course.github.io/softmax-course/exercises/training/)')


def train(net, train_iter, val_iter, loss, num_epochs: int, updater, *, callback=None, progress: bool = True) -> list:
    """Train for `num_epochs` epochs; return the history, one record per epoch.

    Each record is a dict {"epoch": 1-based int, "train_loss": float, "train_acc": float,
    "val_acc": float}: the accuracy on `val_iter`, a validation split (the test set is for the end, once). `callback(record)` is called after each epoch. A tqdm bar shows progress
    unless progress=False.
    """
    # YOUR CODE HERE
    raise NotImplementedError('training.train is not implemented yet: complete it in course_lib/training.py (lesson: https://softmax-course.github.io/softmax-course/exercises/training/)')
