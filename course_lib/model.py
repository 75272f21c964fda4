# Generated from solutions/course_lib/model.py by `course release`; edit the solution, not this header.
"""Exercise: softmax regression from scratch, with no nn.Module and no nn.Linear."""

import torch

from .softmax import softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/model/"


class SoftmaxRegression:
    """Softmax regression: X (n, ...) -> softmax(X.reshape(n, num_inputs) @ W + b), shape (n, num_outputs).

    W: (num_inputs, num_outputs), drawn from N(0, sigma^2); b: (num_outputs,), zeros. Both are
    leaf tensors that require grad. `params` is [W, b].

    >>> net = SoftmaxRegression(784, 10)
    >>> net(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    """

    def __init__(self, num_inputs: int = 784, num_outputs: int = 10, *, sigma: float = 0.01):
        # YOUR CODE HERE
        raise NotImplementedError('model.SoftmaxRegression.__init__ is not implemented yet: complete it in course_lib/model.py (lesson: https://softmax-course.github.io/softmax-course/exercises/model/)')

    @property
    def params(self) -> list:
        """The trainable parameters, [W, b]."""
        return [self.W, self.b]

    def __call__(self, X: torch.Tensor) -> torch.Tensor:
        """Return class probabilities of shape (n, num_outputs) for X of shape (n, ...)."""
        # YOUR CODE HERE
        raise NotImplementedError('model.SoftmaxRegression.__call__ is not implemented yet: complete it in course_lib/model.py (lesson: https://softmax-course.github.io/softmax-course/exercises/model/)')
