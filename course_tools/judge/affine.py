"""Which of a concise model's parameters are its weight and bias: decided by shape, never by layer names.

The contract allows any model that behaves like Flatten then Linear(784, 10) (the first edition's
hand-written FlattenLayer, a LinearNet with its own reshape, an nn.Parameter used as X @ W). The
judge receives every parameter as [name, tensor] and finds the one 784x10 matrix and the one
10-vector; the output check then decides whether the model uses them as an affine map.
"""

from __future__ import annotations

import torch

from ..i18n import N_, _
from .checks import Mistake

INPUTS, OUTPUTS = 784, 10


def weight_and_bias(parameters, what: str = "build_model()") -> tuple[torch.Tensor, torch.Tensor]:
    """(weight (10, 784), bias (10,)) from [[name, tensor], ...]; a (784, 10) weight is transposed.

    Raises a Mistake naming the parameter shapes when there is not exactly one of each.
    """
    tensors = [p for _, p in parameters if type(p) is torch.Tensor] if isinstance(parameters, list) else []
    weights = [p for p in tensors if tuple(p.shape) in ((OUTPUTS, INPUTS), (INPUTS, OUTPUTS))]
    biases = [p for p in tensors if tuple(p.shape) == (OUTPUTS,)]
    if len(weights) != 1 or len(biases) != 1 or len(tensors) != 2:
        shapes = [tuple(p.shape) for p in tensors]
        raise Mistake(_("{what} has parameters of shapes {shapes}; expected one weight of 10 x 784 and one bias of 10").format(
                          what=what, shapes=shapes),
                      N_("One linear layer from 784 inputs to 10 outputs, with a bias: nn.Linear(784, 10) after a flatten."))
    weight = weights[0] if tuple(weights[0].shape) == (OUTPUTS, INPUTS) else weights[0].T
    return weight, biases[0]
