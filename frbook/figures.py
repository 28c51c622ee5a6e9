"""The note under each figure: its source line and a link to download the rows it plots.

A figure's name is written once, in its cell's `mystnb.figure.name` metadata: the book build
(_ext/figurenote.py) names the download after the figure the note follows. Outside the book,
the download is called `figure-data.csv`.
"""

from __future__ import annotations

import base64
import html

from frbook.tables import markdown_text

UNNAMED = "figure-data"


class FigureNote:
    """Rendered by Jupyter under a chart: in HTML a source line and a CSV download link, the
    data embedded in the link itself (no file is written, nothing is fetched); in the PDF the
    source line as a paragraph of class figure-note (its type is set in _config.yml's LaTeX
    preamble); elsewhere the source line as plain text. No LaTeX form: myst-nb would load
    MathJax for it."""

    def __init__(self, fig):
        self.source = fig.source
        self.csv = fig.plotted.to_csv(index=False, date_format="%Y-%m-%d")

    def data_uri(self) -> str:
        encoded = base64.b64encode(self.csv.encode("utf-8")).decode("ascii")
        return f"data:text/csv;charset=utf-8;base64,{encoded}"

    def _repr_html_(self) -> str:
        return (
            f'<p class="figure-note">{html.escape(self.source)} '
            f'<a class="figure-data" href="{self.data_uri()}" '
            f'download="{UNNAMED}.csv">'
            f"Download the data of this figure (CSV)</a>.</p>"
        )

    def _repr_markdown_(self) -> str:
        return f"```{{rst-class}} figure-note\n{markdown_text(self.source)}\n```"

    def __repr__(self) -> str:
        return self.source


def figure_note(fig) -> FigureNote:
    """The note for `fig`, a chart finished with frbook.charts.finish."""
    return FigureNote(fig)
