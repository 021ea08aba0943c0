"""The campaign of attacks on sites hosting US forces: itemised attacks against the published tallies, and their tempo."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from helpers import style
from helpers.columns import require_columns
from helpers.names import NO_CLAIMANT
from helpers.timeline import SEED_DATE

#: Event types that tallies of "attacks" on US forces and sites count.
ATTACK_TYPES = ("rocket_attack",)
#: Rows that stand for more than one attack, with the least number their sources describe:
#: the Green Zone row of November 2019 holds the "at least two occasions" AP reported without days
#: (source voa_ap_20191209).
AGGREGATE_ROWS = {"rockets_green_zone_nov": 2}
#: Where the cumulative count of the campaign starts: AFP and others count "since late October".
CAMPAIGN_START = pd.Timestamp("2019-10-21")


def itemised(events: pd.DataFrame, start, end) -> tuple[pd.DataFrame, int]:
    """Return the attacks the data itemises dated in [start, end], and the least number of attacks they stand for.

    In: events (event_id, date, date_precision, event_type, site_id, summary). A row known only to
    the month counts when its month starts inside the window. Out: (rows oldest first, attacks),
    where attacks adds the extra attacks of ``AGGREGATE_ROWS``.

    >>> from helpers import load
    >>> rows, attacks = itemised(load().events, "2019-10-21", "2020-03-11")
    >>> attacks >= len(rows)
    True
    """
    require_columns(events, ["event_id", "date", "event_type"], "itemised")
    mask = events["event_type"].astype(str).isin(ATTACK_TYPES)
    if start is not None and not pd.isna(start):
        mask &= events["date"] >= pd.Timestamp(start)
    mask &= events["date"] <= pd.Timestamp(end)
    rows = events[mask].sort_values(["date", "event_id"]).reset_index(drop=True)
    attacks = len(rows) + sum(AGGREGATE_ROWS.get(e, 1) - 1 for e in rows["event_id"])
    return rows, attacks


def tally_check(t) -> pd.DataFrame:
    """Line each published tally up against the attacks the data itemises in the same window.

    Out: one row per tally (oldest window end first) with tally_id, official (True when a
    government or military body counted), claimant (its name, or the outlet for an outlet's own
    count), as_reported,
    window_start, window_end, tally (best), tally_low, rows (itemised rows in the window),
    attacks (least number of attacks they stand for), gap (tally best − attacks; positive =
    the data itemises fewer than the tally), and reading (one line). A tally without a window
    start cannot be lined up: rows, attacks and gap are empty and the reading says so.

    >>> from helpers import load
    >>> "gap" in tally_check(load()).columns
    True
    """
    names = t.actors.set_index("actor_id")["name"]
    outlets = t.sources.set_index("source_id")["publisher"]
    out = []
    for row in t.tallies.sort_values(["window_end", "tally_id"]).itertuples():
        who = (
            f"{NO_CLAIMANT} · {outlets.get(row.source_id, row.source_id)}"
            if row.claimant == "unknown"
            else names.get(row.claimant, row.claimant)
        )
        rec = {
            "tally_id": row.tally_id,
            "official": row.claimant != "unknown",
            "claimant": who,
            "as_reported": row.as_reported,
            "window_start": row.window_start,
            "window_end": row.window_end,
            "tally": int(row.count_best),
            "tally_low": int(row.count_low),
        }
        if pd.isna(row.window_start):
            rec.update(rows=pd.NA, attacks=pd.NA, gap=pd.NA, reading="no start date: cannot be lined up with the data")
        else:
            rows, attacks = itemised(t.events, row.window_start, row.window_end)
            gap = int(row.count_best) - attacks
            if attacks >= int(row.count_low):
                reading = "the data itemises at least as many"
            else:
                reading = f"the data itemises {int(row.count_low) - attacks} fewer than the tally's lowest reading"
            rec.update(rows=len(rows), attacks=attacks, gap=gap, reading=reading)
        out.append(rec)
    frame = pd.DataFrame(out)
    return frame.astype({"rows": "Int64", "attacks": "Int64", "gap": "Int64"})


def cumulative_attacks(events: pd.DataFrame, start=CAMPAIGN_START, end="2020-03-31") -> pd.Series:
    """Return the running number of itemised attacks from start, one value per day (attacks, not rows).

    >>> from helpers import load
    >>> int(cumulative_attacks(load().events).iloc[-1]) >= 24
    True
    """
    rows, _ = itemised(events, start, end)
    per_day = rows.groupby("date")["event_id"].apply(lambda ids: sum(AGGREGATE_ROWS.get(e, 1) for e in ids))
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
    return per_day.reindex(days, fill_value=0).cumsum().rename("attacks")


def plot_tallies(t, start=CAMPAIGN_START, end="2020-03-31") -> tuple[plt.Figure, pd.DataFrame]:
    """Draw the running count of itemised attacks with every tally that counts from October 2019, up to the line's start, marked on it.

    A tally is a point at its window's end (its best reading, with a bar from low to high); it is
    on the same footing as the line only when it counts from the line's start or earlier in
    October (no attack is itemised between 1 October and ``start``; a test checks it), so tallies
    whose windows start after ``start`` (the "past two months" counts, the seed's among them)
    are left to the table: the line would credit them with attacks before their window.
    Returns the figure and the tallies drawn.

    >>> from helpers import load
    >>> fig, drawn = plot_tallies(load())  # doctest: +SKIP
    """
    line = cumulative_attacks(t.events, start, end)
    check = tally_check(t)
    ws = pd.to_datetime(check["window_start"])
    drawn = check[(ws >= pd.Timestamp("2019-10-01")) & (ws <= pd.Timestamp(start))].copy()
    fig, ax = plt.subplots(figsize=(11, 4.8))
    ax.step(
        line.index, line.to_numpy(), where="post", color="#333333", lw=1.6, label="attacks itemised in this dataset (since 21 Oct 2019)"
    )
    for row in drawn.itertuples():
        colour = style.OKABE_ITO["vermillion"] if row.official else style.OKABE_ITO["blue"]
        x, low = pd.Timestamp(row.window_end), row.tally - row.tally_low
        ax.errorbar([x], [row.tally], yerr=[[low], [0]], fmt="o", color=colour, ms=6, capsize=2, alpha=0.85)
    ax.plot([], [], "o", color=style.OKABE_ITO["blue"], label="a tally by a news outlet (since October)")
    ax.plot([], [], "o", color=style.OKABE_ITO["vermillion"], label="a tally by an official (since October)")
    ax.axvline(SEED_DATE, color="#222222", ls="--", lw=1)
    ax.text(SEED_DATE, ax.get_ylim()[1], " seed article", fontsize=8, va="top")
    locator = mdates.AutoDateLocator(minticks=5, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("Attacks since late October 2019")
    ax.set_title("Itemised attacks against the running counts published at the time")
    ax.legend(loc="lower right", fontsize=8.5)
    style.add_source_note(fig, "Source: data/events.csv (rocket attacks on sites hosting US or coalition personnel), data/tallies.csv.")
    fig.subplots_adjust(bottom=0.15)
    return fig, drawn


def attack_tempo(events: pd.DataFrame, start="2019-10-21", end="2020-03-31") -> pd.DataFrame:
    """Return itemised attacks per week (weeks starting Monday): columns attacks and rows.

    >>> from helpers import load
    >>> int(attack_tempo(load().events)["attacks"].sum()) >= 24
    True
    """
    rows, _ = itemised(events, start, end)
    week = rows["date"].dt.to_period("W-SUN").dt.start_time
    per = rows.assign(week=week, n=rows["event_id"].map(lambda e: AGGREGATE_ROWS.get(e, 1)))
    weeks = pd.DatetimeIndex(pd.Series(pd.date_range(start, end, freq="D")).dt.to_period("W-SUN").dt.start_time.unique(), name="week")
    out = pd.DataFrame({"attacks": per.groupby("week")["n"].sum(), "rows": per.groupby("week").size()}).reindex(weeks, fill_value=0)
    return out.astype("int64")


def plot_attack_tempo(
    tempo: pd.DataFrame, *, title: str = "Rocket attacks on sites hosting US or coalition personnel, per week"
) -> plt.Figure:
    """Draw attacks per week as bars (weeks starting Monday), with the seed article's date marked; returns the figure.

    >>> from helpers import load
    >>> fig = plot_attack_tempo(attack_tempo(load().events))
    >>> fig.axes[0].get_ylabel()
    'Attacks'
    """
    require_columns(tempo, ["attacks"], "plot_attack_tempo")
    fig, ax = plt.subplots(figsize=(11, 3.4))
    ax.bar(tempo.index, tempo["attacks"], width=5.6, align="edge", color=style.OKABE_ITO["grey"])
    ax.axvline(SEED_DATE, color="#222222", ls="--", lw=1)
    ax.text(SEED_DATE, tempo["attacks"].max() + 0.2, " seed article", fontsize=8, va="bottom")
    ax.set_ylim(0, tempo["attacks"].max() + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    locator = mdates.AutoDateLocator(minticks=5, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("Attacks")
    ax.set_title(title, loc="left")
    style.add_source_note(fig, "Source: data/events.csv (itemised rocket attacks; the November Green Zone row counts as two).")
    fig.subplots_adjust(bottom=0.2)
    return fig
