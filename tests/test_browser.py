"""The freshly built book in a real browser (Debian's Chromium, driven by Playwright).

Every page is visited in light and dark mode, at 1280 px and at phone width (390 px), served
from 127.0.0.1 and, in the last mode, opened from disk (file://) as a downloaded copy with no
network: it loads whole (its icon too), every image with alt text, asks no other host for
anything, logs no console error, passes axe-core with no violation of any impact, shows one
search box that covers nothing (the search page only its own search form), draws its icons
from the cut-down icon font, fits a 390 px screen, shows everything whole (nothing sticks out
of the page or is cut off, code wraps its lines at spaces and never splits a word such as a
BibTeX key, and whatever scrolls sideways on a phone, a wide table, a timeline's chart or a
code line with a longer word, says so in a line above it) and stays within the page-weight
budget. The book's title heads the sidebar whole however far the sidebar scrolls, at 1280 px
and in a phone's navigation drawer, with the search box under it never covered; the page's
contents at the right list every section and scroll to the last. Search works from disk too.
"""

import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browsercheck import (
    AUDITED_NOTES,
    AXE_JS,
    DESKTOP,
    ICON_FONT_FILE,
    MODES,
    PAGE_BUDGET_KB,
    PAGE_TOC_JS,
    QUIET_MS,
    READING_NOTES,
    SHORT_DESKTOP,
    SIDEBAR_JS,
    SIDEBAR_OPENING_JS,
    SIDEBAR_SEARCH_JS,
    SIDEBAR_STOPS,
    Visit,
    audit,
    chromium,
    new_context,
    on_each_page,
    page_contents_after_resize,
    page_weight,
    serve,
    sidebar_titles,
    table_semantics,
    visit,
)
from conftest import background
from frbook.paths import REPO_ROOT
from test_readings import words_only_notes_use

pytestmark = pytest.mark.slow

SEARCH_WORD = "Microsoft"  # a company the book is about: every search must find it
GLOSSARY_WORD = "Rekognition"  # a glossary term, which the search listed twice on the glossary
OVERVIEW_PAGE = "notebooks/overview.html"
OVERVIEW_ENTRY = "Overview"  # the sidebar's name for the overview (as in the PDF's contents)
NO_SUCH_WORD = "zqxjvw"
SEARCHED_NOTES = 2  # reading notes looked for by a word only they use
MIN_FIGURE_ALT_WORDS = 5
MIN_CHART_TEXT_PX = 10  # the smallest words of a chart, as drawn on a 390 px phone
WHITE = [255, 255, 255, 255]
MIN_PHONE_CELL_PX = 50  # a table's narrowest cell on a 390 px phone (wide tables read as cards)
MAX_ROW_START_GAP_PX = 2  # a row's first cell from the table's edge (a card's border: 1 px)
MAX_PHONE_ENTRY_INDENT_PX = 16  # a bibliography entry's indent under its label at 390 px
# The most lines a page's title (the overview's is the book's) and a section's heading take on a
# 390 px phone (in the theme's sizes: seven and four).
MAX_PHONE_HEADING_LINES = {"h1": 4, "h2": 2}
# A heading's size over the next level's, at least: on a phone a section's heading at 1.13 times
# a subsection's (and 100 heavier) read as the same level.
MIN_HEADING_SIZE_STEP = 1.15
# Tables at 390 px (the first header names each): the sources chapter's table of dates, a grid
# at most this tall (as cards it was 5,000 px); every table keeps the text's margins (the
# article's padding, 16 px).
DATES_TABLE = ("notebooks/sources.html", "Topic")
DATES_TABLE_MAX_PX = 2000
TEXT_MARGIN_PX = 15
# At 1280 px a page without contents at the right (a reading note) has a text column at least
# this wide (with the contents' room left empty it was 688 px, as a chapter's).
WIDE_TEXT_COLUMN_PX = 850
# Desktop windows in which the sidebar, as a reader's first page opens, scrolls no further than
# the current page's link needs to show whole, with this much room under it at most (book.js);
# and how far a reader scrolls it on one page, which the next page's sidebar keeps.
SIDEBAR_WINDOWS = [{"width": DESKTOP["width"], "height": height} for height in (800, 900)]
SIDEBAR_LINK_ROOM_PX = 8
SIDEBAR_READER_SCROLL_PX = 60
CITE_PAGE_MAX_PX = 4500  # the citation page's height at 390 px, further styles folded away
# How far the sidebar must scroll at 1280 x 600 for its search box to reach the top (where the
# book's title used to cover it from 60 px on).
MIN_SIDEBAR_SCROLL_PX = 100

@pytest.fixture(scope="session")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def audits(html_dir) -> dict[str, tuple[str, dict]]:
    """Every page in every mode (browsercheck.MODES), audited in the background as soon as the
    book is built (conftest.py), so that other tests run meanwhile."""
    return background("audits").result()


@pytest.fixture(scope="session")
def light(audits):
    return audits["light"][1]


@pytest.fixture(scope="session")
def dark(audits):
    return audits["dark"][1]


@pytest.fixture(scope="session")
def phone(audits):
    return audits["phone"][1]


@pytest.fixture(scope="session")
def all_results(audits) -> dict[str, tuple[Visit, list, dict]]:
    """Every page in every mode, keyed "<mode> <page>"."""
    return {f"{mode} {name}": result for mode, (_, results) in audits.items()
            for name, result in results.items()}


@pytest.fixture(scope="session")
def all_visits(all_results) -> list[tuple[str, Visit]]:
    return [(where, result[0]) for where, result in all_results.items()]


def test_every_toc_page_is_served_with_status_200(light, toc_pages):
    assert set(toc_pages) <= set(light), f"not visited: {set(toc_pages) - set(light)}"
    bad = {name: result[0].status for name, result in light.items() if result[0].status != 200}
    assert not bad, f"pages not served with HTTP 200: {bad}"


def test_reading_notes_are_audited(light, phone, html_dir):
    """The audit reads every reading note at 390 px (for what scrolls sideways, and axe), and
    the notes' index and a sample of notes (browsercheck.AUDITED_NOTES), which must still be
    pages of the book, in the other modes."""
    built = {f"{READING_NOTES}{path.name}" for path in (html_dir / READING_NOTES).glob("*.html")}
    assert len(built) > len(AUDITED_NOTES) + 1, built
    assert built <= set(phone), sorted(built - set(phone))
    notes = [name for name in light if name.startswith(READING_NOTES)]
    assert READING_NOTES + "index.html" in notes and set(AUDITED_NOTES) <= set(notes), notes


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


def image_problems(results) -> list[str]:
    """Images that did not load or lack alt text; a chart's (in a figure) says what it shows,
    in at least MIN_FIGURE_ALT_WORDS words."""
    return [f"{name}: {image['src']} (loaded: {image['loaded']}, alt: {image['alt']!r})"
            for name, (record, _, _) in results.items() for image in record.images
            if not image["loaded"] or len((image["alt"] or "").split())
            < (MIN_FIGURE_ALT_WORDS if image["in_figure"] else 1)]


def test_every_image_loads_and_has_alt_text(light):
    problems = image_problems(light)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_nothing(mode, audits):
    problems = [f"{name}: {v['impact']} {v['id']} ({v['help']}) at {v['targets']}"
                for name, (_, violations, _) in audits[mode][1].items() for v in violations]
    assert not problems, "\n".join(problems)


def not_white(dark_results) -> list[str]:
    """Images whose corners are not opaque white: unreadable on the dark theme's background."""
    return [f"{name}: {image['src']} corners {image['corners']}"
            for name, (_, _, extra) in dark_results.items() for image in extra["images"]
            if any(corner != WHITE for corner in image["corners"])]


def too_wide(phone_results) -> list[str]:
    """Pages that scroll sideways at phone width, whose figures or previous/next links stick
    out of the screen, or whose bibliography labels sit beside their entries."""
    return [f"{name}: {extra}" for name, (_, _, extra) in phone_results.items()
            if extra["scrollWidth"] > extra["width"] or extra["overflowing"] or extra["clipped"]
            or extra["besideLabels"]]


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
    icons, cut down by _ext/iconfont.py to those the pages use: none may be missing."""
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
    """Pages showing other than one search field (a search button, or the search page's own
    form), or whose book title something covers."""
    return [f"{where}: search fields {extra['searches']}, title covered by {extra['covered']}"
            for where, (_, _, extra) in results.items()
            if len(extra["searches"]) != 1 or extra["covered"]]


def test_one_search_field_and_an_uncovered_title(all_results):
    """Each page, at 1280 and 390 px, shows one search field; on the search page it is the
    page's own form, not also the sidebar's or the header's button."""
    problems = search_problems(all_results)
    search_page = {where: extra["searches"] for where, (_, _, extra) in all_results.items()
                   if where.endswith(" search.html")}
    problems += [f"{where}: the search page's own form is not its one search field: {found}"
                 for where, found in search_page.items()
                 if len(found) == 1 and "bd-search" not in found[0].split()]
    assert len(search_page) == len(MODES) and not problems, "\n".join(problems)


def test_the_sidebar_gives_the_book_title_once(light):
    """At 1280 px the sidebar's head is the book's title, linking to the opening page; the
    navigation does not list that page again under the same title."""
    problems = [f"{name}: {extra['titleLinks']} links read as the book's title"
                for name, (_, _, extra) in light.items() if extra["titleLinks"] != 1]
    assert not problems, "\n".join(problems)


def test_the_sidebar_lists_the_overview_first(light):
    """The overview (the book's root page, headed by the book's title) is the first entry of
    the sidebar's first part, as "Overview", marked current on its own page; the book's title
    at the top links to it too (test_the_sidebar_gives_the_book_title_once)."""
    assert OVERVIEW_PAGE in light
    problems = []
    for name, (record, _, extra) in light.items():
        entry = extra["navFirst"]
        shows_overview = name in (OVERVIEW_PAGE, "index.html")  # index.html redirects to it
        overview_url = record.url.removesuffix(name) + OVERVIEW_PAGE
        if not entry or entry["text"] != OVERVIEW_ENTRY or entry["current"] != shows_overview \
                or entry["href"].split("#")[0] != overview_url:
            problems.append(f"{name}: the sidebar's first entry is {entry}")
    assert not problems, "\n".join(problems)


def test_tables_fit_the_text_column_at_desktop_width(light):
    wide = [f"{name}: table starting {table!r}" for name, (_, _, extra) in light.items()
            for table in extra["wideTables"]]
    assert not wide, "tables wider than the text column at 1280 px:\n" + "\n".join(wide)


def test_phone_width_has_no_sideways_scroll_and_figures_fit(phone):
    problems = too_wide(phone)
    assert not problems, "\n".join(problems)


def heading_problems(phone_results) -> list[str]:
    """Pages whose title or a section's heading takes more than MAX_PHONE_HEADING_LINES."""
    return [f"{name}: an {tag} in {extra['headingLines'][tag]} lines"
            for name, (_, _, extra) in phone_results.items()
            for tag, most in MAX_PHONE_HEADING_LINES.items() if extra["headingLines"][tag] > most]


def test_headings_are_sized_for_a_phone(phone):
    """At 390 px the book's title heads the overview in four lines, not seven, and a section's
    heading takes at most two."""
    assert all(extra["headingLines"]["h1"] for _, _, extra in phone.values()), "no h1 measured"
    problems = heading_problems(phone)
    assert not problems, "\n".join(problems)


def table_problems(phone_results) -> list[str]:
    """Tables wider than their box (which then scrolls sideways, or cuts them off), cells that
    cut off their text, and cells narrower than MIN_PHONE_CELL_PX."""
    problems = []
    for name, (_, _, extra) in phone_results.items():
        for table in extra["tables"]:
            if table["wider"]:
                problems.append(f"{name}: wider than the phone's screen: {table['width']:.0f} px "
                                f"in {table['boxWidth']} px: {table}")
            if table["clippedCells"]:
                problems.append(f"{name}: cells cut off their text: {table}")
            if table["narrowestCell"] < MIN_PHONE_CELL_PX:
                problems.append(f"{name}: a cell {table['narrowestCell']:.0f} px wide: {table}")
            if table["startGap"] > MAX_ROW_START_GAP_PX:
                problems.append(f"{name}: rows start {table['startGap']:.0f} px into the table, "
                                f"after an empty column: {table}")
            if table["cards"] and table["hinted"]:
                problems.append(f"{name}: cards under a line saying they scroll sideways: "
                                f"{table}")
    return problems


def test_tables_fit_a_phone_without_scrolling_sideways(phone):
    """At 390 px no table scrolls sideways and no column is a sliver: a table of four or more
    columns of text reads as cards (_ext/screen.py, book.css), each cell on a line of its own
    under its column's header (a word longer than the card, such as a commit's hash, broken),
    with no "Scroll sideways" line above it; the others fit the screen, their text wrapping
    between words, and no row starts after an empty column (a grouped table's first column,
    out of sight, left one)."""
    assert [table for _, _, extra in phone.values() for table in extra["tables"]], (
        "no table on any page: the check saw nothing")
    problems = table_problems(phone)
    assert not problems, "\n".join(problems)


def phone_table(phone_results, page: str, head: str) -> dict:
    """The table on ``page`` whose first header is ``head``, as laid out at phone width."""
    tables = [table for table in phone_results[page][2]["tables"] if table["head"] == head]
    assert len(tables) == 1, f"{page}: {len(tables)} tables headed {head!r}"
    return tables[0]


def test_a_table_of_short_cells_is_a_compact_grid_on_a_phone(phone):
    """The sources chapter's table of dates (a word or two a cell) is a grid at 390 px, grouped
    by its first column, not eighteen cards 5,000 px tall (book.js: where it fits)."""
    table = phone_table(phone, *DATES_TABLE)
    assert not table["cards"] and table["height"] <= DATES_TABLE_MAX_PX, table


def test_bibliography_entries_hang_only_a_little_on_a_phone(phone):
    """At 390 px an entry under its label is indented a little, not by the theme's 4em, so a
    long address breaks into fewer lines."""
    indent = phone["bibliography.html"][2]["entryIndent"]
    assert 0 < indent <= MAX_PHONE_ENTRY_INDENT_PX, f"entries indented {indent:.0f} px"


def margin_problems(phone_results) -> list[str]:
    """Tables that come nearer than TEXT_MARGIN_PX to an edge of a 390 px screen."""
    return [f"{name}: table starting {table['head']!r}, {table['margins']} px from the edges"
            for name, (_, _, extra) in phone_results.items() for table in extra["tables"]
            if min(table["margins"]) < TEXT_MARGIN_PX]


def test_every_table_keeps_the_texts_margins_on_a_phone(phone):
    """At 390 px every table stands inside the text's margins, as the text does: one that does
    not fit them in its type is set tighter (book.js, book.css), never from edge to edge of the
    screen (as the sources chapter's table of kinds of source was)."""
    assert sum(len(extra["tables"]) for _, _, extra in phone.values()) > 1, "no tables measured"
    problems = margin_problems(phone)
    assert not problems, "\n".join(problems)


def heading_order_problems(results) -> list[str]:
    """Pages whose article headings do not step down from h1 to h2 to h3 in size and in weight:
    every heading of a level MIN_HEADING_SIZE_STEP times larger than every one of the next
    level, and heavier."""
    problems = []
    for name, (_, _, extra) in results.items():
        levels = [extra["headings"][tag] for tag in ("h1", "h2", "h3")]
        for upper, lower, tags in zip(levels[:-1], levels[1:], ["h1 > h2", "h2 > h3"],
                                      strict=True):
            if not (upper and lower):
                continue
            largest, heaviest = (max(h[i] for h in lower) for i in (0, 1))
            if min(h[0] for h in upper) < MIN_HEADING_SIZE_STEP * largest:
                problems.append(f"{name}: not {tags} in size: {extra['headings']}")
            if min(h[1] for h in upper) <= heaviest:
                problems.append(f"{name}: not {tags} in weight: {extra['headings']}")
    return problems


@pytest.mark.parametrize("mode", ["light", "phone"])
def test_headings_step_down_in_size_and_weight(mode, audits):
    """At 1280 and 390 px a chapter's title is larger and heavier than its sections' headings,
    and those than their subsections' (the theme set a subsection's heading heavier than the
    section's above it)."""
    results = audits[mode][1]
    assert any(all(extra["headings"].values()) for _, _, extra in results.values()), (
        "no page with headings of three levels: the check saw nothing")
    problems = heading_order_problems(results)
    assert not problems, "\n".join(problems)


def text_column_problems(light_results) -> list[str]:
    """At 1280 px: pages without contents at the right whose text column is narrower than
    WIDE_TEXT_COLUMN_PX; pages with a section whose contents do not show beside the text."""
    problems = []
    for name, (_, _, extra) in light_results.items():
        if extra["textColumn"] is None:  # no article: the search page
            continue
        if not extra["pageContents"] and extra["textColumn"] < WIDE_TEXT_COLUMN_PX:
            problems.append(f"{name}: a text column {extra['textColumn']:.0f} px wide and no "
                            "contents beside it")
        if extra["headings"]["h2"] and name.startswith("notebooks/") \
                and not extra["pageContents"]:
            problems.append(f"{name}: its contents do not show beside the text")
    return problems


def test_a_page_without_contents_at_the_right_takes_their_room(light):
    """At 1280 px a reading note, which has no contents at the right, spreads its text and its
    table of copies over their room too (it left a third of the screen empty, the table's
    columns squeezed); a chapter keeps its contents beside its text."""
    assert any(name.startswith(READING_NOTES) for name in light), "no reading note measured"
    assert any(extra["pageContents"] for _, _, extra in light.values()), "no contents measured"
    problems = text_column_problems(light)
    assert not problems, "\n".join(problems)


def table_semantics_problems(semantics: dict[str, dict]) -> list[str]:
    """Pages whose tables, rows, headers or cells a screen reader does not get as such, or whose
    cells it names by other than their text (a card's label read again, say)."""
    problems = [f"{name}: markup {found['markup']}, accessibility tree {found['tree']}"
                for name, found in semantics.items() if found["markup"] != found["tree"]]
    problems += [f"{name}: cell named {cell!r}" for name, found in semantics.items()
                 for cell in found["misnamed"]]
    return problems


def test_tables_read_as_cards_stay_tables_for_screen_readers(browser, html_dir, toc_pages):
    """On a phone a table laid out as cards is still a table in Chromium's accessibility tree:
    every row, column header and cell, each cell named by its text alone (its label on screen
    is not read out: the headers already name its column)."""
    with serve(html_dir) as base:
        semantics = table_semantics(browser, base, toc_pages)
    assert sum(found["markup"]["cell"] for found in semantics.values()), "no table cells"
    problems = table_semantics_problems(semantics)
    assert not problems, "\n".join(problems)


def test_code_toggles_say_what_they_hold(light):
    """A collapsed code cell's toggle reads as a reader's words ("Show the code for this
    figure", _config.yml), not Jupyter's ("Show code cell source"), and holds what it says."""
    toggles = [(name, toggle) for name, (_, _, extra) in light.items()
               for toggle in extra["toggles"]]
    assert toggles, "no collapsed code cell on any page: the check saw nothing"
    problems = [f"{name}: {toggle}" for name, toggle in toggles
                if "cell" in toggle["text"] or ("figure" in toggle["text"]
                                                and not toggle["figure"])]
    assert not problems, "\n".join(problems)


def test_the_citation_page_opens_on_the_book_citation_and_is_short_on_a_phone(phone):
    """At 390 px the citation page shows the recommended citation (APA) and the BibTeX entry
    first; the chapters' citations (and the data's in further styles) are in closed sections,
    so the page is at most CITE_PAGE_MAX_PX tall (it was 11,000 px)."""
    extra = phone["cite.html"][2]
    shown = [(c["kind"], c["bibtex"]) for c in extra["citations"] if c["shown"]]
    assert shown[:2] == [("book", False), ("book", True)], shown
    assert len(extra["citations"]) > len(shown), "nothing is folded away"
    assert extra["height"] <= CITE_PAGE_MAX_PX, f"{extra['height']} px tall at 390 px"


def layout_problems(results) -> list[str]:
    """What a reader cannot see whole (browsercheck.LAYOUT_JS): elements sticking out of the
    page, boxes that cut off their content, and boxes that scroll sideways without taking
    keyboard focus or that are neither a table, a timeline's chart nor a code block."""
    problems = []
    for where, (_, _, extra) in results.items():
        problems += [f"{where}: sticks out of the page: {el}" for el in extra["offPage"]]
        problems += [f"{where}: cuts off its content: {el}" for el in extra["clipped"]]
        for box in extra["scrollers"]:
            if not box["focusable"]:
                problems.append(f"{where}: scrolls sideways, no keyboard focus: {box['what']}")
            if not (box["table"] or box["timeline"] or box["code"]):
                problems.append(f"{where}: scrolls sideways: {box['what']}")
    return problems


@pytest.mark.parametrize("mode", MODES)
def test_nothing_sticks_out_of_the_page_or_is_cut_off(mode, audits):
    problems = layout_problems(audits[mode][1])
    assert not problems, "\n".join(problems)


def code_problems(results) -> list[str]:
    """Code blocks whose lines run past a block that does not scroll, and words of code (a
    BibTeX key, a name in a program) split over two lines."""
    return ([f"{name}: runs past its block: {block}" for name, (_, _, extra) in results.items()
             for block in extra["cutCode"]] +
            [f"{name}: a word split over two lines in {word}"
             for name, (_, _, extra) in results.items() for word in extra["splitWords"]])


@pytest.mark.parametrize("mode", MODES)
def test_code_lines_show_whole_and_keep_their_words_whole(mode, audits):
    """Code (the data chapter's, the plotting code a reader opens under a chart, the BibTeX
    entries of the citation page) wraps its long lines inside the block at spaces (a BibTeX key
    also after an underscore), at 1280 px and on a phone: a word (a name) longer than the line
    scrolls the block sideways instead of being split, which would read as two."""
    results = audits[mode][1]
    assert sum(extra["code"] for _, _, extra in results.values()), "no code block to check"
    assert results["cite.html"][2]["words"], "no BibTeX entry on the citation page to check"
    problems = code_problems(results)
    assert not problems, "\n".join(problems)


def test_the_citation_pages_bibtex_wraps_on_a_phone(phone):
    """At 390 px every BibTeX entry on the citation page, the chapters' with their long keys
    too, wraps its lines inside its block: none scrolls sideways."""
    scrolling = [box["what"] for box in phone["cite.html"][2]["scrollers"] if box["code"]]
    assert not scrolling, scrolling


def scroll_hint_problems(results) -> list[str]:
    """Boxes that scroll sideways (a table, a timeline, a code block) with no visible line
    above them saying so as their description, and such lines shown where nothing scrolls."""
    problems = []
    for where, (_, _, extra) in results.items():
        boxes = extra["scrollers"]
        problems += [f"{where}: scrolls sideways unannounced: {box['what']}"
                     for box in boxes if not box["hint"]]
        problems += [f"{where}: says it scrolls sideways below, not above: {box['what']}"
                     for box in boxes if box["hint"] and not box["hintAbove"]]
        given = {box["hint"] for box in boxes}
        problems += [f"{where}: a hint with nothing that scrolls: {hint}"
                     for hint in extra["hints"] if hint not in given]
    return problems


@pytest.mark.parametrize("mode", MODES)
def test_what_scrolls_sideways_says_so_above_it(mode, audits):
    """Anything that scrolls sideways (a code block with a word longer than its line) has a
    line above it, "Scroll sideways to see ..." (book.js); no table scrolls sideways (on a
    phone a wide one reads as cards), and no timeline does (each is drawn to fit a phone).
    test_checks_catch_a_broken_page shows the check finding a box without its line."""
    results = audits[mode][1]
    problems = scroll_hint_problems(results)
    assert not problems, "\n".join(problems)
    scrolling = [box for _, _, extra in results.values() for box in extra["scrollers"]]
    assert not [box for box in scrolling if box["table"]], "a table scrolls sideways"
    assert not [box for box in scrolling if box["timeline"]], "a timeline scrolls sideways"


def timeline_problems(phone_results) -> list[str]:
    """Timelines on a phone whose chart scrolls sideways: each is drawn to fit the text column
    (frbook.charts.dated_timeline), so none should (browsercheck.TIMELINES_JS)."""
    return [f"{name}: {timeline}" for name, (_, _, extra) in phone_results.items()
            for timeline in extra["timelines"] if timeline["scrolls"]]


def test_timelines_fit_a_phone_without_scrolling_sideways(phone):
    """A timeline's chart shrinks to the phone's text column, its labels still legible
    (test_charts_are_legible_at_phone_width): nothing of it is off screen."""
    timelines = [timeline for _, _, extra in phone.values() for timeline in extra["timelines"]]
    assert timelines, "no timeline on any page: the check saw nothing"
    problems = timeline_problems(phone)
    assert not problems, "\n".join(problems)


def title_problems(titles: dict[str, dict]) -> list[str]:
    """Pages whose sidebar title, with the sidebar scrolled to its end, is not whole in view."""
    return [f"{name}: sidebar scrolled {title['scrolled']} px; title inside the sidebar: "
            f"{title['inside']}, cut inside its box: {title['cut']}, covered by {title['covers']}"
            for name, title in titles.items()
            if not title["inside"] or title["cut"] or title["covers"]]


@pytest.mark.parametrize("phone", [False, True], ids=["1280px", "390px-drawer"])
def test_sidebar_title_stays_whole_when_the_sidebar_scrolls(phone, browser, html_dir,
                                                           toc_pages):
    with serve(html_dir) as base:
        titles = sidebar_titles(browser, base, toc_pages, phone=phone)
    assert all(title["scrolled"] > 0 for title in titles.values()), (
        f"the sidebar did not scroll, so the check saw nothing: {titles}")
    problems = title_problems(titles)
    assert not problems, "\n".join(problems)


def sidebar_search_problems(views: dict[str, dict]) -> list[str]:
    """Pages whose sidebar search box something covers, as the page opens or with the sidebar
    scrolled to any stop, or where the current chapter's link opens covered or out of view."""
    problems = []
    for name, view in views.items():
        for look in [view["opened"], *view["scrolled"]]:
            if look["coveredBy"]:
                problems.append(f"{name}: sidebar scrolled {look['scrolled']} px: the search box "
                                f"is covered by {look['coveredBy']}")
        opened = view["opened"]
        if opened["currentCoveredBy"] or not opened["currentInView"]:
            problems.append(f"{name}: the current chapter's link {opened['current']!r} opens "
                            f"covered by {opened['currentCoveredBy']} or out of view")
    return problems


def test_sidebar_search_box_is_never_covered(browser, html_dir, toc_pages):
    """At 1280 x 600, however far the sidebar is scrolled (by the theme, to the current
    chapter, or by the reader), the search box is either in view and uncovered or scrolled
    out of view, never under the book's title; the current chapter's link opens in view."""
    with serve(html_dir) as base:
        views = on_each_page(browser, base, toc_pages, SIDEBAR_SEARCH_JS, SIDEBAR_STOPS,
                             viewport=SHORT_DESKTOP)
    short = {name: view["canScroll"] for name, view in views.items()
             if view["canScroll"] < MIN_SIDEBAR_SCROLL_PX}
    assert not short, f"the sidebar scrolls too little for the check to see anything: {short}"
    problems = sidebar_search_problems(views)
    assert not problems, "\n".join(problems)


def sidebar_opening_problems(openings: dict[str, dict]) -> list[str]:
    """Pages whose sidebar opens scrolled further than their link needs (SIDEBAR_OPENING_JS)."""
    return [f"{name}: the sidebar opens scrolled {opening['scrolled']:.0f} px; "
            f"{opening['current']!r} needs {opening['needed']:.0f} px"
            for name, opening in openings.items()
            if opening["scrolled"] > opening["needed"] + SIDEBAR_LINK_ROOM_PX]


@pytest.mark.parametrize("window", SIDEBAR_WINDOWS, ids=lambda window: f"{window['height']}px")
def test_the_sidebar_opens_scrolled_only_as_far_as_its_link_needs(window, browser, html_dir,
                                                                  toc_pages):
    """As a reader's first page opens at 1280 px, the sidebar shows the navigation from its top
    ("The report") where the current page's link fits under it, and otherwise scrolls only so
    far as to show the link at its foot: the theme scrolled the link a quarter of the way down,
    which hid the report's part and its first chapters on every reading note."""
    pages = [*toc_pages, AUDITED_NOTES[0]]
    with serve(html_dir) as base:
        openings = on_each_page(browser, base, pages, SIDEBAR_OPENING_JS, viewport=window,
                                first=True)
    assert any(opening["current"] for opening in openings.values()), "no current link found"
    problems = sidebar_opening_problems(openings)
    assert not problems, "\n".join(problems)


def test_the_sidebar_stays_where_the_reader_left_it(browser, html_dir, toc_pages):
    """A reader who scrolls the sidebar on one page finds it scrolled as far on the next (the
    theme's), not a few pixels less on each page, as moving the search box under the book's
    title made it."""
    first, second = toc_pages[:2]
    with serve(html_dir) as base:
        context = new_context(browser, base)
        page = context.new_page()
        page.set_viewport_size(SHORT_DESKTOP)
        visit(page, base + first, base)
        page.evaluate(f"{SIDEBAR_JS}.scrollTop = {SIDEBAR_READER_SCROLL_PX}")
        visit(page, base + second, base)
        scrolled = page.evaluate(f"{SIDEBAR_JS}.scrollTop")
        context.close()
    assert abs(scrolled - SIDEBAR_READER_SCROLL_PX) <= 1, (
        f"scrolled {SIDEBAR_READER_SCROLL_PX} px on {first}, {scrolled} px on {second}")


def page_toc_problems(tocs: dict[str, dict]) -> list[str]:
    """Pages whose contents box at the right leaves out a section, cuts off entries without
    scrolling to them, or whose last entry cannot be scrolled into view whole and uncovered
    (browsercheck.PAGE_TOC_JS)."""
    problems = []
    for name, toc in tocs.items():
        if toc["missing"]:
            problems.append(f"{name}: sections missing from the page's contents: {toc['missing']}")
        if toc["unlisted"]:
            problems.append(f"{name}: outside every section the contents list: {toc['unlisted']}")
        if toc["last"] and toc["cut"]:
            problems.append(f"{name}: the contents cut off entries and do not scroll")
        if toc["last"] and (not toc["lastInView"] or toc["lastCoveredBy"]):
            problems.append(f"{name}: the contents' last entry {toc['last']!r}, scrolled to, is "
                            f"out of view or covered by {toc['lastCoveredBy']}")
    return problems


@pytest.mark.parametrize("height", [800, 450])
def test_page_contents_list_every_section_and_reach_the_last(height, browser, html_dir,
                                                             toc_pages):
    """At 1280 px the page's contents at the right list every section of the page (its
    subsections too), no glossary, table or figure sits outside every section, and, in a window
    too short for them all, the contents scroll to the last."""
    with serve(html_dir) as base:
        tocs = on_each_page(browser, base, toc_pages,
                            PAGE_TOC_JS, viewport={"width": DESKTOP["width"], "height": height})
    assert sum(len(toc["sections"]) for toc in tocs.values()), "no sections: nothing checked"
    if height < 500:
        assert any(toc["last"] and toc["scrolls"] for toc in tocs.values()), (
            f"no page's contents scroll at {height} px high: the check saw nothing")
    problems = page_toc_problems(tocs)
    assert not problems, "\n".join(problems)


def resized_page_contents_problems(tocs: dict[str, dict | None]) -> list[str]:
    """Pages whose contents box, just after the window changed its height, shows fewer of its
    entries than the window has room for."""
    return [f"{name}: the contents show {toc['shown']} px of {toc['entries']} px, with room for "
            f"{toc['room']} px" for name, toc in tocs.items()
            if toc and toc["shown"] + 1 < min(toc["entries"], toc["room"])]


@pytest.mark.parametrize("height", [800, 450])
def test_page_contents_take_their_height_at_once(height, browser, html_dir, toc_pages):
    """At 1280 px the page's contents box is as tall as its entries (or the window) as soon as
    the window has its size: the theme eased it over 0.4 s after every change of the window's
    height, which cut off its last entries meanwhile (and in a full-page screenshot)."""
    with serve(html_dir) as base:
        tocs = page_contents_after_resize(browser, base, toc_pages, height)
    assert any(tocs.values()), "no page has a contents box: the check saw nothing"
    problems = resized_page_contents_problems(tocs)
    assert not problems, "\n".join(problems)


def small_chart_text(phone_results, root: Path) -> list[str]:
    """Charts (SVG) whose smallest words are drawn under MIN_CHART_TEXT_PX at phone width."""
    problems = []
    for name, (_, _, extra) in phone_results.items():
        for src, drawn_width, figure in extra["charts"]:
            svg = ((root / name).parent / src).read_text(encoding="utf-8")
            box = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg) or re.search(
                r'<svg[^>]* width="([\d.]+)', svg)  # user units, or the width without a viewBox
            box_width = float(box.group(1))
            sizes = [float(size) for size in re.findall(r"font-size: ?([\d.]+)px", svg)]
            smallest = min(sizes, default=MIN_CHART_TEXT_PX) * drawn_width / box_width
            if smallest < MIN_CHART_TEXT_PX:
                problems.append(
                    f"{name}: {src} (figure {figure or 'without a name'}) draws words "
                    f"{smallest:.1f} px high; the least is {MIN_CHART_TEXT_PX} px on a 390 px "
                    "phone: make the chart narrower (figsize width in inches) or its words "
                    "larger")
    return problems


def test_charts_are_legible_at_phone_width(phone, html_dir):
    problems = small_chart_text(phone, html_dir)
    assert not problems, "\n".join(problems)


def test_every_page_is_within_the_weight_budget(audits, html_dir):
    """Each page with everything it loads, gzip-compressed, in every mode."""
    weights = {f"{mode} {name}": page_weight(record, base, html_dir)[2]
               for mode, (base, results) in audits.items()
               for name, (record, _, _) in results.items()}
    heavy = {where: f"{gz / 1024:.0f} KB" for where, gz in weights.items()
             if gz > PAGE_BUDGET_KB * 1024}
    assert not heavy, f"pages over {PAGE_BUDGET_KB} KB gzip-compressed: {heavy}"


# The book opened from disk, as from a downloaded copy with no network.

@pytest.fixture(scope="session")
def disk_url(html_dir) -> str:
    return html_dir.resolve().as_uri() + "/"


@dataclass
class Search:
    """A search from the first page's search box: the pages found (titles), the snippet under
    each, and the errors logged meanwhile, on the first page and the results page."""

    titles: list[str]
    snippets: list[str]
    errors: list[str]


# The search page lists its results, then fetches each page for its snippet.
SNIPPETS_JS = """count =>
  document.querySelectorAll("#search-results li p.context").length >= count"""
SNIPPET_WAIT_MS = 5_000


def search(browser, base: str, word: str) -> Search:
    """Type ``word`` into the search box of the first page (from ``base``) and search."""
    context = new_context(browser, base)
    page = context.new_page()
    logged = []
    page.on("console", lambda msg: msg.type in ("error", "warning") and logged.append(msg.text))
    page.on("pageerror", lambda error: logged.append(f"uncaught: {error}"))
    record = visit(page, base + "index.html", base)
    page.locator(".search-button-field").first.click()
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/search.html?q={word}*")
    page.locator("#search-results p.search-summary").wait_for()
    titles = page.locator("#search-results li > a").all_inner_texts()
    if titles and not base.startswith("file:"):
        with suppress(PlaywrightTimeout):  # the test says what is missing
            page.wait_for_function(SNIPPETS_JS, arg=len(titles), timeout=SNIPPET_WAIT_MS)
    page.wait_for_timeout(QUIET_MS)  # any fetch that fails has failed by now
    snippets = page.locator("#search-results li p.context").all_inner_texts()
    context.close()
    return Search(titles, snippets, record.console_errors + record.failed_requests + logged)


def test_search_from_disk_finds_a_company_and_lists_each_page_once(browser, disk_url):
    """From disk the results are titles only: fetching a page for its snippet fails there."""
    found = search(browser, disk_url, SEARCH_WORD)
    assert found.titles, f"searching for {SEARCH_WORD!r} from disk found nothing"
    assert not found.errors, "\n".join(found.errors)
    assert not found.snippets, found.snippets
    glossary = search(browser, disk_url, GLOSSARY_WORD).titles
    for titles in (found.titles, glossary):  # pages differ in title: a title twice is a page twice
        assert len(titles) == len(set(titles)), f"a page listed twice: {titles}"
    none = search(browser, disk_url, NO_SUCH_WORD).titles
    assert none == [], f"a word the book lacks matched: {none}"


def test_search_results_show_where_each_page_uses_the_word(browser, html_dir):
    """Served (as the published book is), each page found comes with a snippet of its text
    around the word, so a reader can tell which result is the one wanted."""
    with serve(html_dir) as base:
        found = search(browser, base, GLOSSARY_WORD)
    assert found.titles, f"searching for {GLOSSARY_WORD!r} found nothing"
    assert not found.errors, "\n".join(found.errors)
    assert len(found.snippets) == len(found.titles), (found.titles, found.snippets)
    without = [snippet for snippet in found.snippets if GLOSSARY_WORD.lower() not in
               snippet.lower()]
    assert not without, f"snippets without {GLOSSARY_WORD!r}: {without}"


def test_search_finds_words_only_the_reading_notes_use(browser, html_dir, site):
    """A word that only the reading notes use (no chapter or other page does) finds the notes
    that use it (_ext/readings.py puts them in the search index), listed under their titles."""
    others = [name for name in site if not name.startswith(READING_NOTES)]
    words = {key: found for key, found in words_only_notes_use(html_dir, others).items() if found}
    assert len(words) >= SEARCHED_NOTES, f"too few notes with words of their own: {words}"
    problems = []
    with serve(html_dir) as base:
        for key, found in sorted(words.items())[:SEARCHED_NOTES]:
            page = BeautifulSoup((html_dir / READING_NOTES / f"{key}.html").read_text("utf-8"),
                                 "html.parser")
            title = page.title.get_text().split(" \u2014 ")[0]
            result = search(browser, base, found[0])
            if title not in result.titles or result.errors:
                problems.append(f"{found[0]!r} found {result.titles}, not {title!r} "
                                f"({result.errors})")
    assert not problems, "\n".join(problems)


# The checks themselves, on a small hand-made page with every fault they look for.

BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="https://cdn.example.org/lib.js"></script></head>
<body><header style="position: fixed; top: 0; left: 0; right: 0; height: 60px; background: #fff">
<button class="search-button-field">Search</button></header>
<nav class="bd-sidebar-primary" style="margin-top: 20px"><p class="logo__title">Title</p>
<a href="#">Title</a> <a href="#">Title</a>
<button class="search-button__button">Search</button></nav>
<main><h1>Broken</h1><img src="missing.png">
<figure><img src="wide.svg" alt="wide" style="width: 800px"></figure>
<figure><img src="small.svg" alt="a test chart with words far too small for a phone"></figure>
<p style="color: #bbb; background: #fff">faint text</p>
<table><tr><th></th><th>Value</th></tr><tr><th>a</th><td>1</td></tr></table>
<div style="width: 100px; overflow-x: auto"><table><tr><th>wide table</th>
<td style="white-space: nowrap">a cell far wider than its box</td></tr></table></div>
<div class="citation"><span class="label" style="float: left">[Beside, 2020]</span>
<p>An entry squeezed beside its label.</p></div>
<div class="cell"><pre style="width: 100px; overflow-x: auto; white-space: pre">cut = 1234567890
</pre></div>
<pre style="width: 100px; white-space: pre">runs = 1234567890</pre>
<pre style="width: 60px; white-space: pre-wrap; overflow-wrap: anywhere">{averylongkey,</pre>
<div style="width: 100px; overflow-x: auto" tabindex="0" aria-describedby="below"><table><tr>
<td style="white-space: nowrap">another cell far wider than its box</td></tr></table></div>
<p id="below">Scroll sideways to see it all.</p>
<div style="width: 100px"><table><tr><td style="white-space: nowrap">wider than a box that does
not scroll</td></tr></table></div>
<table style="table-layout: fixed; width: 100px"><tr><th>A</th><th>B</th></tr><tr><td>one</td>
<td style="white-space: nowrap">a cell whose text runs out of it</td></tr></table>
<figure id="fig-bad-timeline" style="overflow-x: auto"><img src="timeline.svg"
 alt="a timeline wider than a phone, scrolling with its caption" style="max-width: none">
<figcaption>A caption that scrolls away with the chart.</figcaption></figure>
<p style="width: 60px; overflow: hidden; white-space: nowrap">text cut off here</p>
<p style="width: 200px; margin-left: 1200px">off the page</p>
<p>Scroll sideways to see every column.</p>
<script>console.error("boom")</script></main></body></html>"""
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="10">'
            '<rect width="800" height="10" fill="#000"/></svg>')
TIMELINE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="40">'
                '<rect width="800" height="40" fill="#fff"/><g id="xtick_1">'
                '<text x="360" y="30" style="font-size: 20px">2021</text></g><g id="text_1">'
                '<text x="200" y="30" style="font-size: 20px">a label cut at the edge</text>'
                '</g></svg>')
SMALL_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="15" viewBox="0 0 800 40">'
             '<rect width="800" height="40" fill="#fff"/>'
             '<text x="8" y="30" style="font-size: 8px">tiny</text></svg>')


def test_checks_catch_a_broken_page(browser, tmp_path: Path):
    (tmp_path / "index.html").write_text(BROKEN_PAGE, encoding="utf-8")
    (tmp_path / "wide.svg").write_text(WIDE_SVG, encoding="utf-8")
    (tmp_path / "small.svg").write_text(SMALL_SVG, encoding="utf-8")
    (tmp_path / "timeline.svg").write_text(TIMELINE_SVG, encoding="utf-8")
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
    assert [image["loaded"] for image in record.images] == [False, True, True, True]
    # missing.png has no alt text; the chart in the figure says only "wide"
    assert [line.split()[1] for line in image_problems(results)] == ["missing.png", "wide.svg"]
    assert {"image-alt", "color-contrast", "empty-table-header"} <= {v["id"] for v in violations}
    assert "minor" in {v["impact"] for v in violations}
    assert search_problems(results) and extra["covered"].startswith("<header")
    assert extra["searches"] == ["search-button-field", "search-button__button"]
    assert extra["titleLinks"] == 2
    assert extra["wideTables"] == ["wide table", "another cell far wider than its box",
                                   "wider than a box that does\nnot scroll"]
    assert [line.split()[1] for line in not_white(dark_results)] == ["missing.png", "wide.svg"]
    assert too_wide(phone_results) and phone_results["index.html"][2]["overflowing"] == ["wide.svg"]
    assert phone_results["index.html"][2]["besideLabels"] == ["[Beside, 2020]"]
    assert [line.split()[1] for line in small_chart_text(phone_results, tmp_path)] == ["small.svg"]
    assert extra["offPage"] == ['p "off the page"']
    assert extra["clipped"] == ['p "text cut off here"']
    assert extra["cutCode"] == ['pre "runs = 1234567890"'] and extra["code"] == 1
    assert [line.split(": ", 1)[1] for line in code_problems(results)] == [
        'runs past its block: pre "runs = 1234567890"',
        'a word split over two lines in pre "{averylongkey,": averylongkey']
    assert [line.split(": ", 1)[1] for line in layout_problems(results)] == [
        'sticks out of the page: p "off the page"', 'cuts off its content: p "text cut off here"',
        'scrolls sideways, no keyboard focus: div "wide table\na cell far wider than its box"',
        'scrolls sideways, no keyboard focus: pre "cut = 1234567890"']
    assert [line.split(": ", 1)[1] for line in scroll_hint_problems(results)] == [
        'scrolls sideways unannounced: div "wide table\na cell far wider than its box"',
        'scrolls sideways unannounced: pre "cut = 1234567890"',
        'says it scrolls sideways below, not above: div "another cell far wider than its box"',
        'a hint with nothing that scrolls: p "Scroll sideways to see every column."']
    assert [timeline["id"] for timeline in phone_results["index.html"][2]["timelines"]] == [
        "fig-bad-timeline"]
    assert [line.split(":")[0] for line in timeline_problems(phone_results)] == ["index.html"]
    assert [timeline["cutLabels"] for timeline in phone_results["index.html"][2]["timelines"]] \
        == [["a label cut at the edge"]]
    assert [re.sub(r"\d+ px", "N px", line.split(": ", 1)[1].split(":")[0])
            for line in table_problems(phone_results)] == [
        "a cell N px wide", "wider than the phone's screen", "a cell N px wide",
        "wider than the phone's screen", "wider than the phone's screen",
        "cells cut off their text", "a cell N px wide"]


# A sidebar as the theme builds it, scrolled by its navigation, with the book's stylesheet or
# without it.
SIDEBAR_PAGE = """<!doctype html><html lang="en"><head><title>t</title>{style}</head><body>
<div class="bd-sidebar-primary" style="height: 300px; overflow-y: auto; padding: 1rem">
<div class="sidebar-primary-items__start"><div class="sidebar-primary-item"><nav>
<a class="navbar-brand"><p class="logo__title">A long book title over several lines</p></a>
</nav></div><div style="height: 1000px">The navigation</div></div></div></body></html>"""


def test_sidebar_title_check_catches_a_title_scrolled_away(browser, tmp_path: Path):
    stylesheet = '<link rel="stylesheet" href="book.css">'
    (tmp_path / "book.css").write_bytes((REPO_ROOT / "_static" / "book.css").read_bytes())
    for name, style in (("theme.html", ""), ("book.html", stylesheet)):
        (tmp_path / name).write_text(SIDEBAR_PAGE.format(style=style), encoding="utf-8")
    with serve(tmp_path) as base:
        titles = sidebar_titles(browser, base, ["theme.html", "book.html"])
    assert titles["theme.html"]["scrolled"] > 0 and titles["book.html"]["scrolled"] > 0
    assert [line.split(":")[0] for line in title_problems(titles)] == ["theme.html"]


# A sidebar whose sticky title covers the search box below it as it scrolls, and page contents
# that hide a subsection and cannot scroll to their last entry.
COVERING_PAGE = """<!doctype html><html lang="en"><head><title>t</title></head><body>
<div class="bd-sidebar-primary" style="height: 300px; overflow-y: auto">
<div style="position: sticky; top: 0; height: 100px; background: #fff">A sticky title</div>
<button class="search-button-field">Search</button><nav class="bd-docs-nav"><ul>
<li class="active"><a href="#">This page</a></li></ul><div style="height: 1000px"></div></nav></div>
<main><section id="page"><h1>Page</h1><dl><dt>Term</dt><dd>A term in no section</dd></dl>
<section id="one"><h2>One</h2><section id="two"><h3>Two</h3></section></section>
<section id="three"><h2>Three</h2></section></section></main>
<div class="bd-sidebar-secondary" style="max-height: 40px; overflow: hidden"><nav><ul>
<li><a href="#one">One</a><ul style="display: none"><li><a href="#two">Two</a></li></ul></li>
<li><a href="#three">Three</a></li></ul></nav></div></body></html>"""


def test_sidebar_search_and_page_contents_checks_catch_a_covering_page(browser, tmp_path: Path):
    (tmp_path / "index.html").write_text(COVERING_PAGE, encoding="utf-8")
    with serve(tmp_path) as base:
        views = on_each_page(browser, base, ["index.html"], SIDEBAR_SEARCH_JS, SIDEBAR_STOPS)
        tocs = on_each_page(browser, base, ["index.html"], PAGE_TOC_JS)
    assert views["index.html"]["canScroll"] > max(SIDEBAR_STOPS)
    problems = sidebar_search_problems(views)
    assert problems and all("covered by <div" in line for line in problems), problems
    assert [line.split(": ", 1)[1] for line in page_toc_problems(tocs)] == [
        "sections missing from the page's contents: ['two']",
        """outside every section the contents list: ['dl "TermA term in no section"']""",
        "the contents cut off entries and do not scroll"]


# Tables laid out as blocks: one with roles and a label left out of its cell's name (as the book's
# cards), one with neither; and a contents box that eases its height as the theme's did.
CARDS_PAGE = """<!doctype html><html lang="en"><head><title>t</title><style>
table, tbody, tr, td {{ display: block }}
td::before {{ content: attr(data-label) {alt}; font-weight: bold }}
.bd-sidebar-secondary {{ position: fixed; top: 0; right: 0; width: 200px;
  max-height: 100vh; overflow-y: auto; transition: {transition} }}
</style></head><body><main><h1>Cards</h1>
<table{roles[0]}><thead{roles[1]}><tr{roles[2]}><th{roles[3]}>Study</th><th{roles[3]}>Found</th>
</tr></thead><tbody{roles[1]}><tr{roles[2]}><td{roles[4]} data-label="Study">Gender Shades</td>
<td{roles[4]} data-label="Found">Most errors for darker-skinned women</td></tr></tbody></table>
</main><div class="bd-sidebar-secondary"><nav>{entries}</nav></div></body></html>"""
CARD_ROLES = (' role="table"', ' role="rowgroup"', ' role="row"', ' role="columnheader"',
              ' role="cell"')
TOC_ENTRIES = "".join(f'<p><a href="#e{i}">Entry {i}</a></p>' for i in range(12))


def test_card_and_contents_checks_catch_a_broken_page(browser, tmp_path: Path):
    pages = {"good.html": CARDS_PAGE.format(alt='/ ""', transition="none", roles=CARD_ROLES,
                                            entries=TOC_ENTRIES),
             "bad.html": CARDS_PAGE.format(alt="", transition="max-height 0.4s ease",
                                           roles=[""] * 5, entries=TOC_ENTRIES)}
    for name, markup in pages.items():
        (tmp_path / name).write_text(markup, encoding="utf-8")
    with serve(tmp_path) as base:
        semantics = table_semantics(browser, base, list(pages))
        tocs = page_contents_after_resize(browser, base, list(pages), 800)
    problems = table_semantics_problems(semantics)
    assert problems and all(line.startswith("bad.html") for line in problems), problems
    assert any("StudyGender Shades" in line or "Study Gender Shades" in line
               for line in problems), problems
    assert [line.split(":")[0] for line in resized_page_contents_problems(tocs)] == ["bad.html"]



# book.js's choice of a table's layout on a phone, on a page with the book's stylesheet and
# script: a table of short cells whose first column repeats, grouped; one of cards whose words
# are too long for a grid, cards; a narrow table in its type; one that fits the text's margins
# only in the tighter type, in that; and one too wide for the text's margins in any, in the
# tighter type too (it scrolls).
def table_html(classes: str, header: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f'<td data-label="{label}">{cell}</td>'
                                    for label, cell in zip(header, row, strict=True)) + "</tr>"
                   for row in rows)
    return (f'<div class="pst-scrollable-table-container"><table class="book-table {classes}">'
            f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></div>")


LONG_WORD = "Internationalisation"
TIGHT_CELL = '<span style="display: inline-block; width: 28em">fits tight</span>'
WIDE_CELL = '<span style="display: inline-block; width: 370px">wide</span>'
LAYOUT_PAGE = ("""<!doctype html><html lang="en"><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="book.css"><script src="book.js"></script></head>
<body style="margin: 0"><main><article class="bd-article" style="padding: 0 1rem">"""
               + table_html("cards compact", ["Topic", "Outlet", "Dated", "Read", "Source"],
                            [[topic, "Reuters", "8 June 2020", "Read", "Dastin [2021]"]
                             for topic in ["One topic"] * 3 + ["Another"] * 3])
               + table_html("cards compact", ["A", "B", "C", "D", "E"], [[LONG_WORD] * 5] * 2)
               + table_html("", ["Name", "Value"], [["one", "two"]])
               + table_html("", ["Name"], [[TIGHT_CELL]])
               + table_html("", ["Name"], [[WIDE_CELL]])
               + "</article></main></body></html>")
TABLE_LAYOUTS_JS = """() => [...document.querySelectorAll("table")].map(table => ({
  classes: [...table.classList].filter(name => ["grid", "grouped", "tight"].includes(name)),
  groups: [...table.querySelectorAll("tr.group-head[aria-hidden=true]")].map(
    row => row.textContent)}))"""


def test_tables_take_the_layout_that_fits_a_phone(browser, tmp_path: Path):
    (tmp_path / "index.html").write_text(LAYOUT_PAGE, encoding="utf-8")
    for name in ("book.css", "book.js"):
        (tmp_path / name).write_bytes((REPO_ROOT / "_static" / name).read_bytes())
    layouts = {}
    with serve(tmp_path) as base:
        for phone in (True, False):
            context = new_context(browser, base, phone=phone)
            page = context.new_page()
            visit(page, base + "index.html", base)
            layouts[phone] = page.evaluate(TABLE_LAYOUTS_JS)
            context.close()
    assert layouts[True] == [
        {"classes": ["grid", "grouped"], "groups": ["One topic", "Another"]},
        {"classes": [], "groups": []}, {"classes": [], "groups": []},
        {"classes": ["tight"], "groups": []}, {"classes": ["tight"], "groups": []}], layouts[True]
    assert layouts[False] == [{"classes": [], "groups": []}] * 5, layouts[False]
