"""Hidden graders for course_lib/training.py, on the nets, losses and updaters of course_tools/worker/harness.py."""

import torch

from course_tools.worker import harness
from course_tools.judge.causes import Cause
from course_tools.judge.checks import Mistake, check, expect, expect_close
from course_tools.i18n import N_, _

ZERO_GRAD = N_("Call net.zero_grad() or updater.zero_grad() before backward() in each batch: otherwise gradients "
               "accumulate across batches.")
SUMMED = N_("Call loss.sum().backward() for a function updater: sgd divides by the batch size itself.")
VALUES = N_("First make train_epoch train right (see 'train_epoch: zeroes gradients before each step'); "
            "this check's net then needs train mode on top.")

SUMMED_CAUSE = Cause(
    "summed_under_optimizer", "train_epoch: zeroes gradients before each step",
    N_("your train_epoch calls loss.sum().backward() with a torch.optim optimizer"),
    N_("With a torch.optim optimizer call loss.mean().backward(): the optimizer does not divide by the batch size. "
       "Keep loss.sum().backward() for a function updater, which divides itself."))
NOT_A_NUMBER = N_("Return Python numbers: float(x) or x.item(), not a numpy scalar or another object.")
NO_RETURN = N_("train returned None: return the list of records (the book's train_ch3 returns nothing; this contract asks for "
               "the history).")

# The first torch.optim optimizer built in a worker imports torch._dynamo (seconds on a busy machine):
# calls that build one get this long, so that torch's own import is never charged to the student's loop.
OPTIMIZER_TIMEOUT = 30.0

# No check here reads a log kept in the worker: gradient zeroing, the updater's calls, train mode and
# the callback's timing all change the trained weights, compared with the reference's on the same net.


def _setup(gen, sizes=(5, 5, 3)):
    weight, bias = torch.randn(3, 4, generator=gen) * 0.1, torch.zeros(3)
    batches = [(torch.randn(n, 4, generator=gen), torch.randint(0, 3, (n,), generator=gen)) for n in sizes]
    return weight, bias, batches


def _number(value) -> float | None:
    """A record's value as a float (a number or a one-element tensor), else None (e.g. a numpy scalar,
    which reaches the judge as wire.Unsendable)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _close(value, expected: float) -> bool:
    """Is a record's value within 1e-4 of the reference's?"""
    number = _number(value)
    return number is not None and abs(number - expected) < 1e-4


def _expect_number(value, what: str) -> None:
    """A Mistake naming the type, when the value is not a number the judge can read (a numpy scalar, a string...)."""
    expect(_number(value) is not None, _("{what} is {got}, expected a Python float").format(what=what, got=f"{value!r:.80}"),
           NOT_A_NUMBER)


def _expect_trained(got, expected, what, diagnoses=()):
    """The Linear's weight and bias after the epoch match the reference's (diagnoses: (hint, wrong run) pairs)."""
    for name in ("weight", "bias"):
        expect_close(got[name], expected[name], _("{name} {what}").format(name=name, what=what), diagnoses=[(hint, run[name]) for hint, run in diagnoses])


def _both(student, ref, gen, kind, lr=0.5, batchnorm=False):
    weight, bias, batches = _setup(gen)
    got = student.run("train_epoch", "training", weight=weight, bias=bias, batches=batches, kind=kind, lr=lr, batchnorm=batchnorm,
                      timeout=OPTIMIZER_TIMEOUT if kind == "optimizer" else None)
    expected = harness.run_train_epoch(ref.training.train_epoch, weight, bias, batches, kind, lr, batchnorm=batchnorm)
    return got, expected, (weight, bias, batches)


def _summed(train_epoch, weight, bias, batches, lr, batchnorm=False):
    """Oracle of the sum-under-an-optimizer mistake: the reference stepping on loss.sum()'s gradients."""
    return harness.run_train_epoch(train_epoch, weight, bias, batches, "optimizer", lr, batchnorm=batchnorm,
                                   loss=harness.summed_under_optimizer)


@check("train_epoch: zeroes gradients before each step", hint=ZERO_GRAD)
def test_optimizer_updater(student, ref, gen):
    # any zeroing that trains identically passes: updater.zero_grad(), net.zero_grad(), p.grad = None
    got, expected, (weight, bias, batches) = _both(student, ref, gen, "optimizer")
    summed = _summed(ref.training.train_epoch, weight, bias, batches, 0.5)
    _expect_trained(got, expected, _("after one epoch of 3 batches with torch.optim.SGD"), [(SUMMED_CAUSE, summed)])


@check("train_epoch: function updater gets summed gradients and batch sizes", hint=N_("For a function updater: loss.sum().backward(), then updater(X.shape[0]) with this batch's size."))
def test_function_updater(student, ref, gen):
    got, expected, (weight, bias, batches) = _both(student, ref, gen, "function")
    # oracle of the mean-backward mistake: the reference on losses divided by the batch size
    mean = harness.run_train_epoch(ref.training.train_epoch, weight, bias, batches, "function", 0.5,
                                   loss=lambda y_hat, y: harness.per_example_loss(y_hat, y) / y.shape[0])
    _expect_trained(got, expected, _("after one epoch of 3 batches (sizes 5, 5, 3) with a function updater"), [(SUMMED, mean)])


@check("train_epoch: loss and accuracy averaged per example", hint=N_("Accumulate loss.sum(), the number correct and the number of examples over the epoch, then divide once."))
def test_averages(student, ref, gen):
    got, expected, (weight, bias, batches) = _both(student, ref, gen, "optimizer")
    result, want = got["result"], expected["result"]
    expect(isinstance(result, list) and len(result) == 2,
           _("train_epoch returned {result}, expected (mean_loss, accuracy)").format(result=f"{result!r:.80}"))
    _expect_number(result[0], _("the mean loss"))
    _expect_number(result[1], _("the accuracy"))
    loss, acc = (_number(v) for v in result)
    # right averages of a wrong trajectory: the values the reference reports when it steps on summed gradients
    summed = _summed(ref.training.train_epoch, weight, bias, batches, 0.5)["result"]
    expect(not (isinstance(loss, float) and isinstance(acc, float) and abs(loss - summed[0]) < 1e-4
                and abs(acc - summed[1]) < 1e-6 and abs(loss - want[0]) >= 1e-4),
           _("mean loss {got}, expected {expected}").format(got=repr(loss), expected=f"{want[0]:.5f}"), SUMMED_CAUSE)
    expect(isinstance(loss, float) and abs(loss - want[0]) < 1e-4,
           _("mean loss {got}, expected {expected}").format(got=repr(loss), expected=f"{want[0]:.5f}"))
    expect(isinstance(acc, float) and abs(acc - want[1]) < 1e-6,
           _("accuracy {got}, expected {expected}").format(got=repr(acc), expected=f"{want[1]:.5f}"))


def _never_train_mode(train_epoch):
    """The reference train_epoch as if it never called net.train(): the net stays in eval mode."""
    def run(net, *args):
        net.train = lambda mode=True: net
        return train_epoch(net, *args)
    return run


@check("train_epoch: puts the net in train mode", hint=N_("Call net.train() at the start when net is an nn.Module."))
def test_train_mode(student, ref, gen):
    # the net holds BatchNorm and arrives in eval mode: only train mode gives the reference's weights
    got, expected, (weight, bias, batches) = _both(student, ref, gen, "optimizer", lr=0.1, batchnorm=True)
    stayed_eval = harness.run_train_epoch(_never_train_mode(ref.training.train_epoch), weight, bias, batches, "optimizer", 0.1,
                                          batchnorm=True)
    summed = _summed(ref.training.train_epoch, weight, bias, batches, 0.1, batchnorm=True)
    both = _summed(_never_train_mode(ref.training.train_epoch), weight, bias, batches, 0.1, batchnorm=True)
    try:
        _expect_trained(got, expected, _("after one epoch of a BatchNorm + Linear net handed over in eval mode"),
                        [(N_("Call net.train() at the start when net is an nn.Module: this net's BatchNorm normalises "
                             "by batch statistics only in train mode."), stayed_eval), (SUMMED_CAUSE, summed),
                         (_("Two mistakes: {summary} (see '{home}'), and it never calls net.train(): call it at the start "
                            "when net is an nn.Module.").format(summary=_(SUMMED_CAUSE.summary), home=_(SUMMED_CAUSE.home)),
                          both)])
    except Mistake as mistake:
        mistake.hint = mistake.hint or VALUES
        raise


@check("train: history records and callback", hint=N_("After each epoch, build {'epoch', 'train_loss', 'train_acc', 'val_acc'} (epoch from 1), append it, and call callback(record)."))
def test_history(student, ref, gen):
    weight, bias, batches = _setup(gen)
    got = student.run("train", "training", weight=weight, bias=bias, batches=batches, val_batches=batches[:2], epochs=3, lr=0.3,
                      timeout=OPTIMIZER_TIMEOUT)
    want = harness.run_train(ref.training.train, weight, bias, batches, batches[:2], 3, 0.3)
    history = got["history"]
    expect(history is not None, _("train returned None, expected a list of 3 records"), NO_RETURN)
    expect(isinstance(history, list) and len(history) == 3, _("history has {count} records, expected 3").format(
        count=len(history) if isinstance(history, list) else repr(history)))
    summed = harness.run_train(ref.training.train, weight, bias, batches, batches[:2], 3, 0.3, loss=harness.summed_under_optimizer)
    for record, expected, wrong in zip(history, want["history"], summed["history"]):
        expect(isinstance(record, dict) and set(record) >= {"epoch", "train_loss", "train_acc", "val_acc"},
               _("record {record}").format(record=f"{record!r:.120}"))
        for key, value in expected.items():
            _expect_number(record[key], _("epoch {epoch}: {key}").format(epoch=expected["epoch"], key=key))
            close = _close(record[key], value)
            detail = _("epoch {epoch}: {key} = {got}, expected {expected}").format(
                epoch=expected["epoch"], key=key, got=repr(record[key]), expected=f"{value:.5f}")
            expect(close or not _close(record[key], wrong[key]), detail, SUMMED_CAUSE)
            expect(close, detail)
    calls = got["calls"]
    expect(isinstance(calls, list) and len(calls) == 3, _("callback was called {count} times for 3 epochs").format(
        count=len(calls) if isinstance(calls, list) else repr(calls)))
    # oracle: the reference's records and the weights when its callback ran, not the student's history
    for (record, weight_then), (expected, expected_weight) in zip(calls, want["calls"]):
        expect(isinstance(record, dict) and all(_close(record.get(k), v) for k, v in expected.items()),
               _("callback received {record} after epoch {epoch}, expected that epoch's record {expected}").format(
                   record=f"{record!r:.160}", epoch=expected["epoch"], expected=expected))
        expect_close(weight_then, expected_weight,
                     _("the net's weight when callback received epoch {epoch}'s record").format(epoch=expected["epoch"]),
                     diagnoses=[(N_("Call callback(record) right after each epoch, not all at the end."), want["weight"])])


@check("train: runs the given number of epochs", hint=N_("Loop range(num_epochs) times, calling train_epoch once per epoch."))
def test_epochs(student, ref, gen):
    weight, bias, batches = _setup(gen, sizes=(4,))
    for epochs in (1, 4):
        got = student.run("train", "training", weight=weight, bias=bias, batches=batches, val_batches=batches, epochs=epochs, lr=0.5,
                          timeout=OPTIMIZER_TIMEOUT)
        # oracle: the reference's train for the same number of epochs, run here
        want = harness.run_train(ref.training.train, weight, bias, batches, batches, epochs, 0.5)
        summed = harness.run_train(ref.training.train, weight, bias, batches, batches, epochs, 0.5, loss=harness.summed_under_optimizer)
        expect_close(got["weight"], want["weight"],
                     _("weights after train(num_epochs={epochs}) over a 1-batch dataset").format(epochs=epochs),
                     diagnoses=[(SUMMED_CAUSE, summed["weight"])])
