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

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium calls Google's hosts at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_JS = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NAV_TIMEOUT_MS = 30_000
# A page has settled once no request has been in flight for this long after its load event
# (Playwright's "networkidle" waits 500 ms on every page).
QUIET_MS = 150
POLL_MS = 25
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
                             loaded: img.complete && img.naturalWidth > 0,
                             in_figure: img.closest("figure") !== null}));
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
NOT_REDIRECTING_JS = "() => !document.querySelector('meta[http-equiv=refresh i]')"
AXE_RUN_JS = """async preload => {
  const result = await axe.run(document, {resultTypes: ["violations"], preload});
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


def settle(page, in_flight: set) -> None:
    """Wait until no request has been in flight for QUIET_MS, then until a page that redirects
    (the book's index.html) has gone to the next, then for the document's load."""
    quiet, waited = 0, 0
    while quiet < QUIET_MS and waited < NAV_TIMEOUT_MS:
        page.wait_for_timeout(POLL_MS)
        waited += POLL_MS
        quiet = 0 if in_flight else quiet + POLL_MS
    page.wait_for_function(NOT_REDIRECTING_JS)
    page.wait_for_load_state("load")


def visit(page: Page, url: str, base: str) -> Visit:
    """Load ``url`` in ``page`` (a tab: one per mode, as a reader goes from page to page) until
    the network is quiet, and record what happened meanwhile. The context's routes disable the
    cache, so every file is requested again."""
    record, in_flight = Visit(url), set()

    def request(request) -> None:
        record.requests.append(request.url)
        in_flight.add(request)
        if not is_own(request.url, base):
            record.foreign_requests.append(request.url)

    def failed(request) -> None:
        record.failed_requests.append(f"{request.url}: {request.failure}")
        in_flight.discard(request)

    listeners = {
        "console": lambda msg: msg.type == "error" and record.console_errors.append(
            f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"),
        "pageerror": lambda error: record.console_errors.append(f"uncaught: {error}"),
        "request": request, "requestfailed": failed,
        "requestfinished": lambda request: in_flight.discard(request),
        "response": lambda response: response.status >= 400 and record.failed_requests.append(
            f"{response.url}: HTTP {response.status}"),
    }
    for event, listener in listeners.items():
        page.on(event, listener)
    try:
        response = page.goto(url, wait_until="load")
        settle(page, in_flight)
        record.status = response.status if response else None
        page.evaluate(FAVICON_JS)
        record.title = page.title()
        record.h1 = [text.strip() for text in page.locator("main h1:visible").all_inner_texts()]
        record.images = page.evaluate(IMAGES_JS)
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
    return record


def is_own(url: str, base: str) -> bool:
    """True for the book's own files; data: URLs never reach a network."""
    return url.startswith(base) or url.startswith("data:")


def axe_violations(page) -> list[dict]:
    """Run every axe-core rule on the open page; its violations, of any impact. From file://
    axe cannot fetch the stylesheets (browsers refuse), so it reads only what the page holds."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN_JS, not page.url.startswith("file:"))


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


ICON_FONT = "Font Awesome 6 Free"
# Layout at phone width: can the body scroll sideways, which figures stick out of the screen
# (a chart inside a figure that scrolls sideways does not), and how wide each chart is drawn.
PHONE_LAYOUT_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => el.parentElement && el.parentElement.closest("main *") &&
    [...function* up(e) { while ((e = e.parentElement) && e.tagName !== "MAIN") yield e; }(el)]
      .some(e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX));
  const figures = [...document.querySelectorAll("main figure, main img")].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < -0.5 || box.right > width + 0.5) && !scrolls(el);
  }).map(el => el.getAttribute("src") || el.id || el.className);
  const links = [...document.querySelectorAll(".prev-next-area a, .prev-next-area a *")];
  const clipped = links.filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < -0.5 || box.right > width + 0.5 ||
                             el.scrollWidth > el.clientWidth + 1);
  }).map(el => el.className || el.tagName);
  const charts = [...document.querySelectorAll("main figure img")].map(
    img => [img.getAttribute("src"), img.getBoundingClientRect().width,
            img.closest("figure").id]);
  // A bibliography label beside its entry leaves the entry a column too narrow for its words.
  const besideLabels = [...document.querySelectorAll("main div.citation > .label")].filter(
    label => label.nextElementSibling && label.nextElementSibling.getBoundingClientRect().top <
      label.getBoundingClientRect().bottom - 1).map(label => label.textContent);
  return {width, scrollWidth: document.scrollingElement.scrollWidth, overflowing: figures,
          charts, clipped, besideLabels};
}"""
# Pixels near the four corners of every image in the article, as the image itself draws them
# (2 px in: the edge column of an SVG with a fractional size is partly transparent).
CORNERS_JS = """async () => {
  const out = [];
  for (const img of document.querySelectorAll("main img")) {
    await img.decode().catch(() => null);
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const [w, h] = [canvas.width - 3, canvas.height - 3];
    out.push({src: img.getAttribute("src"),
              corners: [[2, 2], [w, 2], [2, h], [w, h]].map(
                  ([x, y]) => [...ctx.getImageData(x, y, 1, 1).data])});
  }
  return out;
}"""
ICON_FONT_FILE = "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"
# What every mode checks on the page's chrome: the icons drawn with the icon font (private-use
# code points in the content of any ::before or ::after), whether that font loaded, the search
# buttons a reader sees (the dialog they open left out), and what covers the sidebar's book
# title, if anything.
CHROME_JS = """async family => {
  await document.fonts.ready;
  const icons = new Set();
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      if (!style.fontFamily.includes(family)) continue;
      for (const ch of style.content) {
        const code = ch.codePointAt(0);
        if (code >= 0xE000 && code < 0xF900) icons.add(code);
      }
    }
  }
  const onScreen = el => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth
           && style.visibility !== "hidden";
  };
  const searches = [...document.querySelectorAll(".search-button-field, .search-button__button")]
    .filter(el => !el.closest("dialog") && onScreen(el)).map(el => el.className);
  const title = document.querySelector(".bd-sidebar-primary .logo__title");
  let covered = null;
  if (title && onScreen(title)) {
    const box = title.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + 4);
    if (top && !title.contains(top)) covered = top.outerHTML.slice(0, 120);
  }
  const wideTables = [...document.querySelectorAll("main table")].filter(
    table => table.scrollWidth > table.parentElement.clientWidth + 1).map(
    table => (table.querySelector("th") || table).textContent.trim().slice(0, 40));
  return {icons: [...icons].sort((a, b) => a - b), searches, covered, wideTables,
          font_loaded: [...document.fonts].some(f => f.family.includes(family)
                                                     && f.status === "loaded")};
}"""


def audit(browser, base: str, pages: list[str], **mode) -> dict[str, tuple[Visit, list, dict]]:
    """Visit every page in one browser mode: (Visit, axe violations, facts on the page)."""
    context = new_context(browser, base, **mode)
    page = context.new_page()
    results = {}
    for name in pages:
        record = visit(page, base + name, base)
        extra = page.evaluate(CHROME_JS, ICON_FONT)
        if mode.get("phone"):
            extra |= page.evaluate(PHONE_LAYOUT_JS)
        if mode.get("dark"):
            extra["theme"] = page.evaluate("document.documentElement.dataset.theme")
        if mode.get("dark") and not base.startswith("file:"):  # file:// images taint a canvas
            extra["images"] = page.evaluate(CORNERS_JS)
        results[name] = (record, axe_violations(page), extra)
    context.close()
    return results


# The four ways every page is read; the last opens the book from disk (file://), as a reader
# of a downloaded copy would, without a server or a network.
MODES = {"light": {}, "dark": {"dark": True}, "phone": {"phone": True},
         "phone_dark_from_disk": {"phone": True, "dark": True}}
FROM_DISK = "phone_dark_from_disk"


def audit_book(html_dir: Path, pages: list[str], modes: list[str] = tuple(MODES)
               ) -> dict[str, tuple[str, dict]]:
    """Every page in every mode (or in ``modes``): {mode: (base address, audit results)}."""
    results = {}
    with serve(html_dir) as served, chromium() as browser:
        for mode in modes:
            options = MODES[mode]
            base = html_dir.resolve().as_uri() + "/" if mode == FROM_DISK else served
            results[mode] = (base, audit(browser, base, pages, **options))
    return results
