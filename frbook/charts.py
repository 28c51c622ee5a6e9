"""Chart parts shared by several chapters: the dated timeline, and the finish every chart gets
(its source line, for the note under it, and the rows it plots, for its data download). A
chart that only one chapter draws is written in that chapter, where a reader can open its
code."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from frbook.style import colour_for, marker_for
from frbook.text import format_date, typographic

# Narrower than other charts, so that its labels stay legible when a phone shrinks the figure.
TIMELINE_WIDTH_IN = 5.2


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


def dated_timeline(items: pd.DataFrame, source: str, label_share: float = 0.66,
                   wrap_at: int | None = None, marks: dict[str, tuple[str, str]] | None = None):
    """One row per item, earliest at the top: its date and label written on the left, a dot at
    its date on a time axis on the right, in its actor's colour and shape (IBM, Amazon, Microsoft,
    or a grey circle for anyone else). The written date keeps the chart readable where items crowd.

    `items` needs `date` (datetime), `date_precision` (day, month or year), `label` and `actor`.
    Items known only to the month or year are drawn, and ordered, at the middle of it, as a
    hollow dot. With `wrap_at`, each date has a line to itself and a label longer than that many
    characters goes on over several lines, which leaves the time axis more of the width (with a
    smaller `label_share`). `marks` gives other actors (such as kinds of event) their own
    colour and marker, as {actor: (colour, marker)}.
    """
    marks = marks or {}
    items = items.assign(at=[middle(d, p) for d, p in
                             zip(items["date"], items["date_precision"], strict=True)])
    items = items.sort_values("at", kind="stable").reset_index(drop=True)
    one_year = items["date"].dt.year.nunique() == 1  # the year is then written under the axis
    labels = []
    for row in items.itertuples():
        when = format_date(row.date, row.date_precision, short=True)
        if one_year and row.date_precision != "year":
            when = when.rsplit(" ", 1)[0]
        label = typographic(str(row.label))
        labels.append(f"{when}\n{balanced(label, wrap_at)}" if wrap_at else f"{when}  {label}")
    # Each row is as tall as its label's lines; rows of one line keep their old spacing.
    rows_in = [0.34 + 0.18 * label.count("\n") for label in labels]
    ys = [sum(rows_in[:i]) + rows_in[i] / 2 for i in range(len(rows_in))]
    height = 0.8 + sum(rows_in)
    fig = plt.figure(figsize=(TIMELINE_WIDTH_IN, height))
    ax = fig.add_axes((label_share, 0.8 / height / 2 + 0.02, 0.97 - label_share,
                       1 - 0.8 / height - 0.02))
    for y, row, label in zip(ys, items.itertuples(), labels, strict=True):
        colour, marker = marks.get(row.actor, (colour_for(row.actor), marker_for(row.actor)))
        exact = row.date_precision == "day"
        ax.plot([row.at], [y], marker, markersize=7, zorder=3, color=colour,
                markerfacecolor=colour if exact else "white", markeredgewidth=1.6)
        ax.text(-0.03, y, label, transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontsize=10.5, color="#222222", linespacing=1.15)
    span = items["at"].max() - items["at"].min()
    pad = max(span * 0.04, pd.Timedelta(days=1))
    ax.set_xlim(items["at"].min() - pad, items["at"].max() + pad)
    ax.set_ylim(sum(rows_in), 0)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    if span < pd.Timedelta(days=120):  # days and months, with the year written once
        ax.xaxis.set_major_locator(
            mdates.WeekdayLocator(byweekday=mdates.MO) if span < pd.Timedelta(days=45)
            else mdates.DayLocator(bymonthday=(1, 15)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
        ax.set_xlabel(str(items["at"].min().year))
    else:
        # A gridline at each new year, labelled with the year it starts: labels in the middle
        # of each year ran together where the axis is narrow.
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.tick_params(axis="x", which="major", labelsize=10)
    plotted = items.assign(date=[format_date(d, p) for d, p in
                                 zip(items["date"], items["date_precision"], strict=True)])
    return finish(fig, source, plotted[["date", "label", "actor"]])
