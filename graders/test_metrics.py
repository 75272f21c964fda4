"""Hidden graders for course_lib/metrics.py."""

import torch

from course_tools.worker import harness
from course_tools.judge.causes import Cause
from course_tools.judge.checks import Mistake, check, expect
from course_tools.i18n import N_, _

FRACTION = N_("accuracy returns the number of correct predictions (a count), not the fraction: evaluate_accuracy divides.")
FRACTION_CAUSE = Cause("accuracy_fraction", "accuracy: counts correct predictions",
                       N_("your accuracy returns the fraction of correct predictions, not their count"), FRACTION)
SWAPPED_CAUSE = Cause("evaluate_accuracy_swapped", "evaluate_accuracy: fraction over all examples (ragged last batch)",
                      N_("your evaluate_accuracy takes (data_iter, net), the first edition's order"),
                      N_("The contract is evaluate_accuracy(net, data_iter): the net first, then the batches."))
COMPARE = N_("Compare y_hat.argmax(dim=1) with y and count the matches.")


def _scores(gen, n=12, q=4):
    y_hat, y = torch.randn(n, q, generator=gen), torch.randint(0, q, (n,), generator=gen)
    return y_hat, y, float((y_hat.argmax(1) == y).sum())


def _returned(got, expected):
    return _("accuracy returned {got}, expected {expected}").format(got=got, expected=expected)


@check("accuracy: counts correct predictions", hint=COMPARE)
def test_counts(student, gen):
    y_hat, y, expected = _scores(gen)
    got = student.call("metrics", "accuracy", y_hat, y)
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.item()
    expect(not (isinstance(got, float) and abs(got - expected / 12) < 1e-6 and expected != 0),
           _returned(got, expected), FRACTION_CAUSE)
    expect(isinstance(got, (int, float)) and abs(got - expected) < 1e-6, _returned(repr(got), expected))


@check("accuracy: returns a Python float", hint=N_("Convert the count with float(...) or .item(): return a float, not a tensor."))
def test_returns_float(student, gen):
    y_hat, y, expected = _scores(gen)
    got = student.call("metrics", "accuracy", y_hat, y)
    expect(type(got) is float, _("accuracy returned a {type}, expected a Python float").format(type=type(got).__name__))
    # a float earns the points only if it is the right count (oracle: argmax computed here)
    expect(abs(got - expected) < 1e-6, _returned(repr(got), expected),
           FRACTION_CAUSE if abs(got - expected / 12) < 1e-6 and expected != 0 else COMPARE)


@check("accuracy: ties and (n,) label input", hint=N_("Use argmax along dim 1 only when y_hat is 2-D with more than one column; (n,) input already holds labels."))
def test_ties_and_labels(student, gen):
    ties = torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.4, 0.4]])
    got = student.call("metrics", "accuracy", ties, torch.tensor([0, 1]))
    # 1.0 is 2 of 2 as a fraction: the ties were broken right, the count was divided (oracle: 2 / 2)
    expect(got != 1.0, _("with ties, accuracy returned {got}, expected 2.0 (2 of 2 correct)").format(got=repr(got)), FRACTION_CAUSE)
    expect(got == 2.0, _("with ties, accuracy returned {got}; argmax picks the first maximum, so expected 2.0").format(got=repr(got)))
    labels = torch.randint(0, 5, (9,), generator=gen)
    preds = labels.clone()
    preds[:3] = (preds[:3] + 1) % 5
    got = student.call("metrics", "accuracy", preds, labels)
    labelled = _("with (n,) predicted labels, accuracy returned {got}, expected 6.0").format(got=repr(got))
    expect(not (isinstance(got, float) and abs(got - 6 / 9) < 1e-6), labelled, FRACTION_CAUSE)
    expect(got == 6.0, labelled)


def _ragged(gen):
    eye = torch.eye(3)
    y1 = torch.randint(0, 3, (3,), generator=gen)
    batches = [(eye, y1), (eye, torch.tensor([0, 1, 2])), (eye[:1], torch.tensor([1]))]
    correct = float((y1 == torch.arange(3)).sum()) + 3 + 0
    return batches, correct / 7


def _evaluate(student, **args):
    """evaluate_accuracy's result; if the student's code crashed and runs with (data_iter, net), the
    first edition's order, the Mistake names the swap (oracle: the same probe with the arguments swapped)."""
    try:
        return student.run("evaluate_accuracy", "metrics", **args)["result"]
    except Mistake as mistake:
        if getattr(mistake.crash, "type_name", None) != "TypeError":
            raise
        try:
            student.run("evaluate_accuracy", "metrics", swapped=True, **args)
        except Mistake as swapped:
            if getattr(swapped.crash, "type_name", None) == "TypeError":
                raise mistake from None  # no better in either order: not a swap
        raise Mistake(mistake.detail, crash=mistake.crash, cause=SWAPPED_CAUSE) from None


@check("evaluate_accuracy: fraction over all examples (ragged last batch)", hint=N_("Sum correct predictions and the number of examples over all batches, then divide once: averaging batch accuracies over-weights the small last batch."))
def test_fraction_over_examples(student, gen):
    batches, expected = _ragged(gen)
    got = _evaluate(student, batches=batches, net="identity")
    expect(isinstance(got, float) and abs(got - expected) < 1e-6, _evaluated(got, expected))


def _evaluated(got, expected):
    return _("evaluate_accuracy returned {got}, expected {expected}").format(got=repr(got), expected=f"{expected:.4f}")


def _accuracy_in_mode(batches, running_mean, running_var, training: bool) -> float:
    """The fraction harness.evaluation_net gets right in the given mode, without gradients (trusted side)."""
    net = harness.evaluation_net(running_mean, running_var).train(training)
    with torch.no_grad():
        correct = sum(float((net(X).argmax(dim=1) == y).sum()) for X, y in batches)
    return correct / sum(len(y) for _, y in batches)


def _mode_sensitive_inputs(gen):
    """Batches, running statistics, and the accuracies of eval mode (right) and train mode (wrong), which differ."""
    for _attempt in range(50):
        mean, var = torch.randn(3, generator=gen) * 2, torch.rand(3, generator=gen) * 3 + 0.5
        batches = [(torch.randn(n, 3, generator=gen) * var.sqrt() + mean, torch.randint(0, 3, (n,), generator=gen))
                   for n in (4, 4, 3)]  # at least 2 rows: BatchNorm cannot normalise one row in train mode
        right, wrong = (_accuracy_in_mode(batches, mean, var, training) for training in (False, True))
        if abs(right - wrong) > 1e-6:
            return batches, mean, var, right, wrong
    raise RuntimeError("no inputs on which train and eval mode give different accuracies")  # a grader bug, not a mistake


@check("evaluate_accuracy: eval mode and no gradient tracking", hint=N_("Call net.eval() for an nn.Module and wrap the loop in torch.no_grad()."))
def test_eval_mode_no_grad(student, ref, gen):
    # The net's scores are right only in eval mode (it holds BatchNorm) and it refuses to run while
    # gradients are tracked: both properties show in the accuracy, so no log decides this check.
    batches, mean, var, right, wrong = _mode_sensitive_inputs(gen)
    expected = ref.metrics.evaluate_accuracy(harness.evaluation_net(mean, var), batches)  # oracle: the reference, run here
    assert abs(expected - right) < 1e-6, (expected, right)  # the reference puts the net in eval mode
    got = _evaluate(student, batches=batches, net="evaluation", running_mean=mean, running_var=var)
    expect(not (isinstance(got, float) and abs(got - wrong) < 1e-6),
           _("evaluate_accuracy returned {got}, expected {expected}: the accuracy of this net in train mode, whose BatchNorm "
             "then normalises by each batch's own statistics").format(got=repr(got), expected=f"{expected:.4f}"),
           N_("Call net.eval() before the loop when net is an nn.Module."))
    expect(isinstance(got, float) and abs(got - expected) < 1e-6, _evaluated(got, expected),
           N_("Return the fraction of correct predictions over all examples."))


@check("evaluate_accuracy: works with plain callables", hint=N_("Only call .eval() when net is an nn.Module (isinstance(net, torch.nn.Module)), and still wrap the loop in torch.no_grad()."))
def test_plain_callable(student, gen):
    batches, expected = _ragged(gen)
    # the function refuses to run while gradients are tracked, so the returned value shows it too
    got = _evaluate(student, batches=batches, net="function")
    expect(isinstance(got, float) and abs(got - expected) < 1e-6,
           _("with a plain function, evaluate_accuracy returned {got}, expected {expected}").format(got=repr(got), expected=f"{expected:.4f}"))
