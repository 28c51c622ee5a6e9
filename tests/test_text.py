"""Values for prose: dates at their precision and small numbers in words."""

import pandas as pd

from frbook.text import PlainText, format_date, in_words


def test_dates_read_at_their_precision():
    day = pd.Timestamp("2020-06-08")
    assert format_date(day) == "8 June 2020"
    assert format_date(day, "month") == "June 2020"
    assert format_date(day, "year") == "2020"


def test_numbers_under_ten_are_words_and_larger_ones_figures():
    assert [in_words(n) for n in (0, 3, 9, 10, 43)] == ["zero", "three", "nine", "10", "43"]


def test_glued_text_shows_without_quotes():
    assert repr(PlainText("8 June 2020")) == "8 June 2020"
