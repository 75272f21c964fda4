# d2l-en 3.2 sgd, and the `updater` closure of 3.6 kept beside it.
"""Exercise: minibatch stochastic gradient descent, by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/sgd/"


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def make_updater(params, lr):
    def updater(batch_size):
        return sgd(params, lr, batch_size)
    return updater
