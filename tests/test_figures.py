"""The note under a figure: its source line, and a CSV download holding exactly the plotted rows."""

import base64
import io
import re

import pandas as pd
from matplotlib.figure import Figure

from frbook.figures import figure_note


def chart(source: str = "Source: events table & <notes>") -> Figure:
    fig = Figure()
    fig.source = source
    fig.plotted = pd.DataFrame({"date": pd.to_datetime(["2020-06-08"]), "label": ["IBM, exit"]})
    return fig


def test_the_download_link_decodes_to_the_plotted_rows():
    markup = figure_note(chart(), "fig-x")._repr_html_()
    uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', markup).group(1)
    frame = pd.read_csv(io.StringIO(base64.b64decode(uri).decode("utf-8")))
    assert frame.to_dict("list") == {"date": ["2020-06-08"], "label": ["IBM, exit"]}
    assert 'download="fig-x.csv"' in markup


def test_the_source_line_is_escaped_in_html_and_plain_elsewhere():
    note = figure_note(chart(), "fig-x")
    assert "events table &amp; &lt;notes&gt;" in note._repr_html_()
    assert repr(note) == "Source: events table & <notes>"
    assert not hasattr(note, "_repr_latex_")  # a LaTeX output would make pages load MathJax


def test_the_pdf_gets_the_source_line_as_a_paragraph_of_its_own_class():
    markdown = figure_note(chart("Source: events table & *notes*"), "fig-x")._repr_markdown_()
    assert markdown == "```{rst-class} figure-note\nSource\\: events table \\& \\*notes\\*\n```"


def test_only_a_timeline_tells_phone_readers_to_scroll_it():
    assert 'class="on-phone"' in figure_note(chart(), "fig-x-timeline")._repr_html_()
    assert 'class="on-phone"' not in figure_note(chart(), "fig-x")._repr_html_()
