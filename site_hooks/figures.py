"""MkDocs hook: notebook figures get the alt text their plotting code wrote, never nbconvert's placeholder.

course_lib.plotting describes each figure from the data it drew and stores that text in the PNG as its
standard `Description` (a tEXt/iTXt chunk), so the description travels with the image from the
notebook's kernel to here. nbconvert (7.x) ignores output metadata when it writes <img> and puts
"No description has been provided for this image" on every figure; this hook reads the PNG and writes
the real description instead. A notebook figure without one is a warning: `--strict` fails on it, so
a figure drawn without a description (say, a bare `plt.plot`) is caught when the site is built.

Each figure is re-encoded as a palette PNG (256 colours at most: exact for the image grids, which have
no more; antialiased plots lose shades no eye tells apart), which halves the notebook pages' weight.
Each figure also gets its drawn width as the CSS variable `--figure-width`: on phones course.css never
shows it below 65% of that size (so its captions stay readable) and lets a wider one scroll in its box.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import logging
import re

log = logging.getLogger("mkdocs.hooks.figures")

PLACEHOLDER = "No description has been provided for this image"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_PNG = re.compile(r'src="data:image/png;base64,([^"]+)"')
_ALT = re.compile(r'\salt="[^"]*"')


def png_description(data: bytes) -> str:
    """The PNG's `Description` text chunk (tEXt, zTXt or iTXt), or ""."""
    return _png_info(data)[0]


def _png_info(data: bytes) -> tuple[str, int]:
    """(the PNG's `Description` text chunk or "", its width in pixels)."""
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return (getattr(image, "text", {}) or image.info).get("Description", "").strip(), image.width


def smaller_png(data: bytes) -> bytes:
    """The same figure as a palette PNG of at most 256 colours, its text chunks kept; `data` if not smaller.

    A figure with transparency is returned as it is (the palette would have to carry alpha).
    """
    from PIL import Image, PngImagePlugin

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if "A" in image.getbands() and image.getchannel("A").getextrema() != (255, 255):
            return data
        texts = dict(getattr(image, "text", {}) or {})
        rgb = image.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    info = PngImagePlugin.PngInfo()
    for key, value in texts.items():
        info.add_itxt(key, value)  # iTXt: UTF-8, whatever language the description is in
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True, pnginfo=info)
    return out.getvalue() if out.tell() < len(data) else data


def describe_figures(content: str, where: str = "") -> tuple[str, int]:
    """Give every embedded PNG the alt text it carries; return (content, figures without one)."""
    missing = 0

    def replace(m):
        nonlocal missing
        tag = m.group(0)
        png = _PNG.search(tag)
        if png is None:
            return tag
        try:
            data = base64.b64decode(png.group(1))
            text, width = _png_info(data)
            smaller = smaller_png(data)
        except (binascii.Error, OSError) as error:
            log.warning(f"{where}: an embedded figure is not a readable PNG ({error})")
            return tag
        if smaller is not data:
            tag = tag.replace(png.group(1), base64.b64encode(smaller).decode("ascii"), 1)
        if "style=" not in tag:  # nbconvert writes none; never override one a notebook set
            tag = tag.replace("<img", f'<img style="--figure-width: {width}px"', 1)
        if not text:
            missing += 1
            return tag
        tag = _ALT.sub("", tag)
        return tag.replace("<img", f'<img alt="{html.escape(text, quote=True)}"', 1)

    content = _IMG.sub(replace, content)
    if missing:
        log.warning(f"{where}: {missing} figure(s) without a description; draw them with course_lib.plotting "
                    "or call course_lib.plotting.describe(fig, text) before the cell ends")
    return content, missing


def on_page_content(content, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    return describe_figures(content, page.file.src_uri)[0]
