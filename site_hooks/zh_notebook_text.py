"""MkDocs hook: on the Chinese site, a notebook lesson's Markdown cells are in Chinese.

One source notebook, executed once per build (mkdocs-jupyter's cache), renders both pages. On the /zh/
page this hook replaces each Markdown cell's rendered text by the rendering of its translation, read
from the notebook's catalogue, site_hooks/locale/zh/LC_MESSAGES/<notebook>.po (course_tools/release/
catalogues.py extracts the cells; `make catalogues` lists the untranslated ones). Code cells and their
outputs stay those of the one execution. A translated cell keeps the English cell's heading anchors, so
links into the page work in both languages, and is marked lang="zh"; an untranslated cell stays English
and warns, so `mkdocs build --strict` fails on it. Code cells, whose comments and outputs are English, are
marked lang="en". Runs before zh_notebook_intro.py (priority 11 > 10),
which puts the Chinese introduction above the notebook.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from course_tools.i18n import catalogue
from course_tools.release.catalogues import NOTEBOOK_LOCALE, markdown_cells

log = logging.getLogger("mkdocs.hooks.zh_notebook_text")

LANGUAGE = "zh"
_RENDERED = 'data-mime-type="text/markdown">'
_CODE_CELL = re.compile(r'(<div class="jp-Cell jp-CodeCell jp-Notebook-cell[^"]*")')  # with or without outputs
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"')
_HEADING_ELEMENT = re.compile(r'<h([1-6]) id="([^"]*)"(.*?)</h\1>', re.S)
_DIV = re.compile(r"<div\b|</div>")
_NON_ASCII_ENTITY = re.compile(r"&#(\d{3,});")  # nbconvert writes a heading's non-ASCII text as entities


def _block_end(html: str, start: int) -> int:
    """The index of the `</div>` that closes the div whose content starts at `start`."""
    depth = 1
    for match in _DIV.finditer(html, start):
        depth += 1 if match.group(0) == "<div" else -1
        if depth == 0:
            return match.start()
    raise ValueError("an unclosed <div> in a rendered Markdown cell")


def with_anchors(translated: str, english: str) -> str:
    """`translated` with each heading's id, and its ¶ link, taken in order from the English rendering's headings
    (a heading beyond the English ones keeps its own)."""
    ids = iter(_HEADING.findall(english))

    def replace(match):
        level, inner = match[1], match[3]
        new = next(ids, (level, match[2]))[1]
        inner = re.sub(r'(<a class="anchor-link" href=")#[^"]*"', rf'\g<1>#{new}"', inner)
        return f'<h{level} id="{new}"{inner}</h{level}>'

    return _HEADING_ELEMENT.sub(replace, translated)


def heading_titles(html: str) -> dict[str, str]:
    """{heading id: its text} of every heading in `html` (tags and the ¶ link dropped)."""
    found = re.finditer(r'<h[1-6] id="([^"]*)"[^>]*>(.*?)</h[1-6]>', html, re.S)
    return {m[1]: html_lib.unescape(re.sub(r"<a class=\"anchor-link\".*?</a>|<[^>]+>", "", m[2], flags=re.S)).strip()
            for m in found}


def retitle(toc, titles: dict[str, str]) -> None:
    """Give the page's table of contents (mkdocs-jupyter's, from the English cells) the translated titles."""
    for link in toc or []:
        link.title = titles.get(link.id, link.title)
        retitle(link.children, titles)


def translate_cells(content: str, cells: list[tuple[str, str]], translations) -> tuple[str, list[str]]:
    """The page's HTML with each Markdown cell ([(cell id, source)]) rendered from its translation, and the ids
    of the cells that have none."""
    untranslated = []
    for cell_id, source in cells:
        opening = f'id="cell-id={cell_id}"'
        at = content.find(opening)
        start = content.find(_RENDERED, at) + len(_RENDERED) if at >= 0 else -1
        text = translations.gettext(source) if source.strip() else source
        if at < 0 or start < len(_RENDERED) or text == source:
            untranslated.append(cell_id)
            if at >= 0:
                content = content[:at] + opening + ' lang="en"' + content[at + len(opening):]
            continue
        end = _block_end(content, start)
        rendered = _NON_ASCII_ENTITY.sub(lambda m: chr(int(m[1])) if int(m[1]) > 127 else m[0], markdown2html_mistune(text))
        rendered = with_anchors(rendered, content[start:end])
        content = content[:at] + opening + f' lang="{LANGUAGE}"' + content[at + len(opening):start] + \
            "\n" + rendered + "\n" + content[end:]
    return content, untranslated


@event_priority(11)  # before zh_notebook_intro.py (10), notebooks.py's banner, katex.py and downloads.py's links
def on_page_content(content, page, config, files):
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "current_language", None) != LANGUAGE or not page.file.src_uri.endswith(".ipynb"):
        return content
    name = Path(page.file.src_uri).stem
    locale = Path(config.config_file_path).parent / NOTEBOOK_LOCALE
    try:
        translations = catalogue(LANGUAGE, locale, name)
    except FileNotFoundError as error:
        log.warning(f"{page.file.src_uri}: {error}")
        return content
    content, untranslated = translate_cells(content, markdown_cells(Path(page.file.abs_src_path)), translations)
    content = _CODE_CELL.sub(r'\1 lang="en"', content)
    retitle(page.toc, heading_titles(content))
    if untranslated:
        log.warning(f"{page.file.src_uri}: {len(untranslated)} Markdown cells have no Chinese translation "
                    f"({', '.join(untranslated)}): run `make catalogues` and translate them")
    return content
