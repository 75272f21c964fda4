"""The built site in a real browser (headless Chromium): every page, the search, the widgets.

Oracles: the browser's own console and network events (no error, no request off 127.0.0.1),
MathJax's output in the DOM, each image's decoded size, and the widget's probabilities, which must
sum to 1 and match a softmax computed here in Python.
"""

from __future__ import annotations

import math

import pytest

from site_pages import page_paths

MATH_WAIT_MS = 30_000

# Visible text that still holds TeX means MathJax did not typeset it.
RAW_TEX_JS = r"""() => {
  const skip = "PRE, CODE, SCRIPT, STYLE, TEXTAREA, .MJX_Assistive_MathML, .MathJax, .MathJax_Display";
  const walker = document.createTreeWalker(document.querySelector("article") || document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  const tex = /\\(frac|mathbf|mathrm|sum|log|exp|operatorname|begin|hat|qquad|le|ge)\b|\$\$|\\\(|\\\[/;
  for (let node; (node = walker.nextNode()); ) {
    if (node.parentElement.closest(skip)) continue;
    if (tex.test(node.textContent)) found.push(node.textContent.trim().slice(0, 80));
  }
  return found;
}"""

MATH_STATE_JS = r"""() => ({
  arithmatex: document.querySelectorAll(".arithmatex").length,
  unrendered: [...document.querySelectorAll(".arithmatex")].filter(e => !e.querySelector(".MathJax, .MathJax_Display")).length,
  rendered: document.querySelectorAll(".MathJax, .MathJax_Display").length,
  errors: document.querySelectorAll(".MathJax_Error, merror").length,
})"""

IMAGES_JS = r"""() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"""


def _screenshot_name(path: str) -> str:
    return (path.strip("/").replace("/", "_") or "index") + ".png"


@pytest.mark.parametrize("path", page_paths())
def test_page_renders_offline(visit, artifacts, path):
    """Does the page load with no console error, no request off localhost, typeset math and whole images?"""
    v = visit(path)
    page = v.page
    page.wait_for_selector("html[data-math=rendered]", state="attached", timeout=MATH_WAIT_MS)
    page.screenshot(path=str(artifacts / _screenshot_name(path)), full_page=True)

    assert v.external_requests == [], f"requests left localhost: {v.external_requests}"
    assert v.console_errors == [], f"console errors: {v.console_errors}"
    assert v.page_errors == [], f"uncaught exceptions: {v.page_errors}"
    assert v.failed_requests == [], f"failed requests: {v.failed_requests}"

    math_state = page.evaluate(MATH_STATE_JS)
    if path.startswith("lessons/"):  # every lesson, Markdown or notebook, is full of formulas
        assert math_state["rendered"] >= 5, f"only {math_state['rendered']} typeset formulas"
    assert math_state["unrendered"] == 0, f"{math_state['unrendered']} of {math_state['arithmatex']} formulas untypeset"
    assert math_state["errors"] == 0, "MathJax reported TeX errors"
    assert page.evaluate(RAW_TEX_JS) == [], "raw TeX left in the visible text"
    assert page.evaluate(IMAGES_JS) == [], "images that did not load"


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
    """After the temperature slider moves, do the bars still sum to 1 and match softmax(o / T)?"""
    v = visit("lessons/softmax/")
    page = v.page
    widget = page.locator(".softmax-explorer")
    widget.scroll_into_view_if_needed()
    logits = [0.1, 10.0, 0.1]  # the page's data-logits
    assert _bars(page) == pytest.approx(_softmax(logits, 1.0), abs=1e-12)

    slider = widget.locator("input.temperature")
    for position in ("1", "0.5", "-0.7"):  # T = 10, 3.16, 0.2
        slider.fill(position)
        bars = _bars(page)
        assert sum(bars) == pytest.approx(1.0, abs=1e-12)
        assert bars == pytest.approx(_softmax(logits, 10 ** float(position)), abs=1e-12)
    widths = widget.locator(".bar").evaluate_all("els => els.map(e => parseFloat(e.style.width))")
    assert sum(widths) == pytest.approx(100.0, abs=0.05)
    assert v.console_errors == [] and v.page_errors == []


def test_softmax_widget_is_stable_for_huge_logits(visit):
    """Does the (1000, 10, 1000) preset give (0.5, 0, 0.5), while the naive line reports the overflow?"""
    page = visit("lessons/softmax/").page
    page.locator(".softmax-explorer button", has_text="(1000, 10, 1000)").click()
    assert _bars(page) == pytest.approx([0.5, 0.0, 0.5], abs=1e-12)
    assert "NaN" in page.locator(".softmax-explorer .naive").inner_text()


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
