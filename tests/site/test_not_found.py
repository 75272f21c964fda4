"""Does a missing address get the 404 page in its site's language, as a static host serves the root 404.html?"""

import pytest

from site_pages import site_path

pytestmark = pytest.mark.slow  # the built site, in the browser


@pytest.mark.parametrize("missing, lang, heading, home", [
    ("no-such-page/", "en", "404 - Page not found", ""),
    ("zh/no-such-page/", "zh", "404 - 找不到这个页面", "zh/"),
])
def test_a_missing_address_gets_the_404_page_in_its_language(visit, missing, lang, heading, home):
    """Under zh/, does the served root page (English) show the Chinese one at the same address, and does each link
    its own home page? Oracles: the address, <html lang>, the heading, and the link's target."""
    v = visit(site_path().lstrip("/") + missing)  # under site_url's path, where the host serves the site
    page = v.page
    page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang, timeout=10_000)
    page.wait_for_selector("article h1")
    assert page.inner_text("article h1") == heading
    assert page.url.endswith(missing)  # the reader's address stays
    assert page.eval_on_selector("article p a", "a => new URL(a.href).pathname") == site_path() + home
    assert v.page_errors == [] and v.external_requests == []
