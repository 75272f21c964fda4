# Named layers through an OrderedDict, initialised in place under no_grad, one parameter group.
"""Exercise: the same model, loss and optimiser with torch.nn."""

from collections import OrderedDict

import torch
from torch import nn

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/concise/"


def build_model() -> nn.Module:
    net = nn.Sequential(OrderedDict(flatten=nn.Flatten(), fc=nn.Linear(28 * 28, 10)))
    with torch.no_grad():
        net.fc.weight.normal_(0.0, 0.01)
        net.fc.bias.fill_(0.0)
    return net


def build_loss() -> nn.Module:
    return nn.CrossEntropyLoss(reduction="none")


def build_optimizer(model: nn.Module, lr: float = 0.1) -> torch.optim.Optimizer:
    return torch.optim.SGD([{"params": list(model.parameters())}], lr=lr)
