"""The built site in a real browser (headless Chromium): every page, the search, the widgets.

Oracles: the browser's own console and network events (no error, no request off 127.0.0.1),
KaTeX's output in the DOM (typeset at build time), each image's decoded size, the widgets' numbers against the same
formulas computed here (Python floats are float64; numpy's float32 for float32), and torch autograd
for the tug of war's gradients.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from site_pages import page_paths


@pytest.mark.parametrize("path", page_paths())
def test_page_renders_offline(audits, path):
    """Did the page load with no console error, no request off localhost, typeset math (at least 5 formulas on a
    lesson) and whole images? (Read from the audit's one cold load of every page: page_state.Rendering.)"""
    problems = audits["render"][path].problems(formulas_at_least=5 if path.startswith("lessons/") else 0)
    assert problems == [], problems


def test_search_finds_softmax(visit):
    """Does the built-in search (its local index and worker) return pages for "softmax"?"""
    page = visit("").page
    page.locator(".md-search__input").click()
    page.keyboard.type("softmax")  # Material searches on key events, as a person types
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 3
    assert "softmax" in results.first.inner_text().lower()


def _bars(page) -> list[float]:
    return [float(p) for p in page.locator(".softmax-explorer .bar").evaluate_all("els => els.map(e => e.dataset.p)")]


def _softmax(logits, temperature):
    m = max(o / temperature for o in logits)
    exps = [math.exp(o / temperature - m) for o in logits]
    return [e / sum(exps) for e in exps]


def test_softmax_widget_bars_sum_to_one_as_temperature_moves(visit):
    """After the temperature slider moves, do the bars still sum to 1 and match softmax(o / T), in both precisions?"""
    v = visit("lessons/softmax/")
    page = v.page
    widget = page.locator(".softmax-explorer")
    widget.scroll_into_view_if_needed()
    logits = [0.1, 10.0, 0.1]  # the page's data-logits
    assert widget.locator("select.precision").input_value() == "float32"  # PyTorch's default precision first
    assert _bars(page) == pytest.approx(_softmax(logits, 1.0), abs=1e-6)  # float32 rounding, within 1e-6

    slider = widget.locator("input.temperature")
    for precision, tolerance in (("float32", 1e-6), ("float64", 1e-12)):
        widget.locator("select.precision").select_option(precision)
        for position in ("1", "0.5", "-0.7"):  # T = 10, 3.16, 0.2
            slider.fill(position)
            bars = _bars(page)
            assert sum(bars) == pytest.approx(1.0, abs=tolerance)
            assert bars == pytest.approx(_softmax(logits, 10 ** float(position)), abs=tolerance)
    widths = widget.locator(".bar").evaluate_all("els => els.map(e => parseFloat(e.style.width))")
    assert sum(widths) == pytest.approx(100.0, abs=0.05)
    assert v.console_errors == [] and v.page_errors == []


def test_softmax_widget_is_stable_for_huge_logits(visit):
    """Does the (1000, 10, 1000) preset give (0.5, 0, 0.5), while the naive line reports the overflow?"""
    page = visit("lessons/softmax/").page
    page.locator(".softmax-explorer button", has_text="(1000, 10, 1000)").click()
    assert _bars(page) == pytest.approx([0.5, 0.0, 0.5], abs=1e-12)
    naive = page.locator(".softmax-explorer .naive")
    assert "NaN" in naive.inner_text() and naive.get_attribute("data-differs") == "true"


def _naive(logits, dtype):
    """The naive formula exp(o) / sum(exp(o)) in numpy's dtype, with IEEE overflow and underflow, no warnings."""
    with np.errstate(all="ignore"):
        exps = np.exp(np.array(logits, dtype=dtype))
        return list(exps / exps.sum(dtype=dtype))


def _naive_values(page) -> list[float]:
    text = page.locator(".softmax-explorer .naive").inner_text()
    return [float(x) for x in text.split("(")[1].split(")")[0].split(",")]


@pytest.mark.parametrize("logits, precision, naive_shows", [
    ((709.5, 709.5, 0), "float32", "(NaN, NaN, 0.000)"),      # each exp overflows past 88.72
    ((709.5, 709.5, 0), "float64", "(0.000, 0.000, 0.000)"),  # each exp is finite; their sum is inf
    ((-740, -741, -742), "float64", "(0.669, 0.244, 0.087)"),  # subnormal exps keep few digits
    ((-740, -741, -742), "float32", "(NaN, NaN, NaN)"),        # every exp underflows to 0
])
def test_naive_line_compares_with_the_stable_result(visit, logits, precision, naive_shows):
    """Does the naive line show what the naive formula gives in that precision, and say it differs from the bars?"""
    page = visit("lessons/softmax/").page
    widget = page.locator(".softmax-explorer")
    widget.locator("select.precision").select_option(precision)
    widget.locator("button", has_text="(" + ", ".join(f"{x:g}" for x in logits) + ")").click()
    naive = widget.locator(".naive")
    assert naive_shows in naive.inner_text() and "differs from the stable result" in naive.inner_text()
    assert naive.get_attribute("data-differs") == "true"
    oracle = _naive(logits, np.float32 if precision == "float32" else np.float64)  # numpy's IEEE arithmetic
    shown = [float("nan") if x == "NaN" else float(x) for x in naive_shows.strip("()").split(", ")]
    assert shown == pytest.approx(oracle, abs=5e-4, nan_ok=True)
    assert _bars(page) == pytest.approx(_softmax(logits, 1.0), abs=1e-6)  # the stable bars stay right


def test_naive_line_says_same_only_when_it_is(visit):
    """For ordinary logits the naive and stable results agree, and the line says so."""
    page = visit("lessons/softmax/").page
    naive = page.locator(".softmax-explorer .naive")  # the page's own logits, (0.1, 10, 0.1)
    assert naive.get_attribute("data-differs") == "false" and "the same as the stable result" in naive.inner_text()
    assert _naive_values(page) == pytest.approx(_naive([0.1, 10, 0.1], np.float32), abs=5e-4)


def _torch_gradient(logits, truth, kind):
    """Loss and gradient with respect to the logits, by torch autograd (the oracle for the tug of war)."""
    import torch

    o = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    y = torch.nn.functional.one_hot(torch.tensor(truth), len(logits)).to(torch.float64)
    if kind == "ce":
        loss = torch.nn.functional.cross_entropy(o[None], torch.tensor([truth]))
    else:
        loss = ((torch.softmax(o, 0) - y) ** 2).sum()
    loss.backward()
    return float(loss.detach()), o.grad.tolist()


def _tug(page):
    root = page.locator(".tug-of-war")
    grad = [float(g) for g in root.get_attribute("data-grad").split(",")]
    logits = [float(x) for x in root.get_attribute("data-logits-now").split(",")]
    return float(root.get_attribute("data-loss")), grad, logits


def test_tug_of_war_gradients_match_autograd_and_a_step_lowers_the_loss(visit):
    """Are both losses' gradients torch's, does squared loss nearly vanish when confidently wrong, and does a step help?"""
    v = visit("lessons/cross-entropy/")
    page = v.page
    root = page.locator(".tug-of-war")
    root.scroll_into_view_if_needed()
    loss, grad, logits = _tug(page)
    assert logits == [-5.0, 5.0, 0.0]
    expected_loss, expected_grad = _torch_gradient(logits, 0, "ce")
    assert loss == pytest.approx(expected_loss, abs=1e-9) and grad == pytest.approx(expected_grad, abs=1e-9)
    assert round(grad[0], 2) == -1.00  # the lesson's claim: cross-entropy pulls the true logit at full strength

    root.locator("select.loss-kind").select_option("squared")
    loss, grad, _ = _tug(page)
    expected_loss, expected_grad = _torch_gradient(logits, 0, "squared")
    assert loss == pytest.approx(expected_loss, abs=1e-9) and grad == pytest.approx(expected_grad, abs=1e-9)
    assert round(grad[0], 4) == -0.0002  # the lesson's claim: squared loss hardly pulls at all

    root.locator("select.loss-kind").select_option("ce")
    before, grad, _ = _tug(page)
    root.locator("button.step").click()  # o <- o - 1 * gradient
    after, _, moved = _tug(page)
    assert moved == pytest.approx([o - g for o, g in zip(logits, grad)], abs=1e-12)
    assert after < before  # a gradient step lowers the loss
    for _ in range(5):
        root.locator("button.step").click()
    assert _tug(page)[0] < after

    root.locator("button[data-class='2']").click()  # a new true class: the pull changes sign
    loss, grad, now = _tug(page)
    assert grad == pytest.approx(_torch_gradient(now, 2, "ce")[1], abs=1e-9)
    root.locator("button.reset").click()
    assert _tug(page)[2] == [-5.0, 5.0, 0.0]
    assert v.console_errors == [] and v.page_errors == []


def _regions(page):
    root = page.locator(".decision-regions")
    return {k: root.get_attribute(f"data-{k}") for k in ("steps", "loss", "accuracy", "confidence", "regions")}


def test_decision_regions_train_and_scaling_keeps_the_boundaries(visit):
    """Does SGD separate the three classes, and does scaling W and b change confidence but no region?"""
    v = visit("lessons/classification/")
    page = v.page
    root = page.locator(".decision-regions")
    root.scroll_into_view_if_needed()
    start = _regions(page)
    assert float(start["loss"]) == pytest.approx(math.log(3), abs=1e-12)  # W = 0, b = 0: uniform, loss log 3
    for _ in range(4):
        root.locator("button.steps50").click()
    trained = _regions(page)
    assert trained["steps"] == "200"
    assert float(trained["loss"]) < 0.5 * math.log(3) and float(trained["accuracy"]) >= 0.9
    assert len(set(trained["regions"])) == 3  # every class owns a region

    scale = root.locator("input.scale")
    scale.fill("0.5")  # s = 3.16
    sharper = _regions(page)
    scale.fill("-0.5")  # s = 0.32
    softer = _regions(page)
    assert sharper["regions"] == trained["regions"] == softer["regions"]  # argmax of s*o is argmax of o
    assert float(softer["confidence"]) < float(trained["confidence"]) < float(sharper["confidence"])

    root.locator("button.run").click()  # live training runs on a timer, then pauses on a second click
    page.wait_for_function("() => Number(document.querySelector('.decision-regions').dataset.steps) > 230")
    root.locator("button.run").click()
    assert v.console_errors == [] and v.page_errors == []


def test_questions_page_folds_its_answers(visit):
    """Does the questions page hold at least eight answers, folded shut until clicked?"""
    page = visit("lessons/questions/").page
    answers = page.locator("details.answer")
    assert answers.count() >= 8
    assert answers.evaluate_all("els => els.every(e => !e.open)")
    answers.first.locator("summary").click()
    assert answers.first.evaluate("e => e.open")


def test_cross_entropy_widget_shows_minus_log_p(visit):
    """Moving the probability slider to p gives a loss of -log p (the oracle: math.log)."""
    page = visit("lessons/cross-entropy/").page
    slider = page.locator(".ce-explorer input.probability")
    for p in (0.5, 0.1, 1.0):
        slider.fill(str(p))
        loss = float(page.locator(".ce-explorer").get_attribute("data-loss"))
        assert loss == pytest.approx(-math.log(p), abs=1e-12)


def test_linked_tabs_follow_the_reader_across_pages(visit):
    """Choosing "torch.nn" on one lesson selects it on the next (Material's content.tabs.link)."""
    page = visit("lessons/classification/").page
    page.locator(".tabbed-labels label", has_text="torch.nn").first.click()
    other = visit("lessons/softmax/").page
    checked = other.locator(".tabbed-set").first.evaluate(
        "set => { const i = [...set.querySelectorAll(':scope > input')].findIndex(x => x.checked);"
        " return set.querySelectorAll('.tabbed-labels > label')[i].innerText; }")
    assert checked.strip() == "torch.nn"
