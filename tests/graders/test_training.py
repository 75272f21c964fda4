"""Hidden graders for course_lib/training.py, on instrumented nets, losses and updaters."""

import torch

from course_tools.grading import harness
from course_tools.grading.checks import check, expect, expect_close

ZERO_GRAD = "Call updater.zero_grad() before backward() in each batch: otherwise gradients accumulate across batches."


def _setup(gen, sizes=(5, 5, 3)):
    weight, bias = torch.randn(3, 4, generator=gen) * 0.1, torch.zeros(3)
    batches = [(torch.randn(n, 4, generator=gen), torch.randint(0, 3, (n,), generator=gen)) for n in sizes]
    return weight, bias, batches


def _close(value, expected: float) -> bool:
    """Is a record's value (a number or a one-element tensor) within 1e-4 of the reference's?"""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    return isinstance(value, (int, float)) and abs(float(value) - expected) < 1e-4


def _both(student, ref, gen, kind):
    weight, bias, batches = _setup(gen)
    got = student.run("train_epoch", "training", weight=weight, bias=bias, batches=batches, kind=kind, lr=0.5)
    expected = harness.run_train_epoch(ref.training.train_epoch, weight, bias, batches, kind, 0.5)
    return got, expected


@check("train_epoch: zeroes gradients before each step", hint=ZERO_GRAD)
def test_optimizer_updater(student, ref, gen):
    got, expected = _both(student, ref, gen, "optimizer")
    steps = [e for e in got["events"] if e[0] == "step"]
    expect(len(steps) == 3, f"optimizer.step() was called {len(steps)} times for 3 batches")
    order = [e[0] for e in got["events"] if e[0] in ("zero_grad", "step")]
    expect(order.count("zero_grad") >= 3 and order.index("zero_grad") < order.index("step"), f"calls in order: {order}", ZERO_GRAD)
    expect_close(got["weight"], expected["weight"], "weights after one epoch with torch.optim.SGD",
                 diagnoses=[])


@check("train_epoch: function updater gets summed gradients and batch sizes", hint="For a function updater: loss.sum().backward(), then updater(X.shape[0]) with this batch's size.")
def test_function_updater(student, ref, gen):
    got, expected = _both(student, ref, gen, "function")
    calls = [e for e in got["events"] if e[0] == "updater"]
    expect([c[1] for c in calls] == [5, 5, 3], f"updater was called with batch sizes {[c[1] for c in calls]}, expected [5, 5, 3]")
    expect_close(calls[0][2][0], [e for e in expected["events"] if e[0] == "updater"][0][2][0], "the gradient the updater saw",
                 diagnoses=[("Call loss.sum().backward() for a function updater: sgd divides by the batch size itself.",
                             [e for e in expected["events"] if e[0] == "updater"][0][2][0] / 5)])
    expect_close(got["weight"], expected["weight"], "weights after one epoch with a function updater")


@check("train_epoch: loss and accuracy averaged per example", hint="Accumulate loss.sum(), the number correct and the number of examples over the epoch, then divide once.")
def test_averages(student, ref, gen):
    got, expected = _both(student, ref, gen, "optimizer")
    result, want = got["result"], expected["result"]
    expect(isinstance(result, list) and len(result) == 2, f"train_epoch returned {result!r:.80}, expected (mean_loss, accuracy)")
    loss, acc = [float(v) if isinstance(v, torch.Tensor) and v.numel() == 1 else v for v in result]
    expect(isinstance(loss, float) and abs(loss - want[0]) < 1e-4, f"mean loss {loss!r}, expected {want[0]:.5f}")
    expect(isinstance(acc, float) and abs(acc - want[1]) < 1e-6, f"accuracy {acc!r}, expected {want[1]:.5f}")


@check("train_epoch: puts the net in train mode", hint="Call net.train() at the start when net is an nn.Module.")
def test_train_mode(student, ref, gen):
    weight, bias, batches = _setup(gen)
    got = student.run("train_epoch", "training", weight=weight, bias=bias, batches=batches, kind="optimizer", lr=0.1)
    modes = [e[1] for e in got["events"] if e[0] == "forward"]
    expect(modes and all(modes), f"the net's training flag in each forward call: {modes}")
    # the mode only counts for a loop that trains: oracle, the reference's epoch run here
    want = harness.run_train_epoch(ref.training.train_epoch, weight, bias, batches, "optimizer", 0.1)
    expect_close(got["weight"], want["weight"], "weights after one epoch with torch.optim.SGD")


@check("train: history records and callback", hint="After each epoch, build {'epoch', 'train_loss', 'train_acc', 'test_acc'} (epoch from 1), append it, and call callback(record).")
def test_history(student, ref, gen):
    weight, bias, batches = _setup(gen)
    got = student.run("train", "training", weight=weight, bias=bias, batches=batches, test_batches=batches[:2], epochs=3, lr=0.3)
    want = harness.run_train(ref.training.train, weight, bias, batches, batches[:2], 3, 0.3)
    history = got["history"]
    expect(isinstance(history, list) and len(history) == 3, f"history has {len(history) if isinstance(history, list) else history!r} records, expected 3")
    for record, expected in zip(history, want["history"]):
        expect(isinstance(record, dict) and set(record) >= {"epoch", "train_loss", "train_acc", "test_acc"}, f"record {record!r:.120}")
        for key, value in expected.items():
            expect(abs(float(record[key]) - value) < 1e-4, f"epoch {expected['epoch']}: {key} = {record[key]!r}, expected {value:.5f}")
    calls = got["calls"]
    expect(isinstance(calls, list) and len(calls) == 3, f"callback was called {len(calls) if isinstance(calls, list) else calls!r} times for 3 epochs")
    for record, expected in zip(calls, want["history"]):  # oracle: the reference's records, not the student's history
        expect(isinstance(record, dict) and all(_close(record.get(k), v) for k, v in expected.items()),
               f"callback received {record!r:.160} after epoch {expected['epoch']}, expected that epoch's record {expected}")


@check("train: runs the given number of epochs", hint="Loop range(num_epochs) times, calling train_epoch once per epoch.")
def test_epochs(student, ref, gen):
    weight, bias, batches = _setup(gen, sizes=(4,))
    for epochs in (1, 4):
        got = student.run("train", "training", weight=weight, bias=bias, batches=batches, test_batches=batches, epochs=epochs, lr=0.5)
        # oracle: the reference's train for the same number of epochs, run here
        want = harness.run_train(ref.training.train, weight, bias, batches, batches, epochs, 0.5)
        expect_close(got["weight"], want["weight"], f"weights after train(num_epochs={epochs}) over a 1-batch dataset")
