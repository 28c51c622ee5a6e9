"""Load the book's tables from data/, validated against data/datapackage.json.

`load("events")` validates the whole package once per process with the `frictionless` library
(types, required fields, vocabularies, keys and foreign keys between tables), adds the two rules
a Table Schema cannot express, and returns a DataFrame with real dtypes: dates as datetimes,
integers as nullable integers, and every vocabulary as an ordered Categorical in the schema's order.
Bad data raises `DataValidationError` naming the file, row, column and rule. Nothing is written.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from frbook.paths import DATA_DIR

DESCRIPTOR = "datapackage.json"
MAX_ERRORS_SHOWN = 5
PRECISION_LENGTH = {"year": 4, "month": 7, "day": 10}


class DataValidationError(ValueError):
    """The data in data/ breaks its schema; the message says where and which rule."""


def _where(path: str, line: int | None, column: str | None) -> str:
    place = path
    if line is not None:
        place += f", row {line - 1} (file line {line})"
    if column:
        place += f', column "{column}"'
    return place


def _problem(path: str, line: int | None, column: str | None, rule: str, detail: str) -> str:
    return f"{_where(path, line, column)}: {rule}: {detail}"


def _report_problems(data_dir: Path, report, descriptor: dict) -> list[str]:
    primary_keys = {r["path"]: r["schema"].get("primaryKey") for r in descriptor["resources"]}
    problems = [
        f"{data_dir / DESCRIPTOR}: {error.type}: {error.message}" for error in report.errors
    ]
    for task in report.tasks:
        path = str(data_dir / task.place)
        for error in task.errors:
            fields = getattr(error, "field_names", None)
            if error.type == "primary-key":
                fields = primary_keys.get(task.place)
            column = getattr(error, "field_name", None) or (", ".join(fields) if fields else None)
            if column is None and getattr(error, "label", None):
                column = error.label
            detail = error.note or error.message
            problems.append(
                _problem(path, getattr(error, "row_number", None), column, error.type, detail)
            )
    return problems


def _frictionless_problems(data_dir: Path, descriptor: dict) -> list[str]:
    """Each table alone first, so an unreadable file is blamed on itself; then foreign keys."""
    # Imported here: the library is slow to import and only needed once per process.
    from frictionless import Package, Resource

    problems = []
    for resource in descriptor["resources"]:
        alone = json.loads(json.dumps(resource))
        alone["schema"].pop("foreignKeys", None)
        table = Resource(alone, basepath=str(data_dir))
        problems += _report_problems(data_dir, table.validate(), descriptor)
    if not problems:
        report = Package(str(data_dir / DESCRIPTOR)).validate()
        problems = _report_problems(data_dir, report, descriptor)
    return problems


def _descriptor(data_dir: Path) -> dict:
    path = data_dir / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataValidationError(f"{path}: cannot read the descriptor: {error}") from error


def _read_csv(data_dir: Path, resource: dict) -> pd.DataFrame:
    frame = pd.read_csv(
        data_dir / resource["path"], dtype=str, keep_default_na=False, encoding="utf-8"
    )
    return frame.replace("", pd.NA)


def _extra_rule_problems(data_dir: Path, descriptor: dict) -> list[str]:
    """Rules the Table Schema cannot state: date precision and one evidence target per row."""
    problems = []
    for resource in descriptor["resources"]:
        path = str(data_dir / resource["path"])
        frame = _read_csv(data_dir, resource)
        fields = resource["schema"]["fields"]
        for field in fields:
            precision_field = field.get("x-precision-field")
            if not precision_field:
                continue
            for index, (value, precision) in enumerate(
                zip(frame[field["name"]], frame[precision_field], strict=True)
            ):
                if pd.isna(value) or pd.isna(precision):
                    continue
                if len(value) != PRECISION_LENGTH.get(precision, -1):
                    problems.append(
                        _problem(
                            path,
                            index + 2,
                            field["name"],
                            "date-precision",
                            f'"{value}" does not have the precision "{precision}" '
                            f'given in column "{precision_field}"',
                        )
                    )
        targets = [f["name"] for f in fields if f.get("x-evidence-target")]
        if targets:
            counts = frame[targets].notna().sum(axis=1)
            for index in counts.index[counts != 1]:
                problems.append(
                    _problem(
                        path,
                        index + 2,
                        ", ".join(targets),
                        "one-evidence-target",
                        f"exactly one of these columns must be set, found {counts[index]}",
                    )
                )
    return problems


@cache
def _validated(data_dir: Path) -> dict:
    descriptor = _descriptor(data_dir)
    problems = _frictionless_problems(data_dir, descriptor)
    if not problems:
        problems = _extra_rule_problems(data_dir, descriptor)
    if problems:
        shown = "\n  ".join(problems[:MAX_ERRORS_SHOWN])
        more = len(problems) - MAX_ERRORS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise DataValidationError(
            f"The data in {data_dir} is invalid ({len(problems)} problem(s)):\n  {shown}{tail}"
        )
    return descriptor


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    for field in fields:
        name, kind = field["name"], field["type"]
        vocabulary = field.get("constraints", {}).get("enum")
        if vocabulary:
            frame[name] = pd.Categorical(frame[name], categories=vocabulary, ordered=True)
        elif kind == "date" or field.get("x-precision-field"):
            # Reduced-precision ISO dates (2020, 2020-06) become the start of their period.
            frame[name] = pd.to_datetime(frame[name], format="ISO8601")
        elif kind == "integer":
            frame[name] = frame[name].astype("Int64")
        else:
            frame[name] = frame[name].astype("string")
    return frame


def table_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Names of the tables in the package, in the descriptor's order."""
    return [resource["name"] for resource in _descriptor(Path(data_dir))["resources"]]


def load(table: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return one validated table as a typed DataFrame; raise DataValidationError if invalid."""
    data_dir = Path(data_dir).resolve()
    descriptor = _validated(data_dir)
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    if table not in resources:
        raise KeyError(
            f"No table {table!r} in {data_dir / DESCRIPTOR}; tables: {sorted(resources)}"
        )
    resource = resources[table]
    return _typed(_read_csv(data_dir, resource), resource["schema"]["fields"])


def schema(table: str, data_dir: Path = DATA_DIR) -> list[dict]:
    """The Table Schema fields of one table (name, type, description, constraints)."""
    resources = {r["name"]: r for r in _descriptor(Path(data_dir))["resources"]}
    return resources[table]["schema"]["fields"]
