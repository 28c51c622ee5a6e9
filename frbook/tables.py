"""How the book shows tables: every cell in full, vocabulary values as words, dates as dates."""

from __future__ import annotations

import re

import pandas as pd

VOCABULARY_VALUE = re.compile(r"^[a-z]+(_[a-z]+)+$")
DATE_FORMAT = "%-d %b %Y"


def _readable_value(value):
    if isinstance(value, str) and VOCABULARY_VALUE.match(value):
        return value.replace("_", " ")
    return value


def _readable_series(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.strftime(DATE_FORMAT).fillna("")
    if isinstance(series.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(series):
        return series.astype(object).map(_readable_value).where(series.notna(), "")
    return series.astype(object).where(series.notna(), "")


def _readable_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_readable_index(level) for level in index.levels])
    if pd.api.types.is_datetime64_any_dtype(index):
        return pd.Index(index.strftime(DATE_FORMAT), name=index.name)
    return index.map(_readable_value)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for display: snake_case vocabulary values as words (read_via_copy → read via copy),
    dates as "8 Jun 2020", missing values blank. The data itself is unchanged."""
    shown = frame.apply(_readable_series)
    shown.index = _readable_index(frame.index)
    shown.columns = _readable_index(frame.columns)
    return shown


def to_html(frame: pd.DataFrame) -> str:
    """The HTML a chapter shows for `frame`: readable, every cell in full, text escaped."""
    return readable(frame).to_html(classes="dataframe", escape=True, na_rep="")
