"""Tables the notebooks show: coverage, chains of response, counts to check the seed against."""

from __future__ import annotations

import pandas as pd

from helpers.actors import actor_lane, speaker_lane
from helpers.columns import require_columns
from helpers.timeline import event_instants


def coverage_by_month(events: pd.DataFrame) -> pd.DataFrame:
    """Return the number of events per month (rows) and event type (columns), with a total column.

    Every month from the first event's to the last event's is a row, a month without events
    included (all zeros), so a gap in the record shows instead of being skipped.

    >>> from helpers import load
    >>> int(coverage_by_month(load().events).loc["2019-12", "total"]) > 10
    True
    """
    require_columns(events, ["date", "event_type"], "coverage_by_month")
    month = events["date"].dt.strftime("%Y-%m")
    table = pd.crosstab(month, events["event_type"].astype(str)).sort_index()
    every = pd.period_range(events["date"].min(), events["date"].max(), freq="M").strftime("%Y-%m")
    table = table.reindex(every, fill_value=0)
    table = table[[c for c in events["event_type"].cat.categories if c in table.columns]] if hasattr(events["event_type"], "cat") else table
    table["total"] = table.sum(axis=1)
    table.index.name = "month"
    table.columns.name = None
    return table


def citations(tables) -> list[str]:
    """Return every source id cited by any row of any table, once per citation.

    >>> from helpers import load
    >>> "seed" in citations(load())
    True
    """
    cites = []
    for frame, col in [
        (tables.events, "source_ids"),
        (tables.sites, "source_ids"),
        (tables.actors, "source_ids"),
        (tables.seed_claims, "source_ids"),
        (tables.reactions, "other_source_ids"),
    ]:
        for value in frame[col].dropna():
            cites.extend(value.split(";"))
    for frame in (tables.casualties, tables.reactions, tables.munitions, tables.tallies, tables.launch_points):
        cites.extend(frame["source_id"])
    return cites


def citation_counts(tables) -> pd.DataFrame:
    """Return, per source kind, how many sources there are and how many times rows cite them.

    >>> from helpers import load
    >>> int(citation_counts(load()).loc["news", "sources"]) > 100
    True
    """
    cites = citations(tables)
    kind = tables.sources.set_index("source_id")["kind"].astype(str)
    counted = pd.Series(cites).map(kind).value_counts()
    out = pd.DataFrame({"sources": tables.sources["kind"].astype(str).value_counts(), "citations": counted}).fillna(0).astype(int)
    out.index.name = "kind"
    return out.sort_values("citations", ascending=False)


def response_chains(events: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Return one row per responds_to link: cause, response, who acted, and the interval in hours and days.

    Intervals run between the events' UTC instants (see timeline.event_instants), so a response
    dated in Washington and a cause dated in Baghdad are compared on one clock. Only links
    between day-precise events are returned. An event without a clock time is placed at local
    noon, so a response reported the same day as its cause can fall before it: its interval is
    then left empty (NaN) and ``interval_note`` says why, rather than shown as zero. Any other
    interval that involves such an event is marked approximate in ``interval_note``.

    >>> from helpers import load
    >>> t = load()
    >>> chains = response_chains(t.events, t.actors)
    >>> bool((chains["hours"].dropna() >= 0).all())
    True
    """
    require_columns(
        events, ["event_id", "date", "date_precision", "time_local", "utc_offset", "responds_to", "actor_id"], "response_chains"
    )
    ev = events.assign(instant=event_instants(events)).set_index("event_id")
    rows = []
    for response in ev[ev["responds_to"].notna()].itertuples():
        cause = ev.loc[response.responds_to]
        if response.date_precision != "day" or cause["date_precision"] != "day":
            continue
        hours = (response.instant - cause["instant"]).total_seconds() / 3600
        unknown = hours < 0  # only placeholder noons can put an answer before its cause
        untimed = [who for who, row in (("cause", cause), ("response", response._asdict())) if pd.isna(row["time_local"])]
        rows.append(
            {
                "cause": response.responds_to,
                "cause_date": cause["date"].date(),
                "cause_by": actor_lane(cause["actor_id"], actors),
                "response": response.Index,
                "response_date": response.date.date(),
                "response_type": str(response.event_type),
                "response_by": actor_lane(response.actor_id, actors),
                "hours": float("nan") if unknown else round(hours, 1),
                "days": float("nan") if unknown else round(hours / 24, 1),
                "interval_note": _interval_note(unknown, untimed),
            }
        )
    return pd.DataFrame(rows).sort_values(["response_date", "response"]).reset_index(drop=True)


def _interval_note(unknown: bool, untimed: list[str]) -> str:
    """Why an interval is missing or approximate: the events without a clock time are placed at local noon."""
    if unknown:
        return "same day; no clock time for one of them, so the order is unknown"
    if not untimed:
        return ""
    if len(untimed) == 2:
        return "approximate: neither has a clock time (both placed at local noon)"
    return f"approximate: the {untimed[0]} has no clock time (placed at local noon)"


def attacks_in_window(events: pd.DataFrame, start: str, end: str, types: tuple[str, ...] = ("rocket_attack",)) -> pd.DataFrame:
    """Return the attacks of the given types dated in [start, end], oldest first, with their date precision.

    >>> from helpers import load
    >>> len(attacks_in_window(load().events, "2019-10-27", "2019-12-26")) > 5
    True
    """
    require_columns(events, ["event_id", "date", "date_precision", "event_type", "site_id", "summary"], "attacks_in_window")
    mask = events["event_type"].astype(str).isin(types) & (events["date"] >= pd.Timestamp(start)) & (events["date"] <= pd.Timestamp(end))
    cols = ["event_id", "date", "date_precision", "site_id", "summary"]
    return events.loc[mask, cols].sort_values(["date", "event_id"]).reset_index(drop=True)


def stance_table(reactions: pd.DataFrame, actors: pd.DataFrame, event_ids: list[str] | None = None) -> pd.DataFrame:
    """Return statements counted by lane (rows) and stance (columns), with the mean Goldstein value per lane.

    Lanes are speakers' lanes (:func:`helpers.actors.speaker_lane`): everyone else reads "Other
    governments and bodies", since every statement has a named speaker.

    >>> from helpers import load
    >>> t = load()
    >>> "praise" in stance_table(t.reactions, t.actors).columns
    True
    """
    require_columns(reactions, ["actor_id", "stance", "goldstein", "responds_to"], "stance_table")
    rx = reactions if event_ids is None else reactions[reactions["responds_to"].isin(event_ids)]
    lanes = rx["actor_id"].map(lambda a: speaker_lane(a, actors))
    table = pd.crosstab(lanes, rx["stance"].astype(str))
    table["statements"] = table.sum(axis=1)
    table["mean_goldstein"] = rx.groupby(lanes)["goldstein"].mean().round(2)
    table.index.name = "speaking for"
    table.columns.name = None
    return table.sort_values("statements", ascending=False)


def key_quotes(reactions: pd.DataFrame, sources: pd.DataFrame, reaction_ids: list[str]) -> pd.DataFrame:
    """Return the chosen statements with date, speaker, stance, quote and the outlet that reports it, in the order given.

    >>> from helpers import load
    >>> t = load()
    >>> list(key_quotes(t.reactions, t.sources, ["rx_022"]).columns)
    ['date', 'speaker', 'stance', 'quote', 'reported by']
    """
    require_columns(reactions, ["reaction_id", "date", "speaker", "stance", "quote", "source_id"], "key_quotes")
    rx = reactions.set_index("reaction_id")
    missing = [r for r in reaction_ids if r not in rx.index]
    if missing:
        raise ValueError(f"unknown reaction_id(s) {missing}")
    pubs = sources.set_index("source_id")["publisher"]
    out = rx.loc[reaction_ids, ["date", "speaker", "stance", "quote", "source_id"]].copy()
    out["date"] = out["date"].dt.date
    out["reported by"] = out["source_id"].map(pubs)
    return out.drop(columns=["source_id"])
