"""MkDocs hook: an untranslated page on the Chinese site says so, and is marked as English.

With `fallback_to_default`, mkdocs-static-i18n puts the English page under `/zh/` when no `page.zh.md`
exists (the instructor, LMS and security guides). This hook, on the Chinese build only, puts a short
Chinese note above such a page (linking the English original through the language switcher's target)
and wraps the English text in `<div lang="en">`, so that browsers, screen readers and hyphenation
treat it as English. Notebook pages are left to site_hooks/zh_notebook_intro.py.
"""

from __future__ import annotations

LANGUAGE = "zh"
NOTE = ('<div class="admonition note zh-fallback" lang="zh"><p class="admonition-title">本页尚无中文版</p>'
        "<p>以下是英文原文。课程正文、练习和学生指南都有中文版；术语对照见"
        '<a href="{glossary}">术语表</a>。</p></div>')


def on_page_content(content, page, config, files):
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "current_language", None) != LANGUAGE or page.file.src_uri.endswith(".ipynb"):
        return content
    if getattr(page.file, "locale", LANGUAGE) == LANGUAGE:
        return content  # a translated page
    glossary = files.get_file_from_path("glossary.md")
    href = glossary.url_relative_to(page.file) if glossary is not None else ""
    return NOTE.format(glossary=href) + f'<div lang="en" class="zh-fallback-en">{content}</div>'
