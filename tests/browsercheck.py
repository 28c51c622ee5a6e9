"""Drive Debian's Chromium over a built book: serve it, visit and weigh pages, audit them with axe.

Used by tests/test_browser.py and scripts/bench.py. Playwright drives /usr/bin/chromium (tool-
downloaded browsers cannot be fetched here); axe-core comes from tests/browser/node_modules.
"""

import functools
import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, BrowserContext, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium calls Google's hosts at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_JS = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NAV_TIMEOUT_MS = 30_000
GZIP_LEVEL = 6  # what web servers commonly use
# The most a page may weigh with everything it loads, gzip-compressed (the stock theme's
# heaviest page is about 980 KB): tests/test_browser.py enforces it, scripts/bench.py reports it.
PAGE_BUDGET_KB = 170

# Every image on the page, loaded eagerly, with what the checks need. decode() settles once the
# image has loaded or failed, so no polling is needed.
IMAGES_JS = """async () => {
  const images = [...document.images];
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({src: img.getAttribute("src"), alt: img.getAttribute("alt"),
                             loaded: img.complete && img.naturalWidth > 0}));
}"""
# Browsers ask for the icon a page declares, or for /favicon.ico when it declares none; headless
# Chromium does not, so visit() loads it the same way (a failure shows as a failed request).
# The query string: Playwright silently drops requests for paths ending in favicon.ico.
FAVICON_JS = """async () => {
  const link = document.querySelector("link[rel~='icon']");
  const img = new Image();
  await new Promise(done => {
    img.onload = img.onerror = done;
    img.src = link ? link.href : new URL("/favicon.ico?asked-by-browsercheck", location).href;
  });
}"""
AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@dataclass
class Visit:
    """What one page load did: its status, console errors, every request, title and images."""

    url: str
    status: int | None = None
    title: str = ""
    h1: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 at a free port in a background thread; yield the base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Browser, base: str, phone: bool = False,
                dark: bool = False) -> BrowserContext:
    """A fresh context whose requests outside ``base`` are recorded by visit() and aborted."""
    size = PHONE if phone else DESKTOP
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone,
                                  color_scheme="dark" if dark else "light")
    context.set_default_navigation_timeout(NAV_TIMEOUT_MS)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else route.abort("blockedbyclient"))
    return context


def visit(context: BrowserContext, url: str, base: str, keep_open: bool = False):
    """Load ``url`` until the network is idle and record what happened.

    Returns the Visit, and the open page too when ``keep_open`` is set (the caller closes it).
    """
    record = Visit(url)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and record.console_errors.append(
        f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"))
    page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: record.requests.append(request.url))
    page.on("request", lambda request: None if is_own(request.url, base)
            else record.foreign_requests.append(request.url))
    page.on("requestfailed", lambda request: record.failed_requests.append(
        f"{request.url}: {request.failure}"))
    page.on("response", lambda response: response.status >= 400 and record.failed_requests.append(
        f"{response.url}: HTTP {response.status}"))
    response = page.goto(url, wait_until="networkidle")
    record.status = response.status if response else None
    page.evaluate(FAVICON_JS)
    record.title = page.title()
    record.h1 = [text.strip() for text in page.locator("main h1:visible").all_inner_texts()]
    record.images = page.evaluate(IMAGES_JS)
    if keep_open:
        return record, page
    page.close()
    return record


def is_own(url: str, base: str) -> bool:
    """True for the book's own files; data: URLs never reach a network."""
    return url.startswith(base) or url.startswith("data:")


def axe_violations(page) -> list[dict]:
    """Run every axe-core rule on the open page; its violations, of any impact."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN_JS)


def local_file(url: str, base: str, root: Path) -> Path:
    """The file under ``root`` that a request for ``url`` (below ``base``) reads."""
    path = unquote(urlsplit(url[len(base):]).path)
    target = root / path
    return target / "index.html" if target.is_dir() else target


@functools.cache
def file_weight(path: Path) -> tuple[int, int]:
    """(bytes, gzip-compressed bytes) of one file."""
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, GZIP_LEVEL))


def page_weight(record: Visit, base: str, root: Path) -> tuple[int, int, int]:
    """(requests, bytes, gzip bytes) a reader downloads for the page, each file counted once."""
    files = {local_file(url, base, root) for url in record.requests if url.startswith(base)}
    weights = [file_weight(path) for path in files if path.is_file()]
    return len(record.requests), sum(w[0] for w in weights), sum(w[1] for w in weights)
