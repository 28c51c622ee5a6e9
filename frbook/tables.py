"""How the book shows tables: as MyST list-tables, so that HTML and PDF get real tables and
source keys become author–year citations linked to the bibliography.

`show(frame, {"column": "Header", ...}, cite=["source_key"])` returns an object that Jupyter
displays as Markdown; the book renders that Markdown as MyST (`nb_render_markdown_format: myst`
in _config.yml). Every cell is shown in full, vocabulary values as words, dates at their
precision, a missing value as a dash; there is no index column. The data is not changed.
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


def words(value) -> str:
    """A vocabulary value as words (read_via_copy → read via copy); other values as text."""
    text = str(value)
    return text.replace("_", " ") if VOCABULARY_VALUE.match(text) else text


def _escape(text: str) -> str:
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
    return _escape(words(value))


class Table:
    """A table for the page; Jupyter shows it as Markdown, plain text elsewhere."""

    def __init__(self, header: list[str], rows: list[list[str]], widths: list[int] | None):
        self.header, self.rows, self.widths = header, rows, widths

    def _repr_markdown_(self) -> str:
        options = [":header-rows: 1", ":class: book-table"]
        if self.widths:
            options.append(":widths: " + " ".join(str(w) for w in self.widths))
        lines = ["```{list-table}", *options, ""]
        for row in [[_escape(h) for h in self.header], *self.rows]:
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
