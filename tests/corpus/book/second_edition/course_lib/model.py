import torch

from .softmax import softmax


class SoftmaxRegression:
    def __init__(self, num_inputs=784, num_outputs=10, *, sigma=0.01):
        self.W = torch.normal(0, sigma, size=(num_inputs, num_outputs), requires_grad=True)
        self.b = torch.zeros(num_outputs, requires_grad=True)

    @property
    def params(self):
        return [self.W, self.b]

    def __call__(self, X):
        W, b = self.W, self.b
        return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)
