# d2l-en 1.0 (4.3 Classifier.accuracy, averaged=False), and an evaluate_accuracy of the learner's own:
# no_grad, but no net.eval() (the book's Trainer does that elsewhere).
"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/accuracy/"


def accuracy(Y_hat, Y):
    """Compute the number of correct predictions."""
    if Y_hat.ndim > 1 and Y_hat.shape[-1] > 1:
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1])).argmax(axis=1)
    preds = Y_hat.type(Y.dtype)
    compare = (preds == Y.reshape(-1)).type(torch.float32)
    return compare.sum().item()


def evaluate_accuracy(net, data_iter):
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, Y in data_iter:
            correct += accuracy(net(X), Y)
            total += Y.numel()
    return correct / total
