"""The translation catalogues: extract every marked message with Babel, update each language's .po, list gaps.

Three catalogues of messages, each beside what it translates (course_tools/i18n.py says why):
the tools' (`course_tools/locale`, domain `course`), the public checks' (`public_tests/locale`) and
the hidden graders' (`graders/locale`), both domain `checks`. And one per lesson notebook
(`site_hooks/locale`, domain: the notebook's name), whose messages are its Markdown cells, whole: the
/zh/ site shows them in place of the English (site_hooks/zh_notebook_text.py). Run `make catalogues` (or
`python -m course_tools.release.catalogues update`) after changing a message, translate the new
entries, then `python -m course_tools.release.catalogues check` (a project test does the same).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from ..i18n import CHECKS_DOMAIN, DOMAIN, LANGUAGES
from ..paths import find_root, lesson_notebooks

KEYWORDS = {**DEFAULT_KEYWORDS, "check": (1,)}  # @check("title", ...): a title is a message too
METHODS = [("**/locale/**", "ignore"), ("**.py", "python")]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Suite:
    """Messages extracted from `source` (a folder of Python, or a notebook) into `<locale>/<lang>/LC_MESSAGES/<domain>.po`."""
    source: str
    locale: str
    domain: str


NOTEBOOK_LOCALE = "site_hooks/locale"  # the lesson notebooks' catalogues: on the site's side, never in docs/ (copied)
SUITES = (Suite("course_tools", "course_tools/locale", DOMAIN),  # the code's; suites() adds the lessons'
          Suite("public_tests", "public_tests/locale", CHECKS_DOMAIN),
          Suite("graders", "graders/locale", CHECKS_DOMAIN))


def suites(root: Path) -> list[Suite]:
    """Every catalogue of the course at `root`: the code's SUITES, then one per lesson notebook."""
    return [*SUITES, *(Suite(p.relative_to(root).as_posix(), NOTEBOOK_LOCALE, p.stem) for p in lesson_notebooks(root))]


def markdown_cells(notebook: Path) -> list[tuple[str, str]]:
    """[(cell id, source)] of the notebook's Markdown cells, in order."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [(cell["id"], "".join(cell["source"])) for cell in cells if cell["cell_type"] == "markdown"]


def extract(root: Path, suite: Suite) -> Catalog:
    """Every message of the suite: each Markdown cell of a notebook, or each message marked in a folder's
    Python (_, N_, ngettext, @check titles), with where it is."""
    catalog = Catalog(domain=suite.domain, project="softmax-course")
    if suite.source.endswith(".ipynb"):
        for index, (cell_id, text) in enumerate(markdown_cells(root / suite.source)):
            catalog.add(text, locations=[(suite.source, index + 1)], auto_comments=[f"cell {cell_id}"])  # cells from 1
        return catalog
    for file, line, message, comments, context in extract_from_dir(
            root / suite.source, method_map=METHODS, keywords=KEYWORDS, strip_comment_tags=True):
        catalog.add(message, locations=[(f"{suite.source}/{file}", line)], auto_comments=comments, context=context)
    return catalog


def po_path(root: Path, suite: Suite, language: str) -> Path:
    return root / suite.locale / language / "LC_MESSAGES" / f"{suite.domain}.po"


def update(root: Path) -> list[Path]:
    """Merge the extracted messages into every language's .po (new ones empty, gone ones dropped);
    return the files that changed."""
    written = []
    for suite in suites(root):
        template = extract(root, suite)
        for language in LANGUAGES[1:]:
            path = po_path(root, suite, language)
            if path.is_file():
                with path.open("rb") as stream:
                    catalog = read_po(stream, locale=language, domain=suite.domain)
            else:
                catalog = Catalog(locale=language, domain=suite.domain, project="softmax-course")
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            catalog.fuzzy = False  # the header is ours, not a guess
            catalog.header_comment = f"# {language} translations of the course's {suite.domain} messages ({suite.source})."
            out = io.BytesIO()
            write_po(out, catalog, width=100, sort_by_file=True, omit_header=False)
            if not path.is_file() or _undated(path.read_bytes()) != _undated(out.getvalue()):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(out.getvalue())
                written.append(path)
    return written


def _undated(po: bytes) -> bytes:
    """A .po without its creation date, so that an update that changes no message writes nothing."""
    return re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", po)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def gaps(root: Path) -> list[str]:
    """One line per message that some language lacks or translates with other placeholders."""
    found = []
    for suite in suites(root):
        template = extract(root, suite)
        for language in LANGUAGES[1:]:
            path = po_path(root, suite, language)
            if not path.is_file():
                found.append(f"{path.relative_to(root)}: missing (run `make catalogues`)")
                continue
            with path.open("rb") as stream:
                catalog = read_po(stream, locale=language)
            for message in template:
                if not message.id:
                    continue
                where = f"{path.relative_to(root)}: {message.id if isinstance(message.id, str) else message.id[0]!r}"
                entry = catalog.get(message.id)
                strings = entry.string if entry is not None else None
                strings = list(strings) if isinstance(strings, (tuple, list)) else [strings]
                if entry is None or entry.fuzzy or not all(strings):
                    found.append(f"{where} is not translated")
                    continue
                ids = message.id if isinstance(message.id, (tuple, list)) else [message.id]
                if any(_placeholders(s) != _placeholders(ids[0]) and _placeholders(s) != _placeholders(ids[-1])
                       for s in strings):
                    found.append(f"{where}: the translation's placeholders differ")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_tools.release.catalogues", description=__doc__)
    parser.add_argument("action", choices=("update", "check"), help="update: extract and merge into every .po; "
                        "check: list messages without a translation (exit 1 if any)")
    parser.add_argument("--root", type=Path, default=None, help="the course root (default: found from the current folder)")
    args = parser.parse_args(argv)
    root = (args.root or find_root()).resolve()
    if args.action == "update":
        for path in update(root):
            print(f"updated {path.relative_to(root)}")
        return 0
    missing = gaps(root)
    print("\n".join(missing) or "every message is translated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
