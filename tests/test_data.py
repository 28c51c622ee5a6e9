"""The data package validates, loads with real dtypes, and bad data fails loudly and precisely."""

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from frbook.data import MAX_ERRORS_SHOWN, DataValidationError, load, schema, table_names
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


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"fault injection target {old!r} not found: update the test"
    return text.replace(old, new, count)


def _edit(name: str, old: str, new: str, count: int = 1):
    def mutate(folder: Path):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        path.write_text(_replace(text, old, new, count), encoding="utf-8", newline="")

    return mutate


def _both(*mutations):
    def mutate(folder: Path):
        for mutation in mutations:
            mutation(folder)

    return mutate


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _rewrite(name: str, *, space_after_delimiter: bool = False, **writer_options):
    """Write the same rows again as a spreadsheet or a hand edit might: another delimiter,
    quoting or line ending, or a space after each delimiter."""

    def mutate(folder: Path):
        out = io.StringIO()
        writer = csv.writer(out, **{"lineterminator": "\n", **writer_options})
        for row in _rows(folder / name):
            space = " " if space_after_delimiter else ""
            writer.writerow(row[:1] + [space + value for value in row[1:]])
        (folder / name).write_text(out.getvalue(), encoding="utf-8", newline="")

    return mutate


def _trailing_comma(name: str):
    def mutate(folder: Path):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        (folder / name).write_text("".join(line + ",\n" for line in lines), encoding="utf-8")

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


def _bytes(name: str, make):
    def mutate(folder: Path):
        (folder / name).write_bytes(make((folder / name).read_bytes()))

    return mutate


def _header_only(name: str):
    return _bytes(name, lambda raw: raw.split(b"\n")[0] + b"\n")


TECHNADU_ROW = (
    "2020-06-12,day,https://www.technadu.com/microsoft-joins-ibm-amazon-facial-recognition"
    "-withdrawal/104644/,2026-11-22"
)
SMITH_POST = "Brad Smith's blog post asks Congress to regulate facial recognition."
SMITH_POST_OVER_TWO_LINES = _edit(
    "events.csv", SMITH_POST + ",", '"' + SMITH_POST.replace(" post", "\npost") + '",'
)
VOCABULARY = "one of: research, civil_society, government, company, incident, media"

# (case, mutation, fragments the message must hold: file, row and file line, column, the value
# as repr shows it, the rule and the fix)
FAULTS = [
    # The file is not the declared dialect.
    (
        "space after every comma",
        _rewrite("survey_responses.csv", space_after_delimiter=True),
        ["survey_responses.csv", "file line 1", "initial-space", "' survey_id'",
         "remove the space after each ','"],
    ),
    (
        "semicolon delimiter",
        _rewrite("survey_responses.csv", delimiter=";"),
        ["survey_responses.csv", "file line 1", "delimiter", "'response_id;survey_id;",
         "separated by ';'", "save the file with ',' between values"],
    ),
    (
        "tab delimiter",
        _rewrite("survey_responses.csv", delimiter="\t"),
        ["survey_responses.csv", "file line 1", "delimiter", "'response_id\\tsurvey_id\\t",
         "save the file with ',' between values"],
    ),
    (
        "trailing comma",
        _trailing_comma("principles.csv"),
        ["principles.csv", "file line 1", "trailing-comma", "'event_id,'",
         "remove the trailing comma at the end of every line"],
    ),
    (
        "byte-order mark",
        _bytes("surveys.csv", lambda raw: b"\xef\xbb\xbf" + raw),
        ["surveys.csv", "file line 1", "byte-order-mark", "'\\ufeff'",
         "save the file as UTF-8 without a byte-order mark"],
    ),
    (
        "non-UTF-8 file",
        _latin1("surveys.csv"),
        ["surveys.csv", "file line 2", "encoding-error", "b'\\xe9'", "UTF-8 encoding"],
    ),
    (
        "unquoted comma in a value",
        _edit("survey_responses.csv", "Agrees that regulation", "Agrees, that regulation"),
        ["survey_responses.csv", "row 2 (file line 3)", "extra-cell", "'cyberlink'",
         "9 values for 8 columns", "put double quotes around a value that holds a comma"],
    ),
    (
        "unterminated quote",
        _edit("events.csv", "Detroit police arrest", '"Detroit police arrest'),
        ["events.csv", "file line 19", "csv-syntax", "double every quote"],
    ),
    (
        "blank line",
        _edit("survey_responses.csv", "\ncyberlink", "\n\ncyberlink"),
        ["survey_responses.csv", "file line 3", "blank-row", "delete the empty line"],
    ),
    # The header.
    (
        "missing column",
        _drop_column("surveys.csv", "conducted_by"),
        ["surveys.csv", "file line 1", 'column "conducted_by"', "missing-label",
         "'survey_id,date,", 'add the column "conducted_by"'],
    ),
    (
        "extra unknown column",
        _add_column("principles.csv", "colour"),
        ["principles.csv", "file line 1", 'column "colour"', "extra-label", "'colour'",
         "remove the column, or declare it in datapackage.json"],
    ),
    (
        "header label with a trailing space",
        _edit("survey_responses.csv", "respondent,", "respondent ,"),
        ["survey_responses.csv", "file line 1", 'column "respondent "', "whitespace",
         "'respondent '", "delete the space at the end"],
    ),
    # Empty files and tables.
    (
        "empty file",
        _bytes("surveys.csv", lambda raw: b""),
        ["surveys.csv", "empty-file", "''", "restore the file; its first line is the header"],
    ),
    (
        "empty table",
        _header_only("surveys.csv"),
        ["surveys.csv", "empty-table", "0 rows", "survey_responses.csv (survey_id)",
         "add its rows back"],
    ),
    (
        "missing file",
        lambda folder: (folder / "surveys.csv").unlink(),
        ["surveys.csv", "unreadable-file", "No such file or directory",
         "restore the file, or correct its path in datapackage.json"],
    ),
    (
        "unknown type in the descriptor",
        _edit("datapackage.json", '"type": "integer"', '"type": "count"'),
        ["datapackage.json", "field-error", '"count"', "correct datapackage.json"],
    ),
    # Dates.
    (
        "impossible date",
        _edit("announcements.csv", "2020-06-10", "2020-06-31"),
        ["announcements.csv", "row 2 (file line 3)", 'column "date"', "type-error",
         "'2020-06-31'", "write a real date as YYYY-MM-DD"],
    ),
    (
        "impossible partial date",
        _edit("events.csv", "2018-07-26,day", "2018-06-31,day"),
        ["events.csv", "row 4 (file line 5)", 'column "date"', "invalid-date", "'2018-06-31'",
         "use a date that exists, as YYYY-MM-DD"],
    ),
    (
        "29 February outside a leap year",
        _edit("sources.csv", TECHNADU_ROW, TECHNADU_ROW.replace("2020-06-12", "2019-02-29")),
        ["sources.csv", "row 2 (file line 3)", 'column "published"', "invalid-date",
         "'2019-02-29'", "use a date that exists"],
    ),
    (
        "malformed partial date",
        _edit("events.csv", "2018-07-26,day", "26/07/2018,day"),
        ["events.csv", "row 4 (file line 5)", 'column "date"', "constraint-error", "'26/07/2018'",
         "write the date as YYYY-MM-DD, YYYY-MM or YYYY"],
    ),
    (
        "date precision disagrees",
        _edit("events.csv", "2019-04-16,day", "2019-04,day"),
        ["events.csv", "row 12 (file line 13)", 'column "date"', "date-precision", "'2019-04'",
         "write it as YYYY-MM-DD, or correct date_precision"],
    ),
    (
        "date after the package was created",
        _edit("events.csv", "2018-07-26,day", "2027-01-05,day"),
        ["events.csv", "row 4 (file line 5)", 'column "date"', "future-date", "'2027-01-05'",
         "created date 2026-11-23", "correct the date"],
    ),
    (
        "accessed before published",
        _edit("sources.csv", TECHNADU_ROW, TECHNADU_ROW.replace("2026-11-22", "2020-06-01")),
        ["sources.csv", "row 2 (file line 3)", 'column "accessed"', "date-order", "'2020-06-01'",
         "before published '2020-06-12'", "correct one of the two dates"],
    ),
    # Values a reader cannot see.
    (
        "key with a trailing space",
        _edit("survey_responses.csv", "cyberlink,", "cyberlink ,"),
        ["survey_responses.csv", "row 2 (file line 3)", 'column "response_id"', "whitespace",
         "'cyberlink '", "delete the space at the end"],
    ),
    (
        "key with a no-break space",
        _edit("survey_responses.csv", "\ncyberlink,", "\n\u00a0cyberlink,"),
        ["survey_responses.csv", "row 2 (file line 3)", 'column "response_id"', "whitespace",
         "'\\xa0cyberlink'", "NO-BREAK SPACE", "delete the space at the start"],
    ),
    (
        "vocabulary value with a zero-width space",
        _edit("survey_responses.csv", ",calls_for_regulation,", ",calls_for\u200b_regulation,"),
        ["survey_responses.csv", "row 2 (file line 3)", 'column "position"', "invisible-character",
         "'calls_for\\u200b_regulation'", "ZERO WIDTH SPACE", "retype the value without it"],
    ),
    (
        "required value of spaces only",
        _edit("survey_responses.csv", "CyberLink Corp", "   "),
        ["survey_responses.csv", "row 2 (file line 3)", 'column "respondent"', "whitespace-only",
         "'   '", "write the value"],
    ),
    (
        "required value missing",
        _edit("survey_responses.csv", "CyberLink Corp", ""),
        ["survey_responses.csv", "row 2 (file line 3)", 'column "respondent"', "required",
         "''", "fill in the value"],
    ),
    # Text fields.
    (
        "line break in a text field",
        SMITH_POST_OVER_TWO_LINES,
        ["events.csv", "row 3 (file line 4)", 'column "description"', "line-break",
         "\"Brad Smith's blog\\npost asks", "keep the value on one line"],
    ),
    (
        "file lines counted after a multi-line value",
        _both(
            SMITH_POST_OVER_TWO_LINES,
            _edit("events.csv", ",civil_society,", ",activism,"),
        ),
        ["events.csv", "row 4 (file line 6)", 'column "category"', "constraint-error",
         "'activism'", VOCABULARY],
    ),
    (
        "formula in a text field",
        _edit("events.csv", "Detroit police arrest", "=HYPERLINK(1) Detroit police arrest"),
        ["events.csv", "row 18 (file line 19)", 'column "description"', "formula-prefix",
         "'=HYPERLINK(1) Detroit", "does not start with =, +, - or @"],
    ),
    (
        "at sign leading a label",
        _edit("events.csv", "Robert Williams arrested", "@Robert Williams arrested"),
        ["events.csv", "row 18 (file line 19)", 'column "label"', "formula-prefix",
         "'@Robert Williams arrested'", "does not start with =, +, - or @"],
    ),
    (
        "text longer than its limit",
        _edit("events.csv", "Detroit police arrest", "x" * 300),
        ["events.csv", "row 18 (file line 19)", 'column "description"', "constraint-error",
         "'xxxxxxxx", "shorten it to 260 characters or fewer"],
    ),
    # Types, vocabularies and keys.
    (
        "number in words",
        _edit("surveys.csv", ",43,", ",forty-three,"),
        ["surveys.csv", "row 1 (file line 2)", 'column "contacted_count"', "type-error",
         "'forty-three'", "write a whole number"],
    ),
    (
        "value outside a vocabulary",
        _edit("survey_responses.csv", ",calls_for_regulation,", ",applauds,"),
        ["survey_responses.csv", "row 2 (file line 3)", 'column "position"', "constraint-error",
         "'applauds'", "use one of: supports_police_use, calls_for_regulation"],
    ),
    (
        "duplicate key",
        _edit("events.csv", "boston_ban,", "wrongful_arrest_reported,"),
        ["events.csv", "row 28 (file line 29)", 'column "event_id"', "primary-key",
         "'wrongful_arrest_reported'", "also the key of row 27 (file line 28)",
         "give each row its own key"],
    ),
    (
        "dangling foreign key",
        _edit("claims.csv", ",reuters2020pichai", ",nosuchsource"),
        ["claims.csv", "row 2 (file line 3)", 'column "checked_against"', "foreign-key",
         "'nosuchsource'", "use a source_key that sources.csv lists"],
    ),
    (
        "dangling key in a list of keys",
        _edit("claims.csv", "ibm2020letter,amazon2020moratorium,", "ibm2020letter,nosuchsource,"),
        ["claims.csv", "row 6 (file line 7)", 'column "checked_against"', "foreign-key",
         "'nosuchsource'", "use a source_key that sources.csv lists"],
    ),
    (
        "evidence pointing at a missing row",
        _edit("evidence.csv", "seed_article,,,,,anyvision,", "seed_article,,,,,nobody,"),
        ["evidence.csv", "row 68 (file line 69)", 'column "response_id"', "foreign-key",
         "'nobody'", "use a response_id that survey_responses.csv lists"],
    ),
    (
        "evidence with two targets",
        _edit(
            "evidence.csv", "seed_article,,,,,anyvision,", "seed_article,,,,vice_2020,anyvision,"
        ),
        ["evidence.csv", "row 68 (file line 69)", "one-evidence-target",
         "'survey_id=vice_2020, response_id=anyvision'", "empty the other columns"],
    ),
]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _failure(folder: Path) -> str:
    with pytest.raises(DataValidationError) as raised:
        load("events", folder)
    return str(raised.value)


@pytest.mark.parametrize("case, mutate, fragments", FAULTS, ids=[f[0] for f in FAULTS])
def test_bad_data_fails_with_a_message_naming_file_row_column_value_and_fix(
    data_copy, case, mutate, fragments
):
    mutate(data_copy)
    message = _failure(data_copy)
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} missing from:\n{message}"
    # Only the broken file is blamed, and every problem says how to fix it.
    problems = message.splitlines()[1:]
    assert {line.split(":")[0].split(",")[0].strip() for line in problems} == {
        str(data_copy / fragments[0])
    }, message
    assert all("; fix: " in line for line in problems), message


def test_many_problems_show_a_handful_and_count_the_rest(data_copy):
    _edit("evidence.csv", ",seed_article,", ",seed_artikel,", count=20)(data_copy)
    message = _failure(data_copy)
    assert "(20 problem(s))" in message
    assert len(message.splitlines()) == 1 + MAX_ERRORS_SHOWN + 1, message
    assert message.splitlines()[-1].strip() == f"... and {20 - MAX_ERRORS_SHOWN} more"


def test_nothing_is_written_to_the_data_folder_when_it_is_invalid(data_copy):
    _edit("events.csv", "2018-07-26,day", "2018-06-31,day")(data_copy)
    before = {p: p.read_bytes() for p in data_copy.iterdir()}
    _failure(data_copy)
    assert {p: p.read_bytes() for p in data_copy.iterdir()} == before


# --- one reading: what validates loads exactly as frictionless reads it ------------------------

# Files that differ in form but not in content, as spreadsheets and editors save them; each
# must validate and load to the values frictionless reads from the files themselves.
VALID_VARIANTS = {
    "as committed": lambda folder: None,
    "every value quoted": lambda folder: [
        _rewrite(path.name, quoting=csv.QUOTE_ALL)(folder) for path in folder.glob("*.csv")
    ],
    "CRLF line endings": lambda folder: [
        _rewrite(path.name, lineterminator="\r\n")(folder) for path in folder.glob("*.csv")
    ],
    "a quote inside an unquoted value": _edit(
        "events.csv", "Detroit police arrest", 'Detroit "police" arrest'
    ),
}


PRECISION_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def _as_read(frame: pd.DataFrame, fields: list[dict]) -> list[dict]:
    """Loaded values in frictionless's terms: dates as dates, partial dates as the text read
    (the loader keeps their start, so the precision column gives the text back), None if empty."""
    rows = []
    for record in frame.to_dict("records"):
        row = {}
        for field in fields:
            value = record[field["name"]]
            if pd.isna(value):
                value = None
            elif field.get("x-precision-field"):
                precision = record[field["x-precision-field"]]
                value = value.strftime(PRECISION_FORMAT[precision])
            elif field["type"] == "date":
                value = value.date()
            elif field["type"] == "integer":
                value = int(value)
            else:
                value = str(value)
            row[field["name"]] = value
        rows.append(row)
    return rows


@pytest.mark.parametrize("variant", VALID_VARIANTS)
def test_every_file_that_validates_loads_the_values_frictionless_reads(data_copy, variant):
    from frictionless import Package

    VALID_VARIANTS[variant](data_copy)
    package = Package(str(data_copy / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["place", "rowNumber", "fieldName", "type", "note"])
    for resource in package.resources:
        read = [row.to_dict() for row in resource.read_rows()]
        fields = schema(resource.name, data_copy)
        loaded = _as_read(load(resource.name, data_copy), fields)
        assert loaded == read, f"{variant}: {resource.path} loads other values than it validates"
