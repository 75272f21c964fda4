"""Fixtures for the lesson-site tests: one strict build per session, a local server, headless Chromium.

The site is built once (`mkdocs build --strict` into a temporary folder), served by a threaded
http.server on a free port of 127.0.0.1, and browsed by the system Chromium through Playwright.
Every request that would leave 127.0.0.1 is recorded and aborted, so the tests also prove the
site works offline.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_pages import REPO, built_pages, site_path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@dataclass
class Build:
    site: Path
    seconds: float
    output: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """Build the site once, strictly; fail with mkdocs' own output if it does not build."""
    site = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    seconds = time.perf_counter() - start
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{output[-6000:]}")
    print(f"\nmkdocs build --strict: {seconds:.1f} s")
    return Build(site, seconds, output)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site at / and, as its host would, under site_url's path: 404.html links its assets
    by absolute URLs under that path (MkDocs writes them so, as 404.html is served at any depth)."""

    site_path = "/"

    def translate_path(self, path):
        if self.site_path != "/" and path.startswith(self.site_path):
            path = "/" + path[len(self.site_path):]
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        """A missing address gets the site's root 404.html, with status 404, as a static host serves it."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """Serve the built site on a free port of 127.0.0.1; yield its base URL."""
    _QuietHandler.site_path = site_path()
    handler = functools.partial(_QuietHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright (no browser is downloaded)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make system-deps) or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """What one page load did: console errors, uncaught exceptions, requests that left localhost."""
    page: object
    console_errors: list
    page_errors: list
    external_requests: list
    failed_requests: list


@pytest.fixture
def visit(browser, site_url):
    """Return open(path) -> Visit, in a fresh context that aborts every request leaving 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local = site_url.rstrip("/")

    external: list[str] = []

    def route(r):
        if r.request.url.startswith(local):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    context.route("**/*", route)  # on the context, so that workers' requests are caught too

    def open_page(path: str) -> Visit:
        page = context.new_page()
        record = Visit(page, [], [], external, [])
        page.on("console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: record.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: record.failed_requests.append(r.url))
        page.on("response", lambda r: record.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(site_url + path, wait_until="load")
        return record

    yield open_page
    context.close()


@pytest.fixture(scope="session")
def pages(built_site):
    """URL paths of every page the built site has (both languages)."""
    found = built_pages(built_site.site)
    assert len(found) >= 20, found  # the English site alone has 21 pages
    return found


@pytest.fixture(scope="session")
def audits(browser, built_site, site_url, pages):
    """Every page loaded once, weighed and audited (test_accessibility.audit_every_page), for both test modules."""
    from test_accessibility import audit_every_page

    return audit_every_page(browser, built_site.site, site_url, pages)
