# 1st edition's PyTorch port 3.2, with the zeroing the exercise asks for.
"""Exercise: minibatch stochastic gradient descent, by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/sgd/"


def sgd(params, lr, batch_size):
    for param in params:
        param.data -= lr * param.grad / batch_size  # 注意这里更改param时用的param.data
        param.grad.data.zero_()
