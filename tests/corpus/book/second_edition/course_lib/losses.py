import torch

from .softmax import softmax


def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])


def cross_entropy_from_logits(logits, y):
    return cross_entropy(softmax(logits), y)
