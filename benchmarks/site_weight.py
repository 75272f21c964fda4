"""Site weight and speed: bytes and requests per page on a cold load, and math timing on the heaviest lesson.

    .venv/bin/python benchmarks/site_weight.py [--site DIR] [--loads 5]

Without --site it builds the site strictly into a temporary folder first. Each page is opened in a
fresh headless-Chromium context (empty cache) served from 127.0.0.1; the bytes are the bodies of every
response (uncompressed: http.server sends no gzip), workers' requests (the search index) included.
"Math engine" says whether the page fetched a math script (MathJax/KaTeX JavaScript). For the
heaviest lesson: median first paint and math-complete (every KaTeX font in use loaded: the formulas
are in their final shape) over cold loads, in ms after navigation start.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "site"))
from conftest import CHROMIUM, CHROMIUM_FLAGS, _QuietHandler  # noqa: E402
from site_pages import built_pages, site_path  # noqa: E402

TIMING_JS = """() => document.fonts.ready.then(() => ({
  paint: (performance.getEntriesByName('first-paint')[0] || {startTime: NaN}).startTime,
  math: performance.now(),
  formulas: document.querySelectorAll('.katex').length,
}))"""


def serve(site: Path):
    """Serve `site` as the site tests do: at / and under site_url's path (where 404.html's assets are)."""
    _QuietHandler.site_path = site_path()
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def cold_load(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    sizes, engine = [], False

    def on_response(response):
        nonlocal engine
        try:
            sizes.append(len(response.body()))
        except Exception:  # noqa: BLE001 - a body the browser did not keep counts as nothing transferred
            sizes.append(0)
        engine |= response.url.endswith(".js") and any(k in response.url.lower() for k in ("mathjax", "katex"))

    context.on("response", on_response)
    page = context.new_page()
    page.goto(url, wait_until="load")
    timing = page.evaluate(TIMING_JS)
    page.wait_for_timeout(300)  # the search worker's index request
    context.close()
    return sum(sizes), len(sizes), engine, timing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="site-weight-"))
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=REPO, check=True)
    server, base = serve(site)
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        for path in built_pages(site):
            size, requests, engine, _ = cold_load(browser, base + path)
            rows.append((size, requests, engine, path))
        print(f"{'bytes':>10} {'requests':>8}  math engine  page")
        for size, requests, engine, path in sorted(rows, reverse=True):
            print(f"{size:>10,} {requests:>8}  {'yes' if engine else 'no':<11}  /{path}")
        lessons = [r for r in rows if "lessons/" in r[3] and not r[3].startswith("zh/")]
        heaviest = max(lessons)[3]
        timings = [cold_load(browser, base + heaviest)[3] for _ in range(args.loads)]
        browser.close()
    server.shutdown()
    print(f"\nheaviest page: {max(rows)[0]:,} bytes (/{max(rows)[3]}); "
          f"median lesson: {statistics.median(r[0] for r in lessons):,.0f} bytes; "
          f"pages loading a math engine: {sum(r[2] for r in rows)}")
    print(f"heaviest lesson /{heaviest}, {args.loads} cold loads: median first paint "
          f"{statistics.median(t['paint'] for t in timings):.0f} ms, math complete "
          f"{statistics.median(t['math'] for t in timings):.0f} ms ({timings[0]['formulas']} formulas)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
