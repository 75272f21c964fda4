"""MkDocs hook: notebooks stay rendered pages on every language site of mkdocs-static-i18n.

mkdocs-static-i18n (issue #198) rebuilds every docs file as a plain `File` in its `on_files` (priority
-100), after mkdocs-jupyter has wrapped the notebooks as pages. A plain `.ipynb` is a static file, so
the notebook would be copied instead of rendered (a download), on the English site too, and the
`/zh/` fallback copy would land outside `/zh/`. This hook runs after the i18n plugin (priority -110)
and wraps each notebook again with mkdocs-jupyter's own `NotebookFile`, keeping the language prefix
the i18n plugin chose (`zh/lessons/x/`). It also turns the notebooks among each page's `alternates`
into pages, so that the language switcher and the sitemap name `zh/lessons/x/`, not `x.ipynb`.

Each notebook executes once per build, not once per language: the first language's build keeps each
rendered notebook in memory and the other languages reuse it (mkdocs-jupyter's on-disk cache would
too, but another build sharing `.cache/` may evict it, and it can be turned off).

Contract: after this hook, every `.ipynb` in the build's files is a documentation page whose URL is
`<language prefix><folder>/<name>/`, and no notebook is converted twice in one `mkdocs build`.
"""

from __future__ import annotations

import logging
import os
import posixpath

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.i18n_notebooks")

# abs_src_path -> (content, toc) of each notebook rendered by this build's first language
_rendered: dict[str, tuple] = {}


def page_dest(src_uri: str, prefix: str, use_directory_urls: bool) -> tuple[str, str]:
    """(dest_uri, url) of the page of notebook `src_uri` on the site of language folder `prefix`.

    (`lessons/a.ipynb`, `zh/`) -> (`zh/lessons/a/index.html`, `zh/lessons/a/`) with directory URLs,
    (`zh/lessons/a.html`, `zh/lessons/a.html`) without. The source path is used, not the i18n plugin's
    destination: for a notebook it is the asset path, and its fallback copy even drops the `zh/` folder.
    """
    stem = prefix + posixpath.splitext(src_uri)[0]
    if use_directory_urls:
        return f"{stem}/index.html", f"{stem}/"
    return f"{stem}.html", f"{stem}.html"


def as_notebook_page(file, language: str, i18n, config):
    """Return `file` as mkdocs-jupyter's NotebookFile, at its page URL on the site of `language`."""
    from mkdocs_jupyter.plugin import NotebookFile

    if type(file) is NotebookFile:
        return file
    prefix = "" if language == i18n.default_language else f"{language}/"
    source = getattr(file, "norm_src_uri", file.src_uri)  # lessons/a.ipynb, also for a lessons/a.zh.ipynb
    dest, url = page_dest(source, prefix, config.use_directory_urls)
    page = NotebookFile(file, use_directory_urls=config.use_directory_urls, site_dir=config.site_dir)
    page.dest_path = dest
    page.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, dest))
    page.url = url
    return page


def _is_notebook(file) -> bool:
    return file.src_uri.endswith(".ipynb")


@event_priority(-110)  # after mkdocs-static-i18n's on_files (-100)
def on_files(files, config):
    i18n = config.plugins.get("i18n")
    jupyter = config.plugins.get("mkdocs-jupyter")
    if i18n is None or jupyter is None:
        return files
    for file in [f for f in files if _is_notebook(f) and jupyter.should_include(f)]:
        page = as_notebook_page(file, i18n.current_language, i18n, config)
        # The i18n plugin took the notebook for an asset: its fallback copy is keyed by the default
        # language even on /zh/, so each alternate is rebuilt for the language it is listed under.
        alternates = getattr(file, "alternates", {})
        for language, alternate in list(alternates.items()):
            if language != i18n.current_language and _is_notebook(alternate):
                alternates[language] = as_notebook_page(alternate, language, i18n, config)
        alternates[i18n.current_language] = page
        files.remove(file)
        files.append(page)
    # the i18n plugin listed the pages for its sitemap before the notebooks were pages again
    i18n.i18n_files_per_language[i18n.current_language] = files.documentation_pages()
    return files


def on_pre_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language == i18n.default_language:
        _rendered.clear()  # a new build (the default language comes first): execute afresh


@event_priority(-10)  # after mkdocs-jupyter's on_pre_page has replaced page.render
def on_pre_page(page, config, files):
    """Render each notebook once per build: later languages take the first language's HTML and TOC."""
    if not _is_notebook(page.file) or config.plugins.get("i18n") is None:
        return page
    render, key = page.render, page.file.abs_src_path

    def render_once(config, files):
        if key in _rendered:
            page.content, page.toc = _rendered[key]
            log.info(f"{page.file.src_uri}: reusing this build's rendering (no second execution)")
            return
        render(config, files)
        _rendered[key] = (page.content, page.toc)

    page.render = render_once
    return page
