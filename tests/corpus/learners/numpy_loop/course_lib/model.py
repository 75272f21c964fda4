# 1st edition's PyTorch port 3.6: the weights drawn with NumPy, then made leaves that require grad.
"""Exercise: softmax regression from scratch, with no nn.Module and no nn.Linear."""

import numpy as np
import torch

from .softmax import softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/model/"


class SoftmaxRegression:
    def __init__(self, num_inputs=784, num_outputs=10, *, sigma=0.01):
        self.W = torch.tensor(np.random.normal(0, sigma, (num_inputs, num_outputs)), dtype=torch.float32,
                              requires_grad=True)
        self.b = torch.tensor(np.zeros(num_outputs), dtype=torch.float32, requires_grad=True)

    @property
    def params(self):
        return [self.W, self.b]

    def __call__(self, X):
        X = X.reshape(X.shape[0], -1)
        return softmax(X @ self.W + self.b)
