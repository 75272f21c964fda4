# Generated from solutions/course_lib/metrics.py by `course release`; edit the solution, not this header.
"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch
from torch import nn

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/accuracy/"


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """Return the number of correct predictions (not the fraction), as a Python float.

    y_hat: (n, q) scores or probabilities, whose argmax along dim 1 is the prediction (ties go to
    the first maximum, as torch.argmax does), or (n,) predicted labels. y: (n,) integer labels.

    >>> accuracy(torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), torch.tensor([1, 1, 1]))
    2.0
    """
    # YOUR CODE HERE
    raise NotImplementedError('metrics.accuracy is not implemented yet: complete it in course_lib/metrics.py (lesson: https://softmax-course.github.io/softmax-course/exercises/accuracy/)')


def evaluate_accuracy(net, data_iter) -> float:
    """Return the fraction of correct predictions of `net` over all of `data_iter`, in [0, 1].

    net: an nn.Module (put in eval mode first) or any callable mapping X (B, ...) to (B, q) scores.
    data_iter: yields (X, y) batches; the last one may be smaller, so count examples, not batches.
    No gradients are tracked.

    >>> evaluate_accuracy(lambda X: X, [(torch.eye(2), torch.tensor([0, 0]))])
    0.5
    """
    # YOUR CODE HERE
    raise NotImplementedError('metrics.evaluate_accuracy is not implemented yet: complete it in course_lib/metrics.py (lesson: https://softmax-course.github.io/softmax-course/exercises/accuracy/)')
