# d2l-zh 2nd edition 3.6 (train_epoch_ch3 / train_ch3), with the history the exercise asks for.
"""Exercise: the training loop, for one epoch and for many."""

import torch

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater):
    # 将模型设置为训练模式
    if isinstance(net, torch.nn.Module):
        net.train()
    # 训练损失总和、训练准确度总和、样本数
    l_sum, acc_sum, n = 0.0, 0.0, 0
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
        l_sum += float(l.sum())
        acc_sum += accuracy(y_hat, y)
        n += y.numel()
    return l_sum / n, acc_sum / n


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):
    history = []
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        record = {"epoch": epoch + 1, "train_loss": train_loss, "train_acc": train_acc, "val_acc": test_acc}
        history.append(record)
        if callback is not None:
            callback(record)
    return history
