"""Exercise: the same model, loss and optimiser with torch.nn."""

import torch
from torch import nn

__lesson__ = "exercises/concise.md"


def build_model() -> nn.Module:
    """Return nn.Sequential(nn.Flatten(), nn.Linear(784, 10)) with weights ~ N(0, 0.01^2) and zero bias.

    It maps X (n, 1, 28, 28) to logits (n, 10): no softmax, since the loss takes logits.
    """
    ### BEGIN SOLUTION
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    nn.init.normal_(net[1].weight, std=0.01)
    nn.init.zeros_(net[1].bias)
    return net
    ### END SOLUTION


def build_loss() -> nn.Module:
    """Return nn.CrossEntropyLoss(reduction="none"): per-example losses (n,) from logits (n, q)."""
    ### BEGIN SOLUTION
    return nn.CrossEntropyLoss(reduction="none")
    ### END SOLUTION


def build_optimizer(model: nn.Module, lr: float = 0.1) -> torch.optim.Optimizer:
    """Return torch.optim.SGD over model.parameters() with learning rate `lr`."""
    ### BEGIN SOLUTION
    return torch.optim.SGD(model.parameters(), lr=lr)
    ### END SOLUTION
