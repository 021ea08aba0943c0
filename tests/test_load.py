"""load() returns every row, typed by the schema."""

from __future__ import annotations

import csv

import pandas as pd

from helpers import paths, schema


def csv_row_count(name: str) -> int:
    """Count data rows of a table's file with the csv module."""
    path = paths.DATA_DIR / schema.resource(name)["path"]
    delimiter = schema.resource(name).get("dialect", {}).get("csv", {}).get("delimiter", ",")
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for row in csv.reader(fh, delimiter=delimiter) if row) - 1


def test_load_never_loses_a_row(tables):
    """Every table has as many rows as its CSV file."""
    for name in tables.names():
        assert len(getattr(tables, name)) == csv_row_count(name), name


def test_columns_follow_the_schema_order(tables):
    """Each table's columns are the schema's fields, in order."""
    for name in schema.TABLES:
        assert list(getattr(tables, name).columns) == [f["name"] for f in schema.fields(name)]


def test_dates_are_datetimes_and_vocabularies_categoricals(tables):
    """Dates load as datetime64 and closed vocabularies as categoricals with the schema's categories."""
    assert pd.api.types.is_datetime64_any_dtype(tables.events["date"])
    assert isinstance(tables.events["event_type"].dtype, pd.CategoricalDtype)
    assert list(tables.events["event_type"].cat.categories) == schema.vocabulary("events", "event_type")
    assert str(tables.casualties["best"].dtype) == "Int64"
    assert tables.events["in_seed"].dtype == bool


def test_committed_codebook_is_generated_from_the_datapackage():
    """data/CODEBOOK.md is exactly what datapackage.json generates, so the two cannot drift."""
    assert (paths.DATA_DIR / "CODEBOOK.md").read_text(encoding="utf-8") == schema.codebook_markdown() + "\n"


def test_codebook_covers_every_column():
    """Every column of every table appears in the generated codebook."""
    text = schema.codebook_markdown()
    for name in schema.TABLES:
        for fld in schema.fields(name):
            assert f"| `{fld['name']}` |" in text


def test_load_returns_fresh_copies_and_sees_edits(data_copy):
    """Changing a returned frame does not leak into the next load, and an edited file is read again."""
    from helpers import load

    first = load(data_copy.root)
    first.events.loc[0, "summary"] = "changed in memory"
    assert load(data_copy.root).events.loc[0, "summary"] != "changed in memory"
    data_copy.set("events", 0, "summary", "Edited on disk.")
    assert load(data_copy.root).events.loc[0, "summary"] == "Edited on disk."


def test_importing_helpers_does_not_import_pandas():
    """`import helpers` (what every render worker and the pytest controller pay) leaves pandas unimported until a table is loaded."""
    import subprocess
    import sys

    code = "import sys, helpers, helpers.render; assert 'pandas' not in sys.modules, 'pandas imported'"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-1000:]
