"""The note under each figure: its source line and a link to download the rows it plots.

A figure's name is written once, in its cell's `mystnb.figure.name` metadata: the book build
(_ext/figurenote.py) names the download after the figure the note follows. Outside the book,
the download is called `figure-data.csv`.
"""

from __future__ import annotations

import base64
import re

from frbook.tables import _citation, markdown_text

UNNAMED = "figure-data"
# A citation as a source line may write it: "Toulas (2020)", "Associated Press (2021b, 2021c)",
# "(CFO, 2020; Associated Press, 2020a)": round brackets around years, or around authors and
# years separated by semicolons.
_YEAR = r"\d{4}[a-z]?"
_CITED = rf"(?:[^()\[\];]+, )?{_YEAR}"
BRACKETED_CITATION = re.compile(rf"\(({_CITED}(?:; {_CITED})*)\)")
# An author and, in brackets, the years of their works cited: "Associated Press (2021b, 2021c)".
AUTHOR_YEARS = re.compile(rf"(?<![^\s:;])([^\s()\[\];:][^()\[\];:]*?) \(({_YEAR}(?:, {_YEAR})*)\)")


def house_citations(text: str) -> str:
    """``text`` with its author–year citations as the book prints them (sphinxcontrib-bibtex,
    _ext/bibstyle.py): an author and years in a list, as a table's source cell does, "Toulas,
    2020; Associated Press, 2021b; Associated Press, 2021c" (each work named whole, as the
    text names them); a bracketed citation after other words as the text does, "Krishna's
    letter [CFO, 2020; Associated Press, 2020a]". Other round brackets are left as they are."""
    def listed(found: re.Match) -> str:
        return "; ".join(f"{found.group(1)}, {year}" for year in found.group(2).split(", "))

    return BRACKETED_CITATION.sub(r"[\1]", AUTHOR_YEARS.sub(listed, text))


class FigureNote:
    """Rendered under a chart as Markdown (MyST): a paragraph of class figure-note, the source
    line, which cites the plotted rows' sources as a table's source cell does ("Toulas, 2020;
    Bird, 2022", each linked to its bibliography entry: sphinxcontrib-bibtex's cite:alp), or
    says the chart's source in words (its citations as the book prints them:
    :func:`house_citations`); then, in HTML alone (the PDF leaves out raw HTML), a CSV
    download link, the data embedded in the link itself (no file is written, nothing is
    fetched). The PDF sets the figure-note paragraph's type in _config.yml's LaTeX preamble.
    Elsewhere the source line is plain text. No LaTeX form: myst-nb would load MathJax for
    it."""

    def __init__(self, fig):
        self.cited = list(fig.cited)
        self.source = (f"Source: {'; '.join(self.cited)}." if self.cited
                       else house_citations(fig.source))
        self.csv = fig.plotted.to_csv(index=False, date_format="%Y-%m-%d")

    def data_uri(self) -> str:
        encoded = base64.b64encode(self.csv.encode("utf-8")).decode("ascii")
        return f"data:text/csv;charset=utf-8;base64,{encoded}"

    def _repr_markdown_(self) -> str:
        line = (f"Source: {_citation(','.join(self.cited))}." if self.cited
                else markdown_text(self.source))
        return (f"```{{rst-class}} figure-note\n{line}\n```\n\n"
                f'<p class="figure-data"><a class="figure-data" href="{self.data_uri()}" '
                f'download="{UNNAMED}.csv">Download the data of this figure (CSV)</a>.</p>\n')

    def __repr__(self) -> str:
        return self.source


def figure_note(fig) -> FigureNote:
    """The note for `fig`, a chart finished with frbook.charts.finish."""
    return FigureNote(fig)
