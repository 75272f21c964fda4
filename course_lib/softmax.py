# Generated from solutions/course_lib/softmax.py by `course release`; edit the solution, not this header.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def softmax(X: torch.Tensor) -> torch.Tensor:
    """Return softmax over the last dimension of `X`: exp(X) / exp(X).sum(-1), computed stably.

    X: a float tensor of any shape (..., q). Returns a tensor of the same shape, dtype and device
    whose entries along the last dimension are in [0, 1] and sum to 1.
    Contract: no overflow or NaN for logits of magnitude 1e4 in float32 (subtract the row max
    first); a row may hold -inf entries, as long as not all of them are; X is not modified; the
    result is differentiable; no library softmax (torch.softmax, F.softmax, nn.Softmax, ...).

    >>> softmax(torch.tensor([[0.0, 0.0], [1e4, 0.0]]))
    tensor([[0.5000, 0.5000],
            [1.0000, 0.0000]])
    """
    # YOUR CODE HERE
    raise NotImplementedError('softmax.softmax is not implemented yet: complete it in course_lib/softmax.py (lesson: https://softmax-course.github.io/softmax-course/exercises/softmax/)')


def log_softmax(X: torch.Tensor) -> torch.Tensor:
    """Return log(softmax(X)) over the last dimension, via the log-sum-exp trick written out.

    X: a float tensor of shape (..., q). Returns the same shape, dtype and device:
    X - m - log(sum(exp(X - m))) with m the row max. Same stability contract as `softmax`;
    no library log-softmax and no `torch.logsumexp`.

    >>> log_softmax(torch.tensor([0.0, 0.0]))
    tensor([-0.6931, -0.6931])
    """
    # YOUR CODE HERE
    raise NotImplementedError('softmax.log_softmax is not implemented yet: complete it in course_lib/softmax.py (lesson: https://softmax-course.github.io/softmax-course/exercises/softmax/)')
