"""Rules the Frictionless schema cannot express, in one place.

Each rule takes the raw tables (strings, with their CSV line numbers) and
returns a list of :class:`helpers.validate.Problem`. Rules skip values that
are malformed: the schema check already reports those.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

from helpers import paths, schema
from helpers.clean import APOSTROPHES
from helpers.raw import Problem, RawTable

#: The slack allowed between a response and its cause (see check_responses_follow).
ONE_DAY = datetime.timedelta(days=1)

LIST_COLUMNS = [  # (table, column) holding ';'-separated source ids
    ("actors", "source_ids"),
    ("sites", "source_ids"),
    ("events", "source_ids"),
    ("seed_claims", "source_ids"),
    ("reactions", "other_source_ids"),
]
#: How far (km) a point may lie outside its country's polygon: the base map is
#: generalised (1:10m) and border towns such as al-Qaim sit on the line.
BORDER_TOLERANCE_KM = 5.0


def _rows(raw: RawTable):
    """Yield (csv line, row as dict) for every row of a raw table (the dicts are shared: read them, never change them)."""
    return zip(raw.lines, raw.records, strict=True)


def _date(text: str):
    """Parse an ISO date (a pandas Timestamp) or return None."""
    import pandas as pd

    try:
        return pd.Timestamp(text) if text else None
    except (ValueError, TypeError):
        return None


def _int(text: str):
    """Parse an integer or return None."""
    try:
        return int(text)
    except (ValueError, TypeError):
        return None


def check_source_id_lists(raws: dict[str, RawTable]) -> list[Problem]:
    """Every id inside a ';'-separated source_ids list must exist in sources.csv.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['sources', 'events', 'actors', 'sites', 'seed_claims', 'reactions']}
    >>> check_source_id_lists(raws)
    []
    """
    if "sources" not in raws:
        return []
    known = set(raws["sources"].frame["source_id"])
    out = []
    for table, column in LIST_COLUMNS:
        if table not in raws:
            continue
        for line, row in _rows(raws[table]):
            for sid in filter(None, (s.strip() for s in row[column].split(";"))):
                if sid not in known:
                    out.append(Problem(raws[table].file, line, column, "unknown source id in list", sid))
    return out


def check_published_dates(raws: dict[str, RawTable]) -> list[Problem]:
    """An undated source other than a reference work says why in its note.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['sources']}
    >>> check_published_dates(raws)
    []
    """
    if "sources" not in raws:
        return []
    raw = raws["sources"]
    return [
        Problem(raw.file, line, "published", "empty publication date needs a note saying the source shows none", row["kind"])
        for line, row in _rows(raw)
        if not row["published"] and row["kind"] != "reference" and "no publication date" not in row["note"]
    ]


def check_countries_present(raws: dict[str, RawTable]) -> list[Problem]:
    """Country may be empty only for a sea area (sites) or an event placed at one.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['sites', 'events']}
    >>> check_countries_present(raws)
    []
    """
    out = []
    sea = set()
    if "sites" in raws:
        raw = raws["sites"]
        for line, row in _rows(raw):
            if row["kind"] == "sea_area":
                sea.add(row["site_id"])
            elif not row["country"]:
                out.append(Problem(raw.file, line, "country", "required value is missing (only a sea_area may lack a country)"))
    if "events" in raws and "sites" in raws:
        raw = raws["events"]
        for line, row in _rows(raw):
            if not row["country"] and row["site_id"] not in sea:
                out.append(Problem(raw.file, line, "country", "required value is missing (only events at a sea_area may lack one)"))
    return out


#: Tables holding claimed counts, with their (low, best, high) columns.
RANGE_COLUMNS = {
    "casualties": ("low", "best", "high"),
    "munitions": ("low", "best", "high"),
    "tallies": ("count_low", "count_best", "count_high"),
}


def check_count_ranges(raws: dict[str, RawTable]) -> list[Problem]:
    """In every claimed count (casualties, munitions, tallies), low <= best <= high.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['casualties', 'munitions', 'tallies']}
    >>> check_count_ranges(raws)
    []
    """
    out = []
    for table, (lo, be, hi) in RANGE_COLUMNS.items():
        if table not in raws:
            continue
        raw = raws[table]
        for line, row in _rows(raw):
            low, best, high = _int(row[lo]), _int(row[be]), _int(row[hi])
            if low is not None and best is not None and low > best:
                out.append(Problem(raw.file, line, lo, f"{lo} is greater than {be} ({best})", row[lo]))
            if best is not None and high is not None and best > high:
                out.append(Problem(raw.file, line, hi, f"{hi} is less than {be} ({best})", row[hi]))
            if low is not None and high is not None and low > high:
                out.append(Problem(raw.file, line, hi, f"{hi} is less than {lo} ({low})", row[hi]))
    return out


def check_event_times(raws: dict[str, RawTable]) -> list[Problem]:
    """A clock time needs its UTC offset, and a date_end is not before the date.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['events']}
    >>> check_event_times(raws)
    []
    """
    if "events" not in raws:
        return []
    raw = raws["events"]
    out = []
    for line, row in _rows(raw):
        if row["time_local"] and not row["utc_offset"]:
            out.append(Problem(raw.file, line, "utc_offset", "time_local is given but utc_offset is empty", row["time_local"]))
        start, end = _date(row["date"]), _date(row["date_end"])
        if start is not None and end is not None and end < start:
            out.append(Problem(raw.file, line, "date_end", f"date_end is before date ({row['date']})", row["date_end"]))
    return out


def check_responses_follow(raws: dict[str, RawTable]) -> list[Problem]:
    """An event or statement cannot answer an event dated more than a day after it.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['events', 'reactions']}
    >>> check_responses_follow(raws)
    []
    """
    if "events" not in raws:
        return []
    dates = {row["event_id"]: _date(row["date"]) for _, row in _rows(raws["events"])}
    out = []
    for table, date_col in (("events", "date"), ("reactions", "date")):
        if table not in raws:
            continue
        for line, row in _rows(raws[table]):
            target, own = row["responds_to"], _date(row[date_col])
            earlier = dates.get(target)
            # One day of slack: a statement dated in Washington can precede by a calendar day an
            # event dated in Baghdad that happened hours earlier in absolute time.
            if target and own is not None and earlier is not None and earlier - own > ONE_DAY:
                out.append(Problem(raws[table].file, line, "responds_to", f"answers an event dated later ({earlier.date()})", target))
            if table == "events" and target and target == row["event_id"]:
                out.append(Problem(raws[table].file, line, "responds_to", "an event cannot answer itself", target))
    return out


def check_event_country_matches_site(raws: dict[str, RawTable]) -> list[Problem]:
    """An event's country is the country of its site.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['events', 'sites']}
    >>> check_event_country_matches_site(raws)
    []
    """
    if "events" not in raws or "sites" not in raws:
        return []
    site_country = {row["site_id"]: row["country"] for _, row in _rows(raws["sites"])}
    raw = raws["events"]
    out = []
    for line, row in _rows(raw):
        expected = site_country.get(row["site_id"])
        if expected and row["country"] != expected:
            message = f"differs from the country of site {row['site_id']} ({expected})"
            out.append(Problem(raw.file, line, "country", message, row["country"]))
    return out


def check_goldstein_values(raws: dict[str, RawTable]) -> list[Problem]:
    """A reaction's goldstein value is the GDELT table's value for its cameo_code.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['reactions', 'cameo_goldstein']}
    >>> check_goldstein_values(raws)
    []
    """
    if "reactions" not in raws or "cameo_goldstein" not in raws:
        return []
    table = {row["CAMEOEVENTCODE"]: row["GOLDSTEINSCALE"] for _, row in _rows(raws["cameo_goldstein"])}
    raw = raws["reactions"]
    out = []
    for line, row in _rows(raw):
        expected = table.get(row["cameo_code"])
        if expected is None:
            continue  # the foreign key check reports unknown codes
        try:
            same = float(row["goldstein"]) == float(expected)
        except ValueError:
            continue
        if not same:
            message = f"is not the GDELT value for CAMEO {row['cameo_code']} ({expected})"
            out.append(Problem(raw.file, line, "goldstein", message, row["goldstein"]))
    return out


def check_seed_claim_targets(raws: dict[str, RawTable]) -> list[Problem]:
    """Each seed claim's refers_to names a row that exists.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['seed_claims', 'events', 'casualties', 'reactions', 'actors', 'tallies']}
    >>> check_seed_claim_targets(raws)
    []
    """
    if "seed_claims" not in raws:
        return []
    keys = {
        "events": "event_id",
        "casualties": "claim_id",
        "reactions": "reaction_id",
        "sites": "site_id",
        "actors": "actor_id",
        "sources": "source_id",
        "munitions": "claim_id",
        "tallies": "tally_id",
    }
    raw = raws["seed_claims"]
    out = []
    for line, row in _rows(raw):
        table, _, key = row["refers_to"].partition(":")
        if table in keys and table in raws and key not in set(raws[table].frame[keys[table]]):
            out.append(Problem(raw.file, line, "refers_to", f"no row with {keys[table]} {key!r} in {table}.csv", row["refers_to"]))
    return out


#: How far (km) a site outside the region may lie outside its country on the 1:110m world map,
#: whose coastlines and borders are generalised by tens of km (Natural Earth 110m scale).
WORLD_TOLERANCE_KM = 30.0


def check_sites_in_country(raws: dict[str, RawTable], basemap: Path | None = None, world: Path | None = None) -> list[Problem]:
    """A site's point lies inside (or within a few km of) its country; a sea area lies off land.

    The regional map (Natural Earth 1:10m, tolerance ``BORDER_TOLERANCE_KM``) is used for the
    countries it holds, the world map (1:110m, tolerance ``WORLD_TOLERANCE_KM``) for the rest,
    so swapped coordinates anywhere are caught. A check that cannot be made (a base map file is
    missing, or neither map holds the country) is reported as a problem, never skipped.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['sites']}
    >>> check_sites_in_country(raws)
    []
    """
    if "sites" not in raws:
        return []
    basemap, world = Path(basemap or paths.BASEMAP), Path(world or paths.WORLD_BASEMAP)
    raw = raws["sites"]
    missing = [p for p in (basemap, world) if not p.is_file()]
    if missing:
        return [Problem(raw.file, 1, "lat", "cannot check sites against their countries: base map missing", str(p)) for p in missing]
    from helpers import geo

    out = []
    for line, row in _rows(raw):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            continue  # the schema check reports a malformed coordinate
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue  # the schema's minimum / maximum report it
        where = f"{row['lat']},{row['lon']}"
        if row["kind"] == "sea_area":
            land = geo.countries_at(lon, lat, basemap) or geo.countries_at(lon, lat, world)
            if land:
                out.append(Problem(raw.file, line, "lat", f"a sea_area lies on land, in {', '.join(land)} (lat/lon swapped?)", where))
            continue
        dist, tolerance = geo.distance_to_country_km(lon, lat, row["country"], basemap), BORDER_TOLERANCE_KM
        if dist is None:
            dist, tolerance = geo.distance_to_country_km(lon, lat, row["country"], world), WORLD_TOLERANCE_KM
        if dist is None:
            message = f"cannot check: neither base map holds country {row['country']!r} (add it to scripts/build_basemap.py)"
            out.append(Problem(raw.file, line, "country", message, row["country"]))
        elif dist > tolerance:
            message = f"point lies {dist:.0f} km outside {row['country']} (lat/lon swapped?)"
            out.append(Problem(raw.file, line, "lat", message, where))
    return out


#: Columns whose values group or join rows: a curly apostrophe there would split a group.
KEY_TEXT_COLUMNS = {
    ("casualties", "group"),
    ("casualties", "claimant"),
    ("actors", "name"),
    ("actors", "aliases"),
    ("sites", "name"),
    ("sites", "aliases"),
    ("sources", "publisher"),
    ("reactions", "speaker"),
}


def _text_problems(value: str, key_column: bool) -> list[str]:
    """Return what is invisibly wrong with one text cell (empty list when nothing)."""
    found = []
    if value.isascii() and value.isprintable() and "  " not in value and value == value.strip() and "`" not in value:
        return found  # the common case, settled at once (the grave accent is the one ASCII apostrophe-like mark)
    if value != value.strip():
        found.append("leading or trailing white space")
    if "  " in value:
        found.append("doubled space")
    if any(c in value for c in "\u00a0\u2007\u202f\u2009\u200a\u3000"):
        found.append("non-breaking or other special space")
    if any(c in value for c in "\t\r\n"):
        found.append("tab or line break inside the cell")
    if not value.isascii():  # format characters and non-NFC forms are never ASCII
        if any(unicodedata.category(c) == "Cf" for c in value):
            found.append("invisible format character (e.g. a right-to-left mark)")
        if unicodedata.normalize("NFC", value) != value:
            found.append("not in Unicode NFC form")
    if key_column and any(c in value for c in APOSTROPHES):
        found.append("curly or modifier apostrophe in a grouping column (use ')")
    return found


def check_text_hygiene(raws: dict[str, RawTable]) -> list[Problem]:
    """Text cells carry no invisible differences that would split a group or a comparison.

    Reported in every text cell of the hand-coded tables: leading or trailing white space,
    doubled spaces, non-breaking spaces, tabs or line breaks, Unicode format characters (Cf),
    non-NFC forms; and in grouping columns (``KEY_TEXT_COLUMNS``), curly or modifier apostrophes.
    Quotes, titles and summaries may keep the apostrophes of their source.

    >>> from helpers import paths, schema
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in schema.TABLES}
    >>> check_text_hygiene(raws)
    []
    """
    out = []
    for name in schema.TABLES:
        if name in raws:
            out.extend(_remembered(check_text_hygiene, raws[name], (), _hygiene_problems))
    return out


def _hygiene_problems(raw: RawTable) -> list[Problem]:
    """The text-hygiene problems of one table (see :func:`check_text_hygiene`)."""
    out = []
    for line, row in _rows(raw):
        for column, value in row.items():
            for message in _text_problems(value, (raw.name, column) in KEY_TEXT_COLUMNS):
                out.append(Problem(raw.file, line, column, message, value[:60]))
    return out


#: Results of the rules that read one table at a time, by (rule, table, SHA-256 of the file,
#: arguments): a copy of the package with one changed file re-checks that file only.
_TABLE_RESULTS: dict[tuple, list[Problem]] = {}


def _remembered(rule, raw: RawTable, args: tuple, compute) -> list[Problem]:
    """Return ``compute(raw, *args)``, remembered under the table's content for the life of the process."""
    if not raw.digest:
        return compute(raw, *args)
    key = (rule.__name__, raw.name, raw.file, raw.digest, args)
    if key not in _TABLE_RESULTS:
        if len(_TABLE_RESULTS) > 4096:
            _TABLE_RESULTS.clear()
        _TABLE_RESULTS[key] = compute(raw, *args)
    return list(_TABLE_RESULTS[key])


#: Tables whose rows may legitimately repeat but for the id: a coding table gives each statement a
#: code, and two statements can carry the same code.
DUPLICATES_ALLOWED = {"coding_check"}


def check_duplicate_rows(raws: dict[str, RawTable]) -> list[Problem]:
    """No row repeats another row of its table in every column but the id (a copy saved under a new id).

    Cells are compared after folding invisible differences (helpers.clean.fold_text).

    >>> from helpers import paths, schema
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in schema.TABLES}
    >>> check_duplicate_rows(raws)
    []
    """
    out = []
    for name in schema.TABLES:
        if name not in raws or name in DUPLICATES_ALLOWED:
            continue
        keys = tuple(schema.resource(name).get("schema", {}).get("primaryKey", []))
        out.extend(_remembered(check_duplicate_rows, raws[name], (keys,), _duplicate_problems))
    return out


def _duplicate_problems(raw: RawTable, keys: tuple[str, ...]) -> list[Problem]:
    """The rows of one table that repeat an earlier row in every column but ``keys`` (see :func:`check_duplicate_rows`)."""
    from helpers.clean import fold_text

    rest = [c for c in raw.frame.columns if c not in keys]
    if not keys or not rest:
        return []
    out = []
    first: dict[tuple, tuple[int, str]] = {}
    for line, row in _rows(raw):
        body = tuple(fold_text(row[c]) for c in rest)
        ident = ",".join(row[k] for k in keys)
        if body in first:
            other_line, other_id = first[body]
            message = f"repeats line {other_line} ({other_id}) in every column but the id"
            out.append(Problem(raw.file, line, keys[0], message, ident))
        else:
            first[body] = (line, ident)
    return out


#: Words of a trailing parenthesis that credit a wire or mark a copy, not a different outlet:
#: "World Israel News (AP)" is World Israel News; "ABC News (Australia)" is not ABC News (US).
CREDIT_WORDS = {"ap", "afp", "reuters", "xinhua", "upi", "dpa", "anadolu", "wire", "mirror", "copy", "via", "wikipedia"}


def _fold_publisher_name(name: str) -> str:
    """A publisher's name folded for comparison: case, punctuation, 'the', and a trailing credit such as '(AP)' dropped."""
    from helpers.clean import fold_text

    s = fold_text(name) or ""
    tail = re.search(r"\s*\(([^)]*)\)\s*$", s)
    if tail and set(re.findall(r"[a-z]+", tail.group(1).casefold())) & CREDIT_WORDS:
        s = s[: tail.start()]
    s = re.sub(r"[^\w\s]", " ", s.casefold())
    s = re.sub(r"\bthe\b", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def check_provenance(raws: dict[str, RawTable]) -> list[Problem]:
    """Originators exist (or are 'unknown'); copy_of points at another source of the same originator; no outlet listed twice.

    An outlet is listed twice when two publishers' names fold alike (``_fold_publisher_name``)
    or when they share a home address.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in ['sources', 'publishers']}
    >>> check_provenance(raws)
    []
    """
    if "sources" not in raws or "publishers" not in raws:
        return []
    pubs, src = raws["publishers"], raws["sources"]
    known = set(pubs.frame["publisher_id"])
    out = []
    originator = dict(zip(src.frame["source_id"], src.frame["originator_id"], strict=True))
    for line, row in _rows(src):
        if row["originator_id"] not in known and row["originator_id"] != "unknown":
            out.append(
                Problem(src.file, line, "originator_id", "no such publisher in publishers.csv (or write 'unknown')", row["originator_id"])
            )
        if row["copy_of"]:
            if row["copy_of"] == row["source_id"]:
                out.append(Problem(src.file, line, "copy_of", "a source cannot be a copy of itself", row["copy_of"]))
            elif row["copy_of"] in originator and originator[row["copy_of"]] != row["originator_id"]:
                message = f"the original has another originator ({originator[row['copy_of']]})"
                out.append(Problem(src.file, line, "copy_of", message, row["copy_of"]))
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for line, row in _rows(pubs):
        host = re.sub(r"^www\.", "", row["home_url"].split("//")[-1].split("/")[0].casefold())
        for column, key in (("name", _fold_publisher_name(row["name"])), ("home_url", host)):
            if not key:
                continue
            if (column, key) in seen:
                other_line, other_id = seen[(column, key)]
                message = f"the same outlet as line {other_line} ({other_id}): same {column.replace('_', ' ')}"
                out.append(Problem(pubs.file, line, column, message, row[column]))
            else:
                seen[(column, key)] = (line, row["publisher_id"])
    return out


RULES = (
    check_source_id_lists,
    check_published_dates,
    check_countries_present,
    check_count_ranges,
    check_event_times,
    check_responses_follow,
    check_event_country_matches_site,
    check_goldstein_values,
    check_seed_claim_targets,
    check_text_hygiene,
    check_duplicate_rows,
    check_provenance,
)


def _as_list(fields) -> list[str]:
    """A Table Schema ``fields`` entry (one name or a list of names) as a list."""
    return list(fields) if isinstance(fields, list) else [fields]


def check_foreign_keys(raws: dict[str, RawTable], data_dir: Path) -> list[Problem]:
    """Every foreign key of the schema points at an existing row: the Table Schema ``foreignKeys`` rule.

    In: the tables read as text (:func:`helpers.raw.read_raw`) and the folder whose
    ``datapackage.json`` declares the keys. Out: one Problem per row whose key is missing from
    the referenced table, at the row's CSV line and the key's column(s), saying which file and
    column were searched. As in the Table Schema specification
    (https://specs.frictionlessdata.io/table-schema/#foreign-keys), a row whose key cells are all
    empty (missing values) is not checked, and a reference with resource "" points into its own
    table. Cells are compared as text: every key of this package is a string field, which
    ``tests/test_validate.py`` checks. A table that could not be read is skipped here; its own
    problem is reported by ``read_raw``.

    Frictionless makes the same check, but opens each referenced table through its metadata
    machinery, about 0.05 s per checked table; this rule reads the tables already in memory.
    ``frictionless validate`` still checks the committed package in the tests, and a test
    compares this rule's findings with Frictionless's on broken keys.

    >>> from helpers import paths, schema
    >>> from helpers.raw import read_raw
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in schema.TABLES + schema.REFERENCE_TABLES}
    >>> check_foreign_keys(raws, paths.DATA_DIR)
    []
    """
    out: list[Problem] = []
    targets: dict[tuple[str, tuple[str, ...]], set[tuple[str, ...]]] = {}
    for name, raw in raws.items():
        res = schema.resource(name, data_dir)
        for fk in res["schema"].get("foreignKeys", []):
            own, ref = _as_list(fk["fields"]), _as_list(fk["reference"]["fields"])
            table = fk["reference"].get("resource") or name
            target = raws.get(table)
            if target is None or any(f not in target.frame.columns for f in ref):
                continue
            key = (table, tuple(ref))
            if key not in targets:
                targets[key] = set(zip(*(target.frame[f] for f in ref), strict=True))
            known = targets[key]
            file = schema.resource(table, data_dir)["path"]
            for i, values in enumerate(zip(*(raw.frame[f] for f in own), strict=True)):
                if any(values) and values not in known:
                    message = f"no row with {','.join(ref)} = this value in {file}"
                    out.append(Problem(raw.file, raw.line(i), ",".join(own), message, ",".join(values)))
    return out


def check_all(raws: dict[str, RawTable], data_dir: Path) -> list[Problem]:
    """Run every rule and return all their problems.

    >>> from helpers import paths
    >>> from helpers.raw import read_raw
    >>> from helpers import schema
    >>> raws = {n: read_raw(n, paths.DATA_DIR, []) for n in schema.TABLES + schema.REFERENCE_TABLES}
    >>> check_all(raws, paths.DATA_DIR)
    []
    """
    out: list[Problem] = check_foreign_keys(raws, data_dir)
    for rule in RULES:
        out.extend(rule(raws))
    geo_dir = Path(data_dir) / "geo"
    out.extend(check_sites_in_country(raws, geo_dir / paths.BASEMAP.name, geo_dir / paths.WORLD_BASEMAP.name))
    return out
