"""`make publish` in a temporary folder (conftest.publish): the whole book as one PDF
(jupyter-book's pdflatex builder, xelatex from Debian TeX Live), then the HTML, which links to
the PDF and serves it.

The PDF is read as a reader gets it, with poppler (pdftotext, pdfimages, pdffonts, pdfinfo),
and its LaTeX source and log where only they can tell (a table's environment, overfull boxes).
The chapters are read from _toc.yml and the notebooks' figure metadata, and the tables from the
HTML, so a new chapter, figure or table is checked without editing this file. TeX Live and
poppler-utils come from `make test` (`make tex`).
"""

import functools
import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
from pybtex.database import parse_file

from bibstyle import Style
from booksource import cited_keys, figures, first_heading, plain, source_of, source_text
from citation import apa, long_date, read_book, read_cff, read_dataset
from frbook.paths import REPO_ROOT
from htmlcheck import broken_links, parse_site
from printed import PAPER_VARIABLE, back_of_title_page, paper_size, running_title

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


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: `make test` installs poppler-utils (see `make tex`)")
    return found


@pytest.fixture(scope="session")
def pdf(publish) -> Path:
    if publish.pdf_returncode != 0 or not publish.pdf.is_file():
        pytest.fail("the PDF did not build:\n" + "\n".join(publish.log.splitlines()[-40:]))
    return publish.pdf


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


def squash(text: str) -> str:
    """Lower-case letters and digits only: immune to line breaks, hyphenation and quotes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", ascii_text.lower())


@pytest.fixture(scope="session")
def chapters(toc_pages) -> dict[str, tuple[str, list[str], set[str]]]:
    """Every page of the table of contents: title, figure captions and cited keys."""
    found = {}
    for page in toc_pages:
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
    # Each chapter opens on a right-hand page, so a book takes at least two pages a chapter.
    assert 2 * len(chapters) <= pages <= MAX_PAGES, f"{pages} pages"


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


def test_html_links_to_the_pdf_and_serves_it(publish, pdf):
    assert publish.html_returncode == 0, publish.log[-3000:]
    served = publish.html_dir / pdf.name
    assert served.read_bytes() == pdf.read_bytes()
    site = parse_site(publish.html_dir)
    for page in ("cite.html", "notebooks/overview.html", "notebooks/data.html"):
        hrefs = [url for _, url in site[page].urls if url.endswith(pdf.name)]
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


def test_the_list_of_figures_follows_the_contents_and_lists_every_figure(pdf_pages, chapters):
    contents = next(n for n, text in enumerate(pdf_pages) if squash("Contents") in squash(text))
    listing = next(n for n, text in enumerate(pdf_pages) if "LIST OF FIGURES" in text.upper())
    assert contents < listing < 10, "no list of figures after the contents"
    listed = squash("".join(pdf_pages[listing:listing + 2]))
    missing = [c for c in figure_captions(chapters) if squash(c)[:ENTRY_PREFIX_CHARS] not in listed]
    assert not missing, f"figures missing from the list of figures: {missing}"


class TableParser(HTMLParser):
    """Every <table> of a page as rows of cell texts, header row first."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("th", "td") and self.tables:
            self.cell = []

    def handle_endtag(self, tag) -> None:
        if tag in ("th", "td") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_tables(html_dir: Path, pages: list[str]) -> list[list[list[str]]]:
    """The tables of the book's pages in reading order."""
    found = []
    for page in pages:
        parser = TableParser()
        parser.feed((html_dir / page).read_text(encoding="utf-8"))
        found += parser.tables
    return found


LATEX_TABLE = re.compile(r"\\begin\{(longtable|tabulary|tabular)\}(.*?)\\end\{\1\}", re.S)


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


def test_every_html_table_is_a_typeset_table_with_the_same_columns(publish, pdf, toc_pages):
    html = html_tables(publish.html_dir, toc_pages)
    latex = latex_tables(publish.tex)
    assert html, "the book's HTML has no tables"
    assert [[squash(cell) for cell in table[0]] for table in html] == [
        cells for _, _, cells in latex], "the PDF's tables differ from the HTML's (headers)"
    for environment, spec, cells in latex:
        assert environment == "longtable", f"{cells}: a {environment}, which cannot break pages"
        assert "RaggedRight" in spec, f"{cells}: columns not ragged-right: {spec}"
    assert "\\PassOptionsToPackage{booktabs}{sphinx}" in publish.tex  # rules, no grey rows
    assert "{colorrows}" not in publish.tex
    assert not monospaced_outputs(publish.tex), "notebook outputs set as monospaced text"


def test_every_html_table_row_is_typeset_in_the_pdf_in_order(publish, pdf_raw_text, toc_pages):
    typeset = squash(pdf_raw_text)
    missing = [row for table in html_tables(publish.html_dir, toc_pages) for row in table
               if squash("".join(row)) not in typeset]
    assert not missing, f"table rows not typeset in the PDF, cell after cell: {missing[:3]}"


def test_a_table_that_breaks_across_pages_repeats_its_header(publish, pdf_pages, toc_pages):
    headers = [[squash(cell) for cell in table[0]] for table in
               html_tables(publish.html_dir, toc_pages)]
    continued = [text for text in pdf_pages if CONTINUED_TABLE in text]
    assert continued, "no table breaks across pages (or the break is not marked)"
    for text in continued:
        assert not re.search(r"Table [\d.]+\s*\W\s*" + CONTINUED_TABLE, text), (
            "a continued table names a table number that no caption shows")
        assert any(all(cell in squash(text) for cell in header) for header in headers), (
            f"a continued table without its header: {text[:200]!r}")


def test_front_matter_has_the_citation_licence_and_edition(pdf_pages):
    book = read_book(REPO_ROOT)
    front = squash("".join(pdf_pages[:2]))  # the title page and its back
    for expected in (apa(book).text, "Licence", "CC BY 4.0", "About this edition",
                     f"printed edition of version {book.version}"):
        assert squash(expected) in front, f"{expected!r} not on the front matter"


def test_pages_are_a4_with_headers_on_one_line(pdf, publish):
    info = poppler("pdfinfo", str(pdf))
    assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
    assert "headheight is too small" not in publish.latex_log
    assert f"\\gdef\\csname @title\\endcsname{{{running_title(read_book(REPO_ROOT))}}}" \
        in publish.tex


def overfull_boxes(log: str) -> list[float]:
    """How far (pt) each overfull box in a LaTeX log sticks out."""
    return [float(points) for points in OVERFULL_BOX.findall(log)]


def test_no_overfull_box_wider_than_five_points(publish, pdf):
    boxes = overfull_boxes(publish.latex_log)
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


def test_links_are_coloured_but_print_dark(publish, pdf):
    colours = link_colours(publish.tex)
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


def without_running_heads(page: str) -> str:
    """A page's text less its running head (the first line) and foot (the section's name and
    the page number), so that an entry or address broken across two pages reads as one."""
    lines = [line for line in page.splitlines() if line.strip()]
    if lines and re.fullmatch(r"[0-9ivxlc]+", lines[-1].strip()):
        lines = lines[:-1]
        if lines and not re.search(r"[/.:]", lines[-1]):  # a section name, not an address
            lines = lines[:-1]
    return "\n".join(lines[1:])


def test_bibliography_entries_carry_their_addresses(pdf_pages):
    text = squash("".join(without_running_heads(page) for page in pdf_pages))
    listed = {key: fields for key, (entry, fields) in formatted_entries().items()
              if squash(entry)[:ENTRY_PREFIX_CHARS] in text}  # the cited ones
    assert listed, "no bibliography entry found in the PDF"
    missing = [key for key, fields in listed.items()
               if "url" in fields and squash(fields["url"]) not in text]
    assert not missing, f"bibliography entries without their URL in the PDF: {missing}"


def test_html_loads_no_mathjax_and_ships_no_pdf_figures(publish, pdf):
    assert publish.html_returncode == 0, publish.log[-3000:]
    pages = sorted(publish.html_dir.rglob("*.html"))
    with_mathjax = [p.name for p in pages if "mathjax" in p.read_text(encoding="utf-8").lower()]
    assert not with_mathjax, f"pages that load MathJax: {with_mathjax}"
    pdfs = [p.name for p in publish.html_dir.rglob("*.pdf") if p.name != pdf.name]
    assert not pdfs, f"PDF figure outputs in the HTML: {pdfs}"
    assert list((publish.html_dir / "_images").glob("*.svg")), "the HTML lost its SVG figures"


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
    assert "no public address" in offline
    online = back_of_title_page(replace(book, url="https://example.org/b/"),
                                replace(dataset, url="https://example.org/b/data.html"), cff)
    assert online.count(r"\url{https://example.org/b/}") == 3  # citation, address, edition
    assert r"\url{https://example.org/b/data.html}" in online
    assert r"\textbf{Address}" in online and "no public address" not in online


def test_back_of_title_page_escapes_text_and_names_unknown_licences():
    book = replace(read_book(REPO_ROOT), title="R&D: 100% #1")
    page = back_of_title_page(book, read_dataset(REPO_ROOT), {"license": "Apache-2.0"})
    assert r"\emph{R\&D: 100\% \#1}" in page
    assert r"SPDX licence identifier: Apache\sphinxhyphen{}2.0." in page
    assert page.rstrip().endswith(r"\gdef\csname @title\endcsname{R\&D}}")
