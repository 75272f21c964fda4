# d2l-zh 2nd edition 3.7, printing the model it builds.
"""Exercise: the same model, loss and optimiser with torch.nn."""

import torch
from torch import nn

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/concise/"


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)
        nn.init.zeros_(m.bias)


def build_model():
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    net.apply(init_weights)
    print(net)
    return net


def build_loss():
    loss = nn.CrossEntropyLoss(reduction='none')
    print(loss)
    return loss


def build_optimizer(model, lr=0.1):
    print("lr =", lr)
    return torch.optim.SGD(model.parameters(), lr=lr)
