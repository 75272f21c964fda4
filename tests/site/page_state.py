"""Did a page render whole and offline? What the browser said while loading it, and its typeset math and images.

The accessibility audit (test_accessibility.audit_every_page) loads every page of both languages once, cold,
with requests off 127.0.0.1 aborted; it records each page's `Rendering` here, and test_browser.py and
test_chinese.py judge them, so no page is loaded twice for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Math is typeset (KaTeX at build time, or MathJax in the page): no .arithmatex left without rendered output, no
# TeX left in the visible text. Engine-agnostic, so it holds whichever engine the site uses. Then the images
# that did not decode, and the document's language.
STATE_JS = r"""() => {
  const rendered = ".katex, .MathJax, .MathJax_Display, mjx-container";
  const skip = "PRE, CODE, SCRIPT, STYLE, TEXTAREA, annotation, .MJX_Assistive_MathML, " + rendered;
  const walker = document.createTreeWalker(document.querySelector("article") || document.body, NodeFilter.SHOW_TEXT);
  const tex = /\\(frac|mathbf|mathrm|sum|log|exp|operatorname|begin|hat|qquad|le|ge)\b|\$\$|\\\(|\\\[/;
  const raw = [];
  for (let node; (node = walker.nextNode()); ) {
    if (node.parentElement.closest(skip)) continue;
    if (tex.test(node.textContent)) raw.push(node.textContent.trim().slice(0, 80));
  }
  const untypeset = [...document.querySelectorAll(".arithmatex")].filter(e => !e.querySelector(rendered)).length;
  const formulas = document.querySelectorAll(".katex:not(.katex-display .katex), .MathJax, mjx-container").length;
  const errors = document.querySelectorAll(".katex-error, .MathJax_Error, merror").length;
  const images = [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80));
  return {raw, untypeset, formulas, errors, images, lang: document.documentElement.lang};
}"""


@dataclass
class Rendering:
    """A page's load as the browser reported it (filled by `watch`), and STATE_JS's answer once loaded."""

    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    state: dict = field(default_factory=dict)

    def watch(self, page) -> None:
        """Record the page's console errors, uncaught exceptions, failed requests and error responses."""
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed_requests.append(r.url))
        page.on("response", lambda r: self.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def problems(self, formulas_at_least: int = 0, lang: str = "") -> list[str]:
        """Everything wrong with the rendering ([] when the page rendered whole and offline)."""
        s = self.state
        found = [f"{what}: {items}" for what, items in (
            ("requests left localhost", self.external_requests), ("console errors", self.console_errors),
            ("uncaught exceptions", self.page_errors), ("failed requests", self.failed_requests),
            ("raw TeX left in the visible text", s.get("raw")), ("images that did not load", s.get("images"))) if items]
        if not s:
            found.append("the page's state was never read")
        elif s["untypeset"] or s["errors"]:
            found.append(f"{s['untypeset']} formulas untypeset, {s['errors']} TeX errors")
        if s and s["formulas"] < formulas_at_least:
            found.append(f"only {s['formulas']} typeset formulas")
        if s and lang and s["lang"] != lang:
            found.append(f"lang={s['lang']!r}, not {lang!r}")
        return found
