"""The whole book as one PDF (jupyter-book's pdflatex builder, xelatex from Debian TeX Live),
built twice in temporary folders: as `make publish` builds it at a public address
(conftest.publish, then the HTML, which links to the PDF and serves it), its citations carrying
the address, and as `make pdf` builds it by default, with no address
(conftest.pdf_without_address). Their page breaks differ, so every check of the PDF reads both.

The PDF is read as a reader gets it, with poppler (pdftotext, pdfimages, pdffonts, pdfinfo),
and its LaTeX source and log where only they can tell (a table's environment, overfull boxes).
The chapters are read from _toc.yml and the notebooks' figure metadata, and the tables from the
HTML, so a new chapter, figure or table is checked without editing this file. TeX Live and
poppler-utils come from `make test` (`make tex`).
"""

import bisect
import collections
import functools
import io
import itertools
import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import matplotlib
import matplotlib.pyplot as plt
import pytest
from docutils import nodes
from pybtex.database import parse_file

from bibstyle import Style, filing_name, read_day, shared_copy_read
from booksource import cited_keys, figures, first_heading, plain, source_of, source_text
from buildconfig import HTML_ONLY_PAGES
from citation import (
    DATA_PAGE,
    EXAMPLE_START,
    apa,
    long_date,
    page_url,
    read_book,
    read_cff,
    read_dataset,
    toc_chapters,
)
from conftest import ADDRESS, REPOSITORY
from frbook.figures import BRACKETED_CITATION
from frbook.paths import REPO_ROOT
from frbook.style import COMPANY_COLOURS, OTHER_COLOUR
from frbook.tables import (
    CODE,
    HEADER,
    LABEL_END,
    LABEL_START,
    MARKED_LABEL,
    MAX_LABEL_LINES,
    PDF_LINE_PT,
    PROSE_LINE_WORDS,
    STARVED_LINE_WORDS,
    TEXT,
    UNBROKEN_CITATION_PT,
    Columns,
    citation_limit,
    citation_lines,
    estimated_width,
    latex_column_spec,
    tie_labels,
)
from htmlcheck import broken_links, parse_site
from paper import (
    LOCK_FILE,
    NUMBER,
    SYNONYM_SEPARATOR,
    KeepLabelsWithNext,
    as_one_word,
    column_shares,
    glossary_footnote,
    is_number_column,
    is_short,
    numbers_right,
    package_names,
    printed_width,
    short_caption,
    start_rows,
    unbroken_pattern,
)
from printed import (
    CHANGELOG_FILE,
    LICENCES,
    OVERVIEW_TITLE,
    PAPER_VARIABLE,
    Source,
    back_of_title_page,
    citing_note,
    file_name_latex,
    paper_size,
    running_title,
    version_history,
)
from rerun import archive_name

pytestmark = [pytest.mark.slow, pytest.mark.pdf]

MAX_PAGES = 500
ENTRY_PREFIX_CHARS = 40  # of a bibliography entry: its author and the start of its title
MAX_OVERFULL_PT = 5.0
OVERFULL_BOX = re.compile(r"^Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\)", re.M)
# Matplotlib's PDF figures keep their text as text, in its DejaVu fonts; the book's own text is
# set in FreeSerif, FreeSans and FreeMono, so a page using a DejaVu font draws a vector chart.
FIGURE_FONT = "DejaVu"
# Links: coloured, but dark enough to print near black in greyscale (Sphinx's default teal
# prints at about 0.34).
MAX_LINK_GREY = 0.3
CONTINUED_TABLE = "continued from previous page"
# The running head lies within this many points of the page's top edge, the running foot within
# FOOT_PT of its bottom edge; the body is what lies between.
HEAD_PT = 50
FOOT_PT = 55
# The page before a figure's page is at least this full, measured down to its last line.
MIN_FILL_BEFORE_FIGURE = 0.8
# A figure's page starts at the top of the text area: its first ink lies at most this far below
# the top of the highest first line of any page (a figure centred alone on its page left 74 pt).
MAX_WHITE_ABOVE_FIGURE_PT = 30
INK_GREY = 200  # of 255: a darker pixel is ink
# An address breaks after one of these, or before a hyphen (which then opens the next line, so
# that it cannot be taken for a hyphen TeX added), never inside its scheme ("https://").
URL_BREAKS_AFTER = "/._?&="
URL_BREAKS_BEFORE = "-"
# Greyscale print: the companies' colours and the grey for others stay this far apart.
MIN_GREY_STEP = 0.15
# Wording that only the HTML can honour.
HTML_ONLY_WORDING = ("this page", "footer", "download button", "is collapsed", "open it to see",
                     "offers it for download", "offers every file for download",
                     "downloads from", "data downloads", "the whole book as one pdf",
                     "the page how to cite")
# The marks Sphinx puts where a literal block's long line is wrapped (visible space, hook).
WRAP_MARKS = ("\u2423", "\u21aa")


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: `make test` installs poppler-utils (see `make tex`)")
    return found


@pytest.fixture(scope="session", params=["address", "no-address"])
def printed(request, publish, pdf_without_address):
    """The PDF at a public address (as published), then the PDF without one."""
    return publish if request.param == "address" else pdf_without_address


@pytest.fixture(scope="session")
def pdf(printed) -> Path:
    if printed.pdf_returncode != 0 or not printed.pdf.is_file():
        pytest.fail("the PDF did not build:\n" + "\n".join(printed.log.splitlines()[-40:]))
    return printed.pdf


def poppler(name: str, *args: str) -> str:
    return subprocess.run([tool(name), *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="session")
def pdf_pages(pdf) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    return poppler("pdftotext", str(pdf), "-").split("\f")


@pytest.fixture(scope="session")
def pdf_raw_text(pdf) -> str:
    """The PDF's text in the order it was typeset: a table cell by cell, row by row."""
    return poppler("pdftotext", "-raw", str(pdf), "-")


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    text: str
    left: float = 0.0
    right: float = 0.0


@dataclass(frozen=True)
class Body:
    """A page's height and the lines between its running head and foot, top to bottom."""

    height: float
    lines: list[Line]


XHTML = "{http://www.w3.org/1999/xhtml}"


def body_lines(bbox_xhtml: str) -> list[Body]:
    """Each page's body lines, from ``pdftotext -bbox-layout``."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", bbox_xhtml))
    pages = []
    for page in root.iter(f"{XHTML}page"):
        height = float(page.get("height"))
        lines = [Line(float(line.get("yMin")), float(line.get("yMax")),
                      " ".join(word.text or "" for word in line.iter(f"{XHTML}word")),
                      float(line.get("xMin")), float(line.get("xMax")))
                 for line in page.iter(f"{XHTML}line")]
        lines = [line for line in lines if line.bottom > HEAD_PT
                 and line.top < height - FOOT_PT and line.text.strip()]
        pages.append(Body(height, sorted(lines, key=lambda line: (line.top, line.bottom))))
    return pages


@pytest.fixture(scope="session")
def pdf_layout(pdf) -> str:
    """Every word of the PDF with its box (``pdftotext -bbox-layout``)."""
    return poppler("pdftotext", "-bbox-layout", str(pdf), "-")


@pytest.fixture(scope="session")
def pdf_body(pdf_layout) -> list[Body]:
    return body_lines(pdf_layout)


def body_text(pdf_body: list[Body]) -> str:
    """The PDF's text without running heads and feet, line by line: an entry or address broken
    across two pages reads as one, its hyphens kept (pdftotext's plain text joins a line ending
    in a hyphen to the next, even to a page number)."""
    return "\n".join(line.text for page in pdf_body for line in page.lines)


def squash(text: str) -> str:
    """Lower-case letters and digits only: immune to line breaks, hyphenation and quotes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", ascii_text.lower())


@pytest.fixture(scope="session")
def chapters(toc_pages) -> dict[str, tuple[str, list[str], set[str]]]:
    """Every page of the table of contents that the PDF prints: title, figure captions and
    cited keys."""
    found = {}
    for page in toc_pages:
        if Path(page).with_suffix("").as_posix() in HTML_ONLY_PAGES:
            continue  # not printed
        markdown = source_text(source_of(page))
        captions = [plain(f["caption"]) for f in figures(source_of(page)) if "caption" in f]
        found[page] = (plain(first_heading(markdown)), captions, cited_keys(markdown))
    return found


def test_pdf_builds(pdf):
    assert pdf.stat().st_size > 0


def test_pdf_has_a_plausible_page_count(pdf, chapters):
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # Each chapter opens a page, so a book takes at least a page a chapter.
    assert len(chapters) <= pages <= MAX_PAGES, f"{pages} pages"


def test_title_page_shows_title_version_and_release_date(pdf_pages):
    book = read_book(REPO_ROOT)
    title_page = squash(pdf_pages[0])
    for expected in (book.title, f"Version {book.version}", long_date(book.released)):
        assert squash(expected) in title_page, f"{expected!r} not on the title page"


def test_pdf_contains_every_chapter_title(pdf_pages, chapters):
    text = squash("".join(pdf_pages))
    missing = [title for title, _, _ in chapters.values() if squash(title) not in text]
    assert not missing, f"chapter titles missing from the PDF: {missing}"


def test_pdf_contains_a_figure_caption_from_each_chapter(pdf, pdf_pages, chapters):
    text = squash("".join(pdf_pages))
    with_figures = {page: captions for page, (_, captions, _) in chapters.items() if captions}
    assert with_figures, "no chapter has a captioned figure"
    missing = [page for page, captions in with_figures.items()
               if not any(squash(c) in text for c in captions)]
    assert not missing, f"no figure caption in the PDF from: {missing}"


def test_pdf_bibliography_has_an_entry_for_each_chapters_citations(pdf_pages, chapters):
    entries = {key: entry for key, (entry, _) in formatted_entries().items()}
    text = squash("".join(pdf_pages))
    cited = {page: keys for page, (_, _, keys) in chapters.items() if keys}
    assert cited, "no chapter cites anything"
    missing = [page for page, keys in cited.items()
               if not any(squash(entries[k])[:ENTRY_PREFIX_CHARS] in text
                          for k in keys if k in entries)]
    assert not missing, f"no bibliography entry in the PDF for the citations of: {missing}"


def test_html_links_to_the_pdf_and_serves_it(publish):
    assert publish.html_returncode == 0, publish.log[-3000:]
    served = publish.html_dir / publish.pdf.name
    assert served.read_bytes() == publish.pdf.read_bytes()
    site = parse_site(publish.html_dir)
    for page in ("cite.html", "notebooks/overview.html", "notebooks/data.html"):
        hrefs = [url for _, url in site[page].urls if url.endswith(publish.pdf.name)]
        assert hrefs, f"{page} does not link to the PDF"
    assert not broken_links(publish.html_dir, site)


def figure_captions(chapters) -> list[str]:
    return [caption for _, captions, _ in chapters.values() for caption in captions]


def caption_pages(pages: list[str], caption: str) -> list[int]:
    """The 1-based numbers of the pages that show ``caption`` (the list of figures included)."""
    return [number for number, text in enumerate(pages, 1) if squash(caption) in squash(text)]


def raster_images(pdf: Path) -> list[str]:
    """pdfimages' line for every raster image in ``pdf`` (masks left out)."""
    lines = poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]
    return [line for line in lines if line.split()[2] == "image"]


def page_fonts(pdf: Path, page: int) -> list[str]:
    """The names of the fonts a page uses, without subset prefixes."""
    lines = poppler("pdffonts", "-f", str(page), "-l", str(page), str(pdf)).splitlines()[2:]
    return [line.split()[0].split("+")[-1] for line in lines]


def test_every_figure_is_vector_with_its_text_as_text(pdf, pdf_pages, chapters):
    captions = figure_captions(chapters)
    assert not raster_images(pdf), "the PDF holds raster images; figures should be vector PDF"
    for caption in captions:
        shown_on = caption_pages(pdf_pages, caption)[-1]  # the figure, after the list of figures
        fonts = page_fonts(pdf, shown_on)
        assert any(font.startswith(FIGURE_FONT) for font in fonts), (
            f"page {shown_on}, with the figure {caption[:40]!r}, draws no chart text: {fonts}")


def test_the_list_of_figures_follows_the_contents_and_gives_short_titles(pdf_pages, chapters):
    contents = next(n for n, text in enumerate(pdf_pages) if squash("Contents") in squash(text))
    listing = next(n for n, text in enumerate(pdf_pages) if "LIST OF FIGURES" in text.upper())
    assert contents < listing < 10, "no list of figures after the contents"
    listed = squash("".join(pdf_pages[listing:listing + 2]))
    captions = figure_captions(chapters)
    missing = [c for c in captions if squash(short_caption(c)) not in listed]
    assert not missing, f"figures missing from the list of figures: {missing}"
    whole = [c for c in captions if squash(c) != squash(short_caption(c)) and squash(c) in listed]
    assert not whole, f"the list of figures gives whole captions: {whole}"


class TableParser(HTMLParser):
    """Every <table> of a page as rows of cell texts, header row first; with ``code_marks``,
    code in backticks (as frbook.tables reads a cell); with ``label_marks``, each citation's
    label (a link to the bibliography) between LABEL_START and LABEL_END."""

    def __init__(self, code_marks: bool = False, label_marks: bool = False) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.code_marks, self.label_marks = code_marks, label_marks
        self.in_label = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("th", "td") and self.tables:
            self.cell = []
        elif tag == "code" and self.code_marks and self.cell is not None:
            self.cell.append("`")
        elif (tag == "a" and self.label_marks and self.cell is not None
              and BIBLIOGRAPHY_LINK in (dict(attrs).get("href") or "")):
            self.cell.append(LABEL_START)
            self.in_label = True

    def handle_endtag(self, tag) -> None:
        if tag in ("th", "td") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "code" and self.code_marks and self.cell is not None:
            self.cell.append("`")
        elif tag == "a" and self.in_label and self.cell is not None:
            self.cell.append(LABEL_END)
            self.in_label = False

    def handle_data(self, data) -> None:
        if self.cell is not None:
            self.cell.append(data)


BIBLIOGRAPHY_LINK = "bibliography.html#"


def html_tables(html_dir: Path, pages: list[str], code_marks: bool = False,
                label_marks: bool = False) -> list[list[list[str]]]:
    """The tables of the book's pages in reading order (see :class:`TableParser`)."""
    found = []
    for page in pages:
        parser = TableParser(code_marks, label_marks)
        parser.feed((html_dir / page).read_text(encoding="utf-8"))
        found += parser.tables
    return found


def printed_tables(html_dir: Path, pages: list[str]) -> list[list[list[str]]]:
    """The tables with their cells as the PDF prints them, code in backticks: a citation's label
    unbreakable but where one of its lines ends (as the table affords), dates and short tokens
    as one word (as _ext/paper.py sizes the columns)."""
    unbroken = unbroken_pattern(REPO_ROOT)

    def prepare(text: str) -> str:
        return as_one_word(text, unbroken)

    found = []
    for table in html_tables(html_dir, pages, code_marks=True, label_marks=True):
        limit, most = citation_limit([list(column) for column in zip(*table, strict=True)],
                                     printed_width, prepare)
        found.append([[prepare(tie_labels(cell, printed_width, limit, most)) for cell in row]
                      for row in table])
    return found


LATEX_TABLE = re.compile(r"\\begin\{(longtable|tabulary|tabular)\}(.*?)\\end\{\1\}", re.S)
NEXT_HEADING = re.compile(r"^\\(?:chapter|section|subsection|part)\b|\\end\{document\}", re.M)


def ends_its_section(tex: str, end: int) -> bool:
    """Whether no paragraph follows, in the LaTeX source, a table that ends at ``end`` before
    the next heading."""
    following = NEXT_HEADING.search(tex, end)
    return "\\sphinxAtStartPar" not in tex[end:following.start() if following else len(tex)]


def latex_tables(tex: str) -> list[tuple[str, str, list[str]]]:
    """Every table of the LaTeX source: its environment, its arguments (the column
    specification) and the text of its header cells (the first header, between the top and
    the middle rule)."""
    found = []
    for environment, body in LATEX_TABLE.findall(tex):
        spec = body.split("\n", 1)[0]  # what follows \begin{...} on its line
        header = body.split("\\sphinxtoprule", 1)[-1].split("\\sphinxmidrule", 1)[0]
        cells = [squash(re.sub(r"\\[a-zA-Z]+", "", cell)) for cell in header.split("&")]
        found.append((environment, spec, cells))
    return found


VERBATIM_OUTPUT = re.compile(
    r"\\begin\{sphinxVerbatimOutput\}((?:(?!\\end\{sphinxVerbatimOutput\}).)*?"
    r"\\begin\{sphinxVerbatim\}.*?)\\end\{sphinxVerbatimOutput\}", re.S)


def monospaced_outputs(tex: str) -> list[str]:
    """Notebook outputs set as monospaced text (plain-text dumps) in the LaTeX source."""
    return VERBATIM_OUTPUT.findall(tex)


def test_every_html_table_is_a_typeset_table_with_the_same_columns(publish, printed,
                                                                   toc_pages):
    html = html_tables(publish.html_dir, toc_pages)
    latex = latex_tables(printed.tex)
    assert html, "the book's HTML has no tables"
    assert [[squash(cell) for cell in table[0]] for table in html] == [
        cells for _, _, cells in latex], "the PDF's tables differ from the HTML's (headers)"
    ends = [ends_its_section(printed.tex, found.end()) for found in LATEX_TABLE.finditer(
        printed.tex)]
    for (environment, spec, cells), table, last in zip(latex, html, ends, strict=True):
        # A short table is a tabulary, which stays on one page, unless it ends its section (and
        # has two rows for each page); a long one breaks across pages.
        short = is_short(table, column_shares(spec)) and not (
            last and len(table) - 1 >= 2 * MIN_FIRST_PAGE_ROWS)
        expected = "tabulary" if short else "longtable"
        assert environment == expected, f"{cells}: a {environment}, not a {expected}"
        assert "RaggedRight" in spec, f"{cells}: columns not ragged-right: {spec}"
    assert "\\PassOptionsToPackage{booktabs}{sphinx}" in printed.tex  # rules, no grey rows
    assert "{colorrows}" not in printed.tex
    assert not monospaced_outputs(printed.tex), "notebook outputs set as monospaced text"


def test_every_html_table_row_is_typeset_in_the_pdf_in_order(publish, pdf_raw_text, toc_pages):
    typeset = squash(pdf_raw_text)
    missing = [row for table in html_tables(publish.html_dir, toc_pages) for row in table
               if squash("".join(row)) not in typeset]
    assert not missing, f"table rows not typeset in the PDF, cell after cell: {missing[:3]}"


def test_a_table_that_breaks_across_pages_repeats_its_header(publish, printed, pdf_pages,
                                                             toc_pages):
    """A long table repeats its header on every page it continues on (longtable's \\endhead),
    under "Table 1.3 – continued from previous page". The book's long tables now start where
    they fit whole, so a PDF may have none that breaks; each that does is checked."""
    headers = [[squash(cell) for cell in table[0]] for table in
               html_tables(publish.html_dir, toc_pages)]
    long_tables = [body for environment, body in LATEX_TABLE.findall(printed.tex)
                   if environment == "longtable"]
    assert long_tables, "no long table"
    heads = [body.split(r"\endfirsthead", 1)[-1].split(r"\endhead", 1)[0] for body in long_tables]
    assert all(CONTINUED_TABLE in head and r"\sphinxstyletheadfamily" in head for head in heads), (
        "a long table repeats no header on the pages it continues on")
    # "(continued from previous page)", in brackets, is a literal block's
    continued = [text for text in pdf_pages if re.search(r"(?<!\()" + CONTINUED_TABLE, text)]
    captioned = set(re.findall(r"Table (\d+\.\d+):", "".join(pdf_pages)))
    for text in continued:
        named = re.findall(r"Table\s+([\d.]+)\s*\W\s*" + CONTINUED_TABLE, text)
        assert named and set(named) <= captioned, (
            f"a continued table names no table number that a caption shows: {named}")
        assert any(all(cell in squash(text) for cell in header) for header in headers), (
            f"a continued table without its header: {text[:200]!r}")


def test_front_matter_has_the_citation_licence_and_edition(pdf_pages):
    book = read_book(REPO_ROOT)
    front = squash("".join(pdf_pages[:2]))  # the title page and its back
    for expected in (apa(book).text, "Licence", "CC BY 4.0", "About this edition",
                     f"printed edition of version {book.version}"):
        assert squash(expected) in front, f"{expected!r} not on the front matter"


def test_pages_are_a4_with_headers_on_one_line(pdf, printed):
    info = poppler("pdfinfo", str(pdf))
    assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
    assert "headheight is too small" not in printed.latex_log
    assert f"\\gdef\\csname @title\\endcsname{{{running_title(read_book(REPO_ROOT))}}}" \
        in printed.tex


def overfull_boxes(log: str) -> list[float]:
    """How far (pt) each overfull box in a LaTeX log sticks out."""
    return [float(points) for points in OVERFULL_BOX.findall(log)]


def test_no_overfull_box_wider_than_five_points(printed, pdf):
    boxes = overfull_boxes(printed.latex_log)
    worst = max(boxes, default=0.0)
    assert worst <= MAX_OVERFULL_PT, (
        f"{len(boxes)} overfull boxes in the LaTeX log, the worst {worst} pt")


def link_colours(tex: str) -> dict[str, tuple[int, int, int]]:
    return {name: tuple(int(v) for v in rgb.split(","))
            for name, rgb in re.findall(r"(\w+LinkColor)=\{RGB\}\{([\d,]+)\}", tex)}


def grey_level(rgb: tuple[int, int, int]) -> float:
    """The grey (0 black, 1 white) a greyscale print or copy makes of a colour (Rec. 601 luma)."""
    r, g, b = (value / 255 for value in rgb)
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_links_are_coloured_but_print_dark(printed, pdf):
    colours = link_colours(printed.tex)
    assert {"InnerLinkColor", "OuterLinkColor"} <= colours.keys()
    for name, rgb in colours.items():
        assert max(rgb) > min(rgb), f"{name} {rgb} is grey, not a colour"
        assert grey_level(rgb) <= MAX_LINK_GREY, f"{name} {rgb} prints too light"


@functools.cache
def formatted_entries() -> dict[str, tuple[str, object]]:
    """Each reference's bibliography text as the book's style writes it, and its fields."""
    entries = parse_file(REPO_ROOT / "references.bib").entries
    return {e.key: (e.text.render_as("text"), entries[e.key].fields)
            for e in Style().format_entries(entries.values())}


def test_bibliography_entries_carry_their_addresses(pdf_body):
    text = squash(body_text(pdf_body))
    listed = {key: fields for key, (entry, fields) in formatted_entries().items()
              if squash(entry)[:ENTRY_PREFIX_CHARS] in text}  # the cited ones
    assert listed, "no bibliography entry found in the PDF"
    missing = [key for key, fields in listed.items()
               if "url" in fields and squash(fields["url"]) not in text]
    assert not missing, f"bibliography entries without their URL in the PDF: {missing}"


def test_html_loads_no_mathjax_and_ships_no_pdf_figures(publish):
    assert publish.html_returncode == 0, publish.log[-3000:]
    pages = sorted(publish.html_dir.rglob("*.html"))
    with_mathjax = [p.name for p in pages if "mathjax" in p.read_text(encoding="utf-8").lower()]
    assert not with_mathjax, f"pages that load MathJax: {with_mathjax}"
    pdfs = [p.name for p in publish.html_dir.rglob("*.pdf") if p.name != publish.pdf.name]
    assert not pdfs, f"PDF figure outputs in the HTML: {pdfs}"
    assert list((publish.html_dir / "_images").glob("*.svg")), "the HTML lost its SVG figures"


# What a reader of the printed pages sees: no code, no blank page, no half-empty page before a
# figure, no heading at the foot of a page, captioned tables, one bibliography, addresses that
# break cleanly, dark literal blocks, colours that stay apart in grey.

def running_head() -> str:
    book = read_book(REPO_ROOT)
    return f"{running_title(book)}, Version {book.version}"


def opens_chapter(page_text: str) -> bool:
    """A page that opens a chapter (numbered or not) or a part carries no running head."""
    return running_head() not in " ".join(page_text.split())


def code_lines(toc_pages: list[str]) -> list[str]:
    """The first line of every code cell of the book's notebooks that is long enough to tell."""
    found = []
    for page in toc_pages:
        path = source_of(page)
        if path.suffix != ".ipynb":
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            first = "".join(cell["source"]).strip().split("\n")[0]
            if cell["cell_type"] == "code" and len(squash(first)) >= 20:
                found.append(first)
    return found


def test_no_code_is_printed(printed, pdf_pages, toc_pages):
    body = printed.tex.split(r"\begin{document}", 1)[1]
    assert "sphinxVerbatimInput" not in body and "cell_input" not in body
    text = squash("".join(pdf_pages))
    printed = [line for line in code_lines(toc_pages) if squash(line) in text]
    assert not printed, f"code printed in the PDF: {printed}"


def test_the_pdf_has_no_html_only_wording(pdf_pages):
    text = " ".join(" ".join(page.split()) for page in pdf_pages)
    found = [words for words in HTML_ONLY_WORDING if words in text.lower()]
    assert not found, f"wording that only the HTML can honour: {found}"
    assert squash("version and release date given on the title page") in squash(text)


def test_no_page_is_blank(pdf_body):
    blank = [number for number, page in enumerate(pdf_body, 1) if not page.lines]
    assert not blank, f"blank pages (nothing between running head and foot): {blank}"


def test_the_page_before_a_figure_is_not_left_half_empty(printed, pdf_pages, pdf_body,
                                                          chapters):
    """Unless the figure's section ends there: the figure may not pass the next heading."""
    bottom = max(line.bottom for page in pdf_body for line in page.lines)
    held = pages_before_held_floats(float_places(printed.tex, pdf_body))
    for caption in figure_captions(chapters):
        shown_on = caption_pages(pdf_pages, caption)[-1]  # 1-based
        if opens_chapter(pdf_pages[shown_on - 1]) or shown_on - 2 in held:
            continue  # the page before ends the previous chapter, or the figure's section
        before = pdf_body[shown_on - 2].lines
        fill = (before[-1].bottom - HEAD_PT) / (bottom - HEAD_PT)
        assert fill >= MIN_FILL_BEFORE_FIGURE, (
            f"page {shown_on - 1}, before the figure {caption[:40]!r}, is {fill:.0%} full")


def ink_rows(pdf: Path, page: int) -> list[int]:
    """The rows of page ``page`` (1-based) that hold ink, in points from its top edge."""
    pgm = subprocess.run([tool("pdftoppm"), "-f", str(page), "-l", str(page), "-r", "72",
                          "-gray", str(pdf)], capture_output=True, check=True).stdout
    _magic, size, _maxval, pixels = pgm.split(b"\n", 3)
    width, height = map(int, size.split())
    return [row for row in range(height)
            if min(pixels[row * width:(row + 1) * width]) < INK_GREY]


def test_figures_start_at_the_top_of_their_page(pdf, pdf_pages, pdf_body, chapters):
    """A figure too tall to share a page with text stands at the top of a page of its own, not
    centred under a white band (LaTeX's default for a page of floats)."""
    text_top = min(page.lines[0].top for page in pdf_body if page.lines)
    for caption in figure_captions(chapters):
        shown_on = caption_pages(pdf_pages, caption)[-1]  # 1-based
        if opens_chapter(pdf_pages[shown_on - 1]):
            continue  # the chapter's title comes first
        first_ink = next(row for row in ink_rows(pdf, shown_on) if row > HEAD_PT)
        assert first_ink - text_top <= MAX_WHITE_ABOVE_FIGURE_PT, (
            f"page {shown_on}, with the figure {caption[:40]!r}, is white for "
            f"{first_ink - text_top:.0f} pt below the top of the text")


def tex_text(tex: str) -> str:
    """A title of the LaTeX source as it prints (enough for squash to compare)."""
    return re.sub(r"\\[a-zA-Z]+\*?", "", tex.replace(r"\sphinxhyphen{}", "-"))


HEADINGS = (r"^\\(?:chapter|section|subsection|subsubsection)\*?\{(.*)\}$",
            r"\\sphinxAtStartPar\n\\sphinxstylestrong\{([^\n]*)\}\n\n",
            r"\\item\[\] \\sphinxstylestrong\{\\(?:Large|large)\s*([^\n]*)\}\n",
            r"\\sphinxAtStartPar\n\{\\hyperref\[[^\]]*\]\{\\sphinxcrossref\{([^\n]*)\}\}\}\n\n")


def headings(tex: str) -> set[str]:
    """Headings, and labels that head what follows them: the titles of chapters and sections,
    paragraphs that are only bold text or only a link, the overview's headings (squashed)."""
    body = tex.split(r"\begin{document}", 1)[1]
    return {squash(tex_text(title)) for pattern in HEADINGS
            for title in re.findall(pattern, body, re.M)} - {""}


def test_no_page_ends_with_a_heading(printed, pdf_body):
    heads = headings(printed.tex)
    stranded = []
    for number, page in enumerate(pdf_body, 1):
        if not page.lines or any(". . . ." in line.text for line in page.lines):
            continue  # the contents and the list of figures
        last = squash(page.lines[-1].text)
        if any(last.endswith(head) and len(last) - len(head) <= 4 for head in heads):
            stranded.append((number, page.lines[-1].text))
    assert not stranded, f"pages ending with a heading: {stranded}"


def test_every_table_is_captioned_in_the_pdf_only(publish, printed, pdf_pages, toc_pages):
    tables = re.findall(r"\\begin\{savenotes\}.*?\\sphinxtoprule", printed.tex, re.S)
    assert tables and all(re.search(r"\\(?:sphinx)?caption\{", head) for head in tables), (
        "an uncaptioned table")
    captions = re.findall(r"Table (\d+\.\d+): ", "".join(pdf_pages))
    assert len(set(captions)) == len(html_tables(publish.html_dir, toc_pages)), captions
    html = [page for page in toc_pages
            if "<caption" in (publish.html_dir / page).read_text(encoding="utf-8")]
    assert not html, f"HTML tables with captions (the HTML shows none): {html}"


def test_the_bibliography_is_one_chapter_with_its_entries(printed, pdf_pages):
    assert printed.tex.count(r"\begin{sphinxthebibliography}") == 1
    holding = [chapter.split("}", 1)[0] for chapter in printed.tex.split(r"\chapter{")
               if r"\begin{sphinxthebibliography}" in chapter]
    assert holding == [first_heading((REPO_ROOT / "bibliography.md").read_text())]
    opening = [page for page in pdf_pages if re.search(r"^BIBLIOGRAPHY$", page, re.M)]
    assert len(opening) == 1, f"{len(opening)} pages open a bibliography"
    first_entry = next(iter(formatted_entries().values()))[0]
    cited_first = [entry for entry, _ in formatted_entries().values()
                   if squash(entry)[:ENTRY_PREFIX_CHARS] in squash("".join(pdf_pages))][0]
    assert squash(cited_first)[:ENTRY_PREFIX_CHARS] in squash(opening[0]), (
        f"the bibliography's opening page has no entry (first: {first_entry[:40]!r})")


def tex_addresses(tex: str) -> list[str]:
    """The addresses the LaTeX source typesets with \\url or \\sphinxurl, or as a link whose
    text is the address, its start in a box (paper.address_latex), unescaped."""
    found = re.findall(r"\\(?:sphinx)?url\{([^{}]*)\}|\\sphinxhref\{([^{}]*)\}\{\\mbox\{", tex)
    return [re.sub(r"\\([%#&_{}~$])", r"\1", url or boxed) for url, boxed in found]


def address_breaks(text: str, address: str) -> list[int] | None:
    """Where line breaks fall in ``address`` as ``text`` prints it (the number of characters
    before each break); None when it is not in the text."""
    pattern = "\n?".join(re.escape(char) for char in address)
    found = re.search(pattern, text)
    if not found:
        return None
    breaks, position = [], 0
    for char in found.group(0):
        if char == "\n":
            breaks.append(position)
        else:
            position += 1
    return breaks


def bad_breaks(address: str, breaks: list[int]) -> list[str]:
    """The breaks that split the scheme or follow it or its "www." (a line ending "https://"
    reads as an address cut short), that neither follow a separator nor come before a hyphen
    (a break after a hyphen reads as a hyphenated word), or that come before a hyphen and a
    digit (a date: "…-may" / "-5-2021")."""
    start = len(address.split("//", 1)[0]) + 2 if "//" in address else 0
    if address[start:].startswith("www."):
        start += len("www.")
    return [f"{address[:at]}|{address[at:]}" for at in breaks
            if at <= start or re.match(r"-\d", address[at:])
            or (address[at - 1] not in URL_BREAKS_AFTER and address[at] not in URL_BREAKS_BEFORE)]


def test_addresses_break_only_after_separators(printed, pdf_body):
    text = body_text(pdf_body)
    addresses = tex_addresses(printed.tex)
    assert addresses, "no addresses in the LaTeX source"
    missing, bad = [], []
    for address in addresses:
        breaks = address_breaks(text, address)
        if breaks is None:
            missing.append(address)
        else:
            bad += bad_breaks(address, breaks)
    assert not missing, f"addresses not found in the PDF: {missing[:5]}"
    assert not bad, f"addresses broken inside a word or their scheme: {bad[:10]}"


def test_literal_blocks_print_dark_without_wrap_marks(printed, pdf_pages):
    style = (printed.pdf.parent / "sphinxhighlight.sty").read_text(encoding="utf-8")
    colours = [tuple(round(float(v) * 255) for v in rgb) for rgb in
               re.findall(r"\\textcolor\[rgb\]\{([\d.]+),([\d.]+),([\d.]+)\}", style)]
    light = [rgb for rgb in colours if grey_level(rgb) > MAX_LINK_GREY]
    assert not light, f"code colours that print light: {light}"
    text = "".join(pdf_pages)
    assert "@book{" in text, "no BibTeX in the PDF"
    marks = [mark for mark in WRAP_MARKS if mark in text]
    assert not marks, f"wrapped literal lines carry marks: {marks}"


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))


def test_company_colours_stay_apart_in_greyscale():
    greys = {name: grey_level(hex_rgb(colour))
             for name, colour in {**COMPANY_COLOURS, "others": OTHER_COLOUR}.items()}
    close = [(a, b, round(abs(greys[a] - greys[b]), 3))
             for a, b in itertools.combinations(greys, 2)
             if abs(greys[a] - greys[b]) < MIN_GREY_STEP]
    assert not close, f"colours that print as nearly the same grey: {close}"


# The helpers, on small inputs.

def test_squash_ignores_line_breaks_hyphenation_and_quotes():
    typeset = "Microsoft’s “general-\npurpose” Café"
    assert squash(typeset) == squash("Microsoft's general-purpose Cafe")
    assert squash("Three announcements") != squash("Three announcement")


def test_first_heading_and_plain_text():
    assert first_heading("(label)=\n# The *data* chapter\n\n## Sub") == "The *data* chapter"
    assert plain("See {ref}`the data <chapter-data>` and [x](y.md), *z*") == "See the data and x, z"
    with pytest.raises(ValueError):
        first_heading("## Only a section")


def test_overfull_boxes_are_read_from_the_log():
    log = ("Overfull \\hbox (2.35529pt too wide) in paragraph at lines 749--752\n"
           "Underfull \\hbox (badness 10000) in paragraph\n"
           "Overfull \\vbox (206.11995pt too high) has occurred while \\output is active []\n")
    assert overfull_boxes(log) == [2.35529, 206.11995]
    assert overfull_boxes("Output written on book.pdf (77 pages).") == []


def test_latex_tables_and_monospaced_outputs_are_found():
    tex = ("\\begin{longtable}{>{\\RaggedRight}\\X{5}{10}>{\\RaggedRight}\\X{5}{10}}\n"
           "\\sphinxtoprule\n\\sphinxstyletheadfamily \\sphinxAtStartPar\nKind of source\n&"
           "\\sphinxstyletheadfamily \\sphinxAtStartPar\nRead\n\\\\\n\\sphinxmidrule\n"
           "rows\n\\end{longtable}\n\\begin{tabulary}{\\linewidth}[t]{TT}\n\\sphinxtoprule\n"
           "A&B\\\\\n\\sphinxmidrule\n\\end{tabulary}\n")
    assert latex_tables(tex) == [
        ("longtable", r"{>{\RaggedRight}\X{5}{10}>{\RaggedRight}\X{5}{10}}",
         ["kindofsource", "read"]),
        ("tabulary", r"{\linewidth}[t]{TT}", ["a", "b"])]
    dump = ("\\begin{sphinxVerbatimOutput}\n\\begin{sphinxuseclass}{cell_output}\n"
            "\\begin{sphinxVerbatim}[commandchars=\\\\\\{\\}]\n   kind  read\n0  news  47\n"
            "\\end{sphinxVerbatim}\n\\end{sphinxuseclass}\\end{sphinxVerbatimOutput}\n")
    typeset = "\\begin{sphinxVerbatimOutput}\n\\begin{savenotes}x\\end{sphinxVerbatimOutput}\n"
    assert len(monospaced_outputs(typeset + dump + typeset)) == 1
    assert monospaced_outputs(typeset) == []


def test_html_tables_are_read_cell_by_cell():
    parser = TableParser()
    parser.feed("<p>x</p><table><thead><tr><th>Kind <em>of</em> source</th><th>Read</th></tr>"
                "</thead><tbody><tr><td>news\n report</td><td>47</td></tr></tbody></table>")
    assert parser.tables == [[["Kind of source", "Read"], ["news report", "47"]]]


def test_raster_and_vector_figures_are_told_apart(tmp_path):
    """The figure checks can fail: a chart saved as an image has no text and is a raster."""
    with matplotlib.rc_context({"pdf.fonttype": 3}):
        vector = plt.figure(figsize=(2, 1))
        vector.text(0.1, 0.5, "IBM")
        vector.savefig(tmp_path / "vector.pdf", metadata={"CreationDate": None})
        png = io.BytesIO()
        vector.savefig(png, format="png", dpi=50)
        png.seek(0)
        raster = plt.figure(figsize=(2, 1))
        raster.figimage(plt.imread(png))
        raster.text(0, 0, "")
        raster.savefig(tmp_path / "raster.pdf")
        plt.close("all")
    assert not raster_images(tmp_path / "vector.pdf")
    assert any(f.startswith(FIGURE_FONT) for f in page_fonts(tmp_path / "vector.pdf", 1))
    assert len(raster_images(tmp_path / "raster.pdf")) == 1
    assert not page_fonts(tmp_path / "raster.pdf", 1)


def test_ink_rows_are_where_a_page_is_drawn(tmp_path):
    page = plt.figure(figsize=(1, 1))  # 72 pt square: a bar from 18 pt to 36 pt from the top
    page.patches.append(matplotlib.patches.Rectangle((0.2, 0.5), 0.6, 0.25, color="black",
                                                     transform=page.transFigure))
    page.savefig(tmp_path / "bar.pdf", metadata={"CreationDate": None})
    plt.close(page)
    rows = ink_rows(tmp_path / "bar.pdf", 1)
    assert abs(rows[0] - 18) <= 1 and abs(rows[-1] - 36) <= 1, rows


def test_grey_level_tells_dark_blue_from_sphinx_teal_and_light_blue():
    assert grey_level((0, 51, 128)) <= MAX_LINK_GREY < grey_level((53, 95, 124))
    assert MAX_LINK_GREY < grey_level((0, 128, 255))
    assert link_colours(r"\sphinxsetup{InnerLinkColor={RGB}{0,51,128}, x=1}") == {
        "InnerLinkColor": (0, 51, 128)}


def test_paper_is_a4_unless_letter_is_asked_for():
    assert paper_size({}) == "a4paper"
    assert paper_size({PAPER_VARIABLE: "Letter"}) == "letterpaper"
    with pytest.raises(ValueError, match="a4, letter"):
        paper_size({PAPER_VARIABLE: "a5"})


def test_back_of_title_page_links_the_address_only_when_there_is_one():
    book, dataset, cff = read_book(REPO_ROOT), read_dataset(REPO_ROOT), read_cff(REPO_ROOT)
    offline = back_of_title_page(book, dataset, cff)
    assert "Address" not in offline and r"\url{https://example" not in offline
    assert "names no web address" in offline
    online = back_of_title_page(replace(book, url="https://example.org/b/"),
                                replace(dataset, url="https://example.org/b/data.html"), cff,
                                source=Source("https://example.org/b/source.tar.gz",
                                              "https://git.example/b"))
    assert online.count(r"\url{https://example.org/b/}") == 3  # citation, address, edition
    assert r"\url{https://example.org/b/data.html}" in online
    assert r"\textbf{Address}" in online and "names no web address" not in online
    # Both name the source archive, which the chapters send a reader to; online with its
    # address, and the repository when there is one.
    archive = file_name_latex(archive_name(book.version))
    assert archive in offline and "distributed with this edition" in offline
    assert archive in online and r"at \url{https://example.org/b/source.tar.gz}" in online
    assert r"repository is \url{https://git.example/b}" in online
    assert "repository" not in offline


def test_back_of_title_page_escapes_text_and_names_unknown_licences():
    book = replace(read_book(REPO_ROOT), title="R&D: 100% #1")
    page = back_of_title_page(book, read_dataset(REPO_ROOT), {"license": "Apache-2.0"})
    assert r"\emph{R\&D: 100\% \#1}" in page
    assert r"SPDX licence identifier: Apache\sphinxhyphen{}2.0." in page
    assert page.rstrip().endswith(r"\gdef\csname @title\endcsname{R\&D}}")


def test_body_lines_leave_out_the_running_head_and_foot():
    page = ('<html xmlns="http://www.w3.org/1999/xhtml"><body><doc>'
            '<page width="595" height="842"><flow><block>'
            '<line xMin="72" yMin="35" xMax="200" yMax="45"><word>Head</word></line>'
            '<line xMin="72" yMin="100" xMax="200" yMax="110"><word>Body</word>'
            '<word>text-</word></line>'
            '<line xMin="72" yMin="792" xMax="200" yMax="802"><word>12</word></line>'
            '</block></flow></page><page width="595" height="842"></page></doc></body></html>')
    pages = body_lines(page)
    assert [[line.text for line in body.lines] for body in pages] == [["Body text-"], []]
    assert body_text(pages) == "Body text-"


def test_address_breaks_are_found_and_judged():
    address = "https://example.org/a-long_path?x=1"
    text = "URL: https:\n//example.org/a-\nlong_pa\nth?x=1 (read)"
    breaks = address_breaks(text, address)
    assert breaks == [6, 22, 29]
    assert bad_breaks(address, breaks) == ["https:|//example.org/a-long_path?x=1",
                                           "https://example.org/a-|long_path?x=1",
                                           "https://example.org/a-long_pa|th?x=1"]
    before_hyphen = address_breaks("https://example.org/a\n-long_\npath?x=1", address)
    assert before_hyphen == [21, 27] and bad_breaks(address, before_hyphen) == []
    dated = "https://example.org/act-may-5-2021"
    assert bad_breaks(dated, address_breaks("https://example.org/act\n-may\n-5-2021", dated)) == [
        "https://example.org/act-may|-5-2021"]
    assert address_breaks("nothing here", address) is None
    assert tex_addresses(r"URL: \sphinxurl{https://a.org/x\_y\%20} and \url{http://b.org/}") == [
        "https://a.org/x_y%20", "http://b.org/"]
    assert tex_addresses(r"\sphinxhref{https://c.org/\_}{\mbox{\sphinxnolinkurl{https://c}}"
                         r"\sphinxnolinkurl{.org/\_}}") == ["https://c.org/_"]
    www = "https://www.example.org/a"
    assert bad_breaks(www, address_breaks("https://\nwww.\nexample.org/\na", www)) == [
        "https://|www.example.org/a", "https://www.|example.org/a"]


def test_headings_are_read_from_the_latex_source():
    tex = ("\\begin{document}\n\\section{What the episode\\sphinxhyphen{}shows}\n\\label{x}\n"
           "\\sphinxAtStartPar\n\\sphinxstylestrong{BibTeX}\n\n"
           "\\sphinxAtStartPar\n\\sphinxstylestrong{Read} the chapters\n\n"
           "\\item[] \\sphinxstylestrong{\\Large Key findings}\n")
    assert headings(tex) == {"whattheepisodeshows", "bibtex", "keyfindings"}


def test_labels_that_follow_one_another_keep_room_for_each():
    """On the citation page a chapter's title is followed by the label "APA 7": the title's
    keep must count both, or the label's keep breaks the page under the title."""
    title = nodes.paragraph("", "", nodes.reference("", "Sources and method", refuri="s.html"),
                            classes=["chapter-title"])
    style = nodes.paragraph("", "", nodes.strong("", "APA 7"))
    entry = nodes.paragraph("", "The Facial Recognition Policy Book Project. (2026).")
    nodes.section("", nodes.title("", "Each chapter"), title,
                  nodes.container("", nodes.target(), style, entry))
    assert KeepLabelsWithNext.labels_after(title) == 1
    assert KeepLabelsWithNext.labels_after(style) == 0


def test_short_captions_are_first_sentences_or_first_clauses():
    assert short_caption("A short one. Then more.") == "A short one"
    long = ("Vice's outreach as TechNadu reported it: 43 facial recognition companies contacted, "
            "five of them named as answering. The rest did not respond.")
    assert short_caption(long) == "Vice's outreach as TechNadu reported it"
    assert short_caption("IBM, Amazon and Microsoft: three decisions.") == (
        "IBM, Amazon and Microsoft: three decisions")
    # A list in the first sentence is not cut after its first item (Fig. 6.2's first title).
    listed = ("Congress, states and cities, and wrongful arrests and their outcomes, from June "
              "2020 to June 2024. Green circles: laws.")
    assert short_caption(listed) == (
        "Congress, states and cities, and wrongful arrests and their outcomes")


def test_grey_steps_tell_close_colours_apart():
    assert abs(grey_level(hex_rgb("#E69F00")) - grey_level(hex_rgb("#8C8C8C"))) < MIN_GREY_STEP
    assert abs(grey_level(hex_rgb("#0072B2")) - grey_level(hex_rgb("#009E73"))) < MIN_GREY_STEP


# --- What a reader of the printed book needs (issue 14, a student's reading of the PDF) ---

# The parts of the book, as _toc.yml captions them: names that say what each holds.
PART_TITLES = ["The report", "Data and references"]
MIN_LAST_PAGE_LINES = 6  # a chapter's last page holds more than its last line or two
# Wording by which the parts of the book that _ext and the Markdown pages write (the back of
# the title page, the citation page, the changelog) would send a reader of a PDF with no
# address to the HTML edition, which it cannot name.
POINTS_TO_THE_HTML = ("html edition offers", "html edition, which offers",
                      "foot of every page of the html", "the html edition is at")


def contents_lines(pdf_body: list[Body]) -> list[str]:
    """The lines of the table of contents (its pages before the first page numbered 1)."""
    lines = []
    for page in pdf_body:
        texts = [line.text for line in page.lines]
        if any(". . ." in text for text in texts) or (lines and not texts):
            lines += texts
        elif lines:
            break
    return lines


def page_numbered(pdf_pages: list[str], number: str) -> int:
    """The index in ``pdf_pages`` of the page (after the front matter) printed as ``number``."""
    for index, text in enumerate(pdf_pages):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if index > 2 and lines and lines[-1] == number:
            return index
    raise AssertionError(f"no page numbered {number}")


def test_no_font_is_type3(pdf):
    """Charts embed their fonts as TrueType (pdf.fonttype 42), not Type 3 procedures."""
    type3 = [line for line in poppler("pdffonts", str(pdf)).splitlines() if "Type 3" in line]
    assert not type3, f"Type 3 fonts in the PDF: {type3[:3]}"


def test_front_matter_gives_the_address_or_where_the_sources_are(printed, pdf_pages):
    """The back of the title page names the source archive the data and notebooks come in;
    with an address, it gives the book's, the archive's and the repository's; without one, it
    says so, and the pages the book's extensions and
    Markdown write point to no HTML edition they cannot name."""
    book = read_book(REPO_ROOT)
    front = " ".join(" ".join(page.split()) for page in pdf_pages[:2])
    # The overview and the data chapter send the reader to the source archive "named on the
    # back of the title page": it is, with or without an address.
    assert squash(f"source archive, {archive_name(book.version)}") in squash(front), (
        "the back of the title page names no source archive")
    if ADDRESS in printed.tex:
        assert f"Address {ADDRESS}" in front, "the address is not on the back of the title page"
        assert squash(ADDRESS + archive_name(book.version)) in squash(front), (
            "the source archive's address is not on the back of the title page")
        assert squash(REPOSITORY) in squash(front), "the repository is not named"
        return
    assert "names no web address" in front
    first = page_numbered(pdf_pages, "1")
    back = " ".join(pdf_pages[first + [opens_chapter(page) and "HOW TO CITE" in page
                                       for page in pdf_pages[first:]].index(True):])
    pointing = [words for words in POINTS_TO_THE_HTML
                if words in " ".join((front + back).split()).lower()]
    assert not pointing, f"paper points to the HTML edition it cannot name: {pointing}"


def test_title_breaks_at_its_colon_and_the_licence_is_named(pdf_pages):
    book = read_book(REPO_ROOT)
    main, _, subtitle = book.title.partition(": ")
    lines = [line.strip() for line in pdf_pages[0].splitlines() if line.strip()]
    assert lines[0] == f"{main}:", f"the title's first line: {lines[0]!r}"
    assert squash(subtitle) in squash(" ".join(lines[1:4]))
    front = " ".join(" ".join(page.split()) for page in pdf_pages[:2])
    short, name, deed = LICENCES[read_cff(REPO_ROOT)["license"]]
    assert read_cff(REPO_ROOT)["license"] not in front, "the licence's SPDX identifier printed"
    assert f"{short} is {name}, {deed}" in front


def test_the_overview_is_a_titled_chapter_listed_in_the_contents(pdf_pages, pdf_body):
    contents = contents_lines(pdf_body)
    listed = [line for line in contents if re.fullmatch(rf"{OVERVIEW_TITLE}( \.)*( \d+)?", line)]
    assert listed, f"{OVERVIEW_TITLE!r} not in the contents: {contents[:6]}"
    first = page_numbered(pdf_pages, "1")
    assert pdf_pages[first].split()[0] == OVERVIEW_TITLE.upper(), pdf_pages[first][:80]


def test_references_to_chapters_give_their_page(pdf_pages, chapters):
    """The overview lists the chapters, each with the page it opens on."""
    text = " ".join(" ".join(page.split()) for page in pdf_pages)
    for title, _, _ in list(chapters.values())[1:8]:  # the chapters of Part I
        found = re.search(re.escape(title) + r" on page (\d+)", text)
        assert found, f"no page given after a reference to {title!r}"
        opening = pdf_pages[page_numbered(pdf_pages, found.group(1))]
        assert opens_chapter(opening) and squash(title) in squash(opening), (
            f"{title!r}: page {found.group(1)} does not open it")


def test_the_citing_chapters_example_gives_its_chapters_page(pdf_pages, chapters):
    """"Example (chapter 1, Sources and method on page 4):" the one cross-reference on the
    citing page gives its page as every other in the book does (it gave none)."""
    text = " ".join(" ".join(page.split()) for page in pdf_pages)
    title = list(chapters.values())[1][0]  # chapter 1, after the overview
    found = re.search(re.escape(EXAMPLE_START + title) + r" on page (\d+)\):", text)
    assert found, f"the citing chapter's example gives no page: {EXAMPLE_START + title!r}"
    opening = pdf_pages[page_numbered(pdf_pages, found.group(1))]
    assert opens_chapter(opening) and squash(title) in squash(opening)


def test_back_matter_is_unnumbered_in_the_second_part(printed, pdf_body, chapters):
    assert re.findall(r"\\part\{([^}]*)\}", printed.tex) == PART_TITLES
    contents = contents_lines(pdf_body)
    titles = [title for title, _, _ in chapters.values()]  # the overview's first
    data, back = titles[8], titles[9:]  # the data chapter, then the back matter
    assert f"8 {data}" in contents, "the data chapter is not chapter 8 in the contents"
    numbered = [title for title in back if title not in contents]
    assert not numbered, f"back matter numbered, or missing from the contents: {numbered}"


def test_literal_blocks_stay_on_one_page(pdf_body):
    """Each BibTeX block, from "@type{" to its closing brace, is on one page."""
    starts, split = 0, []
    for number, page in enumerate(pdf_body, 1):
        texts = [line.text.strip() for line in page.lines]
        for index, text in enumerate(texts):
            if re.match(r"@\w+\{", text):
                starts += 1
                if "}" not in texts[index + 1:]:
                    split.append((number, text))
    assert starts, "no BibTeX block in the PDF"
    assert not split, f"BibTeX blocks broken across pages: {split}"


def test_short_tables_are_not_broken_across_pages(publish, printed, pdf_pages, toc_pages):
    """A table of a few rows that fits in half a page is kept whole (Table 8.2, of six rows,
    was split two and four), a tabulary, unless it ends its section (see
    :func:`test_no_page_of_a_chapter_is_left_part_empty`); a taller one may break, its header
    repeated."""
    tables = html_tables(publish.html_dir, toc_pages)
    specs = [spec for _, spec, _ in latex_tables(printed.tex)]
    text = "".join(pdf_pages)
    numbers = sorted(set(re.findall(r"Table (\d+)\.(\d+): ", text)),
                     key=lambda number: tuple(map(int, number)))
    environments = [environment for environment, _, _ in latex_tables(printed.tex)]
    short = {".".join(number): len(table) - 1
             for number, table, spec, environment in zip(numbers, tables, specs, environments,
                                                         strict=True)
             if is_short(table, column_shares(spec)) and environment == "tabulary"}
    assert short, "no table is short enough to be kept whole"
    continued = set(re.findall(r"Table\s+([\d.]+)\s*\W\s*" + CONTINUED_TABLE, text))
    broken = {number: rows for number, rows in short.items() if number in continued}
    assert not broken, f"short tables broken across pages (table: rows): {broken}"


def test_no_chapter_ends_with_a_nearly_empty_page(pdf_pages, pdf_body):
    short = []
    for number in range(4, len(pdf_pages)):  # after the front matter
        ends_chapter = number == len(pdf_pages) - 1 or opens_chapter(pdf_pages[number])
        last = pdf_body[number - 1]
        if (ends_chapter and not opens_chapter(pdf_pages[number - 1])
                and len(last.lines) < MIN_LAST_PAGE_LINES):
            short.append((number, [line.text[:30] for line in last.lines]))
    assert not short, f"chapters ending with a nearly empty page: {short}"


def test_addresses_in_the_bibliography_are_links(printed):
    bibliography = printed.tex.split(r"\begin{sphinxthebibliography}", 1)[1].split(
        r"\end{sphinxthebibliography}", 1)[0]
    # A link whose text is its address, its start in a box (paper.address_latex), goes whole.
    unlinked = re.sub(r"\\sphinxhref\{[^}]*\}\{\\mbox\{\\sphinxnolinkurl\{[^}]*\}\}"
                      r"\\sphinxnolinkurl\{[^}]*\}\}", "", bibliography)
    unlinked = re.sub(r"\\sphinx(?:url|href)\{[^}]*\}", "", unlinked)
    plain_text = re.findall(r"https?://\S{0,40}", unlinked)
    assert not plain_text, f"addresses in the bibliography that are not links: {plain_text[:5]}"


def added_hyphens(pdf_body: list[Body]) -> list[str]:
    """Capitalised words broken at a line's end where the text has no hyphen ("Technoc-racy",
    "Bill-Sponsor"): the two halves joined make a word that the PDF has elsewhere, unbroken."""
    lines = [line.text for page in pdf_body for line in page.lines]
    words = set(re.findall(r"[\w’']+", " ".join(lines)))
    found = []
    for line, after in itertools.pairwise(lines):
        broken = re.search(r"\b([A-Z][\w’']*)-$", line)
        rest = re.match(r"([\w’']+)", after)
        if broken and rest and broken.group(1) + rest.group(1) in words:
            found.append(f"{broken.group(1)}-{rest.group(1)}")
    return found


def test_no_capitalised_word_is_hyphenated(pdf_body):
    found = added_hyphens(pdf_body)
    assert not found, f"names and capitalised words hyphenated: {found}"


def test_added_hyphens_are_told_from_hyphenated_words():
    page = Body(842, [Line(100, 110, "the Technoc-"), Line(110, 120, "racy repost and anti-"),
                      Line(120, 130, "trafficking groups; Technocracy News, Anti-"),
                      Line(130, 140, "trafficking")])
    assert added_hyphens([page]) == ["Technoc-racy"]


# --- A second student's reading of the printed pages (issue 14) ---

# The back of the title page says what the edition is, not how it is built.
MAX_EDITION_WORDS = 90
BUILD_DETAIL = ("make book", "makefile", "notebooks/", "research/", "folder", "run afresh",
                "python", "built from the same sources")
# A page of a chapter that is not its last is filled at least this far down to its last line
# (a few lines and then a quarter white was a short table that moved to the next page whole).
MIN_BODY_FILL = 0.8
# Link colours (as rendered): dark enough to print near black, muted enough not to shout;
# a colour's chroma is the spread of its red, green and blue (0: grey, 1: pure colour).
MAX_LINK_CHROMA = 0.35
MIN_LINK_CHROMA = 0.1  # still told from the black text on screen
LINK_DPI = 150
COLOURED = 25  # of 255: a pixel whose channels spread more than this is coloured ink
MAX_CITE_PAGES = 2  # the citing chapter on paper: the citation, BibTeX, how to cite a part
GLOSSARY_FOOTNOTE = re.compile(r"Defined in the glossary, page (\d+)\.")


def chapter_pages(pdf_pages: list[str], title: str) -> range:
    """The indexes of the pages of the chapter (or back matter) whose opening page starts with
    ``title`` in capitals, up to the next opening page."""
    start = next(index for index, text in enumerate(pdf_pages) if opens_chapter(text)
                 and re.search(rf"^\s*{re.escape(title.upper())}\s*$", text, re.M))
    end = next((index for index in range(start + 1, len(pdf_pages))
                if opens_chapter(pdf_pages[index]) or not pdf_pages[index].strip()),
               len(pdf_pages))
    return range(start, end)


def test_about_this_edition_is_short_and_leaves_the_build_to_the_readme(pdf_pages):
    back = " ".join(pdf_pages[1].split())
    assert "About this edition" in back
    about = back.split("About this edition", 1)[1]
    words = about.split()
    assert len(words) <= MAX_EDITION_WORDS, f"about this edition has {len(words)} words"
    words_only = re.sub(r"https?://\S+", "", about).lower()  # not the addresses' paths
    detail = [phrase for phrase in BUILD_DETAIL if phrase in words_only]
    assert not detail, f"build detail on the back of the title page: {detail}"
    history = version_history((REPO_ROOT / CHANGELOG_FILE).read_text(encoding="utf-8"))
    assert history.startswith("Version history: ")
    assert squash(tex_text(history.replace("~", " "))) in squash(about), (
        "the version history is not on the front matter")


def test_the_changelog_is_left_out_of_the_pdf(printed, pdf_pages, pdf_body):
    assert HTML_ONLY_PAGES == ["changelog"]
    assert "Changelog" not in " ".join(contents_lines(pdf_body))
    assert not [text for text in pdf_pages if opens_chapter(text)
                and re.search(r"^\s*CHANGELOG\s*$", text, re.M)]
    assert r"\label{\detokenize{changelog::doc}}" not in printed.tex


def test_version_history_is_one_sentence_of_fixed_length():
    one = "# Changelog\n\n## 1.0.0 (22 November 2026)\n\nThe first release.\n"
    # A date's words stay on one line (unbreakable spaces).
    assert version_history(one) == "Version history: 1.0.0, 22~November~2026 (first release)."
    two = "## 1.1.0 (3 March 2027)\n\n- more\n\n" + one
    assert version_history(two).startswith(
        "Version history: 1.1.0, 3~March~2027; first release 1.0.0, 22~November~2026. ")
    assert "'" not in version_history(two), "a straight apostrophe where the book's are curly"
    # However many versions, the sentence names the latest and the first only.
    three = "## 1.2.0 (4 April 2027)\n\n- again\n\n" + two
    assert version_history(three).startswith(
        "Version history: 1.2.0, 4~April~2027; first release 1.0.0, 22~November~2026. ")
    assert len(version_history(three).split()) == len(version_history(two).split())
    assert version_history("# Changelog\n") == ""


def link_ink(pdf: Path, page: int) -> tuple[int, tuple[int, int, int]]:
    """How many coloured pixels page ``page`` (1-based) has, and their colour: the mean of the
    darkest twentieth, the cores of the letters (their edges are blended with the paper)."""
    ppm = subprocess.run([tool("pdftoppm"), "-f", str(page), "-l", str(page), "-r",
                          str(LINK_DPI), str(pdf)], capture_output=True, check=True).stdout
    _magic, size, _maxval, pixels = ppm.split(b"\n", 3)
    width, height = map(int, size.split())
    coloured = sorted((rgb for rgb in zip(pixels[0:width * height * 3:3],
                                          pixels[1:width * height * 3:3],
                                          pixels[2:width * height * 3:3], strict=True)
                       if max(rgb) - min(rgb) > COLOURED), key=grey_level)
    if not coloured:
        return 0, (0, 0, 0)
    core = coloured[:max(1, len(coloured) // 20)]
    return len(coloured), tuple(round(sum(rgb[i] for rgb in core) / len(core)) for i in range(3))


def test_citations_print_in_a_dark_muted_colour(pdf, pdf_pages):
    """The overview's first page, with its citations, as a reader's screen or printer draws it:
    the citations are coloured (told from the text) but dark and muted (Sphinx's default teal,
    and the bright blue before this, stood out on paper)."""
    page = page_numbered(pdf_pages, "1") + 1
    count, rgb = link_ink(pdf, page)
    assert count, f"page {page}: citations are not coloured"
    chroma = (max(rgb) - min(rgb)) / 255
    assert grey_level(rgb) <= MAX_LINK_GREY, f"links {rgb} print too light"
    assert MIN_LINK_CHROMA <= chroma <= MAX_LINK_CHROMA, f"links {rgb}: chroma {chroma:.2f}"


def test_the_list_of_tables_follows_the_list_of_figures(publish, pdf_pages, toc_pages):
    figures_at = next(n for n, text in enumerate(pdf_pages) if "LIST OF FIGURES" in text.upper())
    tables_at = [n for n, text in enumerate(pdf_pages) if "LIST OF TABLES" in text.upper()]
    assert tables_at and figures_at < tables_at[0] < page_numbered(pdf_pages, "1"), (
        "no list of tables after the list of figures")
    listing = "\n".join(pdf_pages[tables_at[0]:page_numbered(pdf_pages, "1")])
    entries = re.findall(r"^(\d+\.\d+)$", listing, re.M)  # pdftotext puts numbers apart
    assert len(entries) == len(html_tables(publish.html_dir, toc_pages)), entries
    captioned = re.findall(r"Table (\d+\.\d+): ", "".join(pdf_pages))
    assert entries == sorted(set(captioned), key=lambda n: tuple(map(int, n.split("."))))


def first_rows_height(page: Body, rows: list[list[str]]) -> float | None:
    """How tall a long table that opens ``page`` prints its caption, header and first
    MIN_FIRST_PAGE_ROWS rows (``rows``: its cell texts, the header first): from the caption's
    top to the top of the next row, whose first cell's first line is found below the rows before
    it (poppler gives each cell's lines apart); None when it has no such row or
    the row is not on the page."""
    if len(rows) <= MIN_FIRST_PAGE_ROWS + 1:
        return None
    top = page.lines[0].top
    for row in rows[:MIN_FIRST_PAGE_ROWS + 2]:
        first = squash(row[0])
        top = next((line.top for line in page.lines if line.top > top and squash(line.text)
                    and first.startswith(squash(line.text))), None)
        if top is None:
            return None
    return top - page.lines[0].top


def test_no_page_of_a_chapter_is_left_part_empty(publish, printed, pdf_pages, pdf_body,
                                                 toc_pages):
    """Each page from the overview on is filled at least MIN_BODY_FILL of the way down, measured
    to the bottom of its last line (text, a table's row, a chart's words): a count of lines
    would call a page of tables or a chart empty. A chapter's or part's last page (the next
    page opens a chapter or part) may be short, and the book's last page; so may a page whose
    section ends with a figure that did not fit on it and may not pass the next heading (see
    :func:`pages_before_held_floats`), and one before a long table whose caption, header and
    first two rows, as printed on the next page, are taller than the white left. A short table
    excuses no white: Tables 1.6 and 5.1 ended their sections, moved whole to the next page
    and left pages 10 and 29 a quarter white, where a table that ends its section breaks
    across the pages, two rows at least on each."""
    bottom = max(line.bottom for page in pdf_body for line in page.lines)
    held = pages_before_held_floats([place for place in float_places(printed.tex, pdf_body)
                                     if place.item.kind == "figure"])
    tables = dict(zip(table_numbers(pdf_pages), html_tables(publish.html_dir, toc_pages),
                      strict=True))
    short = []
    for index in range(page_numbered(pdf_pages, "1"), len(pdf_body) - 1):
        lines, after = pdf_body[index].lines, pdf_body[index + 1]
        if opens_chapter(pdf_pages[index + 1]) or not lines or index in held:
            continue
        fill = (lines[-1].bottom - HEAD_PT) / (bottom - HEAD_PT)
        if fill >= MIN_BODY_FILL:
            continue
        number = after.lines and TABLE_NUMBER.match(after.lines[0].text)
        height = number and first_rows_height(after, tables[number.group(1)])
        if not (height and height > bottom - lines[-1].bottom):
            short.append((index + 1, f"{fill:.0%}", lines[-1].text[:30]))
    assert not short, f"pages left part empty before the chapter goes on: {short}"


TABLE_NUMBER = re.compile(r"^Table (\d+\.\d+): ")


def table_numbers(pdf_pages: list[str]) -> list[str]:
    """The tables' numbers in the order of the book, as their captions print them."""
    return sorted(set(re.findall(r"Table (\d+\.\d+): ", "".join(pdf_pages))),
                  key=lambda number: tuple(map(int, number.split("."))))


def test_first_rows_are_measured_on_the_page():
    page = Body(800, [Line(60, 70, "Table 1.3: How"), Line(72, 80, "Document"),
                      Line(72, 80, "What"), Line(82, 90, "IBM’s letter"), Line(82, 90, "IBM’s"),
                      Line(92, 100, "to Congress"), Line(104, 112, "IBM’s letter"),
                      Line(104, 112, "Not the page"), Line(114, 122, "IBM’s letter"),
                      Line(114, 122, "The opening")])
    rows = [["Document", "What"], ["IBM's letter to Congress", "IBM's introduction"],
            ["IBM's letter", "Not the page itself"], ["IBM's letter", "The opening"]]
    assert first_rows_height(page, rows) == 54  # the third "IBM's letter" starts the third row
    assert first_rows_height(page, rows[:3]) is None
    assert first_rows_height(Body(800, page.lines[:8]), rows) is None


def rows_on_pages(rows: list[str], pages: list[str]) -> list[int]:
    """The page (0-based) of each of a table's rows (each squashed, in order), found in the
    pages' squashed text from the first row's page on."""
    found, page = [], next(index for index, text in enumerate(pages) if rows[0] in text)
    for row in rows:
        while row not in pages[page]:
            page += 1
        found.append(page)
    return found


def test_no_page_holds_one_row_of_a_broken_table(publish, printed, pdf, toc_pages):
    """Table 5.3, of five rows, carried one over to the next page under its repeated header: a
    long table of four rows or more keeps MIN_FIRST_PAGE_ROWS rows on each page it prints on
    (its last rows stay together as its first do)."""
    pages = [squash(page) for page in raw_pages(pdf)]
    broken = []
    for (environment, _, _), table in zip(latex_tables(printed.tex),
                                          html_tables(publish.html_dir, toc_pages), strict=True):
        if environment != "longtable" or len(table) - 1 < 2 * MIN_FIRST_PAGE_ROWS:
            continue
        counts = collections.Counter(rows_on_pages([squash("".join(row)) for row in table[1:]],
                                                   pages))
        if len(counts) > 1 and min(counts.values()) < MIN_FIRST_PAGE_ROWS:
            broken.append(f"{table[0][:2]}: rows by page {dict(sorted(counts.items()))}")
    assert not broken, f"long tables with a page of one row: {broken}"


def test_rows_are_found_on_their_pages():
    assert rows_on_pages(["a1", "b2", "c3"], ["x", "a1b2", "c3"]) == [1, 1, 2]


def test_table_columns_are_sized_from_the_printed_text(publish, printed, toc_pages):
    """Each table's columns are sized from its cells as printed, a citation as its label, its
    words measured in the PDF's fonts, not as the notebook estimated them: Table 2.1's sources
    got 53 pt and ran down ten lines."""
    tables = printed_tables(publish.html_dir, toc_pages)
    specs = [spec for _, spec, _ in latex_tables(printed.tex)]
    assert len(tables) == len(specs)
    for printed_cells, spec in zip(tables, specs, strict=True):
        expected = latex_column_spec([list(column)
                                      for column in zip(*printed_cells, strict=True)],
                                     printed_width)
        assert column_shares(spec) == column_shares(expected), f"{printed_cells[0]}: {spec}"


def test_the_citing_chapter_is_short_on_paper(pdf_pages):
    pages = chapter_pages(pdf_pages, "How to cite this book")
    assert len(pages) <= MAX_CITE_PAGES, f"the citing chapter runs {len(pages)} pages"
    text = " ".join(" ".join(pdf_pages[index].split()) for index in pages)
    book = read_book(REPO_ROOT)
    assert squash(apa(book).text) in squash(text)
    assert text.count("@book{") == 1 and "@incollection{" not in text
    assert "MLA 9" not in text and "Chicago" not in text
    assert "Fig. 3.1" in text, "no word on citing a figure or table"


def test_glossary_terms_give_the_glossary_page(printed, pdf_pages):
    """A term linked to the glossary gets a footnote with its page there: on paper a link to
    the back matter is no help without it."""
    body = printed.tex.split(r"\label{\detokenize{glossary::doc}}", 1)[0]
    terms = body.count(r"\sphinxtermref{")
    pages = GLOSSARY_FOOTNOTE.findall(" ".join(" ".join(page.split()) for page in pdf_pages))
    assert terms and len(pages) == terms, f"{terms} glossary terms, {len(pages)} footnotes"
    glossary = chapter_pages(pdf_pages, "Glossary")
    wrong = [number for number in set(pages) if page_numbered(pdf_pages, number) not in glossary]
    assert not wrong, f"footnotes giving pages outside the glossary: {wrong}"


def test_the_glossary_footnote_gives_the_page():
    assert glossary_footnote(r"\autopageref*{g:t}") == (
        r"\footnote{\sphinxAtStartPar Defined in the glossary, \autopageref*{g:t}.}")
    assert GLOSSARY_FOOTNOTE.search(" Defined in the glossary, page 48.").group(1) == "48"


def bibliography_labels(pdf_pages: list[str]) -> list[str]:
    """The names in the bibliography's labels, in the order printed ("[The Verge, 2020]")."""
    pages = chapter_pages(pdf_pages, "Bibliography")
    text = "\n".join(pdf_pages[index] for index in pages)
    return re.findall(r"^\[([^\]]+?), (?:\d{4}[a-z]?|n\.d\.)\]", text, re.M)


def test_the_bibliography_files_names_without_a_leading_article(pdf_pages):
    labels = bibliography_labels(pdf_pages)
    assert "The Verge" in labels and "Toulas" in labels, labels[:5]
    assert labels.index("Toulas") < labels.index("The Verge")
    misfiled = [(a, b) for a, b in itertools.pairwise(labels) if filing_name(a) > filing_name(b)]
    assert not misfiled, f"bibliography out of order: {misfiled[:5]}"


def broken_package_names(pdf_body: list[Body], names: list[str]) -> list[str]:
    """Package names broken at a hyphen at the end of a line ("jupyterlab-" / "myst")."""
    lines = [line.text for page in pdf_body for line in page.lines]
    found = []
    for line, after in itertools.pairwise(lines):
        for name in names:
            for at in [m.end() for m in re.finditer("-", name)]:
                if (line.lower().endswith(name[:at].lower())
                        and after.lower().startswith(name[at:].lower())):
                    found.append(f"{line[-30:]} | {after[:30]}")
    return found


def test_package_names_do_not_break_at_their_hyphens(pdf_body):
    names = package_names((REPO_ROOT / LOCK_FILE).read_text(encoding="utf-8"))
    assert "jupyterlab-myst" in names
    broken = broken_package_names(pdf_body, names)
    assert not broken, f"package names broken across lines: {broken}"


def test_package_names_and_their_breaks_are_found():
    lock = ("jupyterlab-myst==2.7.0\n    # via -r requirements.txt\nnumpy==2.0\n"
            "sphinx-book-theme==1\n")
    assert package_names(lock) == ["sphinx-book-theme", "jupyterlab-myst"]
    page = Body(842, [Line(100, 110, "The jupyterlab-"), Line(110, 120, "myst extension")])
    assert broken_package_names([page], ["jupyterlab-myst"]) == [
        "The jupyterlab- | myst extension"]


# --- A printed reader's second reading (issue 14): pages of figures, one citation style, no
# nested brackets, part names, glossary headings, dates, running feet, the front matter, margins.

FIGURE_REFERENCE = re.compile(r"Fig\. (\d+\.\d+)(?![\d:”])( on page (\d+))?")
FIGURE_CAPTION = re.compile(r"^Fig\. (\d+\.\d+): ", re.M)


def printed_number(page_text: str) -> str:
    """The page number a page prints (its foot's last word)."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    return lines[-1].split()[-1] if lines else ""


def figure_references(pdf_pages: list[str]) -> list[tuple[str, str | None, str]]:
    """Each reference to a figure in the text (not a caption, nor an example in quotes): its
    number, the page it gives, if any, and the page it is printed on."""
    texts = [" ".join(page.split()) for page in pdf_pages]
    starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
    text = " ".join(texts)
    return [(found.group(1), found.group(3),
             printed_number(pdf_pages[bisect.bisect_right(starts, found.start()) - 1]))
            for found in FIGURE_REFERENCE.finditer(text)
            if not text[found.end():].startswith(":")]


def test_references_to_figures_give_the_figures_page(pdf_pages):
    """"Fig. 6.2 on page 36", as a section's reference gives its page; none on the figure's
    own page ("(Fig. 3.1)" a few lines above it)."""
    captioned = {found.group(1): printed_number(page) for page in pdf_pages
                 for found in FIGURE_CAPTION.finditer(page)}
    references = figure_references(pdf_pages)
    assert references, "no reference to a figure found"
    wrong = [(number, page) for number, page, on in references
             if captioned.get(number) != (page or on)]
    assert not wrong, f"figure references without their figure's page (number, page): {wrong}"


def test_figure_references_are_read_with_their_page():
    pages = ["Fig. 6.1 on page 35 lays out, and Fig. 6.2 what. Cite “Fig. 5.1” so.\n 34\n",
             "Fig. 6.2: Congress and cities\n 35\n"]
    assert figure_references(pages) == [("6.1", "35", "34"), ("6.2", None, "34")]
    assert printed_number("text\n  36\n\n") == "36"


def test_page_references_nest_no_brackets(pdf_pages):
    """A reference gives its page without brackets ("see Limitations on page 12"), so that
    one inside brackets does not print "(see Limitations (page 12))"."""
    text = " ".join(" ".join(page.split()) for page in pdf_pages)
    bracketed = re.findall(r".{30}\(page \d+\)", text)
    assert not bracketed, f"page references in brackets: {bracketed[:5]}"


# A citation in the text's narrative form: a name, then its year in brackets ("Toulas [2020]").
NARRATIVE_CITATION = re.compile(r"[A-Za-z.] \[\d{4}[a-z]?\]")


def test_one_citation_style_in_text_tables_and_figure_notes(publish, printed, pdf_raw_text,
                                                            toc_pages):
    """One form of citation: "[Toulas, 2020]" in the text, and without its brackets, "Toulas,
    2020; Bird, 2022", in tables' source cells and figures' source lines, on paper and on
    screen (they printed "Toulas [2020]", the year alone linked); "et al." in roman type."""
    notes = re.findall(r"\\begin\{sphinxuseclass\}\{figure-note\}(.*?)\\end\{sphinxuseclass\}",
                       printed.tex, re.S)
    assert notes, "no figure note found in the LaTeX source"
    round_brackets = [found.group() for note in notes
                      for found in BRACKETED_CITATION.finditer(note.replace("{[}", "[")
                                                                .replace("{]}", "]"))]
    assert not round_brackets, f"figure notes cite in round brackets: {round_brackets}"
    printed_notes = [line for line in pdf_raw_text.splitlines() if line.startswith("Source:")]
    assert printed_notes, "no figure source line in the PDF"
    tables = [cell for table in html_tables(publish.html_dir, toc_pages) for row in table[1:]
              for cell in row]
    narrative = [found.group() for text in [*printed_notes, *tables]
                 for found in NARRATIVE_CITATION.finditer(text)]
    assert not narrative, f"tables and source lines cite as 'Name [year]': {narrative[:5]}"
    assert [cell for cell in tables if re.fullmatch(r"[^\[\]]+, \d{4}[a-z]?(; .+)?", cell)], (
        "no table cell cites as 'Name, year'")
    latex_tables_text = "".join(body for _, body in LATEX_TABLE.findall(printed.tex))
    assert r"{[}\hyperlink" not in latex_tables_text, "a table's citation in brackets on paper"
    assert "et al." in printed.tex
    assert r"\sphinxstyleemphasis{et al.}" not in printed.tex, "et al. in italics on paper"
    italic = [page.name for page in publish.html_dir.rglob("*.html")
              if "<em>et al.</em>" in page.read_text(encoding="utf-8")]
    assert not italic, f"et al. in italics in the HTML: {italic}"
    html_notes = [note for page in publish.html_dir.rglob("*.html")
                  for note in re.findall(r'<p class="figure-note">(.*?)<a ',
                                         page.read_text(encoding="utf-8"))]
    assert html_notes, "no figure note in the HTML"
    assert not [note for note in html_notes if BRACKETED_CITATION.search(note)
                or NARRATIVE_CITATION.search(note)]


def test_parts_are_named_in_the_html_sidebar(publish):
    sidebar = (publish.html_dir / "notebooks" / "sources.html").read_text(encoding="utf-8")
    captions = re.findall(r'<span class="caption-text">([^<]*)</span>', sidebar)
    assert captions == PART_TITLES, f"sidebar captions: {captions}"


def glossary_synonyms() -> list[list[str]]:
    """The terms of each glossary entry that has more than one (glossary.md: term lines
    followed by an indented definition)."""
    entries, terms = [], []
    for line in (REPO_ROOT / "glossary.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and terms:
            if len(terms) > 1:
                entries.append(terms)
            terms = []
        elif line.strip() and not line.startswith((" ", "#", ":", "`", "(", "{")):
            terms.append(line.strip())
        else:
            terms = []
    return entries


def test_a_glossary_entry_has_one_heading(pdf_body):
    """A term and its synonyms print as one heading, "Face analysis or Facial analysis"."""
    synonyms = glossary_synonyms()
    assert synonyms, "no glossary entry with a synonym found in glossary.md"
    lines = {line.text for page in pdf_body for line in page.lines}
    missing = [SYNONYM_SEPARATOR.join(terms) for terms in synonyms
               if SYNONYM_SEPARATOR.join(terms) not in lines]
    assert not missing, f"glossary entries without one heading: {missing}"
    alone = [term for terms in synonyms for term in terms if term in lines]
    assert not alone, f"glossary terms printed as headings of their own: {alone}"


def test_no_date_breaks_at_its_hyphen(pdf_body):
    """No line ends with a digit and a hyphen: a date ("2020-06-10") in a table's narrow
    column is not printed as "2020-" and "06-10"."""
    broken = [line.text[-30:] for page in pdf_body for line in page.lines
              if re.search(r"\d-$", line.text)]
    assert not broken, f"lines ending inside a date or number: {broken}"


def foot_lines(pdf_layout: str) -> list[str]:
    """The running foot of each page, its words left to right (pdftotext splits it in lines
    where the section number, its title and the page number are spaced apart)."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", pdf_layout))
    found = []
    for page in root.iter(f"{XHTML}page"):
        height = float(page.get("height"))
        words = [(float(word.get("xMin")), word.text or "") for word in page.iter(f"{XHTML}word")
                 if float(word.get("yMin")) >= height - FOOT_PT]
        found.append(" ".join(text for _, text in sorted(words)))
    return found


def test_running_feet_number_sections_without_a_full_stop(pdf_layout):
    """"5.2 Microsoft's conditions", not "5.2. Microsoft's conditions"."""
    feet = foot_lines(pdf_layout)
    assert any(re.match(r"\d+\.\d+ \S", foot) for foot in feet), f"no numbered foot: {feet[:9]}"
    stops = [foot for foot in feet if re.match(r"\d+(\.\d+)*\. ", foot)]
    assert not stops, f"running feet with a full stop after the number: {stops[:3]}"


def test_the_citation_says_what_the_book_lacks_and_what_to_cite(printed, pdf_pages):
    """No named authors, and without an address no permanent address nor DOI: the front matter
    says so and what to cite instead, and invents none."""
    book = read_book(REPO_ROOT)
    front = " ".join(pdf_pages[1].split())
    assert "names no individual authors" in front
    assert "no DOI" in front and "doi.org" not in front
    assert f"version ({book.version})" in front and long_date(book.released) in front
    if ADDRESS in printed.tex:
        assert "no permanent web address" not in front
    else:
        assert "no permanent web address" in front
        assert "the address where you obtained your copy" in front


def test_the_citing_note_names_only_what_is_missing():
    book = read_book(REPO_ROOT)
    assert "no permanent web address and no DOI" in citing_note(replace(book, url=None, doi=None))
    with_address = citing_note(replace(book, url="https://books.example/", doi=None))
    assert "no DOI" in with_address and "web address" not in with_address
    assert "It has no" not in citing_note(replace(book, url="https://books.example/", doi="10.1/x"))


def words_in_margins(pdf_layout: str, tolerance: float = 1.0) -> list[str]:
    """Words that reach past the text block's right edge (where the running head ends) or
    start left of its left edge (the leftmost start of a line in the body)."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", pdf_layout))
    words, edges = [], []
    for number, page in enumerate(root.iter(f"{XHTML}page"), 1):
        for line in page.iter(f"{XHTML}line"):
            if float(line.get("yMax")) < HEAD_PT:
                edges.append(float(line.get("xMax")))
            words += [(number, float(word.get("xMin")), float(word.get("xMax")), word.text)
                      for word in line.iter(f"{XHTML}word")]
    right = max(edges)
    left = min(start for _, start, _, _ in words)
    return [f"page {number}: {text!r}" for number, start, end, text in words
            if end > right + tolerance or start < left - tolerance]


def test_nothing_runs_into_the_margin(pdf_layout):
    """No word, path or command reaches past the text block (the running head's right edge)."""
    outside = words_in_margins(pdf_layout)
    assert not outside, f"words in the margin: {outside[:5]}"


def test_words_in_the_margin_are_found():
    layout = (f'<html xmlns="{XHTML[1:-1]}"><body><doc><page width="595" height="842">'
              '<flow><block><line xMin="72" yMin="30" xMax="523" yMax="40">'
              '<word xMin="400" yMin="30" xMax="523" yMax="40">Head</word></line>'
              '<line xMin="72" yMin="100" xMax="540" yMax="110">'
              '<word xMin="72" yMin="100" xMax="300" yMax="110">text</word>'
              '<word xMin="301" yMin="100" xMax="540" yMax="110">research/readings/</word>'
              '</line></block></flow></page></doc></body></html>')
    assert words_in_margins(layout) == ["page 1: 'research/readings/'"]


def test_paths_and_commands_are_set_in_monospace(printed, pdf, pdf_pages):
    """The folder names and commands that the overview and the data chapter show are inline
    literals (monospace, breakable after a slash), on pages that use the monospaced font."""
    literals = re.findall(r"\\sphinxcode\{\\sphinxupquote\{([^{}]*/[^{}]*)\}\}", printed.tex)
    assert literals, "no path set as an inline literal"
    for literal in literals:
        shown = literal.replace(r"\sphinxhyphen{}", "-")
        # Not inside an address ("https://…/notebooks/sources.html"), which is not monospaced.
        alone = re.compile(r"(?<![\w/.:-])" + re.escape(shown))
        pages = [index for index, page in enumerate(pdf_pages, 1) if alone.search(page)]
        assert pages, f"{shown!r} not found in the PDF"
        assert any("Mono" in font for font in page_fonts(pdf, pages[0])), (
            f"{shown!r} is not set in a monospaced font")


# --- A fresh reader's third reading (issue 15): the source archive, the citing page, code in
# tables, what a line must not split, the day each copy was read, footnotes and quotations.

# Justified lines stretch their spaces; a citation set ragged right does not (a line of the
# citing page spread its words up to 12.5 pt apart; a BibTeX line's aligned "=" is 5.4 pt).
MAX_WORD_GAP_PT = 8.0
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
         r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def widest_gaps(bbox_xhtml: str, pages: set[int]) -> list[tuple[float, str]]:
    """The widest space between two words of each line on these pages (0-based), with the
    line's text."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", bbox_xhtml))
    found = []
    for index, page in enumerate(root.iter(f"{XHTML}page")):
        if index not in pages:
            continue
        for line in page.iter(f"{XHTML}line"):
            words = [(float(w.get("xMin")), float(w.get("xMax")), w.text or "")
                     for w in line.iter(f"{XHTML}word")]
            if len(words) > 1:
                found.append((max(b[0] - a[1] for a, b in itertools.pairwise(words)),
                              " ".join(word[2] for word in words)))
    return found


def test_citations_on_the_citing_page_are_ragged_right(pdf_layout, pdf_pages):
    """The citations are set ragged right: justified, an APA citation with its long address
    spread its words over the line."""
    pages = set(chapter_pages(pdf_pages, "How to cite this book"))
    gaps = widest_gaps(pdf_layout, pages)
    assert gaps, "no lines on the citing pages"
    wide = [(round(gap, 1), text[:60]) for gap, text in gaps if gap > MAX_WORD_GAP_PT]
    assert not wide, f"lines of the citing pages with wide gaps between words: {wide}"


def test_the_citing_pages_addresses_break_only_after_separators(printed, pdf_body, toc_pages):
    """The addresses in the citations of the book, a chapter and the data break as the
    bibliography's do: never after one of their hyphens ("three-" / "companies")."""
    if ADDRESS not in printed.tex:
        pytest.skip("this PDF has no address: its citations give none")
    book = read_book(REPO_ROOT)
    chapter = toc_chapters(yaml_toc())[0]
    dataset = read_dataset(REPO_ROOT)
    text = body_text(pdf_body).split("HOW TO CITE THIS BOOK", 1)[-1]
    bad, missing = [], []
    for address in (ADDRESS, page_url(ADDRESS, chapter), dataset.url or
                    page_url(ADDRESS, DATA_PAGE)):
        breaks = address_breaks(text, address)
        if breaks is None:
            missing.append(address)
        else:
            bad += bad_breaks(address, breaks)
    assert not missing, f"citation addresses not on the citing pages: {missing}"
    assert not bad, f"citation addresses broken inside a word: {bad}"
    assert book.version in text


def yaml_toc() -> dict:
    import yaml

    return yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))


def test_a_page_reference_follows_the_closing_quotation_mark(pdf_pages):
    """"The chapter “The data” on page 46": the page is not part of the quoted title."""
    text = " ".join(" ".join(page.split()) for page in pdf_pages)
    inside = re.findall(r".{30}on page \d+[”’]", text)
    assert not inside, f"page references inside quotation marks: {inside}"
    assert re.search(r"”\s+on page \d+", text), "no quoted title followed by its page"


def identifiers() -> set[str]:
    """The data's column names: the identifiers the data chapter's tables show as code."""
    package = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return {field["name"] for resource in package["resources"]
            for field in resource["schema"]["fields"]}


def broken_identifiers(lines: list[str], names: set[str]) -> list[str]:
    """Identifiers (or other words of ``names``) broken at a line's end ("con-" /
    "tacted_description", "contacted_" / "description", "date" / "_precision"), in lines of
    text in typeset order."""
    found = []
    for line, after in itertools.pairwise(lines):
        end, start = re.search(r"(\w+)-?$", line), re.match(r"(\w+)", after)
        if end and start and end.group(1) + start.group(1) in names:
            found.append(f"{line.split()[-1]} | {after.split()[0]}")
    return found


def test_code_in_tables_never_breaks_inside_an_identifier(pdf_raw_text):
    """Column names shown as code in a table cell print whole on one line: "contacted_" over
    "description" read as two words, with nothing to tell a reader they are one."""
    names = {name for name in identifiers() if "_" in name}
    assert any(name in pdf_raw_text for name in names), "no identifier printed whole"
    found = broken_identifiers(pdf_raw_text.splitlines(), names)
    assert not found, f"identifiers broken across lines: {found}"


def test_broken_identifiers_are_found():
    lines = ["con-", "tacted_description", "contacted_", "description and", "a date",
             "_precision"]
    assert broken_identifiers(lines, {"contacted_description", "date_precision"}) == [
        "con- | tacted_description", "contacted_ | description", "date | _precision"]


def split_units(pdf_body: list[Body]) -> list[str]:
    """What a line's end splits that a reader reads as one: a date between its day and month
    or its month and year, a name and its "et al.", a hyphenated name ("France-" /
    "Presse"), a domain name ("input-" / "mag.com"). A chart's date label set on two lines
    ("8 Jun" over "2020") is the chart's, and so are a time axis's rows of ticks: days ("25 26
    … 12"), then months ("May Jun"), then the year."""
    lines = [line.text for page in pdf_body for line in page.lines]
    text = " ".join(lines)
    found = []
    for line, after in itertools.pairwise(lines):
        if re.fullmatch(rf"\d{{1,2}} {MONTH}", line) and re.fullmatch(r"\d{4}", after):
            continue
        if re.fullmatch(r"\d{1,2}( \d{1,2})*", line) or re.fullmatch(rf"{MONTH}( {MONTH})*", line):
            continue  # a time axis's row of day or month ticks, or one tick read as a line
        name, rest = re.search(r"\b([A-Z][\w.]*)-$", line), re.match(r"[A-Z]\w*", after)
        if (re.search(r"(?<![\d.,:])\b\d{1,2}$", line) and re.match(MONTH, after)
                or re.search(rf"\b{MONTH}$", line) and re.match(r"\d{4}\b", after)
                or re.search(r"\bet$", line) and after.startswith("al.")
                or name and rest and f"{name.group(1)}-{rest.group()}" in text
                or re.search(r"\w-$", line) and re.match(r"[\w-]+\.[a-z]{2,6}\b", after)):
            found.append(f"{' '.join(line.split()[-3:])} | {' '.join(after.split()[:2])}")
    return found


def test_no_line_splits_a_date_a_name_or_a_domain(pdf_body):
    found = split_units(pdf_body)
    assert not found, f"dates, names or domains split across lines: {found}"


def test_split_units_are_found():
    lines = ["NIST released it on 19", "December 2019, and in May", "2020 [Garvie et",
             "al., 2016] [Agence France-", "Presse, 2020]; Agence France-Presse. Input (input-",
             "mag.com), on 8 Jun", "2020", "8 Jun", "2020", "a well-", "known fact",
             "25 26 27 31 1 2 10 11 12", "May Jun", "2020", "11", "12", "May 2020", "Jun"]
    page = Body(842, [Line(10 * n, 10 * n + 9, text) for n, text in enumerate(lines)])
    assert split_units([page]) == [
        "it on 19 | December 2019,", "and in May | 2020 [Garvie",
        "2020 [Garvie et | al., 2016]", "2016] [Agence France- | Presse, 2020];",
        "France-Presse. Input (input- | mag.com), on", "on 8 Jun | 2020"]


def test_every_entry_closes_with_the_day_its_copy_was_read(pdf_pages, pdf_body):
    """The preface gives the day most copies were read, once; one form throughout for an entry
    read in a stored copy on another day: "URL: …. Copy read 22 November 2026." closes it,
    whether that is a copy of its address or the one its note names ("Read via …"); no entry
    says "archived copy", since none gives an archive's address."""
    text = " ".join(body_text(pdf_body).split("BIBLIOGRAPHY", 1)[-1].split())
    start = re.search(r"\[[^\]]+, \d{4}[a-z]?\]", text).start()
    preface, text = text[:start], text[start:]  # the entries
    shared = shared_copy_read(parse_file(REPO_ROOT / "references.bib").entries.values())
    assert f"on {read_day(shared)}" in preface, preface
    listed = [fields for entry, fields in formatted_entries().values()
              if squash(entry)[:ENTRY_PREFIX_CHARS] in squash(text)]
    read = [fields for fields in listed if fields.get("urldate", shared) != shared]
    other_forms = re.findall(r".{40}(?:archived copy read|; copy read).{20}", text, re.I)
    assert not other_forms, f"the day a copy was read given otherwise: {other_forms[:3]}"
    closing = re.findall(r"\. Copy read \d{1,2} [A-Z][a-z]+ \d{4}\.", text)
    assert len(closing) == len(read), (
        f"{len(closing)} entries close with the day their copy was read; {len(read)} were read")


def test_no_glossary_footnote_inside_quoted_words(printed):
    """A glossary term in a quotation gets its footnote after the closing quotation mark,
    not inside the quoted words ("a written request to the RMV³, the State Police")."""
    inside = []
    for found in re.finditer(re.escape(r"\footnote{\sphinxAtStartPar Defined in the glossary"),
                             printed.tex):
        paragraph = printed.tex[:found.start()].rsplit("\n\n", 1)[-1]
        if paragraph.count("“") > paragraph.count("”"):
            inside.append(tex_text(paragraph)[-60:])
    assert not inside, f"glossary footnotes inside quoted words: {inside}"


# A table's caption this long or shorter fits on one line of the text.
MAX_ONE_LINE_CAPTION = 100
TABLE_CAPTION = re.compile(r"\\(?:sphinx)?caption\{((?:[^{}]|\{[^{}]*\})*?)(?:\\strut)?\}\\label")


def test_table_captions_run_the_width_of_the_text(printed, pdf_body):
    """A table's caption wraps at the text's width, not in a narrower box (4 in, Sphinx's
    default), which left a word or two alone on a second line."""
    lines = {squash(line.text) for page in pdf_body for line in page.lines
             if line.text.startswith("Table ")}
    captions = [tex_text(caption) for caption in TABLE_CAPTION.findall(printed.tex)]
    assert captions, "no table captions in the LaTeX source"
    wrapped = [caption for caption in captions if len(caption) <= MAX_ONE_LINE_CAPTION
               and not any(line.endswith(squash(caption)) for line in lines)]
    assert not wrapped, f"short table captions wrapped: {wrapped}"


def pdf_word_boxes(pdf: Path) -> list[tuple[int, float, float, str]]:
    """Every word of the PDF: its page (0-based), the left and right edge of its box, its
    text."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", poppler(
        "pdftotext", "-bbox", str(pdf), "-")))
    return [(index, float(word.get("xMin")), float(word.get("xMax")), word.text or "")
            for index, page in enumerate(root.iter(f"{XHTML}page"))
            for word in page.iter(f"{XHTML}word")]


def pdf_words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """Every word of the PDF: its page (0-based), the top and right edge of its box, its text."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", poppler(
        "pdftotext", "-bbox", str(pdf), "-")))
    return [(index, float(word.get("yMin")), float(word.get("xMax")), word.text or "")
            for index, page in enumerate(root.iter(f"{XHTML}page"))
            for word in page.iter(f"{XHTML}word")]


def number_columns(table: list[list[str]]) -> list[int]:
    """The columns of a table (header first) whose cells below the header are all numbers."""
    return [index for index, column in enumerate(zip(*table[1:], strict=True))
            if all(NUMBER.fullmatch(cell) for cell in column)]


def test_numbers_in_tables_are_flush_right(publish, printed, pdf, toc_pages):
    """A column of numbers prints them flush right, so that units line up under units; so
    does one with missing values ("Length in days": "—", "365", "—")."""
    tables = html_tables(publish.html_dir, toc_pages)
    specs = [spec for _, spec, _ in latex_tables(printed.tex)]
    left = [f"{table[0][index]}" for table, spec in zip(tables, specs, strict=True)
            for index, column in enumerate(zip(*table, strict=True))
            if is_number_column(list(column))
            and not spec.split(r"\X{")[index].endswith(r"\RaggedLeft\arraybackslash}")]
    assert not left, f"columns of numbers set ragged right: {left}"
    words = pdf_words(pdf)
    tables = [table for table in tables if number_columns(table)]
    assert tables, "no table of numbers"
    ragged = []
    for table in tables:
        for column in number_columns(table):
            edges = []
            for row in table[1:]:
                label = row[0].split()[:2]  # the words that start its first line
                for page, top, _, text in words:
                    if text != label[0]:
                        continue
                    on_line = [word for word in words if word[0] == page
                               and abs(word[1] - top) < 1]
                    line = [word for word in on_line if word[3] in row[1:]]
                    if (set(label) <= {word[3] for word in on_line}
                            and len(line) == len(row) - 1):  # its label and its numbers
                        edges.append(line[column - 1][2])
                        break
            assert len(edges) == len(table) - 1, f"{table[0]}: rows not found in the PDF"
            if max(edges) - min(edges) > 1:
                ragged.append(f"{table[0][column]}: right edges {sorted(set(edges))[:4]}")
    assert not ragged, f"columns of numbers not flush right: {ragged}"


def test_columns_of_numbers_are_set_flush_right():
    columns = [["Kind", "News", "Opinion"], ["Sources", "73", "3"], ["Note", "12 read", "1"]]
    spec = latex_column_spec(columns)
    shares = column_shares(spec)
    right = numbers_right(spec, columns)
    assert column_shares(right) == shares
    assert right.count(r"\RaggedLeft") == 1 and right.count(r"\RaggedRight") == 2
    assert right.index(r"\RaggedLeft") > right.index(r"\X{")  # the second column
    assert is_number_column(["Length in days", "—", "365", "—"])
    assert not is_number_column(["Length in days", "—", "—"])
    assert not is_number_column(["Kind", "365", "a year"])


# What the text order of the LaTeX source holds: headings, and tables and figures (each table
# is wrapped in savenotes, floating or not), each with its caption.
ORDERED_ITEM = re.compile(r"^\\(?:chapter|section|subsection)\*?\{(?P<heading>.*)\}$"
                          r"|\\begin\{(?P<float>figure|savenotes)\}", re.M)
CAPTION_START = re.compile(r"\\(?:sphinx)?caption(?:\[\{(?:[^{}]|\{[^{}]*\})*\}\])?\{")
PHRASE_WORDS = 4  # a float's introducing text is found by its last run of this many words
CAPTION_CHARS = 40  # of a caption, squashed: enough to tell one from another


def braced(text: str, start: int) -> str:
    """The text of the group that opens at ``text[start - 1]`` (a ``{``), nested groups kept."""
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        end += 1
    return text[start:end - 1]


def last_phrase(tex: str) -> str | None:
    """The last PHRASE_WORDS words in a row of ``tex`` that print as written (no markup in
    them), squashed; None when it has no such run."""
    plain_word = re.compile(r"[A-Za-z0-9’'“”(][^\s\\{}~]*")
    run: list[str] = []
    for word in reversed(tex.split()):
        if plain_word.fullmatch(word):
            run.insert(0, word)
            if len(run) == PHRASE_WORDS:
                return squash(" ".join(run))
        else:
            run = []
    return None


@dataclass(frozen=True)
class Placed:
    """A heading, or a table or figure with the words before it, in the source's order."""

    kind: str  # "heading", "table" or "figure"
    text: str  # the heading, or the caption's start, squashed
    before: str | None  # a float's introducing words, squashed


def caption_after(tex: str, start: int) -> str:
    """The first caption after ``start`` as :func:`source_order` names a float by it."""
    return squash(tex_text(braced(tex, CAPTION_START.search(tex, start).end())))[:CAPTION_CHARS]


def source_order(tex: str) -> list[Placed]:
    body = tex.split(r"\begin{document}", 1)[1]
    items, end = [], 0
    for found in ORDERED_ITEM.finditer(body):
        if found.group("heading") is not None:
            items.append(Placed("heading", squash(tex_text(found.group("heading"))), None))
        else:
            text = caption_after(body, found.end())
            kind = "figure" if found.group("float") == "figure" else "table"
            items.append(Placed(kind, text, last_phrase(body[end:found.start()])))
        end = found.end()
    return items


@dataclass(frozen=True)
class FloatPlace:
    """Where a table or figure and what surrounds it in the source print: offsets in the PDF's
    body text (squashed), and the pages (0-based) of its introducing words and its caption."""

    item: Placed
    intro: int | None  # None: its introducing words were not found after the heading
    caption: int | None  # None: its caption was not found
    next_heading: int | None  # None: none follows in the same chapter, or not found
    intro_page: int | None
    caption_page: int | None
    next_heading_page: int | None = None


def float_places(tex: str, pdf_body: list[Body]) -> list[FloatPlace]:
    """Each table and figure of the source with where it and its surroundings print, after the
    lists of figures and tables: headings are found as lines of their own ("1.7 Where
    sources ..."), captions by their number ("Table 1.8: ..."), introducing words (see
    :func:`last_phrase`) after the heading before them."""
    listing = max(number for number, page in enumerate(pdf_body)
                  if any(". . ." in line.text for line in page.lines))  # the last list
    lines = [squash(line.text) for page in pdf_body for line in page.lines]
    pages = [number for number, page in enumerate(pdf_body) for _ in page.lines]
    starts = list(itertools.accumulate((len(line) for line in lines), initial=0))
    text = "".join(lines)
    first = starts[sum(len(page.lines) for page in pdf_body[:listing + 1])]

    def page_of(offset: int | None) -> int | None:
        return None if offset is None else pages[bisect.bisect_right(starts, offset) - 1]

    def heading_at(title: str, after: int) -> int | None:
        for index in range(bisect.bisect_left(starts, after), len(lines)):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if any(re.fullmatch(r"[0-9]*" + re.escape(title), joined)
                   for joined in (lines[index], lines[index] + following)):
                return starts[index]
        return None

    places, cursor, pending = [], first, []
    for item in source_order(tex):
        if item.kind == "heading":
            at = heading_at(item.text, cursor)
            if at is None:
                continue  # not a line of its own (the overview's headings)
            places += [replace(place, next_heading=at, next_heading_page=page_of(at))
                       for place in pending]
            cursor, pending = at, []
            continue
        found = re.search(("table" if item.kind == "table" else "fig") + r"\d+\d+"
                          + re.escape(item.text), text[first:])
        caption = first + found.start() if found else None
        intro = text.find(item.before, cursor) if item.before else cursor
        intro = None if intro < 0 else intro
        pending.append(FloatPlace(item, intro, caption, None, page_of(intro), page_of(caption)))
    return places + pending


def misplaced_floats(places: list[FloatPlace]) -> list[str]:
    """Tables and figures printed before the words that introduce them (the text just before
    them in the source) or after the next heading: each must follow its own text and precede
    the next section, or, a figure only, when its section ended with the figure not fitting on
    the page, top the page after the one where the next section starts (whose text filled
    that page). A table never passes the next heading: that section's text ends "the table
    below gives the date ...:" and the table of the section before would come first."""
    faults = []
    for place in places:
        name = f"{place.item.kind} {place.item.text[:30]!r}"
        if place.caption is None:
            faults.append(f"{name} not found")
        elif place.intro is None or place.intro > place.caption:
            faults.append(f"{name} before its text {(place.item.before or '')[:30]!r}")
        elif (place.next_heading is not None and place.caption > place.next_heading
              and (place.item.kind == "table"
                   or place.caption_page != place.next_heading_page + 1)):
            faults.append(f"{name} after the next heading"
                          + ("" if place.item.kind == "table" else ", past its page"))
    return faults


def pages_before_held_floats(places: list[FloatPlace]) -> set[int]:
    """The pages (0-based) whose text introduces a table or figure that prints on the next
    page: it did not fit in what was left of the page, and the text after it belongs to the
    next section, which it may not pass (else that text would have filled the page)."""
    return {place.intro_page for place in places
            if place.intro_page is not None and place.caption_page == place.intro_page + 1}


def test_tables_and_figures_stay_between_their_text_and_the_next_heading(printed, pdf_body):
    """"The table gives the date each source carries" is followed by that table, not by one
    of the section before: each table and figure prints after the words that introduce it
    (or at the top of the next page) and before the next section's heading, or at the top of
    the next page when its section ended with it held, never further into a later section."""
    places = float_places(printed.tex, pdf_body)
    assert len(places) > 3, "no tables or figures found in the LaTeX source"
    faults = misplaced_floats(places)
    assert not faults, f"tables and figures out of their place: {faults}"


def test_source_order_reads_headings_floats_and_their_introducing_words():
    tex = (r"\begin{document}" "\n\\section{One}\n\\sphinxAtStartPar\nWords \\sphinxcite{x} "
           "then the table gives the dates:\n\n\\begin{savenotes}\\sphinxcaption{Dates "
           "{[}x{]}}\\label{a}\n\\end{savenotes}\n\\begin{figure}[htbp]\n"
           "\\caption[{Short}]{Long \\sphinxstyleemphasis{caption}}\n\\end{figure}\n"
           "\\subsection{Two}\n")
    assert source_order(tex) == [
        Placed("heading", "one", None), Placed("table", "datesx", "tablegivesthedates"),
        Placed("figure", "longcaption", None), Placed("heading", "two", None)]


def one_line_tables(html_dir: Path, pages: list[str]) -> list[list[list[str]]]:
    """The tables (rows of cell texts, header first) whose every cell fits on one line, their
    words measured in the PDF's fonts, as printed (a citation's year tied to its name, dates
    as one word)."""
    found = []
    for table, cells in zip(html_tables(html_dir, pages, code_marks=True),
                            printed_tables(html_dir, pages), strict=True):
        if sum(Columns([list(column) for column in zip(*cells, strict=True)],
                       printed_width).naturals) <= PDF_LINE_PT:
            found.append(table)
    return found


def printed_lines(pdf: Path) -> set[str]:
    """The text of each line of the PDF (squashed): all words on one baseline, left to right,
    whatever block pdftotext puts them in (a table's columns are blocks of their own)."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", poppler(
        "pdftotext", "-bbox", str(pdf), "-")))
    lines: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for index, page in enumerate(root.iter(f"{XHTML}page")):
        for word in page.iter(f"{XHTML}word"):
            key = (index, round(float(word.get("yMax"))))
            lines.setdefault(key, []).append((float(word.get("xMin")), word.text or ""))
    return {squash(" ".join(text for _, text in sorted(words))) for words in lines.values()}


def test_a_table_with_room_prints_each_row_on_one_line(publish, pdf, toc_pages):
    """Columns are sized from their words as the PDF's fonts print them: a table whose cells
    all fit on one line prints each row on one line ("Microsoft, 11 Jun 2020" wrapped in a
    header sized for 6 pt a character, while "IBM, 8 Jun 2020" did not)."""
    tables = one_line_tables(publish.html_dir, toc_pages)
    assert tables, "no table whose rows fit on one line"
    lines = printed_lines(pdf)
    wrapped = [" | ".join(row) for table in tables for row in table
               if squash(" ".join(row).replace("`", "")) not in lines]
    assert not wrapped, f"rows of tables with room wrapped: {wrapped}"


def test_table_words_are_measured_in_the_pdfs_fonts():
    """Code in FreeMono (600 units to the em: 5.4 pt a character at 9 pt), wider than the
    estimate of 4.5 that let "contacted_description" break; text and headers narrower than
    estimated, so that columns do not take room their words do not need."""
    assert printed_width("contacted_description", CODE) == pytest.approx(21 * 5.4)
    for word, kind in (("19~December~2019", TEXT), ("Microsoft, 11 Jun 2020", HEADER)):
        assert printed_width(word, kind) < estimated_width(word, kind)
    assert printed_width("Jun 2020", TEXT) == printed_width("Jun~2020", TEXT)


# The back of the title page is set in small type (9 pt): a word set solid in its face is as
# wide as its letters' advances, within this share (a monospace was half as wide again).
MAX_SPACING_SHARE = 0.03


def test_the_source_archive_is_named_on_one_line_and_set_solid(pdf):
    """"three-companies-four-days-1.0.0" over "-source.tar.gz" left a reader to guess whether
    the hyphen was the name's; and a monospace spread "1.0.0" out as "1 . 0 . 0"."""
    name = archive_name(read_book(REPO_ROOT).version)
    width, text = next((right - left, text) for page, left, right, text in pdf_word_boxes(pdf)
                       if page == 1 and text.startswith(name[:10]))  # not its address's
    assert text.rstrip(",.") == name, f"the archive's name is not whole on one line: {text}"
    solid = printed_width(name, TEXT)
    assert abs(width - solid) <= MAX_SPACING_SHARE * solid, (
        f"{name} is {width:.0f} pt wide, set solid {solid:.0f} pt")


def part_pages(pdf_pages: list[str]) -> list[int]:
    """The numbers (1-based) of the parts' title pages, which open with "Part I"."""
    return [number for number, text in enumerate(pdf_pages, 1)
            if re.match(r"\s*Part [IVX]+\s*$", text.strip().splitlines()[0] if text.strip()
                        else "")]


def test_part_pages_are_set_in_the_chapter_openers_sans(pdf, pdf_pages):
    """"Part I / The report" in the sans face of the chapters' openers, not in serif."""
    parts = part_pages(pdf_pages)
    assert len(parts) == len(yaml_toc()["parts"]), f"part pages: {parts}"
    serif = [(number, font) for number in parts for font in page_fonts(pdf, number)
             if "Serif" in font]
    assert not serif, f"part pages set in serif: {serif}"


# --- A fresh reader's fourth reading (issue 17): white space, citations in tables, part pages.

# Every page of the body but a chapter's or part's last is filled at least this far down to its
# last line of text, table or figure (footnotes aside): a section that ended before its figure
# fitted left Fig. 6.1's page 53% white.
MIN_PAGE_FILL = 0.6
FOOTNOTE_LINE = re.compile(r"^\d+\s*Defined in the glossary")


def page_fill(lines: list[Line], top: float, bottom: float) -> float:
    """How far down the text block (``top`` to ``bottom``) a page's text, tables and figures
    reach: to the last line above its footnotes."""
    above = list(itertools.takewhile(lambda line: not FOOTNOTE_LINE.match(line.text), lines))
    return ((above or lines)[-1].bottom - top) / (bottom - top)


def test_no_page_of_the_body_is_left_two_fifths_empty(pdf_pages, pdf_body):
    """No exception for a float held at the end of its section: the next section's text fills
    the page instead, the float topping the next page."""
    bottom = max(line.bottom for page in pdf_body for line in page.lines)
    short = [(index + 1, f"{fill:.0%}", pdf_body[index].lines[-1].text[:30])
             for index in range(page_numbered(pdf_pages, "1"), len(pdf_body) - 1)
             if pdf_body[index].lines and not opens_chapter(pdf_pages[index + 1])
             and (fill := page_fill(pdf_body[index].lines, HEAD_PT, bottom)) < MIN_PAGE_FILL]
    assert not short, f"pages left more than two fifths empty: {short}"


def test_page_fill_stops_above_the_footnotes():
    lines = [Line(100, 110, "Text"), Line(200, 210, "Text"),
             Line(700, 708, "3 Defined in the glossary, page 47.")]
    assert page_fill(lines, 100, 800) == pytest.approx(110 / 700)
    assert page_fill(lines[:2], 100, 800) == page_fill(lines, 100, 800)


def label_lines(raw_text: str, label: str) -> list[int]:
    """The lines each occurrence of a citation's label takes in the PDF's typeset text, but
    for those in the text's brackets ("[Foley, 2020]") and in a figure's source line ("Source:
    Foley, 2020; …"), which break as the text's words do."""
    pattern = r"\s+".join(map(re.escape, label.split()))

    def in_text(start: int) -> bool:
        source = raw_text.rfind("Source: ", 0, start)
        return (raw_text.rfind("[", 0, start) > raw_text.rfind("]", 0, start)
                or source >= 0 and ".\n" not in raw_text[source:start])

    return [found.group().count("\n") + 1 for found in re.finditer(pattern, raw_text)
            if not in_text(found.start())]


def table_labels(html_dir: Path, pages: list[str]) -> set[str]:
    """The labels of the citations in the book's tables."""
    return {found.group(1) for table in html_tables(html_dir, pages, label_marks=True)
            for row in table[1:] for cell in row for found in MARKED_LABEL.finditer(cell)}


def broken_labels(labels: set[str], raw_text: str, most: int) -> dict[str, int]:
    """The labels that take more than ``most`` lines somewhere in the PDF's typeset text."""
    return {label: lines for label in labels
            if (lines := max(label_lines(raw_text, label) or [1])) > most}


def test_a_citation_in_a_table_breaks_at_most_once(publish, toc_pages, pdf_raw_text):
    """"Washington / Post / Live, 2020b" took three lines of Table 5.3's narrow Source column:
    a label breaks once at most, unless one of its two lines would be wider than a label that
    never breaks ("National Institute of Standards / and Technology, 2019", which held Table
    2.1's sources column a quarter of the line wide beside descriptions in ten lines)."""
    labels = table_labels(publish.html_dir, toc_pages)
    assert "Washington Post Live, 2020b" in labels
    long_labels = {label for label in labels
                   if len(citation_lines(label, printed_width, most=MAX_LABEL_LINES)) > 2}
    assert long_labels == {"National Institute of Standards and Technology, 2019"}
    broken = broken_labels(labels - long_labels, pdf_raw_text, 2)
    broken |= broken_labels(long_labels, pdf_raw_text, MAX_LABEL_LINES)
    assert not broken, f"citations in tables broken more than once (label: lines): {broken}"


def test_a_short_citation_in_a_table_never_breaks(publish, toc_pages, pdf_raw_text):
    """"116th / Congress, 2020b" (Table 1.8) and "Associated / Press, 2020a" (Table 5.3)
    broke where the table could give them room: a label no wider than a fifth of the line
    prints whole, unless its table's prose columns need the room (its limit,
    :func:`frbook.tables.citation_limit`, is then under the label's width)."""
    unbroken = unbroken_pattern(REPO_ROOT)
    whole, may_break = set(), set()
    for table in html_tables(publish.html_dir, toc_pages, label_marks=True):
        limit, _ = citation_limit([list(column) for column in zip(*table, strict=True)],
                                  printed_width, lambda text: as_one_word(text, unbroken))
        for label in {found.group(1) for row in table[1:] for cell in row
                      for found in MARKED_LABEL.finditer(cell)}:
            width = printed_width(label, TEXT)
            if width <= UNBROKEN_CITATION_PT:
                (whole if width <= limit else may_break).add(label)
    labels = whole - may_break
    assert "116th Congress, 2020b" in labels
    broken = broken_labels(labels, pdf_raw_text, 1)
    assert not broken, f"short citations in tables broken (label: lines): {broken}"


def test_label_lines_are_counted_across_line_ends():
    text = ("Source\nWashington\nPost\nLive, 2020b\nmore [Foley, 2020; Washington Post\n"
            "Live, 2020b] and Washington Post Live, 2020b\nSource: Foley, 2020; Washington\n"
            "Post Live, 2020b.\nA table: Washington Post\nLive, 2020b")
    assert label_lines(text, "Washington Post Live, 2020b") == [3, 1, 2]


def test_part_pages_have_no_running_foot(pdf, pdf_pages):
    """A part's title page ("Part I / The report") has no page number and no rule at its foot,
    as a book's part pages have none."""
    parts = part_pages(pdf_pages)
    assert parts, "no part pages found"
    height = float(re.search(r"Page size:\s+[\d.]+ x ([\d.]+)",
                             poppler("pdfinfo", str(pdf))).group(1))
    for number in parts:
        words = pdf_pages[number - 1].split()
        foot = [row for row in ink_rows(pdf, number) if row > height - FOOT_PT]
        assert not foot and not any(word.isdigit() for word in words), (
            f"page {number}, a part page, has a running foot: {words}")


def entries_ending_hyphenated(lines: list[str]) -> list[str]:
    """Bibliography entries (each opens with its "[label]") whose last line is the end of a word
    hyphenated on the line before ("AP-derived re-" / "port."): joined, a word the PDF has
    elsewhere."""
    words = set(re.findall(r"[\w’']+", " ".join(lines)))
    found = []
    for before, last, after in zip(lines[:-1], lines[1:], [*lines[2:], "["], strict=True):
        broken = re.search(r"(?<![-\w])([a-z][\w’']*)-$", before)
        rest = re.match(r"([\w’']+)", last)
        if (after.startswith("[") and not last.startswith("[") and broken and rest
                and broken.group(1) + rest.group(1) in words):
            found.append(f"{broken.group(1)}-{rest.group(1)}")
    return found


def test_no_bibliography_entry_ends_with_a_hyphenated_word(pdf_pages, pdf_body):
    lines = [line.text for index in chapter_pages(pdf_pages, "Bibliography")
             for line in pdf_body[index].lines]
    assert any(line.startswith("[") for line in lines), "no bibliography entries found"
    found = entries_ending_hyphenated(lines)
    assert not found, f"bibliography entries ending with a hyphenated word: {found}"


def test_entries_ending_hyphenated_are_found():
    lines = ["[Wood, 2019] Wood, Matt. Statement. An AP-derived re-", "port.",
             "[X, 2020] X. A report on a well-", "known case, in anti-", "trafficking.",
             "[Y, 2021] Y."]
    assert entries_ending_hyphenated(lines) == ["re-port"]


# --- A fresh reader's fifth reading (issue 18): the contents' page breaks, long tables' first
# pages, references on their target's page, tables inside sentences, citations not hyphenated.

# A line of the contents with dot leaders lists a section; one without, a part or a chapter.
LEADERS = ". . ."
# What ends a sentence or a clause that introduces what follows ("…were read as follows:").
SENTENCE_END = re.compile(r"[.:?!][”’)\]]*$")


def contents_pages(layout_pages: list[str]) -> list[list[str]]:
    """The lines of each page of the table of contents (``pdftotext -layout``, a line with its
    page number), from its title to the list of figures, without the title and the folio."""
    pages, inside = [], False
    for text in layout_pages:
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0] in ("CONTENTS", "LIST OF FIGURES"):
            inside, lines = lines[0] == "CONTENTS", lines[1:]
        if inside:
            pages.append([line for line in lines if not re.fullmatch(r"[ivxlc]+", line)])
    return pages


def stranded_contents_lines(pages: list[list[str]]) -> list[str]:
    """Chapter or part lines (no leaders) that end a page of the contents when the next page
    starts with the sections (or the chapter) under them."""
    return [page[-1] for page, following in itertools.pairwise(pages)
            if LEADERS not in page[-1] and following and (
                LEADERS in following[0] or re.fullmatch(r"[IVX]+ .*", page[-1]))]


def test_no_contents_page_ends_with_a_chapter_whose_sections_follow_overleaf(pdf):
    pages = contents_pages(poppler("pdftotext", "-layout", str(pdf), "-").split("\f"))
    assert len(pages) > 1, f"the contents take {len(pages)} page"
    stranded = stranded_contents_lines(pages)
    assert not stranded, f"contents pages ending with a chapter line: {stranded}"


def test_stranded_contents_lines_are_found():
    layout = ["Title", "   CONTENTS\n\nOverview    1\n\n I  The report  4\n   i\n",
              "  1.1 Articles . . .  5\n   ii\n", "  LIST OF FIGURES\n 3.1 The . . . 20\n"]
    assert contents_pages(layout) == [["Overview 1", "I The report 4"], ["1.1 Articles . . . 5"]]
    pages = [["1 Sources . . . 5", "1.1 Articles . . . . 5", "5 The principles at stake 29"],
             ["5.1 Three lists . . . 29", "II Data and references 44"], ["8 The data 45"]]
    assert stranded_contents_lines(pages) == ["5 The principles at stake 29",
                                              "II Data and references 44"]
    assert stranded_contents_lines([["Overview 1", "Glossary 48"], ["Bibliography 53"]]) == []


def raw_pages(pdf: Path) -> list[str]:
    """Each page's text in the order it was typeset (a table cell by cell, row by row)."""
    return poppler("pdftotext", "-raw", str(pdf), "-").split("\f")


# A long table's first page holds at least this many of its rows: Table 1.3 started at a page's
# foot with one row of nine lines and "continues on next page".
MIN_FIRST_PAGE_ROWS = 2


def test_a_long_table_starts_with_its_first_rows(publish, printed, pdf, toc_pages):
    """Table 1.3 started at a page's foot with its header and one short row: a long table
    starts where its first three rows fit, or its first rows as tall as LONG_TABLE_START_LINES
    lines, and never with fewer than MIN_FIRST_PAGE_ROWS, else on the next page."""
    pages = [squash(page) for page in raw_pages(pdf)]
    long_tables = [(table, cells, column_shares(spec)) for (environment, spec, _), table, cells
                   in zip(latex_tables(printed.tex), html_tables(publish.html_dir, toc_pages),
                          printed_tables(publish.html_dir, toc_pages), strict=True)
                   if environment == "longtable"]
    assert long_tables, "no long table"
    alone = []
    for table, cells, shares in long_tables:
        first = max(start_rows(cells, shares), min(MIN_FIRST_PAGE_ROWS, len(table) - 1))
        rows = [squash("".join(row)) for row in table[1:first + 1]]
        page = next(index for index, text in enumerate(pages) if rows[0] in text)
        if not all(row in pages[page] for row in rows):
            alone.append(f"{table[0]} (page {page + 1})")
    assert not alone, f"long tables starting without their first rows: {alone}"


def test_a_long_table_starts_with_three_rows_or_two_tall_ones():
    short, tall = ["a b"] * 3, ["word " * 60] * 3
    shares = [0.3, 0.3, 0.3]
    assert start_rows([["A", "B", "C"], *[short] * 5], shares) == 3
    assert start_rows([["A", "B", "C"], tall, short, short], shares) == 2
    assert start_rows([["A", "B", "C"], short, short], shares) == 2


ON_PAGE_REFERENCE = re.compile(r"\bon page (\d+)\b")


def references_to_their_own_page(pdf_pages: list[str]) -> list[str]:
    """References that give the page they are printed on ("Fig. 3.1 on page 20" on page 20)."""
    found = []
    for text in pdf_pages:
        number = printed_number(text)
        words = " ".join(text.split())
        found += [words[max(found.start() - 40, 0):found.end()]
                  for found in ON_PAGE_REFERENCE.finditer(words) if found.group(1) == number]
    return found


def test_no_reference_gives_the_page_it_is_on(pdf_pages):
    """"(Fig. 3.1 on page 20)" on page 20, a few lines above the figure, read oddly: a
    reference on its target's page gives no page."""
    assert any(ON_PAGE_REFERENCE.search(page) for page in pdf_pages), "no page references"
    found = references_to_their_own_page(pdf_pages)
    assert not found, f"references giving their own page: {found}"


def test_references_to_their_own_page_are_found():
    pages = ["See Fig. 3.1 on page 20 below, and the limits on page 12.\n\n 20\n",
             "As said on page 20.\n 21\n"]
    assert references_to_their_own_page(pages) == ["See Fig. 3.1 on page 20"]


TABLE_CAPTION_LINE = re.compile(r"^Table \d+\.\d+: ")


def lines_before_tables(pdf_body: list[Body]) -> list[str]:
    """For each table that opens a page (a float held over from the page before, or a table
    that did not fit there), the last line of the page before, its footnotes aside. A table
    printed within a page follows the paragraph it stands after in the source."""
    found = []
    for before, page in itertools.pairwise(pdf_body):
        if page.lines and TABLE_CAPTION_LINE.match(page.lines[0].text) and (text := list(
                itertools.takewhile(lambda line: not FOOTNOTE_LINE.match(line.text),
                                    before.lines))):
            found.append(text[-1].text)
    return found


def test_no_table_is_printed_inside_a_sentence(pdf_body):
    """Tables 5.1 and 8.2 floated to the top of the next page and split "… as TechNadu /
    [the table] / reported it": a table follows the paragraph that introduces it, so the
    page before a table that opens a page ends with a sentence."""
    assert any(TABLE_CAPTION_LINE.match(line.text) for page in pdf_body for line in page.lines)
    inside = [line[-40:] for line in lines_before_tables(pdf_body)
              if not SENTENCE_END.search(line)]
    assert not inside, f"tables printed after a line ending mid-sentence: {inside}"


def test_lines_before_tables_are_found():
    pages = [Body(842, [Line(100, 110, "hold Vice's outreach as TechNadu"),
                        Line(700, 708, "3 Defined in the glossary, page 47.")]),
             Body(842, [Line(100, 110, "Table 8.2: The first rows"), Line(110, 120, "Date"),
                        Line(300, 310, "The rows were read as follows:"),
                        Line(310, 320, "Table 8.3: The columns")]),
             Body(842, [Line(100, 110, "Text.")])]
    assert lines_before_tables(pages) == ["hold Vice's outreach as TechNadu"]
    assert not SENTENCE_END.search("hold Vice's outreach as TechNadu")
    assert SENTENCE_END.search("as the post said.”") and SENTENCE_END.search("as follows:")


def test_the_recommended_citation_is_not_hyphenated(pdf_pages, pdf_body):
    """"…retreat from po- / lice facial recognition": a citation meant to be copied keeps its
    words whole, on the back of the title page and in the citing chapter."""
    words = set(re.findall(r"\w+", apa(read_book(REPO_ROOT)).text))
    pages = [1, *chapter_pages(pdf_pages, "How to cite this book")]
    lines = [line.text for index in pages for line in pdf_body[index].lines]
    assert squash(apa(read_book(REPO_ROOT)).title) in squash(" ".join(lines))
    found = broken_identifiers(lines, words)
    assert not found, f"words of the citation hyphenated: {found}"


def test_the_overviews_headings_are_set_as_sections(printed, toc_pages):
    """The overview's headings ("Key findings") were black bold serif lines, every other
    chapter's blue bold sans headings: they are sections like the others."""
    overview = source_text(source_of(toc_pages[0]))
    titles = [plain(title) for title in re.findall(r"^##+ +(.+?)\s*$", overview, re.M)]
    assert titles, "the overview has no headings"
    sections = {squash(tex_text(title)) for title in re.findall(
        r"^\\(?:sub)?section\*\{(.*)\}$", printed.tex, re.M)}
    missing = [title for title in titles if squash(title) not in sections]
    assert not missing, f"overview headings not set as sections: {missing}"


# --- A fresh reader's fifth reading (issue 19): prose columns, pages left white before tables.

# A column of running text (frbook.tables.Columns.is_prose) does not make a row far taller than
# its other cells (more than MAX_ROW_LINES_RATIO times, and MIN_EXCESS_LINES lines more) while
# another column has room to give: it sets no row's height and is SPARE_PT wider than its
# longest word. Table 2.1's "What was tested" ran ten lines beside cells of six and fewer, and
# "What it found" had 25 pt to spare.
MAX_ROW_LINES_RATIO = 1.5
MIN_EXCESS_LINES = 3
SPARE_PT = 12
TABLE_START = re.compile(r"Table (\d+\.\d+)(?::| – continued)")


@dataclass(frozen=True)
class CellLine:
    """A line of a table's cell as printed: its words, width (points), text, and the row it
    is in (counted from the table's first body row, a row continued overleaf counting anew)."""

    words: int
    width: float
    text: str
    row: int


ROW_GAP = 1.15  # a gap between lines this much wider than the table's narrowest starts a row


def table_lines(pdf: Path, tables: list[tuple[list[str], list[float]]]
                ) -> list[list[list[CellLine]]]:
    """Each table's columns (``tables``: their header cells and their columns' shares of the
    line, in the order of their numbers) as printed: the lines of each column below the
    header (:class:`CellLine`). A table's part on a page runs from its caption ("Table 1.3:"
    or "Table 1.3 – continued") past its header to the first line at the text's left edge, or
    the page's foot; its rows are told apart by the space between them."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", poppler(
        "pdftotext", "-bbox", str(pdf), "-")))
    parts: dict[str, list[list[tuple[int, list[tuple[float, float, str]]]]]] = {}
    for page in root.iter(f"{XHTML}page"):
        bottom = float(page.get("height")) - FOOT_PT
        rows: dict[int, list[tuple[float, float, str]]] = {}
        baselines: dict[int, float] = {}
        for word in page.iter(f"{XHTML}word"):
            if HEAD_PT < float(word.get("yMin")) < bottom:
                line = round(float(word.get("yMax")))
                rows.setdefault(line, []).append(
                    (float(word.get("xMin")), float(word.get("xMax")), word.text or ""))
                baselines[line] = float(word.get("yMax"))
        lines = [(baselines[y], sorted(words)) for y, words in sorted(rows.items())]
        left = min((line[0][0] for _, line in lines), default=0)
        for index, (_, line) in enumerate(lines):
            found = TABLE_START.match(" ".join(text for _, _, text in line))
            if found and line[0][0] > left + 1:  # a caption, centred, not in a list of tables
                body = []
                for y, row in lines[index + 1:]:
                    if row[0][0] <= left + 1 or squash(" ".join(
                            text for _, _, text in row)).startswith("continuesonnextpage"):
                        break
                    body.append((y, row))
                parts.setdefault(found.group(1), []).append(body)
    found = []
    for number, (header, table_shares) in zip(
            sorted(parts, key=lambda n: tuple(map(int, n.split(".")))), tables, strict=True):
        edges = list(itertools.accumulate((share * PDF_LINE_PT for share in table_shares),
                                          initial=0))
        columns: list[list[CellLine]] = [[] for _ in table_shares]
        row_number = -1
        for body in parts[number]:
            left = min((row[0][0] for _, row in body), default=0) - 4  # the cells' inner edge
            heading = itertools.accumulate(squash("".join(word[2] for word in row))
                                           for _, row in body)
            lines = sum(1 for text in heading if len(text) < len(squash("".join(header))))
            body = body[lines + 1:]  # the header's lines aside
            gaps = [after - before for (before, _), (after, _) in itertools.pairwise(body)]
            line_gap = min(gaps, default=0)
            for index, (_, row) in enumerate(body):
                if index == 0 or gaps[index - 1] > ROW_GAP * line_gap:
                    row_number += 1
                for column, (start, end) in enumerate(itertools.pairwise(edges)):
                    words = [word for word in row if left + start <= word[0] < left + end]
                    if words:
                        columns[column].append(CellLine(
                            len(words), words[-1][1] - words[0][0],
                            " ".join(word[2] for word in words), row_number))
        found.append(columns)
    return found


def row_heights(columns: list[list[CellLine]]) -> dict[int, list[int]]:
    """Each printed row's lines in each column (:func:`table_lines`)."""
    heights: dict[int, list[int]] = {}
    for column, lines in enumerate(columns):
        for line in lines:
            heights.setdefault(line.row, [0] * len(columns))[column] += 1
    return heights


def test_prose_columns_are_not_starved_while_others_have_room(publish, printed, pdf,
                                                              toc_pages):
    """Columns sized to make a table short gave Table 2.1's "What it found" 63 pt, 1.8 words a
    line, beside wider prose columns; sized then for four words a line in every prose column,
    its longest descriptions ran ten lines beside cells of six: a column of running text does
    not make its row far taller than the row's other cells, whose columns have room to give."""
    tables = printed_tables(publish.html_dir, toc_pages)
    shares = [column_shares(spec) for _, spec, _ in latex_tables(printed.tex)]
    printed_columns = table_lines(pdf, [(table[0], share)
                                        for table, share in zip(tables, shares, strict=True)])
    starved = []
    for table, share, columns in zip(tables, shares, printed_columns, strict=True):
        model = Columns([list(column) for column in zip(*table, strict=True)], printed_width)
        rows = list(row_heights(columns).values())
        setting = {index for lines in rows for index, count in enumerate(lines)
                   if count == max(lines)}
        spare = [table[0][index] for index in range(len(share)) if index not in setting
                 and share[index] * PDF_LINE_PT - model.floors[index] >= SPARE_PT]
        for lines in rows:
            tallest = max(range(len(lines)), key=lines.__getitem__)
            others = max(lines[:tallest] + lines[tallest + 1:], default=0)
            if (model.is_prose(tallest) and spare and lines[tallest] > MAX_ROW_LINES_RATIO
                    * others and lines[tallest] - others >= MIN_EXCESS_LINES):
                starved.append(f"{table[0][tallest]}: {lines[tallest]} lines beside {others}, "
                               f"room in {spare}")
    assert len(printed_columns) > 5
    assert not starved, f"prose columns starved beside columns with room: {starved}"


def narrow_prose_columns(tables: list[list[list[str]]], printed_columns: list[list[list[CellLine]]]
                         ) -> list[str]:
    """Prose columns printed at fewer than PROSE_LINE_WORDS words a line beside a prose column
    of more than one word a line more, in a table whose prose columns all have room for their
    measure (:meth:`Columns.starves_prose`)."""
    found = []
    for table, columns in zip(tables, printed_columns, strict=True):
        model = Columns([list(column) for column in zip(*table, strict=True)], printed_width)
        if model.starves_prose():
            continue
        words = {index: sum(line.words for line in lines) / len(lines)
                 for index, lines in enumerate(columns) if model.is_prose(index) and lines}
        found += [f"{table[0][index]}: {count:.1f} words a line beside {most:.1f}"
                  for index, count in words.items()
                  if count < PROSE_LINE_WORDS and (most := max(words.values())) > count + 1]
    return found


def test_prose_columns_keep_their_measure_beside_each_other(publish, printed, pdf, toc_pages):
    """Table 1.5's claims wrapped every three or four words (3.6 a line, a claim in six lines)
    to take a line off the reasons beside them (5.3 a line): where the line has room for every
    prose column's measure, none is narrowed below it to widen another."""
    tables = printed_tables(publish.html_dir, toc_pages)
    shares = [column_shares(spec) for _, spec, _ in latex_tables(printed.tex)]
    printed_columns = table_lines(pdf, [(table[0], share)
                                        for table, share in zip(tables, shares, strict=True)])
    narrow = narrow_prose_columns(tables, printed_columns)
    assert not narrow, f"prose columns narrowed below their measure beside others: {narrow}"


def test_no_word_breaks_in_a_table_cell(publish, printed, pdf, toc_pages):
    """"classifica-" / "tion" (Table 2.1) and "Non-" / "discrimination" (Table 5.1) broke in
    narrow columns beside columns with room: in a table whose columns can each be as wide as
    their longest word, no line of a cell ends inside a word, hyphenated or at its own
    hyphen."""
    tables = printed_tables(publish.html_dir, toc_pages)
    shares = [column_shares(spec) for _, spec, _ in latex_tables(printed.tex)]
    printed_columns = table_lines(pdf, [(table[0], share)
                                        for table, share in zip(tables, shares, strict=True)])
    broken = [f"{table[0][index]}: {line.text}" for table, columns
              in zip(tables, printed_columns, strict=True)
              if Columns([list(column) for column in zip(*table, strict=True)],
                         printed_width).whole_words
              for index, lines in enumerate(columns) for line in lines
              if re.search(r"\w-$", line.text)]
    assert not broken, f"words broken at a line's end in table cells: {broken}"


def test_table_captions_are_set_in_one_size(pdf):
    """Table 1.6's caption, a long table's, was set in its cells' small type, a point smaller
    than a short table's: every table's caption is one size."""
    sizes = {}
    for top, bottom, text, after in pdf_caption_words(pdf):
        if text == "Table" and re.fullmatch(r"\d+\.\d+:", after):
            sizes[after] = round(bottom - top, 1)
    assert len(sizes) > 5, sizes
    assert len(set(sizes.values())) == 1, f"table captions in different sizes: {sizes}"


def pdf_caption_words(pdf: Path) -> list[tuple[float, float, str, str]]:
    """Every word of the PDF (its top, bottom and text) with the word after it on its page."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", poppler(
        "pdftotext", "-bbox", str(pdf), "-")))
    return [(float(word.get("yMin")), float(word.get("yMax")), word.text or "", after.text or "")
            for page in root.iter(f"{XHTML}page")
            for word, after in itertools.pairwise(page.iter(f"{XHTML}word"))]


def test_a_total_row_is_ruled_off_and_bold(publish, printed, toc_pages):
    """Table 1.4's "All sources" read as one more kind of source: a row that sums the rows
    above it is in bold, in the HTML as in the PDF, and ruled off from them on paper."""
    totals = [row for table in html_tables(publish.html_dir, toc_pages, code_marks=True)
              for row in table[-1:] if row[0] == "All sources"]
    assert totals, "no total row"
    markup = "".join((publish.html_dir / page).read_text(encoding="utf-8")
                     for page in toc_pages)
    assert re.search(r"<strong>All sources</strong>", markup), "the total is not bold"
    assert re.search(r"\\sphinxmidrule\s*(?:\\sphinxAtStartPar\s*)?\\sphinxstylestrong"
                     r"\{All sources\}", printed.tex), \
        "the total row is not ruled off"


def test_a_citation_stays_with_the_heading_and_words_that_introduce_it(pdf_pages):
    """"The data" and its sentence ended a page, its citation started the next: a short
    section of the citing chapter keeps its heading, text and first citation on one page; the
    chapter's example reads as a run-in label ("Example (chapter 1, Sources and method):"),
    not as a lone line like a heading."""
    pages = [pdf_pages[index] for index in chapter_pages(pdf_pages, "How to cite this book")]
    data = [page for page in pages if re.search(r"^\s*The data\s*$", page, re.M)]
    assert data, "no heading “The data” in the citing chapter"
    assert "[Data set]" in data[0], "the data's citation is not on its heading's page"
    first = yaml_toc()["parts"][0]["chapters"][0]["file"]
    title = first_heading(source_text(source_of(Path(first).with_suffix(".html").as_posix())))
    assert squash(f"Example (chapter 1, {title}):") in squash(" ".join(pages))


PAGE_REFERENCE_TEX = re.compile(r"\\frbookonpage\{\\detokenize\{([^{}]*)\}\}")
HEADING_LINE = re.compile(r"^\\(?:chapter|section|subsection|subsubsection)\*?\{(.*)\}$")
PASSAGE_WORDS = 4  # a labelled passage is found on its page by its first words
# LaTeX whose arguments print nothing: a role's classes, a link's or a label's target.
UNPRINTED_ARGUMENTS = re.compile(r"\\label\{\\detokenize\{[^{}]*\}\}"
                                 r"|\\(?:DUrole|hyperlink)\{[^{}]*\}"
                                 r"|\\hyperref\[[^\]]*\]|\\[a-zA-Z]+\*?|[{}]")


def first_words(tex: str, count: int = PASSAGE_WORDS) -> str:
    """The first ``count`` words that a stretch of LaTeX prints, squashed."""
    words = []
    for word in UNPRINTED_ARGUMENTS.sub(" ", tex.replace("~", " ")).split():
        if squash(word):
            words.append(squash(word))
        if len(words) == count:
            break
    return "".join(words)


def labelled_passages(tex: str) -> dict[str, str]:
    """Each label that a reference gives the page of ("on page 17"), and the first words of
    the passage it labels (squashed): the heading's when it follows a heading, else those of
    the text after it (a figure's label, after its caption, is left to the figures' test)."""
    passages = {}
    for label in set(PAGE_REFERENCE_TEX.findall(tex)):
        at = tex.find(r"\label{\detokenize{" + label + "}}")
        if at < 0:
            continue
        line_start = tex.rfind("\n", 0, at) + 1
        before = tex[line_start:at]
        if UNPRINTED_ARGUMENTS.sub("", before).strip():
            continue  # after a caption: a figure
        previous = tex[:line_start].rstrip("\n").rsplit("\n", 1)[-1]
        heading = HEADING_LINE.match(previous) if not before.strip() else None
        if heading:
            passages[label] = first_words(heading.group(1))
        else:
            passages[label] = first_words(tex[at:tex.find("\n\n", at)])
    return passages


def label_pages(aux: str) -> dict[str, str]:
    """The page each label is on, as a reference to it prints it, from LaTeX's .aux file."""
    return dict(re.findall(r"^\\newlabel\{([^{}]*)\}\{\{[^{}]*\}\{([^{}]*)\}", aux, re.M))


def misplaced_references(tex: str, aux: str, pdf_pages: list[str]) -> list[str]:
    """References whose "on page N" gives a page that does not hold the first words of the
    passage they point at (a label set between paragraphs lands on the page before the one
    its paragraph moved on to)."""
    pages = label_pages(aux)
    found = []
    for label, words in sorted(labelled_passages(tex).items()):
        page = pdf_pages[page_numbered(pdf_pages, pages[label])]
        if words not in squash(page):
            found.append(f"{label}: on page {pages[label]}, its passage ({words!r}) is not")
    return found


def test_a_page_reference_gives_the_page_of_its_passage(printed, pdf_pages):
    """"Both described in the background chapter on page 17": the paragraphs meant
    ("Congress. On 14 November 2019 ...") are on page 18. A reference gives the page where its
    passage's first words are: a heading's page, a paragraph's first line's."""
    passages = labelled_passages(printed.tex)
    assert len(passages) >= 10, f"too few labelled passages found: {passages}"
    aux = printed.pdf.with_suffix(".aux").read_text(encoding="utf-8")
    found = misplaced_references(printed.tex, aux, pdf_pages)
    assert not found, "references giving another page than their passage's:\n" + "\n".join(found)


def test_labelled_passages_are_read_from_headings_and_paragraphs():
    tex = ("\\section{The first rules}\n\\label{\\detokenize{b:rules}}\\label{\\detokenize{b:x}}\n"
           "\\sphinxAtStartPar\nText.\n\n\\phantomsection\\label{\\detokenize{b:bill}}\n"
           "\\sphinxAtStartPar\n\\sphinxstylestrong{Congress.} On \\DUrole{output,text_plain}"
           "{14~November~2019} Senators\n\n\\caption{A chart}\\label{\\detokenize{b:fig}}\n"
           "See \\frbookonpage{\\detokenize{b:rules}}, \\frbookonpage{\\detokenize{b:bill}} and"
           " \\frbookonpage{\\detokenize{b:fig}}.\n")
    assert labelled_passages(tex) == {"b:rules": "thefirstrules",
                                      "b:bill": "congresson14november"}
    aux = "\\newlabel{b:rules}{{2.3}{17}{The first rules}{section*.7}{}}\n"
    assert label_pages(aux) == {"b:rules": "17"}


TEXT_LINE_PT = (9.5, 10.5)  # the height of a line of the text's 10 pt type (not a heading's)
EDGE_PT = 1.5  # a line this close to the measure's edges starts at its left and fills it
NEXT_LINE_PT = 13  # a line's top this much below the one above: the same paragraph's
MIN_DEFINITION_LINES = 2  # a glossary term stays with this many lines of its definition


def text_lines(page: Body) -> list[Line]:
    """The lines of a page in the text's type (no headings, tables, lists or footnotes)."""
    return [line for line in page.lines
            if TEXT_LINE_PT[0] <= line.bottom - line.top <= TEXT_LINE_PT[1]]


def lone_lines(pdf_body: list[Body]) -> list[str]:
    """Paragraph lines left alone on a page: a paragraph's last line at the top of a page after
    its other lines (a widow), or its first line at the foot of one (an orphan). A paragraph's
    lines run from the text's left edge, all but the last as wide as the measure; a paragraph
    starts after more space than a line's, and ends on a line short of the measure. And a
    glossary term (at the left edge, its definition indented) at a page's foot with fewer than
    MIN_DEFINITION_LINES lines of its definition."""
    # The contents and the lists of figures and tables (leader dots) are not paragraphs.
    pages = [[] if any(LEADERS in line.text for line in page.lines) else text_lines(page)
             for page in pdf_body]
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    left = min(line.left for line in lines)
    right = max(line.right for line in lines)

    def full(line: Line) -> bool:
        return line.left <= left + EDGE_PT and line.right >= right - EDGE_PT

    found = []
    for number, (before, page) in enumerate(itertools.pairwise(pages), 2):
        if not before or not page:
            continue
        first, last = page[0], before[-1]
        alone = len(page) == 1 or page[1].top - first.top > NEXT_LINE_PT
        if (full(last) and alone and first.left <= left + EDGE_PT
                and first.right < right - EDGE_PT and first is pdf_body[number - 1].lines[0]):
            found.append(f"page {number} opens with a paragraph's last line: {first.text!r}")
        starts = len(before) == 1 or last.top - before[-2].top > NEXT_LINE_PT
        if full(last) and starts and last is pdf_body[number - 2].lines[-1]:
            found.append(f"page {number - 1} ends with a paragraph's first line: {last.text!r}")
        # A term (a line at the left edge) over its indented definition, which goes on overleaf.
        terms = [line for line in before[-MIN_DEFINITION_LINES:] if line.left <= left + EDGE_PT]
        if (terms and first.left > left + EDGE_PT and terms[-1] is not last
                and last is pdf_body[number - 2].lines[-1]):
            found.append(f"page {number - 1} ends with a term and one line of its definition: "
                         f"{terms[-1].text!r}")
    return found


def test_no_paragraph_leaves_one_line_alone_on_a_page(pdf_body):
    """"neither IBM nor Amazon used Microsoft's vocabulary." alone at the top of a page, the
    rest of its paragraph on the page before, read as a stray line: a paragraph that breaks
    across pages leaves two lines at least on each (\\widowpenalty, \\clubpenalty)."""
    found = lone_lines(pdf_body)
    assert not found, "\n".join(found)


def test_lone_lines_are_found():
    def line(top: float, right: float, text: str, left: float = 72) -> Line:
        return Line(top, top + 10, text, left, right)

    def full_line(top: float, text: str) -> Line:
        return line(top, 523, text)
    pages = [Body(842, [full_line(700, "Ends a page"), full_line(712, "and goes on")]),
             Body(842, [line(74, 300, "to end here."), full_line(92, "A new paragraph"),
                        full_line(104, "goes on"), line(116, 200, "and ends."),
                        full_line(134, "This one starts at the foot")]),
             Body(842, [full_line(74, "and goes on"), line(86, 300, "over two lines."),
                        line(104, 120, "Term"), line(116, 523, "Its definition", left=90)]),
             Body(842, [line(74, 523, "goes on", left=90), line(86, 300, "here.", left=90)])]
    assert lone_lines(pages) == [
        "page 2 opens with a paragraph's last line: 'to end here.'",
        "page 2 ends with a paragraph's first line: 'This one starts at the foot'",
        "page 3 ends with a term and one line of its definition: 'Term'"]


# Table 1.7 (the date each source carries and how it was read) as printed: a cell's unbreakable
# spaces as "~" (paper.as_one_word).
DATES_TABLE = [
    ["Topic", "IBM’s letter", "IBM’s letter", "IBM’s letter", "IBM’s letter",
     "Amazon’s moratorium", "Amazon’s moratorium", "Amazon’s moratorium", "Microsoft’s statement",
     "Microsoft’s statement", "Microsoft’s statement", "Federal moratorium bill",
     "Federal moratorium bill", "Federal moratorium bill", "Microsoft’s 2022 restrictions",
     "Microsoft’s 2022 restrictions", "Microsoft’s 2022 restrictions", "NIST demographic study",
     "NIST demographic study"],
    ["Outlet", "IBM", "The Daily Observer (Agence France~Presse wire)", "CFO",
     "HardwareZone Singapore", "About Amazon", "Reuters", "Law360", "ZDNet", "TechNadu",
     "The Washington Post (Washington Post Live transcript)",
     "U.S. Government Publishing Office (bill text)", "Axios", "PogoWasRight.org",
     "Microsoft Azure Blog", "The Hindu BusinessLine", "BigTechWire",
     "National Institute of Standards and Technology", "NIST News"],
    ["Dated", "8~June~2020", "9~June~2020", "9~June~2020", "10~June~2020", "10~June~2020",
     "10~June~2020", "10~June~2020", "11~June~2020", "12~June~2020", "15~June~2020",
     "25~June~2020", "June~2020", "28~June~2020", "21~June~2022", "June~2022", "21~June~2022",
     "December~2019", "19~December~2019"],
    ["How it was read", "Read", "Read through a copy", "Read", "Read", "Not read", "Read", "Read",
     "Read", "Read", "Read", "Read through a copy", "Read", "Read", "Read through a copy", "Read",
     "Read", "Read through a copy", "Read"],
    ["Source", "Krishna,~2020", "Agence~France~Presse,~2020", "CFO,~2020", "Wong,~2020",
     "Amazon,~2020", "Reuters,~2020b", "Law360,~2020", "Foley,~2020", "Toulas,~2020",
     "Washington~Post~Live,~2020b", "116th~Congress,~2020b", "Fried,~2020", "Hasbrouck,~2020",
     "Bird,~2022", "The~Hindu~BusinessLine,~2022", "BigTechWire,~2022", "Grother~et~al.,~2019",
     "National~Institute~of~Standards and~Technology,~2019"],
]


def test_widths_are_found_past_what_one_move_at_a_time_reaches():
    """Table 1.7's outlets wrapped to three lines in four rows (31 lines) beside topics and
    reading notes with a few points each to spare: no one column could give the outlets the
    room that saves a line. Width taken from two columns at once, and a second start from the
    minimums, find a shorter table: 29 lines, three outlets in three lines."""
    table = Columns(DATES_TABLE, printed_width)
    shares = column_shares(latex_column_spec(DATES_TABLE, printed_width))
    lines = [table.lines(i, share * PDF_LINE_PT)[1:] for i, share in enumerate(shares)]
    outlets = lines[[column[0] for column in DATES_TABLE].index("Outlet")]
    assert sum(map(max, zip(*lines, strict=True))) <= 29
    assert sum(1 for count in outlets if count >= 3) <= 3


# Table 2.1 (studies of accuracy before June 2020) as printed, its labels tied as the PDF ties
# them.
STUDIES_TABLE = [
    ["Study", "Gender Shades audit (February~2018)", "ACLU test of Rekognition (26~July~2018)",
     "Actionable Auditing follow-up (2019)", "NIST demographic-effects study (19~December~2019)"],
    ["What was tested", "Gender classification: commercial systems from IBM, Microsoft and "
     "Megvii (Face++) labelling faces male or female, on a benchmark balanced by gender and "
     "skin type", "Identity matching: Amazon Rekognition comparing members of Congress with a "
     "database of arrest photos", "Gender classification again: the audited companies’ new "
     "versions, and Amazon and Kairos for the first time", "Identity matching: 189 algorithms, "
     "one-to-one (verification) and one-to-many (searching a photo database)"],
    ["What it found", "Most errors for darker-skinned women, fewest for lighter-skinned men",
     "False matches for 28 members of Congress", "The audited companies had narrowed their "
     "gaps; Amazon and Kairos lagged behind", "Differences between demographic groups in the "
     "majority of algorithms"],
    ["Who answered, and how", "All three audited companies released new versions that narrowed "
     "the gaps, as the follow-up audit found", "Amazon: the test used a confidence threshold "
     "too low for police work; it recommends a far higher one", "Amazon: misleading, because "
     "facial analysis is not facial recognition; the researchers: the paper said it tested "
     "gender classification", "Amazon had submitted no algorithm; NIST itself warned against "
     "generalising across algorithms"],
    ["Sources", "Buolamwini~and Gebru,~2018; Raji~and Buolamwini,~2019", "American~Civil "
     "Liberties~Union,~2018; Snow,~2018; Wood,~2018", "CNET,~2019; Raji~and Buolamwini,~2019; "
     "Wood,~2019", "Grother~et~al.,~2019; National~Institute of~Standards~and "
     "Technology,~2019; Security~Today,~2019"],
]


def test_starved_prose_columns_give_width_that_shortens_the_table():
    """Table 2.1's findings, short cells never the tallest of their rows, kept a column as
    many words a line as the descriptions beside them, in eight lines (26 lines): a prose
    column gives width where that shortens the table, down to two words a line."""
    table = Columns(STUDIES_TABLE, printed_width)
    widths = [share * PDF_LINE_PT
              for share in column_shares(latex_column_spec(STUDIES_TABLE, printed_width))]
    lines = [table.lines(i, width)[1:] for i, width in enumerate(widths)]
    assert sum(map(max, zip(*lines, strict=True))) <= 24
    assert all(table.words_per_line(i, width) >= STARVED_LINE_WORDS
               for i, width in enumerate(widths) if table.is_prose(i))
