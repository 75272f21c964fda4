# d2l-en 1.0 (4.5 SoftmaxRegression and Classifier.loss): F.cross_entropy in a function, nn.Linear instead of
# nn.LazyLinear so the weights can be initialised.
"""Exercise: the same model, loss and optimiser with torch.nn."""

import torch
from torch import nn
from torch.nn import functional as F

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/concise/"


def build_model():
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    nn.init.normal_(net[1].weight, 0, 0.01)
    nn.init.zeros_(net[1].bias)
    return net


def build_loss():
    def loss(Y_hat, Y, averaged=False):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(Y_hat, Y, reduction='mean' if averaged else 'none')
    return loss


def build_optimizer(model, lr=0.1):
    return torch.optim.SGD(model.parameters(), lr)
