"""MkDocs hook: typeset every formula when the site is built, with KaTeX; the pages ship no math engine.

Why at build time: the math shows at first paint (no raw TeX while a script runs), screen readers get
the MathML that KaTeX writes beside the visible HTML, no formula is a Tab stop, and a page without math
loads nothing for it. KaTeX comes from npm (`package.json`, `npm ci`) and runs under Node
(`site_hooks/katex_render.js`, one process per page with math); its stylesheet and fonts are
written into `<site>/assets/katex/`, and only pages with math link them. The fonts are cut (fontTools)
to the characters the pages with math contain, which halves the ~114 KB a page of formulas fetched:
woff (zlib), since fontTools writes woff2 only with the brotli module, which the venv lacks.

Where the TeX is: `pymdownx.arithmatex` (generic) leaves `\\( \\)` and `\\[ \\]` on Markdown pages;
nbconvert leaves `$ $`, `$$ $$` (and the bracket forms) in notebook Markdown cells. Code, preformatted
text and scripts are never touched. A formula KaTeX rejects is a warning, so `--strict` fails on it.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.katex")

TARGET = Path("assets") / "katex"
MARKER = "katex-typeset"
PRELOAD = ("KaTeX_Main-Regular.woff", "KaTeX_Math-Italic.woff")  # on <html> of pages with math: the browser tests read it

# Regions whose text is never math: code, preformatted output, scripts, styles, form fields.
_PROTECTED = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
# Math never holds a tag (nbconvert and arithmatex keep it as escaped text): `[^<>]` keeps matches in one text run.
_BRACKETS = [
    (re.compile(r"\\\[([^<>]+?)\\\]", re.DOTALL), True),
    (re.compile(r"\\\(([^<>]+?)\\\)", re.DOTALL), False),
]
_DOLLARS = [  # notebook Markdown only: on Markdown pages a $ is a dollar (arithmatex has already taken the math)
    (re.compile(r"\$\$([^<>]+?)\$\$", re.DOTALL), True),
    (re.compile(r"(?<![\\$\w])\$(?![\s$])([^<>$]+?)(?<![\s\\])\$(?!\w)"), False),
]


def katex_package(root: Path) -> Path:
    """Return node_modules/katex of the repository, or say how to install it."""
    package = root / "node_modules" / "katex"
    if not (package / "dist" / "katex.min.css").is_file():
        raise FileNotFoundError(f"KaTeX is missing from {package}: run `npm ci` in {root} (Node.js and npm from Debian)")
    return package


def render(formulas: list[tuple[str, bool]], package: Path) -> list[dict]:
    """Typeset (tex, display) pairs with KaTeX under Node; each result is {"html"} or {"error"}."""
    if not formulas:
        return []
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("node is missing: install Debian's nodejs (the site typesets its math with KaTeX at build time)")
    script = Path(__file__).with_name("katex_render.js")
    payload = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    done = subprocess.run([node, str(script), str(package)], input=payload, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"KaTeX under Node failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _patterns(notebook: bool):
    return _BRACKETS + (_DOLLARS if notebook else [])


def typeset(content: str, package: Path, *, notebook: bool, where: str = "") -> tuple[str, int]:
    """Replace every formula outside code with KaTeX's HTML + MathML; return (content, formulas typeset)."""
    pieces = []  # alternating (text, protected) so that code is never scanned
    last = 0
    for m in _PROTECTED.finditer(content):
        pieces += [(content[last:m.start()], False), (m.group(0), True)]
        last = m.end()
    pieces.append((content[last:], False))

    found: list[tuple[str, bool]] = []
    placeholder = "\x00katex{}\x00"

    def take(display):
        def replace(m):
            found.append((html.unescape(m.group(1)).strip(), display))
            return placeholder.format(len(found) - 1)
        return replace

    scanned = []
    for text, protected in pieces:
        if not protected:
            for pattern, display in _patterns(notebook):
                text = pattern.sub(take(display), text)
        scanned.append(text)
    if not found:
        return content, 0
    results = render(found, package)
    out = "".join(scanned)
    for i, ((tex, _), result) in enumerate(zip(found, results)):
        if "error" in result:
            log.warning(f"{where}: KaTeX cannot typeset {tex!r}: {result['error']}")
            typeset_html = f'<code class="katex-error">{html.escape(tex)}</code>'
        else:
            typeset_html = result["html"]
        out = out.replace(placeholder.format(i), typeset_html, 1)
    return out, len(found)


_pages_with_math: set[str] = set()
# Every character of every page with math (tags stripped, entities decoded): a superset of the glyphs
# the formulas draw, whatever KaTeX's HTML nests them in. The fonts keep these, and printable ASCII.
_math_characters: set[str] = set()


def on_page_content(content, page, config, files):
    package = katex_package(Path(config.config_file_path).parent)
    content, count = typeset(content, package, notebook=page.file.src_uri.endswith(".ipynb"), where=page.file.src_uri)
    if count:
        _pages_with_math.add(page.file.src_uri)
    return content


def on_post_page(output, page, config):
    """Link KaTeX's stylesheet (and so its fonts) from pages with math only."""
    if page.file.src_uri not in _pages_with_math:
        return output
    href = "/".join([".."] * page.url.count("/")) or "."
    base = f"{href}/{TARGET.as_posix()}"
    # The two fonts nearly every formula uses are fetched with the stylesheet, not after layout.
    link = "".join(f'<link rel="preload" href="{base}/fonts/{font}" as="font" type="font/woff" crossorigin>' for font in PRELOAD)
    link += f'<link rel="stylesheet" href="{base}/katex.min.css">'
    output = output.replace("</head>", link + "</head>", 1)
    _math_characters.update(html.unescape(re.sub(r"<[^>]*>", "", output)))
    return output.replace("<html ", f'<html data-{MARKER}="true" ', 1)


def subset_font(ttf: Path, woff: Path, characters: set[str]) -> None:
    """Write `ttf` cut to `characters` (those it has; its layout features kept) as `woff`."""
    from fontTools import subset  # fontTools comes with matplotlib

    # KaTeX's fonts carry 1970s 'created' dates, which fontTools warns about on every save.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(ttf), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    subset.save_font(font, str(woff), options)


def on_post_build(config):
    """Write KaTeX's stylesheet and its fonts, cut to the characters of the pages with math."""
    package = katex_package(Path(config.config_file_path).parent)
    target = Path(config.site_dir) / TARGET
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    # katex-swap: font-display swap, so a formula shows at first paint even before its font arrives.
    css = (package / "dist" / "katex-swap.min.css").read_text(encoding="utf-8")
    # One source per @font-face: the cut woff (the woff2 and ttf sources would be the full fonts).
    css = re.sub(r'src:url\((fonts/[^)]+)\.woff2\) format\("woff2"\)[^;}]*', r'src:url(\1.woff) format("woff")', css)
    (target / "katex.min.css").write_text(css, encoding="utf-8")
    characters = _math_characters | {chr(c) for c in range(0x20, 0x7F)}
    for ttf in (package / "dist" / "fonts").glob("*.ttf"):
        subset_font(ttf, target / "fonts" / (ttf.stem + ".woff"), characters)
    log.info(f"KaTeX: {len(_pages_with_math)} pages with math; stylesheet and fonts copied to {target}")
    _pages_with_math.clear()
    _math_characters.clear()
