# torch.optim's own habit: p.sub_(grad, alpha=...), then the gradient set to None (zero_grad(set_to_none=True)).
"""Exercise: minibatch stochastic gradient descent, by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/sgd/"


@torch.no_grad()
def sgd(params, lr: float, batch_size: int) -> None:
    for p in params:
        p.sub_(p.grad, alpha=lr / batch_size)
        p.grad = None
