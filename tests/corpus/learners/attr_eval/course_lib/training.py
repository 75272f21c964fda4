# d2l-zh 2nd edition 3.6 train_epoch_ch3 (isinstance test kept) and train_ch3 with the history.
"""Exercise: the training loop, for one epoch and for many."""

import torch

from .metrics import accuracy, evaluate_accuracy

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/training/"


def train_epoch(net, train_iter, loss, updater):  #@save
    """训练模型一个迭代周期（定义见第3章）"""
    if isinstance(net, torch.nn.Module):
        net.train()
    loss_sum, correct, n = 0.0, 0.0, 0
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
        loss_sum += float(l.sum())
        correct += accuracy(y_hat, y)
        n += y.numel()
    return loss_sum / n, correct / n


def train(net, train_iter, test_iter, loss, num_epochs, updater, *, callback=None, progress=True):  #@save
    """训练模型（定义见第3章）"""
    history = []
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        history.append({'epoch': epoch + 1, 'train_loss': train_loss, 'train_acc': train_acc, 'val_acc': test_acc})
        if callback is not None:
            callback(history[-1])
    return history
