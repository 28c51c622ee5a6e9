"""The shared chart parts draw what the data says: one mark per item, in order, dated labels,
company colours, and the plotted rows kept for the figure's download."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from frbook import charts  # noqa: E402
from frbook.style import COMPANY_COLOURS, COMPANY_MARKERS, OTHER_COLOUR, OTHER_MARKER  # noqa: E402

SOURCE = "Source: test frame"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-06-11", "2020-06-01", "2020-06-08", "2020-05-25"]),
            "date_precision": ["day", "month", "day", "day"],
            "label": ["Microsoft pledge", "Month only", "IBM letter", "Floyd killed"],
            "actor": ["Microsoft", "Someone", "IBM", "Minneapolis police"],
        }
    )


def test_middle_of_a_month_and_a_year():
    assert charts.middle(pd.Timestamp("2020-06-01"), "day") == pd.Timestamp("2020-06-01")
    assert charts.middle(pd.Timestamp("2020-06-01"), "month") == pd.Timestamp("2020-06-16")
    assert charts.middle(pd.Timestamp("2019-01-01"), "year").month == 7


def test_dated_timeline_orders_items_and_writes_their_dates():
    fig = charts.dated_timeline(items(), SOURCE)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts == [  # all in one year: the year is written once, under the axis
        "25 May  Floyd killed",
        "8 Jun  IBM letter",
        "11 Jun  Microsoft pledge",
        "Jun  Month only",  # known to the month: placed mid-month, after 11 June
    ]
    assert fig.axes[0].get_xlabel() == "2020"


def test_dated_timeline_writes_years_when_items_span_several():
    spread = items().assign(date=pd.to_datetime(["2021-06-11", "2020-06-01", "2020-06-08",
                                                  "2020-05-25"]))
    texts = [t.get_text() for t in charts.dated_timeline(spread, SOURCE).axes[0].texts]
    assert texts[-1] == "11 Jun 2021  Microsoft pledge"


def test_dated_timeline_colours_and_shapes_companies_and_hollows_imprecise_dates():
    fig = charts.dated_timeline(items(), SOURCE)
    marks = fig.axes[0].lines
    assert len(marks) == 4
    colours = [to_hex(m.get_color()) for m in marks]
    assert colours[1] == COMPANY_COLOURS["IBM"].lower()
    assert colours[2] == COMPANY_COLOURS["Microsoft"].lower()
    assert colours[0] == colours[3] == OTHER_COLOUR.lower()
    assert to_hex(marks[3].get_markerfacecolor()) == "#ffffff"
    assert to_hex(marks[2].get_markerfacecolor()) != "#ffffff"
    # Shapes tell the companies apart without colour (printed in greyscale, or colour-blind).
    assert [m.get_marker() for m in marks] == [OTHER_MARKER, COMPANY_MARKERS["IBM"],
                                               COMPANY_MARKERS["Microsoft"], OTHER_MARKER]
    assert len(set(COMPANY_MARKERS.values()) | {OTHER_MARKER}) == len(COMPANY_MARKERS) + 1


def test_finish_keeps_the_source_and_the_plotted_rows():
    fig = charts.dated_timeline(items(), SOURCE)
    assert fig.source == SOURCE
    assert not any("Source" in t.get_text() for t in fig.texts)  # printed once, under it
    assert list(fig.plotted["date"]) == ["25 May 2020", "8 June 2020", "11 June 2020", "June 2020"]
    assert list(fig.plotted.columns) == ["date", "label", "actor"]


def test_timeline_items_joins_announcements_and_events_within_the_dates():
    companies = pd.CategoricalDtype(["IBM", "Amazon", "Microsoft"])
    announcements = pd.DataFrame({"date": pd.to_datetime(["2020-06-08"]), "label": ["IBM exit"],
                                  "company": pd.Series(["IBM"], dtype=companies)})
    events = pd.DataFrame({
        "date": pd.to_datetime(["2020-05-25", "2021-05-18"]),
        "date_precision": pd.Categorical(["day", "day"]), "label": ["Floyd", "Extended"],
        "actor": ["Minneapolis police", "Amazon"],
        "company": pd.Series([None, "Amazon"], dtype=companies)})
    got = charts.timeline_items(announcements, events, "2020-05-01", "2020-12-31")
    assert sorted(got["label"]) == ["Floyd", "IBM exit"]
    assert set(got["actor"]) == {"IBM", "Minneapolis police"}


def test_an_event_known_to_the_month_is_in_the_window_when_its_middle_is():
    announcements = pd.DataFrame({"date": pd.to_datetime([]), "label": [],
                                  "company": pd.Series([], dtype="category")})
    events = pd.DataFrame({
        "date": pd.to_datetime(["2020-06-01", "2020-05-01"]),
        "date_precision": pd.Categorical(["month", "month"]), "label": ["June", "May"],
        "actor": ["Microsoft", "Amazon"], "company": pd.Series([None, None], dtype=object)})
    got = charts.timeline_items(announcements, events, "2020-05-10", "2020-06-12")
    assert list(got["label"]) == ["May"]  # drawn on 16 May; June's middle is after the 12th


def test_finish_sets_typographic_apostrophes_in_the_source_line():
    fig = charts.dated_timeline(items(), "the book's events table")
    assert fig.source == "Source: the book\u2019s events table"


def test_balanced_lines_leave_no_word_alone_and_keep_hyphenated_words_whole():
    assert charts.balanced("Amazon pauses police use for a year", 30) == (
        "Amazon pauses police\nuse for a year")
    assert charts.balanced("IBM leaves general-purpose market", 30) == (
        "IBM leaves\ngeneral-purpose market")
    assert charts.balanced("Boston ban", 30) == "Boston ban"


def test_wrapped_timeline_gives_each_date_its_own_line_and_the_axis_more_width():
    plain = charts.dated_timeline(items(), SOURCE)
    wrapped = charts.dated_timeline(items(), SOURCE, label_share=0.52, wrap_at=30)
    assert [t.get_text() for t in wrapped.axes[0].texts][1] == "8 Jun\nIBM letter"
    assert wrapped.axes[0].get_position().width > plain.axes[0].get_position().width


def test_dated_timeline_draws_other_actors_in_the_marks_given():
    other = ("#009E73", "X")
    fig = charts.dated_timeline(items(), SOURCE,
                                marks={"Minneapolis police": other, "Someone": other})
    marks = fig.axes[0].lines
    assert [m.get_marker() for m in marks][::3] == ["X", "X"]
    assert to_hex(marks[0].get_color()) == "#009e73"
    assert marks[1].get_marker() == COMPANY_MARKERS["IBM"]  # companies keep their own


def test_timeline_items_without_announcements_holds_only_the_events():
    events = items().assign(company=[None, None, "IBM", None])
    rows = charts.timeline_items(None, events, "2020-01-01", "2020-12-31")
    assert list(rows["label"]) == list(events["label"])
    assert list(rows["actor"]) == ["Microsoft", "Someone", "IBM", "Minneapolis police"]
