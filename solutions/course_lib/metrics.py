"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch
from torch import nn

__lesson__ = "exercises/accuracy.md"


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """Return the number of correct predictions (not the fraction), as a Python float.

    y_hat: (n, q) scores or probabilities, whose argmax along dim 1 is the prediction (ties go to
    the first maximum, as torch.argmax does), or (n,) predicted labels. y: (n,) integer labels.

    >>> accuracy(torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), torch.tensor([1, 1, 1]))
    2.0
    """
    ### BEGIN SOLUTION
    if y_hat.ndim > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    correct = y_hat.reshape(y.shape).to(y.dtype) == y
    return float(correct.sum().item())
    ### END SOLUTION


def evaluate_accuracy(net, data_iter) -> float:
    """Return the fraction of correct predictions of `net` over all of `data_iter`, in [0, 1].

    net: an nn.Module (put in eval mode first) or any callable mapping X (B, ...) to (B, q) scores.
    data_iter: yields (X, y) batches; the last one may be smaller, so count examples, not batches.
    No gradients are tracked.

    >>> evaluate_accuracy(lambda X: X, [(torch.eye(2), torch.tensor([0, 0]))])
    0.5
    """
    ### BEGIN SOLUTION
    if isinstance(net, nn.Module):
        net.eval()
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += accuracy(net(X), y)
            total += y.numel()
    if total == 0:
        raise ValueError("data_iter yielded no examples")
    return correct / total
    ### END SOLUTION
