"""MkDocs hook: cut the JupyterLab CSS that nbconvert inlines in each notebook page down to what the page uses.

nbconvert's lab template inlines all of JupyterLab's stylesheet (about 600 KB: every widget, every
theme variable, icons as data URIs) into every notebook page, though a static page uses a few dozen
of its classes. Here each notebook page's <style> blocks keep:

- the rules with at least one selector whose classes, ids, attribute names and element names all
  occur in that page (pseudo-classes are kept: `:hover` matters; `:not(...)` never requires anything);
- of the `--jp-*` custom properties, those that a kept declaration uses, directly or through another
  variable (the icons and unused theme colours go);
- @media/@supports blocks pruned the same way, @keyframes and @font-face only when named by what is kept.

Nothing is added, so what survives renders exactly as before. The page's own markup is the oracle.
"""

from __future__ import annotations

import functools
import logging
import re

import tinycss2

log = logging.getLogger("mkdocs.hooks.notebook_css")

_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<([a-zA-Z][\w-]*)([^>]*)>")
_ATTR = re.compile(r"""([^\s=/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\((?:[^()]|\([^()]*\))*\)")


class Present:
    """The classes, ids, attribute names and element names that occur in a page's markup."""

    def __init__(self, markup: str):
        self.classes, self.ids, self.attrs, self.tags = set(), set(), set(), set()
        body = _STYLE.sub("", markup)
        for tag, attrs in _TAG.findall(body):
            self.tags.add(tag.lower())
            for name, v1, v2, v3 in _ATTR.findall(attrs):
                name = name.lower()
                self.attrs.add(name)
                value = v1 or v2 or v3
                if name == "class":
                    self.classes.update(value.split())
                elif name == "id":
                    self.ids.add(value)

    def matches(self, selector: str) -> bool:
        """Could `selector` match something here? Conservative: only names that are absent rule it out."""
        s = _FUNCTIONAL.sub("", selector)
        attrs = re.findall(r"\[\s*([\w-]+)", s)
        s = re.sub(r"\[[^\]]*\]", "", s)
        s = re.sub(r"::?[\w-]+(\([^)]*\))?", "", s)  # other pseudo-classes and pseudo-elements
        classes = re.findall(r"\.([\w-]+)", s)
        ids = re.findall(r"#([\w-]+)", s)
        tags = [t.lower() for t in re.findall(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)", s)]
        return (all(c in self.classes for c in classes) and all(i in self.ids for i in ids)
                and all(a.lower() in self.attrs for a in attrs) and all(t in self.tags for t in tags))


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        depth += ch in "([" and 1 or ch in ")]" and -1 or 0
        if ch == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return [p for p in parts if p]


@functools.lru_cache(maxsize=8)
def _parse(css: str):
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def _rules(rules, present: Present) -> list:
    """Return [(kind, data)] for the rules that may apply: ("rule", (selectors, declarations)), ("at", ...)."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if present.matches(s)]
            if selectors:
                declarations = [d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
                                if d.type == "declaration"]
                kept.append(("rule", (selectors, declarations)))
        elif rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            if keyword in ("media", "supports") and rule.content is not None:
                inner = _rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), present)
                if inner:
                    kept.append(("block", (f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}", inner)))
            else:
                kept.append(("at", (keyword, tinycss2.serialize(rule.prelude).strip(), rule.serialize())))
    return kept


def _walk_declarations(kept):
    for kind, data in kept:
        if kind == "rule":
            yield from data[1]
        elif kind == "block":
            yield from _walk_declarations(data[1])


def _used_variables(kept) -> set[str]:
    """The --jp-* variables that kept declarations use, followed through variables that use variables."""
    definitions: dict[str, list[str]] = {}
    used: set[str] = set()
    for d in _walk_declarations(kept):
        value = tinycss2.serialize(d.value)
        if d.name.startswith("--"):
            definitions.setdefault(d.name, []).append(value)
        else:
            used.update(_VAR.findall(value))
    for d in _walk_declarations(kept):  # variables Material or other sheets define are never pruned: keep their refs
        if d.name.startswith("--") and not d.name.startswith("--jp-"):
            used.update(_VAR.findall(tinycss2.serialize(d.value)))
    frontier = list(used)
    while frontier:
        name = frontier.pop()
        for value in definitions.get(name, []):
            for ref in _VAR.findall(value):
                if ref not in used:
                    used.add(ref)
                    frontier.append(ref)
    return used


def _serialize(kept, used: set[str], text_so_far: str) -> str:
    out = []
    for kind, data in kept:
        if kind == "rule":
            selectors, declarations = data
            body = ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
                            for d in declarations if not d.name.startswith("--jp-") or d.name in used)
            if body:
                out.append(f"{','.join(selectors)}{{{body}}}")
        elif kind == "block":
            inner = _serialize(data[1], used, text_so_far)
            if inner:
                out.append(f"{data[0]}{{{inner}}}")
        else:
            keyword, prelude, whole = data
            if keyword in ("keyframes", "-webkit-keyframes") and prelude not in text_so_far:
                continue
            if keyword == "font-face":
                family = re.search(r"font-family\s*:\s*['\"]?([^;'\"}]+)", whole)
                if family and family.group(1).strip() not in text_so_far:
                    continue
            out.append(whole)
    return "".join(out)


def prune(css: str, present: Present) -> str:
    """Return the part of `css` that can apply to a page with `present`'s markup."""
    kept = _rules(_parse(css), present)
    used = _used_variables(kept)
    declarations_text = " ".join(f"{d.name}:{tinycss2.serialize(d.value)}" for d in _walk_declarations(kept))
    return _serialize(kept, used, declarations_text)


def prune_page(output: str) -> tuple[str, int, int]:
    """Prune every <style> block of a page; return (page, bytes before, bytes after)."""
    present = Present(output)
    before = after = 0

    def replace(m):
        nonlocal before, after
        css = prune(m.group(2), present)
        before += len(m.group(2).encode())
        after += len(css.encode())
        return m.group(1) + css + m.group(3)

    return _STYLE.sub(replace, output), before, after


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    output, before, after = prune_page(output)
    log.info(f"notebook CSS of {page.file.src_uri}: {before:,} -> {after:,} bytes")
    return output
