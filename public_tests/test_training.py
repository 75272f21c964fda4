"""Public checks for course_lib/training.py."""

import torch

from course_tools.judge.checks import check, expect
from course_tools.i18n import N_, _


def _data(n_batches=4):
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(8 * n_batches, 4, generator=gen)
    y = (X[:, 0] > 0).long()  # a separable two-class problem
    return [(X[i:i + 8], y[i:i + 8]) for i in range(0, len(y), 8)]


@check("train_epoch: returns (mean loss, accuracy) and learns", hint=N_("Return (total loss / examples, correct / examples); zero_grad, backward and step once per batch."))
def test_train_epoch(student):
    batches = _data()
    got = student.run("train_epoch", "training", weight=torch.zeros(2, 4), bias=torch.zeros(2), batches=batches * 5, kind="optimizer", lr=0.5)
    result = got["result"]
    expect(isinstance(result, list) and len(result) == 2,
           _("train_epoch returned {result}, expected a pair").format(result=f"{result!r:.80}"))
    loss, acc = result
    expect(isinstance(loss, float) and isinstance(acc, float),
           _("expected two floats, got {loss} and {accuracy}").format(loss=type(loss).__name__, accuracy=type(acc).__name__))
    expect(0 < loss < torch.log(torch.tensor(2.0)).item() and 0.5 < acc <= 1,
           _("mean loss {loss}, accuracy {accuracy}: the net did not learn").format(loss=f"{loss:.3f}", accuracy=f"{acc:.3f}"))


@check("train: one record per epoch", hint=N_("Append {'epoch', 'train_loss', 'train_acc', 'val_acc'} once per epoch and return the list."))
def test_train(student):
    batches = _data()
    got = student.run("train", "training", weight=torch.zeros(2, 4), bias=torch.zeros(2), batches=batches, val_batches=batches, epochs=3, lr=0.5)
    history = got["history"]
    expect(isinstance(history, list) and [r.get("epoch") for r in history if isinstance(r, dict)] == [1, 2, 3],
           _("history {history}, expected three records with epochs 1, 2, 3").format(history=f"{history!r:.120}"))
