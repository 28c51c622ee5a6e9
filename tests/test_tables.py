"""Tables are shown readably, without changing the data."""

import pandas as pd

from frbook.tables import readable, to_html


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "access": pd.Categorical(["read_via_copy", "not_read"]),
            "date": pd.to_datetime(["2020-06-08", None]),
            "title": ["A long title that stays whole " * 4, "<script>x</script>"],
            "days": pd.array([365, None], dtype="Int64"),
        },
        index=pd.Index(["editorial_opinion", "IBM"], name="kind"),
    )


def test_vocabulary_values_dates_and_missing_values_read_as_words():
    shown = readable(frame())
    assert list(shown["access"]) == ["read via copy", "not read"]
    assert list(shown["date"]) == ["8 Jun 2020", ""]
    assert list(shown["days"]) == [365, ""]
    assert list(shown.index) == ["editorial opinion", "IBM"]


def test_the_data_is_not_changed():
    original = frame()
    readable(original)
    assert list(original["access"]) == ["read_via_copy", "not_read"]


def test_html_keeps_every_cell_whole_and_escapes_text():
    markup = to_html(frame())
    assert ("A long title that stays whole " * 4).strip() in markup
    assert "<script>" not in markup and "&lt;script&gt;" in markup
