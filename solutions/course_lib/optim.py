"""Exercise: minibatch stochastic gradient descent, by hand."""

import torch

__lesson__ = "exercises/sgd.md"


def sgd(params, lr: float, batch_size: int) -> None:
    """Update each parameter in place, p <- p - lr * p.grad / batch_size, then zero or clear p.grad.

    params: leaf tensors that require grad and hold summed (not averaged) gradients; they stay
    leaves that require grad. The update must not be recorded by autograd. Clearing the gradient
    (p.grad = None, as torch.optim's zero_grad() does by default) counts as zeroing it.

    >>> w = torch.ones(2, requires_grad=True); (w * 4).sum().backward()
    >>> sgd([w], lr=0.5, batch_size=2); w.data
    tensor([0., 0.])
    >>> w.grad is None or not w.grad.any()  # zeroed or cleared
    True
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            param -= lr * param.grad / batch_size
            param.grad.zero_()
    ### END SOLUTION
