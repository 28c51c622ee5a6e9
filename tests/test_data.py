"""The data package validates, loads with real dtypes, and bad data fails loudly and precisely."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from frbook.data import DataValidationError, load, schema, table_names
from frbook.paths import DATA_DIR

EXPECTED_TABLES = {
    "sources",
    "announcements",
    "events",
    "surveys",
    "survey_responses",
    "principles",
    "claims",
    "evidence",
    "principle_invocations",
}


def test_every_table_loads_from_the_committed_data():
    assert set(table_names()) == EXPECTED_TABLES
    for name in table_names():
        assert len(load(name)) > 0, name


def test_vocabularies_are_ordered_categoricals_in_schema_order():
    for name in table_names():
        frame = load(name)
        for field in schema(name):
            vocabulary = field.get("constraints", {}).get("enum")
            if vocabulary:
                column = frame[field["name"]]
                assert isinstance(column.dtype, pd.CategoricalDtype), (name, field["name"])
                assert column.cat.ordered
                assert list(column.cat.categories) == vocabulary


def test_dates_are_datetimes_and_partial_dates_start_their_period():
    events = load("events").set_index("event_id")
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert events.loc["actionable_auditing", "date"] == pd.Timestamp("2019-01-01")
    assert events.loc["actionable_auditing", "date_precision"] == "year"
    announcements = load("announcements").set_index("company")
    assert announcements.loc["Amazon", "date"] == pd.Timestamp("2020-06-10")
    assert announcements["duration_days"].dtype == "Int64"


def test_the_three_decisions_are_distinct_kinds():
    announcements = load("announcements").sort_values("date")
    assert list(announcements["company"]) == ["IBM", "Amazon", "Microsoft"]
    assert announcements["decision_type"].nunique() == 3


def test_ice_is_kept_apart_from_the_companies():
    responses = load("survey_responses").set_index("response_id")
    assert responses.loc["ice", "respondent_type"] == "government_agency"
    assert (responses.drop(index="ice")["respondent_type"] == "company").all()


def test_loading_never_writes_to_data():
    before = {p: p.stat().st_mtime_ns for p in DATA_DIR.rglob("*")}
    for name in table_names():
        load(name)
    assert {p: p.stat().st_mtime_ns for p in DATA_DIR.rglob("*")} == before


# --- fault injection on temporary copies ------------------------------------------------------


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"fault injection target {old!r} not found: update the test"
    return text.replace(old, new, 1)


def _edit(name: str, old: str, new: str):
    def mutate(folder: Path):
        path = folder / name
        path.write_text(_replace(path.read_text(encoding="utf-8"), old, new), encoding="utf-8")

    return mutate


def _drop_column(name: str, column: str):
    def mutate(folder: Path):
        frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        frame.drop(columns=column).to_csv(folder / name, index=False, lineterminator="\n")

    return mutate


def _add_column(name: str, column: str):
    def mutate(folder: Path):
        frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        frame.assign(**{column: "x"}).to_csv(folder / name, index=False, lineterminator="\n")

    return mutate


def _latin1(name: str):
    def mutate(folder: Path):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(_replace(text, "Vice", "Vicé").encode("latin-1"))

    return mutate


def _empty(name: str):
    def mutate(folder: Path):
        (folder / name).write_bytes(b"")

    return mutate


# (case, mutation, fragments the message must contain: file, row, column, rule)
FAULTS = [
    (
        "missing column",
        _drop_column("surveys.csv", "conducted_by"),
        ["surveys.csv", 'column "conducted_by"', "missing-label"],
    ),
    (
        "extra unknown column",
        _add_column("principles.csv", "colour"),
        ["principles.csv", 'column "colour"', "extra-label"],
    ),
    (
        "malformed date",
        _edit("announcements.csv", "2020-06-10", "2020-06-31"),
        ["announcements.csv", "row 2 (file line 3)", 'column "date"', "type-error"],
    ),
    (
        "malformed partial date",
        _edit("events.csv", "2018-07-26,day", "26/07/2018,day"),
        ["events.csv", "row 4 (file line 5)", 'column "date"', "constraint-error", "pattern"],
    ),
    (
        "date precision disagrees",
        _edit("events.csv", "2019-04-16,day", "2019-04,day"),
        ["events.csv", "row 12 (file line 13)", 'column "date"', "date-precision"],
    ),
    (
        "value outside a vocabulary",
        _edit("survey_responses.csv", ",calls_for_regulation,", ",applauds,"),
        [
            "survey_responses.csv",
            "row 2 (file line 3)",
            'column "position"',
            "constraint-error",
            "enum",
        ],
    ),
    (
        "duplicate key",
        _edit("events.csv", "boston_ban,", "wrongful_arrest_reported,"),
        ["events.csv", "file line", 'column "event_id"', "primary-key"],
    ),
    (
        "dangling foreign key",
        _edit("claims.csv", ",reuters2020pichai", ",nosuchsource"),
        [
            "claims.csv",
            "row 2 (file line 3)",
            'column "checked_against"',
            "foreign-key",
            "nosuchsource",
        ],
    ),
    (
        "evidence pointing at a missing row",
        _edit("evidence.csv", "seed_article,,,,,anyvision,", "seed_article,,,,,nobody,"),
        ["evidence.csv", 'column "response_id"', "foreign-key", "nobody"],
    ),
    (
        "evidence with two targets",
        _edit(
            "evidence.csv", "seed_article,,,,,anyvision,", "seed_article,,,,vice_2020,anyvision,"
        ),
        ["evidence.csv", "one-evidence-target"],
    ),
    ("empty file", _empty("surveys.csv"), ["surveys.csv", "source-error", "empty"]),
    ("non-UTF-8 file", _latin1("surveys.csv"), ["surveys.csv", "encoding-error", "utf-8"]),
]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


@pytest.mark.parametrize("case, mutate, fragments", FAULTS, ids=[f[0] for f in FAULTS])
def test_bad_data_fails_with_a_message_naming_file_row_column_and_rule(
    data_copy, case, mutate, fragments
):
    mutate(data_copy)
    with pytest.raises(DataValidationError) as raised:
        load("events", data_copy)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} missing from:\n{message}"
    # Only the broken file is blamed.
    blamed = {
        line.split(":")[0].split(",")[0] for line in message.splitlines()[1:] if ".csv" in line
    }
    assert len(blamed) == 1, message


def test_a_script_tag_in_a_text_field_loads_as_plain_text(data_copy):
    payload = "<script>alert('x')</script>"
    _edit("events.csv", "Detroit police arrest", payload + " Detroit police arrest")(data_copy)
    events = load("events", data_copy).set_index("event_id")
    assert events.loc["williams_arrest", "description"].startswith(payload)
    html = events[["description"]].to_html()
    assert payload not in html and "&lt;script&gt;" in html
