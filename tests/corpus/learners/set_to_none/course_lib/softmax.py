# A learner who already knows PyTorch idioms (d2l-en 4.1-4.5 read alongside the PyTorch docs): softmax as
# exp(log_softmax), and log_softmax by the log-sum-exp trick written out.
"""Exercise: the softmax operator and its logarithm, written out by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/softmax/"


def log_softmax(X: torch.Tensor) -> torch.Tensor:
    m = X.amax(dim=-1, keepdim=True).detach()
    return X - (m + (X - m).exp().sum(dim=-1, keepdim=True).log())


def softmax(X: torch.Tensor) -> torch.Tensor:
    return log_softmax(X).exp()
