"""Hidden graders for course_lib/losses.py."""

import time

import torch
import torch.nn.functional as F

from course_tools.judge.causes import Cause
from course_tools.judge.checks import check, expect, expect_close
from course_tools.i18n import N_, _

MEAN = N_("Return per-example losses of shape (n,), not their mean: the training loop reduces them.")
COLUMN = N_("Return shape (n,), not (n, 1): index y_hat[torch.arange(n), y] or squeeze the gathered column.")
# (n, 1) instead of (n,): diagnosed by the value checks; the gradient checks then see that column
# broadcast against an (n,) upstream into (n, n), so each gradient row carries the upstream's sum
COLUMN_CAUSE = Cause("ce_column", "cross_entropy: values and shape (n,)", N_("your cross_entropy returns shape (n, 1), not (n,)"),
                     COLUMN)
LOGITS_COLUMN_CAUSE = Cause("ce_logits_column", "cross_entropy_from_logits: matches F.cross_entropy",
                            N_("your cross_entropy_from_logits returns shape (n, 1), not (n,)"), COLUMN)
PICK = N_("Pick y_hat[i, y[i]] for each row i (y_hat[torch.arange(n), y]); y_hat[:, y] picks an (n, n) block.")


def _probs(gen, n=8, q=5, dtype=torch.float32):
    return torch.softmax(torch.randn(n, q, generator=gen, dtype=dtype), dim=1)


@check("cross_entropy: values and shape (n,)", hint=PICK)
def test_values_and_shape(student, ref, gen):
    y_hat, y = _probs(gen), torch.randint(0, 5, (8,), generator=gen)
    expected = ref.losses.cross_entropy(y_hat, y)
    expect_close(student.call("losses", "cross_entropy", y_hat, y), expected, "cross_entropy(y_hat, y)",
                 diagnoses=[(MEAN, expected.mean()), (MEAN, expected.mean().reshape(1)), (COLUMN_CAUSE, expected[:, None]),
                            (N_("Negate the log: the loss is -log(p), which is positive."), -expected)])


@check("cross_entropy: picks the true class (int64 and int32 labels)", hint=PICK)
def test_picks_true_class(student, gen):
    y_hat = _probs(gen, n=6, q=4, dtype=torch.float64)
    y = torch.randint(0, 4, (6,), generator=gen)
    expected = F.nll_loss(y_hat.log(), y, reduction="none")  # oracle: PyTorch
    for labels in (y, y.to(torch.int32)):
        expect_close(student.call("losses", "cross_entropy", y_hat, labels), expected, _("cross_entropy with {dtype} labels").format(dtype=labels.dtype),
                     diagnoses=[(COLUMN_CAUSE, expected[:, None])])


@check("cross_entropy: gradient", hint=N_("Keep the loss differentiable: index with tensors, do not call .item() or .detach()."))
def test_gradient(student, gen):
    y_hat, y = _probs(gen, n=5, q=3, dtype=torch.float64), torch.randint(0, 3, (5,), generator=gen)
    up = torch.rand(5, generator=gen, dtype=torch.float64)
    got = student.run("grad", "losses", name="cross_entropy", args=[y_hat, y], wrt=[0], upstream=up)["grads"][0]
    expected, column = torch.zeros_like(y_hat), torch.zeros_like(y_hat)
    expected[torch.arange(5), y] = -up / y_hat[torch.arange(5), y]  # by hand: d(-log p)/dp = -1/p
    column[torch.arange(5), y] = -up.sum() / y_hat[torch.arange(5), y]  # an (n, 1) result times the (n,) upstream
    expect_close(got, expected, "d loss / d y_hat", diagnoses=[(COLUMN_CAUSE, column)])


@check("cross_entropy: vectorised", hint=N_("No Python loop over examples: fancy indexing y_hat[torch.arange(n), y] or gather picks all at once."))
def test_vectorised(student, ref, gen):
    n = 200_000
    y_hat, y = _probs(gen, n=n, q=10), torch.randint(0, 10, (n,), generator=gen)
    repeat = 5
    ref.losses.cross_entropy(y_hat, y)
    labels, calls = y, []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the worker: a busy machine cannot inflate the reference's threads' time
    try:
        for _call in range(repeat):  # the same work as the probe: a fresh roll of the labels per call
            start = time.perf_counter()
            labels = torch.roll(labels, 1, 0)
            ref.losses.cross_entropy(y_hat, labels)
            calls.append(time.perf_counter() - start)
    finally:
        torch.set_num_threads(threads)
    reference = min(calls)  # the least disturbed call
    timings = []
    for count in (0, repeat):  # the difference cancels the transfer of the inputs
        start = time.perf_counter()
        last = student.run("timed", "losses", timeout=120, name="cross_entropy", args=[y_hat, y], repeat=count, vary=1)
        timings.append(time.perf_counter() - start)
    # the timed calls must have done the work, each on new labels: neither a patched probe that
    # skips it nor a function that remembers an earlier answer gets time credit
    right = ref.losses.cross_entropy(y_hat, torch.roll(y, repeat, 0))
    expect_close(last, right, _("cross_entropy on {n} examples (the last timed call's result)").format(n=n),
                 diagnoses=[(COLUMN_CAUSE, right[:, None])])
    theirs = max(timings[1] - timings[0], 0.0) / repeat
    # generous: only a per-example Python loop is this slow (about 1 s and more here); the book's
    # y_hat[range(len(y_hat)), y] builds its index list in C, in about 0.15 s, and passes
    budget = 25 * reference + 0.5
    expect(theirs <= budget, _("{seconds} s per call on {n} examples; the reference takes {reference} s").format(
        seconds=f"{theirs:.3f}", n=n, reference=f"{reference:.4f}"))


@check("cross_entropy_from_logits: matches F.cross_entropy", hint=N_("Take -log_softmax(logits) at the true class; log_softmax must be over the last dimension."))
def test_from_logits_matches(student, gen):
    logits, y = torch.randn(10, 6, generator=gen, dtype=torch.float64) * 4, torch.randint(0, 6, (10,), generator=gen)
    expected = F.cross_entropy(logits, y, reduction="none")  # oracle: PyTorch
    expect_close(student.call("losses", "cross_entropy_from_logits", logits, y), expected, "cross_entropy_from_logits",
                 diagnoses=[(MEAN, expected.mean()), (LOGITS_COLUMN_CAUSE, expected[:, None])])


@check("cross_entropy_from_logits: stable for huge logits", hint=N_("Use log_softmax (log-sum-exp), never log(softmax(logits)): a probability that underflows to 0 gives log(0) = -inf."))
def test_from_logits_stable(student):
    logits = torch.tensor([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [0.0, 0.0, 1e4]], dtype=torch.float32)
    y = torch.tensor([1, 1, 0])
    expect_close(student.call("losses", "cross_entropy_from_logits", logits, y),
                 F.cross_entropy(logits, y, reduction="none"), _("cross_entropy_from_logits of logits ±1e4"))


@check("cross_entropy_from_logits: gradient", hint=N_("The gradient of the loss is softmax(logits) - one_hot(y); keep the computation differentiable."))
def test_from_logits_gradient(student, gen):
    logits, y = torch.randn(4, 5, generator=gen, dtype=torch.float64), torch.randint(0, 5, (4,), generator=gen)
    got = student.run("grad", "losses", name="cross_entropy_from_logits", args=[logits, y], wrt=[0], upstream=torch.ones(4, dtype=torch.float64))["grads"][0]
    expected = torch.softmax(logits, 1) - F.one_hot(y, 5).double()  # by hand
    # an (n, 1) result broadcast against the (n,) upstream of ones sums n copies: n times the gradient
    expect_close(got, expected, "d loss / d logits", diagnoses=[(LOGITS_COLUMN_CAUSE, 4 * expected)])
