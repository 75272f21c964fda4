# d2l-zh 2nd edition 3.6, with the isinstance test dropped from evaluate_accuracy ("net is always a model").
"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/accuracy/"


def accuracy(y_hat, y):
    """计算预测正确的数量"""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    """计算在指定数据集上模型的精度"""
    net.eval()  # 将模型设置为评估模式
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += accuracy(net(X), y)
            total += y.numel()
    return correct / total
