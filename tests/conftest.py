"""Shared fixtures: a writable copy of the data package to break on purpose."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from helpers import paths


def read_rows(path: Path) -> list[list[str]]:
    """Read a CSV file into a list of rows (header first)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows back as CSV the way the project's files are written."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


class DataCopy:
    """A copy of data/ in a temporary folder, with helpers to change one cell."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, table: str) -> Path:
        """Return the CSV path of a table."""
        return self.root / f"{table}.csv"

    def set(self, table: str, row: int, column: str, value: str) -> int:
        """Set one cell (row 0 = first data row) and return its CSV line number."""
        rows = read_rows(self.path(table))
        rows[row + 1][rows[0].index(column)] = value
        write_rows(self.path(table), rows)
        return row + 2

    def get(self, table: str, row: int, column: str) -> str:
        """Return one cell (row 0 = first data row)."""
        rows = read_rows(self.path(table))
        return rows[row + 1][rows[0].index(column)]

    def find(self, table: str, column: str, value: str) -> int:
        """Return the index of the first data row whose column equals value."""
        rows = read_rows(self.path(table))
        col = rows[0].index(column)
        return next(i for i, r in enumerate(rows[1:]) if r[col] == value)

    def append(self, table: str, row: int) -> int:
        """Append a copy of a data row and return the new row's CSV line number."""
        rows = read_rows(self.path(table))
        rows.append(list(rows[row + 1]))
        write_rows(self.path(table), rows)
        return len(rows)


@pytest.fixture
def data_copy(tmp_path: Path) -> DataCopy:
    """A throwaway copy of the committed data package."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target, ignore=shutil.ignore_patterns("exports"))
    return DataCopy(target)


@pytest.fixture(scope="session")
def tables():
    """The committed tables, validated and loaded once per test session."""
    from helpers import load

    return load()
