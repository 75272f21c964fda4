# torch.inference_mode, duck typing for eval(), and the counts summed from a list of pairs.
"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/accuracy/"


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    preds = y_hat.argmax(1) if y_hat.dim() == 2 and y_hat.size(1) > 1 else y_hat
    return float(torch.eq(preds.to(y.dtype), y).sum())


def evaluate_accuracy(net, data_iter) -> float:
    if hasattr(net, "eval"):
        net.eval()
    with torch.inference_mode():
        counts = [(accuracy(net(X), y), len(y)) for X, y in data_iter]
    correct, total = map(sum, zip(*counts))
    return correct / total
