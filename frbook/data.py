"""Load the book's tables from data/, validated against data/datapackage.json.

`load("events")` reads every file once per process with the CSV dialect the descriptor declares
(`frbook.datafile`), validates those very rows with the `frictionless` library (types, required
fields, vocabularies, keys and foreign keys between tables), adds the rules a Table Schema cannot
express (real dates at their precision, none after the package's `created` date, one evidence target
per row, every key of a comma-separated list of keys in its table), and builds the DataFrame from
the same rows, with real dtypes: dates as datetimes, integers as nullable integers, every vocabulary
as an ordered Categorical in the schema's order. Bad data raises `DataValidationError`; each problem
names file, row, column, rule and the offending value, and says how to fix it. Nothing is written.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache
from pathlib import Path

import pandas as pd

from frbook.datafile import Problem, Table, read_table, shown, value_problem
from frbook.paths import DATA_DIR

DESCRIPTOR = "datapackage.json"
MAX_ERRORS_SHOWN = 5
DATE_FORM = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}
TYPE_FORM = {"date": "a real date as YYYY-MM-DD", "integer": "a whole number such as 43"}
CONSTRAINT = re.compile(r'constraint "(\w+)"')
SAME_KEY_AS = re.compile(r"row at position (\d+)")
FOREIGN_KEY = re.compile(r'for "([^"]+)"')


class DataValidationError(ValueError):
    """The data in data/ breaks its schema; the message says where, which value, and the fix."""


def _descriptor(data_dir: Path) -> dict:
    path = data_dir / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataValidationError(
            f"{path}: cannot read the descriptor: {error}; fix: restore it, or correct its JSON"
        ) from error


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _names(resource: dict) -> list[str]:
    return [field["name"] for field in resource["schema"]["fields"]]


def _is_coded(resource: dict, field: dict) -> bool:
    """Keys, vocabulary values, dates and numbers: values no invisible character may hide in."""
    schema = resource["schema"]
    keys = set(_as_list(schema.get("primaryKey", [])))
    for foreign in schema.get("foreignKeys", []):
        keys |= set(_as_list(foreign["fields"]))
    constraints = field.get("constraints", {})
    return (
        field["name"] in keys or field["type"] != "string" or "enum" in constraints
        or "pattern" in constraints
    )


def _cell_problems(table: Table, resource: dict) -> list[Problem]:
    rules = {field["name"]: {"coded": _is_coded(resource, field),
                             "required": field.get("constraints", {}).get("required", False),
                             "text": field["type"] == "string"}
             for field in resource["schema"]["fields"]}
    problems = []
    for row, (values, line) in enumerate(zip(table.rows, table.lines, strict=True), start=1):
        for name, value in zip(table.header, values, strict=True):
            problem = value_problem(value, **rules[name])
            if problem:
                rule, what, fix = problem
                problems.append(Problem(table.path, rule, f"{shown(value)} {what}", fix,
                                        row=row, line=line, column=name))
    return problems


def _referrers(descriptor: dict, name: str) -> list[str]:
    return [
        f"{resource['path']} ({', '.join(_as_list(foreign['fields']))})"
        for resource in descriptor["resources"]
        for foreign in resource["schema"].get("foreignKeys", [])
        if foreign["reference"]["resource"] == name
    ]


def _empty_table_problem(table: Table, resource: dict, descriptor: dict) -> Problem:
    referrers = _referrers(descriptor, resource["name"])
    why = f"; other tables refer to its keys: {', '.join(referrers)}" if referrers else ""
    return Problem(table.path, "empty-table", f"the table has a header but 0 rows{why}",
                   "add its rows back (git restore the file if they were lost)")


# --- frictionless: the schema's rules on the rows read above ---------------------------------


def _inline_resource(resource: dict, table: Table, with_foreign_keys: bool):
    from frictionless import Resource, Schema

    schema = json.loads(json.dumps(resource["schema"]))
    if not with_foreign_keys:
        schema.pop("foreignKeys", None)
    return Resource(name=resource["name"], data=[table.header, *table.rows],
                    schema=Schema.from_descriptor(schema))


def _constraint_problem(field: dict, value: str, note: str) -> tuple[str, str]:
    constraints = field.get("constraints", {})
    constraint = (CONSTRAINT.search(note) or [None, None])[1]
    if constraint == "required":
        return "is empty, but the column is required", "fill in the value"
    if constraint == "enum":
        return "is not in the vocabulary", "use one of: " + ", ".join(constraints["enum"])
    if constraint == "pattern" and field.get("x-precision-field"):
        return "is not an ISO 8601 date", "write the date as YYYY-MM-DD, YYYY-MM or YYYY"
    if constraint == "pattern":
        return (f"does not match the pattern {constraints['pattern']}",
                "use only the characters the pattern allows (ids: a-z, 0-9 and _)")
    if constraint == "maxLength":
        limit = constraints["maxLength"]
        return (f"is {len(value)} characters long, the limit is {limit}",
                f"shorten it to {limit} characters or fewer")
    if constraint in ("minimum", "maximum"):
        bound = constraints[constraint]
        return f"breaks the {constraint} {bound}", f"use a number within the {constraint} {bound}"
    if constraint == "unique":
        return "is in another row too", "give each row its own value"
    return note, "see the column's rules in data/README.md"


def _missing_key_problem(table: Table, value: str, reference: dict, target: dict,
                         **where) -> Problem:
    """`value` is no key of the `reference`d table `target` (a resource of the descriptor)."""
    target_key = ", ".join(_as_list(reference["fields"]))
    return Problem(table.path, "foreign-key",
                   f"{shown(value)} is not a {target_key} in {target['path']}",
                   f"use a {target_key} that {target['path']} lists, or add that row there",
                   **where)


def _schema_problem(error, table: Table, resource: dict, descriptor: dict) -> Problem:
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    note = error.note or error.message
    if getattr(error, "row_number", None) is None:  # about the table, such as a foreign key's
        return Problem(table.path, error.type, note,  # target table missing from the package
                       "correct this table's schema in datapackage.json")
    row = error.row_number - 1
    where = {"row": row, "line": table.lines[row - 1]}
    if error.type in ("type-error", "constraint-error", "unique-error"):
        field, value = fields[error.field_name], error.cell or ""
        if error.type == "type-error":
            what = f"is not a valid {field['type']}"
            fix = f"write {TYPE_FORM.get(field['type'], 'a ' + field['type'])}"
        else:
            rule = 'constraint "unique"' if error.type == "unique-error" else note
            what, fix = _constraint_problem(field, value, rule)
        return Problem(table.path, error.type, f"{shown(value)} {what}", fix,
                       column=field["name"], **where)
    cells = dict(zip(table.header, error.cells, strict=False))
    if error.type == "primary-key":
        key = _as_list(resource["schema"]["primaryKey"])
        value = ", ".join(cells[name] for name in key)
        other = int(SAME_KEY_AS.search(note)[1]) - 1
        return Problem(
            table.path, "primary-key",
            f"{shown(value)} is also the key of row {other} (file line {table.lines[other - 1]})",
            "give each row its own key", column=", ".join(key), **where)
    if error.type == "foreign-key":
        fields_named = _as_list(FOREIGN_KEY.search(note)[1].split(", "))
        foreign = next(f for f in resource["schema"]["foreignKeys"]
                       if _as_list(f["fields"]) == fields_named)
        target = next(r for r in descriptor["resources"]
                      if r["name"] == foreign["reference"]["resource"])
        value = ", ".join(cells[name] for name in fields_named)
        return _missing_key_problem(table, value, foreign["reference"], target,
                                    column=", ".join(fields_named), **where)
    return Problem(table.path, error.type, note, "see the column's rules in data/README.md",
                   **where)


def _descriptor_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    """What frictionless finds wrong with datapackage.json itself (a schema, a key, a path)."""
    from frictionless import Package

    return [
        Problem(data_dir / DESCRIPTOR, rule, note,
                "correct datapackage.json (see the Table Schema and Data Package specs)")
        for rule, note in Package.validate_descriptor(descriptor).flatten(["type", "note"])
    ]


def _frictionless_problems(tables: dict, descriptor: dict, foreign_keys: bool) -> list[Problem]:
    """Each table alone (`foreign_keys` False), or the package's links between tables."""
    # Imported here: the library is slow to import and only needed once per process.
    from frictionless import Package

    resources = [r for r in descriptor["resources"] if r["name"] in tables]
    inline = [_inline_resource(r, tables[r["name"]], foreign_keys) for r in resources]
    if foreign_keys:
        tasks = Package(resources=inline).validate().tasks
    else:
        tasks = [resource.validate().tasks[0] for resource in inline]
    problems = []
    for resource, task in zip(resources, tasks, strict=True):
        table = tables[resource["name"]]
        problems += [_schema_problem(e, table, resource, descriptor) for e in task.errors]
    return problems


# --- rules a Table Schema cannot state --------------------------------------------------------


def _calendar_date(value: str) -> datetime.date:
    """The first day of a YYYY, YYYY-MM or YYYY-MM-DD value; ValueError if it does not exist."""
    parts = [int(part) for part in value.split("-")]
    return datetime.date(*parts, *[1] * (3 - len(parts)))


def _date_problems(table: Table, resource: dict, frame: pd.DataFrame, created) -> list[Problem]:
    problems = []
    for field in resource["schema"]["fields"]:
        name, precision_field = field["name"], field.get("x-precision-field")
        if field["type"] != "date" and not precision_field:
            continue
        for index, value in frame[name].dropna().items():
            where = {"row": index + 1, "line": table.lines[index], "column": name}
            precision = frame.at[index, precision_field] if precision_field else "day"
            if precision_field and len(value) != len(DATE_FORM.get(precision, "")):
                problems.append(Problem(
                    table.path, "date-precision",
                    f'{shown(value)} does not have the precision "{precision}" given in column '
                    f'"{precision_field}"',
                    f"write it as {DATE_FORM[precision]}, or correct {precision_field}", **where))
                continue
            try:
                day = _calendar_date(value)
            except ValueError as error:
                problems.append(Problem(
                    table.path, "invalid-date", f"{shown(value)} is not a calendar date ({error})",
                    f"use a date that exists, as {DATE_FORM[precision]}", **where))
                continue
            if created and day > created:
                problems.append(Problem(
                    table.path, "future-date",
                    f"{shown(value)} is after the package's created date {created}",
                    "correct the date (or, for newer data, update created in datapackage.json)",
                    **where))
            earliest = field.get("x-not-before")
            if earliest and pd.notna(frame.at[index, earliest]):
                try:
                    floor = _calendar_date(frame.at[index, earliest])
                except ValueError:
                    continue  # reported on its own column
                if day < floor:
                    problems.append(Problem(
                        table.path, "date-order",
                        f"{shown(value)} is before {earliest} "
                        f"{shown(frame.at[index, earliest])}",
                        f"correct one of the two dates: {name} cannot precede {earliest}",
                        **where))
    return problems


def _evidence_target_problems(table: Table, resource: dict, frame: pd.DataFrame):
    targets = [f["name"] for f in resource["schema"]["fields"] if f.get("x-evidence-target")]
    problems = []
    if not targets:
        return problems
    for index, values in frame[targets].iterrows():
        chosen = values.dropna()
        if len(chosen) != 1:
            problems.append(Problem(
                table.path, "one-evidence-target",
                f"exactly one of these columns must be set, found {len(chosen)}: "
                f"{shown(', '.join(f'{k}={v}' for k, v in chosen.items()))}",
                "keep the one row this excerpt supports and empty the other columns"
                if len(chosen) else "fill in the row this excerpt supports",
                row=index + 1, line=table.lines[index], column=", ".join(targets)))
    return problems


def _key_list_problems(tables: dict, resource: dict, descriptor: dict) -> list[Problem]:
    """Fields marked `x-each-references` hold comma-separated keys, each of which must exist in
    the referenced table (a Table Schema foreign key can only check a whole cell)."""
    table, problems = tables[resource["name"]], []
    for field in resource["schema"]["fields"]:
        reference = field.get("x-each-references")
        if not reference:
            continue
        target = next(r for r in descriptor["resources"] if r["name"] == reference["resource"])
        target_table = tables[target["name"]]
        column = target_table.header.index(reference["fields"])
        known = {row[column] for row in target_table.rows}
        position = table.header.index(field["name"])
        for row, (values, line) in enumerate(zip(table.rows, table.lines, strict=True), start=1):
            for key in filter(None, values[position].split(",")):
                if key not in known:
                    problems.append(_missing_key_problem(table, key, reference, target, row=row,
                                                         line=line, column=field["name"]))
    return problems


def _created(descriptor: dict) -> datetime.date | None:
    created = descriptor.get("created")
    return datetime.date.fromisoformat(created[:10]) if created else None


@cache
def _validated(data_dir: Path) -> tuple[dict, dict[str, Table]]:
    """The descriptor and every table as read once; DataValidationError if anything is wrong."""
    descriptor = _descriptor(data_dir)
    problems = _descriptor_problems(data_dir, descriptor)
    if problems:
        _raise(data_dir, problems)
    tables = {}
    for resource in descriptor["resources"]:
        table, found = read_table(
            data_dir / resource["path"], resource.get("dialect", {}), _names(resource)
        )
        problems += found
        if table is None:
            continue
        tables[resource["name"]] = table
        if not table.rows:
            problems.append(_empty_table_problem(table, resource, descriptor))
        problems += _cell_problems(table, resource)
    if tables:
        flagged = {(p.path, p.row, p.column) for p in problems}
        problems += [
            problem for problem in _frictionless_problems(tables, descriptor, foreign_keys=False)
            if (problem.path, problem.row, problem.column) not in flagged
        ]
    if not problems:
        for resource in descriptor["resources"]:
            table = tables[resource["name"]]
            frame = _frame(table, resource)
            problems += _date_problems(table, resource, frame, _created(descriptor))
            problems += _evidence_target_problems(table, resource, frame)
    if not problems:
        problems = _frictionless_problems(tables, descriptor, foreign_keys=True)
        for resource in descriptor["resources"]:
            problems += _key_list_problems(tables, resource, descriptor)
    if problems:
        _raise(data_dir, problems)
    return descriptor, tables


def _raise(data_dir: Path, problems: list[Problem]):
    shown_problems = "\n  ".join(str(p) for p in problems[:MAX_ERRORS_SHOWN])
    more = len(problems) - MAX_ERRORS_SHOWN
    tail = f"\n  ... and {more} more" if more > 0 else ""
    raise DataValidationError(
        f"The data in {data_dir} is invalid ({len(problems)} problem(s)):\n  {shown_problems}{tail}"
    )


def _frame(table: Table, resource: dict) -> pd.DataFrame:
    """The rows exactly as read and validated, in the schema's column order; empty is missing."""
    frame = pd.DataFrame(table.rows, columns=table.header, dtype=object)[_names(resource)]
    return frame.replace("", pd.NA)


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
            frame[name] = pd.to_numeric(frame[name]).astype("Int64")
        else:
            frame[name] = frame[name].astype("string")
    return frame


def table_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Names of the tables in the package, in the descriptor's order."""
    return [resource["name"] for resource in _descriptor(Path(data_dir))["resources"]]


def load(table: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return one validated table as a typed DataFrame; raise DataValidationError if invalid."""
    data_dir = Path(data_dir).resolve()
    descriptor, tables = _validated(data_dir)
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    if table not in resources:
        raise KeyError(
            f"No table {table!r} in {data_dir / DESCRIPTOR}; tables: {sorted(resources)}"
        )
    resource = resources[table]
    return _typed(_frame(tables[table], resource), resource["schema"]["fields"])


def schema(table: str, data_dir: Path = DATA_DIR) -> list[dict]:
    """The Table Schema fields of one table (name, type, description, constraints)."""
    resources = {r["name"]: r for r in _descriptor(Path(data_dir))["resources"]}
    return resources[table]["schema"]["fields"]
