"""What the worker can be asked to do with student code. Each probe returns plain data.

Runs only inside the worker. The first argument is the student's module named in the request.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import torch
from torch import nn

from . import harness


def _lib(name):
    return importlib.import_module(f"course_lib.{name}")


def imported(module):
    """Nothing: the worker imports the requested module before any probe, so this times the import alone."""
    return None


def call(module, name, args, kwargs=None):
    """Call module.name(*args); return the result and the arguments afterwards (to spot mutation)."""
    return {"result": getattr(module, name)(*args, **(kwargs or {})), "args_after": args}


def grad(module, name, args, wrt, upstream):
    """Return module.name's output and d(sum(output * upstream))/d(args[i]) for i in wrt."""
    args = [a.clone().requires_grad_() if i in wrt else a for i, a in enumerate(args)]
    out = getattr(module, name)(*args)
    (out * upstream).sum().backward()
    return {"result": out, "grads": [args[i].grad for i in wrt]}


def timed(module, name, args, repeat, vary=None):
    """Call module.name(*args) `repeat` times after one warm-up; the judge times the round trip.

    If `vary` is an argument index, that argument is rolled by one along dim 0 before each timed
    call, so that no call can reuse an earlier answer. Returns the last result, so that the judge
    can check the timed calls did the work (on args[vary] rolled `repeat` times).
    """
    fn = getattr(module, name)
    args = list(args)
    result = fn(*args)
    for _ in range(repeat):
        if vary is not None:
            args[vary] = torch.roll(args[vary], 1, 0)
        result = fn(*args)
    return result


def sgd(module, params, grads, lr, batch_size):
    """Run sgd on fresh leaves holding `grads`; return values, grads and leaf/requires_grad flags."""
    leaves = [p.clone().requires_grad_() for p in params]
    for leaf, g in zip(leaves, grads):
        leaf.grad = g.clone()
    ids = [id(p) for p in leaves]
    module.sgd(leaves, lr, batch_size)
    return {"params": [p.detach() for p in leaves], "grads": [p.grad for p in leaves],
            "leaf": [p.is_leaf for p in leaves], "requires_grad": [p.requires_grad for p in leaves],
            "same_objects": [id(p) for p in leaves] == ids}


def model_init(module, seed, num_inputs, num_outputs, sigma):
    """Build SoftmaxRegression under `seed`; return W, b, params and their flags."""
    torch.manual_seed(seed)
    net = module.SoftmaxRegression(num_inputs, num_outputs, sigma=sigma)
    params = list(net.params)
    return {"W": net.W, "b": net.b, "flags": [[p.is_leaf, p.requires_grad] for p in (net.W, net.b)],
            "params_are_W_b": len(params) == 2 and params[0] is net.W and params[1] is net.b,
            "is_module": isinstance(net, nn.Module)}


def model_forward(module, W, b, X):
    """Call a SoftmaxRegression whose W and b are set to the given tensors; return the output."""
    net = module.SoftmaxRegression(W.shape[0], W.shape[1])
    net.W, net.b = W.clone().requires_grad_(), b.clone().requires_grad_()
    return net(X)


def evaluate_accuracy(module, batches, net, running_mean=None, running_var=None, swapped=False):
    """Run evaluate_accuracy on harness.scorer(net, ...); return its result.

    swapped=True calls evaluate_accuracy(batches, net), the first edition's order: the judge tries it
    only after the contract's order failed, to diagnose the swap.
    """
    scorer = harness.scorer(net, running_mean, running_var)
    return {"result": module.evaluate_accuracy(batches, scorer) if swapped else module.evaluate_accuracy(scorer, batches)}


def train_epoch(module, weight, bias, batches, kind, lr, batchnorm=False):
    """harness.run_train_epoch on the student's train_epoch."""
    return harness.run_train_epoch(module.train_epoch, weight, bias, batches, kind, lr, batchnorm=batchnorm)


def train(module, weight, bias, batches, val_batches, epochs, lr):
    """harness.run_train on the student's train."""
    return harness.run_train(module.train, weight, bias, batches, val_batches, epochs, lr)


def concise(module, seed, X, logits, labels, lr):
    """Describe what build_model / build_loss / build_optimizer return, without trusting their types."""
    torch.manual_seed(seed)
    model = module.build_model()
    # every parameter: the judge decides by shape and behaviour which is the weight and the bias (affine.py)
    out = {"output": model(X), "parameters": [[name, p.detach()] for name, p in model.named_parameters()]}
    loss = module.build_loss()
    out["loss_type"], out["reduction"] = type(loss).__name__, getattr(loss, "reduction", None)
    out["loss_values"] = loss(logits, labels)
    optimizer = module.build_optimizer(model, lr=lr)
    out["optimizer_type"] = type(optimizer).__name__
    groups = getattr(optimizer, "param_groups", [])
    out["lr"] = [float(g.get("lr", float("nan"))) for g in groups]
    covered = {id(p) for g in groups for p in g["params"]}
    out["covers_all_parameters"] = covered == {id(p) for p in model.parameters()}
    return out


def _student_lib():
    return SimpleNamespace(**{name: _lib(name) for name in ("model", "losses", "optim", "training", "concise")})


def fit_scratch(module, **kwargs):
    """harness.fit_scratch on the student's modules."""
    return harness.fit_scratch(_student_lib(), batches_type=_lib("batches").TensorBatches, **kwargs)


def fit_concise(module, **kwargs):
    """harness.fit_concise on the student's modules."""
    return harness.fit_concise(_student_lib(), batches_type=_lib("batches").TensorBatches, **kwargs)
