# 1st edition's PyTorch port 3.6 (train_ch3): the labels reshaped to a column for the loss.
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
        l = loss(y_hat, y.reshape(-1, 1))
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
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
        print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f' % (epoch + 1, train_l, train_acc, test_acc))
        history.append({'epoch': epoch + 1, 'train_loss': train_l, 'train_acc': train_acc, 'val_acc': test_acc})
        if callback is not None:
            callback(history[-1])
    return history
