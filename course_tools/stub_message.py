"""The message a released stub raises, written once: stubs are written with it, and read back by it.

`course release` writes it in English into each stub (`raise NotImplementedError('<message>')`),
`course submit` recognises unfinished functions by it, and the judge shows it in the student's
language (`translated`). A core module: it imports only course_tools.i18n.
"""

from __future__ import annotations

import re

from .i18n import N_, _

MESSAGE = N_("{name} is not implemented yet: complete it in {path}")
LESSON = N_(" (lesson: {url})")
MARK = " is not implemented yet: "
_PATTERN = re.compile(r"(?P<name>[\w.]+) is not implemented yet: complete it in (?P<path>\S+?)"
                      r"(?: \(lesson: (?P<url>\S+)\))?")


def english(name: str, module: str, url: str | None = None) -> str:
    """The message for `module.function` `name` ('losses.cross_entropy'), as written into the stub."""
    text = MESSAGE.format(name=name, path=f"course_lib/{module}.py")
    return text + (LESSON.format(url=url) if url else "")


def parse(message: str) -> dict | None:
    """{name, path, url} of a stub's message, or None when `message` is not one."""
    found = _PATTERN.fullmatch(message.strip())
    return found.groupdict() if found else None


def translated(message: str) -> str:
    """A stub's message in the active language; any other message unchanged."""
    parts = parse(message)
    if parts is None:
        return message
    text = _(MESSAGE).format(name=parts["name"], path=parts["path"])
    return text + (_(LESSON).format(url=parts["url"]) if parts["url"] else "")
