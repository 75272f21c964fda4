"""The course site's address, and the address of each lesson on it.

One place sets the address: `site_url` in mkdocs.yml (the site's own setting, which MkDocs also
uses for canonical links and the sitemap). `course release` writes each exercise's lesson address
into its stub (`__lesson__` and the NotImplementedError message), so that the student bundle,
which holds no mkdocs.yml, names pages a student can open rather than repository paths.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

# mkdocs.yml uses YAML tags (!ENV, !!python/name) that a plain YAML loader refuses: read the one key.
_SITE_URL = re.compile(r"""^site_url:\s*["']?([^"'\s#]+)""", re.M)


def site_url(root: Path) -> str:
    """mkdocs.yml's site_url with a trailing slash, or "" when there is no mkdocs.yml or it sets none."""
    config = Path(root) / "mkdocs.yml"
    if not config.is_file():
        return ""
    match = _SITE_URL.search(config.read_text(encoding="utf-8"))
    return match[1].rstrip("/") + "/" if match else ""


def page_url(base: str, page: str) -> str:
    """The address of docs/<page> (e.g. 'exercises/accuracy.md') on the site at `base`, as MkDocs
    builds it with directory URLs: <base>exercises/accuracy/. Without a base, the repository path."""
    if not base:
        return f"docs/{page}"
    path = page.removesuffix(".md").removesuffix(".ipynb")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return base + path


def lesson_of_source(source: str) -> str | None:
    """A module's `__lesson__` string, read without running it (None if absent or unparsable)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__lesson__" for t in node.targets) \
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node.value.value
    return None
