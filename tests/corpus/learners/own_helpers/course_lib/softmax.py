# d2l-en (2nd edition, 3.6 "Implementation of Softmax Regression from Scratch"), with helpers of the learner's own.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def _row_max(X):
    """Largest entry of each row, kept as a column so it broadcasts."""
    return torch.max(X, dim=-1, keepdim=True).values.detach()


def _stable_exp(X):
    return torch.exp(X - _row_max(X))


def softmax(X):
    X_exp = _stable_exp(X)
    partition = X_exp.sum(-1, keepdim=True)
    return X_exp / partition  # The broadcasting mechanism is applied here


def log_softmax(X):
    log_partition = torch.log(_stable_exp(X).sum(-1, keepdim=True))
    return X - _row_max(X) - log_partition
