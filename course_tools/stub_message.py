"""The message a released stub raises, written once: stubs are written with it, and read back by it.

`course release` writes it into each stub (`raise NotImplementedError('<message>')`) in the course's
language (English unless course.toml's [feedback] language says otherwise), `course submit`
recognises unfinished functions by it, and the judge shows it in the student's language
(`translated`), whichever language it was written in. A core module: it imports only course_tools.i18n.
"""

from __future__ import annotations

import functools
import re

from .i18n import LANGUAGES, N_, _, catalogue

MESSAGE = N_("{name} is not implemented yet: complete it in {path}")
LESSON = N_(" (lesson: {url})")
FIELDS = {"name": r"[\w.]+", "path": r"\S+?", "url": r"\S+"}


def write(name: str, module: str, url: str | None = None, language: str = "en") -> str:
    """The message for `name` ('losses.cross_entropy') of `module`, in `language`, as written into the stub."""
    words = catalogue(language)
    text = words.gettext(MESSAGE).format(name=name, path=f"course_lib/{module}.py")
    return text + (words.gettext(LESSON).format(url=url) if url else "")


def _regex(template: str) -> str:
    """`template` as a regular expression whose placeholders are named groups."""
    parts = re.split(r"\{(\w+)\}", template)
    return "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>{FIELDS[part]})" for i, part in enumerate(parts))


@functools.cache
def _patterns() -> tuple[re.Pattern, ...]:
    """One pattern per language the catalogues hold (a missing catalogue is left out)."""
    found = []
    for language in LANGUAGES:
        try:
            words = catalogue(language)
        except FileNotFoundError:
            continue
        found.append(re.compile(f"{_regex(words.gettext(MESSAGE))}(?:{_regex(words.gettext(LESSON))})?"))
    return tuple(found)


def parse(message: str) -> dict | None:
    """{name, path, url} of a stub's message in any supported language, or None when `message` is not one."""
    for pattern in _patterns():
        found = pattern.fullmatch(str(message).strip())
        if found:
            return {"url": None, **found.groupdict()}
    return None


def translated(message: str) -> str:
    """A stub's message in the active language; any other message unchanged."""
    parts = parse(message)
    if parts is None:
        return message
    text = _(MESSAGE).format(name=parts["name"], path=parts["path"])
    return text + (_(LESSON).format(url=parts["url"]) if parts["url"] else "")
