"""The site's MkDocs hooks, called directly (no build): missing data, CDN scripts, points tables."""

from __future__ import annotations

import importlib.util
import logging
from types import SimpleNamespace

import pytest

from site_pages import REPO


def _load(name):
    spec = importlib.util.spec_from_file_location(f"site_hook_{name}", REPO / "site_hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def notebooks():
    return _load("notebooks")


def test_missing_data_turns_execution_off_and_warns_with_course_libs_error(notebooks, tmp_path, monkeypatch, caplog):
    """Without Fashion-MNIST, are notebooks left unexecuted, with course_lib's own error in a warning and on the page?"""
    monkeypatch.setenv("FASHION_MNIST_ROOT", str(tmp_path))
    jupyter = SimpleNamespace(config={"execute": True, "cache_dir": ".cache/mkdocs-jupyter"})
    config = SimpleNamespace(plugins={"mkdocs-jupyter": jupyter}, config_file_path=str(REPO / "mkdocs.yml"))
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.notebooks"):
        notebooks.on_config(config)
    assert jupyter.config["execute"] is False
    warning = "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "Fashion-MNIST is not available" in warning and str(tmp_path) in warning  # --strict fails on it
    banner = notebooks._banner()
    assert "Not executed" in banner and str(tmp_path) in banner


def test_present_data_keys_the_cache_by_dataset(notebooks):
    """With the data present (as the site build needs), do notebooks execute, cached per dataset?"""
    from course_lib.data import RAW_FILES, raw_folder, resolve_data_root
    from course_lib.idx import read_idx_header

    jupyter = SimpleNamespace(config={"execute": True, "cache_dir": ".cache/mkdocs-jupyter"})
    notebooks.on_config(SimpleNamespace(plugins={"mkdocs-jupyter": jupyter}, config_file_path=str(REPO / "mkdocs.yml")))
    data = notebooks._state["data"]
    assert data["available"], data["error"]
    assert jupyter.config["execute"] is True
    assert data["n_train"] == read_idx_header(raw_folder(resolve_data_root()) / RAW_FILES[True][0], ndim=3)[0]
    assert jupyter.config["cache_dir"].startswith(str(REPO / ".cache" / "mkdocs-jupyter"))
    assert not jupyter.config["cache_dir"].endswith("no-data")


def test_cdn_scripts_are_stripped_and_the_page_scripts_kept(notebooks):
    """Are nbconvert's MathJax, MathJax config and mermaid scripts removed, and the copy-button script kept?"""
    html = (
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full"> </script>'
        '<script type="text/x-mathjax-config">init_mathjax = function() {}</script>'
        '<script type="module">const m = (await import("https://cdnjs.cloudflare.com/mermaid.esm.min.mjs")).default;</script>'
        "<script>document.addEventListener('clipboard-copy', function(event) {})</script>"
        "<p>$x$</p>"
    )
    stripped = notebooks._strip_cdn_scripts(html)
    assert "cdnjs" not in stripped and "x-mathjax-config" not in stripped and "mermaid" not in stripped
    assert "clipboard-copy" in stripped and "<p>$x$</p>" in stripped


def test_points_table_totals_and_rejects_unknown_functions():
    """Does the points table sum its rows, and fail the build on a marker naming no check?"""
    points = _load("points")
    checks = [("softmax: a", 3, "visible"), ("softmax: b", 2, "hidden"), ("sgd: c", 4, "visible")]
    table = points.points_table(["softmax"], checks)
    assert "| softmax: a | 3 |" in table and "| softmax: b | 2 | a hint only |" in table
    assert "sgd: c" not in table and "| **total** | **5** | |" in table
    with pytest.raises(ValueError, match="no hidden check"):
        points.points_table(["nonexistent"], checks)
    public = points.points_table(["softmax"], checks, kind="public")
    assert public.startswith("| public check | practice points |") and "| **total** | **5** |" in public


def _files(*uris):
    """A mkdocs Files collection of pages under docs/, notebooks wrapped as mkdocs-jupyter wraps them."""
    from mkdocs.structure.files import File, Files
    from mkdocs_jupyter.plugin import NotebookFile

    made = [File(uri, str(REPO / "docs"), "/tmp/site", use_directory_urls=True) for uri in uris]
    return Files([NotebookFile(f, use_directory_urls=True, site_dir="/tmp/site") if f.src_uri.endswith(".ipynb") else f
                  for f in made])


def test_notebook_file_links_become_page_urls_and_unknown_ones_warn(caplog):
    """Do a notebook's links to .md and .ipynb files become the pages' relative URLs, with anchors kept?"""
    downloads = _load("downloads")
    files = _files("lessons/softmax.md", "lessons/fashion-mnist.ipynb", "lessons/softmax-regression-scratch.ipynb",
                   "exercises/index.md")
    page = SimpleNamespace(file=files.get_file_from_path("lessons/softmax-regression-scratch.ipynb"))
    html = ('<a href="softmax.md#overflow">a</a> <a href="../exercises/index.md">b</a> '
            '<a href="fashion-mnist.ipynb">c</a> <a href="https://d2l.ai/x.md">d</a> <a href="gone.md">e</a>')
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.downloads"):
        out = downloads.link_pages(html, page, files)
    # expected URLs: MkDocs' directory URLs, relative to lessons/softmax-regression-scratch/
    assert '<a href="../softmax/#overflow">a</a>' in out and '<a href="../../exercises/">b</a>' in out
    assert '<a href="../fashion-mnist/">c</a>' in out and '<a href="https://d2l.ai/x.md">d</a>' in out
    assert "gone.md points at no page" in caplog.text  # --strict fails the build on it


def test_prepare_download_embeds_the_helpers_and_makes_links_absolute_with_a_site_url():
    """Does the download's set-up cell get the zip, and do its Markdown links point at the published pages?"""
    import base64

    downloads = _load("downloads")
    files = _files("lessons/softmax.md", "lessons/softmax-regression-scratch.ipynb")
    notebook = {"cells": [
        {"cell_type": "markdown", "source": ["See [softmax](softmax.md#overflow) and [the book](https://d2l.ai/)."]},
        {"cell_type": "code", "source": ['COURSE_HELPERS = ""  # filled in\n', "print(1)"]},
    ]}
    out = downloads.prepare_download(notebook, "lessons/softmax-regression-scratch.ipynb", b"zip bytes", files,
                                     site_url="https://course.example/")
    assert out["cells"][1]["source"].startswith(f'COURSE_HELPERS = "{base64.b64encode(b"zip bytes").decode()}"')
    assert "[softmax](https://course.example/lessons/softmax/#overflow)" in out["cells"][0]["source"]
    assert "[the book](https://d2l.ai/)" in out["cells"][0]["source"]
    with pytest.raises(ValueError, match="no set-up cell"):
        downloads.prepare_download({"cells": [{"cell_type": "code", "source": "x = 1"}]}, "a.ipynb", b"", files)


def test_helpers_zip_holds_course_libs_helpers_byte_for_byte_and_is_reproducible():
    """Is the embedded zip exactly the helper files (oracle: the files on disk), the same bytes every time?"""
    import io
    import zipfile

    downloads = _load("downloads")
    data = downloads.helpers_zip(REPO / "course_lib")
    assert data == downloads.helpers_zip(REPO / "course_lib")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == [f"course_lib/{name}" for name in downloads.HELPERS]
    for name in downloads.HELPERS:
        assert archive.read(f"course_lib/{name}") == (REPO / "course_lib" / name).read_bytes()


CELL = ('<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell" id="cell-id={id}">\n<div class="jp-InputArea">'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">\n'
        '{html}\n</div>\n</div>\n</div>')


def test_translated_cells_replace_the_english_and_keep_its_anchors():
    """Does a translated Markdown cell render in Chinese, marked lang="zh", with the English heading's id and ¶ link
    (links into the page work in both languages), while an untranslated cell stays, marked lang="en", and is named?
    Oracle: the HTML written here, and nbconvert's own Markdown renderer."""
    hook = _load("zh_notebook_text")
    english = '<h2 id="the-model">The model<a class="anchor-link" href="#the-model">¶</a></h2><div class="x"><p>W</p></div>'
    page = "<p>before</p>" + CELL.format(id="a", html=english) + CELL.format(id="b", html="<p>Two</p>") + "<p>after</p>"
    translations = SimpleNamespace(gettext=lambda text: {"## The model\n\nIt is $xW$.": "## 模型\n\n它是 $xW$。"}.get(text, text))
    html, missing = hook.translate_cells(page, [("a", "## The model\n\nIt is $xW$."), ("b", "Two")], translations)
    assert missing == ["b"]
    assert 'id="cell-id=a" lang="zh"' in html and 'id="cell-id=b" lang="en"' in html
    assert '<h2 id="the-model">模型<a class="anchor-link" href="#the-model">' in html and "它是 $xW$。" in html
    assert "The model" not in html and '<div class="x">' not in html  # the English cell's nested div went too
    assert html.startswith("<p>before</p>") and html.endswith("<p>after</p>") and "<p>Two</p>" in html
    assert html.count("<div") == html.count("</div>")
