"""Page weight on a cold load, in headless Chromium: the budget of issue 17 and what keeps pages in it.

Oracle: the browser's own responses. Each page is loaded once in a fresh context (empty cache) from the
local server, which sends no compression, by the accessibility audit (the `audits` fixture, at a
phone's width); the bytes counted are the uncompressed bodies of every response the page caused until it
settled, workers' requests included (a search index fetched by the page or its search worker would
count). The same count as benchmarks/site_weight.py.
"""

from __future__ import annotations

from test_accessibility import SETTLE_MS

# Issue 17: the heaviest page at most 800 KB uncompressed on a cold load (it was 1.9 MB, then 1.6 MB).
HEAVIEST_PAGE_BYTES = 800_000


def test_no_page_weighs_more_than_800_kb_on_a_cold_load(audits, pages):
    """Every page of both languages, cold: the bytes of all it loads stay within 800 KB."""
    assert any(p.startswith("zh/") for p in pages) and len(pages) >= 40, pages
    weights = {path: sum(audits["weight"][path].values()) for path in pages}
    assert min(weights.values()) > 10_000, weights  # every page's own HTML and stylesheets were counted
    heaviest = max(weights, key=weights.get)
    over = {p: w for p, w in weights.items() if w > HEAVIEST_PAGE_BYTES}
    assert not over, f"over {HEAVIEST_PAGE_BYTES:,} bytes: " + ", ".join(f"/{p} {w:,}" for p, w in over.items())
    print(f"\nheaviest page: /{heaviest}, {weights[heaviest]:,} bytes")


def test_the_search_index_loads_only_when_search_is_used(browser, site_url):
    """No page fetches the search index or starts the search worker until the reader reaches for search."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    page.goto(site_url + "lessons/softmax/", wait_until="load")
    page.wait_for_timeout(SETTLE_MS)
    searchy = [u for u in requested if "search_index" in u or "/workers/search" in u or "/lunr/" in u]
    assert not searchy, f"fetched before any search: {searchy}"
    page.locator(".md-search__input").click()
    page.keyboard.type("softmax")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert any(u.endswith("search/search_index.json") for u in requested), requested
    context.close()


def test_widget_script_only_on_pages_with_widgets(built_site):
    """widgets.js (~30 KB) is linked by the pages that hold a widget, and by no other."""
    with_widgets = 0
    for f in built_site.site.rglob("*.html"):
        text = f.read_text(encoding="utf-8")
        has_widget = '<div class="widget ' in text
        with_widgets += has_widget
        assert ("assets/javascripts/widgets.js" in text) == has_widget, f
    assert with_widgets >= 6, with_widgets  # three lessons with widgets, in two languages
