"""The shared chart parts draw what the data says: one mark per item, in order, dated labels,
company colours, and the plotted rows kept for the figure's download. The timeline's layout is
measured on the drawn figure (the renderer's boxes) for the book's three timelines."""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from frbook import charts  # noqa: E402
from frbook.style import (  # noqa: E402
    COMPANY_COLOURS,
    COMPANY_MARKERS,
    OTHER_COLOUR,
    OTHER_MARKER,
    RC_PARAMS,
)

SOURCE = "Source: test frame"
GAP = charts.DATE_GAP


@pytest.fixture(autouse=True)
def book_style():
    """Draw in the book's style, as the notebooks do, and close every figure afterwards."""
    with matplotlib.rc_context(RC_PARAMS):
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
        f"25 May{GAP}Floyd killed",
        f"8 Jun{GAP}IBM letter",
        f"11 Jun{GAP}Microsoft pledge",
        f"Jun{GAP}Month only",  # known to the month: placed mid-month, after 11 June
    ]
    assert fig.axes[0].get_xlabel() == "2020"


def test_dated_timeline_writes_years_when_items_span_several():
    spread = items().assign(date=pd.to_datetime(["2021-06-11", "2020-06-01", "2020-06-08",
                                                  "2020-05-25"]))
    texts = [t.get_text() for t in charts.dated_timeline(spread, SOURCE).axes[0].texts]
    assert texts[-1] == f"11 Jun 2021{GAP}Microsoft pledge"


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


def test_a_label_too_long_for_either_side_goes_on_under_its_date():
    long = items().assign(label=["Microsoft pledge", "Month only", "IBM writes to Congress that "
                                 "it leaves the general-purpose market for good", "Floyd killed"])
    texts = [t.get_text() for t in charts.dated_timeline(long, SOURCE).axes[0].texts]
    assert texts[1].startswith("8 Jun\nIBM writes")
    assert texts[1].count("\n") >= 2  # the label itself over even lines, not one long one
    assert texts[0] == f"25 May{GAP}Floyd killed"  # the others stay on one line


def test_the_old_layout_arguments_still_work_and_change_nothing():
    """The notebooks' calls pass label_share and wrap_at (a label column, once): still
    accepted, now ignored."""
    plain = charts.dated_timeline(items(), SOURCE)
    old_call = charts.dated_timeline(items(), SOURCE, label_share=0.52, wrap_at=30)
    assert ([t.get_text() for t in old_call.axes[0].texts]
            == [t.get_text() for t in plain.axes[0].texts])
    assert old_call.axes[0].get_position().bounds == plain.axes[0].get_position().bounds


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


# The book's three timelines, as their notebooks draw them: (date, precision, actor, label).
ANNOUNCEMENTS = [
    ("2020-06-08", "day", "IBM", "IBM leaves general-purpose market"),
    ("2020-06-10", "day", "Amazon", "Amazon pauses police use for a year"),
    ("2020-06-11", "day", "Microsoft", "Microsoft: no police sales until a law"),
]
FORTNIGHT = ANNOUNCEMENTS + [  # Fig. 3.1, the announcements chapter
    ("2020-05-25", "day", "Minneapolis Police Department", "George Floyd killed"),
    ("2020-06-08", "day", "Democrats in Congress", "Justice in Policing Act introduced"),
    ("2020-06-11", "day", "ZDNet (Mary Jo Foley)", "ZDNet reports Smith's pledge"),
    ("2020-06-12", "day", "TechNadu (Bill Toulas)", "TechNadu article"),
    ("2020-06-12", "day", "BuzzFeed News", "Firms won't say how many police use it"),
    ("2020-06-06", "day", "Protesters", "Floyd protests reach their peak"),
]
COMPANY_STEPS = ANNOUNCEMENTS + [  # Fig. 6.1, the aftermath chapter
    ("2021-05-18", "day", "Amazon", "Amazon extends pause"),
    ("2022-06-21", "day", "Microsoft", "Microsoft limits access"),
    ("2023-01-01", "year", "IBM", "IBM's UK biometrics contract"),
    ("2024-01-01", "month", "Amazon", "Amazon describes its pause narrowly"),
    ("2024-05-01", "month", "Microsoft", "Azure OpenAI barred for police face ID"),
]
LAW, ARREST = "Laws, bills and bans", "Wrongful arrests and their outcomes"
LAWS_AND_ARRESTS = [  # Fig. 6.2, the aftermath chapter
    ("2020-06-24", "day", ARREST, "Wrongful arrest reported"),
    ("2020-06-24", "day", LAW, "Boston ban"),
    ("2020-06-25", "day", LAW, "Moratorium Act introduced"),
    ("2020-06-25", "day", LAW, "House passes policing bill"),
    ("2020-07-10", "day", ARREST, "Second wrongful arrest reported"),
    ("2020-09-09", "day", LAW, "Portland ban"),
    ("2020-10-01", "month", LAW, "Vermont bars police use"),
    ("2020-12-29", "day", ARREST, "Parks lawsuit reported"),
    ("2020-12-31", "day", LAW, "Massachusetts regulates police use"),
    ("2021-02-01", "month", LAW, "Virginia bans local police use"),
    ("2021-06-01", "month", LAW, "Maine limits government use"),
    ("2021-06-15", "day", LAW, "Moratorium Act reintroduced"),
    ("2022-04-27", "day", LAW, "Virginia replaces its ban"),
    ("2023-02-16", "day", ARREST, "Porcha Woodruff arrested"),
    ("2023-03-07", "day", LAW, "Moratorium Act reintroduced again"),
    ("2024-06-28", "day", ARREST, "Williams settlement"),
    ("2021-03-03", "day", LAW, "Policing act passes House again"),
    ("2021-05-04", "day", LAW, "Vermont signs H.195"),
]
BOOK_TIMELINES = {  # each with the arguments its notebook passes
    "fortnight": (FORTNIGHT, {"label_share": 0.52, "wrap_at": 30}),
    "company steps": (COMPANY_STEPS, {}),
    "laws and arrests": (LAWS_AND_ARRESTS,
                         {"marks": {LAW: ("#009E73", "o"), ARREST: ("#D55E00", "X")}}),
}
# The axis's share of the figure's width (as saved: the tight box of what is drawn), at least.
AXIS_SHARE = 0.85
# The book's phone: a figure's image is 342 px wide at most (390 px less the page's and the
# figure's padding), and an SVG figure shrinks to fit it; the timelines' labels are then at
# least this many px high.
PHONE_COLUMN_PX, PHONE_LABEL_PX = 342, 11


def book_timeline(name: str):
    """The named book timeline, drawn, with its renderer."""
    rows, kwargs = BOOK_TIMELINES[name]
    frame = pd.DataFrame(rows, columns=["date", "date_precision", "actor", "label"])
    fig = charts.dated_timeline(frame.assign(date=pd.to_datetime(frame["date"])), SOURCE,
                                **kwargs)
    fig.canvas.draw()
    return fig, fig.canvas.get_renderer()


def tick_labels(ax) -> list:
    """The x axis's tick labels that show (with any written under them, such as a month)."""
    low, high = ax.get_xlim()
    return [t for t in ax.get_xticklabels(which="both")
            if t.get_visible() and t.get_text().strip() and low <= t.get_position()[0] <= high]


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_the_time_axis_has_most_of_the_width(name):
    fig, renderer = book_timeline(name)
    share = (fig.axes[0].get_window_extent(renderer).width
             / fig.get_tightbbox(renderer).width / fig.dpi)
    assert share >= AXIS_SHARE, f"{name}: the axis has {share:.0%} of the figure's width"


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_no_two_labels_overlap_nor_tick_labels_run_together(name):
    """Labels and tick labels are each clear of every other; tick labels are a space apart."""
    fig, renderer = book_timeline(name)
    ax = fig.axes[0]
    space = 3 * fig.dpi / 72
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    for tick in tick_labels(ax):  # widened by half a space on each side
        box = tick.get_window_extent(renderer)
        boxes.append((tick.get_text(), Bbox.from_extents(box.x0 - space / 2, box.y0,
                                                        box.x1 + space / 2, box.y1)))
    overlapping = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
                   if box_a.overlaps(box_b)]
    assert not overlapping, f"{name}: {overlapping}"


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_every_label_is_inside_the_figure(name):
    fig, renderer = book_timeline(name)
    texts = fig.axes[0].texts + tick_labels(fig.axes[0])
    outside = [t.get_text() for t in texts
               if not fig.bbox.padded(0.5).contains(*t.get_window_extent(renderer).min)
               or not fig.bbox.padded(0.5).contains(*t.get_window_extent(renderer).max)]
    assert not outside, f"{name}: outside the figure: {outside}"


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_each_label_sits_beside_its_own_mark(name):
    """Each label is level with its mark and starts (or ends) within a few points of it."""
    fig, renderer = book_timeline(name)
    ax = fig.axes[0]
    near = 12 * fig.dpi / 72
    assert len(ax.texts) == len(ax.lines) == len(BOOK_TIMELINES[name][0])
    apart = []
    for text, mark in zip(ax.texts, ax.lines, strict=True):
        x, y = ax.transData.transform((mdates.date2num(mark.get_xdata()[0]),
                                       mark.get_ydata()[0]))
        box = text.get_window_extent(renderer)
        gap = box.x0 - x if box.x0 >= x else x - box.x1
        if not (box.y0 <= y <= box.y1 and 0 <= gap <= near):
            apart.append((text.get_text(), round(gap)))
    assert not apart, f"{name}: labels away from their marks (gap in px): {apart}"


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_the_axis_starts_at_a_labelled_tick_with_the_year(name):
    """The first tick is at or before the first mark, and it (or the axis's name, when
    every item is in one year) names the year: the aftermath charts start at a 2020 tick."""
    fig, _ = book_timeline(name)
    ax = fig.axes[0]
    first_mark = min(mdates.date2num(mark.get_xdata()[0]) for mark in ax.lines)
    in_view = [t for t in ax.get_xticklabels() if ax.get_xlim()[0] <= t.get_position()[0]]
    first = min(in_view, key=lambda t: t.get_position()[0])
    assert first.get_position()[0] <= first_mark and first.get_text().strip(), (
        f"{name}: the first tick, {first.get_text()!r}, is after the first mark or unlabelled")
    assert "2020" in first.get_text() + ax.get_xlabel()


def test_the_fortnight_has_a_labelled_tick_for_each_day_of_the_four():
    """8, 9, 10 and 11 June 2020, the book's four days, each have a tick of their own."""
    fig, _ = book_timeline("fortnight")
    labelled = {mdates.num2date(t.get_position()[0]).date() for t in tick_labels(fig.axes[0])}
    assert {pd.Timestamp(f"2020-06-{day}").date() for day in (8, 9, 10, 11)} <= labelled


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_labels_are_legible_on_a_phone_without_scrolling_sideways(name):
    """Saved as the book saves it (tight, 0.1 in around) and shrunk to a phone's text column,
    the timeline's labels are still PHONE_LABEL_PX high (CSS px: 96 to the inch)."""
    fig, renderer = book_timeline(name)
    saved_width_in = fig.get_tightbbox(renderer).width + 2 * 0.1
    scale = min(1, PHONE_COLUMN_PX / (saved_width_in * 96))
    size_px = min(t.get_fontsize() for t in fig.axes[0].texts) * 96 / 72 * scale
    assert size_px >= PHONE_LABEL_PX, f"{name}: labels {size_px:.1f} px high on a phone"
