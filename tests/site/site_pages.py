"""The site's pages, listed from docs/ without building it, so that tests can be parametrized by page."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
TRANSLATIONS = (".zh",)  # mkdocs-static-i18n's suffix layout: page.md (English), page.zh.md (简体中文)


def site_path() -> str:
    """The path part of mkdocs.yml's site_url ("/softmax-course/"), or "/" when it sets none."""
    from urllib.parse import urlparse

    from course_tools.site import site_url

    return urlparse(site_url(REPO)).path.rstrip("/") + "/"


def page_paths() -> list[str]:
    """Return the URL path of every page, from the source files (no build needed to collect tests)."""
    paths = []
    for source in sorted(DOCS.rglob("*")):
        if source.suffix not in (".md", ".ipynb") or "assets" in source.parts:
            continue
        if len(source.suffixes) > 1 and source.suffixes[-2] in TRANSLATIONS:
            continue  # page.zh.md is the same page on the /zh/ site: zh_page_paths()
        rel = source.relative_to(DOCS).with_suffix("")
        parts = list(rel.parts[:-1]) + ([] if rel.name == "index" else [rel.name])
        paths.append("/".join(parts) + "/" if parts else "")
    return paths


def zh_page_paths() -> list[str]:
    """Every page's URL path on the Chinese site: each English page under zh/ (translated or not)."""
    return ["zh/" + path for path in page_paths()]


def translated(path: str) -> bool:
    """Does the page at this URL path (without zh/) have a Chinese source, page.zh.md?"""
    stem = DOCS / (path.rstrip("/") or "index")
    return stem.with_suffix(".zh.md").is_file() or (stem / "index.zh.md").is_file()


def built_pages(site: Path) -> list[str]:
    """URL paths of every HTML page in the built site (404 included; assets and search excluded)."""
    pages = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site)
        if rel.parts[0] in ("assets", "search"):
            continue
        pages.append(rel.as_posix()[: -len("index.html")] if rel.name == "index.html" else rel.as_posix())
    return pages
