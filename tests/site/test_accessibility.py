"""WCAG 2.1 AA on every page the built site has (both languages, whatever pages land), in headless Chromium.

Oracles: axe-core 4.12 (the `axe.min.js` the axe-playwright-python wheel ships, injected from disk)
for what axe checks; for what it cannot: the browser's computed styles and layout boxes (focus
indicators, scrolling boxes, clipping at phone widths), Playwright's accessibility snapshot
(accessible names, which it computes by the accname spec, independently of our markup), the built
HTML (alt text, MathML), and the PNG text chunks the figures were drawn with. Pages are listed from
the built site's files, so a page added in any language is covered without touching this file. Each
test reports every violation on every page, then fails.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from page_state import STATE_JS, Rendering
from site_pages import DOCS, translated

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_AT_ONCE = 4  # pages whose axe runs overlap
PLACEHOLDER = "No description has been provided for this image"


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).with_name("axe.min.js")).read_text(encoding="utf-8")


SETTLE_MS = 500  # after "load": time for a search worker or index request to show up, were one made
# Transitions and animations off from the first paint: the checks read final states only (WCAG 2.1 AA asks
# nothing of motion), and a resize then settles in a frame instead of waiting out Material's fades (23 s a run).
STILL_JS = ("document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
            " s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important }';"
            " document.head.appendChild(s); });")


@dataclass
class ColdLoad:
    """One page loaded in a context of its own (an empty cache), {response URL: body bytes} so far, and what the
    browser reported (page_state.Rendering)."""

    context: object
    page: object
    sizes: dict[str, int]
    rendering: Rendering


def _body_bytes(response) -> int:
    try:
        return len(response.body())
    except Exception:  # noqa: BLE001 - a body the browser did not keep (redirect, aborted): nothing transferred
        return 0


def _open_cold(browser, url: str, local: str, width: int) -> ColdLoad:
    """Start loading `url` in a fresh context; requests off `local` are aborted, every response's body counted."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    rendering = Rendering()

    def route(request) -> None:
        if request.request.url.startswith(local):
            request.continue_()
        else:
            rendering.external_requests.append(request.request.url)
            request.abort()

    context.route("**/*", route)  # on the context, so that workers' requests are caught too
    sizes: dict[str, int] = {}
    context.on("response", lambda response: sizes.__setitem__(response.url, _body_bytes(response)))
    context.add_init_script(STILL_JS)
    page = context.new_page()
    rendering.watch(page)
    page.goto(url, wait_until="commit")
    return ColdLoad(context, page, sizes, rendering)


# Each page is loaded once, at a phone's width, then resized; at each width, in this order, these checks run.
# Axe comes first, before anything is focused or clicked, and the widths that click (focus, widgets) come last.
PASSES = ((375, ("axe", "clip", "tabs")), (320, ("clip", "tabs")), (1280, ("axe", "tabs", "focus", "widgets")))
# Axe runs on every page at 1280 px. What a phone's width changes is the chrome that only a phone shows (the
# header, the navigation drawer), the same on every page of a layout: at 375 px axe runs on one page per language
# and layout, and the cheap checks (clip, tabs) on every page.
AXE_EVERY_PAGE_AT = 1280


def layout(site: Path, path: str) -> tuple[str, str]:
    """(language, layout) of a built page: a notebook, or the section it belongs to (home, lessons, guides, ...)."""
    language, rest = ("zh", path[3:]) if path.startswith("zh/") else ("en", path)
    text = (site / (path + "index.html" if path.endswith("/") or not path else path)).read_text(encoding="utf-8")
    return language, "notebook" if "jp-Notebook" in text else (rest.split("/")[0] or "home")


def axed_at_laptop_width(pages: list[str]) -> set[str]:
    """Every page, except that of the /zh/ pages left in English (the English page's content under a banner, the
    English page itself axed) only the first is."""
    fallbacks = [p for p in pages if p.startswith("zh/") and not translated(p[3:])
                 and not (DOCS / p[3:].rstrip("/")).with_suffix(".ipynb").is_file()]  # notebooks are translated
    return set(pages) - set(fallbacks[1:])


def one_page_per_layout(site: Path, pages: list[str]) -> set[str]:
    """The first page (in `pages` order) of each (language, layout)."""
    chosen = {}
    for path in pages:
        chosen.setdefault(layout(site, path), path)
    return set(chosen.values())


# two frames, then every finite animation and CSS transition (a resize fades the search box's colours: axe must
# not read them mid-way)
SETTLE_JS = ("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))).then(() => Promise.all("
             "document.getAnimations().filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)"
             ".map(a => a.finished.catch(() => null))))")


def _settle(page) -> None:
    page.evaluate(SETTLE_JS)


def audit_every_page(browser, site: Path, site_url: str, pages: list[str]) -> dict:
    """{width: {page: {check: findings}}}, {"weight": {page: {response URL: body bytes}}} and {"render": {page:
    page_state.Rendering}}: every page loaded once, cold (test_weight.py reads what it cost, test_browser.py and
    test_chinese.py how it rendered), then resized to each width of PASSES, every check of that width run on it. The
    `audits` fixture (conftest.py) runs it once for all of them.

    AXE_AT_ONCE pages load and run axe at a time, each in its own context and renderer process. Requests off
    127.0.0.1 are aborted."""
    local, axe = site_url.rstrip("/"), _axe_source()
    found: dict = {width: {} for width, _ in PASSES} | {"weight": {}, "render": {}}
    axe_sample, axe_laptop = one_page_per_layout(site, pages), axed_at_laptop_width(pages)
    for batch in range(0, len(pages), AXE_AT_ONCE):
        loads = {path: _open_cold(browser, site_url + path, local, PASSES[0][0])
                 for path in pages[batch:batch + AXE_AT_ONCE]}
        for load in loads.values():
            load.page.wait_for_load_state("load")
        next(iter(loads.values())).page.wait_for_timeout(SETTLE_MS)  # one settling time for the batch
        found["weight"] |= {path: dict(load.sizes) for path, load in loads.items()}
        for load in loads.values():
            load.rendering.state = load.page.evaluate(STATE_JS)
        found["render"] |= {path: load.rendering for path, load in loads.items()}  # watched until the context closes
        opened = {path: load.page for path, load in loads.items()}
        for page in opened.values():
            _settle(page)
            page.evaluate(axe)
        for width, checks in PASSES:
            for page in opened.values():
                if page.viewport_size["width"] != width:
                    page.set_viewport_size({"width": width, "height": 800})
                    _settle(page)
            axe_on = {path for path in opened if "axe" in checks
                      and (path in axe_laptop if width == AXE_EVERY_PAGE_AT else path in axe_sample)}
            for path in axe_on:  # started on each page before any is awaited: the renderers run them side by side
                opened[path].evaluate(START_AXE_JS, AXE_TAGS)
            for path, page in opened.items():
                result = found[width][path] = {}
                if path in axe_on:
                    result["axe"] = page.evaluate("() => window.__violations")
                if "clip" in checks:
                    result["clip"] = page.evaluate(CLIPPING_JS)
                if "tabs" in checks:
                    result["tabs"] = page.evaluate(TAB_STOPS_JS)
                if "focus" in checks:
                    page.keyboard.press("Tab")  # keyboard modality: :focus-visible applies as for a keyboard user
                    result["focus"] = page.evaluate(FOCUS_JS)
                if "widgets" in checks:
                    result["widgets"] = _widget_findings(page)
        for load in loads.values():
            load.context.close()
    return found


def _problems(audits: dict, width: int, *checks: str) -> dict:
    """{page: sorted findings} of `checks` at `width`, pages without any left out."""
    problems = {}
    for path, result in audits[width].items():
        items = sorted(set(sum((result.get(c, []) for c in checks), [])))  # axe at 375 px: on the sample only
        if items:
            problems[path] = items
    return problems


# axe.run does most of its work before its promise first yields, so it starts in a timer: the evaluate returns at
# once and the next page's axe starts in its own renderer
START_AXE_JS = ("tags => { window.__violations = new Promise(r => setTimeout(r, 0)).then(() =>"
                " axe.run(document, {runOnly: {type: 'tag', values: tags}})).then(r =>"
                " r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' +"
                " v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))); }")


def _report(problems: dict) -> str:
    return "\n".join(f"{page}: {item}" for page, items in problems.items() for item in items[:8])


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_wcag_violation_on_any_page(audits, built_site, pages, width):
    """axe-core, WCAG 2.0/2.1 A and AA rules, on every page at a laptop's width (of the /zh/ pages left in English,
    one) and on one page per language and layout at a phone's: no violation."""
    audited = {path for path, result in audits[width].items() if "axe" in result}
    expected = axed_at_laptop_width(pages) if width == AXE_EVERY_PAGE_AT else one_page_per_layout(built_site.site, pages)
    assert audited == expected and len(expected) > 10
    problems = _problems(audits, width, "axe")
    assert not problems, f"axe violations at {width} px:\n{_report(problems)}"


# Every Tab stop must do something: a link, a control, a <summary>, or a box that really scrolls.
TAB_STOPS_JS = r"""() => {
  const bad = [];
  const scrolls = e => { const s = getComputedStyle(e);
    return (/(auto|scroll)/.test(s.overflowX) && e.scrollWidth > e.clientWidth) ||
           (/(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight); };
  for (const e of document.querySelectorAll('.md-content [tabindex]')) {
    if (e.tabIndex < 0 || e.matches('a[href], button, input, select, textarea, summary, clipboard-copy, [role=button]')) continue;
    if (e.closest('.katex')) { bad.push('formula is a Tab stop: ' + e.className); continue; }
    if (!scrolls(e)) bad.push('Tab stop that neither acts nor scrolls: <' + e.tagName.toLowerCase() + ' class="' + e.className + '">');
  }
  for (const e of document.querySelectorAll('.katex a[href], .katex [tabindex]')) bad.push('focusable inside a formula');
  return bad;
}"""

# At a phone's width: no sideways page scroll; nothing (formula, code, cell, widget) cut off at the screen
# edge or inside a box that clips, unless it sits in a box that scrolls and takes focus; notebook prompts
# gone; notebook figures as wide as the text and never below 60% of their drawn size (the captions of
# the 2x9 Fashion-MNIST grid were 2-3 px tall at 375 px when it shrank to the column).
CLIPPING_JS = r"""() => {
  const bad = [], vw = document.documentElement.clientWidth;
  const tag = e => '<' + e.tagName.toLowerCase() + ' class="' + e.className + '">';
  if (document.documentElement.scrollWidth > vw) bad.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
  const scrollsX = e => /(auto|scroll)/.test(getComputedStyle(e).overflowX);
  const focusable = e => e.tabIndex >= 0 || !!e.querySelector('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  const article = document.querySelector('.md-content');
  for (const e of article.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width <= 1 || getComputedStyle(e).visibility === 'hidden' || e.closest('.katex-mathml')) continue;  // screen-reader-only MathML
    if (e.ownerSVGElement) continue;  // an SVG clips its own drawing to its box
    let a = e.parentElement, scroller = null, hidden = false;
    for (; a && a !== document.body; a = a.parentElement) {
      if (scrollsX(a)) { scroller = a; break; }
      if (getComputedStyle(a).visibility === 'hidden') { hidden = true; break; }
    }
    if (hidden) continue;
    if (!scroller && (r.right > vw + 1 || r.left < -1))
      bad.push('cut off at the screen edge: ' + tag(e) + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ' ' + e.textContent.trim().slice(0, 40));
    const s = getComputedStyle(e);
    if (/(hidden|clip)/.test(s.overflowX) && e.scrollWidth > e.clientWidth + 1 && e.textContent.trim() && !e.matches('.bar-track, .pull-track, .md-ellipsis, .jp-OutputPrompt, .jp-InputPrompt'))
      bad.push('content clipped inside ' + tag(e) + ': ' + e.scrollWidth + ' > ' + e.clientWidth);
    if (scrollsX(e) && e.scrollWidth > e.clientWidth && !focusable(e))
      bad.push('scrolls but cannot take focus: ' + tag(e));
  }
  for (const p of article.querySelectorAll('.jp-InputPrompt, .jp-OutputPrompt'))
    if (p.getBoundingClientRect().width > 0) { bad.push('notebook prompt shown on a phone'); break; }
  const text = article.querySelector('.md-content__inner').clientWidth;
  for (const img of article.querySelectorAll('.jp-RenderedImage img')) {
    const w = img.getBoundingClientRect().width;
    if (w < 0.9 * Math.min(img.naturalWidth, text) - 40) bad.push('notebook figure ' + Math.round(w) + ' px wide in a ' + text + ' px column');
    if (w < 0.6 * img.naturalWidth) bad.push('notebook figure shrunk to ' + Math.round(100 * w / img.naturalWidth) + '% of its drawn size: its captions are unreadable');
  }
  return bad;
}"""


@pytest.mark.parametrize("width", [320, 375])
def test_nothing_is_clipped_on_a_phone(audits, pages, width):
    """At 320 and 375 px, every page of both languages: no sideways scroll, nothing cut off, scrollers focusable."""
    assert any(p.startswith("zh/") for p in pages), "the Chinese pages were not built"
    problems = _problems(audits, width, "clip", "tabs")
    assert not problems, f"at {width} px:\n{_report(problems)}"


def test_tab_stops_are_links_controls_or_scrolling_boxes_and_never_formulas(audits):
    """At 1280 px every Tab stop in the content does something; no formula is one (MathJax 2 made 205)."""
    problems = _problems(audits, 1280, "tabs")
    assert not problems, _report(problems)


FOCUS_JS = r"""() => {
  const bad = [];
  const look = e => { const s = getComputedStyle(e);
    return {ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) ? s.outlineColor + s.outlineWidth : '',
            shadow: s.boxShadow, other: [s.color, s.backgroundColor, s.textDecorationLine, s.borderColor, s.transform, s.opacity].join('/')}; };
  if (document.activeElement) document.activeElement.blur();  // the Tab that set keyboard modality focused one
  const controls = document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]');
  for (const e of controls) {
    if (e.tabIndex < 0 || e.disabled || !e.getClientRects().length || getComputedStyle(e).visibility === 'hidden') continue;
    const r = e.getBoundingClientRect(); if (r.width < 1 || r.height < 1) continue;
    const before = look(e); e.focus({preventScroll: true});
    if (document.activeElement !== e) continue;
    const after = look(e); e.blur();
    const ring = (after.ring && after.ring !== before.ring) || after.shadow !== before.shadow;
    const isLink = e.matches('a[href]');
    if (!(ring || (isLink && after.other !== before.other)))
      bad.push('no visible focus on <' + e.tagName.toLowerCase() + (e.type ? ' type=' + e.type : '') + ' class="' + e.className + '">');
  }
  return [...new Set(bad)];
}"""


def test_every_control_shows_where_the_focus_is(audits):
    """Focused by keyboard, every control gets an outline or shadow (links at least a change of colour)."""
    problems = _problems(audits, 1280, "focus")
    assert not problems, _report(problems)


def _name(locator) -> str:
    first = locator.aria_snapshot().splitlines()[0]
    m = re.match(r'\s*- \w+ "(.*?)"', first)
    return m.group(1) if m else ""


def _widget_findings(page) -> list:
    """Problems of the page's widgets, then one "checked N" entry per control looked at."""
    problems = []
    widgets = page.locator(".md-content .widget")
    for w in range(widgets.count()):
        widget = widgets.nth(w)
        controls = widget.locator("label input, label select")
        for i in range(controls.count()):
            control = controls.nth(i)
            label = control.evaluate("c => { const l = c.closest('label').cloneNode(true);"
                                     " l.querySelectorAll('select, option, input').forEach(x => x.remove());"
                                     " return l.textContent.replace(/\\s+/g, ' ').trim(); }")
            name = _name(control)
            problems.append(f"checked {w}.{i}")
            if label.lower() not in name.lower():
                problems.append(f"control labelled {label!r} is named {name!r}")
        live = widget.locator("[aria-live=polite]")
        if live.count() == 0:
            problems.append(f"widget {w} announces nothing (no aria-live=polite)")
            continue
        before = [live.nth(k).inner_text() for k in range(live.count())]
        slider = widget.locator("input[type=range]")
        if slider.count():
            s = slider.first
            text = s.get_attribute("aria-valuetext") or ""
            s.fill(s.get_attribute("min"))
            after = s.get_attribute("aria-valuetext") or ""
            if not text or text == after:
                problems.append(f"slider value text {text!r} -> {after!r}")
        else:
            widget.locator("button.step" if widget.locator("button.step").count() else "button").first.click()
        if [live.nth(k).inner_text() for k in range(live.count())] == before:
            problems.append(f"widget {w}: the live result did not change")
    return problems


def test_widget_controls_are_named_by_their_labels_and_announce_their_results(audits):
    """Each widget control's accessible name contains its visible label; sliders say their value; results are live."""
    findings = {path: result["widgets"] for path, result in audits[1280].items()}
    checked = sum(item.startswith("checked ") for items in findings.values() for item in items)
    problems = {path: [i for i in items if not i.startswith("checked ")] for path, items in findings.items()}
    problems = {path: items for path, items in problems.items() if items}
    assert checked >= 8, f"only {checked} widget controls found"  # the four widgets hold at least 8
    assert not problems, _report(problems)


def test_every_image_has_real_alt_text(built_site, pages):
    """No image lacks alt text or carries nbconvert's placeholder; notebook figures say what they show."""
    problems = {}
    figures = 0
    for path in pages:
        f = built_site.site / (path + "index.html" if path.endswith("/") or not path else path)
        for tag in re.findall(r"<img\b[^>]*>", f.read_text(encoding="utf-8")):
            alt = re.search(r'\salt="([^"]*)"', tag)
            text = html.unescape(alt.group(1)).strip() if alt else ""
            figures += "data:image/png" in tag
            if len(text) < 15 or PLACEHOLDER in text:
                problems.setdefault(path, []).append(f"alt={text!r} on {tag[:80]}")
    assert figures >= 10, f"only {figures} notebook figures found"
    assert not problems, _report(problems)


def test_math_is_mathml_for_screen_readers_and_no_page_without_math_loads_an_engine(built_site, pages):
    """Each formula holds MathML beside its aria-hidden drawing; only pages with math link KaTeX; no engine script."""
    problems = {}
    with_math = 0
    for path in pages:
        f = built_site.site / (path + "index.html" if path.endswith("/") or not path else path)
        text = f.read_text(encoding="utf-8")
        formulas = text.count('<span class="katex">')
        with_math += formulas > 0
        if formulas != text.count('<span class="katex-mathml"><math') or formulas != text.count('class="katex-html" aria-hidden="true"'):
            problems.setdefault(path, []).append("a formula without MathML or with a visible twin")
        if re.search(r"<script[^>]+(mathjax|katex)", text, re.IGNORECASE):
            problems.setdefault(path, []).append("loads a math engine script")
        if bool(formulas) != ("katex.min.css" in text):
            problems.setdefault(path, []).append(f"{formulas} formulas but KaTeX's stylesheet {'not ' * bool(formulas)}linked")
    assert with_math >= 7, f"only {with_math} pages with math"
    assert not problems, _report(problems)
