# Dive into Deep Learning, 2nd edition (d2l-zh v2, PyTorch), section "softmax回归的从零开始实现", as a student copies it.
import torch


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition  # 这里应用了广播机制


def log_softmax(X):
    return torch.log(softmax(X))
