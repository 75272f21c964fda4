"""What grader tests are written with: the @check decorator, Mistake, and comparisons that diagnose."""

from __future__ import annotations

import torch

from ..i18n import N_, _


class Mistake(AssertionError):
    """A failed check: `detail` (expected vs got; shown for visible checks) and a `hint` naming the mistake.

    `crash` (a crash.Crash) when the student's own code raised: shown by every check, hidden ones too.
    `cause` (a causes.Cause) when a diagnosis named a mistake that other checks may share.
    """

    def __init__(self, detail: str, hint: str | None = None, crash=None, cause=None):
        super().__init__(detail)
        self.detail, self.crash, self.cause = detail, crash, cause
        self.hint = cause.hint if cause is not None and hint is None else hint


def check(title: str, *, hint: str, builds_on: tuple[str, ...] = ()):
    """Name a grader test 'contract_name: what it checks' and give the hint shown when it fails.

    The title is the check's key (grading.toml, gradebooks) and is translated only when shown; mark
    the hint N_() so that it is extracted for the catalogues and translated when shown.

    `builds_on`: the exercise modules an end-to-end check runs; when it fails with no crash or cause
    of its own, its feedback names their failing checks instead (causes.link).
    """
    if ": " not in title:
        raise ValueError(f"check titles start with the contract name and a colon: {title!r}")

    def mark(fn):
        fn.check_title, fn.check_hint, fn.check_builds_on = title, hint, tuple(builds_on)
        return fn

    return mark


def _describe(t: torch.Tensor) -> str:
    values = t.flatten()[:6].tolist()
    return _("{dtype} {shape} starting {values}").format(
        dtype=t.dtype, shape=tuple(t.shape), values=[round(v, 4) if isinstance(v, float) else v for v in values])


def as_tensor(value, what: str) -> torch.Tensor:
    """Return `value` if the worker sent back a tensor, else raise a Mistake saying what came back."""
    if type(value) is not torch.Tensor:  # decoded values are plain tensors, never subclasses
        raise Mistake(_("{what}: expected a tensor, got {got}").format(what=what, got=f"{type(value).__name__} {value!r:.80}"))
    return value


def expect_close(actual, expected: torch.Tensor, what: str, *, diagnoses=(), atol=1e-5, rtol=1e-4,
                 check_dtype=True) -> None:
    """Raise a Mistake unless `actual` matches `expected` in shape, dtype and values.

    `diagnoses` is a sequence of (hint, wrong_tensor): when `actual` matches a known wrong answer
    (e.g. the sum over the wrong axis), that hint names the mistake. The hint may be a causes.Cause,
    which the Mistake then carries, so that other checks failing for it can point here.
    """
    actual = as_tensor(actual, what)
    for hint, wrong in diagnoses:
        if wrong is not None and actual.shape == wrong.shape and torch.allclose(
                actual.to(torch.float64), wrong.to(torch.float64), atol=atol, rtol=rtol, equal_nan=True):
            if not (actual.shape == expected.shape and torch.allclose(actual.to(torch.float64), expected.to(torch.float64), atol=atol, rtol=rtol, equal_nan=True)):
                raise _diagnosed(_expected_got(what, expected, actual), hint)
    if actual.shape != expected.shape:
        raise Mistake(_("{what}: expected shape {expected}, got {got}").format(
            what=what, expected=tuple(expected.shape), got=tuple(actual.shape)))
    if check_dtype and actual.dtype != expected.dtype:
        raise Mistake(_("{what}: expected dtype {expected}, got {got}").format(what=what, expected=expected.dtype, got=actual.dtype),
                      N_("Keep the input's dtype: avoid creating float32 constants or calling .float()."))
    if not torch.allclose(actual.to(torch.float64), expected.to(torch.float64), atol=atol, rtol=rtol, equal_nan=True):
        bad = (actual.to(torch.float64) - expected.to(torch.float64)).abs().nan_to_num(float("inf")).max().item()
        raise Mistake(_expected_got(what, expected, actual) + _(" (max error {error})").format(error=f"{bad:.3g}"))


def _expected_got(what: str, expected: torch.Tensor, actual: torch.Tensor) -> str:
    return _("{what}: expected {expected}, got {got}").format(what=what, expected=_describe(expected), got=_describe(actual))


def _diagnosed(detail: str, hint) -> Mistake:
    """A Mistake whose hint is a string, or a Cause (duck-typed: it has .home and .summary)."""
    if hasattr(hint, "home"):
        return Mistake(detail, cause=hint)
    return Mistake(detail, hint)


def expect(condition: bool, detail: str, hint=None) -> None:
    """Raise a Mistake with `detail` (and `hint`, a string or a causes.Cause) unless `condition` holds."""
    if not condition:
        raise _diagnosed(detail, hint)
