"""Does page_state.Rendering catch what it must, so that a page that renders badly cannot pass test_browser.py and
test_chinese.py? Oracle: a page written here with each fault on purpose."""

from __future__ import annotations

from page_state import STATE_JS, Rendering

BROKEN = """<!doctype html><html lang="en"><body><article>
<p>left as TeX: \\frac{1}{2}</p><span class="arithmatex">x</span><img src="/missing.png">
<script>console.error("boom"); throw new Error("uncaught");</script></article></body></html>"""


def test_a_broken_page_shows_every_fault(browser, tmp_path):
    """Are a console error, an uncaught exception, a failed request, raw TeX, an untypeset formula, a broken image,
    too few formulas and the wrong language each reported, and a clean page not?"""
    (tmp_path / "broken.html").write_text(BROKEN)
    (tmp_path / "clean.html").write_text('<!doctype html><html lang="zh"><body><article><p>好</p></article></body></html>')
    context = browser.new_context()
    found = {}
    for name in ("broken", "clean"):
        rendering = Rendering()
        page = context.new_page()
        rendering.watch(page)
        page.goto((tmp_path / f"{name}.html").as_uri(), wait_until="load")
        rendering.state = page.evaluate(STATE_JS)
        found[name] = rendering.problems(formulas_at_least=5, lang="zh")
    context.close()
    text = "\n".join(found["broken"])
    for fault in ("console errors", "uncaught exceptions", "failed requests", "raw TeX", "1 formulas untypeset",
                  "images that did not load", "only 0 typeset formulas", "lang='en'"):
        assert fault in text, (fault, found["broken"])
    assert found["clean"] == ["only 0 typeset formulas"]
