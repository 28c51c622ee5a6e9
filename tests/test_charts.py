"""The chart functions draw what the data says: right number of marks, labels, order and colours."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from frbook import charts  # noqa: E402
from frbook.style import COMPANY_COLOURS, OTHER_COLOUR  # noqa: E402

SOURCE = "Source: test frame"
COMPANIES = pd.CategoricalDtype(["IBM", "Amazon", "Microsoft"], ordered=True)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def announcements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "announcement_id": ["microsoft_2020", "ibm_2020", "amazon_2020"],
            "company": pd.Series(["Microsoft", "IBM", "Amazon"], dtype=COMPANIES),
            "date": pd.to_datetime(["2020-06-11", "2020-06-08", "2020-06-10"]),
            "label": ["M label", "I label", "A label"],
            "decision_type": [
                "refusal_until_law",
                "exit_general_purpose",
                "time_limited_moratorium",
            ],
            "duration_days": pd.array([None, None, 365], dtype="Int64"),
        }
    )


def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["floyd", "extension", "vague"],
            "date": pd.to_datetime(["2020-05-25", "2021-05-18", "2020-06-01"]),
            "date_precision": ["day", "day", "month"],
            "label": ["Floyd", "Extended", "Month only"],
            "actor": ["Minneapolis police", "Amazon", "Someone"],
            "company": pd.Series([None, "Amazon", None], dtype=COMPANIES),
            "announcement_id": [None, "amazon_2020", None],
            "category": pd.Categorical(
                ["incident", "company", "media"],
                categories=["research", "company", "incident", "media"],
                ordered=True,
            ),
        }
    )


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_timeline_items_merges_announcements_and_day_precision_events_in_the_window():
    items = charts.timeline_items(announcements(), events(), "2020-05-01", "2020-06-30")
    assert list(items["label"]) == ["Floyd", "I label", "A label", "M label"]
    assert list(items["actor"]) == ["Minneapolis police", "IBM", "Amazon", "Microsoft"]


def test_event_timeline_draws_one_coloured_labelled_dot_per_item_in_date_order():
    items = charts.timeline_items(announcements(), events(), "2020-05-01", "2020-06-30")
    fig = charts.event_timeline(items, SOURCE)
    dots = fig.axes[0].collections[0]
    assert len(dots.get_offsets()) == len(items)
    colours = [to_hex(c).upper() for c in dots.get_facecolors()]
    assert colours == [OTHER_COLOUR.upper()] + [
        COMPANY_COLOURS[c].upper() for c in ("IBM", "Amazon", "Microsoft")
    ]
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["Floyd", "I label", "A label", "M label"]
    assert any(t.startswith("Source:") for t in texts(fig))
    assert list(fig.plotted["label"]) == labels  # the download holds exactly the plotted rows


def test_commitment_spans_gives_an_end_only_to_the_time_limited_pause():
    changes = events()[events()["announcement_id"].notna()]
    end = pd.Timestamp("2022-12-31")
    fig = charts.commitment_spans(announcements(), changes, end, SOURCE)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    # three decisions plus Amazon's hatched extension
    assert len(bars) == 4
    labels = [t.get_text() for t in ax.texts]
    assert labels[0].startswith("IBM") and "365-day" in labels[1] and "Extended" in labels
    assert labels[3].startswith("Microsoft") and "national law" in labels[3]
    amazon, extension = bars[1], bars[2]
    assert amazon.get_alpha() == 1.0 and extension.get_hatch() == "//"
    assert bars[0].get_alpha() < 1.0 and bars[3].get_alpha() < 1.0  # open-ended fade
    marks = fig.plotted.groupby("mark").size().to_dict()
    assert marks == {"decision": 3, "change": 1}
    assert fig.plotted.loc[fig.plotted["company"] == "Amazon", "end"].notna().sum() == 1


def test_respondents_by_stance_draws_one_box_per_respondent_and_marks_the_agency():
    stance = pd.CategoricalDtype(["supports_police_use", "describes_own_use"], ordered=True)
    responses = pd.DataFrame(
        {
            "respondent": ["Acme", "Bolt", "US Immigration and Customs Enforcement (ICE)"],
            "respondent_type": ["company", "company", "government_agency"],
            "stance": pd.Series(
                ["supports_police_use", "supports_police_use", "describes_own_use"], dtype=stance
            ),
        }
    )
    fig = charts.respondents_by_stance(responses, SOURCE)
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(boxes) == 3
    assert [t.get_text() for t in ax.texts] == ["Acme", "Bolt", "ICE"]
    assert to_hex(boxes[2].get_facecolor()) != to_hex(boxes[0].get_facecolor())
    assert len(fig.plotted) == len(boxes)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "supports police use",
        "describes own use",
    ]


def test_principle_matrix_fills_only_cells_with_evidence():
    principles = pd.DataFrame(
        {
            "principle_id": ["b", "a", "court"],
            "kind": ["principle", "principle", "condition"],
            "position": [2, 1, 1],
            "name": ["Second", "First", "Court order"],
        }
    )
    invocations = pd.DataFrame(
        {
            "announcement_id": ["ibm_2020", "amazon_2020"],
            "principle_id": ["b", "a"],
            "strength": ["explicit", "implied"],
        }
    )
    fig = charts.principle_matrix(invocations, principles, announcements(), SOURCE)
    ax = fig.axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(cells) == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["First", "Second"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["IBM", "Amazon", "Microsoft"]
    filled = {(round(c.get_x()), round(c.get_y() + 0.35)): c for c in cells}
    assert to_hex(filled[(1, 0)].get_facecolor()) == COMPANY_COLOURS["IBM"].lower()
    assert filled[(0, 1)].get_hatch() == "//"
    assert len(fig.plotted) == 3 * 2  # every cell of the grid, empty ones as "none"
    assert (fig.plotted["strength"] != "none").sum() == len(cells)


def test_category_timeline_puts_each_event_on_its_category_row():
    fig = charts.category_timeline(events(), pd.Timestamp("2020-06-08"), "June 2020", SOURCE)
    ax = fig.axes[0]
    offsets = ax.collections[0].get_offsets()
    assert len(offsets) == 3
    assert [int(y) for _, y in offsets] == [2, 1, 3]
    assert list(fig.plotted["label"]) == ["Floyd", "Extended", "Month only"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "research",
        "company",
        "incident",
        "media",
    ]
