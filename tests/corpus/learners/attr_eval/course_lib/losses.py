# d2l-zh 2nd edition 3.6.
"""Exercise: the cross-entropy loss, from probabilities and from logits."""

import torch

from .softmax import log_softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/cross-entropy/"


def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])


def cross_entropy_from_logits(logits, y):
    return - log_softmax(logits)[range(len(logits)), y]
