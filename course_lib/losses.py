# Generated from solutions/course_lib/losses.py by `course release`; edit the solution, not this header.
"""Exercise: the cross-entropy loss, from probabilities and from logits."""

import torch

from .softmax import log_softmax

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/cross-entropy/"


def cross_entropy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the per-example losses -log(y_hat[i, y[i]]), of shape (n,).

    y_hat: (n, q) predicted probabilities (rows sum to 1). y: (n,) integer class labels
    (int64 or int32). Vectorised: pick every y_hat[i, y[i]] at once, with no Python loop over
    examples. Returns per-example losses, not their mean.

    >>> cross_entropy(torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]), torch.tensor([0, 2]))
    tensor([2.3026, 0.6931])
    """
    # YOUR CODE HERE
    raise NotImplementedError('losses.cross_entropy is not implemented yet: complete it in course_lib/losses.py (lesson: https://softmax-course.github.io/softmax-course/exercises/cross-entropy/)')


def cross_entropy_from_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the per-example losses from raw scores, of shape (n,), stably.

    logits: (n, q) unnormalised scores. y: (n,) integer labels. Equal to
    `F.cross_entropy(logits, y, reduction="none")`, finite even for logits of magnitude 1e4:
    use log_softmax, never log(softmax(...)).

    >>> cross_entropy_from_logits(torch.tensor([[1e4, 0.0]]), torch.tensor([1]))
    tensor([10000.])
    """
    # YOUR CODE HERE
    raise NotImplementedError('losses.cross_entropy_from_logits is not implemented yet: complete it in course_lib/losses.py (lesson: https://softmax-course.github.io/softmax-course/exercises/cross-entropy/)')
