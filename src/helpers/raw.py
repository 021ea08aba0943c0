"""The data package's files read as text, and the problems found in them.

This module sits below both :mod:`helpers.validate` (which runs the checks) and
:mod:`helpers.rules` (the checks the schema cannot express), so neither imports the other's
internals. Every problem is reported as ``FILE:LINE: COLUMN: problem (value)``, with LINE the
line of the CSV file (header = line 1) and ``-`` where no single column is at fault.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import schema

if TYPE_CHECKING:  # for annotations only: pandas is imported where it is used (see the module docstring)
    import pandas as pd


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
    #: SHA-256 of the file's bytes: rules that read one table remember their result under it.
    digest: str = ""
    #: The rows as read (lists of cells), kept so that :attr:`records` needs no pass over the frame.
    rows: list[list[str]] | None = field(default=None, repr=False, compare=False)

    def line(self, index: int) -> int:
        """Return the CSV line number of the row at positional ``index``."""
        return self.lines[index]

    @cached_property
    def records(self) -> tuple[dict[str, str], ...]:
        """The rows as {column: cell} dicts, built once and shared by every rule (do not change them).

        >>> from helpers import paths
        >>> read_raw("sites", paths.DATA_DIR, []).records[0]["site_id"] != ""
        True
        """
        columns = list(self.frame.columns)
        rows = self.rows if self.rows is not None else self.frame.itertuples(index=False, name=None)
        return tuple(dict(zip(columns, values, strict=True)) for values in rows)


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
    import pandas as pd

    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return RawTable(name, file, frame, lines, hashlib.sha256(data).hexdigest(), rows)
