"""The note under a figure: its source line, its citations linked to the bibliography, and a
CSV download holding exactly the plotted rows; a timeline's two drawings as files in the HTML."""

import base64
import html
import io
import re
from xml.etree import ElementTree

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from docutils import frontend, nodes
from docutils.utils import new_document
from matplotlib.figure import Figure

from figurenote import name_downloads, picture_with_files, with_citations
from frbook.charts import HOLLOW_KEY
from frbook.figures import figure_note
from frbook.style import SVG_URI
from htmlcheck import visible

DOWNLOAD_PARAGRAPH = re.compile(r'<p class="figure-data">.*</p>')


def chart(source: str | None = "Source: events table & <notes>", cited=()) -> Figure:
    fig = Figure()
    fig.source, fig.cited = source, list(cited)
    fig.plotted = pd.DataFrame({"date": pd.to_datetime(["2020-06-08"]), "label": ["IBM, exit"]})
    return fig


def test_the_download_link_decodes_to_the_plotted_rows():
    markup = figure_note(chart())._repr_markdown_()
    uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', markup).group(1)
    frame = pd.read_csv(io.StringIO(base64.b64decode(uri).decode("utf-8")))
    assert frame.to_dict("list") == {"date": ["2020-06-08"], "label": ["IBM, exit"]}


def test_the_source_line_is_a_paragraph_of_its_own_class_then_the_download_in_html_alone():
    """The source line is Markdown that reads literally (the PDF sets its class's type); the
    download is raw HTML, which the PDF leaves out; elsewhere the note is its source line."""
    note = figure_note(chart("Source: events table & *notes*"))
    markdown = note._repr_markdown_()
    assert markdown.startswith(
        "```{rst-class} figure-note\nSource\\: events table \\& \\*notes\\*\n```\n\n")
    assert DOWNLOAD_PARAGRAPH.fullmatch(markdown.split("\n\n", 1)[1].strip())
    assert repr(note) == "Source: events table & *notes*"
    assert not hasattr(note, "_repr_latex_")  # a LaTeX output would make pages load MathJax
    assert not hasattr(note, "_repr_html_")  # the HTML would take it, without citations


def test_a_chart_of_cited_rows_cites_their_sources_as_a_table_does():
    """Each source key once, as sphinxcontrib-bibtex's cite:alp ("Toulas, 2020; Bird, 2022",
    linked to the bibliography, in its order), as frbook.tables cites in a source cell."""
    note = figure_note(chart(None, cited=["toulas2020microsoft", "bird2022responsible"]))
    assert note._repr_markdown_().startswith(
        "```{rst-class} figure-note\n"
        "Source: {cite:alp}`toulas2020microsoft,bird2022responsible`.\n```")
    assert repr(note) == "Source: toulas2020microsoft; bird2022responsible."


def test_the_build_names_each_download_after_the_figure_it_follows():
    note = DOWNLOAD_PARAGRAPH.search(figure_note(chart())._repr_markdown_()).group(0)
    assert 'download="figure-data.csv"' in note
    document = new_document("page", frontend.get_default_settings())
    document += [nodes.raw(note, note, format="html"), nodes.figure(ids=["fig-a"]),
                 nodes.raw(note, note, format="html"), nodes.figure(),
                 nodes.raw(note, note, format="html")]
    name_downloads(document)
    downloads = [re.search(r'download="([^"]+)"', n.astext())[1] for n in document.children[0::2]]
    assert downloads == ["figure-data.csv", "fig-a.csv", "figure-data.csv"]


def test_source_lines_cite_as_the_tables_do():
    """"Toulas (2020)" prints as a table's source cell cites, "Toulas, 2020", an author with
    several years as one citation a year, as the text names them ("Associated Press, 2021b;
    Associated Press, 2021c"); a bracketed citation after other words in the text's brackets;
    other brackets stay."""
    note = figure_note(chart("Source: Buchanan et al. (2020); Associated Press (2021b, 2021c); "
                             "Krishna's letter (CFO.com, 2020; Associated Press, 2020a), the "
                             "events table (2016–2024)."))
    assert note.source == ("Source: Buchanan et al., 2020; Associated Press, 2021b; Associated "
                           "Press, 2021c; Krishna's letter [CFO.com, 2020; Associated Press, "
                           "2020a], the events table (2016–2024).")
    assert r"Buchanan et al\.\, 2020" in note._repr_markdown_()


def test_a_picture_gets_its_drawings_as_files_and_the_figures_alt_text():
    """_ext/figurenote.py writes each drawing of a <picture> (frbook.style.picture) to a file
    and gives its image the figure's alt text."""
    wide, narrow = b"<svg>wide</svg>", b"<svg>narrow</svg>"
    markup = (f'<picture><source media="(min-width: 600px)" '
              f'srcset="{SVG_URI}{base64.b64encode(wide).decode()}">'
              f'<img src="{SVG_URI}{base64.b64encode(narrow).decode()}" alt=""></picture>')
    written = []

    def write(svg: bytes) -> str:
        written.append(svg)
        return f"../_images/{len(written)}.svg"

    assert picture_with_files(markup, 'Three "decisions" & four days', write) == (
        '<picture><source media="(min-width: 600px)" srcset="../_images/1.svg">'
        '<img src="../_images/2.svg" alt="Three &quot;decisions&quot; &amp; four days">'
        '</picture>')
    assert written == [wide, narrow]


FIGURE_NOTE = re.compile(r'<p class="figure-note">(.*?)</p>', re.S)
CITATION_LINK = re.compile(r'<a class="reference internal" href="([^"#]*)#([^"]+)"[^>]*>(.*?)</a>',
                           re.S)
YEAR = re.compile(r"\b\d{4}[a-z]?\b")


def unlinked_citations(html_dir, pages: list[str]) -> list[str]:
    """Problems with the figures' source lines on ``pages``: a line without a citation linked
    to the bibliography, a link to an entry the bibliography lacks, or a year outside a link
    (a citation typed as text)."""
    bibliography = html_dir / "bibliography.html"
    entries = set(re.findall(r'id="([^"]+)"', bibliography.read_text(encoding="utf-8")))
    problems, notes = [], 0
    for page in pages:
        for note in FIGURE_NOTE.findall((html_dir / page).read_text(encoding="utf-8")):
            notes += 1
            links = CITATION_LINK.findall(note)
            if not links:
                problems.append(f"{page}: no linked citation in {visible(note)!r}")
            problems += [f"{page}: {visible(text)!r} links to {href}#{anchor}, no entry"
                         for href, anchor, text in links
                         if not href.endswith("bibliography.html") or anchor not in entries]
            rest = visible(CITATION_LINK.sub("", note))
            if YEAR.search(rest):
                problems.append(f"{page}: a citation not linked in {html.unescape(rest)!r}")
    return problems if notes else ["no figure source line found"]


@pytest.mark.slow
def test_each_figure_source_line_links_every_citation_to_its_bibliography_entry(html_dir,
                                                                                toc_pages):
    problems = unlinked_citations(html_dir, toc_pages)
    assert not problems, "\n".join(problems)


def test_a_figures_data_gets_the_citation_of_each_rows_source_before_its_key():
    labels = {"ibm2020letter": "Krishna, 2020", "wapo2020transcript": "Washington Post Live, 2020b"}
    data = ('date,label,source_key\n2020-06-08,"IBM, exit",ibm2020letter\n'
            "2020-06-11,x,wapo2020transcript\n")
    assert with_citations(data, labels) == (
        'date,label,source,source_key\n2020-06-08,"IBM, exit","Krishna, 2020",ibm2020letter\n'
        '2020-06-11,x,"Washington Post Live, 2020b",wapo2020transcript\n')
    assert with_citations("date,label\n2020-06-08,x\n", labels) == "date,label\n2020-06-08,x\n"
    with pytest.raises(ValueError, match="nobody2020"):
        with_citations("label,source_key\nx,nobody2020\n", labels)


def test_the_build_adds_the_citations_to_each_download():
    frame = pd.DataFrame({"label": ["IBM, exit"], "source_key": ["ibm2020letter"]})
    fig = chart()
    fig.plotted = frame
    note = DOWNLOAD_PARAGRAPH.search(figure_note(fig)._repr_markdown_()).group(0)
    document = new_document("page", frontend.get_default_settings())
    document += [nodes.figure(ids=["fig-a"]), nodes.raw(note, note, format="html")]
    name_downloads(document, {"ibm2020letter": "Krishna, 2020"})
    uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', document[1].astext())
    assert pd.read_csv(io.StringIO(base64.b64decode(uri[1]).decode())).to_dict("list") == {
        "label": ["IBM, exit"], "source": ["Krishna, 2020"], "source_key": ["ibm2020letter"]}


def built_figures(html_dir, page: str) -> dict[str, BeautifulSoup]:
    """The figures of a built chapter page by name, each with the note under it."""
    soup = BeautifulSoup((html_dir / page).read_text(encoding="utf-8"), "html.parser")
    return {figure["id"]: figure for figure in soup.select("main figure[id]")}


def drawings(html_dir, page: str, figure) -> list:
    """The SVG files of a figure's <picture>, laptop's then phone's."""
    return [(html_dir / page).parent / address
            for address in (figure.picture.source["srcset"], figure.picture.img["src"])]


def drawn_words(html_dir, page: str, figure) -> list[list[str]]:
    """The words of each drawing of a figure's <picture>, laptop's then phone's."""
    return [["".join(text.itertext()) for text in
             ElementTree.parse(svg).iter("{http://www.w3.org/2000/svg}text")]
            for svg in drawings(html_dir, page, figure)]


@pytest.mark.slow
def test_each_timeline_carries_its_key_and_names_its_months_and_years(html_dir):
    """On both screens: Fig. 6.2's key names the three kinds of event and Fig. 6.1's the
    companies, each then what its hollow marks mean, the two name the same years in full, and
    Fig. 3.1, which draws no hollow mark, names the months, each with its year, under its
    days."""
    aftermath = "notebooks/aftermath.html"
    figures = built_figures(html_dir, aftermath)
    kinds = drawn_words(html_dir, aftermath, figures["fig-laws-and-arrests-timeline"])
    companies = drawn_words(html_dir, aftermath, figures["fig-company-steps-timeline"])
    years = [str(year) for year in range(2020, 2025)]
    for words, company_words in zip(kinds, companies, strict=True):
        assert {"State and city laws", "Federal moratorium bill", "Wrongful arrests and outcomes",
                HOLLOW_KEY, *years} <= set(words)
        assert {"IBM", "Amazon", "Microsoft", HOLLOW_KEY, *years} <= set(company_words)
    announcements = "notebooks/announcements.html"
    fortnight = built_figures(html_dir, announcements)["fig-announcements-timeline"]
    for words in drawn_words(html_dir, announcements, fortnight):
        assert {"May 2020", "Jun 2020", "Other events"} <= set(words)
        assert HOLLOW_KEY not in words and "Jun" not in words


# A colour as an SVG writes it in a fill or stroke; the darkest grey a coloured mark may print
# as in greyscale (0 black, 1 white; Rec. 601 luma): the pale pink of Fig. 6.2's federal bills
# printed at 0.59 and read as faint.
SVG_COLOUR = re.compile(r"(?:fill|stroke): (#[0-9a-f]{6})")
MAX_MARK_GREY = 0.5


def grey_level(colour: str) -> float:
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


@pytest.mark.slow
def test_fig_6_2s_coloured_marks_print_dark_enough_in_greyscale(html_dir):
    """Every colour of Fig. 6.2 but its greys (text, gridlines, white) prints at least half
    ink, on both screens' drawings and so in the PDF's, drawn in the same colours."""
    aftermath = "notebooks/aftermath.html"
    figure = built_figures(html_dir, aftermath)["fig-laws-and-arrests-timeline"]
    for svg in drawings(html_dir, aftermath, figure):
        colours = set(SVG_COLOUR.findall(svg.read_text(encoding="utf-8")))
        marks = {c for c in colours if len({c[1:3], c[3:5], c[5:7]}) > 1}
        assert len(marks) == 3, f"{svg.name}: expected three kinds' colours, found {marks}"
        faint = {c: round(grey_level(c), 2) for c in marks if grey_level(c) > MAX_MARK_GREY}
        assert not faint, f"{svg.name}: colours that print faint in greyscale: {faint}"


def figure_data(html_dir, page: str, figure_name: str) -> pd.DataFrame:
    """The rows a built page's figure offers for download (its note's CSV)."""
    markup = (html_dir / page).read_text(encoding="utf-8")
    uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"\s+download="'
                    + re.escape(figure_name) + r'\.csv"', markup)
    assert uri, f"{page}: no download for {figure_name}"
    return pd.read_csv(io.StringIO(base64.b64decode(uri[1]).decode("utf-8")))


@pytest.mark.slow
def test_the_aftermath_downloads_name_their_columns_for_what_they_hold(html_dir):
    """Fig. 6.2's data holds each event's kind in a `group` column and its actor in `actor`
    (the kinds once filled a column headed `actor`); Fig. 6.1's `actor` holds companies."""
    aftermath = "notebooks/aftermath.html"
    kinds = figure_data(html_dir, aftermath, "fig-laws-and-arrests-timeline")
    assert list(kinds.columns[:4]) == ["date", "label", "group", "actor"]
    assert set(kinds["group"]) == {"State and city laws", "Federal moratorium bill",
                                   "Wrongful arrests and outcomes"}
    assert not set(kinds["actor"]) & set(kinds["group"])
    companies = figure_data(html_dir, aftermath, "fig-company-steps-timeline")
    assert list(companies.columns[:3]) == ["date", "label", "actor"]
    assert set(companies["actor"]) == {"IBM", "Amazon", "Microsoft"}


@pytest.mark.slow
def test_each_download_cites_the_sources_its_source_line_cites(html_dir, toc_pages):
    """The `source` column holds the citations the source line under the figure links."""
    checked = 0
    for page in toc_pages:
        markup = (html_dir / page).read_text(encoding="utf-8")
        for note, uri in re.findall(r'<p class="figure-note">(.*?)</p>\s*<p class="figure-data">'
                                    r'<a class="figure-data" href="data:text/csv;charset=utf-8;'
                                    r'base64,([^"]+)"', markup, re.S):
            frame = pd.read_csv(io.StringIO(base64.b64decode(uri).decode("utf-8")))
            if "source_key" not in frame:
                continue
            checked += 1
            cited = {html.unescape(visible(text)) for *_, text in CITATION_LINK.findall(note)}
            assert list(frame.columns[-2:]) == ["source", "source_key"], page
            assert set(frame["source"]) == cited, page
    assert checked, "no figure download with source keys found"
