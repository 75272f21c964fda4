"""The Chinese feedback's oracle: the catalogues' own translations of the English messages the tests name."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from course_tools.release.catalogues import SUITES, po_path

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _translations() -> dict[str, str]:
    """{English message: its Chinese translation} over the tools' and the hidden graders' catalogues."""
    found = {}
    for suite in (SUITES[0], SUITES[2]):
        with po_path(ROOT, suite, "zh").open("rb") as stream:
            for message in read_po(stream):
                if message.id and isinstance(message.id, str) and message.string:
                    found[message.id] = message.string
    return found


TRANSLATIONS = _translations()
HINT_PREFIX = TRANSLATIONS.get("Hint: {hint}", "Hint: {hint}").split("{hint}")[0]


def says_in_chinese(output: str, phrase: str) -> bool:
    """Does `output` hold the Chinese translation of a catalogue message containing the English `phrase`?

    The translation's longest literal stretch (between placeholders) must appear; no message holding the
    phrase is an error of the test, not a failed translation."""
    sources = [english for english in TRANSLATIONS if phrase in english]
    assert sources, f"no catalogue message holds {phrase!r}"
    stretches = [max(re.split(r"\{[^{}]*\}", TRANSLATIONS[english]), key=len).strip() for english in sources]
    return any(stretch in output for stretch in stretches)
