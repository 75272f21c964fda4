# d2l-en 3.6 accuracy / evaluate_accuracy, with the learner's own Accumulator, renamed Tally.
"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/accuracy/"


class Tally:
    """For accumulating sums over `n` variables."""

    def __init__(self, n):
        self.sums = [0.0] * n

    def add(self, *values):
        self.sums = [s + float(v) for s, v in zip(self.sums, values)]

    def ratio(self, i, j):
        return self.sums[i] / self.sums[j]

    def __getitem__(self, idx):
        return self.sums[idx]


def predictions(y_hat):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        return y_hat.argmax(axis=1)
    return y_hat


def accuracy(y_hat, y):
    """Compute the number of correct predictions."""
    cmp = predictions(y_hat).type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    """Compute the accuracy for a model on a dataset."""
    if isinstance(net, torch.nn.Module):
        net.eval()  # Set the model to evaluation mode
    tally = Tally(2)  # No. of correct predictions, no. of predictions
    with torch.no_grad():
        for X, y in data_iter:
            tally.add(accuracy(net(X), y), y.numel())
    return tally.ratio(0, 1)
