import torch

from .softmax import softmax


def cross_entropy(y_hat, y):
    return - torch.log(y_hat.gather(1, y.view(-1, 1)))


def cross_entropy_from_logits(logits, y):
    return cross_entropy(softmax(logits), y)
