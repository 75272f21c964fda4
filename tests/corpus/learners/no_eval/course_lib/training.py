# d2l-en 1.0 (3.4 Trainer.fit_epoch): the loss reduced first, then backward() and step() inside torch.no_grad(),
# as the book does.
"""Exercise: the training loop, for one epoch and for many."""

import torch

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    total_loss, total_correct, num_examples = 0.0, 0.0, 0
    for X, Y in train_iter:
        Y_hat = net(X)
        l = loss(Y_hat, Y)
        if isinstance(updater, torch.optim.Optimizer):
            objective = l.mean()
            updater.zero_grad()
            with torch.no_grad():
                objective.backward()
                updater.step()
        else:
            objective = l.sum()
            with torch.no_grad():
                objective.backward()
                updater(X.shape[0])
        total_loss += l.sum().item()
        total_correct += accuracy(Y_hat, Y)
        num_examples += Y.numel()
    return total_loss / num_examples, total_correct / num_examples


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):
    history = []
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        record = dict(epoch=epoch + 1, train_loss=train_loss, train_acc=train_acc,
                      val_acc=evaluate_accuracy(net, test_iter))
        history.append(record)
        if callback:
            callback(record)
    return history
