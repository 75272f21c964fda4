# randn * sigma, then requires_grad_() on the result; flatten(1) in the forward pass.
"""Exercise: softmax regression from scratch, with no nn.Module and no nn.Linear."""

import torch

from .softmax import softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/model/"


class SoftmaxRegression:
    def __init__(self, num_inputs: int = 784, num_outputs: int = 10, *, sigma: float = 0.01):
        self.W = (torch.randn(num_inputs, num_outputs) * sigma).requires_grad_()
        self.b = torch.zeros(num_outputs).requires_grad_()

    @property
    def params(self) -> list:
        return [self.W, self.b]

    def __call__(self, X: torch.Tensor) -> torch.Tensor:
        return softmax(X.flatten(1) @ self.W + self.b)
