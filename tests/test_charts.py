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

from booksource import notebook_function  # noqa: E402
from frbook import charts  # noqa: E402
from frbook.data import load  # noqa: E402
from frbook.paths import REPO_ROOT  # noqa: E402
from frbook.style import (  # noqa: E402
    BLUISH_GREEN,
    COMPANY_COLOURS,
    COMPANY_MARKERS,
    DARK_REDDISH_PURPLE,
    OTHER_COLOUR,
    OTHER_MARKER,
    RC_PARAMS,
    VERMILLION,
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
    assert texts == [  # all in one year: the year is written once, in the axis's title
        f"25 May{GAP}Floyd killed",
        f"8 Jun{GAP}IBM letter",
        f"11 Jun{GAP}Microsoft pledge",
        f"Jun{GAP}Month only",  # known to the month: placed mid-month, after 11 June
    ]
    # The days' ticks name the month and its year under the month's first label.
    ax = fig.axes[0]
    assert ax.get_xlabel() == ""
    under = {mdates.num2date(t.get_position()[0]).strftime("%d %b"): t.get_text()
             for t in ax.get_xticklabels(minor=True)}
    labelled = [mdates.num2date(t.get_position()[0]) for t in tick_labels(ax)
                if t.get_text().isdigit()]
    first_of_june = min(day for day in labelled if day.month == 6).strftime("%d %b")
    assert under == {"25 May": "May 2020", first_of_june: "Jun 2020"}


def test_the_months_of_a_fortnight_are_named_where_they_begin():
    """"25 27 29 31 2 4" read as a countdown: the month is named under its first day's label,
    each with its year ("May 2020" beside a bare "Jun" read as inconsistent)."""
    days = [pd.Timestamp(d) for d in ("2020-12-27", "2020-12-29", "2020-12-31", "2021-01-02")]
    assert charts._months(days) == [(days[0], "Dec 2020"), (days[3], "Jan 2021")]
    assert charts._months(days[:3]) == [(days[0], "Dec 2020")]
    days = [pd.Timestamp(d) for d in ("2020-05-29", "2020-05-31", "2020-06-02")]
    assert charts._months(days) == [(days[0], "May 2020"), (days[2], "Jun 2020")]


def test_a_key_names_each_kind_of_mark_above_the_rows():
    """The key: one item per name given, each its mark (filled) and its name, in the colours
    and shapes of the rows' marks, then (the rows having one) what a hollow mark means, all
    above the rows, on as few lines as the width allows."""
    fig = charts.dated_timeline(items(), SOURCE, marks={"Someone": ("#009E73", "P")},
                                key=["Someone", "IBM", "Minneapolis police"])
    for drawing in (fig, fig.narrow, fig.printed):
        drawing.canvas.draw()
        renderer = drawing.canvas.get_renderer()
        names = [t.get_text() for t in drawing.texts]
        assert names == ["Someone", "IBM", "Minneapolis police", charts.HOLLOW_KEY]
        marks = [(to_hex(m.get_color()), m.get_marker(), to_hex(m.get_markerfacecolor()))
                 for m in drawing.artists]
        assert marks == [("#009e73", "P", "#009e73"),
                         (COMPANY_COLOURS["IBM"].lower(), COMPANY_MARKERS["IBM"],
                          COMPANY_COLOURS["IBM"].lower()),
                         (OTHER_COLOUR.lower(), OTHER_MARKER, OTHER_COLOUR.lower()),
                         (charts.HOLLOW_KEY_COLOUR.lower(), OTHER_MARKER, "#ffffff")]
        top = drawing.axes[0].get_window_extent(renderer).y1
        assert all(t.get_window_extent(renderer).y0 > top for t in drawing.texts)
        for text, mark in zip(drawing.texts, drawing.artists, strict=True):
            box, outline = text.get_window_extent(renderer), mark.get_window_extent(renderer)
            assert box.y0 <= (outline.y0 + outline.y1) / 2 <= box.y1 and box.x0 > outline.x1


def test_the_key_says_what_a_hollow_mark_means_where_a_timeline_draws_one_and_only_there():
    """A mark of an item dated only to its month or year is hollow; a reader who sees one (a
    figure photocopied alone, without the text that explains it) finds its meaning in the
    key, which names it only when the timeline draws one."""
    for frame, hollow in ((items(), True), (items()[items()["date_precision"] == "day"], False)):
        fig = charts.dated_timeline(frame, SOURCE, key=["IBM"])
        for drawing in (fig, fig.narrow, fig.printed):
            drawn_hollow = any(to_hex(m.get_markerfacecolor()) == "#ffffff"
                               for m in drawing.axes[0].lines)
            keyed = [m for m, t in zip(drawing.artists, drawing.texts, strict=True)
                     if t.get_text() == charts.HOLLOW_KEY]
            assert drawn_hollow == hollow and len(keyed) == hollow
            assert all(to_hex(m.get_markerfacecolor()) == "#ffffff" for m in keyed)
    assert charts.dated_timeline(items()[:1], SOURCE).texts == []  # no key asked, none drawn


def test_a_banded_timeline_draws_each_band_under_its_heading_earliest_first():
    """With `bands`, each band's items come together, earliest first, in the bands' order, under
    a heading row of the band's mark and name (bold, at the axis's start, above its first
    item, which the key then leaves out); an item in no band is an error naming it."""
    frame = items()
    fig = charts.dated_timeline(frame, SOURCE, bands=["IBM", "Microsoft", "Minneapolis police",
                                                      "Someone"], key=["IBM"])
    for drawing in (fig, fig.narrow, fig.printed):
        drawing.canvas.draw()
        renderer = drawing.canvas.get_renderer()
        labels = [t.get_text().split(charts.DATE_GAP)[1] for t in drawing.axes[0].texts]
        assert labels == ["IBM letter", "Microsoft pledge", "Floyd killed", "Month only"]
        headings = [t for t in drawing.texts if t.get_text() != charts.HOLLOW_KEY]
        assert [t.get_text() for t in headings] == ["IBM", "Microsoft", "Minneapolis police",
                                                    "Someone"]
        assert all(t.get_fontweight() == "bold" for t in headings)
        for heading, label in zip(headings, drawing.axes[0].texts, strict=True):
            above, own = heading.get_window_extent(renderer), label.get_window_extent(renderer)
            assert own.y1 < above.y0, heading.get_text()  # just above its band's first row
            assert above.y0 - own.y1 < 1.5 * label.get_fontsize() * drawing.dpi / 72
    with pytest.raises(ValueError, match="items in no band: 'Someone'"):
        charts.dated_timeline(frame, SOURCE, bands=["IBM", "Microsoft", "Minneapolis police"])


def test_key_lines_keep_items_whole_and_in_order():
    assert charts.key_lines([3, 2, 4, 1], room=6, gap=1) == [[(0, 0), (1, 4)], [(2, 0), (3, 5)]]
    assert charts.key_lines([7], room=6, gap=1) == [[(0, 0)]]  # too wide: on a line alone
    assert charts.key_lines([], room=6, gap=1) == []


def test_two_timelines_covering_the_same_items_share_their_time_axis():
    early = items().assign(date=pd.to_datetime(["2020-06-11", "2020-06-01", "2020-06-08",
                                                 "2021-05-25"]))
    late = early.assign(date=early["date"] + pd.DateOffset(years=2))
    both = pd.concat([early, late])
    axes = [charts.dated_timeline(frame, SOURCE, covering=both).axes[0]
            for frame in (early, late)]
    assert axes[0].get_xlim() == axes[1].get_xlim()
    low, high = axes[0].get_xlim()
    assert low <= mdates.date2num(pd.Timestamp("2020-06-08"))  # the first of both, a month's
    assert high >= mdates.date2num(pd.Timestamp("2023-05-25"))  # middle, and the last
    assert ([t.get_text() for t in tick_labels(axes[0])]
            == [t.get_text() for t in tick_labels(axes[1])])
    alone = charts.dated_timeline(early, SOURCE).axes[0].get_xlim()
    assert alone[1] < mdates.date2num(pd.Timestamp("2022-01-01"))  # uncovered: its own span


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
                                  "company": pd.Series(["IBM"], dtype=companies),
                                  "source_key": ["ibm2020letter"]})
    events = pd.DataFrame({
        "date": pd.to_datetime(["2020-05-25", "2021-05-18"]),
        "date_precision": pd.Categorical(["day", "day"]), "label": ["Floyd", "Extended"],
        "actor": ["Minneapolis police", "Amazon"],
        "company": pd.Series([None, "Amazon"], dtype=companies),
        "source_key": ["ap2021floyd", "reuters2021amazon"]})
    got = charts.timeline_items(announcements, events, "2020-05-01", "2020-12-31")
    assert sorted(got["label"]) == ["Floyd", "IBM exit"]
    assert set(got["actor"]) == {"IBM", "Minneapolis police"}
    assert sorted(got["source_key"]) == ["ap2021floyd", "ibm2020letter"]


def test_an_event_known_to_the_month_is_in_the_window_when_its_middle_is():
    announcements = pd.DataFrame({"date": pd.to_datetime([]), "label": [],
                                  "company": pd.Series([], dtype="category"), "source_key": []})
    events = pd.DataFrame({
        "date": pd.to_datetime(["2020-06-01", "2020-05-01"]),
        "date_precision": pd.Categorical(["month", "month"]), "label": ["June", "May"],
        "actor": ["Microsoft", "Amazon"], "company": pd.Series([None, None], dtype=object),
        "source_key": ["a2020", "b2020"]})
    got = charts.timeline_items(announcements, events, "2020-05-10", "2020-06-12")
    assert list(got["label"]) == ["May"]  # drawn on 16 May; June's middle is after the 12th


def test_a_timeline_of_rows_with_sources_cites_each_once_and_keeps_them_in_its_data():
    """The source line cites the plotted rows' sources, each once (frbook.figures links them
    to the bibliography), and the download keeps each row's source key."""
    cited = items().assign(source_key=["b2020", "a2020", "b2020", "c2020"])
    fig = charts.dated_timeline(cited)
    assert fig.source is None and sorted(fig.cited) == ["a2020", "b2020", "c2020"]
    assert list(fig.plotted.columns) == ["date", "label", "actor", "source_key"]
    assert list(fig.plotted["source_key"]) == ["c2020", "b2020", "b2020", "a2020"]  # by date
    with pytest.raises(ValueError, match="source_key"):
        charts.finish(plt.figure(), None, items())


def test_the_aftermath_chapter_picks_rows_by_label_and_stops_at_a_label_no_row_has():
    labelled = notebook_function(REPO_ROOT / "notebooks" / "aftermath.ipynb", "labelled")
    assert list(labelled(items(), "IBM letter", "Floyd killed")) == [False, False, True, True]
    with pytest.raises(ValueError, match="IBM's letter"):
        labelled(items(), "IBM letter", "IBM's letter")


def test_finish_sets_typographic_apostrophes_in_the_source_line():
    fig = charts.dated_timeline(items(), "the book's events table")
    assert fig.source == "Source: the book\u2019s events table"


def test_even_lines_leave_no_word_alone_and_keep_hyphenated_words_whole():
    assert charts.even_lines("Amazon pauses police use for a year".split(), 2, len) == (
        "Amazon pauses police\nuse for a year")
    assert charts.even_lines("IBM leaves general-purpose market".split(), 2, len) == (
        "IBM leaves\ngeneral-purpose market")
    assert charts.even_lines(["Boston", "ban"], 1, len) == "Boston ban"


def test_a_label_too_long_for_either_side_goes_on_below_its_date_and_first_word():
    long = items().assign(label=["Microsoft pledge", "Month only", "IBM writes to Congress that "
                                 "it leaves the general-purpose market for good", "Floyd killed"])
    texts = [t.get_text() for t in charts.dated_timeline(long, SOURCE).axes[0].texts]
    assert texts[1].startswith(f"8 Jun{GAP}IBM writes")
    assert texts[1].count("\n") >= 1  # over even lines, not one long one
    assert texts[0] == f"25 May{GAP}Floyd killed"  # the others stay on one line


def test_dated_timeline_draws_other_actors_in_the_marks_given():
    other = ("#009E73", "X")
    fig = charts.dated_timeline(items(), SOURCE,
                                marks={"Minneapolis police": other, "Someone": other})
    marks = fig.axes[0].lines
    assert [m.get_marker() for m in marks][::3] == ["X", "X"]
    assert to_hex(marks[0].get_color()) == "#009e73"
    assert marks[1].get_marker() == COMPANY_MARKERS["IBM"]  # companies keep their own


def test_items_in_groups_are_marked_by_group_and_their_data_keeps_group_and_actor():
    """Events sorted into kinds (the aftermath's laws, bills and arrests) are marked by their
    `group`, and the figure's data names each row's group and its actor in columns so headed
    (the kinds once stood in a column headed `actor`)."""
    events = items().assign(company=None, source_key=["a", "b", "c", "d"],
                            group=["Pledges", "Other", "Pledges", "Arrests"])
    rows = charts.timeline_items(None, events, "2020-01-01", "2020-12-31")
    assert list(rows["group"]) == list(events["group"])
    assert list(rows["actor"]) == list(events["actor"])
    marks = {"Pledges": ("#009E73", "P"), "Other": ("#D55E00", "X"), "Arrests": ("#000000", "o")}
    fig = charts.dated_timeline(rows, marks=marks, key=["Pledges"])
    assert [m.get_marker() for m in fig.axes[0].lines] == ["o", "P", "P", "X"]  # by date
    assert list(fig.plotted.columns) == ["date", "label", "group", "actor", "source_key"]
    assert list(fig.plotted["group"]) == ["Arrests", "Pledges", "Pledges", "Other"]
    assert list(fig.plotted["actor"]) == ["Minneapolis police", "IBM", "Microsoft", "Someone"]


def test_timeline_items_without_announcements_holds_only_the_events():
    events = items().assign(company=[None, None, "IBM", None], source_key=["a", "b", "c", "d"])
    rows = charts.timeline_items(None, events, "2020-01-01", "2020-12-31")
    assert list(rows["label"]) == list(events["label"])
    assert list(rows["actor"]) == ["Microsoft", "Someone", "IBM", "Minneapolis police"]


# The book's three timelines as their notebooks draw them (notebooks/announcements.ipynb,
# notebooks/aftermath.ipynb, from data/events.csv and data/announcements.csv):
# (date, precision, actor, label).
ANNOUNCEMENTS = [
    ("2020-06-08", "day", "IBM", "IBM leaves general-purpose market"),
    ("2020-06-10", "day", "Amazon", "Amazon pauses police use for a year"),
    ("2020-06-11", "day", "Microsoft", "Microsoft: US police sales await a law"),
]
FORTNIGHT = ANNOUNCEMENTS + [  # Fig. 3.1, the announcements chapter
    ("2020-05-25", "day", "Minneapolis Police Department", "George Floyd dies after arrest"),
    ("2020-06-06", "day", "Protesters across the United States",
     "Floyd protests reach their peak"),
    ("2020-06-08", "day", "Democrats in Congress (Bass, Booker, Harris, Nadler)",
     "Justice in Policing Act introduced"),
    ("2020-06-11", "day", "ZDNet (Mary Jo Foley)", "ZDNet reports Smith's pledge"),
    ("2020-06-12", "day", "TechNadu (Bill Toulas)", "TechNadu article"),
    ("2020-06-12", "day", "BuzzFeed News", "BuzzFeed: police user numbers withheld"),
]
COMPANY_STEPS = ANNOUNCEMENTS + [  # Fig. 6.1, the aftermath chapter
    ("2021-05-18", "day", "Amazon", "Amazon extends pause"),
    ("2021-05-01", "month", "Microsoft", "Microsoft reaffirms pledge"),
    ("2022-06-21", "day", "Microsoft", "Microsoft limits access"),
    ("2023-01-01", "year", "IBM", "IBM's UK biometrics contract"),
    ("2024-01-01", "month", "Amazon", "Amazon describes its pause narrowly"),
    ("2024-05-01", "month", "Microsoft", "Bar on US police face ID in Azure OpenAI"),
]
LAWS, BILLS, ARRESTS = ("State and city laws", "Federal moratorium bill",
                        "Wrongful arrests and outcomes")
LAWS_AND_ARRESTS = [  # Fig. 6.2, the aftermath chapter
    ("2020-06-24", "day", ARRESTS, "Williams arrest reported"),
    ("2020-06-24", "day", LAWS, "Boston ban"),
    ("2020-06-25", "day", BILLS, "Moratorium Act introduced"),
    ("2020-07-10", "day", ARRESTS, "Oliver arrest reported"),
    ("2020-09-09", "day", LAWS, "Portland ban"),
    ("2020-10-01", "month", LAWS, "Vermont bars police use"),
    ("2020-12-29", "day", ARRESTS, "Parks suit reported"),
    ("2020-12-31", "day", LAWS, "Massachusetts regulates police use"),
    ("2021-02-01", "month", LAWS, "Virginia bans local police use"),
    ("2021-05-04", "day", LAWS, "Vermont act on child-exploitation cases"),
    ("2021-06-15", "day", BILLS, "Moratorium Act reintroduced"),
    ("2021-06-01", "month", LAWS, "Maine limits government use"),
    ("2022-04-27", "day", LAWS, "Virginia replaces its ban"),
    ("2023-03-07", "day", BILLS, "Moratorium Act reintroduced again"),
    ("2023-08-03", "day", ARRESTS, "Woodruff suit filed"),
    ("2024-06-28", "day", ARRESTS, "Williams settlement"),
]
# The aftermath's two timelines share one time axis: from the first to the last item of both.
AFTERMATH_ITEMS = pd.DataFrame({"date": pd.to_datetime(["2020-06-08", "2024-06-28"]),
                                "date_precision": "day"})
KINDS = {LAWS: (BLUISH_GREEN, "o"), BILLS: (DARK_REDDISH_PURPLE, "P"),
         ARRESTS: (VERMILLION, "X")}
BOOK_TIMELINES = {  # each with the arguments its notebook passes
    "fortnight": (FORTNIGHT, {"key": ["IBM", "Amazon", "Microsoft", "Other events"]}),
    "company steps": (COMPANY_STEPS, {"bands": ["IBM", "Amazon", "Microsoft"],
                                      "covering": AFTERMATH_ITEMS}),
    "laws and arrests": (LAWS_AND_ARRESTS, {"marks": KINDS, "bands": list(KINDS),
                                            "covering": AFTERMATH_ITEMS}),
}
# Each timeline is drawn three times: for a laptop's screen and a phone's (the HTML's SVG
# pictures) and for paper (the PDF).
MEDIA = ("laptop", "phone", "paper")
BOOK_CHARTS = list(itertools.product(BOOK_TIMELINES, MEDIA))
# The axis's share of the figure's width (as saved: the tight box of what is drawn), at least.
AXIS_SHARE = 0.85
# The width a figure's image may take in the book's text column: 672 px on a 1280 px laptop,
# 342 px on a 390 px phone (an image is shrunk to fit it, never enlarged). On a laptop a
# timeline's words are close to the body text's size (16 px); on a phone at least 11 px.
LAPTOP_COLUMN_PX, PHONE_COLUMN_PX = 672, 342
BODY_TEXT_PX = 16
LAPTOP_TEXT_SHARE = (0.8, 1.1)  # of the body text's size
PHONE_TEXT_PX = 11
# Paper: A4's text width (Sphinx's 1 in margins), and chart text between these sizes in pt.
PAPER_TEXT_WIDTH_IN = 8.27 - 2
PAPER_TEXT_PT = (7, 10)
# Clearances, in ems of the labels' size: between a mark and its label's words; between a
# label's words and a gridline (which stops short of the label); between two tick labels.
MARK_CLEAR_EM, GRID_CLEAR_EM, TICK_GAP_EM = 0.45, 0.25, 1
# The shortest stretch of gridline that may show (a row's height is about 2 em), and a stretch
# too short to see (the rounding of two boxes' edges).
MIN_GRID_PIECE_EM, SUBPIXEL_EM = 1, 0.05
DRAWING_FOR = {"laptop": lambda fig: fig, "phone": lambda fig: fig.narrow,
               "paper": lambda fig: fig.printed}


def test_the_book_timelines_here_are_rows_of_the_books_data():
    """Each row drawn here is a row of data/announcements.csv or data/events.csv, with its date,
    precision and label, so these tests lay out what the book draws (update a row here when its
    label changes there)."""
    announcements, events = load("announcements"), load("events")
    rows = pd.concat([announcements.assign(date_precision="day"), events])
    data = {(f"{date:%Y-%m-%d}", str(precision), label) for date, precision, label in
            zip(rows["date"], rows["date_precision"], rows["label"], strict=True)}
    stale = [(name, label) for name, (rows, _) in BOOK_TIMELINES.items()
             for date, precision, _, label in rows if (date, precision, label) not in data]
    assert not stale, f"rows drawn here that the data no longer has: {stale}"


def book_timeline(name: str, medium: str = "laptop"):
    """The named book timeline, drawn for `medium`, with its renderer."""
    rows, kwargs = BOOK_TIMELINES[name]
    frame = pd.DataFrame(rows, columns=["date", "date_precision", "actor", "label"])
    fig = charts.dated_timeline(frame.assign(date=pd.to_datetime(frame["date"])), SOURCE,
                                **kwargs)
    fig = DRAWING_FOR[medium](fig)
    fig.canvas.draw()
    return fig, fig.canvas.get_renderer()


def tick_labels(ax) -> list:
    """The x axis's tick labels that show (with any written under them, such as a month)."""
    low, high = ax.get_xlim()
    return [t for t in ax.get_xticklabels(which="both")
            if t.get_visible() and t.get_text().strip() and low <= t.get_position()[0] <= high]


def em_px(fig) -> float:
    """The labels' size, in the figure's pixels."""
    return fig.axes[0].texts[0].get_fontsize() * fig.dpi / 72


def saved_width_in(fig, renderer) -> float:
    """The width of the figure's image as the book saves it (the tight box, padded)."""
    return (fig.get_tightbbox(renderer).width
            + 2 * matplotlib.rcParams["savefig.pad_inches"])


def all_text(fig) -> list:
    """Every word drawn: labels, tick labels, the axis's title and the key's names."""
    ax = fig.axes[0]
    return ax.texts + tick_labels(ax) + ([ax.xaxis.label] if ax.get_xlabel() else []) + fig.texts


@pytest.mark.parametrize(("name", "medium"), BOOK_CHARTS)
def test_the_time_axis_has_most_of_the_width(name, medium):
    fig, renderer = book_timeline(name, medium)
    share = (fig.axes[0].get_window_extent(renderer).width
             / fig.get_tightbbox(renderer).width / fig.dpi)
    assert share >= AXIS_SHARE, f"{name}: the axis has {share:.0%} of the figure's width"


@pytest.mark.parametrize(("name", "medium"), BOOK_CHARTS)
def test_no_two_labels_overlap_and_tick_labels_keep_apart(name, medium):
    """Labels are clear of each other and of the tick labels; in each row of tick labels, two
    neighbours are at least TICK_GAP_EM apart ("Jun 2020" and "2021" ran together)."""
    fig, renderer = book_timeline(name, medium)
    ax = fig.axes[0]
    boxes = [(t.get_text(), t.get_window_extent(renderer))
             for t in ax.texts + tick_labels(ax) + fig.texts]
    boxes += [(f"key mark {m.get_marker()}", m.get_window_extent(renderer)) for m in fig.artists]
    overlapping = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
                   if box_a.overlaps(box_b)]
    assert not overlapping, f"{name}: {overlapping}"
    rows: dict[float, list] = {}
    for tick in tick_labels(ax):
        box = tick.get_window_extent(renderer)
        rows.setdefault(round(box.y0), []).append((box.x0, box.x1, tick.get_text()))
    gap = TICK_GAP_EM * tick_labels(ax)[0].get_fontsize() * fig.dpi / 72
    close = [(a[2], b[2], f"{(b[0] - a[1]) / gap * TICK_GAP_EM:.2f} em")
             for row in rows.values() for a, b in itertools.pairwise(sorted(row))
             if b[0] - a[1] < gap]
    assert not close, f"{name} ({medium}): tick labels closer than {TICK_GAP_EM} em: {close}"


@pytest.mark.parametrize(("name", "medium"), BOOK_CHARTS)
def test_every_label_is_inside_the_figure(name, medium):
    fig, renderer = book_timeline(name, medium)
    outside = [t.get_text() for t in all_text(fig)
               if not fig.bbox.padded(0.5).contains(*t.get_window_extent(renderer).min)
               or not fig.bbox.padded(0.5).contains(*t.get_window_extent(renderer).max)]
    assert not outside, f"{name}: outside the figure: {outside}"


@pytest.mark.parametrize(("name", "medium"), BOOK_CHARTS)
def test_each_label_sits_beside_its_own_mark_and_clear_of_it(name, medium):
    """Each label is level with its mark, and its words start (or end) beside the mark, at
    least MARK_CLEAR_EM clear of the mark's outline and within 1.5 em of it."""
    fig, renderer = book_timeline(name, medium)
    ax = fig.axes[0]
    em = em_px(fig)
    assert len(ax.texts) == len(ax.lines) == len(BOOK_TIMELINES[name][0])
    apart = []
    for text, mark in zip(ax.texts, ax.lines, strict=True):
        outline = mark.get_window_extent(renderer)
        box = text.get_window_extent(renderer)
        gap = box.x0 - outline.x1 if box.x0 >= outline.x0 else outline.x0 - box.x1
        level = box.y0 <= (outline.y0 + outline.y1) / 2 <= box.y1
        if not (level and MARK_CLEAR_EM <= gap / em <= 1.5):
            apart.append((text.get_text(), f"{gap / em:.2f} em"))
    assert not apart, f"{name} ({medium}): labels touching or away from their marks: {apart}"


def shown_gridline_pieces(fig, renderer) -> list[tuple[float, float, float]]:
    """Each stretch of a gridline that shows, as (x, bottom, top) in the figure's pixels: the
    gridline's run from the axis to the top of the rows, less what opaque boxes in the
    figure's colour (a label's own box, or a patch) drawn above the gridlines cover."""
    ax = fig.axes[0]
    above_grid = ax.xaxis.get_zorder()  # gridlines are drawn with their axis, at its zorder
    patches = ax.patches + [t.get_bbox_patch() for t in ax.texts if t.get_zorder() > above_grid]
    covers = [patch.get_window_extent(renderer) for patch in patches
              if patch is not None and patch.get_zorder() > above_grid
              and patch.get_facecolor()[3] == 1 and to_hex(patch.get_facecolor()) == "#ffffff"]
    rows = ax.get_window_extent(renderer)
    pieces = []
    for line in ax.get_xgridlines():
        if not line.get_visible():
            continue
        extent = line.get_window_extent(renderer)
        x, shown_from = (extent.x0 + extent.x1) / 2, rows.y0
        for low, high in sorted((box.y0, box.y1) for box in covers if box.x0 <= x <= box.x1):
            if low > shown_from:
                pieces.append((x, shown_from, min(low, rows.y1)))
            shown_from = max(shown_from, high)
        if shown_from < rows.y1:
            pieces.append((x, shown_from, rows.y1))
    return pieces


@pytest.mark.parametrize(("name", "medium"), BOOK_CHARTS)
def test_gridlines_stop_short_of_the_labels_and_show_no_dash_between_them(name, medium):
    """No stretch of gridline that shows comes within GRID_CLEAR_EM of a label's words, and
    none is shorter than MIN_GRID_PIECE_EM: a gridline's dash between two labels above each
    other (a gap between their white boxes) read in print as striking them through."""
    fig, renderer = book_timeline(name, medium)
    ax, em = fig.axes[0], em_px(fig)
    pieces = shown_gridline_pieces(fig, renderer)
    assert pieces, f"{name}: no gridline shows, so the check sees nothing"
    clear = GRID_CLEAR_EM * em
    crossed = sorted({text.get_text() for text in ax.texts for x, low, high in pieces
                      if (words := text.get_window_extent(renderer).padded(clear)).x0 <= x
                      <= words.x1 and low < words.y1 and high > words.y0})
    assert not crossed, f"{name} ({medium}): gridlines touch these labels: {crossed}"
    dashes = sorted({f"{(high - low) / em:.2f} em" for _, low, high in pieces
                     if SUBPIXEL_EM < (high - low) / em < MIN_GRID_PIECE_EM})
    assert not dashes, f"{name} ({medium}): gridline dashes between labels: {dashes}"


@pytest.mark.parametrize(("name", "medium"), BOOK_CHARTS)
def test_every_label_has_one_layout_its_date_then_its_words(name, medium):
    """Each label opens with its date, then an en space and the label's first word, on the
    same line; a label too long for one line goes on below that ("6 Jun" once stood alone on
    a line above its words)."""
    fig, _ = book_timeline(name, medium)
    rows = BOOK_TIMELINES[name][0]
    firsts = {label.split()[0] for *_, label in rows}
    odd = [t.get_text() for t in fig.axes[0].texts
           if GAP not in t.get_text().split("\n")[0]
           or t.get_text().split("\n")[0].split(GAP)[1].split()[0] not in
           {charts.typographic(word) for word in firsts}]
    assert not odd, f"{name} ({medium}): labels laid out differently: {odd}"


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_the_axis_names_the_year_it_starts_in(name):
    """The leftmost label of the time axis (or its title, when every item is in one year)
    names the first mark's year, and is written before the next year begins."""
    fig, renderer = book_timeline(name)
    ax = fig.axes[0]
    year = mdates.num2date(min(mdates.date2num(mark.get_xdata()[0]) for mark in ax.lines)).year
    leftmost = min(tick_labels(ax), key=lambda t: t.get_window_extent(renderer).x0)
    next_year = ax.transData.transform((mdates.date2num(pd.Timestamp(year + 1, 1, 1)), 0))[0]
    assert leftmost.get_window_extent(renderer).x1 <= next_year, (
        f"{name}: the axis's first label, {leftmost.get_text()!r}, is after {year}")
    assert str(year) in leftmost.get_text() + ax.get_xlabel(), (
        f"{name}: the axis does not say {year} at its start: {leftmost.get_text()!r}")


def test_the_fortnight_has_a_tick_for_each_day_and_a_date_at_least_every_other_day():
    """Every day from 25 May to 12 June 2020 has a tick (and gridline), labelled at least on
    every other day, the four days' marks carrying their own dates."""
    for medium in MEDIA:
        fig, _ = book_timeline("fortnight", medium)
        ax = fig.axes[0]
        ticks = {mdates.num2date(x).date() for x in ax.get_xticks()}
        days = {d.date() for d in pd.date_range("2020-05-25", "2020-06-12")}
        assert days <= ticks, f"{medium}: days without a tick: {sorted(days - ticks)}"
        labelled = sorted(mdates.num2date(t.get_position()[0]).date()
                          for t in tick_labels(ax) if t.get_text().strip().isdigit())
        steps = {(b - a).days for a, b in itertools.pairwise(labelled)}
        assert steps and max(steps) <= 2, f"{medium}: days between tick labels: {steps}"
        # "… 29 31 2 4": the month and its year named under the month's first day's label
        months = [(f"{mdates.num2date(t.get_position()[0]):%-d %b}", t.get_text())
                  for t in tick_labels(ax) if not t.get_text().isdigit()]
        june = next(day for day in labelled if day.month == 6)
        assert months == [("25 May", "May 2020"), (f"{june:%-d %b}", "Jun 2020")], medium


@pytest.mark.parametrize("medium", MEDIA)
def test_the_aftermath_timelines_share_an_axis_that_names_every_year_in_full(medium):
    """Figs. 6.1 and 6.2 read on one time axis, and a phone's names the years as a laptop's
    does ("2020 … 2024"; Fig. 6.1 once read "’20 ’21" beside Fig. 6.2's "2020 2021")."""
    years = [[t.get_text() for t in tick_labels(book_timeline(name, medium)[0].axes[0])]
             for name in ("company steps", "laws and arrests")]
    assert years[0] == years[1] == ["2020", "2021", "2022", "2023", "2024"], years


# The book's timelines that draw hollow marks (items dated only to a month or year).
WITH_HOLLOW_MARKS = {"company steps", "laws and arrests"}


@pytest.mark.parametrize("medium", MEDIA)
def test_each_book_timeline_has_its_key(medium):
    """Its marks' names (in a banded timeline, its bands' headings), then, where it draws hollow
    marks, what they mean."""
    for name, (_, kwargs) in BOOK_TIMELINES.items():
        fig, _ = book_timeline(name, medium)
        hollow = [charts.HOLLOW_KEY] if name in WITH_HOLLOW_MARKS else []
        named = kwargs.get("bands") or kwargs["key"]
        assert [t.get_text() for t in fig.texts] == named + hollow, name


def shown_text_px(fig, renderer, column_px: float) -> tuple[list[float], float]:
    """The sizes of the timeline's words in CSS px (96 to the inch) when its image, saved as the
    book saves it, is shown in a text column `column_px` wide (shrunk to fit it, never
    enlarged), and the image's own width in px."""
    width_px = saved_width_in(fig, renderer) * 96
    return ([t.get_fontsize() * 96 / 72 * min(1, column_px / width_px) for t in all_text(fig)],
            width_px)


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_on_a_laptop_the_timeline_fills_the_column_in_words_near_the_body_texts_size(name):
    """The drawing for a laptop takes its text column, its words close to the body text's size
    (one drawing for both screens had words of 23 px there, beside 16 px of text)."""
    sizes, width_px = shown_text_px(*book_timeline(name, "laptop"), LAPTOP_COLUMN_PX)
    low, high = (share * BODY_TEXT_PX for share in LAPTOP_TEXT_SHARE)
    assert low <= min(sizes) and max(sizes) <= high, (
        f"{name}: words of {min(sizes):.1f} to {max(sizes):.1f} px on a laptop, body text "
        f"{BODY_TEXT_PX} px")
    assert 0.95 * LAPTOP_COLUMN_PX <= width_px <= LAPTOP_COLUMN_PX, (
        f"{name}: {width_px:.0f} px wide in a {LAPTOP_COLUMN_PX} px column")


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_on_a_phone_the_timeline_fits_the_column_in_legible_words(name):
    """The drawing for a phone fits a 390 px phone's column unshrunk, its smallest words at
    least PHONE_TEXT_PX."""
    sizes, width_px = shown_text_px(*book_timeline(name, "phone"), PHONE_COLUMN_PX)
    assert min(sizes) >= PHONE_TEXT_PX, f"{name}: words {min(sizes):.1f} px high on a phone"
    assert width_px <= PHONE_COLUMN_PX, f"{name}: {width_px:.0f} px wide on a phone"


@pytest.mark.parametrize("name", BOOK_TIMELINES)
def test_on_paper_the_timeline_fits_the_text_width_in_text_of_a_readable_size(name):
    """The PDF's timeline is no wider than the text, and its words are printed at their
    drawn size, between PAPER_TEXT_PT's bounds: legible, not larger than the body text."""
    fig, renderer = book_timeline(name, "paper")
    width = saved_width_in(fig, renderer)
    assert width <= PAPER_TEXT_WIDTH_IN, f"{name}: {width:.2f} in on paper"
    sizes = [t.get_fontsize() for t in all_text(fig)]
    low, high = PAPER_TEXT_PT
    assert low <= min(sizes) and max(sizes) <= high, f"{name}: words of {sorted(set(sizes))} pt"
