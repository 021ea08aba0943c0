"""Validate the data package: Frictionless for the schema, named rules for the rest.

Every problem is reported as ``FILE:LINE: COLUMN: problem (value)``, with LINE
the line of the CSV file (header = line 1) and ``-`` where no single column is
at fault. Nothing is dropped or repaired; every problem is reported, not only
the first.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths, schema


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one cell, row or file of the data package.

    >>> str(Problem("events.csv", 3, "date", "wrong type", "2019-02-30"))
    "events.csv:3: date: wrong type ('2019-02-30')"
    """

    file: str
    line: int
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        shown = f" ({self.value!r})" if self.value != "" else ""
        return f"{self.file}:{self.line}: {self.column}: {self.message}{shown}"


class DataValidationError(ValueError):
    """Raised by :func:`helpers.load` when the data package has problems.

    >>> err = DataValidationError([Problem("events.csv", 2, "date", "wrong type", "x")])
    >>> err.problems[0].line
    2
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the data package:\n{lines}")


@dataclass
class RawTable:
    """A CSV file read as text: one DataFrame of strings plus the CSV line of each row.

    >>> from helpers import paths
    >>> read_raw("sites", paths.DATA_DIR, []).line(0)
    2
    """

    name: str
    file: str
    frame: pd.DataFrame
    lines: list[int]

    def line(self, index: int) -> int:
        """Return the CSV line number of the row at positional ``index``."""
        return self.lines[index]


def read_raw(name: str, data_dir: Path, problems: list[Problem]) -> RawTable | None:
    """Read one resource as strings, reporting a missing file, bad encoding or broken lines.

    >>> from helpers import paths
    >>> raw = read_raw("events", paths.DATA_DIR, [])
    >>> raw.lines[0]
    2
    """
    res = schema.resource(name, data_dir)
    file = res["path"]
    path = Path(data_dir) / file
    if not path.is_file():
        problems.append(Problem(file, 0, "-", "file is missing"))
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end].hex()
        problems.append(Problem(file, line, "-", "not valid UTF-8 (bytes shown as hex)", bad))
        return None
    if text.startswith("\ufeff"):
        problems.append(Problem(file, 1, "-", "file starts with a byte-order mark; save as plain UTF-8"))
        text = text[1:]
    delimiter = res.get("dialect", {}).get("csv", {}).get("delimiter", ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    try:
        for record in reader:
            if header is None:
                header = record
            elif record:
                if len(record) != len(header):
                    problems.append(
                        Problem(file, start, "-", f"row has {len(record)} fields, header has {len(header)}", delimiter.join(record)[:80])
                    )
                else:
                    rows.append(record)
                    lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(file, start, "-", f"unparseable CSV: {exc}"))
        return None
    if header is None:
        problems.append(Problem(file, 1, "-", "file is empty (no header row)"))
        return None
    expected = [f["name"] for f in res["schema"]["fields"]]
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        problems.append(
            Problem(file, 1, "-", f"header does not match the schema (missing {missing}, unexpected {extra})", delimiter.join(header))
        )
        return None
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return RawTable(name, file, frame, lines)


def _frictionless_problems(data_dir: Path, raws: dict[str, RawTable]) -> list[Problem]:
    """Validate types, constraints and keys with Frictionless, for files that parsed."""
    from frictionless import Package

    package = Package(str(Path(data_dir) / "datapackage.json"))
    out: list[Problem] = []
    for res in package.resources:
        if res.name not in raws:
            continue  # already reported as missing or unreadable
        raw = raws[res.name]
        # Only broken resources' lookups are skipped: their own problems are already reported.
        report = res.validate(limit_errors=100_000)
        for task in report.tasks:
            for err in task.errors:
                if err.type in _READ_ERRORS:
                    continue  # raised while reading a broken lookup file, already reported against that file
                row = getattr(err, "row_number", None)
                line = _row_to_line(raw, row)
                column = getattr(err, "field_name", None) or "-"
                value = getattr(err, "cell", "")
                if err.type == "foreign-key":
                    column = ",".join(getattr(err, "field_names", []) or ["-"])
                    value = ",".join(str(v) for v in getattr(err, "field_cells", []) or [])
                out.append(Problem(raw.file, line, column, _message(err), "" if value is None else str(value)))
    return out


#: Frictionless errors about reading a file: ours are reported by read_raw, with the line.
_READ_ERRORS = {"encoding-error", "source-error", "scheme-error", "format-error", "resource-error", "package-error"}


def _row_to_line(raw: RawTable, row_number: int | None) -> int:
    """Map a Frictionless row number (header = 1) to a CSV line number."""
    if not row_number:
        return 1
    index = row_number - 2
    if 0 <= index < len(raw.lines):
        return raw.line(index)
    return row_number


def _message(err) -> str:
    """Turn a Frictionless error into a short sentence."""
    kind = err.type
    note = err.note
    if kind == "constraint-error" and '"required"' in note:
        return "required value is missing"
    if kind == "type-error":
        return f"wrong type or impossible value: {note}"
    if kind == "constraint-error":
        return f"value breaks a constraint: {note}"
    if kind in ("unique-error", "primary-key"):
        return f"duplicate id: {note}"
    if kind == "foreign-key":
        return f"unknown reference: {note}"
    return f"{kind}: {note}"


def validate(data_dir: Path | str | None = None) -> list[Problem]:
    """Return every problem of the data package in ``data_dir`` (empty list when valid).

    >>> validate()
    []
    """
    from helpers import rules

    data_dir = Path(data_dir or paths.DATA_DIR)
    problems: list[Problem] = []
    if not (data_dir / "datapackage.json").is_file():
        return [Problem("datapackage.json", 0, "-", "file is missing")]
    raws: dict[str, RawTable] = {}
    for name in schema.TABLES + schema.REFERENCE_TABLES:
        raw = read_raw(name, data_dir, problems)
        if raw is not None:
            raws[name] = raw
    problems.extend(_frictionless_problems(data_dir, raws))
    problems.extend(rules.check_all(raws, data_dir))
    return sorted(set(problems))


def summary(data_dir: Path | str | None = None) -> tuple[int, int]:
    """Return (number of tables, number of data rows) of the hand-coded tables.

    >>> summary()[0]
    7
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    sink: list[Problem] = []
    rows = 0
    for name in schema.TABLES:
        raw = read_raw(name, data_dir, sink)
        rows += 0 if raw is None else len(raw.frame)
    return len(schema.TABLES), rows
