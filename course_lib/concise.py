# Generated from solutions/course_lib/concise.py by `course release`; edit the solution, not this header.
"""Exercise: the same model, loss and optimiser with torch.nn."""

import torch
from torch import nn

__lesson__ = "https://softmax-course.github.io/softmax-course/exercises/concise/"


def build_model() -> nn.Module:
    """Return nn.Sequential(nn.Flatten(), nn.Linear(784, 10)) with weights ~ N(0, 0.01^2) and zero bias.

    It maps X (n, 1, 28, 28) to logits (n, 10): no softmax, since the loss takes logits.
    """
    # YOUR CODE HERE
    raise NotImplementedError('concise.build_model is not implemented yet: complete it in course_lib/concise.py (lesson: https://softmax-course.github.io/softmax-course/exercises/concise/)')


def build_loss() -> nn.Module:
    """Return nn.CrossEntropyLoss(reduction="none"): per-example losses (n,) from logits (n, q)."""
    # YOUR CODE HERE
    raise NotImplementedError('concise.build_loss is not implemented yet: complete it in course_lib/concise.py (lesson: https://softmax-course.github.io/softmax-course/exercises/concise/)')


def build_optimizer(model: nn.Module, lr: float = 0.1) -> torch.optim.Optimizer:
    """Return torch.optim.SGD over model.parameters() with learning rate `lr`."""
    # YOUR CODE HERE
    raise NotImplementedError('concise.build_optimizer is not implemented yet: complete it in course_lib/concise.py (lesson: https://softmax-course.github.io/softmax-course/exercises/concise/)')
