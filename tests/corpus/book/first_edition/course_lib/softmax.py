# Dive into Deep Learning, 1st edition, PyTorch port (ShusenTang/Dive-into-DL-PyTorch), section 3.6, as a student copies it.
import torch


def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition  # 这里应用了广播机制


def log_softmax(X):
    return softmax(X).log()
