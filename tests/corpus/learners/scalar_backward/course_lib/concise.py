# 1st edition's PyTorch port 3.7: FlattenLayer and OrderedDict, with reduction='none' as the exercise asks.
"""Exercise: the same model, loss and optimiser with torch.nn."""

from collections import OrderedDict

import torch
from torch import nn
from torch.nn import init

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/concise/"


class FlattenLayer(nn.Module):
    def __init__(self):
        super(FlattenLayer, self).__init__()

    def forward(self, x):  # x shape: (batch, *, *, ...)
        return x.view(x.shape[0], -1)


def build_model():
    net = nn.Sequential(
        OrderedDict([
            ('flatten', FlattenLayer()),
            ('linear', nn.Linear(784, 10))])
    )
    init.normal_(net.linear.weight, mean=0, std=0.01)
    init.constant_(net.linear.bias, val=0)
    return net


def build_loss():
    return nn.CrossEntropyLoss(reduction='none')


def build_optimizer(model, lr=0.1):
    return torch.optim.SGD(model.parameters(), lr=lr)
