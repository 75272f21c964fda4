# d2l-en 3.7, the model written as a small nn.Module of the learner's own instead of nn.Sequential.
"""Exercise: the same model, loss and optimiser with torch.nn."""

import torch
from torch import nn

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/concise/"


class SoftmaxNet(nn.Module):
    def __init__(self, num_inputs=784, num_outputs=10):
        super().__init__()
        self.num_inputs = num_inputs
        self.out = nn.Linear(num_inputs, num_outputs)

    def forward(self, X):
        return self.out(X.reshape(-1, self.num_inputs))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, std=0.01)
        nn.init.zeros_(m.bias)


def build_model():
    net = SoftmaxNet(784, 10)
    net.apply(init_weights)
    return net


def build_loss():
    return nn.CrossEntropyLoss(reduction='none')


def build_optimizer(model, lr=0.1):
    return torch.optim.SGD(params=model.parameters(), lr=lr)
