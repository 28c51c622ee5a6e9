"""Values written into the prose of a chapter: glued numbers and words, and dates."""

import re

import pandas as pd
from myst_nb import glue as _myst_glue

DATE_FORMATS = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}
SHORT_DATE_FORMATS = {"day": "%-d %b %Y", "month": "%b %Y", "year": "%Y"}  # chart labels


class PlainText(str):
    """A string that displays as itself, without the quotes of its Python repr."""

    def __repr__(self) -> str:
        return str(self)


def typographic(text: str) -> str:
    """`text` with typographic apostrophes (it’s), as the prose sets them."""
    return text.replace("'", "\u2019")


def glue(name: str, value) -> None:
    """Make `value` available to the page's prose as {glue:}`name`, without showing it here.
    Strings read as plain words (8 June 2020, not '8 June 2020'); numbers are unchanged."""
    if isinstance(value, str):
        value = PlainText(value)
    _myst_glue(name, value, display=False)


def format_date(value, precision: str = "day", short: bool = False) -> str:
    """A date as a reader writes it, at the precision the data knows it: 8 June 2020,
    June 2020 or 2020; `short` abbreviates the month, as chart labels do (8 Jun 2020)."""
    formats = SHORT_DATE_FORMATS if short else DATE_FORMATS
    return pd.Timestamp(value).strftime(formats[str(precision)])


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(number: int) -> str:
    """A count as prose writes it: words under ten (three), figures from ten (43)."""
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)


def glue_event_dates(events) -> None:
    """Glue every event's date, at its precision, as {glue:}`date_<event_id>`."""
    for row in events.itertuples():
        glue(f"date_{row.event_id}", format_date(row.date, row.date_precision))


def stated_in(text: str, pattern: str) -> str:
    """The words of a data value (an event's description, a source's note) that the first
    group of `pattern` matches, such as a bill number, so prose quotes the data, not a copy.
    Raises ValueError, showing the value, when the data no longer says it."""
    found = re.search(pattern, text)
    if found is None:
        raise ValueError(f"the data no longer matches {pattern!r}: {text!r}; "
                         "update the pattern or the value")
    return found.group(1)
