"""MkDocs hook for the executed notebooks: which data they run on, how long they take, no CDN scripts.

- on_config: finds Fashion-MNIST the way `course_lib.data` does (root argument, FASHION_MNIST_ROOT,
  per-user cache). With the data, mkdocs-jupyter executes the notebooks, caching their output per
  dataset (so switching from the sample to the full dataset re-executes). Without it, notebooks are
  shown unexecuted and a warning quotes course_lib's own error: `mkdocs build --strict` fails on it,
  `mkdocs serve` degrades to a page that says why it has no outputs.
- on_page_content: adds a banner naming the data a notebook ran on, and strips the <script> tags that
  nbconvert's template points at CDNs (MathJax, mermaid); the site loads its own MathJax.
  It also points the table of contents at the headings' real ids: mkdocs-jupyter's own slugs drop a
  heading's code spans ("The model: `nn.Flatten` and `nn.Linear`" -> #the-model-and, no anchor on the page).
- Logs how long each notebook took and the total, so the build says where its time went.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import time
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.notebooks")

_state: dict = {"data": None, "seconds": {}, "started": {}}
HELPERS = Path(__file__).resolve().parents[1] / "course_lib"

# nbconvert's template loads MathJax and mermaid from CDNs and configures MathJax inline.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
_THIRD_PARTY = re.compile(r"https?://|text/x-mathjax-config|mermaid", re.IGNORECASE)
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"')
_BLANKET_TABINDEX = re.compile(r'(<div class="(?:jp-Cell-inputWrapper|[^"]*\bjp-OutputArea-output\b[^"]*)"[^>]*?)\s+tabindex="0"')


def describe_data() -> dict:
    """Return {"available", "root", "n_train", "n_test", "kind", "error"} for the data the notebooks will use."""
    from course_lib import data  # imports torch: only once per process
    from course_lib.idx import read_idx_header

    root = data.resolve_data_root()
    info = {"available": False, "root": str(root), "n_train": 0, "n_test": 0, "kind": "", "error": ""}
    try:  # download=False: a build never reaches for the network
        data.load_fashion_mnist_tensors(False, download=False)
    except Exception as error:  # noqa: BLE001 - FashionMNISTNotFoundError, IDXFormatError...: each says how to fix it
        info["error"] = str(error)
        return info
    raw = data.raw_folder(root)
    try:  # the training split is checked too: a truncated file gets the same banner, not a traceback
        info["n_train"] = read_idx_header(raw / data.RAW_FILES[True][0], ndim=3)[0]
        info["n_test"] = read_idx_header(raw / data.RAW_FILES[False][0], ndim=3)[0]
    except Exception as error:  # noqa: BLE001 - whatever is wrong with the files, the page says it
        info["error"] = str(error)
        return info
    full = (info["n_train"], info["n_test"]) == (60000, 10000)
    info["kind"] = "the full Fashion-MNIST dataset" if full else "a sample of Fashion-MNIST"
    info["available"] = True
    return info


def on_config(config):
    """Turn execution on or off from the data, and key mkdocs-jupyter's cache by the data used."""
    if _state["data"] is None:
        _state["data"] = describe_data()
    info = _state["data"]
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None:
        return config
    key = "no-data"
    if info["available"]:
        # The helpers the notebooks import draw their figures and describe them: a change there re-executes.
        helpers = "|".join(hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(HELPERS.glob("*.py")))
        key = hashlib.sha256(f"{info['root']}|{info['n_train']}|{info['n_test']}|{helpers}".encode()).hexdigest()[:12]
    jupyter.config["cache_dir"] = str(Path(config.config_file_path).parent / ".cache" / "mkdocs-jupyter" / key)
    if info["available"]:
        log.info(f"notebooks run on {info['kind']}: {info['n_train']:,} + {info['n_test']:,} images in {info['root']}")
    else:
        jupyter.config["execute"] = False
        log.warning("notebooks are NOT executed, Fashion-MNIST is missing:\n" + info["error"])
    return config


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_pre_page(page, config, files):
    if _is_notebook(page):
        _state["started"][page.file.src_uri] = time.perf_counter()
    return page


def _banner() -> str:
    info = _state["data"]
    if info["available"]:
        return (
            '<div class="admonition info data-banner"><p class="admonition-title">Executed when this site was built</p>'
            f"<p>The outputs below are real: this notebook ran on <strong>{info['kind']}</strong> "
            f"({info['n_train']:,} training and {info['n_test']:,} test images). "
            "Numbers on the full dataset (60,000 + 10,000) differ from those on the sample.</p></div>"
        )
    return (
        '<div class="admonition warning data-banner"><p class="admonition-title">Not executed: no data</p>'
        "<p>This page shows the code without its outputs, because Fashion-MNIST was not found when the "
        f"site was built:</p><pre>{html.escape(info['error'])}</pre></div>"
    )


def _strip_cdn_scripts(content: str) -> str:
    return _SCRIPT.sub(lambda m: "" if _THIRD_PARTY.search(m.group(0)) else m.group(0), content)


def _strip_blanket_tabindex(content: str) -> str:
    """nbconvert makes every cell input and output a Tab stop; scroll-focus.js makes only those that scroll one."""
    return _BLANKET_TABINDEX.sub(r"\1", content)


def _flatten(toc) -> list:
    return [item for link in toc or [] for item in (link, *_flatten(link.children))]


def align_toc(toc, content: str) -> None:
    """Give the table of contents' links, in order, the ids of the page's headings at their levels."""
    links = _flatten(toc)
    levels = {link.level for link in links}
    ids = [anchor for level, anchor in _HEADING.findall(content) if int(level) in levels]
    if len(ids) == len(links):
        for link, anchor in zip(links, ids):
            link.id = anchor
    elif links:
        log.warning(f"table of contents: {len(links)} entries but {len(ids)} headings; its links are left as they are")


def on_page_content(content, page, config, files):
    """Banner after the notebook's first heading; no third-party scripts; the contents' links; log the time it took."""
    if not _is_notebook(page):
        return content
    seconds = time.perf_counter() - _state["started"].pop(page.file.src_uri, time.perf_counter())
    _state["seconds"][page.file.src_uri] = seconds
    log.info(f"notebook {page.file.src_uri}: rendered in {seconds:.1f} s")
    content = _strip_blanket_tabindex(_strip_cdn_scripts(content))
    align_toc(page.toc, content)
    head = content.find("</h1>")
    at = head + len("</h1>") if head >= 0 else 0
    return content[:at] + _banner() + content[at:]


def on_post_build(config):
    total = sum(_state["seconds"].values())
    if _state["seconds"]:
        log.info(f"notebooks: {len(_state['seconds'])} rendered in {total:.1f} s (cached ones take well under 1 s)")
    _state["seconds"] = {}
