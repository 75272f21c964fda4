# d2l-zh 2nd edition 3.6 exported from a notebook: the book's sanity-check cells became module-level prints.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X):
    X_exp = torch.exp(X - X.max(dim=-1, keepdim=True).values.detach())
    partition = X_exp.sum(-1, keepdim=True)
    return X_exp / partition  # 这里应用了广播机制


def log_softmax(X):
    X = X - X.max(dim=-1, keepdim=True).values.detach()
    return X - torch.log(torch.exp(X).sum(-1, keepdim=True))


X = torch.normal(0, 1, (2, 5))
X_prob = softmax(X)
print(X_prob, X_prob.sum(1))
