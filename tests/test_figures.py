"""The note under a figure: its source line, and a CSV download holding exactly the plotted rows."""

import base64
import io
import re

import pandas as pd
from docutils import frontend, nodes
from docutils.utils import new_document
from matplotlib.figure import Figure

from figurenote import name_downloads
from frbook.figures import figure_note


def chart(source: str = "Source: events table & <notes>") -> Figure:
    fig = Figure()
    fig.source = source
    fig.plotted = pd.DataFrame({"date": pd.to_datetime(["2020-06-08"]), "label": ["IBM, exit"]})
    return fig


def test_the_download_link_decodes_to_the_plotted_rows():
    markup = figure_note(chart())._repr_html_()
    uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', markup).group(1)
    frame = pd.read_csv(io.StringIO(base64.b64decode(uri).decode("utf-8")))
    assert frame.to_dict("list") == {"date": ["2020-06-08"], "label": ["IBM, exit"]}


def test_the_source_line_is_escaped_in_html_and_plain_elsewhere():
    note = figure_note(chart())
    assert "events table &amp; &lt;notes&gt;" in note._repr_html_()
    assert repr(note) == "Source: events table & <notes>"
    assert not hasattr(note, "_repr_latex_")  # a LaTeX output would make pages load MathJax


def test_the_pdf_gets_the_source_line_as_a_paragraph_of_its_own_class():
    markdown = figure_note(chart("Source: events table & *notes*"))._repr_markdown_()
    assert markdown == "```{rst-class} figure-note\nSource\\: events table \\& \\*notes\\*\n```"


def test_the_build_names_each_download_after_the_figure_it_follows():
    note = figure_note(chart())._repr_html_()
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
    assert "Buchanan et al., 2020" in note._repr_html_()
