"""The chart style: palette, company colours, matplotlib settings and the source line."""

import base64
import io
import re

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import is_color_like, to_rgb

from frbook import style

WHITE = (1.0, 1.0, 1.0)


@pytest.fixture
def styled():
    with matplotlib.rc_context():
        style.apply_style()
        yield
        plt.close("all")


def test_okabe_ito_palette_has_eight_distinct_colours():
    assert len(style.OKABE_ITO) == 8
    assert all(is_color_like(c) for c in style.OKABE_ITO)
    assert len({to_rgb(c) for c in style.OKABE_ITO}) == 8


def test_each_company_has_its_own_palette_colour_and_others_are_grey():
    assert set(style.COMPANY_COLOURS) == {"IBM", "Amazon", "Microsoft"}
    colours = [to_rgb(c) for c in style.COMPANY_COLOURS.values()]
    assert len(set(colours)) == 3
    assert set(style.COMPANY_COLOURS.values()) <= set(style.OKABE_ITO)
    r, g, b = to_rgb(style.OTHER_COLOUR)
    assert r == g == b and to_rgb(style.OTHER_COLOUR) not in colours


def test_colour_for_names_companies_and_falls_back_to_grey():
    assert style.colour_for("Microsoft") == style.COMPANY_COLOURS["Microsoft"]
    assert style.colour_for("ACLU") == style.OTHER_COLOUR


def test_apply_style_gives_white_background_and_no_top_right_spines(styled):
    for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
        assert to_rgb(matplotlib.rcParams[key]) == WHITE, key
    fig, ax = plt.subplots()
    assert to_rgb(fig.get_facecolor()) == WHITE
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert matplotlib.rcParams["font.size"] >= 11


def test_svg_output_keeps_text_as_text(styled):
    fig, ax = plt.subplots()
    ax.set_title("Announcements by day")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    assert "Announcements by day" in buffer.getvalue()


def notebook_figure_outputs(source_date_epoch: str, printed=None, narrow=None) -> dict:
    """What a kernel shows for one small figure after apply_style, at a given build date (the
    figure drawn for paper being `printed`, and for a phone `narrow`, when given)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        with matplotlib.rc_context(), pytest.MonkeyPatch.context() as env:
            env.setenv("SOURCE_DATE_EPOCH", source_date_epoch)
            style.apply_style()
            fig, ax = plt.subplots()
            ax.plot([1, 2], [3, 4])
            ax.set_title("Announcements by day")
            if printed is not None:
                fig.printed = printed
            if narrow is not None:
                fig.narrow = narrow
            formats, _ = shell.display_formatter.format(fig)
            plt.close("all")
    finally:
        InteractiveShell.clear_instance()
    return formats


def test_notebook_figures_are_svg_png_and_vector_pdf_without_a_creation_date():
    """In a kernel, apply_style makes figures render as SVG (HTML), PNG and vector PDF (LaTeX)
    with no date in them, so two builds of the book write the same image files, whatever
    build date SOURCE_DATE_EPOCH gives."""
    formats = notebook_figure_outputs("1600000000")
    assert {"image/svg+xml", "image/png", "application/pdf"} <= formats.keys()
    assert "<dc:date>" not in formats["image/svg+xml"]
    pdf = base64.b64decode(formats["application/pdf"])
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf
    assert b"/Subtype /Image" not in pdf  # drawn, not a picture of the chart
    assert formats == notebook_figure_outputs("1900000000")


def test_the_pdf_shows_a_figure_drawn_for_paper_where_there_is_one():
    """A figure with a `printed` drawing (the timelines: frbook.charts.dated_timeline) shows
    that one in the PDF, and itself in the SVG and PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    paper = Figure(figsize=(2, 1))
    FigureCanvasAgg(paper)
    paper.add_subplot().set_title("Drawn for paper")
    formats = notebook_figure_outputs("1600000000", printed=paper)
    pdf = base64.b64decode(formats["application/pdf"])
    assert _pdf_width_pt(pdf) < 3 * 72, "the PDF is not the 2 in drawing for paper"
    assert "Announcements by day" in formats["image/svg+xml"]


def test_a_figure_with_a_narrow_drawing_is_also_a_picture_of_both_drawings():
    """In HTML a figure drawn for a phone too (the timelines) is a <picture>: its own drawing
    from WIDE_FROM_PX, else the narrow one, both SVG without a date; a figure drawn once is
    not HTML (the book shows its SVG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    phone = Figure(figsize=(2, 1))
    FigureCanvasAgg(phone)
    phone.add_subplot().set_title("Drawn for a phone")
    formats = notebook_figure_outputs("1600000000", narrow=phone)
    found = re.fullmatch(
        rf'<picture><source media="\(min-width: {style.WIDE_FROM_PX}px\)" srcset="([^"]+)">'
        r'<img src="([^"]+)" alt=""></picture>', formats["text/html"])
    assert found, formats["text/html"][:200]
    wide, narrow = (base64.b64decode(uri.removeprefix(style.SVG_URI)).decode()
                    for uri in found.groups())
    assert "Announcements by day" in wide and "Drawn for a phone" in narrow
    assert "<dc:date>" not in wide + narrow
    assert formats == notebook_figure_outputs("1900000000", narrow=phone)
    assert "text/html" not in notebook_figure_outputs("1600000000")


def _pdf_width_pt(pdf: bytes) -> float:
    """The width of a one-page PDF's page, in points."""
    box = re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", pdf)
    return float(box.group(3)) - float(box.group(1))


def test_a_dated_pdf_would_be_caught():
    """The check above can fail: matplotlib writes a CreationDate unless told not to."""
    buffer = io.BytesIO()
    fig, _ = plt.subplots()
    fig.savefig(buffer, format="pdf")
    plt.close(fig)
    assert b"CreationDate" in buffer.getvalue()
