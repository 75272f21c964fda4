# d2l-zh 3.6 train_epoch_ch3 / train_ch3 with the sums kept in a NumPy array (.detach().numpy()).
"""Exercise: the training loop, for one epoch and for many."""

import numpy as np
import torch

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = np.zeros(3)  # 训练损失总和、训练准确度总和、样本数
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        metric += np.array([l.detach().numpy().sum(), accuracy(y_hat, y), y.shape[0]])
    return metric[0] / metric[2], metric[1] / metric[2]


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):
    history = []
    for epoch in np.arange(1, num_epochs + 1):
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        record = {"epoch": int(epoch), "train_loss": train_loss, "train_acc": train_acc, "val_acc": test_acc}
        history.append(record)
        if callback is not None:
            callback(record)
    return history
