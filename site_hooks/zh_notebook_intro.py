"""MkDocs hook: on the Chinese site, each notebook lesson gets a Chinese note under its title.

The notebooks are not duplicated: a `*.zh.ipynb` would execute a second time per build, and its outputs
could drift from the English ones. The `/zh/` page of `lessons/<name>.ipynb` renders the same executed
notebook (mkdocs-jupyter's cache: one execution per build), its Markdown cells in Chinese from the
notebook's catalogue (zh_notebook_text.py, which runs first), and this hook puts the note
`site_hooks/notebook_intros/<name>.zh.md` under the page's first `<h1>`: the prose is translated, the
code and its outputs are the English site's. The data banner (site_hooks/notebooks.py) is given in Chinese.

Contract: a notebook without a note file is a warning, so `mkdocs build --strict` fails. Links in the note
are written as in the docs (`../glossary.md`); site_hooks/downloads.py turns them into page URLs (and warns
on a page that does not exist), because this hook runs first (priority 10).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import markdown
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.zh_notebook_intro")

INTROS = Path(__file__).with_name("notebook_intros")
LANGUAGE = "zh"
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.DOTALL)
_INFO_BANNER = re.compile(
    r'<div class="admonition info data-banner">.*?<strong>(?P<kind>[^<]+)</strong> '
    r"\((?P<train>[\d,]+) training and (?P<test>[\d,]+) test images\).*?</div>", re.DOTALL)
_KINDS = {"the full Fashion-MNIST dataset": "完整的 Fashion-MNIST 数据集", "a sample of Fashion-MNIST": "Fashion-MNIST 的一个样本"}


def _building(config) -> str | None:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None)


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def intro_html(name: str, config) -> str | None:
    """The introduction for notebook `name`, rendered with the site's Markdown extensions; None if it has none."""
    source = INTROS / f"{name}.{LANGUAGE}.md"
    if not source.is_file():
        return None
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return md.convert(source.read_text(encoding="utf-8"))


def wrap(content: str, intro: str) -> str:
    """Put the note right under the page's first <h1> (the notebook's title, translated), or first if it has none."""
    match = _H1.search(content)
    return content[:match.end()] + intro + content[match.end():] if match else intro + content


def chinese_banner(content: str) -> str:
    """The data banner of site_hooks/notebooks.py in Chinese (the same numbers); other banners are marked English."""
    def replace(match):
        kind = _KINDS.get(match["kind"], match["kind"])
        return (
            '<div class="admonition info data-banner" lang="zh"><p class="admonition-title">构建本站时执行</p>'
            f"<p>下面的输出是真实结果：本笔记本在<strong>{kind}</strong>上运行"
            f"（{match['train']} 张训练图像和 {match['test']} 张测试图像）。"
            "在完整数据集（60,000 + 10,000）上得到的数字与样本上的不同。</p></div>"
        )
    translated = _INFO_BANNER.sub(replace, content)
    return translated.replace('<div class="admonition warning data-banner">',
                              '<div class="admonition warning data-banner" lang="en">')


@event_priority(10)  # before notebooks.py (banner), katex.py (math) and downloads.py (links)
def on_page_content(content, page, config, files):
    if _building(config) != LANGUAGE or not _is_notebook(page):
        return content
    name = Path(page.file.src_uri).stem
    intro = intro_html(name, config)
    if intro is None:
        log.warning(f"{page.file.src_uri}: no Chinese introduction ({INTROS / f'{name}.{LANGUAGE}.md'})")
        return content
    return wrap(content, intro)


def on_post_page(output, page, config):
    """The banner is added by notebooks.py's on_page_content, after this hook's: translate it in the final page."""
    if _building(config) != LANGUAGE or not _is_notebook(page):
        return output
    return chinese_banner(output)
