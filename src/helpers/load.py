"""Load the validated tables as typed pandas DataFrames."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from helpers import paths, schema
from helpers.validate import DataValidationError, Problem, RawTable, read_raw, validate


@dataclass
class Tables:
    """Every table of the data package, one attribute per CSV file.

    >>> from helpers import load
    >>> load().names()[:3]
    ['sources', 'actors', 'sites']
    """

    sources: pd.DataFrame
    actors: pd.DataFrame
    sites: pd.DataFrame
    events: pd.DataFrame
    casualties: pd.DataFrame
    reactions: pd.DataFrame
    seed_claims: pd.DataFrame
    cameo_eventcodes: pd.DataFrame
    cameo_goldstein: pd.DataFrame
    event_type_cameo: pd.DataFrame
    acled_event_map: pd.DataFrame
    acled_actor_map: pd.DataFrame

    def names(self) -> list[str]:
        """Return the table names in codebook order."""
        return [f.name for f in fields(self)]

    def counts(self) -> pd.Series:
        """Return the number of rows per table."""
        return pd.Series({name: len(getattr(self, name)) for name in self.names()}, name="rows")


def _typed_column(raw: pd.Series, fld: dict) -> pd.Series:
    """Cast one column of strings to the pandas type its schema field names."""
    empty = raw.eq("")
    enum = fld.get("constraints", {}).get("enum")
    kind = fld["type"]
    if kind == "date":
        return pd.to_datetime(raw.where(~empty), format="%Y-%m-%d")
    if kind == "integer":
        values = pd.to_numeric(raw.where(~empty)).astype("Int64")
        return pd.Series(pd.Categorical(values, categories=enum), index=raw.index) if enum else values
    if kind == "number":
        return pd.to_numeric(raw.where(~empty)).astype("float64")
    if kind == "boolean":
        return raw.map({"true": True, "false": False}).astype("bool")
    if enum:
        return pd.Series(pd.Categorical(raw.where(~empty), categories=enum), index=raw.index)
    return raw.where(~empty).astype("string")


def _typed(raw: RawTable, data_dir: Path) -> pd.DataFrame:
    """Return a raw table with every column cast by its schema field."""
    frame = raw.frame
    out = {fld["name"]: _typed_column(frame[fld["name"]], fld) for fld in schema.fields(raw.name, data_dir)}
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _fingerprint(data_dir: Path) -> tuple:
    """Identify the state of every file of the package (path, size, modification time)."""
    files = [data_dir / "datapackage.json"] + [
        data_dir / schema.resource(n, data_dir)["path"] for n in schema.TABLES + schema.REFERENCE_TABLES
    ]
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) if f.is_file() else (str(f), None, None) for f in files)


_CACHE: dict[tuple, dict[str, pd.DataFrame]] = {}


def load(data_dir: Path | str | None = None, *, check: bool = True) -> Tables:
    """Validate the data package and return its tables, typed (dates, categoricals, Int64).

    Raises DataValidationError listing every problem when the data is invalid. Within one
    process, a package whose files have not changed (same sizes and modification times) is
    validated and parsed once; every call returns fresh copies of the frames.

    >>> tables = load()
    >>> tables.events.date.dtype.kind
    'M'
    """
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    key = (_fingerprint(data_dir), check)
    if key not in _CACHE:
        if check:
            problems = validate(data_dir)
            if problems:
                raise DataValidationError(problems)
        sink: list[Problem] = []
        frames = {}
        for name in schema.TABLES + schema.REFERENCE_TABLES:
            raw = read_raw(name, data_dir, sink)
            if raw is None:
                raise DataValidationError(sink)
            frames[name] = _typed(raw, data_dir)
        _CACHE.clear()
        _CACHE[key] = frames
    return Tables(**{name: frame.copy() for name, frame in _CACHE[key].items()})
