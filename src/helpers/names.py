"""What readers call things: events, actors, sites and sources by name instead of by id."""

from __future__ import annotations

import pandas as pd

#: How every table and figure shows a claim whose source names no claimant (claimant ``unknown``):
#: the outlet reported the figure without saying whose it was, or as its own.
NO_CLAIMANT = "no claimant named"


def event_names(t) -> pd.Series:
    """Return a reader's name for every event: 'date · type · place', e.g. '27 Dec 2019 · rocket attack · K-1 Air Base'.

    In: the tables. Out: Series indexed by event_id. An event known only to the month shows the
    month; an event without a site shows its country; events that would share a name are
    numbered in table order ("(1)", "(2)").

    >>> from helpers import load
    >>> event_names(load())["k1_rocket_attack"]
    '27 Dec 2019 · rocket attack · K-1 Air Base'
    """
    ev = t.events.set_index("event_id")
    sites = t.sites.set_index("site_id")["name"]
    when = [
        f"{d:%b %Y}" if p == "month" else f"{d:%Y}" if p == "year" else f"{d.day} {d:%b %Y}"
        for d, p in zip(ev["date"], ev["date_precision"].astype(str), strict=True)
    ]
    where = [sites.get(s, c if isinstance(c, str) else "unplaced") if isinstance(s, str) else (c if isinstance(c, str) else "unplaced")
             for s, c in zip(ev["site_id"], ev["country"], strict=True)]  # fmt: skip
    kind = ev["event_type"].astype(str).str.replace("_", " ")
    names = pd.Series([f"{w} · {k} · {p}" for w, k, p in zip(when, kind, where, strict=True)], index=ev.index, name="event")
    repeated = names.duplicated(keep=False)
    numbers = names[repeated].groupby(names[repeated]).cumcount() + 1
    names[repeated] = names[repeated] + " (" + numbers.astype(str) + ")"  # five strikes on one day at one site stay apart
    return names


def actor_names(t) -> pd.Series:
    """Return each actor's name by actor_id ('unknown' reads ``NO_CLAIMANT``, "no claimant named").

    >>> from helpers import load
    >>> actor_names(load())["us_dod"]
    'US Department of Defense'
    """
    names = t.actors.set_index("actor_id")["name"].astype(str).copy()
    if "unknown" in names.index:
        names["unknown"] = NO_CLAIMANT
    return names


def with_names(
    frame: pd.DataFrame, t, *, events: str | None = None, actors: tuple[str, ...] = (), source: str | None = None
) -> pd.DataFrame:
    """Return a copy of frame with reader names beside its ids: event, <col>_name per actor column, outlet, title, url.

    In: a frame with the named id columns. Ids not in the tables are kept as they are.

    >>> from helpers import load
    >>> t = load()
    >>> list(with_names(t.casualties.head(1), t, events="event_id", actors=("claimant",), source="source_id").columns)[-5:]
    ['event', 'claimant_name', 'outlet', 'title', 'url']
    """
    out = frame.copy()
    if events:
        out["event"] = out[events].map(event_names(t)).fillna(out[events])
    names = actor_names(t)
    for col in actors:
        out[f"{col}_name"] = out[col].map(names).fillna(out[col])
    if source:
        src = t.sources.set_index("source_id")
        out["outlet"] = out[source].map(src["publisher"])
        out["title"] = out[source].map(src["title"])
        out["url"] = out[source].map(src["url"])
    return out


def country_name(code) -> str:
    """Return a reader's name for an ISO alpha-3 code ('Iran', not 'Iran, Islamic Republic of'); missing: 'international or unknown'.

    >>> country_name("IRN"), country_name("GBR"), country_name(None)
    ('Iran', 'United Kingdom', 'international or unknown')
    """
    import pycountry

    if not isinstance(code, str):
        return "international or unknown"
    found = pycountry.countries.get(alpha_3=code)
    if found is None:
        raise ValueError(f"not an ISO 3166-1 alpha-3 code: {code!r}")
    return getattr(found, "common_name", found.name)


#: How a reader calls a row of each table that a "table:id" reference can name.
ROW_KINDS = {
    "events": "event",
    "actors": "actor",
    "sites": "place",
    "casualties": "casualty claim",
    "munitions": "weapons count",
    "reactions": "statement",
    "sources": "source",
    "tallies": "running count",
}


def row_names(refs, t) -> list[str]:
    """Return a reader's name for each "table:id" reference, e.g. 'casualty claim: Iraqi security sources, Xinhua'.

    Events read as in :func:`event_names`; actors, sites and sources by name (a source by its outlet
    and title); claims, counts and statements by who made them and the outlet that carried them.
    A reference to an unknown table or id raises KeyError naming it.

    >>> from helpers import load
    >>> row_names(["events:k1_rocket_attack", "actors:us_dod"], load())
    ['event: 27 Dec 2019 · rocket attack · K-1 Air Base', 'actor: US Department of Defense']
    """
    actors = actor_names(t)
    outlets = t.sources.set_index("source_id")["publisher"].astype(str)
    lookups = {
        "events": event_names(t),
        "actors": actors,
        "sites": t.sites.set_index("site_id")["name"].astype(str),
        "sources": outlets + ": " + t.sources.set_index("source_id")["title"].astype(str),
    }
    for table, who in (("casualties", "claimant"), ("munitions", "claimant"), ("reactions", "speaker"), ("tallies", "claimant")):
        frame = getattr(t, table, None)
        if frame is None or who not in frame.columns:
            continue
        key = frame.columns[0]
        speaker = frame[who].astype(str).map(actors).fillna(frame[who].astype(str)) if who != "speaker" else frame[who].astype(str)
        lookups[table] = pd.Series(
            (speaker + ", " + frame["source_id"].map(outlets).fillna(frame["source_id"]).astype(str)).to_numpy(), index=frame[key]
        )
    out = []
    for ref in refs:
        table, _, row_id = str(ref).partition(":")
        if table not in lookups or row_id not in lookups[table].index:
            raise KeyError(f"row_names: no row {row_id!r} in table {table!r} (reference {ref!r})")
        out.append(f"{ROW_KINDS.get(table, table)}: {lookups[table][row_id]}")
    return out
