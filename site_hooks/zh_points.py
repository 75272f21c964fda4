"""MkDocs hook: on the Chinese site, the points tables of site_hooks/points.py have Chinese headers.

points.py writes each table as Markdown from the graders' files; this hook runs after it (priority -10)
and, on `/zh/` pages only, translates the table's header row, its "total" row and the "when it fails"
column. Check names are left as the graders print them: they are what `course check` and the
feedback show, in English.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

# English cell text (as points.py writes it) -> Chinese; whole cells only, so no other text is touched.
CELLS = {
    "| hidden check | points | when it fails, you see |": "| 隐藏检查 | 分数 | 失败时你看到 |",
    "| public check | practice points |": "| 公开检查 | 练习分 |",
    "| **total** |": "| **合计** |",
    "| expected vs got, and a hint |": "| 期望值与实际值，以及提示 |",
    "| a hint only |": "| 只有提示 |",
    "| after the due date |": "| 截止日期之后 |",
    "| after grades are published |": "| 成绩公布之后 |",
}


@event_priority(-10)  # after points.py (priority 0) has written the tables
def on_page_markdown(markdown, page, config, files):
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "current_language", None) != "zh" or "| hidden check |" not in markdown and "| public check |" not in markdown:
        return markdown
    for english, chinese in CELLS.items():
        markdown = markdown.replace(english, chinese)
    return markdown
