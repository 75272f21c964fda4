"""Hidden graders for course_lib/softmax.py."""

import ast

import torch

from course_tools.judge.checks import Mistake, check, expect, expect_close
from course_tools.i18n import N_, _

OVERFLOW = N_("Subtract the row maximum before exp: exp(1e4) overflows to inf, and inf/inf is NaN.")
VALUES = N_("First make softmax return the reference's values (see 'softmax: matches the reference on random inputs'); "
            "this check needs them too.")
WRONG_AXIS = N_("Normalise over the last dimension: sum(dim=-1, keepdim=True), not dim=0 or the whole tensor.")


def _wrong_axes(X):
    e = torch.exp(X - X.max())
    return [(WRONG_AXIS, e / e.sum()), (WRONG_AXIS, e / e.sum(dim=0, keepdim=True))]


def _softmax_of(X):
    return _("softmax of a {dtype} tensor of shape {shape}").format(dtype=X.dtype, shape=tuple(X.shape))


def _expect_softmax(out, expected, X, **tolerance):
    """For checks of a property: the property earns points only if the values are right too."""
    try:
        expect_close(out, expected, _softmax_of(X), diagnoses=_wrong_axes(X), **tolerance)
    except Mistake as mistake:
        mistake.hint = mistake.hint or VALUES
        raise


def _inputs(gen):
    shapes = [(7,), (5, 10), (3, 4, 6)]
    return [torch.randn(s, generator=gen, dtype=dtype) * 3 for s in shapes for dtype in (torch.float32, torch.float64)]


@check("softmax: matches the reference on random inputs", hint=WRONG_AXIS)
def test_softmax_matches_reference(student, ref, gen):
    for X in _inputs(gen):
        expect_close(student.call("softmax", "softmax", X), ref.softmax.softmax(X),
                     _softmax_of(X), diagnoses=_wrong_axes(X))


@check("softmax: rows sum to one", hint=WRONG_AXIS)
def test_rows_sum_to_one(student, gen):
    X = torch.randn(6, 9, generator=gen, dtype=torch.float64)
    out = student.call("softmax", "softmax", X)
    expect_close(out.sum(dim=-1) if isinstance(out, torch.Tensor) else out, torch.ones(6, dtype=torch.float64),
                 _("row sums of softmax(X)"))


@check("softmax: invariant to shifts", hint=N_("softmax(X + c) must equal softmax(X): compute exp of X, not of X plus a constant you add."))
def test_shift_invariance(student, ref, gen):
    X = torch.randn(4, 5, generator=gen, dtype=torch.float64)
    expected = ref.softmax.softmax(X)  # oracle: the reference on the unshifted X
    for c in (50.0, -1000.0, 1000.0):  # exp(±1000) over- or underflows even in float64: only a shifted exp survives
        out = student.call("softmax", "softmax", X + c)
        if isinstance(out, torch.Tensor) and out.shape == expected.shape and not bool(torch.isfinite(out).all()):
            raise Mistake(_("softmax(X + {c}) has non-finite entries").format(c=f"{c:g}"), OVERFLOW)
        expect_close(out, expected, _("softmax(X + {c}) vs the reference's softmax(X)").format(c=f"{c:g}"), diagnoses=_wrong_axes(X))


@check("softmax: stable for extreme logits", hint=OVERFLOW)
def test_extreme_logits(student, ref):
    inf = float("inf")
    X = torch.tensor([[1e4, 0.0, -1e4], [1e4, 1e4, -1e4], [0.0, -inf, 1.0], [-inf, -inf, 3.0]], dtype=torch.float32)
    # float32 at magnitude 1e4 keeps about 1e-3 absolute precision; an overflow gives NaN, far outside it
    expect_close(student.call("softmax", "softmax", X), ref.softmax.softmax(X), _("softmax of logits ±1e4 and -inf"), atol=1e-3)


@check("softmax: keeps dtype and device", hint=N_("Build new tensors with the input's dtype and device (e.g. torch.zeros_like)."))
def test_dtype_device(student, ref, gen):
    for dtype in (torch.float64, torch.float16):
        X = torch.randn(3, 4, generator=gen).to(dtype)
        out = student.call("softmax", "softmax", X)
        expect(isinstance(out, torch.Tensor) and out.dtype == dtype,
               _("softmax of a {dtype} input returned {got}").format(dtype=dtype, got=getattr(out, "dtype", type(out).__name__)))
        # The device is judged by the values alone: the sandboxed worker sees only the CPU (bubblewrap's
        # /dev holds no GPU; "meta" tensors hold no values to send), so values that arrive were on X's device.
        # float16 keeps about 3 significant digits: a correct softmax computed another way differs by a few ulps
        _expect_softmax(out, ref.softmax.softmax(X), X, atol=2e-3, rtol=1e-2)


@check("softmax: does not modify its input", hint=N_("Do not use in-place operations (X -= ..., X.exp_()) on the input."))
def test_no_mutation(student, ref, gen):
    X = torch.randn(3, 5, generator=gen)
    reply = student.run("call", "softmax", name="softmax", args=[X.clone()])
    expect_close(reply["args_after"][0], X, _("the input X after the call"))
    # leaving X alone earns the point only together with the right answer
    _expect_softmax(reply["result"], ref.softmax.softmax(X), X)


@check("softmax: gradient matches autograd through the reference", hint=N_("Keep the computation differentiable: no .detach() on the result, no .item(), no numpy."))
def test_gradient(student, ref, gen):
    X = torch.randn(4, 6, generator=gen, dtype=torch.float64)
    up = torch.randn(4, 6, generator=gen, dtype=torch.float64)
    got = student.run("grad", "softmax", name="softmax", args=[X], wrt=[0], upstream=up)["grads"][0]
    Xr = X.clone().requires_grad_()
    (ref.softmax.softmax(Xr) * up).sum().backward()
    expect_close(got, Xr.grad, "d softmax / dX")


BANNED = {"softmax", "log_softmax", "Softmax", "LogSoftmax", "logsumexp", "Softmax2d", "softmin"}


def _library_calls(source):
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in BANNED:
            found.append(node.attr)
        elif isinstance(node, ast.ImportFrom) and any(a.name in BANNED for a in node.names):
            found.extend(a.name for a in node.names if a.name in BANNED)
    return found


@check("softmax: calls no library softmax", hint=N_("Write softmax from exp, max and sum yourself: torch.softmax, F.softmax, nn.Softmax and torch.logsumexp are off limits here."))
def test_no_library_softmax(student, ref, gen):
    X = torch.randn(2, 3, generator=gen)
    _expect_softmax(student.call("softmax", "softmax", X), ref.softmax.softmax(X), X)  # only working code earns this
    try:
        found = _library_calls(student.source("softmax"))
    except SyntaxError as error:
        raise Mistake(_("course_lib/softmax.py has a syntax error: {error}").format(error=error)) from None
    expect(not found, _("course_lib/softmax.py uses {names}").format(names=sorted(set(found))))


@check("log_softmax: matches the reference", hint=N_("log_softmax(X) = X - m - log(sum(exp(X - m))) over the last dimension, m the row max."))
def test_log_softmax_matches(student, ref, gen):
    for X in _inputs(gen):
        expect_close(student.call("softmax", "log_softmax", X), ref.softmax.log_softmax(X),
                     _("log_softmax of {shape} {dtype}").format(shape=tuple(X.shape), dtype=X.dtype))


@check("log_softmax: stable for extreme logits", hint=N_("Never take log(softmax(X)): for logits ±1e4 a probability underflows to 0 and log(0) = -inf. Use the log-sum-exp trick."))
def test_log_softmax_extreme(student, ref):
    X = torch.tensor([[1e4, 0.0, -1e4], [0.0, -float("inf"), 2.0]], dtype=torch.float32)
    expect_close(student.call("softmax", "log_softmax", X), ref.softmax.log_softmax(X), _("log_softmax of logits ±1e4 and -inf"))
