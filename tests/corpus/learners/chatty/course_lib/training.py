# d2l-zh 2nd edition 3.6 with the Animator replaced by prints: every 50 batches and every epoch.
"""Exercise: the training loop, for one epoch and for many."""

import sys

import torch

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    l_sum, acc_sum, n = 0.0, 0.0, 0
    for i, (X, y) in enumerate(train_iter):
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        l_sum += float(l.sum())
        acc_sum += accuracy(y_hat, y)
        n += y.numel()
        if i % 50 == 0:
            print(f"  batch {i}: loss {l_sum / n:.4f}, acc {acc_sum / n:.3f}")
    return l_sum / n, acc_sum / n


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):
    history = []
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        print(f'epoch {epoch + 1}, loss {train_loss:.4f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}')
        print(f'epoch {epoch + 1} done', file=sys.stderr, flush=True)
        record = {'epoch': epoch + 1, 'train_loss': train_loss, 'train_acc': train_acc, 'val_acc': test_acc}
        history.append(record)
        if callback is not None:
            callback(record)
    print(history)
    return history
