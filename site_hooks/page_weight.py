"""MkDocs hook: a page loads only the scripts it uses, and the search index only when search is used.

- `assets/javascripts/search-on-demand.js` goes right before Material's bundle on every page: it holds
  back Material's search index request (~530 KB, both languages) and its search worker until the
  reader reaches for search (see that file). Without it, every page's cold load carried the index.
- `assets/javascripts/widgets.js` (~30 KB) is dropped from pages that hold no lesson widget
  (`<div class="widget ...">`); the pages with one keep it where mkdocs.yml's extra_javascript puts it.
"""

from __future__ import annotations

import re

_BUNDLE = re.compile(r'<script src="(?P<prefix>[^"]*?)assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')
_WIDGETS = re.compile(r'<script src="[^"]*?assets/javascripts/widgets\.js"></script>\n?')
_WIDGET = re.compile(r'<div class="widget[ "]')


def slim(output: str) -> str:
    """Put search-on-demand.js before Material's bundle; drop widgets.js where no widget is."""
    bundle = _BUNDLE.search(output)
    if bundle and "search-on-demand.js" not in output:
        tag = f'<script src="{bundle["prefix"]}assets/javascripts/search-on-demand.js"></script>\n'
        output = output[: bundle.start()] + tag + output[bundle.start():]
    if not _WIDGET.search(output):
        output = _WIDGETS.sub("", output)
    return output


def on_post_page(output, page, config):
    return slim(output)


def on_post_template(output_content, template_name, config):
    """404.html is a theme template, not a page: it gets the same treatment."""
    return slim(output_content) if template_name.endswith(".html") else output_content
