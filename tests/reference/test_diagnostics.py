"""course_lib.diagnostics and its plots: templates, confusion matrix, mistakes, calibration.

Oracles: small cases computed by hand (written beside each assertion), nn.Linear's own forward
pass, and torch.nn.functional.cross_entropy for the temperature.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")  # no display in tests

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from course_lib import diagnostics, plotting


def test_class_templates_are_the_weight_columns_and_score_an_image_by_dot_product():
    """Is template j column j of W as an image, so that o_j = <template_j, image> + b_j as nn.Linear computes?"""
    torch.manual_seed(0)
    layer = nn.Linear(784, 10)
    templates = diagnostics.class_templates(layer.weight.T)  # course layout: W = weight.T, (784, 10)
    assert templates.shape == (10, 28, 28)
    image = torch.rand(28, 28)
    scores = (templates * image).sum(dim=(1, 2)) + layer.bias
    assert torch.allclose(scores, layer(image.reshape(1, 784))[0], atol=1e-5)  # matches nn.Linear's forward

    W = torch.arange(3.0).repeat(4, 1)  # (4, 3): column j holds j everywhere
    assert diagnostics.class_templates(W, (2, 2)).tolist() == [[[0, 0], [0, 0]], [[1, 1], [1, 1]], [[2, 2], [2, 2]]]  # by hand
    with pytest.raises(ValueError, match="shape"):
        diagnostics.class_templates(torch.zeros(10, 784))  # nn.Linear's own layout is refused, not misread


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    """Is C[i, j] the number of class-i examples predicted as j (a 3-class case counted by hand)?"""
    y_true = torch.tensor([0, 0, 1, 1, 1, 2, 2])
    y_pred = torch.tensor([0, 1, 1, 1, 2, 2, 0])
    C = diagnostics.confusion_matrix(y_true, y_pred, 3)
    assert C.tolist() == [[1, 1, 0], [0, 2, 1], [1, 0, 1]]  # by hand
    assert C.dtype == torch.int64 and int(C.sum()) == 7  # every example counted once
    assert diagnostics.per_class_accuracy(C).tolist() == pytest.approx([1 / 2, 2 / 3, 1 / 2])  # by hand
    empty = diagnostics.per_class_accuracy(diagnostics.confusion_matrix(torch.tensor([0]), torch.tensor([0]), 2))
    assert empty[0] == 1 and math.isnan(empty[1])  # no example of class 1: no accuracy, not 0
    with pytest.raises(ValueError):
        diagnostics.confusion_matrix(torch.tensor([0, 1]), torch.tensor([0]), 2)


def test_most_confident_mistakes_come_first_and_skip_right_answers():
    """Are only wrong predictions returned, most confident first (a case ordered by hand)?"""
    probs = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.05, 0.95], [0.7, 0.3]])
    y = torch.tensor([1, 0, 0, 1, 0])  # rows 0, 1, 2 are wrong, with confidence 0.9, 0.8, 0.6
    assert diagnostics.most_confident_mistakes(probs, y, 5).tolist() == [0, 1, 2]  # by hand
    assert diagnostics.most_confident_mistakes(probs, y, 2).tolist() == [0, 1]


def test_reliability_bins_and_ece_on_a_case_computed_by_hand():
    """Do the bins hold (lo, hi], and is ECE the count-weighted |accuracy - confidence| (by hand)?"""
    probs = torch.tensor([[0.95, 0.05], [0.85, 0.15], [0.3, 0.7], [0.5, 0.5], [0.6, 0.4]])
    y = torch.tensor([0, 1, 1, 0, 1])
    # confidences 0.95, 0.85, 0.7, 0.5, 0.6; correct: yes, no, yes, yes (tie: argmax 0), no
    bins = diagnostics.reliability_bins(probs, y, n_bins=4)  # bins (0,.25] (.25,.5] (.5,.75] (.75,1]: exact in binary
    assert bins["count"].tolist() == [0, 1, 2, 2]  # 0.5 sits on an edge: the top of (.25, .5]
    assert bins["confidence"][1:].tolist() == pytest.approx([0.5, 0.65, 0.9])
    assert bins["accuracy"][1:].tolist() == pytest.approx([1.0, 0.5, 0.5])
    assert math.isnan(bins["accuracy"][0])
    # ECE = (1 |1 - 0.5| + 2 |0.5 - 0.65| + 2 |0.5 - 0.9|) / 5 = (0.5 + 0.3 + 0.8) / 5 = 0.32
    assert diagnostics.expected_calibration_error(probs, y, n_bins=4) == pytest.approx(0.32)


def test_perfect_calibration_has_zero_ece_and_overconfidence_does_not():
    """Is ECE 0 when each bin's accuracy equals its confidence, and the gap when every answer is wrong?"""
    probs = torch.tensor([[0.75, 0.25]] * 4)
    assert diagnostics.expected_calibration_error(probs, torch.tensor([0, 0, 0, 1])) == pytest.approx(0.0)  # 3 of 4 right
    assert diagnostics.expected_calibration_error(probs, torch.tensor([1, 1, 1, 1])) == pytest.approx(0.75)  # 0 of 4


def test_fit_temperature_minimises_the_cross_entropy():
    """Does the fitted T recover the scale of over-confident logits, at the minimum of F.cross_entropy?"""
    generator = torch.Generator().manual_seed(0)
    z = torch.randn(20000, 5, generator=generator) * 2
    y = torch.multinomial(torch.softmax(z, dim=1), 1, generator=generator).reshape(-1)  # labels drawn from softmax(z)
    T = diagnostics.fit_temperature(3 * z, y)  # logits three times too large: calibrated at T = 3
    assert T == pytest.approx(3.0, rel=0.05)
    best = F.cross_entropy(3 * z / T, y)
    for other in (T * 0.9, T * 1.1, 1.0):  # oracle: F.cross_entropy is no lower nearby, nor at T = 1
        assert best <= F.cross_entropy(3 * z / other, y)


def test_collect_logits_concatenates_the_batches():
    """Are (X, outputs, y) the batches stacked in order, with outputs equal to net(X)?"""
    X = torch.arange(12.0).reshape(6, 2)
    y = torch.arange(6)
    batches = [(X[:4], y[:4]), (X[4:], y[4:])]
    net = nn.Linear(2, 3)
    Xs, outs, ys = diagnostics.collect_logits(net, batches)
    assert torch.equal(Xs, X) and torch.equal(ys, y)
    assert torch.allclose(outs, net(X)) and not outs.requires_grad


def test_weight_images_share_one_symmetric_diverging_scale():
    """Does every template image use RdBu_r with limits (-m, m), m = max |W|, and show the template's values?"""
    templates = torch.zeros(3, 2, 2)
    templates[0, 0, 0], templates[2, 1, 1] = 0.5, -2.0
    axes = plotting.show_weight_images(templates, titles=["a", "b", "c"])
    for ax, template in zip(axes, templates):
        image = ax.images[0]
        assert image.get_cmap().name == "RdBu_r" and image.get_clim() == (-2.0, 2.0)  # m = |-2|
        assert image.get_array().tolist() == template.tolist()
    assert [ax.get_title() for ax in axes[:3]] == ["a", "b", "c"]
    matplotlib.pyplot.close("all")


def test_confusion_plot_writes_every_nonzero_count():
    """Does the confusion plot write each non-zero count in its cell, rows true, columns predicted?"""
    C = torch.tensor([[3, 0], [1, 5]])
    ax = plotting.plot_confusion_matrix(C, ["x", "y"])
    texts = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert texts == {((0, 0), "3"), ((0, 1), "1"), ((1, 1), "5")}  # (column, row) positions: C[1, 0] = 1 at x=0, y=1
    matplotlib.pyplot.close("all")
