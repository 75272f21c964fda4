"""MkDocs hook: serve math from a local MathJax, copied at build time from an installed package.

`jupyter_server_mathjax` (a Jupyter project package, a dependency in pyproject.toml) ships MathJax
2.7.9's static files: the combined TeX/MathML configuration and the STIX-Web fonts. They are
copied into `<site>/assets/mathjax/`, so no MathJax tree is committed and no page reaches a CDN.
MathJax scans the whole page, so it typesets both `pymdownx.arithmatex` spans on Markdown pages
and the raw `$...$` that nbconvert leaves in notebook pages (mkdocs-jupyter #227, #209, #212).
The configuration is docs/assets/javascripts/mathjax-config.js.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.mathjax")

TARGET = Path("assets") / "mathjax"


def mathjax_source() -> Path:
    """Return the folder that holds MathJax.js inside the installed jupyter_server_mathjax."""
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (source / "MathJax.js").is_file():
        raise FileNotFoundError(f"MathJax.js is missing from {source}; reinstall jupyter-server-mathjax")
    return source


def on_post_build(config):
    target = Path(config.site_dir) / TARGET
    shutil.copytree(mathjax_source(), target, dirs_exist_ok=True)
    log.info(f"MathJax copied to {target}")
