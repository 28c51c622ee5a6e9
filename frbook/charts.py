"""The book's charts. Each function takes tidy frames from `frbook.data.load`, draws one figure
in the book's style and returns it, with a source line naming the table it was drawn from."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from frbook.style import COMPANY_COLOURS, OTHER_COLOUR, VERMILLION, add_source_line, colour_for

OPEN_END_FADE = 0.35
DAY = pd.Timedelta(days=1)
COMPANIES = list(COMPANY_COLOURS)


def _finish(fig, source: str, plotted: pd.DataFrame):
    """Add the source line and keep the plotted rows, for the figure's data download."""
    add_source_line(fig, source)
    fig.source = source
    fig.plotted = plotted.reset_index(drop=True)
    return fig


def _figure(rows: int, row_height: float = 0.42, min_height: float = 2.4):
    fig, ax = plt.subplots(figsize=(6.0, max(min_height, 0.9 + row_height * rows)))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    return fig, ax


def timeline_items(
    announcements: pd.DataFrame,
    events: pd.DataFrame,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """The three announcements and the events dated to the day, between start and end
    inclusive, as `date`, `label` and `actor` (the company, or the event's actor)."""
    dated = events[events["date_precision"] == "day"]
    items = pd.concat(
        [
            pd.DataFrame(
                {
                    "date": announcements["date"],
                    "label": announcements["label"],
                    "actor": announcements["company"].astype(str),
                    "kind": "announcement",
                }
            ),
            pd.DataFrame(
                {
                    "date": dated["date"],
                    "label": dated["label"],
                    "actor": dated["company"].astype(object).fillna(dated["actor"]),
                    "kind": "event",
                }
            ),
        ],
        ignore_index=True,
    )
    inside = items["date"].between(
        pd.Timestamp(start or items["date"].min()), pd.Timestamp(end or items["date"].max())
    )
    return items[inside].sort_values(["date", "kind"]).reset_index(drop=True)


def event_timeline(items: pd.DataFrame, source: str, title: str | None = None):
    """One row per dated item, earliest at the top, with its label beside the dot.

    `items` needs `date` (datetime), `label` and `actor` (colours IBM, Amazon and Microsoft).
    """
    items = items.sort_values("date").reset_index(drop=True)
    fig, ax = _figure(len(items))
    ys = range(len(items))
    ax.scatter(
        items["date"], ys, s=70, zorder=3, color=[colour_for(actor) for actor in items["actor"]]
    )
    span = items["date"].max() - items["date"].min()
    middle = items["date"].min() + span / 2
    for y, row in zip(ys, items.itertuples(), strict=True):
        right = row.date <= middle
        ax.annotate(
            row.label,
            (row.date, y),
            xytext=(8 if right else -8, 0),
            textcoords="offset points",
            va="center",
            ha="left" if right else "right",
        )
    pad = max(span * 0.05, DAY)
    ax.set_xlim(items["date"].min() - pad, items["date"].max() + pad)
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    locator = mdates.AutoDateLocator(maxticks=6)
    ax.xaxis.set_major_locator(locator)
    short = span < pd.Timedelta(days=120)  # days and months, with the year under the axis
    ax.xaxis.set_major_formatter(
        mdates.DateFormatter("%-d %b") if short else mdates.ConciseDateFormatter(locator)
    )
    if short:
        ax.set_xlabel(str(items["date"].min().year))
    if title:
        ax.set_title(title)
    return _finish(fig, source, items[["date", "label", "actor"]])


SPAN_TEXT = {
    "exit_general_purpose": "{company}: leaves the market, no end date",
    "time_limited_moratorium": "{company}: {days}-day pause",
    "refusal_until_law": "{company}: until a national law, no end date",
}


def commitment_spans(
    announcements: pd.DataFrame, changes: pd.DataFrame, chart_end: pd.Timestamp, source: str
):
    """How long each decision was to last: a bar from announcement to stated end.

    A time-limited pause ends at date + duration_days; a decision with no end date fades out at
    `chart_end`. Each row of `changes` (events with `announcement_id`, `date`, `label`) is a
    diamond on its company's bar; a change after a pause's end date extends the bar, hatched.
    """
    announcements = announcements.sort_values("date").reset_index(drop=True)
    fig, ax = _figure(len(announcements), row_height=0.95, min_height=3.2)
    plotted = []
    for y, row in enumerate(announcements.itertuples()):
        colour = colour_for(row.company)
        has_end = not pd.isna(row.duration_days)
        end = row.date + pd.Timedelta(days=int(row.duration_days)) if has_end else chart_end
        ax.barh(
            y,
            end - row.date,
            left=row.date,
            height=0.45,
            color=colour,
            alpha=1.0 if has_end else OPEN_END_FADE,
        )
        days = int(row.duration_days) if has_end else None
        plotted.append(
            {
                "company": row.company,
                "mark": "decision",
                "label": row.label,
                "start": row.date,
                "end": end if has_end else pd.NaT,
            }
        )
        ax.annotate(
            SPAN_TEXT[row.decision_type].format(company=row.company, days=days),
            (row.date, y - 0.27),
            va="bottom",
            ha="left",
            fontsize=10.5,
        )
        for change in changes[changes["announcement_id"] == row.announcement_id].itertuples():
            if has_end and change.date <= end:
                ax.barh(
                    y,
                    chart_end - end,
                    left=end,
                    height=0.45,
                    facecolor="white",
                    edgecolor=colour,
                    hatch="//",
                    linewidth=1.2,
                )
            ax.plot(
                [change.date],
                [y],
                marker="D",
                markersize=8,
                color="black",
                zorder=4,
                linestyle="none",
            )
            plotted.append(
                {
                    "company": row.company,
                    "mark": "change",
                    "label": change.label,
                    "start": change.date,
                    "end": pd.NaT,
                }
            )
            ax.annotate(change.label, (change.date, y + 0.26), va="top", ha="center", fontsize=9.5)
    ax.set_ylim(len(announcements) - 0.4, -0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    start = announcements["date"].min()
    ax.set_xlim(start - pd.Timedelta(days=45), chart_end)
    ticks = [start] + list(pd.date_range(f"{start.year + 1}-01-01", chart_end, freq="YS"))
    ax.set_xticks(ticks, [start.strftime("%b %Y")] + [str(t.year) for t in ticks[1:]])
    return _finish(fig, source, pd.DataFrame(plotted))


def respondents_by_stance(responses: pd.DataFrame, source: str):
    """One box per named respondent, in rows by stance; agencies stand out from companies."""
    stances = list(responses["stance"].cat.categories)
    fig, ax = _figure(len(stances), row_height=0.62)
    for y, stance in enumerate(stances):
        group = responses[responses["stance"] == stance].sort_values("respondent")
        for x, row in enumerate(group.itertuples()):
            agency = row.respondent_type == "government_agency"
            ax.add_patch(
                Rectangle(
                    (x + 0.04, y - 0.32), 0.92, 0.64, color=VERMILLION if agency else OTHER_COLOUR
                )
            )
            name = row.respondent.split(" (")[-1].rstrip(")") if agency else row.respondent
            ax.text(
                x + 0.5,
                y,
                name,
                ha="center",
                va="center",
                color="white",
                fontsize=10,
                fontweight="bold",
            )
    width = max(3, responses["stance"].value_counts().max())
    ax.set_xlim(0, width)
    ax.set_ylim(len(stances) - 0.5, -0.5)
    ax.set_yticks(range(len(stances)), [s.replace("_", " ") for s in stances])
    ax.set_xticks([])
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    ax.legend(
        handles=[
            Patch(color=OTHER_COLOUR, label="company"),
            Patch(color=VERMILLION, label="government agency"),
        ],
        loc="lower right",
        ncols=2,
        bbox_to_anchor=(1.0, 1.0),
    )
    columns = ["respondent", "respondent_type", "stance"]
    return _finish(fig, source, responses.sort_values(["stance", "respondent"])[columns])


def principle_matrix(
    invocations: pd.DataFrame, principles: pd.DataFrame, announcements: pd.DataFrame, source: str
):
    """Companies by principles: a filled cell where an excerpt names the principle's concern,
    an outlined cell where it only asks for legal rules, nothing where no excerpt supports it."""
    principles = principles[principles["kind"] == "principle"].sort_values("position")
    companies = announcements.sort_values("date")
    fig, ax = _figure(len(companies), row_height=0.75, min_height=3.4)
    ids = list(principles["principle_id"])
    for y, row in enumerate(companies.itertuples()):
        cells = invocations[invocations["announcement_id"] == row.announcement_id]
        for cell in cells.itertuples():
            explicit = cell.strength == "explicit"
            ax.add_patch(
                Rectangle(
                    (ids.index(cell.principle_id) + 0.1, y - 0.35),
                    0.8,
                    0.7,
                    facecolor=colour_for(row.company) if explicit else "white",
                    edgecolor=colour_for(row.company),
                    linewidth=2.5,
                    hatch=None if explicit else "//",
                )
            )
    ax.set_xlim(0, len(ids))
    ax.set_ylim(len(companies) - 0.5, -0.5)
    ax.set_xticks(
        [i + 0.5 for i in range(len(ids))],
        list(principles["name"]),
        fontsize=10,
        rotation=35,
        ha="left",
        rotation_mode="anchor",
    )
    ax.xaxis.tick_top()
    # A figure legend in space kept free at the bottom, so a long source line never meets it.
    fig.subplots_adjust(bottom=0.24)
    fig.legend(
        handles=[
            Patch(facecolor="#555555", label="excerpt names the concern (in the company's colour)"),
            Patch(
                facecolor="white",
                edgecolor="#555555",
                hatch="//",
                label="excerpt asks only for legal rules",
            ),
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, 0.02),
        ncols=1,
        fontsize=10,
    )
    ax.set_yticks(range(len(companies)), list(companies["company"]))
    ax.tick_params(length=0)
    ax.grid(False)
    for x in range(len(ids) + 1):
        ax.axvline(x, color="#DDDDDD", linewidth=0.8)
    for y in range(len(companies) + 1):
        ax.axhline(y - 0.5, color="#DDDDDD", linewidth=0.8)
    for spine in ax.spines.values():
        spine.set_visible(False)
    grid = pd.MultiIndex.from_product(
        [companies["announcement_id"], ids], names=["announcement_id", "principle_id"]
    )
    strength = invocations.set_index(["announcement_id", "principle_id"])["strength"]
    plotted = strength.astype(str).reindex(grid, fill_value="none").reset_index()
    company = companies.set_index("announcement_id")["company"].astype(str)
    plotted.insert(0, "company", plotted["announcement_id"].map(company))
    return _finish(fig, source, plotted.drop(columns="announcement_id"))


def category_timeline(
    events: pd.DataFrame, marker_date: pd.Timestamp, marker_label: str, source: str
):
    """Events by category over time; company events in their company's colour."""
    categories = list(events["category"].cat.categories)
    fig, ax = _figure(len(categories), row_height=0.55)
    ys = events["category"].cat.codes
    ax.scatter(
        events["date"],
        ys,
        s=60,
        zorder=3,
        alpha=0.9,
        color=[
            colour_for(c) if isinstance(c, str) else "#333333"
            for c in events["company"].astype(object)
        ],
    )
    ax.axvline(marker_date, color="black", linestyle="--", linewidth=1)
    ax.legend(
        handles=[
            Patch(color=colour_for(c), label=c) for c in COMPANIES if (events["company"] == c).any()
        ]
        + [Patch(color="#333333", label="others")],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=4,
        fontsize=10,
    )
    ax.annotate(
        marker_label,
        (marker_date, -0.5),
        xytext=(4, 0),
        textcoords="offset points",
        va="top",
        ha="left",
        fontsize=10,
    )
    ax.set_yticks(range(len(categories)), [c.replace("_", " ") for c in categories])
    ax.set_ylim(len(categories) - 0.5, -0.9)
    ax.grid(axis="y", visible=True)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    return _finish(fig, source, events[["date", "category", "company", "label"]])
