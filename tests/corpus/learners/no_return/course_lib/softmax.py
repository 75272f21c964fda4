# d2l-en 2nd edition (3.6), made stable for the exercise.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X):
    X_exp = torch.exp(X - X.amax(dim=-1, keepdim=True))
    partition = X_exp.sum(-1, keepdim=True)
    return X_exp / partition  # The broadcasting mechanism is applied here


def log_softmax(X):
    X = X - X.amax(dim=-1, keepdim=True)
    return X - torch.exp(X).sum(-1, keepdim=True).log()
