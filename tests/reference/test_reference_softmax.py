"""Does the reference softmax / log_softmax meet the whole contract?"""

import ast
import inspect

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
import numpy as np

finite_logits = hnp.arrays(
    dtype=np.float64,
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(finite_logits)
def test_softmax_matches_torch(ref, logits):
    """Does softmax match torch.softmax over the last dimension, for any finite logits?"""
    X = torch.from_numpy(logits)
    torch.testing.assert_close(ref.softmax.softmax(X), torch.softmax(X, dim=-1))  # oracle: torch.softmax


@settings(max_examples=60, deadline=None)
@given(finite_logits)
def test_log_softmax_matches_torch(ref, logits):
    """Does log_softmax match torch.log_softmax, for any finite logits?"""
    X = torch.from_numpy(logits)
    torch.testing.assert_close(ref.softmax.log_softmax(X), torch.log_softmax(X, dim=-1))  # oracle: torch


@settings(max_examples=30, deadline=None)
@given(finite_logits, st.floats(-100, 100))
def test_softmax_is_shift_invariant(ref, logits, shift):
    """Is softmax(X + c) == softmax(X)?"""
    X = torch.from_numpy(logits)
    torch.testing.assert_close(ref.softmax.softmax(X + shift), ref.softmax.softmax(X))


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_extreme_logits_stay_finite_in_float32(ref, fn):
    """Do logits of magnitude 1e4 in float32 give no overflow, NaN or inf (beyond log(0))?"""
    X = torch.tensor([[1e4, -1e4, 0.0], [1e4, 1e4, 1e4], [-1e4, -1e4, -1e4]], dtype=torch.float32)
    out = getattr(ref.softmax, fn)(X)
    expected = getattr(torch, fn)(X, dim=-1)  # oracle: torch's own
    torch.testing.assert_close(out, expected)
    assert not out.isnan().any()


def test_minus_infinity_entries(ref):
    """Does a row with some -inf entries give them probability 0 and stay finite elsewhere?"""
    X = torch.tensor([[0.0, -float("inf"), 0.0], [-float("inf"), 5.0, -float("inf")]])
    torch.testing.assert_close(ref.softmax.softmax(X), torch.tensor([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]]))
    log = ref.softmax.log_softmax(X)
    assert log[0, 1] == -float("inf") and log[1, 1] == 0.0  # log(0) and log(1)


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64])
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_keeps_dtype_device_and_input(ref, fn, dtype):
    """Are dtype, device and shape kept, and X left unmodified?"""
    X = torch.randn(4, 5).to(dtype)
    before = X.clone()
    out = getattr(ref.softmax, fn)(X)
    assert out.dtype == dtype and out.device == X.device and out.shape == X.shape
    assert torch.equal(X, before)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_gradient_matches_autograd_through_torch(ref, fn):
    """Does the gradient match autograd through torch's own implementation?"""
    X = torch.randn(3, 4, 5, dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(3, 4, 5, dtype=torch.float64)
    (grad,) = torch.autograd.grad((getattr(ref.softmax, fn)(X) * upstream).sum(), X)
    (expected,) = torch.autograd.grad((getattr(torch, fn)(X, dim=-1) * upstream).sum(), X)
    torch.testing.assert_close(grad, expected)  # oracle: autograd through torch
    assert torch.autograd.gradcheck(getattr(ref.softmax, fn), (X[:1, :2],))  # finite differences


def test_calls_no_library_softmax(ref):
    """Does the reference avoid every library softmax and logsumexp?"""
    banned = {"softmax", "log_softmax", "Softmax", "LogSoftmax", "logsumexp"}
    names = {n.attr for n in ast.walk(ast.parse(inspect.getsource(ref.softmax))) if isinstance(n, ast.Attribute)}
    assert not names & banned
