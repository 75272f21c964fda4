"""Does the reference accuracy / evaluate_accuracy meet the contract?"""

import torch
from torch import nn


def test_accuracy_counts_correct_as_float(ref):
    """Is accuracy a count of correct argmax predictions, returned as a Python float?"""
    y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    result = ref.metrics.accuracy(y_hat, torch.tensor([1, 1, 1]))
    assert type(result) is float and result == 2.0  # by hand: rows 0 and 2


def test_accuracy_ties_go_to_first_maximum(ref):
    """Do ties resolve to the first maximum, as torch.argmax does?"""
    y_hat = torch.tensor([[0.5, 0.5], [0.5, 0.5]])
    assert ref.metrics.accuracy(y_hat, torch.tensor([0, 1])) == 1.0


def test_accuracy_accepts_predicted_labels(ref):
    """Does a (n,) tensor of predicted labels work too?"""
    assert ref.metrics.accuracy(torch.tensor([2, 0, 1]), torch.tensor([2, 1, 1])) == 2.0


class _Recorder(nn.Module):
    """A module that returns fixed scores and records its mode and grad state."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def forward(self, X):
        self.calls.append((self.training, torch.is_grad_enabled()))
        return X


def test_evaluate_accuracy_counts_examples_in_eval_mode_without_grad(ref):
    """Is the fraction over examples (ragged last batch), in eval mode, with no gradient?"""
    eye = torch.eye(3)
    batches = [(eye, torch.tensor([0, 1, 2])), (eye[:1], torch.tensor([1]))]  # 3 of 4 right
    net = _Recorder().train()
    assert ref.metrics.evaluate_accuracy(net, batches) == 0.75  # not the mean of batch means (0.5)
    assert net.calls == [(False, False), (False, False)]


def test_evaluate_accuracy_accepts_plain_callables(ref):
    """Does a plain function work as net?"""
    assert ref.metrics.evaluate_accuracy(lambda X: X, [(torch.eye(2), torch.tensor([0, 0]))]) == 0.5
