"""The --lang option that every student-facing verb shares, and how the language is chosen."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..course_config import CourseConfigError, default_config_path, load_course_config
from ..i18n import LANGUAGES, activate, choose


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", default=None, choices=LANGUAGES,
                        help="the language of the messages and feedback: en or zh (简体中文) (default: course.toml's "
                             "[feedback] language, else your locale, e.g. LANG=zh_CN.UTF-8)")


def use(explicit: str | None, root: Path | None, config: Path | None = None, suites=()) -> str:
    """Choose the language (--lang, else course.toml's [feedback] language, else the locale), activate it
    for this process, with the catalogues of the check suites (folders) whose titles it shows, and
    return it. An unreadable course.toml is left to the verb to report."""
    configured = None
    try:
        configured = load_course_config(config or (default_config_path(root) if root else None)).language
    except CourseConfigError:
        pass
    return activate(choose(explicit, configured), suites)
