# 1st edition's PyTorch port (ShusenTang/Dive-into-DL-PyTorch 3.6), made stable for the exercise.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X):
    X_exp = (X - X.max(dim=-1, keepdim=True)[0]).exp()
    partition = X_exp.sum(dim=-1, keepdim=True)
    return X_exp / partition  # 这里应用了广播机制


def log_softmax(X):
    X = X - X.max(dim=-1, keepdim=True)[0]
    return X - X.exp().sum(dim=-1, keepdim=True).log()
