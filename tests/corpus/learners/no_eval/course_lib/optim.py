# d2l-en 1.0 (3.4 class SGD: step and zero_grad), as functions, dividing by the batch size as the exercise asks.
"""Exercise: minibatch stochastic gradient descent, by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/sgd/"


def zero_grad(params):
    for param in params:
        if param.grad is not None:
            param.grad.zero_()


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
    zero_grad(params)
