# accuracy from d2l-zh 2nd edition 3.6; evaluate_accuracy from the 1st edition's PyTorch port
# (ShusenTang/Dive-into-DL-PyTorch 3.6), which takes (data_iter, net).
"""Exercise: classification accuracy, for one batch and over a whole data iterator."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/accuracy/"


def accuracy(y_hat, y):
    """计算预测正确的数量"""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


# 本函数已保存在d2lzh_pytorch包中方便以后使用
def evaluate_accuracy(data_iter, net):
    if isinstance(net, torch.nn.Module):
        net.eval()  # 评估模式, 这会关闭dropout
    acc_sum, n = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            acc_sum += accuracy(net(X), y)
            n += y.shape[0]
    return acc_sum / n
