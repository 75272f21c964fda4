# d2l-zh 2nd edition 3.6.
"""Exercise: softmax regression from scratch, with no nn.Module and no nn.Linear."""

import torch

from .softmax import softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/model/"


class SoftmaxRegression:
    def __init__(self, num_inputs=784, num_outputs=10, *, sigma=0.01):
        self.W = torch.normal(0, sigma, size=(num_inputs, num_outputs), requires_grad=True)
        self.b = torch.zeros(num_outputs, requires_grad=True)

    @property
    def params(self):
        return [self.W, self.b]

    def __call__(self, X):
        return softmax(torch.matmul(X.reshape((-1, self.W.shape[0])), self.W) + self.b)
