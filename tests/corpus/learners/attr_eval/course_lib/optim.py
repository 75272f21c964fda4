# d2l-zh 2nd edition 3.2.
"""Exercise: minibatch stochastic gradient descent, by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/sgd/"


def sgd(params, lr, batch_size):  #@save
    """小批量随机梯度下降"""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
