# A learner coming from NumPy (d2l-zh 1st edition's MXNet habits), ported to PyTorch for d2l-zh 3.6.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X):
    c = X.max(axis=-1, keepdims=True).values
    e = (X - c).exp()
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(X):
    c = X.max(axis=-1, keepdims=True).values
    return (X - c) - (X - c).exp().sum(axis=-1, keepdims=True).log()
