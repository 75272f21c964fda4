# 1st edition's PyTorch port 3.6 (train_ch3): one backward() for both updaters, but the loss is now
# per example (the exercise's loss has no reduction), and the .sum() went missing.
"""Exercise: the training loop, for one epoch and for many."""

import torch

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)

        # 梯度清零
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()

        l.backward()
        if isinstance(updater, torch.optim.Optimizer):
            updater.step()
        else:
            updater(X.shape[0])

        train_l_sum += l.sum().item()
        train_acc_sum += accuracy(y_hat, y)
        n += y.shape[0]
    return train_l_sum / n, train_acc_sum / n


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):
    history = []
    for epoch in range(num_epochs):
        train_l, train_acc = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        history.append({'epoch': epoch + 1, 'train_loss': train_l, 'train_acc': train_acc, 'val_acc': test_acc})
        if callback:
            callback(history[-1])
    return history
