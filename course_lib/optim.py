# Generated from solutions/course_lib/optim.py by `course release`; edit the solution, not this header.
"""Exercise: minibatch stochastic gradient descent, by hand."""

import torch

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/sgd/"


def sgd(params, lr: float, batch_size: int) -> None:
    """Update each parameter in place, p <- p - lr * p.grad / batch_size, then zero p.grad.

    params: leaf tensors that require grad and hold summed (not averaged) gradients; they stay
    leaves that require grad. The update must not be recorded by autograd.

    >>> w = torch.ones(2, requires_grad=True); (w * 4).sum().backward()
    >>> sgd([w], lr=0.5, batch_size=2); w.data, w.grad
    (tensor([0., 0.]), tensor([0., 0.]))
    """
    # YOUR CODE HERE
    raise NotImplementedError('optim.sgd is not implemented yet: complete it in course_lib/optim.py (lesson: https://softmax-course.github.io/softmax-course/exercises/sgd/)')
