"""Values for prose: dates at their precision and small numbers in words."""

import pandas as pd
import pytest

from frbook.text import PlainText, format_date, in_words, stated_in


def test_dates_read_at_their_precision():
    day = pd.Timestamp("2020-06-08")
    assert format_date(day) == "8 June 2020"
    assert format_date(day, "month") == "June 2020"
    assert format_date(day, "year") == "2020"


def test_numbers_under_ten_are_words_and_larger_ones_figures():
    assert [in_words(n) for n in (0, 3, 9, 10, 43)] == ["zero", "three", "nine", "10", "43"]


def test_glued_text_shows_without_quotes():
    assert repr(PlainText("8 June 2020")) == "8 June 2020"


def test_stated_in_quotes_the_data_and_fails_when_it_changes():
    description = "Senators introduce the bill (S. 2878) on 14 November 2019."
    assert stated_in(description, r"\((S\. \d+)\)") == "S. 2878"
    with pytest.raises(ValueError, match=r"no longer matches.*S\. 2878"):
        stated_in(description, r"\((H\.R\. \d+)\)")
