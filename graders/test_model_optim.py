"""Hidden graders for course_lib/model.py and course_lib/optim.py."""

import torch

from course_tools.judge.checks import check, expect, expect_close
from course_tools.i18n import N_, _

TWICE = N_("Divide the summed gradient by batch_size exactly once: p -= lr * p.grad / batch_size.")


@check("SoftmaxRegression: parameter shapes and initialisation statistics", hint=N_("W = torch.normal(0, sigma, (num_inputs, num_outputs)); b = torch.zeros(num_outputs)."))
def test_init(student, seed):
    got = student.run("model_init", "model", seed=seed, num_inputs=784, num_outputs=10, sigma=0.01)
    W, b = got["W"], got["b"]
    expect(isinstance(W, torch.Tensor) and W.shape == (784, 10),
           _("W has shape {shape}, expected (784, 10)").format(shape=getattr(W, "shape", None)),
           N_("W maps inputs to outputs: shape (num_inputs, num_outputs), so that X @ W works."))
    expect(isinstance(b, torch.Tensor) and b.shape == (10,) and bool((b == 0).all()),
           _("b is {b}, expected zeros of shape (10,)").format(b=f"{b!r:.60}"))
    expect(abs(W.mean().item()) < 2e-3 and abs(W.std().item() - 0.01) < 1.5e-3,
           _("W has mean {mean} and std {std}; expected 0 and sigma = 0.01").format(
               mean=f"{W.mean().item():.4f}", std=f"{W.std().item():.4f}"))
    small = student.run("model_init", "model", seed=seed, num_inputs=30, num_outputs=4, sigma=2.0)
    expect(small["W"].shape == (30, 4) and abs(small["W"].std().item() - 2.0) < 0.5,
           _("sigma and the sizes must come from the arguments"))


@check("SoftmaxRegression: params are leaves that require grad", hint=N_("Create W and b with requires_grad=True on the final tensor (not before multiplying by sigma); params returns [W, b]."))
def test_leaves(student, seed):
    got = student.run("model_init", "model", seed=seed, num_inputs=20, num_outputs=3, sigma=0.01)
    expect(got["flags"] == [[True, True], [True, True]], _("[is_leaf, requires_grad] for W and b: {flags}").format(flags=got["flags"]))
    expect(got["params_are_W_b"], _("params must be the list [W, b] of the model's own tensors"))
    expect(not got["is_module"], _("SoftmaxRegression must not subclass nn.Module: this is the from-scratch version"))


@check("SoftmaxRegression: forward pass", hint=N_("Flatten X to (n, num_inputs) with X.reshape(X.shape[0], -1), then softmax(X @ W + b)."))
def test_forward(student, gen):
    W, b = torch.randn(12, 3, generator=gen), torch.randn(3, generator=gen)
    X = torch.randn(5, 1, 3, 4, generator=gen)
    expected = torch.softmax(X.reshape(5, 12) @ W + b, dim=1)  # oracle: torch.softmax
    expect_close(student.run("model_forward", "model", W=W, b=b, X=X), expected,
                 _("SoftmaxRegression(X) for X of shape (5, 1, 3, 4)"))


def _sgd(student, gen, batch_size=4):
    params = [torch.randn(3, 2, generator=gen), torch.randn(2, generator=gen)]
    grads = [torch.randn(3, 2, generator=gen), torch.randn(2, generator=gen)]
    return params, grads, student.run("sgd", "optim", params=params, grads=grads, lr=0.3, batch_size=batch_size)


@check("sgd: update rule", hint=N_("p -= lr * p.grad / batch_size, in place, inside torch.no_grad()."))
def test_update_rule(student, gen):
    params, grads, got = _sgd(student, gen)
    for i, (p, g) in enumerate(zip(params, grads)):
        expect_close(got["params"][i], p - 0.3 * g / 4, _("parameter {i} after sgd(lr=0.3, batch_size=4)").format(i=i),
                     diagnoses=[(TWICE, p - 0.3 * g / 16),
                                (N_("Divide by batch_size: the gradients are summed over the batch."), p - 0.3 * g),
                                (N_("Step against the gradient: p - lr * grad, not p + lr * grad."), p + 0.3 * g / 4)])
    expect(got["same_objects"], _("sgd must update the given tensors in place"))


@check("sgd: zeroes gradients and keeps leaves", hint=N_("Zero or clear each gradient after the update (p.grad.zero_() or p.grad = None), and update in place under torch.no_grad() so p stays a leaf."))
def test_zero_and_leaves(student, gen):
    params, grads, got = _sgd(student, gen)
    # a cleared gradient (None) is a zeroed one: torch.optim's zero_grad() sets None by default
    expect(all(g is None or (isinstance(g, torch.Tensor) and not g.any()) for g in got["grads"]),
           _("the gradients were neither zeroed nor cleared after the update"),
           N_("Zero or clear each gradient after the update (p.grad.zero_() or p.grad = None): otherwise the next "
              "batch's gradients add to this one's."))
    expect(all(got["leaf"]) and all(got["requires_grad"]),
           _("after sgd, is_leaf={leaf}, requires_grad={requires_grad}").format(leaf=got["leaf"], requires_grad=got["requires_grad"]))
    for i, (p, g) in enumerate(zip(params, grads)):  # zeroing alone is not sgd: the update must be right too
        expect_close(got["params"][i], p - 0.3 * g / 4, _("parameter {i} after sgd(lr=0.3, batch_size=4)").format(i=i))
