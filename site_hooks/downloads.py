"""MkDocs hook for notebook links and downloads: links work in Jupyter and on the site; downloads run anywhere.

- on_page_content: a notebook's Markdown links to files (`softmax.md#...`, `../exercises/index.md`),
  which Jupyter opens inside the repository, become the pages' URLs on the site. A link to a file
  that is not a page of the site fails `mkdocs build --strict`.
- on_post_build: the .ipynb copy behind each page's download button gets the course's helper modules
  embedded in its set-up cell (the cell that writes them out when `course_lib` is not importable), so
  the download runs in a plain Jupyter or Colab. When mkdocs.yml sets `site_url`, the copy's file links
  also become absolute links to the published pages; without it they stay file links.
  The lab notebook's download carries the whole student package in the same way, so that it runs alone
  in Colab with its public checks: it is written beside each page that links it by name (the exercises
  page, in each language).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

from course_tools.release.bundle import package_zip, write_zip
from course_tools.release.lab_setup import PLACEHOLDER
from course_tools.release.notebooks import ASSIGNMENT, NOTEBOOK, RELEASE_DIR

log = logging.getLogger("mkdocs.hooks.downloads")

# The helper modules a lesson notebook imports; the exercise modules are the student's own work.
HELPERS = ("__init__.py", "data.py", "batches.py", "idx.py", "plotting.py", "diagnostics.py")

_HREF = re.compile(r'href="(?P<path>[^"#:?]+\.(?:md|ipynb))(?P<frag>#[^"]*)?"')
_MD_LINK = re.compile(r"\]\((?P<path>[^)#:?\s]+\.(?:md|ipynb))(?P<frag>#[^)\s]*)?\)")

_state: dict = {"notebooks": {}, "files": None, "lab_folders": set()}


def resolve(files, from_uri: str, path: str):
    """The File that `path`, written in the source file `from_uri`, points at; None if it is no page."""
    return files.get_file_from_path(posixpath.normpath(posixpath.join(posixpath.dirname(from_uri), path)))


def link_pages(content: str, page, files) -> str:
    """Rewrite href="x.md#a" (relative file links) in a page's HTML to the target page's relative URL."""
    def replace(match):
        target = resolve(files, page.file.src_uri, match["path"])
        if target is None:
            log.warning(f"{page.file.src_uri}: the link {match['path']} points at no page of the site")
            return match[0]
        return f'href="{target.url_relative_to(page.file)}{match["frag"] or ""}"'
    return _HREF.sub(replace, content)


def helpers_zip(course_lib: Path) -> bytes:
    """A zip of course_lib/<helper> for each helper module, with fixed timestamps (the same helpers, the same bytes)."""
    buffer = io.BytesIO()
    write_zip({f"course_lib/{name}": course_lib / name for name in HELPERS}, buffer)
    return buffer.getvalue()


def prepare_download(notebook: dict, src_uri: str, helpers: bytes, files=None, site_url: str = "") -> dict:
    """Return the notebook with the helpers embedded in its set-up cell (and absolute links if site_url).

    Raises ValueError when no code cell holds the placeholder: every lesson notebook must have one.
    """
    embedded = False
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and PLACEHOLDER in source:
            source = source.replace(PLACEHOLDER, f'COURSE_HELPERS = "{base64.b64encode(helpers).decode()}"')
            embedded = True
        elif cell["cell_type"] == "markdown" and site_url and files is not None:
            def absolute(match):
                target = resolve(files, src_uri, match["path"])
                return match[0] if target is None else f"]({urljoin(site_url, target.url)}{match['frag'] or ''})"
            source = _MD_LINK.sub(absolute, source)
        cell["source"] = source
    if not embedded:
        raise ValueError(f"{src_uri} has no set-up cell ({PLACEHOLDER!r} in a code cell)")
    return notebook


def lab_download(root: Path) -> dict:
    """The released lab notebook with the student package embedded in its set-up cell."""
    released = root / RELEASE_DIR / ASSIGNMENT / NOTEBOOK
    return prepare_download(json.loads(released.read_text(encoding="utf-8")), released.relative_to(root).as_posix(),
                            package_zip(root))


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_page_content(content, page, config, files):
    if f'href="{NOTEBOOK}"' in content:
        _state["lab_folders"].add(Path(page.file.abs_dest_path).parent)
    if not _is_notebook(page):
        return content
    _state["notebooks"][page.file.src_uri] = page.file
    _state["files"] = files
    return link_pages(content, page, files)


def on_post_build(config):
    """Embed the helpers in each downloadable notebook that mkdocs-jupyter copied into the site."""
    root = Path(config.config_file_path).parent
    if _state["lab_folders"]:
        lab = json.dumps(lab_download(root), indent=1, ensure_ascii=False) + "\n"
        for folder in _state["lab_folders"]:
            (folder / NOTEBOOK).write_text(lab, encoding="utf-8")
        log.info(f"downloads: the lab notebook, carrying the student package, beside {len(_state['lab_folders'])} pages")
        _state["lab_folders"] = set()
    helpers = helpers_zip(root / "course_lib")
    site_url = config.site_url or ""
    for src_uri, file in _state["notebooks"].items():
        copy = Path(file.abs_dest_path).parent / Path(src_uri).name
        if not copy.is_file():  # include_source is off: there is no download to prepare
            continue
        try:
            notebook = prepare_download(json.loads(copy.read_text(encoding="utf-8")), src_uri, helpers,
                                        _state["files"], site_url)
        except ValueError as error:
            log.warning(str(error))
            continue
        copy.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if _state["notebooks"]:
        log.info(f"downloads: {len(_state['notebooks'])} notebooks carry the course helpers "
                 f"({len(helpers):,} bytes zipped)" + ("" if site_url else "; site_url unset, links stay file links"))
    _state["notebooks"] = {}
