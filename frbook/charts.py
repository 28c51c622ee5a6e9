"""Chart parts shared by several chapters: the dated timeline, and the finish every chart gets
(its source line, for the note under it, and the rows it plots, for its data download). A
chart that only one chapter draws is written in that chapter, where a reader can open its
code."""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from frbook.style import colour_for, marker_for
from frbook.text import format_date, typographic

# Narrow enough that, shrunk to a 390 px phone's figure width (342 px), its labels are still
# 11 px high: the chart fits the screen without scrolling sideways.
TIMELINE_WIDTH_IN = 4.5
TIMELINE_LABEL_PT = 11
TIMELINE_TICK_PT = 10
# The time axis takes the whole width but what the tick labels at its ends stick out (and at
# least this); each label is written beside its mark, inside the axis.
TIMELINE_MARGIN_IN = 0.05
LABEL_GAP_PT = 7  # from a mark's centre to its label
# Between a label's date and its words: an en space, which SVG text keeps (it would run two
# spaces together into one).
DATE_GAP = "\u2002"
ROW_IN, LINE_IN = 0.3, 0.17  # the height of a row with a one-line label; of each further line


def finish(fig, source: str, plotted: pd.DataFrame):
    """Keep `fig`'s source line (printed once, in the note under the figure, not in the image)
    and the plotted rows for its data download. Apostrophes are set as typographic ones."""
    if not source.startswith("Source:"):
        source = f"Source: {source}"
    fig.source = typographic(source)
    fig.plotted = plotted.reset_index(drop=True)
    return fig


def timeline_items(announcements: pd.DataFrame | None, events: pd.DataFrame, start: str,
                   end: str):
    """The three announcements (unless None) and the events between `start` and `end`
    inclusive, as `date`, `date_precision`, `label` and `actor` (the company, or the event's
    actor). An event known only to the month or year is in the window when the middle of that
    month or year, where the timeline draws it, is."""
    parts = [] if announcements is None else [
        announcements.assign(date_precision="day", actor=announcements["company"].astype(str))]
    parts.append(events.assign(date_precision=events["date_precision"].astype(str),
                               actor=events["company"].astype(object).fillna(events["actor"])))
    items = pd.concat(parts, ignore_index=True)[["date", "date_precision", "label", "actor"]]
    drawn_at = pd.Series([middle(d, p) for d, p in
                          zip(items["date"], items["date_precision"], strict=True)], items.index)
    return items[drawn_at.between(pd.Timestamp(start), pd.Timestamp(end))]


def middle(value, precision: str) -> pd.Timestamp:
    """The middle of the day, month or year that `value` (its first day) stands for."""
    start = pd.Timestamp(value)
    if precision == "day":
        return start
    end = start + (pd.DateOffset(months=1) if precision == "month" else pd.DateOffset(years=1))
    return start + (end - start) / 2


def balanced(text: str, width: int) -> str:
    """`text` on as few lines of at most `width` characters as it needs, the lines as even as
    they can be (no word left alone on the last line when a shorter line would take it)."""
    lines = len(textwrap.wrap(text, width, break_on_hyphens=False))
    for even in range(-(-len(text) // lines), width + 1):
        if len(textwrap.wrap(text, even, break_on_hyphens=False)) == lines:
            return textwrap.fill(text, even, break_on_hyphens=False)
    return textwrap.fill(text, width, break_on_hyphens=False)


def date_ticks(first: pd.Timestamp, last: pd.Timestamp):
    """The time axis for items drawn from `first` to `last`: its start and end, its ticks, their
    labels and what is written under a label (or ""). The axis starts at a labelled tick: a
    tick a day over a few weeks (the month under the first day and under the 1st), a tick a
    month or a quarter over up to two years (the year under the first and under January), or
    else a tick at the start of the first month (its month and year) and one each new year."""
    span = last - first
    if span <= pd.Timedelta(days=24):
        days = pd.date_range(first.normalize(), last.normalize(), freq="D")
        under = [f"{d:%b}" if i == 0 or d.day == 1 else "" for i, d in enumerate(days)]
        return (days[0] - pd.Timedelta(hours=14), days[-1] + pd.Timedelta(hours=14), list(days),
                [str(d.day) for d in days], under)
    start = first.to_period("M").start_time
    end = last + max(span * 0.04, pd.Timedelta(days=10))
    if span <= pd.Timedelta(days=730):
        months = pd.date_range(start, last, freq="MS" if span <= pd.Timedelta(days=240) else "3MS")
        under = [str(m.year) if i == 0 or m.month == 1 else "" for i, m in enumerate(months)]
        return start, end, list(months), [f"{m:%b}" for m in months], under
    ticks = [start] + [pd.Timestamp(year, 1, 1) for year in range(start.year + 1, last.year + 1)]
    labels = [str(t.year) if t.month == 1 or i else f"{t:%b %Y}" for i, t in enumerate(ticks)]
    return start, end, ticks, labels, [""] * len(ticks)


def beside_mark(when: str, label: str, room: dict[str, float], width_of) -> tuple[str, str]:
    """A date and label as written beside their mark, and the side they go on: on as few lines
    as fit, on the right of the mark where they fit, else on its left. Over several lines the
    date has the first to itself and the label's lines are even. `room` gives the inches free on
    each side, `width_of` a text's width in inches."""
    candidates = [f"{when}{DATE_GAP}{label}"] + [
        f"{when}\n{balanced(label, width)}" for width in range(len(label), 0, -1)]
    for candidate in candidates:
        for side in ("right", "left"):
            if width_of(candidate) <= room[side]:
                return candidate, side
    return candidates[-1], max(room, key=room.get)


def dated_timeline(items: pd.DataFrame, source: str, label_share: float | None = None,
                   wrap_at: int | None = None, marks: dict[str, tuple[str, str]] | None = None):
    """One row per item, earliest at the top: a mark at its date on a time axis that takes the
    figure's width, in its actor's colour and shape (IBM, Amazon, Microsoft, or a grey circle for
    anyone else), with its date and label written beside it: on its right, or on its left when
    the right has no room (a mark late on the axis); over several lines only when neither side
    has room for one. The written date keeps the chart readable where marks crowd.

    `items` needs `date` (datetime), `date_precision` (day, month or year), `label` and `actor`.
    Items known only to the month or year are drawn, and ordered, at the middle of it, as a
    hollow mark. `marks` gives other actors (such as kinds of event) their own colour and
    marker, as {actor: (colour, marker)}. `label_share` and `wrap_at` (a column of labels left of
    the axis, once) are ignored: labels now sit beside their marks and wrap only where needed.
    """
    marks = marks or {}
    items = items.assign(at=[middle(d, p) for d, p in
                             zip(items["date"], items["date_precision"], strict=True)])
    items = items.sort_values("at", kind="stable").reset_index(drop=True)
    one_year = items["date"].dt.year.nunique() == 1  # the year is then written under the axis
    start, end, ticks, tick_labels, under = date_ticks(items["at"].min(), items["at"].max())

    fig = plt.figure(figsize=(TIMELINE_WIDTH_IN, 1))
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, "", fontsize=TIMELINE_LABEL_PT, linespacing=1.15)

    def width_of(text: str, size: float = TIMELINE_LABEL_PT) -> float:
        probe.set_text(text)
        probe.set_fontsize(size)
        return probe.get_window_extent(renderer).width / fig.dpi

    def sticks_out(tick, label, edge) -> float:  # inches of the (centred) label past `edge`
        within = abs(tick - edge) / (end - start) * (TIMELINE_WIDTH_IN - 2 * TIMELINE_MARGIN_IN)
        return width_of(label, TIMELINE_TICK_PT) / 2 - within

    left_in, right_in = (max([TIMELINE_MARGIN_IN] + [
        sticks_out(tick, label, edge) for tick, label in
        zip(ticks + ticks, tick_labels + under, strict=True)]) for edge in (start, end))
    axis_in = TIMELINE_WIDTH_IN - left_in - right_in
    gap_in = LABEL_GAP_PT / 72
    labels, sides = [], []
    for row in items.itertuples():
        when = format_date(row.date, row.date_precision, short=True)
        if one_year and row.date_precision != "year":
            when = when.rsplit(" ", 1)[0]
        x_in = (row.at - start) / (end - start) * axis_in
        label, side = beside_mark(when, typographic(str(row.label)),
                                  {"right": axis_in - x_in - gap_in, "left": x_in - gap_in},
                                  width_of)
        labels.append(label)
        sides.append(side)
    probe.remove()

    # Each row is as tall as its label's lines; under the rows, the ticks' lines (and the year).
    rows_in = [ROW_IN + LINE_IN * label.count("\n") for label in labels]
    below_in = 0.12 + 0.17 * (1 + any(under)) + 0.22 * one_year
    height = 0.1 + sum(rows_in) + below_in
    fig.set_size_inches(TIMELINE_WIDTH_IN, height)
    ax = fig.add_axes((left_in / TIMELINE_WIDTH_IN, below_in / height,
                       axis_in / TIMELINE_WIDTH_IN, sum(rows_in) / height))
    ys = [sum(rows_in[:i]) + rows_in[i] / 2 for i in range(len(rows_in))]
    for y, row, label, side in zip(ys, items.itertuples(), labels, sides, strict=True):
        colour, marker = marks.get(row.actor, (colour_for(row.actor), marker_for(row.actor)))
        exact = row.date_precision == "day"
        ax.plot([row.at], [y], marker, markersize=7, zorder=3, color=colour, clip_on=False,
                markerfacecolor=colour if exact else "white", markeredgewidth=1.6)
        ax.annotate(label, (row.at, y), xytext=(LABEL_GAP_PT if side == "right" else
                                                -LABEL_GAP_PT, 0),
                    textcoords="offset points", ha="left" if side == "right" else "right",
                    va="center", fontsize=TIMELINE_LABEL_PT, color="#222222", linespacing=1.15,
                    annotation_clip=False, zorder=2,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    ax.set_xlim(start, end)
    ax.set_ylim(sum(rows_in), 0)
    ax.set_xticks(mdates.date2num(ticks), tick_labels)
    # What goes under the tick labels (a month, a year) is a second row of labels, at minor
    # ticks drawn at the same dates with no tick line of their own.
    ax.xaxis.remove_overlapping_locs = False
    ax.set_xticks([mdates.date2num(t) for t, u in zip(ticks, under, strict=True) if u],
                  [u for u in under if u], minor=True)
    ax.tick_params(axis="x", which="both", labelsize=TIMELINE_TICK_PT)
    ax.tick_params(axis="x", which="minor", length=0,
                   pad=mpl.rcParams["xtick.major.pad"] + 1.25 * TIMELINE_TICK_PT
                   + mpl.rcParams["xtick.major.size"])
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    if one_year:
        ax.set_xlabel(str(items["at"].min().year), fontsize=TIMELINE_TICK_PT)
    plotted = items.assign(date=[format_date(d, p) for d, p in
                                 zip(items["date"], items["date_precision"], strict=True)])
    return finish(fig, source, plotted[["date", "label", "actor"]])
