"""The one chart style of the book: colours and matplotlib settings.

Call :func:`apply_style` once at the top of a notebook and pick colours with :func:`colour_for`;
finish every chart with :func:`frbook.charts.finish`, which keeps its source line for the
note under the figure.
"""

import base64
from functools import partial

import matplotlib as mpl

# Okabe & Ito (2008), "Color Universal Design": eight colours told apart with any common
# colour-vision deficiency.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)
# Reddish purple darkened (its hue and saturation, HLS lightness 0.38 for 0.64): the pale pink
# of a thin mark printed faint in greyscale (grey level 0.59); this prints at 0.33 and stands
# 7.4:1 against white.
DARK_REDDISH_PURPLE = "#8C3566"

# One colour per company in every chart; everyone else is a light grey. Printed in greyscale
# they stay apart: black, blue, orange and the grey are about 0.34, 0.29 and 0.16 apart in grey
# level (Rec. 601 luma: Microsoft 0, IBM 0.34, Amazon 0.64, others 0.80). Okabe-Ito's bluish
# green (0.42) and a mid grey (0.55) printed too close to IBM's blue and Amazon's orange.
COMPANY_COLOURS = {"IBM": BLUE, "Amazon": ORANGE, "Microsoft": BLACK}
OTHER_COLOUR = "#CCCCCC"
# And one marker shape per company, so that a mark tells its company without colour.
COMPANY_MARKERS = {"IBM": "s", "Amazon": "^", "Microsoft": "D"}
OTHER_MARKER = "o"

# Colours for series that are not companies; yellow is left out (too pale on white).
CYCLE = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, SKY_BLUE, BLACK)

FIGURE_WIDTH_IN = 6.0
BACKGROUND = "white"  # the figure's, and the boxes that keep gridlines off a chart's labels

# Sized so that text stays legible when a 6-inch figure is shrunk to a 390 px phone screen.
RC_PARAMS = {
    "figure.figsize": (FIGURE_WIDTH_IN, 3.75),
    "figure.facecolor": BACKGROUND,
    "figure.edgecolor": BACKGROUND,
    "axes.facecolor": BACKGROUND,
    "savefig.facecolor": BACKGROUND,
    "savefig.bbox": "tight",
    "savefig.dpi": 200,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    # SVG keeps text as text (sharp, searchable, small) and has stable ids between builds.
    "svg.fonttype": "none",
    "svg.hashsalt": "frbook",
    # PDF (the printed book) and PostScript embed the chart fonts as TrueType (Type 42), not
    # Type 3 bitmaps-by-procedure that print and search poorly.
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}
# What a notebook shows for each figure: SVG (the HTML), PNG (other Jupyter front ends) and a
# vector PDF (the LaTeX build; myst-nb gives each builder the type it prefers). None carries a
# creation date, each format naming it its own way, so two builds write identical files (and
# identical image names, which are hashes of the content) whatever SOURCE_DATE_EPOCH says.
# The PDF shows a figure's `printed` drawing when it has one (frbook.charts.dated_timeline
# draws one for paper), else the figure itself. A figure with a `narrow` drawing (for a phone)
# is also HTML, which the HTML build prefers: a <picture> of both drawings (:func:`picture`).
IMAGE_FORMATS = {  # format: (MIME type, metadata)
    "svg": ("image/svg+xml", {"Date": None}),
    "png": ("image/png", {}),
    "pdf": ("application/pdf", {"CreationDate": None}),
}
# From this window width (CSS px) a browser shows a figure's own drawing, below it the narrow
# one. The book's text column is then 552 px (the window less 48 px up to 767 px, at most 672
# px): a timeline drawn for 672 px keeps words of 12 px there, and a narrow one (342 px) is
# not yet lost in the column.
WIDE_FROM_PX = 600
SVG_URI = "data:image/svg+xml;base64,"


def colour_for(actor: str) -> str:
    """Return the colour of a company, or the neutral grey for any other actor."""
    return COMPANY_COLOURS.get(actor, OTHER_COLOUR)


def marker_for(actor: str) -> str:
    """Return the matplotlib marker of a company, or a circle for any other actor."""
    return COMPANY_MARKERS.get(actor, OTHER_MARKER)


def apply_style() -> None:
    """Set the book's matplotlib style; in a notebook also emit SVG, PNG and PDF figures."""
    _inline_formats()  # first: loading the notebook backend may set rcParams
    mpl.rcParams.update(RC_PARAMS)


def _shell():
    """The running IPython shell (a notebook kernel), or None outside one."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _inline_formats() -> None:
    """Have the kernel show figures in IMAGE_FORMATS, each with its own metadata, and as a
    <picture> (HTML) when they have a narrow drawing."""
    shell = _shell()
    if shell is None:
        return
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats(*IMAGE_FORMATS)  # the inline backend's set-up, with these formats
    for name, (mime, metadata) in IMAGE_FORMATS.items():  # one metadata for all would fail
        shell.display_formatter.formatters[mime].for_type(Figure, partial(
            _print, fmt=name, base64=name != "svg", dpi=RC_PARAMS["savefig.dpi"],
            metadata=metadata))
    shell.display_formatter.formatters["text/html"].for_type(Figure, picture)


def _print(fig, fmt: str, **options):
    """`fig` as IPython prints it in format `fmt`; for the PDF, its drawing for paper."""
    from IPython.core.pylabtools import print_figure

    if fmt == "pdf":
        fig = getattr(fig, "printed", fig)
    return print_figure(fig, fmt=fmt, **options)


def _svg_uri(fig) -> str:
    svg = _print(fig, "svg", metadata=IMAGE_FORMATS["svg"][1])
    return SVG_URI + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def picture(fig) -> str | None:
    """`fig` as an HTML <picture> that shows its `narrow` drawing on a narrow screen and itself
    from WIDE_FROM_PX on, both as SVG in data URIs (the book's build writes them to files and
    gives the image the figure's alt text: _ext/figurenote.py); None for a figure without a
    narrow drawing. The narrow drawing is the image's own source: a browser that reads no
    <source> shows it, and it fits any screen."""
    narrow = getattr(fig, "narrow", None)
    if narrow is None:
        return None
    return (f'<picture><source media="(min-width: {WIDE_FROM_PX}px)" srcset="{_svg_uri(fig)}">'
            f'<img src="{_svg_uri(narrow)}" alt=""></picture>')
