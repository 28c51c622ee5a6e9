"""How the book shows tables: as MyST list-tables, so that HTML and PDF get real tables and
source keys become author–year citations linked to the bibliography.

`show(frame, {"column": "Header", ...}, cite=["source_key"])` returns an object that Jupyter
displays as Markdown; the book renders that Markdown as MyST (`nb_render_markdown_format: myst`
in _config.yml). Every cell is shown in full, vocabulary values as words, dates at their
precision, a missing value as a dash; there is no index column. The data is not changed.

In the PDF every table is a booktabs longtable (`latex_table_style` in _config.yml): it breaks
across pages with its header repeated, and its text wraps ragged-right inside columns sized by
:func:`pdf_shares`, given to LaTeX alone by a `{tabularcolumns}` directive (HTML ignores it).
"""

from __future__ import annotations

import re

import pandas as pd

from frbook.text import format_date

MISSING = "—"
VOCABULARY_VALUE = re.compile(r"^[a-z]+(_[a-z]+)+$")
# CommonMark lets a backslash escape any ASCII punctuation, which then reads literally.
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
SOURCE_KEY = re.compile(r"^[a-z0-9]+$")
CITATION_ROLE = re.compile(r"\{cite:t\}`([^`]*)`")
MARKDOWN_ESCAPE = re.compile(r"\\(.)")

# Column sizes in the PDF, estimated from character counts: the A4 text column (1 inch margins)
# is about 450 pt; table text (9 pt serif) averages under 4.5 pt a character, the header (9 pt
# bold sans) under 6 pt; each column loses 12 pt to the space between columns.
RAGGED_CELL = r">{\RaggedRight\arraybackslash}"
PDF_LINE_PT = 450
PDF_CHAR_PT = 4.5
PDF_HEADER_CHAR_PT = 6.0
PDF_COLUMN_GAP_PT = 12
PDF_LONGEST_CELL_PT = 270  # longer cells wrap anyway: they weigh as much as this
CITATION_WORDS = [10, 7]  # the characters of its two words, as many as "Washington [2020b]"


def words(value) -> str:
    """A vocabulary value as words (read_via_copy → read via copy); other values as text."""
    text = str(value)
    return text.replace("_", " ") if VOCABULARY_VALUE.match(text) else text


def markdown_text(text: str) -> str:
    """``text`` on one line, its Markdown punctuation escaped so that it reads literally."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def _citation(keys: str) -> str:
    """`{cite:t}` for one or more comma-separated source keys."""
    keys = ",".join(k.strip() for k in str(keys).split(","))
    if not all(SOURCE_KEY.match(k) for k in keys.split(",")):
        raise ValueError(f"not a source key: {keys!r}")
    return "{cite:t}`" + keys + "`"


def _cell(value, cite: bool, precision: str | None) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if cite:
        return _citation(value)
    if isinstance(value, pd.Timestamp):
        return format_date(value, precision or "day")
    return markdown_text(words(value))


def _printed_words(cell: str) -> list[int]:
    """The lengths of the words a Markdown cell prints, a citation counted as its label."""
    citations = CITATION_ROLE.findall(cell)
    text = MARKDOWN_ESCAPE.sub(r"\1", CITATION_ROLE.sub("", cell))
    lengths = [len(word) for word in text.split()]
    for keys in citations:
        lengths += CITATION_WORDS * len(keys.split(","))
    return lengths or [0]


def _share(points: float) -> float:
    """The share of the PDF's text column that a cell ``points`` wide needs, gaps included."""
    return (points + PDF_COLUMN_GAP_PT) / PDF_LINE_PT


def _points(chars: int, row: int) -> float:
    """How wide ``chars`` characters print in row ``row`` (0: the header)."""
    return chars * (PDF_HEADER_CHAR_PT if row == 0 else PDF_CHAR_PT)


def pdf_shares(columns: list[list[str]], widths: list[int] | None = None) -> list[float]:
    """Each column's share of the PDF's text column, for cells in Markdown (header first).

    The relative ``widths`` when given, else each column's longest cell; a table whose cells all
    fit on one line is as narrow as they are. No column is narrower than its longest word, so
    words are not broken; the room it takes comes out of the other columns.
    """
    words = [[_printed_words(cell) for cell in column] for column in columns]
    floors = [_share(max(_points(max(cell), row) for row, cell in enumerate(column)))
              for column in words]
    lengths = [min(max(_points(sum(cell) + len(cell) - 1, row) for row, cell in enumerate(column)),
                   PDF_LONGEST_CELL_PT) for column in words]
    if widths is None and sum(_share(n) for n in lengths) <= 1:
        return [_share(n) for n in lengths]
    wanted = [float(w) for w in widths or lengths]
    at_floor: set[int] = set()
    while True:  # columns below their floor get it; the others share the rest as wanted
        room = 1 - sum(floors[i] for i in at_floor)
        rest = sum(w for i, w in enumerate(wanted) if i not in at_floor)
        if room <= 0 or not rest:  # the words alone are wider than the page
            return [floor / sum(floors) for floor in floors]
        shares = [floors[i] if i in at_floor else w / rest * room for i, w in enumerate(wanted)]
        short = {i for i, share in enumerate(shares) if share < floors[i]}
        if not short:
            return shares
        at_floor |= short


class Table:
    """A table for the page; Jupyter shows it as Markdown, plain text elsewhere."""

    def __init__(self, header: list[str], rows: list[list[str]], widths: list[int] | None):
        self.header, self.rows, self.widths = header, rows, widths

    def _markdown_rows(self) -> list[list[str]]:
        return [[markdown_text(h) for h in self.header], *self.rows]

    def latex_columns(self) -> str:
        """The LaTeX column specification: ragged-right paragraphs (ragged2e, hyphenated where
        needed) at :func:`pdf_shares`; \\arraybackslash keeps the row ends working."""
        columns = [list(column) for column in zip(*self._markdown_rows(), strict=True)]
        return "".join(f"{RAGGED_CELL}\\X{{{round(share * 1000)}}}{{1000}}"
                       for share in pdf_shares(columns, self.widths))

    def _repr_markdown_(self) -> str:
        options = [":header-rows: 1", ":class: book-table longtable"]
        if self.widths:
            options.append(":widths: " + " ".join(str(w) for w in self.widths))
        lines = ["```{tabularcolumns} " + self.latex_columns(), "```", "",
                 "```{list-table}", *options, ""]
        for row in self._markdown_rows():
            lines.append(f"* - {row[0]}")
            lines += [f"  - {cell}" for cell in row[1:]]
        lines.append("```")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "\n".join(" | ".join(row) for row in [self.header, *self.rows])


def show(
    frame: pd.DataFrame,
    columns: dict[str, str],
    cite: list[str] = (),
    precision: dict[str, str] | None = None,
    widths: list[int] | None = None,
) -> Table:
    """`frame`'s `columns` (data name → header, in that order) as a table for the page.

    `cite` names columns of source keys, shown as author–year citations; `precision` maps a
    date column to the column holding its precision (day, month or year); `widths` are relative
    column widths.
    """
    precision = precision or {}
    rows = []
    for _, record in frame.iterrows():
        row = []
        for column in columns:
            level = precision.get(column)
            row.append(
                _cell(record[column], column in cite, str(record[level]) if level else None)
            )
        rows.append(row)
    return Table(list(columns.values()), rows, widths)
