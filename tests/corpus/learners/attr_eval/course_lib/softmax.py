# d2l-zh 2nd edition 3.6, stable, with the max taken by torch.max's (values, indices) pair.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X):
    m, _ = torch.max(X, dim=-1, keepdim=True)
    X_exp = torch.exp(X - m)
    return X_exp / X_exp.sum(dim=-1, keepdim=True)


def log_softmax(X):
    m, _ = torch.max(X, dim=-1, keepdim=True)
    return X - m - torch.log(torch.sum(torch.exp(X - m), dim=-1, keepdim=True))
