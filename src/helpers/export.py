"""Exports for other tools: GeoJSON, an ACLED-shaped CSV, UCDP-style deaths and an Excel workbook.

Every file is written deterministically (fixed column order, sorted rows, no timestamps), so a
re-export of unchanged data changes no byte. Text cells that a spreadsheet could read as a
formula (starting with = + - @) are neutralised with a leading apostrophe in the CSV and Excel
files; GeoJSON keeps values as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pycountry

from helpers import load, paths, schema
from helpers.casualties import latest_claims, reconcile

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
UCDP_COLUMNS = [
    "event_id", "date_start", "date_end", "date_prec", "country", "where_coordinates", "latitude", "longitude",
    "where_prec", "side_a", "side_b", "deaths_low", "best", "deaths_high", "number_of_sources", "source_ids",
]  # fmt: skip
FORMULA_START = ("=", "+", "-", "@")
ACLED_REGION = {"IRQ": "Middle East", "SYR": "Middle East", "IRN": "Middle East", "SAU": "Middle East", "USA": "North America"}
#: Fixed timestamp written into the Excel file's metadata and zip entries (the data version's date).
WORKBOOK_TIME = datetime(2026, 11, 26)


def neutralise(value):
    """Prefix text that a spreadsheet would read as a formula with an apostrophe; leave other values alone.

    >>> neutralise("=1+1"), neutralise("-05:00"), neutralise(-3), neutralise("plain")
    ("'=1+1", "'-05:00", -3, 'plain')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text(value) -> str:
    """Render a cell for CSV: empty for missing, ISO for dates, plain for the rest."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as UTF-8 CSV with LF line ends, neutralising formula-like text.

    >>> import pandas as pd, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> write_csv(pd.DataFrame({"a": ["=1+1"]}), out)
    >>> out.read_text().splitlines()
    ['a', "'=1+1"]
    """
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow([neutralise(_text(v)) for v in row])


def events_geojson(t) -> dict:
    """Return the events as an RFC 7946 FeatureCollection: WGS84 lon/lat points, every event column as a property.

    An event without a site has a null geometry. The site's name, coordinates and geo_precision
    are added as ``site_name``, ``site_geo_precision``.

    >>> from helpers import load
    >>> events_geojson(load())["type"]
    'FeatureCollection'
    """
    sites = t.sites.set_index("site_id")
    features = []
    for row in t.events.itertuples(index=False):
        props = {col: _plain_value(getattr(row, col)) for col in t.events.columns}
        geometry = None
        if isinstance(row.site_id, str):
            s = sites.loc[row.site_id]
            geometry = {"type": "Point", "coordinates": [round(float(s["lon"]), 6), round(float(s["lat"]), 6)]}
            props["site_name"] = str(s["name"])
            props["site_geo_precision"] = int(s["geo_precision"])
        else:
            props["site_name"] = None
            props["site_geo_precision"] = None
        features.append({"type": "Feature", "id": row.event_id, "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _plain_value(value):
    """Convert a pandas cell to a plain Python value for JSON or Excel (ISO date text, None for missing)."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def conservative_fatalities(casualties: pd.DataFrame) -> pd.Series:
    """Return killed per event by ACLED's rule of the most conservative credible figure.

    Per group: the lowest best reading among the claimants' latest claims (scope total); then
    summed over the event's groups. Events without claims are absent (unknown, not zero).

    >>> from helpers import load
    >>> int(conservative_fatalities(load().casualties)["k1_rocket_attack"])
    3
    """
    killed = casualties[(casualties["outcome"] == "killed") & (casualties["scope"] == "total")]
    latest = latest_claims(killed)
    per_group = latest.groupby(["event_id", "group"], observed=True)["best"].min()
    return per_group.groupby(level="event_id").sum().astype("int64")


def _inter(actor_id, country, actor_map, actors) -> int | None:
    """ACLED inter code of an actor in an event in `country` (None when the actor is not mapped)."""
    if not isinstance(actor_id, str) or actor_id not in actor_map.index:
        return None
    home = actors.at[actor_id, "country"]
    same = isinstance(home, str) and home == country
    return int(actor_map.at[actor_id, "inter_home" if same or not isinstance(home, str) else "inter_abroad"])


def acled_events(t) -> tuple[pd.DataFrame, pd.Series]:
    """Return (the events ACLED would code, in ACLED's column layout; counts of events left out by type).

    Columns we cannot fill (admin2, admin3, source_scale, tags, timestamp) stay empty.

    >>> from helpers import load
    >>> acled, left_out = acled_events(load())
    >>> list(acled.columns) == ACLED_COLUMNS
    True
    """
    emap = t.acled_event_map.set_index("event_type")
    amap = t.acled_actor_map.set_index("actor_id")
    actors = t.actors.set_index("actor_id")
    sites = t.sites.set_index("site_id")
    pubs = t.sources.set_index("source_id")["publisher"]
    fat = conservative_fatalities(t.casualties)
    coded_types = set(emap.index[emap["coded"]])
    ev = t.events[t.events["event_type"].astype(str).isin(coded_types)].sort_values(["date", "event_id"])
    left_out = t.events.loc[~t.events["event_type"].astype(str).isin(coded_types), "event_type"].astype(str).value_counts().sort_index()
    rows = []
    for row in ev.itertuples(index=False):
        kind = str(row.event_type)
        m = emap.loc[kind]
        country = row.country if isinstance(row.country, str) else ""
        if kind in ("protest", "embassy_assault"):
            crowd = "Rioters" if kind == "embassy_assault" else "Protesters"
            actor1, inter1 = f"{crowd} ({_country_name(country)})", 5 if kind == "embassy_assault" else 6
            assoc1 = "" if row.actor_id == "protesters" else actors.at[row.actor_id, "name"]
            actor2, inter2 = (
                ("", None)
                if kind == "protest"
                else (actors.at[row.target_actor_id, "name"], _inter(row.target_actor_id, country, amap, actors))
            )
        else:
            actor1, inter1, assoc1 = actors.at[row.actor_id, "name"], _inter(row.actor_id, country, amap, actors), ""
            target = row.target_actor_id if isinstance(row.target_actor_id, str) else None
            actor2 = actors.at[target, "name"] if target else ""
            inter2 = _inter(target, country, amap, actors) if target else None
        codes = sorted(c for c in (inter1, inter2) if c is not None)
        interaction = "" if not codes else (f"{codes[0]}0" if len(codes) == 1 else f"{codes[0]}{codes[1]}")
        site = sites.loc[row.site_id] if isinstance(row.site_id, str) else None
        span = (row.date_end - row.date).days if pd.notna(row.date_end) else 0
        time_precision = 3 if row.date_precision != "day" else (2 if span > 0 else 1)
        ids = row.source_ids.split(";")
        rows.append(
            {
                "event_id_cnty": row.event_id,
                "event_date": row.date.strftime("%Y-%m-%d"),
                "year": row.date.year,
                "time_precision": time_precision,
                "disorder_type": m["disorder_type"],
                "event_type": m["acled_event_type"],
                "sub_event_type": m["acled_sub_event_type"],
                "actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter1,
                "actor2": actor2, "assoc_actor_2": "", "inter2": inter2,
                "interaction": interaction,
                "civilian_targeting": "",  # no event in the data deliberately targets civilians
                "iso": int(pycountry.countries.get(alpha_3=country).numeric) if country else None,
                "region": ACLED_REGION.get(country, ""),
                "country": _country_name(country),
                "admin1": "" if site is None or pd.isna(site["admin1"]) else site["admin1"],
                "admin2": "", "admin3": "",
                "location": "" if site is None else site["name"],
                "latitude": None if site is None else float(site["lat"]),
                "longitude": None if site is None else float(site["lon"]),
                "geo_precision": None if site is None else int(site["geo_precision"]),
                "source": "; ".join(dict.fromkeys(str(pubs[i]) for i in ids)),
                "source_scale": "",
                "notes": row.summary + (f" [{row.attribution_note}]" if isinstance(row.attribution_note, str) else ""),
                "fatalities": fat.get(row.event_id),
                "tags": "", "timestamp": "",
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=ACLED_COLUMNS), left_out


def _country_name(alpha3: str) -> str:
    """ACLED-style country name from an ISO alpha-3 code."""
    if not alpha3:
        return ""
    names = {"IRN": "Iran", "SYR": "Syria", "USA": "United States"}
    return names.get(alpha3, pycountry.countries.get(alpha_3=alpha3).name)


def ucdp_deaths(t) -> pd.DataFrame:
    """Return deaths per event of organised violence as UCDP-style low / best / high with where_prec and date_prec.

    Deaths are the reconciled figures of notebook 03 (helpers.casualties.reconcile) summed over
    groups; where_prec maps geo_precision 1 → 1, 2 → 2, 3 → 4 for a province, 7 for a sea area,
    5 otherwise, and 5 for an event placed only vaguely (no site); date_prec is 1 for a day, 2 for
    a span of up to six days, 4 for a month and 5 for a year.

    >>> from helpers import load
    >>> ucdp = ucdp_deaths(load())
    >>> bool(ucdp["where_prec"].between(1, 7).all())
    True
    """
    emap = t.acled_event_map.set_index("event_type")
    violent = set(emap.index[emap["disorder_type"].astype("string").fillna("").str.startswith("Political violence")])
    ev = t.events[t.events["event_type"].astype(str).isin(violent)].sort_values(["date", "event_id"])
    rec = reconcile(t.casualties)
    killed = rec[rec["outcome"] == "killed"].groupby("event_id")[["low", "best", "high"]].sum()
    n_sources = t.casualties[t.casualties["outcome"] == "killed"].groupby("event_id")["source_id"].nunique()
    sites = t.sites.set_index("site_id")
    actors = t.actors.set_index("actor_id")
    rows = []
    for row in ev.itertuples(index=False):
        site = sites.loc[row.site_id] if isinstance(row.site_id, str) else None
        if site is None:
            where_prec = 5
        else:
            p = int(site["geo_precision"])
            where_prec = {1: 1, 2: 2}.get(p, 7 if site["kind"] == "sea_area" else 4 if site["kind"] == "province" else 5)
        span = (row.date_end - row.date).days if pd.notna(row.date_end) else 0
        date_prec = {"month": 4, "year": 5}.get(row.date_precision, 2 if 0 < span <= 6 else 1)
        end = row.date_end if pd.notna(row.date_end) else row.date
        has = row.event_id in killed.index
        rows.append(
            {
                "event_id": row.event_id, "date_start": row.date.strftime("%Y-%m-%d"), "date_end": end.strftime("%Y-%m-%d"),
                "date_prec": date_prec, "country": _country_name(row.country if isinstance(row.country, str) else ""),
                "where_coordinates": "" if site is None else site["name"],
                "latitude": None if site is None else float(site["lat"]), "longitude": None if site is None else float(site["lon"]),
                "where_prec": where_prec, "side_a": actors.at[row.actor_id, "name"],
                "side_b": actors.at[row.target_actor_id, "name"] if isinstance(row.target_actor_id, str) else "",
                "deaths_low": int(killed.at[row.event_id, "low"]) if has else None,
                "best": int(killed.at[row.event_id, "best"]) if has else None,
                "deaths_high": int(killed.at[row.event_id, "high"]) if has else None,
                "number_of_sources": int(n_sources.get(row.event_id, 0)), "source_ids": row.source_ids,
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=UCDP_COLUMNS)


def write_workbook(t, path: Path) -> None:
    """Write every table to one Excel workbook, the data dictionary first; byte-stable for unchanged data.

    >>> import tempfile, pathlib
    >>> from helpers import load
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> write_workbook(load(), out)  # doctest: +SKIP
    >>> out.stat().st_size > 10_000  # doctest: +SKIP
    True
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sheets = [("data_dictionary", schema.codebook())] + [(name, getattr(t, name)) for name in schema.TABLES]
    for name, frame in sheets:
        ws = wb.create_sheet(title=name)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append([neutralise(_plain_value(v)) for v in row])
        ws.freeze_panes = "A2"
    wb.properties.created = WORKBOOK_TIME
    wb.properties.modified = WORKBOOK_TIME
    wb.properties.creator = "helpers.export"
    buffer = io.BytesIO()
    wb.save(buffer)
    _write_stable_zip(buffer.getvalue(), path)


def _write_stable_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip (xlsx) with fixed entry times and order, so identical content gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=WORKBOOK_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            content = src.read(name)
            if name == "docProps/core.xml":  # openpyxl stamps the time of saving here
                stamp = WORKBOOK_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms)", rb"\g<1>" + stamp + rb"\g<2>", content)
            out.writestr(info, content)


def export_all(out_dir: Path | None = None, t=None) -> dict[str, Path]:
    """Write every export to out_dir (default data/exports/) and return their paths by name.

    >>> import tempfile
    >>> sorted(export_all(tempfile.mkdtemp()))  # doctest: +SKIP
    ['acled', 'acled_left_out', 'geojson', 'ucdp', 'xlsx']
    """
    t = t or load()
    out = Path(out_dir or paths.EXPORTS_DIR)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    geo = out / "events.geojson"
    geo.write_text(json.dumps(events_geojson(t), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    written["geojson"] = geo
    acled, left_out = acled_events(t)
    write_csv(acled, out / "events_acled.csv")
    written["acled"] = out / "events_acled.csv"
    note = out / "events_acled_left_out.csv"
    write_csv(left_out.rename_axis("event_type").rename("events").reset_index(), note)
    written["acled_left_out"] = note
    write_csv(ucdp_deaths(t), out / "casualties_ucdp.csv")
    written["ucdp"] = out / "casualties_ucdp.csv"
    write_workbook(t, out / "k1_escalation_dataset.xlsx")
    written["xlsx"] = out / "k1_escalation_dataset.xlsx"
    return written
