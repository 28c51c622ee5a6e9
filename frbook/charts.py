"""Chart parts shared by several chapters: the dated timeline, and the finish every chart gets
(its source line, for the note under it, and the rows it plots, for its data download). A
chart that only one chapter draws is written in that chapter, where a reader can open its
code."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from frbook.style import BACKGROUND, OTHER_MARKER, colour_for, marker_for
from frbook.text import format_date, typographic


@dataclass(frozen=True)
class TimelineSize:
    """The width a timeline is drawn at and the size of its words; every other length of it
    (marks, gaps, rows, lines) is in ems of that size, so a size scales the whole drawing."""

    width_in: float
    text_pt: float


# On screen a timeline is two drawings, and the browser shows the one drawn for its window's
# width (an HTML <picture>: frbook.style.picture): for a laptop, as wide as the book's text
# column at 1280 px (672 px), its words 15 px, a little smaller than the body text (16 px); for a
# phone, as wide as a 390 px phone's column (342 px), its words 12 px. One drawing shrunk to both
# had words twice the body text on a laptop.
LAPTOP = TimelineSize(6.85, 11.25)
PHONE = TimelineSize(3.4, 9)
# On paper (the PDF, `fig.printed`): within A4's text width (6.27 in), in words a little smaller
# than the body's.
PAPER = TimelineSize(6.0, 9)
# In ems: a mark's size and outline; the clear space between a mark and its label's words; the
# space around a label's words, above, below and beyond them, in its row; between two rows'
# labels (with BOX_PAD_EM, a row is its label's height and 0.8 em); the least space between two
# tick labels (or a year and a year's tick). Under each row, from its mark to the end of its
# label, lies an opaque box in the figure's colour, as tall as the row and a little more
# (ROW_OVERLAP_EM), so that the boxes of two rows overlap: a gridline stops at a row's mark and
# label and shows no dash between two labels above each other (dashes read as struck through).
MARK_EM, MARK_EDGE_EM = 0.64, 0.145
LABEL_CLEAR_EM = 0.55
BOX_PAD_EM = 0.3
ROW_GAP_EM = 0.2
ROW_OVERLAP_EM = 0.05
TICK_GAP_EM = 1.1
LINE_EM = 0.07  # the width of the axis line, ticks and gridlines
TICK_EM = 0.32  # a tick's length, and the space between it and its label
MARGIN_EM = 0.3  # the least space left and right of the axis
LINESPACING = 1.15
# The key above a timeline's rows (the marks' meanings): a line's height; the space between two
# of its items (each a mark and its name, kept whole on a line); between it and the first row.
KEY_LINE_EM, KEY_ITEM_GAP_EM, KEY_BELOW_EM = 1.5, 1.0, 0.8
# A banded timeline's heading row (a band's mark and name, opening its rows): the space above it,
# but for the first band's.
BAND_GAP_EM = 0.7
# Between a label's date and its words: an en space, which SVG text keeps (it would run two
# spaces together into one).
DATE_GAP = "\u2002"
# The colour of a chart's words; the key's item for hollow marks (items whose day is not
# known), which a timeline that draws one adds to its key.
TEXT_COLOUR = "#222222"
HOLLOW_KEY = "Dated to the month or year only"
HOLLOW_KEY_COLOUR = "#444444"


def finish(fig, source: str | None, plotted: pd.DataFrame):
    """Keep `fig`'s source line (printed once, in the note under the figure, not in the image)
    and the plotted rows for its data download. With `source` None, the source line cites the
    plotted rows' sources (their `source_key` column), each once, linked to the bibliography
    (frbook.figures); else it says `source`, its apostrophes set as typographic ones."""
    if source is None:
        if "source_key" not in plotted:
            raise ValueError("a chart without a source line needs its rows' source_key column")
        fig.source, fig.cited = None, list(dict.fromkeys(plotted["source_key"]))
    else:
        fig.source = typographic(source if source.startswith("Source:") else f"Source: {source}")
        fig.cited = []
    fig.plotted = plotted.reset_index(drop=True)
    return fig


def timeline_items(announcements: pd.DataFrame | None, events: pd.DataFrame, start: str,
                   end: str):
    """The three announcements (unless None) and the events between `start` and `end`
    inclusive, as `date`, `date_precision`, `label`, `group` (where the events have one: a
    kind of event a chart marks them by), `actor` (the company, or the event's actor) and
    `source_key`. An event known only to the month or year is in the window when the middle of
    that month or year, where the timeline draws it, is."""
    parts = [] if announcements is None else [
        announcements.assign(date_precision="day", actor=announcements["company"].astype(str))]
    parts.append(events.assign(date_precision=events["date_precision"].astype(str),
                               actor=events["company"].astype(object).fillna(events["actor"])))
    grouped = ["group"] if "group" in events else []
    items = pd.concat(parts, ignore_index=True)[
        ["date", "date_precision", "label", *grouped, "actor", "source_key"]]
    at = pd.Series(drawn_at(items), items.index)
    return items[at.between(pd.Timestamp(start), pd.Timestamp(end))]


def middle(value, precision: str) -> pd.Timestamp:
    """The middle of the day, month or year that `value` (its first day) stands for."""
    start = pd.Timestamp(value)
    if precision == "day":
        return start
    end = start + (pd.DateOffset(months=1) if precision == "month" else pd.DateOffset(years=1))
    return start + (end - start) / 2


def even_lines(words: list[str], lines: int, width_of) -> str:
    """`words` on `lines` lines, broken where the widest line (`width_of` a line) is narrowest:
    no word left alone on a last line that a shorter first line would have room for."""
    best = None
    for breaks in itertools.combinations(range(1, len(words)), lines - 1):
        bounds = (0, *breaks, len(words))
        text = "\n".join(" ".join(words[a:b]) for a, b in itertools.pairwise(bounds))
        widest = max(width_of(line) for line in text.split("\n"))
        if best is None or widest < best[0]:
            best = (widest, text)
    return best[1]


def beside_mark(when: str, label: str, room: dict[str, float], width_of) -> tuple[str, str]:
    """A date and label as written beside their mark, and the side they go on: the date, an en
    space and the label's words, on as few (even) lines as fit, on the right of the mark where
    they fit, else on its left. The date always opens the first line, with the first word.
    `room` gives the inches free on each side, `width_of` a text's width in inches."""
    first, *rest = label.split()
    words = [f"{when}{DATE_GAP}{first}", *rest]
    for lines in range(1, len(words) + 1):
        text = even_lines(words, lines, width_of)
        for side in ("right", "left"):
            if width_of(text) <= room[side]:
                return text, side
    return text, max(room, key=room.get)


@dataclass(frozen=True)
class TimeAxis:
    """A time axis: its ends; its ticks, each with a gridline; its labels as (date, text), in
    a first row and in a row under it (a year under a month); its title, if it has one. Labels
    `between` ticks name the span from one tick to the next (a year), the others a tick."""

    start: pd.Timestamp
    end: pd.Timestamp
    ticks: list[pd.Timestamp]
    labels: list[tuple[pd.Timestamp, str]]
    under: list[tuple[pd.Timestamp, str]] = ()
    between: bool = False
    title: str = ""

    def inches(self, when: pd.Timestamp, axis_in: float) -> float:
        """Where `when` is on the axis, `axis_in` inches long, from its start."""
        return (when - self.start) / (self.end - self.start) * axis_in


def _new(stamps: list[pd.Timestamp], part: str, fmt: str) -> list[tuple[pd.Timestamp, str]]:
    """(stamp, text) for the first of `stamps` and each whose month or year (`part`) is new."""
    return [(t, f"{t:{fmt}}") for i, t in enumerate(stamps)
            if i == 0 or getattr(t, part) != getattr(stamps[i - 1], part)]


def _months(days: list[pd.Timestamp]) -> list[tuple[pd.Timestamp, str]]:
    """(day, text) naming the month and year of the first of `days` and of each that opens a
    new month: "May 2020", "Jun 2020" (a bare "Jun" beside "May 2020" read as inconsistent)."""
    return _new(days, "month", "%b %Y")


def time_axes(first: pd.Timestamp, last: pd.Timestamp) -> list[TimeAxis]:
    """Time axes for items drawn from `first` to `last`, from the most to the fewest labels
    (the first whose labels keep apart is drawn). Over a few weeks: a tick a day, labelled each
    day, every other day or weekly, the month and year named under its first label ("May
    2020", "Jun 2020": the days read "25 27 29 31 2 …"). Over up to two years: a
    tick a month, quarter or half year, the year under its first label. Longer: a tick at each
    new year, each year's name centred between its ticks (shortened to "’20" where they do not
    fit, then without the first and last, part years, or every other year's)."""
    span = last - first
    if span <= pd.Timedelta(days=24):
        days = list(pd.date_range(first.normalize(), last.normalize(), freq="D"))
        half_day = pd.Timedelta(hours=14)
        return [TimeAxis(days[0] - half_day, days[-1] + half_day, days,
                         [(d, str(d.day)) for d in days[::step]], _months(days[::step]))
                for step in (1, 2, 7)]
    start = first.to_period("M").start_time
    end = last + max(span * 0.04, pd.Timedelta(days=10))
    if span <= pd.Timedelta(days=730):
        axes = []
        for months in (1, 3, 6):
            ticks = list(pd.date_range(start, last, freq=f"{months}MS"))
            axes.append(TimeAxis(start, end, ticks, [(t, f"{t:%b}") for t in ticks],
                                 _new(ticks, "year", "%Y")))
        return axes
    years = range(start.year, end.year + 1)
    ticks = [pd.Timestamp(year, 1, 1) for year in years[1:] if pd.Timestamp(year, 1, 1) < end]
    bounds = [start, *ticks, end]
    names = [(a + (b - a) / 2, str(a.year)) for a, b in itertools.pairwise(bounds)]
    short = [(at, f"\u2019{year[2:]}") for at, year in names]  # "’20": every year still named
    return [TimeAxis(start, end, ticks, chosen, between=True)
            for chosen in (names, short, names[1:-1], names[1::2])]


@dataclass(frozen=True)
class KeyItem:
    """What a kind of mark means, in the key above a timeline: its name, colour and marker, and
    whether the mark is hollow (else filled)."""

    name: str
    colour: str
    marker: str
    hollow: bool = False


def key_lines(widths: list[float], room: float, gap: float) -> list[list[tuple[int, float]]]:
    """Items `widths` wide laid out in lines no wider than `room`, `gap` apart, each kept whole
    and in order: per line, (item, its start from the line's start)."""
    lines: list[list[tuple[int, float]]] = []
    end = room
    for i, width in enumerate(widths):
        if not lines or end + gap + width > room:
            lines.append([])
            end = -gap
        lines[-1].append((i, end + gap))
        end += gap + width
    return lines


@dataclass(frozen=True)
class Entry:
    """One item of a timeline as drawn: where, whether its day is known, its date as written,
    its label, colour and marker, and the band it is drawn in, if the timeline has bands."""

    at: pd.Timestamp
    exact: bool
    when: str
    label: str
    colour: str
    marker: str
    band: KeyItem | None = None


def fitted_axis(axes: list[TimeAxis], width_in: float, width_of, em_in: float):
    """The first of `axes` whose labels, in each row, are TICK_GAP_EM apart (and a label
    between ticks half that from them and from the axis's ends), with the inches left and
    right of the axis that its end labels need (MARGIN_EM at least); else the last of `axes`.
    `width_of` gives a text's width in inches; the axis is taken to span the width less the
    least margins."""
    margin = MARGIN_EM * em_in
    for axis in axes:
        axis_in = width_in - 2 * margin
        rows = [[(axis.inches(t, axis_in) - width_of(text) / 2,
                  axis.inches(t, axis_in) + width_of(text) / 2) for t, text in row]
                for row in (axis.labels, axis.under)]
        left_in = margin + max([0] + [-low for row in rows for low, _ in row])
        right_in = margin + max([0] + [high - axis_in for row in rows for _, high in row])
        gap = TICK_GAP_EM * em_in
        if axis.between:  # the ticks and the ends bound each name
            gap /= 2
            rows[0] += [(x, x) for x in (axis.inches(t, axis_in) for t in
                                         [axis.start, *axis.ticks, axis.end])]
        if all(b_low - a_high >= gap for row in rows
               for (_, a_high), (b_low, _) in itertools.pairwise(sorted(row))):
            break
    return axis, left_in, right_in


def draw_timeline(fig, entries: list[Entry], year: int | None, size: TimelineSize,
                  key: tuple[KeyItem, ...] = (),
                  span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> None:
    """Draw `entries` (in order: earliest first, or band by band) on `fig` at `size`, the year
    under the axis when it is one `year` (unless the axis's labels name it), and `key` above
    them, each item a mark and its name; each band opens with a heading row, its mark and name.
    The axis covers `span` (first and last dates) too, when given."""
    pt, em = size.text_pt, size.text_pt / 72
    fig.set_size_inches(size.width_in, 1)
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, "", fontsize=pt, linespacing=LINESPACING)

    @cache
    def extent(text: str) -> tuple[float, float]:  # width and height in inches
        probe.set_text(text)
        box = probe.get_window_extent(renderer)
        return box.width / fig.dpi, box.height / fig.dpi

    def width_of(text: str) -> float:
        return extent(text)[0]

    first, last = min(entry.at for entry in entries), max(entry.at for entry in entries)
    if span is not None:
        first, last = min(first, span[0]), max(last, span[1])
    axis, left_in, right_in = fitted_axis(time_axes(first, last), size.width_in, width_of, em)
    axis_in = size.width_in - left_in - right_in
    offset_pt = (MARK_EM / 2 + MARK_EDGE_EM / 2 + LABEL_CLEAR_EM) * pt
    labels, sides = [], []
    for entry in entries:
        x_in = axis.inches(entry.at, axis_in)
        room = {"right": axis_in - x_in - offset_pt / 72, "left": x_in - offset_pt / 72}
        label, side = beside_mark(entry.when, entry.label, room, width_of)
        labels.append(label)
        sides.append(side)
    # Each row is as tall as its label's box and a gap, a band's heading row as its name's and
    # the gap above the band; under the rows, the tick labels' rows (and the year).
    rows_in = [extent(label)[1] + (2 * BOX_PAD_EM + ROW_GAP_EM) * em for label in labels]
    heads = [entry.band if entry.band and (i == 0 or entries[i - 1].band != entry.band)
             else None for i, entry in enumerate(entries)]
    heads_in = [0.0 if head is None else extent(head.name)[1]
                + (2 * BOX_PAD_EM + ROW_GAP_EM + BAND_GAP_EM * bool(i)) * em
                for i, head in enumerate(heads)]
    line_in = extent("0")[1]
    title = axis.title or ("" if year is None or axis.under else str(year))
    below_in = 2 * TICK_EM * em + (1 + bool(axis.under)) * line_in + bool(title) * (
        line_in + TICK_EM * em) + 0.1 * em
    mark_in, clear_in = (MARK_EM + MARK_EDGE_EM) * em, LABEL_CLEAR_EM * em
    margin_in = MARGIN_EM * em  # the key takes the drawing's width, less the least margins
    keyed = key_lines([mark_in + clear_in + width_of(item.name) for item in key],
                      size.width_in - 2 * margin_in, KEY_ITEM_GAP_EM * em)
    top_in = 0.1 * em + (len(keyed) * KEY_LINE_EM + KEY_BELOW_EM) * em * bool(keyed)
    rows_total_in = sum(rows_in) + sum(heads_in)
    height = top_in + rows_total_in + below_in
    probe.remove()
    fig.set_size_inches(size.width_in, height)
    ax = fig.add_axes((left_in / size.width_in, below_in / height, axis_in / size.width_in,
                       rows_total_in / height))
    # The y axis is in inches, from the top of the rows: each entry's heading row (if it opens
    # a band) then its own.
    tops = itertools.accumulate((head + row for head, row in zip(heads_in, rows_in, strict=True)),
                                initial=0)
    for top, head, head_in, row_in, entry, label, side in zip(
            tops, heads, heads_in, rows_in, entries, labels, sides, strict=False):
        if head is not None:
            draw_band_heading(fig, ax, axis, head, top, head_in, size, left_in, axis_in)
        top += head_in
        y = top + row_in / 2
        ax.plot([entry.at], [y], entry.marker, markersize=MARK_EM * pt, zorder=3,
                color=entry.colour, clip_on=False, markeredgewidth=MARK_EDGE_EM * pt,
                markerfacecolor=entry.colour if entry.exact else BACKGROUND)
        ax.annotate(label, (entry.at, y), xytext=(offset_pt if side == "right" else -offset_pt, 0),
                    textcoords="offset points", ha="left" if side == "right" else "right",
                    va="center", fontsize=pt, color=TEXT_COLOUR, linespacing=LINESPACING,
                    annotation_clip=False, zorder=2)
        # The row's opaque box: from the mark's far edge past the label's words.
        x_in, reach_in = axis.inches(entry.at, axis_in), (MARK_EM + MARK_EDGE_EM) / 2 * em
        words_in = offset_pt / 72 + width_of(label) + BOX_PAD_EM * em
        low_in, high_in = ((x_in - reach_in, x_in + words_in) if side == "right"
                           else (x_in - words_in, x_in + reach_in))
        low, high = (axis_date(axis, x, axis_in) for x in (low_in, high_in))
        y0 = max(0, top - ROW_OVERLAP_EM * em)
        y1 = min(rows_total_in, top + row_in + ROW_OVERLAP_EM * em)
        cover(ax, low, high, y0, y1)
    ax.set_ylim(rows_total_in, 0)
    draw_time_axis(ax, axis, pt, line_in * 72, title)
    for number, line in enumerate(keyed):  # from the top, in inches from the figure's corner
        y_in = height - 0.1 * em - (number + 0.5) * KEY_LINE_EM * em
        for i, x_in in line:
            draw_key_item(fig, key[i], margin_in + x_in, y_in, pt, mark_in + clear_in)


def cover(ax, low: float, high: float, y0: float, y1: float) -> None:
    """An opaque box in the figure's colour on `ax`, from date `low` to `high` (matplotlib's
    numbers) and from `y0` to `y1`, over the gridlines and under the words."""
    ax.add_patch(Rectangle((low, y0), high - low, y1 - y0, facecolor=BACKGROUND,
                           edgecolor="none", linewidth=0, zorder=1, clip_on=False))


def draw_band_heading(fig, ax, axis: TimeAxis, band: KeyItem, top: float, head_in: float,
                      size: TimelineSize, left_in: float, axis_in: float) -> None:
    """A band's heading row on `fig`, `head_in` inches tall from `top` (inches from the top of
    `ax`'s rows; a band below another has a gap above its heading): its mark and its name in
    bold, as the key would give them, from the axis's start, on an opaque box."""
    em = size.text_pt / 72
    name_in = (MARK_EM + MARK_EDGE_EM + LABEL_CLEAR_EM) * em
    row_in = head_in - (BAND_GAP_EM * em if top else 0)
    box = ax.get_position()
    rows_top_in = (box.y0 + box.height) * fig.get_figheight()
    name = draw_key_item(fig, band, left_in, rows_top_in - (top + head_in - row_in / 2),
                         size.text_pt, name_in)
    name.set_fontweight("bold")
    width_in = name_in + name.get_window_extent(fig.canvas.get_renderer()).width / fig.dpi
    reach_in = ROW_OVERLAP_EM * em
    cover(ax, axis_date(axis, -reach_in, axis_in),
          axis_date(axis, width_in + BOX_PAD_EM * em, axis_in),
          max(0, top - reach_in), top + head_in + reach_in)


def axis_date(axis: TimeAxis, x_in: float, axis_in: float) -> float:
    """The date (as matplotlib's number) `x_in` inches from the start of `axis`, `axis_in`
    inches long: :meth:`TimeAxis.inches` undone, for a point off any item's date."""
    start, end = mdates.date2num(axis.start), mdates.date2num(axis.end)
    return start + x_in / axis_in * (end - start)


def draw_key_item(fig, item: KeyItem, x_in: float, y_in: float, pt: float, name_in: float):
    """A key's item on `fig`: its mark (filled, as drawn for an exact date, unless the item is
    hollow) starting `x_in` inches from the figure's left, its name `name_in` further on, level
    at `y_in` inches; returns the name's text."""
    inches = fig.dpi_scale_trans
    fig.add_artist(Line2D([x_in + (MARK_EM + MARK_EDGE_EM) * pt / 72 / 2], [y_in],
                          transform=inches, linestyle="none", marker=item.marker,
                          markersize=MARK_EM * pt, markeredgewidth=MARK_EDGE_EM * pt,
                          color=item.colour,
                          markerfacecolor=BACKGROUND if item.hollow else item.colour))
    return fig.text(x_in + name_in, y_in, item.name, transform=inches, ha="left",
                    va="center", fontsize=pt, color=TEXT_COLOUR)


def draw_time_axis(ax, axis: TimeAxis, pt: float, line_pt: float, title: str) -> None:
    """Draw `axis` as `ax`'s x axis in words of `pt` points (a line of them `line_pt` high),
    with a gridline at each tick, and its `title` under it, if any."""
    ax.set_xlim(axis.start, axis.end)
    named = dict(axis.labels)
    ax.set_xticks(mdates.date2num(axis.ticks),
                  ["" if axis.between else named.get(t, "") for t in axis.ticks])
    # A second set of labels (years between ticks, or what goes under the tick labels) is
    # drawn at minor ticks with no tick line of their own.
    ax.xaxis.remove_overlapping_locs = False
    second = axis.labels if axis.between else axis.under
    ax.set_xticks([mdates.date2num(t) for t, _ in second], [text for _, text in second],
                  minor=True)
    ax.tick_params(axis="x", which="both", labelsize=pt, width=LINE_EM * pt,
                   length=TICK_EM * pt, pad=TICK_EM * pt)
    ax.tick_params(axis="x", which="minor", length=0, pad=2 * TICK_EM * pt + (
        0 if axis.between else line_pt))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_linewidth(LINE_EM * pt)
    ax.grid(axis="x", which="major", visible=True, linewidth=LINE_EM * pt)
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_xlabel(title, fontsize=pt, labelpad=TICK_EM * pt)


def drawn_at(items: pd.DataFrame) -> list[pd.Timestamp]:
    """Where each of `items` is drawn: its date, or the middle of its month or year."""
    return [middle(d, p) for d, p in zip(items["date"], items["date_precision"], strict=True)]


def dated_timeline(items: pd.DataFrame, source: str | None = None,
                   marks: dict[str, tuple[str, str]] | None = None,
                   key: list[str] | None = None,
                   covering: pd.DataFrame | None = None,
                   bands: list[str] | None = None):
    """One row per item, earliest at the top: a mark at its date on a time axis that takes the
    figure's width, in its actor's colour and shape (IBM, Amazon, Microsoft, or a grey circle for
    anyone else), with its date and label written beside it: on its right, or on its left when
    the right has no room (a mark late on the axis), the date opening the first line; over
    several lines only when neither side has room for one. The written date keeps the chart
    readable where marks crowd.

    `items` needs `date` (datetime), `date_precision` (day, month or year), `label` and `actor`.
    Items known only to the month or year are drawn, and ordered, at the middle of it, as a
    hollow mark, and the key then ends with an item saying what a hollow mark means
    (HOLLOW_KEY). Items with a `group` column (kinds of event) are marked by their group, not
    their actor, and the figure's data keeps both. `marks` gives other actors or groups their
    own colour and marker, as {name: (colour, marker)}. `key` names actors or groups to explain
    in a key above the rows, each with its mark, so that a reader need not look for the meaning
    of colours and shapes in the caption. The time axis covers where the items of `covering`
    (with `date` and `date_precision`) are drawn too, when given: give two timelines the same
    `covering` and they share one time axis. `bands` names actors or groups (in that order)
    whose items are drawn together, each band earliest first under a heading row of its mark
    and name (which the key then leaves out), so that a reader sees each one's course; every
    item must be in one. The source line under the figure cites the items' sources when they
    have a `source_key` column (as :func:`timeline_items` gives them), else says `source`.

    The figure is drawn for a laptop's screen (LAPTOP); `fig.narrow` is the same timeline drawn
    for a phone's (PHONE), and `fig.printed` for paper (PAPER): the book's HTML shows the first
    two, each at the screen widths it is drawn for, its PDF the last (frbook.style).
    """
    marks = marks or {}

    def mark_of(actor: str) -> tuple[str, str]:
        return marks.get(actor, (colour_for(actor), marker_for(actor)))

    by = "group" if "group" in items else "actor"  # the column a mark is chosen by
    items = items.assign(at=drawn_at(items))
    order = ["at"]
    if bands:
        unbanded = sorted(set(items[by]) - set(bands))
        if unbanded:
            raise ValueError(f"items in no band: {', '.join(map(repr, unbanded))}")
        items = items.assign(band=items[by].map({name: i for i, name in enumerate(bands)}))
        order = ["band", "at"]
    items = items.sort_values(order, kind="stable").reset_index(drop=True)
    one_year = items["date"].dt.year.nunique() == 1  # the year is then written under the axis
    drawn = []
    for row in items.itertuples():
        when = format_date(row.date, row.date_precision, short=True)
        if one_year and row.date_precision != "year":
            when = when.rsplit(" ", 1)[0]
        colour, marker = mark_of(getattr(row, by))
        band = KeyItem(getattr(row, by), colour, marker) if bands else None
        drawn.append(Entry(row.at, row.date_precision == "day", when,
                          typographic(str(row.label)), colour, marker, band))
    year = items["at"].min().year if one_year else None
    span = None
    if covering is not None:
        covered = drawn_at(covering)
        span = min(covered), max(covered)
    keyed = tuple(KeyItem(name, *mark_of(name)) for name in key or []
                  if name not in (bands or []))
    if not all(entry.exact for entry in drawn):
        keyed += (KeyItem(HOLLOW_KEY, HOLLOW_KEY_COLOUR, OTHER_MARKER, hollow=True),)
    fig = plt.figure()
    draw_timeline(fig, drawn, year, LAPTOP, keyed, span)
    fig.narrow, fig.printed = (offscreen_timeline(drawn, year, size, keyed, span)
                               for size in (PHONE, PAPER))
    plotted = items.assign(date=[format_date(d, p) for d, p in
                                 zip(items["date"], items["date_precision"], strict=True)])
    cited = "source_key" in plotted
    columns = ["date", "label", *(["group"] if by == "group" else []), "actor",
               *(["source_key"] if cited else [])]
    return finish(fig, None if cited else source, plotted[columns])


def offscreen_timeline(entries: list[Entry], year: int | None, size: TimelineSize,
                       key: tuple[KeyItem, ...] = (),
                       span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> Figure:
    """The timeline drawn at `size` on a figure outside pyplot, which a notebook does not show
    by itself."""
    fig = Figure()
    FigureCanvasAgg(fig)
    draw_timeline(fig, entries, year, size, key, span)
    return fig
