"""The language of every message a student reads: gettext catalogues, chosen by --lang, config or locale.

Messages are marked `_("...")` where they are formatted, or `N_("...")` where they are defined
before a language is chosen (check hints, causes); those are translated when shown (`_(hint)`).
Two kinds of catalogue: the tools' own (`course_tools/locale/<lang>/LC_MESSAGES/course.po`) and
each check suite's, beside its checks (`<suite>/locale/<lang>/LC_MESSAGES/checks.po`), so that the
hidden graders' titles and hints never ship in the student bundle. Babel extracts and updates them
(`make catalogues`); a compiled `.mo` is used when it is at least as new as its `.po`, else the
`.po` is compiled in memory with Babel, so an edited catalogue never goes stale.
Check titles are keys (gradebooks, Gradescope): only their display text goes through `_()`.
A core module: it imports nothing of course_tools.
"""

from __future__ import annotations

import gettext
import io
import os
from pathlib import Path

DOMAIN = "course"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")  # en is the source language; zh is Simplified Chinese
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's own order

_active: gettext.NullTranslations = gettext.NullTranslations()
_active_language = "en"


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (it is translated when shown)."""
    return message


def _(message: str) -> str:
    """`message` in the active language (itself when there is no translation)."""
    return _active.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the active language."""
    return _active.ngettext(singular, plural, n)


def supported(language: str | None) -> str | None:
    """The supported language a code or locale names ('zh_CN.UTF-8' -> 'zh', 'C' -> None)."""
    code = (language or "").strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    base = code.split("_")[0]
    return base if base in LANGUAGES else None


def from_locale(environ=None) -> str:
    """The language the locale variables ask for, as gettext reads them; 'en' when none is supported."""
    environ = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable)
        if value:
            for part in value.split(":"):  # LANGUAGE may list several, in order of preference
                if supported(part):
                    return supported(part)
            return "en"
    return "en"


def choose(explicit: str | None = None, configured: str | None = None, environ=None) -> str:
    """The language to use: --lang, else the course config's, else the locale's, else English.

    Raises ValueError naming the supported languages when `explicit` or `configured` is not one.
    """
    for given in (explicit, configured):
        if given:
            language = supported(given)
            if language is None:
                raise ValueError(f"unsupported language {given!r}: choose one of {', '.join(LANGUAGES)}")
            return language
    return from_locale(environ)


CHECKS_DOMAIN = "checks"


def catalogue(language: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The translations of `language` ('en': none) in one catalogue.

    Raises FileNotFoundError when the catalogue is missing."""
    if language == "en":
        return gettext.NullTranslations()
    folder = Path(locale_dir) / language / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    if not po.is_file():
        raise FileNotFoundError(f"no catalogue for {language!r}: {po} is missing")
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po catalogue, compiled by Babel (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo  # Babel only when a translation is used
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        messages = read_po(stream)
    out = io.BytesIO()
    write_mo(out, messages, use_fuzzy=False)
    return out.getvalue()


def activate(language: str, suites=()) -> str:
    """Make `language` the active one for this process, with the tools' catalogue and those of the
    check suites (folders holding `locale/`) that have one; return it."""
    global _active, _active_language
    chain = catalogue(language)
    for suite in suites:
        if language != "en" and (Path(suite) / "locale" / language).is_dir():
            found = catalogue(language, Path(suite) / "locale", CHECKS_DOMAIN)
            found.add_fallback(chain)
            chain = found
    _active, _active_language = chain, language
    return language


def active_language() -> str:
    """The language activate() chose last ('en' until then)."""
    return _active_language
