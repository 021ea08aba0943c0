"""Exports read back with the tools users use, match the tables, and are safe and stable."""

from __future__ import annotations

import csv

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers import paths, schema
from helpers.export import ACLED_COLUMNS, UCDP_COLUMNS, UCDP_NUMERIC, export_all, neutralise

ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, tables):
    """A fresh export of the committed data to a temporary folder."""
    out = tmp_path_factory.mktemp("exports")
    return export_all(out, tables)


def test_geojson_reads_back_in_geopandas_with_every_event(exported, tables):
    """geopandas reads one feature per event, in WGS84, with every event column as a property."""
    gdf = gpd.read_file(exported["geojson"])
    assert len(gdf) == len(tables.events)
    assert gdf.crs.to_epsg() == 4326
    assert set(tables.events.columns) <= set(gdf.columns)
    assert sorted(gdf["event_id"]) == sorted(tables.events["event_id"])


def test_geojson_puts_longitude_first(exported, tables):
    """RFC 7946 order: K-1's point has x = longitude (44.28) and y = latitude (35.51)."""
    gdf = gpd.read_file(exported["geojson"]).set_index("event_id")
    k1 = tables.sites.set_index("site_id").loc["k1"]
    point = gdf.loc["k1_rocket_attack", "geometry"]
    assert (point.x, point.y) == pytest.approx((k1["lon"], k1["lat"]))


def test_acled_csv_has_acleds_columns_and_accounts_for_every_event(exported, tables):
    """The ACLED file has ACLED's columns in order; exported plus left-out events equal all events."""
    acled = pd.read_csv(exported["acled"])
    left = pd.read_csv(exported["acled_left_out"])
    assert list(acled.columns) == ACLED_COLUMNS
    assert len(acled) + left["events"].sum() == len(tables.events)
    assert set(acled["event_type"]) <= ACLED_EVENT_TYPES
    assert set(acled["geo_precision"].dropna()) <= {1, 2, 3} and set(acled["time_precision"]) <= {1, 2, 3}


def test_acled_interaction_joins_the_two_inter_codes_lowest_first(exported):
    """interaction = the lower inter code then the higher, or inter1 followed by 0 for a sole actor."""
    acled = pd.read_csv(exported["acled"])
    for row in acled.itertuples():
        codes = sorted(int(c) for c in (row.inter1, row.inter2) if pd.notna(c))
        expected = f"{codes[0]}0" if len(codes) == 1 else f"{codes[0]}{codes[1]}"
        assert str(row.interaction) == expected, row.event_id_cnty


def test_ucdp_deaths_are_ordered_and_precisions_in_range(exported):
    """low <= best <= high where known; the deaths_* split adds up to best; where_prec 1-7, date_prec 1-5."""
    ucdp = pd.read_csv(exported["ucdp"])
    assert list(ucdp.columns) == UCDP_COLUMNS
    known = ucdp.dropna(subset=["best"])
    assert ((known["low"] <= known["best"]) & (known["best"] <= known["high"])).all()
    split = known[["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]].sum(axis=1)
    assert (split == known["best"]).all()
    assert ucdp["where_prec"].between(1, 7).all() and ucdp["date_prec"].between(1, 5).all()


def test_ucdp_number_of_sources_counts_the_events_sources(exported, tables):
    """number_of_sources is the number of sources the event cites (5 for an event citing five)."""
    ucdp = pd.read_csv(exported["ucdp"]).set_index("relid")
    cited = tables.events.set_index("event_id")["source_ids"].str.split(";").str.len()
    assert (ucdp["number_of_sources"] == cited.reindex(ucdp.index)).all()


def test_acled_fatalities_is_an_integer_on_every_row(exported):
    """ACLED's rule: fatalities is a whole number everywhere, 0 where no death is reported."""
    acled = pd.read_csv(exported["acled"])
    assert acled["fatalities"].notna().all() and pd.api.types.is_integer_dtype(acled["fatalities"])
    assert int(acled.set_index("event_id_cnty").at["k1_rocket_attack", "fatalities"]) == 1


#: Numeric columns of ACLED's export layout (ACLED Codebook, "Data columns").
ACLED_NUMERIC = ["year", "time_precision", "inter1", "inter2", "iso", "latitude", "longitude", "geo_precision", "fatalities"]


@pytest.mark.parametrize(("key", "columns", "numeric"), [("acled", ACLED_COLUMNS, ACLED_NUMERIC), ("ucdp", UCDP_COLUMNS, UCDP_NUMERIC)])
def test_exports_concatenate_with_the_real_layouts_and_stay_numeric(exported, key, columns, numeric):
    """pd.concat with a frame in ACLED's / UCDP's own layout keeps every numeric column numeric."""
    real = pd.DataFrame({c: pd.Series(dtype="float64" if c in numeric else "object") for c in columns})
    ours = pd.read_csv(exported[key])
    both = pd.concat([real, ours], ignore_index=True)
    assert list(both.columns) == columns
    for col in numeric:
        assert pd.api.types.is_numeric_dtype(both[col]), col


def test_workbook_has_the_dictionary_first_and_every_row(exported, tables):
    """openpyxl finds the data dictionary as the first sheet and as many rows per sheet as the tables."""
    wb = load_workbook(exported["xlsx"], read_only=True)
    assert wb.sheetnames == ["data_dictionary", *schema.TABLES]
    for name in schema.TABLES:
        rows = list(wb[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(getattr(tables, name).columns)
        assert len(rows) - 1 == len(getattr(tables, name)), name


def test_workbook_values_match_the_tables(exported, tables):
    """Cells read back equal the table values (formula-like text neutralised with a leading apostrophe)."""
    ws = load_workbook(exported["xlsx"], read_only=True)["events"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    back = pd.DataFrame(rows[1:], columns=header)
    assert back["event_id"].tolist() == tables.events["event_id"].tolist()
    offsets = back["utc_offset"].dropna().str.lstrip("'")
    assert offsets.tolist() == tables.events["utc_offset"].dropna().tolist()


def test_no_text_cell_can_run_as_a_formula(exported):
    """No CSV or Excel text cell starts with = + - @ unless neutralised by an apostrophe."""
    for key in ("acled", "ucdp", "acled_left_out"):
        with exported[key].open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                assert all(neutralise(cell) == cell for cell in row), row
    wb = load_workbook(exported["xlsx"], read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert all(not isinstance(v, str) or neutralise(v) == v or v.startswith("'") for v in row), row


def test_export_is_byte_stable_and_committed_exports_are_current(exported, tables, tmp_path):
    """A second export gives the same bytes, and data/exports/ holds exactly what the data produces."""
    again = export_all(tmp_path, tables)
    for key, path in exported.items():
        assert path.read_bytes() == again[key].read_bytes(), key
        committed = paths.EXPORTS_DIR / path.name
        assert committed.is_file() and committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run python -m helpers export"
