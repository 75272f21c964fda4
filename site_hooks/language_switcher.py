"""MkDocs hook: the language switcher links the same page in the other language, by a relative URL.

mkdocs-static-i18n points each entry of Material's switcher (`extra.alternate`) at the current page's
alternate, except on the home pages, where it keeps the configured root-absolute links `/` and `/zh/`.
A root-absolute link breaks when the site is served below a path (GitHub Pages serves a project at
`/<repository>/`) and cannot be followed offline from the files. This hook runs after the i18n plugin's
`on_page_context` (priority 50) and sets every entry from the page's alternates, so each link is a
site-relative URL that the template's `url` filter makes relative to the page.

Material also copies each entry into the page's head as `<link rel="alternate" hreflang>`, and its
JavaScript fetches `sitemap.xml` next to each such link, expecting a language's root there. Our links
are the same page in the other language, so every page would request `<page>/sitemap.xml` and log a
404 in the console. `on_post_page` drops those head links (the switcher's own links, in the header
menu, stay): Material's script then leaves a click on the switcher to the browser, which follows it
to the same page in the other language.
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


@event_priority(-60)  # after the i18n plugin has set this page's entries
def on_page_context(context, page, config, nav):
    alternates = getattr(page.file, "alternates", None)
    # The i18n plugin assigns `config.extra.alternate` as an attribute, which is what the template
    # reads (`config.extra.alternate`); the mapping key keeps the configured links.
    entries = getattr(config.extra, "alternate", None)
    if not alternates or not entries:
        return context
    for entry in entries:
        alternate = alternates.get(entry.get("lang"))
        if alternate is not None:
            entry["link"] = alternate.url
    return context


def on_post_page(output, page, config):
    if not getattr(config.extra, "alternate", None):
        return output
    head_end = output.find("</head>")
    return _HEAD_ALTERNATE.sub("", output[:head_end]) + output[head_end:]
