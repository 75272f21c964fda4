"""MkDocs hook: on the Chinese site, the points tables of site_hooks/points.py are in Chinese.

points.py writes each table as Markdown from the graders' files; this hook runs after it (priority -10)
and, on `/zh/` pages only, translates the table's header row, its "total" row, the "when it fails"
column and each check's title. Titles come from the suites' own catalogues (graders/ and public_tests/
`locale/zh/LC_MESSAGES/checks.po`), the ones `course grade --lang zh` and `course check --lang zh` show:
the site is built on the instructor's side, where the graders' catalogue is. Whole cells only, so no
other text is touched.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

from course_tools.i18n import CHECKS_DOMAIN, catalogue
from course_tools.judge.config import load_config
from course_tools.paths import grading_config, public_checks_config

# English cell text (as points.py writes it) -> Chinese.
CELLS = {
    "| hidden check | points | when it fails, you see |": "| 隐藏检查 | 分数 | 失败时你看到 |",
    "| public check | practice points |": "| 公开检查 | 练习分 |",
    "| **total** |": "| **合计** |",
    "| expected vs got, and a hint |": "| 期望值与实际值，以及提示 |",
    "| a hint only |": "| 只有提示 |",
    "| after the due date |": "| 截止日期之后 |",
    "| after grades are published |": "| 成绩公布之后 |",
}


def title_cells(repo: Path) -> dict[str, str]:
    """{'| title |': '| 标题 |'} for every hidden and public check, from each suite's zh catalogue."""
    cells = {}
    for config in (grading_config(repo), public_checks_config(repo)):
        translations = catalogue("zh", config.parent / "locale", CHECKS_DOMAIN)
        for title in load_config(config):
            cells[f"| {title} |"] = f"| {translations.gettext(title)} |"
    return cells


@event_priority(-10)  # after points.py (priority 0) has written the tables
def on_page_markdown(markdown, page, config, files):
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "current_language", None) != "zh" or "| hidden check |" not in markdown and "| public check |" not in markdown:
        return markdown
    for english, chinese in {**CELLS, **title_cells(Path(config.config_file_path).parent)}.items():
        markdown = markdown.replace(english, chinese)
    return markdown
