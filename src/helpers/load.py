"""Load the validated tables as typed pandas DataFrames.

pandas is imported inside the functions that use it, not when this module is imported: the
render workers, the pytest controller and ``python -m helpers validate`` with a remembered result
import the package without needing pandas (about 0.25 s each).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import paths, schema
from helpers.raw import DataValidationError, Problem, RawTable, read_raw
from helpers.validate import validate

if TYPE_CHECKING:  # for annotations only: pandas is imported where it is used (see the module docstring)
    import pandas as pd


@dataclass
class Tables:
    """Every table of the data package, one attribute per CSV file.

    >>> from helpers import load
    >>> load().names()[:3]
    ['sources', 'publishers', 'actors']
    """

    sources: pd.DataFrame
    publishers: pd.DataFrame
    actors: pd.DataFrame
    sites: pd.DataFrame
    events: pd.DataFrame
    casualties: pd.DataFrame
    reactions: pd.DataFrame
    seed_claims: pd.DataFrame
    coding_check: pd.DataFrame
    munitions: pd.DataFrame
    tallies: pd.DataFrame
    launch_points: pd.DataFrame
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
        import pandas as pd

        return pd.Series({name: len(getattr(self, name)) for name in self.names()}, name="rows")


def _typed_column(raw: pd.Series, fld: dict) -> pd.Series:
    """Cast one column of strings to the pandas type its schema field names."""
    import pandas as pd

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
        return _booleans(raw, fld)
    if enum:
        return pd.Series(pd.Categorical(raw.where(~empty), categories=enum), index=raw.index)
    return raw.where(~empty).astype("string")


#: The Table Schema defaults for boolean cells (specs.frictionlessdata.io/table-schema, "boolean"),
#: used only where a field does not list its own trueValues / falseValues.
DEFAULT_TRUE_VALUES = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE_VALUES = ["false", "False", "FALSE", "0"]


def _booleans(raw: pd.Series, fld: dict) -> pd.Series:
    """Read a boolean column with the field's own trueValues / falseValues; anything else raises ValueError."""
    truth = dict.fromkeys(fld.get("trueValues", DEFAULT_TRUE_VALUES), True)
    truth.update(dict.fromkeys(fld.get("falseValues", DEFAULT_FALSE_VALUES), False))
    bad = raw[~raw.isin(list(truth))]
    if len(bad):
        raise ValueError(f"column {fld['name']!r}: {bad.iloc[0]!r} is neither a true nor a false value of the schema")
    return raw.map(truth).astype("bool")


def _typed(raw: RawTable, data_dir: Path) -> pd.DataFrame:
    """Return a raw table with every column cast by its schema field."""
    import pandas as pd

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

#: The modules whose code decides validity: a change to any of them invalidates remembered results.
_VALIDATION_CODE = ("raw.py", "rules.py", "validate.py", "schema.py", "clean.py", "geo.py")


def content_hash(data_dir: Path) -> str:
    """Return a SHA-256 over every file of the package (descriptor, tables, base maps) and the validation code.

    Two states with the same hash validate alike, so a validation result can be remembered under it.

    >>> from helpers import paths
    >>> len(content_hash(paths.DATA_DIR))
    64
    """
    digest = hashlib.sha256()
    files = [data_dir / "datapackage.json"]
    files += [data_dir / schema.resource(n, data_dir)["path"] for n in schema.TABLES + schema.REFERENCE_TABLES]
    files += [data_dir / "geo" / paths.BASEMAP.name, data_dir / "geo" / paths.WORLD_BASEMAP.name]
    files += [Path(__file__).with_name(name) for name in _VALIDATION_CODE]
    for f in files:
        digest.update(f.name.encode() + b"\0")
        digest.update(f.read_bytes() if f.is_file() else b"<missing>")
    return digest.hexdigest()


def validate_once(data_dir: Path | str | None = None) -> list[Problem]:
    """Validate the package (default: data/) unless a package with the same content hash was found valid before.

    Returns the problems, as :func:`helpers.validate.validate` does (an empty list when valid).
    A valid result is remembered as an empty marker file ``paths.CACHE_DIR/valid-<hash>``;
    problems are never remembered, so a broken package is validated (and reported) every time.

    >>> validate_once()
    []
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    marker = paths.CACHE_DIR / f"valid-{content_hash(data_dir)}"
    if marker.is_file():
        return []
    problems = validate(data_dir)
    if not problems:
        try:
            paths.CACHE_DIR.mkdir(parents=True, exist_ok=True)
            with paths.atomic_write(marker) as tmp:
                tmp.write_bytes(b"")
        except OSError:
            pass  # a read-only checkout still validates, only without remembering
    return problems


def load(data_dir: Path | str | None = None, *, check: bool = True) -> Tables:
    """Validate the data package and return its tables, typed (dates, categoricals, Int64).

    Raises DataValidationError listing every problem when the data is invalid; raises ValueError
    on a boolean cell that is neither of the schema's true or false values. A package is
    validated once per content (see :func:`validate_once`), and within one process a package
    whose files have not changed (same sizes and modification times) is parsed once; every call
    returns fresh copies of the frames.

    >>> tables = load()
    >>> tables.events.date.dtype.kind
    'M'
    """
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    key = (_fingerprint(data_dir), check)
    if key not in _CACHE:
        if check:
            problems = validate_once(data_dir)
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
