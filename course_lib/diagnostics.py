"""Looking inside a trained classifier: predictions, confusion matrix, mistakes, calibration.

Everything works on plain tensors: logits or probabilities of shape (n, q) and integer labels of
shape (n,). The plots that go with these numbers are in `course_lib.plotting`.
"""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F


def collect_logits(net, data_iter) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Run `net` over `data_iter` without gradients; return (X, outputs, y) concatenated over batches."""
    xs, outs, ys = [], [], []
    with torch.no_grad():
        for X, y in data_iter:
            xs.append(X)
            outs.append(net(X))
            ys.append(y)
    return torch.cat(xs), torch.cat(outs), torch.cat(ys)


def class_templates(W: torch.Tensor, image_shape=(28, 28)) -> torch.Tensor:
    """The weight column of each class as an image: W of shape (d, q) -> (q, *image_shape).

    W is in the course's layout (features x classes, o = xW + b); for `nn.Linear`, pass `weight.T`.
    """
    if W.ndim != 2 or W.shape[0] != math.prod(image_shape):
        raise ValueError(f"W must have shape ({math.prod(image_shape)}, q), got {tuple(W.shape)}")
    return W.detach().T.reshape(W.shape[1], *image_shape)


def confusion_matrix(y_true: torch.Tensor, y_pred: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Counts C of shape (q, q), int64: C[i, j] = number of examples of true class i predicted as j."""
    y_true, y_pred = y_true.reshape(-1).long(), y_pred.reshape(-1).long()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in length: {y_true.numel()} and {y_pred.numel()}")
    flat = torch.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def per_class_accuracy(C: torch.Tensor) -> torch.Tensor:
    """Recall of each class from a confusion matrix, shape (q,) float64; NaN for a class with no example."""
    C = C.to(torch.float64)
    return C.diagonal() / C.sum(dim=1)


def most_confident_mistakes(probs: torch.Tensor, y: torch.Tensor, k: int) -> torch.Tensor:
    """Indices (at most k) of wrongly predicted examples, most confident first (by max probability)."""
    confidence, predicted = probs.max(dim=1)
    wrong = torch.nonzero(predicted != y).reshape(-1)
    order = torch.argsort(confidence[wrong], descending=True, stable=True)
    return wrong[order[:k]]


def reliability_bins(probs: torch.Tensor, y: torch.Tensor, n_bins: int = 10) -> dict:
    """Bin examples by confidence (the max probability) into n_bins equal-width bins of (0, 1].

    Returns {"edges" (n_bins + 1,), "count", "confidence", "accuracy"} (each (n_bins,) float64;
    the mean confidence and accuracy of an empty bin are NaN). Bin b holds (b/n, (b + 1)/n].
    """
    confidence, predicted = probs.to(torch.float64).max(dim=1)
    correct = (predicted == y).to(torch.float64)
    # ceil(c * n) - 1 puts c = b/n at the top of bin b - 1, as the half-open (lo, hi] bins say
    index = (torch.ceil(confidence * n_bins).long() - 1).clamp(0, n_bins - 1)
    count = torch.bincount(index, minlength=n_bins).to(torch.float64)
    conf_sum = torch.bincount(index, weights=confidence, minlength=n_bins)
    acc_sum = torch.bincount(index, weights=correct, minlength=n_bins)
    return {
        "edges": torch.linspace(0, 1, n_bins + 1, dtype=torch.float64),
        "count": count,
        "confidence": conf_sum / count,
        "accuracy": acc_sum / count,
    }


def expected_calibration_error(probs: torch.Tensor, y: torch.Tensor, n_bins: int = 10) -> float:
    """ECE = sum over bins of (bin size / n) * |accuracy - mean confidence|, in [0, 1]."""
    bins = reliability_bins(probs, y, n_bins)
    used = bins["count"] > 0
    gap = (bins["accuracy"][used] - bins["confidence"][used]).abs()
    return float((bins["count"][used] * gap).sum() / bins["count"].sum())


def fit_temperature(logits: torch.Tensor, y: torch.Tensor, lo: float = 0.05, hi: float = 20.0,
                    iterations: int = 60) -> float:
    """The T > 0 that minimises the mean cross-entropy of softmax(logits / T) against y.

    The loss is convex in 1/T, hence unimodal in log T: a golden-section search on log T over
    [lo, hi] finds it without a learning rate to tune (the argmax, so the accuracy, never changes).
    """
    logits = logits.detach().to(torch.float64)

    def nll(log_t: float) -> float:
        return float(F.cross_entropy(logits / math.exp(log_t), y))

    a, b = math.log(lo), math.log(hi)
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = nll(c), nll(d)
    for _ in range(iterations):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = nll(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = nll(d)
    return math.exp((a + b) / 2)
