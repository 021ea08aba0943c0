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
from helpers.actors import lineage
from helpers.casualties import combine_groups, latest_claims, reconcile
from helpers.clean import fold_text

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
#: UCDP GED's columns in its own order (UCDP GED Codebook, version 19.1 and later; the same list as
#: the GED API's GedDb object). Those this collection cannot fill stay empty.
UCDP_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id", "conflict_new_id",
    "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a",
    "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office", "source_date",
    "source_headline", "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity",
    "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
]  # fmt: skip
#: UCDP GED columns that hold numbers (integers or coordinates); the rest are text.
UCDP_NUMERIC = [
    "id", "year", "type_of_violence", "conflict_new_id", "dyad_new_id", "side_a_new_id", "side_b_new_id",
    "number_of_sources", "where_prec", "latitude", "longitude", "priogrid_gid", "country_id", "event_clarity",
    "date_prec", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
]  # fmt: skip
#: Leading characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection":
#: =, +, -, @, tab and carriage return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
ACLED_REGION = {"IRQ": "Middle East", "SYR": "Middle East", "IRN": "Middle East", "SAU": "Middle East", "USA": "North America"}
#: Fixed timestamp written into the Excel file's metadata and zip entries (the data version's date).
WORKBOOK_TIME = datetime(2026, 11, 30)


def neutralise(value):
    """Prefix text that a spreadsheet would read as a formula with an apostrophe; leave numbers and other values alone.

    A cell is neutralised when it is text starting with one of ``FORMULA_START`` and is not a
    plain number: "-77.036667" stays a number, "-05:00" and "\t=HYPERLINK(...)" are prefixed.

    >>> neutralise("=1+1"), neutralise("-05:00"), neutralise(-3), neutralise("-77.036667"), neutralise("plain")
    ("'=1+1", "'-05:00", -3, '-77.036667', 'plain')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
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
    with paths.atomic_write(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow([_text(neutralise(v)) for v in row])


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


def conservative_fatalities(casualties: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.Series:
    """Return killed per event (persons) by ACLED's rule of the most conservative credible figure.

    Per group: the lowest best reading among the claimants' latest claims (scope total); then
    added over the event's groups with :func:`helpers.casualties.combine_groups`, so a combined
    count is never added to its parts. Events without claims are absent here; the ACLED export
    writes 0 for them, as ACLED's codebook does where no fatality is reported.

    >>> from helpers import load
    >>> int(conservative_fatalities(load().casualties)["k1_rocket_attack"])
    1
    """
    killed = casualties[(casualties["outcome"] == "killed") & (casualties["scope"] == "total")]
    latest = latest_claims(killed, sources).assign(group_key=lambda f: f["group"].map(fold_text).str.casefold())
    per_group = latest.groupby(["event_id", "group_key"], observed=True).agg(actor_id=("actor_id", "first"), best=("best", "min"))
    totals = combine_groups(per_group.reset_index(), ["best"])
    return totals.set_index("event_id")["best"].astype("int64")


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
    fat = conservative_fatalities(t.casualties, t.sources)
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
                "fatalities": int(fat.get(row.event_id, 0)),
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


#: Actor kinds counted as state actors for UCDP's type_of_violence 1 (state-based conflict).
STATE_ACTOR_KINDS = {"state", "government_body", "armed_forces"}


def _death_side(group_actor: str, side_a, side_b, actors: pd.DataFrame) -> str:
    """Which UCDP deaths column a reconciled group falls in: deaths_civilians, deaths_a, deaths_b or deaths_unknown."""
    from helpers.casualties import COMBINED_GROUPS

    parents = actors["parent_id"]
    if group_actor in COMBINED_GROUPS or group_actor not in actors.index:
        return "deaths_unknown"
    if actors.at[group_actor, "kind"] == "civilian_group":
        return "deaths_civilians"
    mine = lineage(group_actor, parents)
    for side, column in ((side_a, "deaths_a"), (side_b, "deaths_b")):
        if isinstance(side, str) and side != "unknown" and mine & lineage(side, parents):
            return column
    return "deaths_unknown"


def ucdp_deaths(t) -> pd.DataFrame:
    """Return the events of organised violence in UCDP GED's layout: deaths as low / best / high (persons).

    One row per event whose type ACLED codes as political violence, columns ``UCDP_COLUMNS`` in
    GED's order. Filled as the GED codebook defines them: ``relid`` our event_id; ``best``,
    ``low``, ``high`` the reconciled killed of :func:`helpers.casualties.event_totals` (empty
    where no claim exists); ``deaths_a`` / ``deaths_b`` / ``deaths_civilians`` /
    ``deaths_unknown`` split best by whom the dead belonged to (side A is the acting actor, side B
    the target; civilian groups go to civilians, combined counts to unknown), adding up to best;
    ``type_of_violence`` 1 (state-based) when one side is a state actor and the other a known
    actor, else empty; ``event_clarity`` 1 (an individually identified event); ``where_prec``
    maps geo_precision 1 → 1, 2 → 2, 3 → 4 for a province, 7 for a sea area, 5 otherwise, and
    5 for an event placed only vaguely (no site); ``date_prec`` is 1 for a day, 2 for a span of
    up to six days, 4 for a month and 5 for a year; ``number_of_sources`` counts the event's
    cited sources; ``geom_wkt`` the point. UCDP's own ids, conflict and dyad codes, PRIO-GRID
    and Gleditsch–Ward codes stay empty.

    >>> from helpers import load
    >>> ucdp = ucdp_deaths(load())
    >>> bool(ucdp["where_prec"].between(1, 7).all())
    True
    """
    from helpers.casualties import event_totals

    emap = t.acled_event_map.set_index("event_type")
    violent = set(emap.index[emap["disorder_type"].astype("string").fillna("").str.startswith("Political violence")])
    ev = t.events[t.events["event_type"].astype(str).isin(violent)].sort_values(["date", "event_id"])
    totals = event_totals(t.casualties, "killed", t.sources).set_index("event_id")
    rec = reconcile(t.casualties, t.sources)
    killed = rec[rec["outcome"] == "killed"]
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
        side_b = row.target_actor_id if isinstance(row.target_actor_id, str) else None
        kinds = {actors.at[a, "kind"] for a in (row.actor_id, side_b) if isinstance(a, str) and a != "unknown"}
        known_sides = sum(isinstance(a, str) and a != "unknown" for a in (row.actor_id, side_b))
        deaths = dict.fromkeys(["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"], None)
        has = row.event_id in totals.index
        if has:
            deaths = dict.fromkeys(deaths, 0)
            for g in killed[killed["event_id"] == row.event_id].itertuples():
                deaths[_death_side(g.actor_id, row.actor_id, side_b, actors)] += int(g.best)
            # a combined count larger than its parts leaves the difference with unknown affiliation
            deaths["deaths_unknown"] += int(totals.at[row.event_id, "best"]) - sum(deaths.values())
        country = row.country if isinstance(row.country, str) else ""
        rows.append(
            {
                "relid": row.event_id, "year": row.date.year,
                "type_of_violence": 1 if known_sides == 2 and kinds & STATE_ACTOR_KINDS else None,
                "side_a": actors.at[row.actor_id, "name"], "side_b": actors.at[side_b, "name"] if side_b else "",
                "number_of_sources": len(row.source_ids.split(";")),
                "where_prec": where_prec,
                "where_coordinates": "" if site is None else site["name"],
                "where_description": "" if site is None else f"{site['name']} ({site['kind']}, geo_precision {int(site['geo_precision'])})",
                "adm_1": "" if site is None or pd.isna(site["admin1"]) else site["admin1"],
                "latitude": None if site is None else float(site["lat"]), "longitude": None if site is None else float(site["lon"]),
                "geom_wkt": "" if site is None else f"POINT ({float(site['lon'])} {float(site['lat'])})",
                "country": _country_name(country), "region": ACLED_REGION.get(country, ""),
                "event_clarity": 1, "date_prec": date_prec,
                "date_start": row.date.strftime("%Y-%m-%d"), "date_end": end.strftime("%Y-%m-%d"),
                **deaths,
                "best": int(totals.at[row.event_id, "best"]) if has else None,
                "high": int(totals.at[row.event_id, "high"]) if has else None,
                "low": int(totals.at[row.event_id, "low"]) if has else None,
            }
        )  # fmt: skip
    out = pd.DataFrame(rows).reindex(columns=UCDP_COLUMNS)
    for col in UCDP_NUMERIC:
        out[col] = pd.to_numeric(out[col]).astype("Float64" if col in ("latitude", "longitude") else "Int64")
    return out


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
    with paths.atomic_write(path) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as out:
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
    with paths.atomic_write(geo) as tmp:
        tmp.write_text(json.dumps(events_geojson(t), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
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
