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
# (a chart inside a figure that scrolls sideways does not), how wide each chart is drawn, how
# each table fits, which citations show, how many lines headings take, and how tall the page is.
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
  // Every table: its columns, whether it is wider than its box, whether that box scrolls
  // sideways, the cells that cut off their text, and its narrowest cell's width (cells out of
  // flow, which the table lays out elsewhere, left out); whether it reads as cards (its rows are
  // blocks: its body's rows, the header row being out of sight) or as a grid, its height, and
  // the margins to the screen's edges of what shows of it (the part of the table inside its
  // box).
  // Also how far into the table its rows' first cells in flow start (an empty column before
  // them), and whether a line above it says it scrolls sideways.
  const tables = [...document.querySelectorAll("main table")].map(table => {
    const box = table.parentElement, at = box.getBoundingClientRect();
    const drawn = table.getBoundingClientRect();
    const cells = [...table.querySelectorAll("th, td")].filter(
      cell => getComputedStyle(cell).position !== "absolute");
    const left = table.getBoundingClientRect().left;
    const starts = [...table.querySelectorAll("tbody tr:not(.group-head)")].map(row => Math.min(
      ...[...row.cells].filter(cell => cells.includes(cell)).map(
        cell => cell.getBoundingClientRect().left - left)));
    const body = table.querySelector("tbody > tr");  // a card, or a row of the grid
    const hint = document.getElementById(box.getAttribute("aria-describedby")) ||
      box.previousElementSibling;
    return {head: (table.querySelector("th") || table).textContent.trim().slice(0, 30),
            columns: table.rows[0] ? table.rows[0].cells.length : 0,
            cards: Boolean(body) && getComputedStyle(body).display === "block",
            height: table.getBoundingClientRect().height,
            margins: [Math.max(at.left, drawn.left), width - Math.min(at.right, drawn.right)],
            width: table.getBoundingClientRect().width, boxWidth: box.clientWidth,
            wider: table.getBoundingClientRect().width > box.clientWidth + 1,
            scrolls: ["auto", "scroll"].includes(getComputedStyle(box).overflowX),
            clippedCells: cells.filter(cell => cell.scrollWidth > cell.clientWidth + 1).map(
              cell => cell.textContent.trim().slice(0, 30)),
            narrowestCell: Math.min(...cells.map(cell => cell.getBoundingClientRect().width)),
            startGap: Math.max(0, ...starts.filter(Number.isFinite)),
            hinted: Boolean(hint) && hint.matches(".scroll-hint") && !hint.hidden &&
                    hint.getBoundingClientRect().height > 0};
  });
  // The citations a reader sees as the page opens (the rest are in closed <details>).
  const citations = [...document.querySelectorAll(
    "main :is(.book-citation, .chapter-citation, .dataset-citation)")].map(el => ({
    kind: el.className.match(/(book|chapter|dataset)-citation/)[1],
    bibtex: el.matches(".highlight-bibtex"), shown: el.checkVisibility()}));
  // A bibliography label beside its entry leaves the entry a column too narrow for its words.
  const besideLabels = [...document.querySelectorAll("main div.citation > .label")].filter(
    label => label.nextElementSibling && label.nextElementSibling.getBoundingClientRect().top <
      label.getBoundingClientRect().bottom - 1).map(label => label.textContent);
  // How far a bibliography entry's text starts right of its label above it (its hanging
  // indent), at most.
  const entryIndent = Math.max(0, ...[...document.querySelectorAll(
    "main div.citation > .label + *")].map(entry => entry.getBoundingClientRect().left -
      entry.previousElementSibling.getBoundingClientRect().left));
  // The most lines a main heading (h1) and a section's heading (h2) take, their words only (the
  // hidden link to the heading left out).
  const headingLines = tag => Math.max(0, ...[...document.querySelectorAll(`main ${tag}`)].map(
    heading => {
      const tops = new Set();
      const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (!text.data.trim() || text.parentElement.closest(".headerlink")) continue;
        const range = document.createRange();
        range.selectNodeContents(text);
        for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
      }
      return tops.size;
    }));
  return {width, scrollWidth: document.scrollingElement.scrollWidth, overflowing: figures,
          charts, clipped, besideLabels, tables, citations, entryIndent,
          headingLines: {h1: headingLines("h1"), h2: headingLines("h2")},
          height: document.scrollingElement.scrollHeight};
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
# buttons and the search page's own search form that a reader sees (the dialog the buttons
# open left out), and what covers the sidebar's book
# title, if anything, how many links in the sidebar read as the book's title, and the
# navigation's first entry; tables wider than their box; each collapsed code cell's toggle:
# its words, and whether the cell shows a figure; the font size and weight (px, number) of
# every heading of the article (h1 to h3), by level; and the width of the article's text
# column and whether the page's contents show beside it, at its right.
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
  const searches = [...document.querySelectorAll(
    ".search-button-field, .search-button__button, form.bd-search")]
    .filter(el => !el.closest("dialog") && onScreen(el)).map(el => el.className);
  const title = document.querySelector(".bd-sidebar-primary .logo__title");
  let covered = null;
  if (title && onScreen(title)) {
    const box = title.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + 4);
    if (top && !title.contains(top)) covered = top.outerHTML.slice(0, 120);
  }
  const titleLinks = title ? [...document.querySelectorAll(".bd-sidebar-primary a")].filter(
    a => onScreen(a) && a.textContent.trim() === title.textContent.trim()).length : 0;
  const wideTables = [...document.querySelectorAll("main table")].filter(
    table => table.scrollWidth > table.parentElement.clientWidth + 1).map(
    table => (table.querySelector("th") || table).textContent.trim().slice(0, 40));
  // The sidebar navigation's first entry (the first part's first page).
  const first = document.querySelector(".bd-sidebar-primary .bd-docs-nav li > a");
  const navFirst = first && {text: first.textContent.trim(), href: first.href,
                             current: first.closest("li").classList.contains("current")};
  const toggles = [...document.querySelectorAll("main details.hide > summary")].map(
    summary => ({text: summary.innerText.trim(),
                 figure: summary.closest(".cell").querySelector(".cell_output figure") !== null}));
  const headings = Object.fromEntries(["h1", "h2", "h3"].map(tag => [tag, [
    ...document.querySelectorAll(`.bd-article ${tag}`)].map(heading => {
      const style = getComputedStyle(heading);
      return [parseFloat(style.fontSize), Number(style.fontWeight)];
    })]));
  const article = document.querySelector(".bd-article");
  const padding = article && getComputedStyle(article);
  const textColumn = article && article.clientWidth - parseFloat(padding.paddingLeft) -
    parseFloat(padding.paddingRight);
  const contents = document.querySelector(".bd-sidebar-secondary");
  const pageContents = Boolean(contents) && onScreen(contents) &&
    contents.getBoundingClientRect().left >= article.getBoundingClientRect().right - 0.5;
  return {icons: [...icons].sort((a, b) => a - b), searches, covered, wideTables, toggles,
          titleLinks, navFirst, headings, textColumn, pageContents,
          font_loaded: [...document.fonts].some(f => f.family.includes(family)
                                                     && f.status === "loaded")};
}"""

# Whatever a reader cannot see whole, in every mode, with the page's code cells opened (as a
# reader opens them; closed again afterwards): elements outside any box that scrolls or clips
# that stick out of the page sideways, boxes that cut off their content (overflow hidden, or an
# ellipsis), code whose lines run past a block that does not scroll, words of code (a name in a
# program, the parts of a BibTeX key between its underscores, after which it may break) split
# over two lines, and every box that scrolls sideways: whether
# it takes keyboard focus, holds a table, is a timeline's chart or a code block, and which
# visible line, its aria-describedby, says it scrolls, and whether that line is above it; and
# every visible line that says "scroll sideways".
SCROLL_HINT = "scroll sideways"
LAYOUT_JS = r"""hintWords => {
  const opened = [...document.querySelectorAll("main details:not([open])")];
  for (const details of opened) details.open = true;
  const width = document.documentElement.clientWidth;
  const shown = el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const name = el => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
    `${[...el.classList].map(c => "." + c).join("")} "${el.textContent.trim().slice(0, 40)}"`;
  const hides = value => ["hidden", "clip"].includes(value);
  const wider = el => el.scrollWidth > el.clientWidth + 1;
  const offPage = [], clipped = [], cutCode = [], scrollers = [], splitWords = [];
  let words = 0;
  for (const pre of document.querySelectorAll("main pre")) {
    if (!shown(pre)) continue;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      for (const word of text.data.matchAll(/[^\W_]{2,}/g)) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.bottom)));
        words += 1;
        if (lines.size > 1) splitWords.push(`${name(pre)}: ${word[0]}`);
      }
    }
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el)) continue;
    const style = getComputedStyle(el);
    if ((hides(style.overflowX) && wider(el)) ||
        (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1) ||
        (style.textOverflow === "ellipsis" && wider(el))) clipped.push(name(el));
    const scrolls = ["auto", "scroll"].includes(style.overflowX);
    if (el.matches("main pre") && wider(el) && !scrolls) cutCode.push(name(el));
    if (scrolls && wider(el)) {
      const hint = document.getElementById(el.getAttribute("aria-describedby"));
      const says = hint && shown(hint) && hint.textContent.toLowerCase().includes(hintWords);
      scrollers.push({what: name(el), focusable: el.tabIndex >= 0,
                      table: el.querySelector("table") !== null,
                      timeline: el.closest('figure[id$="-timeline"]') !== null,
                      code: el.matches("main pre"),
                      hint: says ? name(hint) : null,
                      hintAbove: says && hint.getBoundingClientRect().bottom <=
                        el.getBoundingClientRect().top + 1});
    }
    let inBox = false;
    for (let up = el.parentElement; up && up !== document.body && !inBox; up = up.parentElement) {
      inBox = getComputedStyle(up).overflowX !== "visible";
    }
    const box = el.getBoundingClientRect();
    if (!inBox && style.position !== "fixed" && (box.left < -0.5 || box.right > width + 0.5)) {
      offPage.push(name(el));
    }
  }
  const hints = [...document.querySelectorAll("main *")].filter(
    el => el.children.length === 0 && shown(el) &&
          el.textContent.toLowerCase().includes(hintWords)).map(name);
  for (const details of opened) details.open = false;
  return {offPage, clipped, cutCode, scrollers, hints, splitWords, words,
          code: document.querySelectorAll("main div.cell pre").length};
}"""

# Two animation frames: enough for a scroll to be drawn and its scroll events handled.
FRAMES_JS = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Whether something covers an element at the middle of its part inside ``view`` (a box): null
# when nothing does or when none of it is inside.
COVERED_JS = """(el, view) => {
  const box = el.getBoundingClientRect();
  const top = Math.max(box.top, view.top), bottom = Math.min(box.bottom, view.bottom);
  if (bottom <= top) return null;
  const hit = document.elementFromPoint(box.left + box.width / 2, (top + bottom) / 2);
  return hit && el.contains(hit) ? null : (hit ? hit.outerHTML.slice(0, 80) : "nothing");
}"""
SIDEBAR_JS = """[...document.querySelectorAll(".bd-sidebar-primary")].find(
    el => el.getBoundingClientRect().width > 0)"""

# The chart's labels (its texts other than its axes' ticks and names, which matplotlib groups
# as matplotlib.axis_N, xtick_N and ytick_N) that the box, as it opens, cuts or fades: a label
# that starts in the clear part of the box and ends under the faded right edge or past it. The
# chart (an <img>) is laid out again, hidden, as inline SVG at the same place and size to
# measure its words; from disk the SVG cannot be read (null).
CUT_LABELS_JS = """async (box, chart) => {
  const AXIS_TEXT = 'g[id^="matplotlib.axis"], g[id^="xtick_"], g[id^="ytick_"]';
  if (location.protocol === "file:") return null;
  const source = await (await fetch(chart.src)).text();
  const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
  const at = chart.getBoundingClientRect();
  svg.setAttribute("width", at.width);
  svg.setAttribute("height", at.height);
  svg.style.cssText = `position: fixed; left: ${at.left}px; top: ${at.top}px; ` +
                      "visibility: hidden; pointer-events: none";
  document.body.append(svg);
  const left = box.getBoundingClientRect().left + box.clientLeft;
  const fade = getComputedStyle(box).maskImage.match(/([\\d.]+)px\\)\\s*$/);
  const clear = left + box.clientWidth - (fade ? parseFloat(fade[1]) : 0);
  const cut = [...svg.querySelectorAll("text")].filter(
    text => !text.closest(AXIS_TEXT)).map(
    text => [text.textContent.trim(), text.getBoundingClientRect()]).filter(
    ([, box]) => box.width > 0 && box.left < clear - 0.5 && box.right > clear + 0.5).map(
    ([text]) => text);
  svg.remove();
  return cut;
}"""
# Each timeline on a phone: whether its chart scrolls sideways in a box, whether the line
# saying so (the box's aria-describedby) is above the chart, whether the caption scrolls with
# it, whether the box's right edge is faded before and after it is scrolled to its end, and the
# labels it opens on cut (CUT_LABELS_JS).
TIMELINES_JS = f"""async () => {{
  const cutLabels = {CUT_LABELS_JS};
  const out = [];
  for (const figure of document.querySelectorAll('main figure[id$="-timeline"]')) {{
    const box = [figure, ...figure.querySelectorAll("*")].find(
      el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX) &&
            el.scrollWidth > el.clientWidth + 1);
    const chart = figure.querySelector("img");
    const hint = box && document.getElementById(box.getAttribute("aria-describedby"));
    const faded = () => !["", "none"].includes(getComputedStyle(box).maskImage);
    const record = {{id: figure.id, scrolls: Boolean(box),
      hintAbove: Boolean(hint) && !hint.hidden && hint.getBoundingClientRect().bottom <=
                 chart.getBoundingClientRect().top + 1,
      captionScrolls: Boolean(box) && box.contains(figure.querySelector("figcaption"))}};
    if (box) {{
      record.cutLabels = await cutLabels(box, chart);
      record.fadedAtStart = faded();
      box.scrollLeft = box.scrollWidth;
      await {FRAMES_JS};
      record.fadedAtEnd = faded();
      box.scrollLeft = 0;
      await {FRAMES_JS};
    }}
    out.push(record);
  }}
  return out;
}}"""

# The book's title at the top of the sidebar (at 1280 px) or of the navigation drawer (on a
# phone), once that is scrolled to its end: whether it is within the sidebar's visible box,
# cut off inside its own box, or covered by something at its first or last line.
SIDEBAR_TITLE_JS = f"""async () => {{
  const sidebar = {SIDEBAR_JS};
  const title = sidebar.querySelector(".logo__title");
  sidebar.scrollTop = sidebar.scrollHeight;
  await {FRAMES_JS};
  const view = sidebar.getBoundingClientRect(), box = title.getBoundingClientRect();
  const covers = [box.top + 2, box.bottom - 2].map(
    y => document.elementFromPoint(box.left + box.width / 2, y)).filter(
    el => !el || !title.contains(el)).map(el => el ? el.outerHTML.slice(0, 80) : "nothing");
  return {{scrolled: sidebar.scrollTop, covers,
          inside: box.top >= view.top - 0.5 && box.bottom <= view.bottom + 0.5 &&
                  box.left >= view.left - 0.5 && box.right <= view.right + 0.5,
          cut: title.scrollWidth > title.clientWidth + 1 ||
               title.scrollHeight > title.clientHeight + 1}};
}}"""
# The sidebar's search box, as the page opens (the theme has scrolled the sidebar to the current
# chapter, or to where the previous page left it) and with the sidebar scrolled to each of
# SIDEBAR_STOPS (px, then its end): what covers it, if anything, where it is in view; and what
# covers the current chapter's link as the page opens, or whether it is out of view (the
# opening page has none: the book's title links to it).
SIDEBAR_STOPS = [0, 20, 40, 60, 80, 100, 130, 160]
SIDEBAR_SEARCH_JS = f"""async stops => {{
  const sidebar = {SIDEBAR_JS};
  const covered = {COVERED_JS};
  const search = sidebar.querySelector(".search-button-field");
  const view = () => sidebar.getBoundingClientRect();
  const look = () => ({{scrolled: sidebar.scrollTop, coveredBy: covered(search, view())}});
  const current = [...sidebar.querySelectorAll(".bd-docs-nav .active > a")].pop();
  const opening = view(), box = current?.getBoundingClientRect();
  const opened = {{...look(), current: current?.textContent.trim() ?? null,
                   currentCoveredBy: current ? covered(current, opening) : null,
                   currentInView: !current || (box.top >= opening.top - 0.5 &&
                                               box.bottom <= opening.bottom + 0.5)}};
  const scrolled = [];
  for (const stop of [...stops, sidebar.scrollHeight]) {{
    sidebar.scrollTop = stop;
    await {FRAMES_JS};
    scrolled.push(look());
  }}
  return {{opened, scrolled, canScroll: sidebar.scrollHeight - sidebar.clientHeight}};
}}"""
# The sidebar as the page opens: how far it is scrolled, and how far it must be for the current
# page's link to show whole at its foot (none when it does unscrolled, or when the page has no
# link in it).
SIDEBAR_OPENING_JS = f"""() => {{
  const sidebar = {SIDEBAR_JS};
  const current = [...sidebar.querySelectorAll(".bd-docs-nav .active > a")].pop();
  const scrolled = sidebar.scrollTop;
  if (!current) return {{scrolled, needed: 0, current: null}};
  sidebar.scrollTop = 0;
  const below = current.getBoundingClientRect().bottom - sidebar.getBoundingClientRect().bottom;
  sidebar.scrollTop = scrolled;
  return {{scrolled, needed: Math.max(0, below), current: current.textContent.trim()}};
}}"""
# Where the theme keeps, in the tab's session storage, how far the sidebar was scrolled on the
# page before, which it scrolls the next page's sidebar to; without it (a reader's first page)
# it scrolls to the current page's link.
SIDEBAR_POSITION_KEY = "sidebar-scroll-top"
FIRST_PAGE_JS = f"sessionStorage.removeItem({SIDEBAR_POSITION_KEY!r})"

# The page's contents at the right: the sections (h2 and below) missing from its visible
# entries, whether the box cuts off entries it cannot scroll to (as the theme's collapsed box
# does), and, with the box scrolled to its end, whether its last entry is in view whole and
# uncovered (null when the page has no such box); and, on a page with sections, the glossaries,
# tables and figures outside every section, which its contents cannot point to.
PAGE_TOC_JS = f"""async () => {{
  const sections = [...document.querySelectorAll(
    "main section > :is(h2, h3, h4, h5, h6)")].map(h => h.parentElement.id);
  const toc = document.querySelector(".bd-sidebar-secondary");
  const shown = el => el.getBoundingClientRect().height > 0 &&
                      getComputedStyle(el).visibility !== "hidden";
  const page = document.querySelector("main section");
  const unlisted = page && sections.length ? [...page.children].filter(
    el => shown(el) && el.matches("dl, table, figure, div:has(table), div:has(figure)")).map(
    el => `${{el.tagName.toLowerCase()}} "${{el.textContent.trim().slice(0, 40)}}"`) : [];
  if (!toc || !shown(toc)) return {{sections, missing: sections, last: null, unlisted}};
  const entries = [...toc.querySelectorAll("nav a[href^='#']")].filter(shown);
  const listed = new Set(entries.map(a => decodeURIComponent(a.hash.slice(1))));
  const scrolls = toc.scrollHeight > toc.clientHeight + 1;
  const cut = scrolls && !["auto", "scroll"].includes(getComputedStyle(toc).overflowY);
  toc.scrollTop = toc.scrollHeight;
  await {FRAMES_JS};
  const last = entries.at(-1);
  const view = toc.getBoundingClientRect(), box = last.getBoundingClientRect();
  return {{sections, missing: sections.filter(id => !listed.has(id)), unlisted,
          last: last.textContent.trim(), scrolls, cut,
          lastInView: box.top >= Math.max(view.top, 0) - 0.5 &&
                      box.bottom <= Math.min(view.bottom, innerHeight) + 0.5,
          lastCoveredBy: ({COVERED_JS})(last, view)}};
}}"""
# The page's contents at the right, two frames after the window reached its size (from a window
# RESIZED_FROM_PX high, as a reader resizes it or a full-page screenshot does): how tall the box
# is, how tall its entries are, and how much room the window leaves it (the theme keeps the
# height of its header, --pst-header-height, free).
RESIZED_FROM_PX = 200
PAGE_TOC_HEIGHT_JS = f"""async () => {{
  await {FRAMES_JS};
  const toc = document.querySelector(".bd-sidebar-secondary");
  if (!toc || !toc.getBoundingClientRect().height) return null;
  const probe = document.createElement("div");
  probe.style.height = "var(--pst-header-height)";
  document.body.append(probe);
  const header = probe.getBoundingClientRect().height;
  probe.remove();
  return {{shown: toc.clientHeight, entries: toc.scrollHeight, room: innerHeight - header}};
}}"""
# A desktop window short enough that the sidebar's navigation scrolls.
SHORT_DESKTOP = {"width": DESKTOP["width"], "height": 600}
DRAWER_TOGGLE = "button.primary-toggle"


def on_each_page(browser, base: str, pages: list[str], script: str, arg=None,
                 phone: bool = False, viewport: dict | None = None,
                 first: bool = False) -> dict[str, object]:
    """``script``'s result on each page, visited in turn in one tab (as a reader goes from page
    to page; or, ``first``, each as a reader's first page, with no sidebar position kept from
    the page before): in a desktop window of ``viewport`` size, or on a phone with the
    navigation drawer opened."""
    context = new_context(browser, base, phone=phone)
    if first:
        context.add_init_script(FIRST_PAGE_JS)
    page = context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    results = {}
    for name in pages:
        visit(page, base + name, base)
        if phone:
            page.locator(DRAWER_TOGGLE).first.click()
            page.locator("dialog.bd-sidebar-primary[open]").wait_for()
        results[name] = page.evaluate(script, arg)
    context.close()
    return results


def page_contents_after_resize(browser, base: str, pages: list[str], height: int
                               ) -> dict[str, dict | None]:
    """PAGE_TOC_HEIGHT_JS on each page, at 1280 px wide and ``height`` high, just after the
    window grew to that height from RESIZED_FROM_PX."""
    context = new_context(browser, base)
    page = context.new_page()
    results = {}
    for name in pages:
        page.set_viewport_size({"width": DESKTOP["width"], "height": RESIZED_FROM_PX})
        visit(page, base + name, base)
        page.set_viewport_size({"width": DESKTOP["width"], "height": height})
        results[name] = page.evaluate(PAGE_TOC_HEIGHT_JS)
    context.close()
    return results


# Each table's semantics as Chromium gives them to screen readers (its accessibility tree), at
# phone width, against the page's markup: tables, rows, column headers and cells, and each
# cell's text (a cell named otherwise, by its label and its text, say, is read so). Rows hidden
# from screen readers (aria-hidden: the name of a group of rows, book.js) are left out.
TABLE_ROLES = ["table", "row", "columnheader", "cell"]
TABLE_MARKUP_JS = """() => {
  const tables = [...document.querySelectorAll("main table")];
  const all = selector => tables.flatMap(t => [...t.querySelectorAll(selector)]).filter(
    el => !el.closest("[aria-hidden=true]"));
  return {table: tables.length, row: all("tr").length, columnheader: all("th").length,
          cell: all("td").length,
          texts: all("td").map(td => td.textContent.replace(/\\s+/g, " ").trim())};
}"""


def table_semantics(browser, base: str, pages: list[str]) -> dict[str, dict]:
    """For each page at phone width: {"markup": counts in the HTML, "tree": the same roles'
    counts in Chromium's accessibility tree, "misnamed": names of cells in the tree that are no
    cell's text}."""
    context = new_context(browser, base, phone=True)
    page = context.new_page()
    results = {}
    for name in pages:
        visit(page, base + name, base)
        markup = page.evaluate(TABLE_MARKUP_JS)
        texts = set(markup["texts"])
        nodes = [node for node in context.new_cdp_session(page).send(
            "Accessibility.getFullAXTree")["nodes"] if not node.get("ignored")]
        roles = [node.get("role", {}).get("value") for node in nodes]
        names = [node.get("name", {}).get("value", "") for node in nodes
                 if node.get("role", {}).get("value") == "cell"]
        results[name] = {
            "markup": {role: markup[role] for role in TABLE_ROLES},
            "tree": {role: roles.count(role) for role in TABLE_ROLES},
            "misnamed": [cell for cell in names if " ".join(cell.split()) not in texts]}
    context.close()
    return results


def sidebar_titles(browser, base: str, pages: list[str], phone: bool = False) -> dict[str, dict]:
    """The sidebar title's place (SIDEBAR_TITLE_JS) on each page, with the sidebar scrolled to
    its end: in a short desktop window, or in the navigation drawer a phone reader opens."""
    return on_each_page(browser, base, pages, SIDEBAR_TITLE_JS, phone=phone,
                        viewport=None if phone else SHORT_DESKTOP)


def audit(browser, base: str, pages: list[str], **mode) -> dict[str, tuple[Visit, list, dict]]:
    """Visit every page in one browser mode: (Visit, axe violations, facts on the page)."""
    context = new_context(browser, base, **mode)
    page = context.new_page()
    results = {}
    for name in pages:
        record = visit(page, base + name, base)
        extra = page.evaluate(CHROME_JS, ICON_FONT) | page.evaluate(LAYOUT_JS, SCROLL_HINT)
        if mode.get("phone"):
            extra |= page.evaluate(PHONE_LAYOUT_JS)
            extra["timelines"] = page.evaluate(TIMELINES_JS)
        if mode.get("dark"):
            extra["theme"] = page.evaluate("document.documentElement.dataset.theme")
        if mode.get("dark") and not base.startswith("file:"):  # file:// images taint a canvas
            extra["images"] = page.evaluate(CORNERS_JS)
        results[name] = (record, axe_violations(page), extra)
    context.close()
    return results


# The reading notes' pages (_ext/readings.py) are alike, made by one function from notes of one
# form: every mode reads their index and these, the longest notes; the phone mode reads every
# note (whether it scrolls sideways at 390 px, and axe), in the same session.
READING_NOTES = "readings/"
AUDITED_NOTES = ("readings/garvie2016perpetual.html", "readings/ibm2020letter.html")
EVERY_NOTE_MODE = "phone"


def audited_pages(pages: list[str], mode: str) -> list[str]:
    """The pages the browser audit visits in ``mode``: every page, but in modes other than
    EVERY_NOTE_MODE only the sampled reading notes."""
    return [name for name in pages if mode == EVERY_NOTE_MODE
            or not name.startswith(READING_NOTES)
            or name == READING_NOTES + "index.html" or name in AUDITED_NOTES]


# The four ways every page is read; the last opens the book from disk (file://), as a reader
# of a downloaded copy would, without a server or a network.
MODES = {"light": {}, "dark": {"dark": True}, "phone": {"phone": True},
         "phone_dark_from_disk": {"phone": True, "dark": True}}
FROM_DISK = "phone_dark_from_disk"


def audit_book(html_dir: Path, pages: list[str], modes: list[str] = tuple(MODES)
               ) -> dict[str, tuple[str, dict]]:
    """Every page in every mode (or in ``modes``), the reading notes as audited_pages() says:
    {mode: (base address, audit results)}."""
    results = {}
    with serve(html_dir) as served, chromium() as browser:
        for mode in modes:
            options = MODES[mode]
            base = html_dir.resolve().as_uri() + "/" if mode == FROM_DISK else served
            results[mode] = (base, audit(browser, base, audited_pages(pages, mode), **options))
    return results
