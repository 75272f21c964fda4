"""The site's pages, listed from docs/ without building it, so that tests can be parametrized by page."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


def page_paths() -> list[str]:
    """Return the URL path of every page, from the source files (no build needed to collect tests)."""
    paths = []
    for source in sorted(DOCS.rglob("*")):
        if source.suffix not in (".md", ".ipynb") or "assets" in source.parts:
            continue
        rel = source.relative_to(DOCS).with_suffix("")
        parts = list(rel.parts[:-1]) + ([] if rel.name == "index" else [rel.name])
        paths.append("/".join(parts) + "/" if parts else "")
    return paths
