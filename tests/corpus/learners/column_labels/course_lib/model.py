# 1st edition's PyTorch port 3.6.
"""Exercise: softmax regression from scratch, with no nn.Module and no nn.Linear."""

import torch

from .softmax import softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/model/"


class SoftmaxRegression:
    def __init__(self, num_inputs=784, num_outputs=10, *, sigma=0.01):
        self.num_inputs = num_inputs
        self.W = torch.normal(0, sigma, (num_inputs, num_outputs)).requires_grad_(True)
        self.b = torch.zeros(num_outputs).requires_grad_(True)

    @property
    def params(self):
        return [self.W, self.b]

    def __call__(self, X):
        return softmax(torch.mm(X.view((-1, self.num_inputs)), self.W) + self.b)
