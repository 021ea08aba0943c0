"""Ordinary accidents of editing the CSVs in a spreadsheet are reported, or change no published number."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import DataCopy, read_rows, write_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate import assert_reported

from helpers import load, validate
from helpers.casualties import event_totals, reconcile
from helpers.clean import normalize_actor, parse_count
from helpers.export import acled_events, neutralise, ucdp_deaths


def published_figures(data_dir) -> dict:
    """Every figure the collection publishes from the data: reconciled casualties, export columns, verdict counts.

    Call on a package that validate() found valid (it is not validated again here).
    """
    t = load(data_dir, check=False)
    acled, _ = acled_events(t)
    return {
        "reconciled": reconcile(t.casualties, t.sources).drop(columns=["reason"]).to_csv(index=False),
        "killed": event_totals(t.casualties, sources=t.sources).to_csv(index=False),
        "acled_fatalities": acled[["event_id_cnty", "fatalities", "latitude", "longitude"]].to_csv(index=False),
        "ucdp": ucdp_deaths(t)[["relid", "best", "low", "high"]].to_csv(index=False),
        "verdicts": t.seed_claims["verdict"].value_counts().sort_index().to_dict(),
        "in_seed": int(t.events["in_seed"].sum()),
        "rows": t.counts().to_dict(),
    }


def test_spreadsheet_booleans_read_as_the_schema_says(data_copy, tables):
    """in_seed written FALSE / TRUE (as spreadsheets save it) keeps its meaning: no row flips to true."""
    before = int(tables.events["in_seed"].sum())
    rows = read_rows(data_copy.path("events"))
    col = rows[0].index("in_seed")
    for row in rows[1:]:
        row[col] = row[col].upper()
    write_rows(data_copy.path("events"), rows)
    assert validate(data_copy.root) == []
    assert int(load(data_copy.root).events["in_seed"].sum()) == before


def test_a_boolean_outside_the_schema_values_is_reported(data_copy):
    """A cell such as 'yes' in a boolean column is reported at its line and column."""
    line = data_copy.set("events", 3, "in_seed", "yes")
    assert_reported(validate(data_copy.root), "events.csv", line, "in_seed", "true or false")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("Kata'ib Hezbollah / PMU fighters (all five sites) ", "white space"),
        ("Kata'ib Hezbollah / PMU fighters  (all five sites)", "doubled space"),
        ("Kata'ib Hezbollah / PMU fighters\u00a0(all five sites)", "non-breaking"),
        ("Kata\u2019ib Hezbollah / PMU fighters (all five sites)", "apostrophe"),
        ("Kata'ib Hezbollah / PMU fighters (all five sites)\u200f", "format character"),
        ("Kata'ib Hezbollah / PMU fighters (all five sites) Cafe\u0301", "NFC"),
    ],
)
def test_invisible_differences_in_a_group_are_reported(data_copy, value, fragment):
    """One trailing space (and its kin) in a casualty group is a reported problem, not a second group."""
    row = data_copy.find("casualties", "claim_id", "cas_035")
    line = data_copy.set("casualties", row, "group", value)
    assert_reported(validate(data_copy.root), "casualties.csv", line, "group", fragment)


def test_the_29_december_toll_survives_a_trailing_space(data_copy):
    """Even if loaded unchecked, a trailing space does not split the strike's dead into two groups."""
    row = data_copy.find("casualties", "claim_id", "cas_035")
    data_copy.set("casualties", row, "group", data_copy.get("casualties", row, "group") + " ")
    strike = event_totals(load(data_copy.root, check=False).casualties).set_index("event_id").loc["strike_iraq_1"]
    assert (strike["low"], strike["best"], strike["high"]) == (4, 25, 55)


def test_a_row_copied_under_a_new_id_is_reported(data_copy):
    """A copy of the k1_rocket_attack row saved as a new event_id is a reported duplicate."""
    row = data_copy.find("events", "event_id", "k1_rocket_attack")
    line = data_copy.append("events", row)
    data_copy.set("events", line - 2, "event_id", "k1_rocket_attack_copy")
    assert_reported(validate(data_copy.root), "events.csv", line, "event_id", f"repeats line {row + 2}")


def test_swapped_coordinates_outside_the_region_are_reported(data_copy):
    """Washington with lat and lon swapped (Antarctica) is caught against the world map."""
    row = data_copy.find("sites", "site_id", "washington")
    lat, lon = data_copy.get("sites", row, "lat"), data_copy.get("sites", row, "lon")
    data_copy.set("sites", row, "lat", lon)
    line = data_copy.set("sites", row, "lon", lat)
    assert_reported(validate(data_copy.root), "sites.csv", line, "lat", "outside USA")


def test_a_sea_area_on_land_is_reported(data_copy):
    """A sea_area whose point lies in a country is reported."""
    row = data_copy.find("sites", "site_id", "strait_of_hormuz")
    line = data_copy.set("sites", row, "lat", "33.31")
    data_copy.set("sites", row, "lon", "44.37")
    assert_reported(validate(data_copy.root), "sites.csv", line, "lat", "on land")


def test_a_check_that_cannot_be_made_is_reported(data_copy):
    """With the world base map missing, the site check says so instead of passing silently."""
    (data_copy.root / "geo" / "countries_world.geojson").unlink()
    assert_reported(validate(data_copy.root), "sites.csv", 1, "lat", "base map missing")


def test_a_bad_date_says_which_form_is_expected(data_copy):
    """A date written 10/05/2019 is reported with the expected form YYYY-MM-DD."""
    line = data_copy.set("events", 1, "date", "10/05/2019")
    assert_reported(validate(data_copy.root), "events.csv", line, "date", "YYYY-MM-DD")


def test_an_unknown_reference_names_the_table_it_looked_in(data_copy):
    """A misspelt site_id is reported with the file where no such row exists."""
    row = data_copy.find("events", "site_id", "washington")
    line = data_copy.set("events", row, "site_id", "washingtn")
    assert_reported(validate(data_copy.root), "events.csv", line, "site_id", "in sites.csv")


def test_one_missing_value_gives_one_problem(data_copy):
    """An emptied required id cell is reported once for its cell, not once per check."""
    line = data_copy.set("casualties", 0, "event_id", "")
    hits = [p for p in validate(data_copy.root) if p.file == "casualties.csv" and p.line == line and p.column == "event_id"]
    assert len(hits) == 1 and "required" in hits[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-77.036667", "-77.036667"),
        (-77.036667, -77.036667),
        ("+3", "+3"),
        ('\t=HYPERLINK("http://x")', '\'\t=HYPERLINK("http://x")'),
        ("\r=1+1", "'\r=1+1"),
        ("=1+1", "'=1+1"),
        ("-05:00", "'-05:00"),
        ("@SUM(A1)", "'@SUM(A1)"),
    ],
)
def test_formula_guard_neutralises_formulas_but_never_numbers(value, expected):
    """Cells led by = + - @ TAB or CR are neutralised (OWASP), plain numbers are left alone."""
    assert neutralise(value) == expected


def test_an_exported_longitude_stays_a_number(tables):
    """Washington's negative longitude reaches events_acled.csv as a number, not as text."""
    acled, _ = acled_events(tables)
    assert pd.api.types.is_float_dtype(acled["longitude"])
    assert not acled["notes"].astype(str).str.startswith(("\t", "=")).any()


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("13 or 14", (13, 13, 14)),
        ("ten to fifteen thousand", (10_000, 10_000, 15_000)),
        ("10 to 15 thousand", (10_000, 10_000, 15_000)),
        ("fifteen thousand", (15_000, 15_000, 15_000)),
        ("1.5 million", (1_500_000, 1_500_000, 1_500_000)),
        ("tens of thousands", (10_000, 10_000, None)),
        ("hundreds of thousands of mourners", (100_000, 100_000, None)),
        ("thousands", (1_000, 1_000, None)),
        ("dozens of", (12, 12, None)),
        ("a dozen", (12, 12, 12)),
        ("two hundred", (200, 200, 200)),
        ("13 or so", (11, 13, 15)),
    ],
)
def test_count_phrases_with_alternatives_and_magnitudes(phrase, expected):
    """'n or m' and magnitude words are read exactly."""
    assert tuple(parse_count(phrase)) == expected


@pytest.mark.parametrize("phrase", ["13 or 14 or 15", "25 and 30 more", "1.5", "twenty-two hundred and six", "a few hundred"])
def test_count_phrases_that_cannot_be_read_exactly_raise(phrase):
    """A phrase with a second number or an inexact magnitude raises ValueError quoting it, never a wrong number."""
    with pytest.raises(ValueError, match="count|number"):
        parse_count(phrase)


@pytest.mark.parametrize("mark", ["\u02bc", "\u02be", "\u02bf", "\u2018", "\u2019", "\u0060", "\u00b4"])
def test_actor_names_with_any_apostrophe_like_mark(tables, mark):
    """Kata<mark>ib Hezbollah is kh whatever the transliteration mark."""
    assert normalize_actor(f"Kata{mark}ib Hezbollah", tables.actors) == "kh"


def test_actor_names_with_format_characters(tables):
    """A right-to-left mark copied from an Arabic page does not stop the match."""
    assert normalize_actor("\u200fKata'ib\u200e Hezbollah\u200f", tables.actors) == "kh"


# --- the whole kind: spreadsheet-style rewrites of the committed tables ---------------------

REWRITES = ["crlf", "bom", "bool_case", "trailing_space", "nbsp", "curly_apostrophe", "requote", "duplicate_row"]


def _rewrite(copy: DataCopy, table: str, kind: str, row: int) -> None:
    """Apply one spreadsheet-style rewrite to a table of the copy."""
    path = copy.path(table)
    rows = read_rows(path)
    row = 1 + row % (len(rows) - 1)
    text_cols = [i for i, v in enumerate(rows[row]) if v and not v.replace(".", "").replace("-", "").isdigit()]
    col = text_cols[row % len(text_cols)]
    if kind == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    elif kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    elif kind == "bool_case":
        for r in rows[1:]:
            r[:] = [v.upper() if v in ("true", "false") else v for v in r]
        write_rows(path, rows)
    elif kind == "requote":
        import csv

        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    elif kind == "duplicate_row":
        rows.append(list(rows[row]))
        rows[-1][0] = rows[-1][0] + "_copy"
        write_rows(path, rows)
    else:
        change = {"trailing_space": lambda v: v + " ", "nbsp": lambda v: v.replace(" ", "\u00a0", 1) if " " in v else v + "\u00a0x"}
        change["curly_apostrophe"] = lambda v: v.replace("'", "\u2019") if "'" in v else v + " \u2019"
        rows[row][col] = change[kind](rows[row][col])
        write_rows(path, rows)


@pytest.fixture(scope="module")
def committed_figures():
    """The published figures of the committed data."""
    from helpers import paths

    return published_figures(paths.DATA_DIR)


@pytest.fixture(scope="module")
def committed_tables():
    """The committed tables, loaded unchecked as published_figures loads a copy."""
    from helpers import paths

    return load(paths.DATA_DIR, check=False)


def same_table(root, table: str, committed) -> bool:
    """Whether one table of a copy, read and typed as load() types it, equals the committed table (same columns, dtypes and
    values). When it does and the copy's other files are the committed ones, every figure drawn from the copy is equal."""
    from helpers.load import _typed
    from helpers.raw import read_raw

    raw = read_raw(table, root, [])
    if raw is None:
        return False
    frame, ref = _typed(raw, root), getattr(committed, table)
    return frame.equals(ref) and list(frame.dtypes) == list(ref.dtypes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(["events", "casualties", "reactions", "sites", "seed_claims", "sources", "actors"]),
    kind=st.sampled_from(REWRITES),
    row=st.integers(min_value=0, max_value=500),
)
def test_any_spreadsheet_rewrite_is_reported_or_changes_no_published_figure(
    tmp_path_factory, committed_figures, committed_tables, table, kind, row
):
    """Either validate reports the rewrite with file and line, or every published figure is unchanged.

    A rewrite that leaves every loaded table equal to the committed one cannot change a figure; the
    figures are recomputed only for a rewrite that changes a table (a curly apostrophe in a quote).
    """
    from helpers import paths

    root = tmp_path_factory.mktemp("data")
    shutil.copytree(paths.DATA_DIR, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("exports"))
    copy = DataCopy(root)
    _rewrite(copy, table, kind, row)
    problems = validate(root)
    if problems:
        assert all(p.file.endswith(".csv") and p.line >= 1 for p in problems), problems
        assert any(p.file == f"{table}.csv" for p in problems)
        return
    if same_table(root, table, committed_tables):
        return  # every other table is the committed file, byte for byte
    assert published_figures(root) == committed_figures
