# d2l-en 1.0 (4.4 "Softmax Regression Implementation from Scratch"), made stable for the exercise.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X):
    X_exp = torch.exp(X - X.max(-1, keepdims=True).values)
    partition = X_exp.sum(-1, keepdims=True)
    return X_exp / partition  # The broadcasting mechanism is applied here


def log_softmax(X):
    Z = X - X.max(-1, keepdims=True).values
    return Z - torch.log(torch.exp(Z).sum(-1, keepdims=True))
