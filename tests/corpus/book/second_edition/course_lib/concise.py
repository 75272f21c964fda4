# Dive into Deep Learning, 2nd edition, section "softmax回归的简洁实现".
import torch
from torch import nn


def build_model():
    # PyTorch不会隐式地调整输入的形状。因此，
    # 我们在线性层前定义了展平层（flatten），来调整网络输入的形状
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

    def init_weights(m):
        if type(m) == nn.Linear:
            nn.init.normal_(m.weight, std=0.01)

    net.apply(init_weights)
    return net


def build_loss():
    return nn.CrossEntropyLoss(reduction='none')


def build_optimizer(model, lr=0.1):
    return torch.optim.SGD(model.parameters(), lr=lr)
