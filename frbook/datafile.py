"""Read one CSV file of the data package in exactly one way: the dialect its descriptor declares.

Validation (frictionless) and loading (pandas) both take the rows read here, so nothing that
validates can load differently. A file that does not match the declared dialect (another
delimiter, a space after each comma, a trailing comma, a byte-order mark, a stray quote) is
rejected, and so is a value a reader cannot see or a spreadsheet would run: each `Problem`
shows the value with `repr` and says what to do.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

BYTE_ORDER_MARK = "\ufeff"
OTHER_DELIMITERS = (";", "\t", "|")
# Leading characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection);
# tab and carriage return are already refused as control characters.
FORMULA_PREFIXES = ("=", "+", "-", "@")
SHOWN_LENGTH = 60


def shown(value: str) -> str:
    """The value as Python writes it (invisible characters escaped), long text shortened."""
    if len(value) > SHOWN_LENGTH:
        value = value[: SHOWN_LENGTH - 20] + "…" + value[-19:]
    return repr(value)


@dataclass(frozen=True)
class Problem:
    """One fault: where it is, which rule it breaks, the offending value, and the fix."""

    path: Path
    rule: str
    detail: str
    fix: str
    row: int | None = None  # data row: 1 is the first row under the header
    line: int | None = None  # the file line on which that row starts
    column: str | None = None

    def __str__(self) -> str:
        place = str(self.path)
        if self.row is not None:
            place += f", row {self.row} (file line {self.line})"
        elif self.line is not None:
            place += f", file line {self.line}"
        if self.column:
            place += f', column "{self.column}"'
        return f"{place}: {self.rule}: {self.detail}; fix: {self.fix}"


@dataclass(frozen=True)
class Table:
    """A file as read with its declared dialect: the header, the rows as strings, and the file
    line on which each row starts (a quoted value may span lines)."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def _reader(text: str, dialect: dict):
    return csv.reader(
        io.StringIO(text, newline=""),
        delimiter=dialect.get("delimiter", ","),
        quotechar=dialect.get("quoteChar", '"'),
        doublequote=dialect.get("doubleQuote", True),
        skipinitialspace=dialect.get("skipInitialSpace", False),
        strict=True,
    )


def _decode(path: Path) -> tuple[str | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(path, "unreadable-file", f"cannot be read ({error.strerror})",
                              "restore the file, or correct its path in datapackage.json")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                path, "encoding-error",
                f"the bytes {raw[error.start:error.end]!r} are not UTF-8",
                "save the file with the UTF-8 encoding", line=line,
            )
        ]
    if text.startswith(BYTE_ORDER_MARK):
        return None, [
            Problem(
                path, "byte-order-mark", "the file starts with a byte-order mark '\\ufeff'",
                "save the file as UTF-8 without a byte-order mark", line=1,
            )
        ]
    if not text.strip():
        return None, [
            Problem(path, "empty-file", f"the file holds {shown(text)}, not even a header",
                    "restore the file; its first line is the header row")
        ]
    return text, []


def _records(path: Path, text: str, dialect: dict):
    reader = _reader(text, dialect)
    records, lines, problems = [], [], []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(
                Problem(
                    path, "csv-syntax", f"{error} (the record from here to file line "
                    f"{reader.line_num} cannot be read)",
                    'put double quotes around a value that holds a comma, a quote or a line '
                    'break, and double every quote inside it ("")', line=start,
                )
            )
            break
        if record:
            records.append(record)
            lines.append(start)
        else:
            problems.append(Problem(path, "blank-row", "the line is empty",
                                    "delete the empty line", line=start))
    return records, lines, problems


def _dialect_problem(path: Path, header: list[str], names: list[str], dialect: dict):
    """The one way the header shows the file was written in another dialect, if it does."""
    delimiter = dialect.get("delimiter", ",")
    if len(header) == 1 < len(names):
        for other in OTHER_DELIMITERS:
            if other in header[0]:
                return Problem(
                    path, "delimiter",
                    f"the header {shown(header[0])} is one column: values are separated by "
                    f"{other!r}, but the package declares {delimiter!r}",
                    f"save the file with {delimiter!r} between values", line=1,
                )
    if len(header) > 1 and header[-1] == "":
        return Problem(
            path, "trailing-comma",
            f"the header ends with an empty column ({shown(delimiter.join(header[-2:]))}): "
            "a trailing comma", "remove the trailing comma at the end of every line", line=1,
        )
    spaced = [label for label in header[1:] if label.startswith(" ")]
    if not dialect.get("skipInitialSpace", False) and len(spaced) > len(header[1:]) / 2:
        return Problem(
            path, "initial-space",
            f"a space follows each {delimiter!r} (header labels such as {shown(spaced[0])}); "
            "the package declares no space after the delimiter",
            f"remove the space after each {delimiter!r} on every line", line=1,
        )
    return None


def _cleaned(label: str) -> str:
    return "".join(char for char in label if char.isprintable()).strip()


def _header_problems(path: Path, header: list[str], names: list[str]) -> list[Problem]:
    problems = []
    for label in header:
        problem = value_problem(label, coded=True, required=True, text=False)
        if problem:
            rule, what, fix = problem
            problems.append(Problem(path, rule, f"the header label {shown(label)} {what}", fix,
                                    line=1, column=label))
    cleaned = {_cleaned(label) for label in header if label != _cleaned(label)}
    for label in sorted({label for label in header if header.count(label) > 1}):
        problems.append(Problem(path, "duplicate-label", f"{shown(label)} is in the header twice",
                                "keep one of the two columns", line=1, column=label))
    for label in header:
        if label not in names and _cleaned(label) not in names:
            problems.append(Problem(
                path, "extra-label", f"{shown(label)} is not a column of this table",
                "remove the column, or declare it in datapackage.json", line=1, column=label))
    for name in names:
        if name not in header and name not in cleaned:
            problems.append(Problem(
                path, "missing-label", f"the header {shown(','.join(header))} lacks it",
                f'add the column "{name}" (data/README.md lists every column)', line=1,
                column=name))
    return problems


def _shape_problems(path: Path, header: list[str], rows, lines) -> list[Problem]:
    problems = []
    for number, (row, line) in enumerate(zip(rows, lines, strict=True), start=1):
        if len(row) == len(header):
            continue
        counted = f"{len(row)} values for {len(header)} columns (the row starts {shown(row[0])})"
        if len(row) > len(header) and not any(row[len(header):]):
            rule, fix = "trailing-comma", "remove the trailing comma at the end of the line"
        elif len(row) > len(header):
            rule, fix = "extra-cell", "put double quotes around a value that holds a comma"
        else:
            rule, fix = "missing-cell", ("add the missing values (an empty one is written ,,), "
                                         "or join a value that a line break split")
        problems.append(Problem(path, rule, counted, fix, row=number, line=line))
    return problems


def read_table(path: Path, dialect: dict, names: list[str]) -> tuple[Table | None, list]:
    """The file read with `dialect`, or None with the problems that stop it being read
    as a table of the columns `names` (header row, then rows of as many values)."""
    text, problems = _decode(path)
    if text is None:
        return None, problems
    records, lines, problems = _records(path, text, dialect)
    if not records:
        return None, problems + [Problem(path, "empty-file", "the file has no header row",
                                         "restore the file; its first line is the header row")]
    header, rows, lines = records[0], records[1:], lines[1:]
    dialect_problem = _dialect_problem(path, header, names, dialect)
    if dialect_problem:
        return None, [dialect_problem]
    problems += _header_problems(path, header, names) + _shape_problems(path, header, rows, lines)
    if problems:
        return None, problems
    return Table(path, header, rows, lines), []


def _character_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def value_problem(value: str, *, coded: bool, required: bool, text: bool):
    """(rule, what is wrong, fix) for a value no reader should have to guess at, else None.

    Every value: no line break or other control character, no space at either end, not only
    spaces. Coded values (keys, vocabularies, header labels, dates): no invisible character
    at all, such as a no-break or zero-width space. Text: no leading =, +, - or @, which a
    spreadsheet opening a download would run as a formula."""
    controls = [char for char in value if unicodedata.category(char) == "Cc"]
    if "\n" in value or "\r" in value:
        return ("line-break", "holds a line break",
                "keep the value on one line: replace the line break with a space")
    if controls:
        return ("control-character", f"holds {_character_name(controls[0])}",
                "delete that character")
    if value and not value.strip():
        return ("whitespace-only", "is only spaces",
                "write the value" if required else "leave the cell empty")
    if value != value.strip():
        end, char = ("start", value[0]) if value != value.lstrip() else ("end", value[-1])
        kind = "" if char == " " else f" ({_character_name(char)})"
        return ("whitespace", f"has a space at the {end}{kind}", f"delete the space at the {end}")
    hidden = [char for char in value if not char.isprintable()]
    if coded and hidden:
        return ("invisible-character", f"holds {_character_name(hidden[0])}",
                "retype the value without it")
    if text and value.startswith(FORMULA_PREFIXES):
        return ("formula-prefix",
                f"starts with {value[0]!r}, which a spreadsheet runs as a formula",
                "reword it so that it does not start with =, +, - or @")
    return None
