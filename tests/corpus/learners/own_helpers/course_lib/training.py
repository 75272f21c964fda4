# d2l-en 3.6 train_epoch_ch3 / train_ch3, split into helpers of the learner's own.
"""Exercise: the training loop, for one epoch and for many."""

import torch

from .metrics import Tally, accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def uses_torch_optimizer(updater):
    return isinstance(updater, torch.optim.Optimizer)


def step(updater, l, batch_size):
    if uses_torch_optimizer(updater):
        # Using PyTorch in-built optimizer & loss criterion
        updater.zero_grad()
        l.mean().backward()
        updater.step()
    else:
        # Using custom built optimizer & loss criterion
        l.sum().backward()
        updater(batch_size)


def train_epoch(net, train_iter, loss, updater):
    """The training loop defined in Chapter 3."""
    if isinstance(net, torch.nn.Module):
        net.train()
    tally = Tally(3)  # Sum of training loss, sum of training accuracy, no. of examples
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        step(updater, l, X.shape[0])
        tally.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return tally.ratio(0, 2), tally.ratio(1, 2)


def make_record(epoch, train_metrics, test_acc):
    train_loss, train_acc = train_metrics
    return dict(epoch=epoch, train_loss=train_loss, train_acc=train_acc, val_acc=test_acc)


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):
    """Train a model (defined in Chapter 3)."""
    history = []
    for epoch in range(1, num_epochs + 1):
        train_metrics = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        history.append(make_record(epoch, train_metrics, test_acc))
        if callback is not None:
            callback(history[-1])
    return history
