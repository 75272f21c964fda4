"""Hidden graders: the student's whole pipeline trains on Fashion-MNIST; accuracy is judged here.

The worker gets only training images and labels; held-out accuracy is computed in this process,
on the test split, from the weights it sends back.
"""

import pytest
import torch

from course_lib.batches import TensorBatches
from course_lib.data import load_fashion_mnist_tensors
from course_tools.worker import harness
from course_tools.judge.affine import weight_and_bias
from course_tools.judge.checks import as_tensor, check, expect
from course_tools.i18n import N_, _

MARGIN = 0.02  # accuracy may fall this far below the reference's on the same data and seed
BATCH, LR = 256, 0.1
# the exercise modules each pipeline runs: a module whose import already hung fails it at once
SCRATCH = ("softmax", "losses", "metrics", "model", "optim", "training")
CONCISE = ("metrics", "training", "concise")


@pytest.fixture(scope="session")
def fashion():
    """Train and test tensors; on the full dataset fewer epochs keep within the time budget."""
    train, test = load_fashion_mnist_tensors(True), load_fashion_mnist_tensors(False)
    epochs = 10 if train[0].shape[0] <= 10_000 else 3
    return train, test, epochs


def _accuracy(logits, labels):
    return float((logits.argmax(dim=1) == labels).double().mean())


def _held_out(theirs, epochs, reference):
    return _("held-out accuracy {theirs} after {epochs} epochs; the reference reaches {reference}").format(
        theirs=f"{theirs:.3f}", epochs=epochs, reference=f"{reference:.3f}")


def _fit(student, ref, fashion, seed, probe, needs):
    (images, labels), (test_images, test_labels), epochs = fashion
    args = dict(seed=seed, images=images, labels=labels, epochs=epochs, lr=LR, batch_size=BATCH)
    budget = 60 + 4 * epochs * images.shape[0] / 1000  # seconds: ample for a correct loop
    got = student.run(probe, "training", timeout=budget, needs=needs, **args)
    expected = getattr(harness, probe)(ref, batches_type=TensorBatches, **args)
    X = test_images.reshape(test_images.shape[0], -1).to(torch.float32) / 255
    return got, expected, X, test_labels, epochs


@check("train: from-scratch pipeline reaches the reference's held-out accuracy", hint=N_("Train with your SoftmaxRegression, cross_entropy, sgd and train; if the unit checks above pass, look at the learning rate and the update."),
       builds_on=SCRATCH)
def test_scratch(student, ref, fashion, seed):
    got, expected, X, y, epochs = _fit(student, ref, fashion, seed, "fit_scratch", SCRATCH)
    W, b = as_tensor(got["W"], _("trained W")).double(), as_tensor(got["b"], _("trained b")).double()
    expect(W.shape == (784, 10) and b.shape == (10,),
           _("trained W, b have shapes {W}, {b}").format(W=tuple(W.shape), b=tuple(b.shape)))
    theirs = _accuracy(X.double() @ W + b, y)
    reference = _accuracy(X.double() @ expected["W"].double() + expected["b"].double(), y)
    expect(theirs >= reference - MARGIN, _held_out(theirs, epochs, reference))


@check("build_model: concise model reaches the reference's held-out accuracy", hint=N_("Train build_model() with build_loss(), build_optimizer() and your train; if the unit checks pass, check the loss reduction and the learning rate."),
       builds_on=CONCISE)
def test_concise(student, ref, fashion, seed):
    got, expected, X, y, epochs = _fit(student, ref, fashion, seed, "fit_concise", CONCISE)
    W, b = (t.double() for t in weight_and_bias(got["parameters"], _("the trained model")))
    ref_W, ref_b = (t.double() for t in weight_and_bias(expected["parameters"], _("the reference")))
    theirs = _accuracy(X.double() @ W.T + b, y)
    reference = _accuracy(X.double() @ ref_W.T + ref_b, y)
    expect(theirs >= reference - MARGIN, _held_out(theirs, epochs, reference))
