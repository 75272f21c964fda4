# 1st edition's PyTorch port 3.6 / 5.5, in the contract's order.
"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/accuracy/"


def accuracy(y_hat, y):
    if y_hat.dim() > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    return (y_hat == y).float().sum().item()


def evaluate_accuracy(net, data_iter):
    acc_sum, n = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            if isinstance(net, torch.nn.Module):
                net.eval()  # 评估模式, 这会关闭dropout
            acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
            n += y.shape[0]
    return acc_sum / n
