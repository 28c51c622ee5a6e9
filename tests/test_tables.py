"""Tables are shown as MyST list-tables: whole cells, words, dates, dashes, citations."""

import pandas as pd
import pytest

from frbook.tables import show


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "access": pd.Categorical(["read_via_copy", "not_read"]),
            "date": pd.to_datetime(["2020-06-08", "2021-05-01"]),
            "precision": ["day", "month"],
            "title": ["A long title that stays whole " * 4, "<script>x</script> *not em*"],
            "days": pd.array([365, None], dtype="Int64"),
            "source_key": ["ibm2020letter", "reuters2021amazon, input2020amazon"],
        },
        index=pd.Index(["editorial_opinion", "IBM"], name="kind"),
    )


COLUMNS = {"access": "Access", "date": "Date", "title": "Title", "days": "Days",
           "source_key": "Source"}


def markdown() -> str:
    return show(frame(), COLUMNS, cite=["source_key"],
                precision={"date": "precision"})._repr_markdown_()


def test_a_list_table_with_one_header_row_and_no_index():
    text = markdown()
    assert text.startswith("```{list-table}\n:header-rows: 1")
    assert text.count("* - ") == 3  # header and two rows
    assert "editorial" not in text  # the index is not shown


def test_values_read_as_words_dates_at_their_precision_and_a_dash_for_missing():
    text = markdown()
    assert "read via copy" in text and "read_via_copy" not in text
    assert "8 June 2020" in text and "May 2021" in text and "1 May" not in text
    assert "  - —" in text and "<NA>" not in text


def test_source_keys_become_citations_and_text_is_escaped():
    text = markdown()
    assert "{cite:t}`ibm2020letter`" in text
    assert "{cite:t}`reuters2021amazon,input2020amazon`" in text
    assert ("A long title that stays whole " * 4).strip() in text
    assert r"\<script\>" in text and r"\*not em\*" in text


def test_a_bad_source_key_is_refused():
    bad = frame().assign(source_key=["ibm2020letter`} {evil", "x"])
    with pytest.raises(ValueError, match="not a source key"):
        show(bad, COLUMNS, cite=["source_key"])


def test_the_data_is_not_changed():
    original = frame()
    show(original, COLUMNS)
    assert list(original["access"]) == ["read_via_copy", "not_read"]
