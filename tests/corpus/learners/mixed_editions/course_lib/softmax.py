# From scratch, d2l-zh 2nd edition 3.6, with the row max subtracted after reading the forum thread on NaN losses.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X):
    X = X - X.max(dim=-1, keepdim=True).values  # 防止exp溢出
    X_exp = torch.exp(X)
    partition = X_exp.sum(dim=-1, keepdim=True)
    return X_exp / partition  # 这里应用了广播机制


def log_softmax(X):
    X = X - X.max(dim=-1, keepdim=True).values
    return X - torch.log(torch.exp(X).sum(dim=-1, keepdim=True))
