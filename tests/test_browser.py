"""The freshly built book in a real browser (Debian's Chromium, driven by Playwright).

Every page is served from 127.0.0.1 and visited in light and dark mode, at 1280 px and at phone
width (390 px): it loads whole (its icon too), asks no other host for anything, logs no console
error, passes axe-core with no violation of any impact, shows one search box that covers
nothing, draws its icons from the cut-down icon font, fits a 390 px screen and stays within the
page-weight budget. The same folder opened from disk (file://) works too, search included.
"""

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from browsercheck import (
    AXE_JS,
    PAGE_BUDGET_KB,
    Visit,
    axe_violations,
    chromium,
    new_context,
    page_weight,
    serve,
    visit,
)

pytestmark = pytest.mark.slow

SEARCH_WORD = "Microsoft"  # a company the book is about: every search must find it
NO_SUCH_WORD = "zqxjvw"
ICON_FONT = "Font Awesome 6 Free"

# Layout at phone width: can the body scroll sideways, and which figures stick out?
PHONE_LAYOUT_JS = """() => {
  const width = document.documentElement.clientWidth;
  const figures = [...document.querySelectorAll("main figure, main img")].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < -0.5 || box.right > width + 0.5);
  }).map(el => el.getAttribute("src") || el.id || el.className);
  return {width, scrollWidth: document.scrollingElement.scrollWidth, overflowing: figures};
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
  return {icons: [...icons].sort((a, b) => a - b), searches, covered,
          font_loaded: [...document.fonts].some(f => f.family.includes(family)
                                                     && f.status === "loaded")};
}"""
WHITE = [255, 255, 255, 255]


@pytest.fixture(scope="session")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def book_url(html_dir):
    with serve(html_dir) as base:
        yield base


@pytest.fixture(scope="session")
def pages(site) -> list[str]:
    """Every HTML page of the book (the theme's template copies in _static/ left out)."""
    return sorted(site)


def audit(browser, base: str, pages: list[str], **mode) -> dict[str, tuple[Visit, list, dict]]:
    """Visit every page in one browser mode: (Visit, axe violations, facts on the page)."""
    context = new_context(browser, base, **mode)
    results = {}
    for name in pages:
        record, page = visit(context, base + name, base, keep_open=True)
        extra = page.evaluate(CHROME_JS, ICON_FONT)
        if mode.get("phone"):
            extra |= page.evaluate(PHONE_LAYOUT_JS)
        if mode.get("dark"):
            extra |= {"theme": page.evaluate("document.documentElement.dataset.theme"),
                      "images": page.evaluate(CORNERS_JS)}
        violations = axe_violations(page)
        page.close()
        results[name] = (record, violations, extra)
    context.close()
    return results


@pytest.fixture(scope="session")
def light(browser, book_url, pages):
    return audit(browser, book_url, pages)


@pytest.fixture(scope="session")
def dark(browser, book_url, pages):
    return audit(browser, book_url, pages, dark=True)


@pytest.fixture(scope="session")
def phone(browser, book_url, pages):
    return audit(browser, book_url, pages, phone=True)


@pytest.fixture(scope="session")
def phone_dark(browser, book_url, pages):
    return audit(browser, book_url, pages, phone=True, dark=True)


MODES = ["light", "dark", "phone", "phone_dark"]


@pytest.fixture(scope="session")
def all_results(request) -> dict[str, tuple[Visit, list, dict]]:
    """Every page in every mode, keyed "<mode> <page>"."""
    return {f"{mode} {name}": result for mode in MODES
            for name, result in request.getfixturevalue(mode).items()}


@pytest.fixture(scope="session")
def all_visits(all_results) -> list[tuple[str, Visit]]:
    return [(where, result[0]) for where, result in all_results.items()]


def test_every_toc_page_is_served_with_status_200(light, toc_pages):
    assert set(toc_pages) <= set(light), f"not visited: {set(toc_pages) - set(light)}"
    bad = {name: result[0].status for name, result in light.items() if result[0].status != 200}
    assert not bad, f"pages not served with HTTP 200: {bad}"


def test_no_console_errors(all_visits):
    problems = [f"{where}: {error}" for where, record in all_visits
                for error in record.console_errors]
    assert not problems, "\n".join(problems)


def test_no_failed_requests(all_visits):
    problems = [f"{where}: {failure}" for where, record in all_visits
                for failure in record.failed_requests]
    assert not problems, "\n".join(problems)


def test_no_request_leaves_the_book(all_visits):
    problems = [f"{where}: {url}" for where, record in all_visits
                for url in record.foreign_requests]
    assert not problems, "\n".join(problems)


def test_every_page_has_a_title_and_a_main_heading(light):
    problems = [f"{name}: title {record.title!r}, h1 {record.h1}"
                for name, (record, _, _) in light.items()
                if not record.title.strip() or not any(record.h1)]
    assert not problems, "\n".join(problems)


def test_every_image_loads_and_has_alt_text(light):
    problems = [f"{name}: {image['src']} (loaded: {image['loaded']}, alt: {image['alt']!r})"
                for name, (record, _, _) in light.items() for image in record.images
                if not image["loaded"] or not (image["alt"] or "").strip()]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_nothing(mode, request):
    problems = [f"{name}: {v['impact']} {v['id']} ({v['help']}) at {v['targets']}"
                for name, (_, violations, _) in request.getfixturevalue(mode).items()
                for v in violations]
    assert not problems, "\n".join(problems)


def not_white(dark_results) -> list[str]:
    """Images whose corners are not opaque white: unreadable on the dark theme's background."""
    return [f"{name}: {image['src']} corners {image['corners']}"
            for name, (_, _, extra) in dark_results.items() for image in extra["images"]
            if any(corner != WHITE for corner in image["corners"])]


def too_wide(phone_results) -> list[str]:
    """Pages that scroll sideways at phone width, or whose figures stick out of the screen."""
    return [f"{name}: {extra}" for name, (_, _, extra) in phone_results.items()
            if extra["scrollWidth"] > extra["width"] or extra["overflowing"]]


def test_charts_keep_their_white_background_in_dark_mode(dark):
    not_dark = [name for name, (_, _, extra) in dark.items() if extra["theme"] != "dark"]
    assert not not_dark, f"the theme did not switch to dark mode on {not_dark}"
    assert any(extra["images"] for _, _, extra in dark.values()), "no images to check"
    problems = not_white(dark)
    assert not problems, "\n".join(problems)


def missing_icons(results, font_codepoints: set[int]) -> list[str]:
    """Pages that draw an icon the icon font lacks (it would show as an empty box)."""
    return [f"{where}: {[f'U+{c:04X}' for c in extra['icons'] if c not in font_codepoints]}"
            for where, (_, _, extra) in results.items()
            if not set(extra["icons"]) <= font_codepoints]


def test_icons_come_from_the_cut_down_icon_font(all_results, html_dir):
    """fontawesome.js is left out (_templates/layout.html); the stylesheet's font draws the
    icons, cut down by frbook/iconfont.py to those the pages use: none may be missing."""
    font_codepoints = set(TTFont(html_dir / ICON_FONT_FILE).getBestCmap())
    drawn = {c for _, _, extra in all_results.values() for c in extra["icons"]}
    assert drawn, "no page drew an icon with the icon font"
    assert missing_icons(all_results, drawn - {min(drawn)}), "the check cannot fail"
    problems = missing_icons(all_results, font_codepoints)
    problems += [f"{where}: icon font not loaded" for where, (_, _, extra) in all_results.items()
                 if not extra["font_loaded"]]
    assert not problems, "\n".join(problems)
    assert not any("fontawesome.js" in url for record, _, _ in all_results.values()
                   for url in record.requests)


def search_problems(results) -> list[str]:
    """Pages showing other than one search button, or whose book title something covers."""
    return [f"{where}: search buttons {extra['searches']}, title covered by {extra['covered']}"
            for where, (_, _, extra) in results.items()
            if len(extra["searches"]) != 1 or extra["covered"]]


def test_one_search_button_and_an_uncovered_title(all_results):
    problems = search_problems(all_results)
    assert not problems, "\n".join(problems)


def test_phone_width_has_no_sideways_scroll_and_figures_fit(phone):
    problems = too_wide(phone)
    assert not problems, "\n".join(problems)


def test_every_page_is_within_the_weight_budget(all_results, book_url, html_dir):
    """Each page with everything it loads, gzip-compressed, in every mode."""
    weights = {where: page_weight(record, book_url, html_dir)[2]
               for where, (record, _, _) in all_results.items()}
    heavy = {where: f"{gz / 1024:.0f} KB" for where, gz in weights.items()
             if gz > PAGE_BUDGET_KB * 1024}
    assert not heavy, f"pages over {PAGE_BUDGET_KB} KB gzip-compressed: {heavy}"


# The book opened from disk, as from a downloaded copy with no network.

@pytest.fixture(scope="session")
def disk_url(html_dir) -> str:
    return html_dir.resolve().as_uri() + "/"


def test_every_page_works_from_disk(browser, disk_url, pages):
    context = new_context(browser, disk_url)
    problems = []
    for name in pages:
        record = visit(context, disk_url + name, disk_url)
        problems += [f"{name}: {p}" for p in
                     record.console_errors + record.failed_requests + record.foreign_requests]
    context.close()
    assert not problems, "\n".join(problems)


def search_from_disk(browser, disk_url: str, word: str) -> tuple[Visit, list[str]]:
    """Type ``word`` into the search box of the first page and return the result titles."""
    context = new_context(browser, disk_url)
    record, page = visit(context, disk_url + "index.html", disk_url, keep_open=True)
    page.locator(".search-button-field").first.click()
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/search.html?q={word}*")
    page.locator("#search-results p.search-summary").wait_for()
    titles = page.locator("#search-results li a").all_inner_texts()
    context.close()
    return record, titles


def test_search_from_disk_finds_a_company_name(browser, disk_url):
    record, titles = search_from_disk(browser, disk_url, SEARCH_WORD)
    assert titles, f"searching for {SEARCH_WORD!r} from disk found nothing"
    errors = record.console_errors + record.failed_requests
    assert not errors, "\n".join(errors)
    _, none = search_from_disk(browser, disk_url, NO_SUCH_WORD)
    assert none == [], f"a word the book lacks matched: {none}"


# The checks themselves, on a small hand-made page with every fault they look for.

BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="https://cdn.example.org/lib.js"></script></head>
<body><header style="position: fixed; top: 0; left: 0; right: 0; height: 60px; background: #fff">
<button class="search-button-field">Search</button></header>
<nav class="bd-sidebar-primary" style="margin-top: 20px"><p class="logo__title">Title</p>
<button class="search-button__button">Search</button></nav>
<main><h1>Broken</h1><img src="missing.png">
<figure><img src="wide.svg" alt="wide" style="width: 800px"></figure>
<p style="color: #bbb; background: #fff">faint text</p>
<table><tr><th></th><th>Value</th></tr><tr><th>a</th><td>1</td></tr></table>
<script>console.error("boom")</script></main></body></html>"""
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="10">'
            '<rect width="800" height="10" fill="#000"/></svg>')


def test_checks_catch_a_broken_page(browser, tmp_path: Path):
    (tmp_path / "index.html").write_text(BROKEN_PAGE, encoding="utf-8")
    (tmp_path / "wide.svg").write_text(WIDE_SVG, encoding="utf-8")
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: `make test` runs npm ci in tests/browser"
    with serve(tmp_path) as base:
        results = audit(browser, base, ["index.html"])
        dark_results = audit(browser, base, ["index.html"], dark=True)
        phone_results = audit(browser, base, ["index.html"], phone=True)
    record, violations, extra = results["index.html"]
    assert any("boom" in error for error in record.console_errors)
    assert any("missing.png" in failure for failure in record.failed_requests)
    assert any("/favicon.ico?asked-by-browsercheck: HTTP 404" in failure
               for failure in record.failed_requests)
    assert record.foreign_requests == ["https://cdn.example.org/lib.js"]
    assert [image["loaded"] for image in record.images] == [False, True]
    assert {"image-alt", "color-contrast", "empty-table-header"} <= {v["id"] for v in violations}
    assert "minor" in {v["impact"] for v in violations}
    assert search_problems(results) and extra["covered"].startswith("<header")
    assert extra["searches"] == ["search-button-field", "search-button__button"]
    assert [line.split()[1] for line in not_white(dark_results)] == ["missing.png", "wide.svg"]
    assert too_wide(phone_results) and phone_results["index.html"][2]["overflowing"] == ["wide.svg"]
