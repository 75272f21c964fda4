# 1st edition's PyTorch port 3.6, where the labels arrive as a column: gather(1, y) with y of shape (n, 1)
# (the learner moved the book's y.view(-1, 1) into the training loop).
"""Exercise: the cross-entropy loss, from probabilities and from logits."""

import torch

from .softmax import log_softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/cross-entropy/"


def cross_entropy(y_hat, y):
    return - torch.log(y_hat.gather(1, y))


def cross_entropy_from_logits(logits, y):
    return - log_softmax(logits).gather(1, y)
