"""MkDocs hook: the 404 page follows the reader's language.

A static host serves one file, the site's root 404.html, for every missing address. mkdocs-static-i18n
builds the languages one after another into that same file, so the last language built (Chinese) used
to win for every reader (mkdocs-static-i18n #284). This hook keeps each build's page: English at the
root, Chinese at zh/404.html. The root page carries a small script: when the missing address lies
under the Chinese site, it shows the Chinese page in its place, at the same address.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

NAME = "404.html"
_state: dict = {}

SWITCH = """<script>/* a missing page under zh/ shows the Chinese 404 page, at the same address */
(function () {{
  var zh = "{base}zh/";
  if (location.pathname.indexOf(zh) !== 0) return;
  fetch(zh + "{name}").then(function (r) {{ return r.ok ? r.text() : null; }}).then(function (page) {{
    if (page) {{ document.open(); document.write(page); document.close(); }}
  }});
}})();
</script>"""


def with_switch(page: str, site_url: str) -> str:
    """The default language's 404 page with the script that shows zh/404.html under zh/ (first in <head>)."""
    base = urlsplit(site_url or "/").path or "/"
    script = SWITCH.format(base=base if base.endswith("/") else base + "/", name=NAME)
    return page.replace("<head>", "<head>\n" + script, 1)


def on_post_build(config):
    i18n = config.plugins.get("i18n")
    language = getattr(i18n, "current_language", None)
    page = Path(config.site_dir) / NAME
    if language is None or not page.is_file():
        return
    if language == "zh":  # built after the default language, into the same root file
        (page.parent / "zh").mkdir(exist_ok=True)
        (page.parent / "zh" / NAME).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
        if "default" in _state:
            page.write_text(_state.pop("default"), encoding="utf-8")
    else:
        _state["default"] = with_switch(page.read_text(encoding="utf-8"), config.site_url)
        page.write_text(_state["default"], encoding="utf-8")
