"""The escalation-intensity index: acts and words kept apart, so that coverage cannot inflate it.

Acts are the events whose CAMEO code (via data/reference/event_type_cameo.csv) is verbal or
material conflict (GDELT quad classes 3 and 4); each scores its hostility, the negated Goldstein
value, and a period's act score is their sum per lane: events are itemised one by one, so a sum
counts acts, not reports. Words are the statements of reactions.csv; a period's word score is
the mean, over the speakers of that period, of each speaker's most hostile statement (negated
Goldstein, 0 for a cooperative one). Collecting more statements of a speaker, or the same
statement twice, cannot raise it; the number of statements behind each period is reported
beside it. The two series are never summed.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import style
from helpers.actors import LANES, actor_lane
from helpers.columns import require_columns
from helpers.timeline import SEED_DATE


def event_scores(events: pd.DataFrame, event_type_cameo: pd.DataFrame, goldstein: pd.DataFrame) -> pd.Series:
    """Return each event's Goldstein value via the event-type → CAMEO coding table (NaN if not scored).

    >>> from helpers import load
    >>> t = load()
    >>> float(event_scores(t.events, t.event_type_cameo, t.cameo_goldstein).min())
    -10.0
    """
    require_columns(events, ["event_id", "event_type"], "event_scores")
    scale = dict(zip(goldstein["CAMEOEVENTCODE"], goldstein["GOLDSTEINSCALE"], strict=True))
    codes = dict(zip(event_type_cameo["event_type"].astype(str), event_type_cameo["cameo_code"], strict=True))
    return pd.Series(
        [scale.get(codes.get(str(t))) if pd.notna(codes.get(str(t))) else np.nan for t in events["event_type"]],
        index=events.index,
        name="goldstein",
        dtype="float64",
    )


#: GDELT's quad classes by CAMEO root (GDELT Event Codebook 2.0, "QuadClass"): 1 verbal
#: cooperation (01–05), 2 material cooperation (06–09), 3 verbal conflict (10–14), 4 material
#: conflict (15–20).
QUAD_CLASS = {root: 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4 for root in range(1, 21)}

#: The CAMEO code each stance carried by default in data version 1.0.0, before statements were
#: coded by their words; kept only for the sensitivity check of notebook 06.
STANCE_DEFAULT_CODES_V1 = {
    "condemn": "111", "threaten": "138", "warn": "130", "justify": "010", "praise": "051",
    "call_for_restraint": "020", "deny": "016", "claim": "015", "mourn": "018", "demand": "100", "other": "010",
}  # fmt: skip


def quad_class(code: str) -> int:
    """Return GDELT's quad class (1–4) of a CAMEO code from its two-digit root; raises ValueError on a bad code.

    >>> quad_class("1123"), quad_class("051"), quad_class("190")
    (3, 1, 4)
    """
    try:
        return QUAD_CLASS[int(str(code)[:2])]
    except (KeyError, ValueError):
        raise ValueError(f"not a CAMEO event code: {code!r}") from None


def _periods(dates: pd.Series, freq: str) -> pd.Series:
    """The start date of each date's period ("D" day, "W" week starting Monday)."""
    if freq not in ("D", "W"):
        raise ValueError(f"freq must be 'D' (day) or 'W' (week), got {freq!r}")
    return dates.dt.to_period("D" if freq == "D" else "W-SUN").dt.start_time


def _window(frame: pd.DataFrame, start, end) -> pd.DataFrame:
    """Rows whose date lies in [start, end] (either may be None)."""
    if start is not None:
        frame = frame[frame["date"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["date"] <= pd.Timestamp(end)]
    return frame


def _all_periods(start, end, freq: str, present: pd.Index) -> pd.DatetimeIndex:
    """Every period start from start to end (or the span of the present periods)."""
    lo = pd.Timestamp(start) if start is not None else present.min()
    hi = pd.Timestamp(end) if end is not None else present.max()
    return pd.DatetimeIndex(_periods(pd.Series(pd.date_range(lo, hi, freq="D")), freq).unique(), name="period")


def acts_series(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    event_type_cameo: pd.DataFrame,
    goldstein: pd.DataFrame,
    *,
    freq: str = "D",
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Return the act score per period (rows) and lane of the acting actor (columns): sum of −Goldstein.

    In: events (event_id, date, date_precision, event_type, actor_id), actors, the event-type →
    CAMEO table and GDELT's Goldstein table. Only day-precise events whose code is in quad class
    3 or 4 count. Out: index ``period`` (every period from start to end), columns the lanes in
    house order, values ≥ 0. Raises ValueError for an unknown freq.

    >>> from helpers import load
    >>> t = load()
    >>> bool((acts_series(t.events, t.actors, t.event_type_cameo, t.cameo_goldstein) >= 0).all().all())
    True
    """
    require_columns(events, ["event_id", "date", "date_precision", "event_type", "actor_id"], "acts_series")
    codes = dict(zip(event_type_cameo["event_type"].astype(str), event_type_cameo["cameo_code"], strict=True))
    ev = _window(events[events["date_precision"] == "day"].copy(), start, end)
    ev["code"] = ev["event_type"].astype(str).map(codes)
    ev = ev[ev["code"].notna()]
    ev = ev[ev["code"].map(quad_class).isin([3, 4])]
    ev["score"] = -event_scores(ev, event_type_cameo, goldstein)
    ev["lane"] = [actor_lane(a, actors) for a in ev["actor_id"]]
    ev["period"] = _periods(ev["date"], freq)
    table = ev.pivot_table(index="period", columns="lane", values="score", aggfunc="sum", fill_value=0.0)
    table = table.reindex(_all_periods(start, end, freq, table.index), fill_value=0.0)
    return table[[lane for lane in LANES if lane in table.columns]].astype(float)


def words_series(
    reactions: pd.DataFrame,
    *,
    freq: str = "D",
    start: str | None = None,
    end: str | None = None,
    score: str = "goldstein",
) -> pd.DataFrame:
    """Return the word score per period: the mean over speakers of each speaker's most hostile statement.

    In: reactions (date, speaker, and the Goldstein column named by ``score``). A statement's
    hostility is max(0, −Goldstein). Out: index ``period`` (every period from start to end),
    columns ``score`` (0–10; NaN where no statement was collected), ``statements`` and ``speakers`` (counts
    behind it). Duplicated statements, or more statements by a speaker already counted, never
    raise a period's score.

    >>> import pandas as pd
    >>> rx = pd.DataFrame({"date": pd.to_datetime(["2020-01-01"] * 3), "speaker": ["a", "a", "b"], "goldstein": [-10.0, -2.0, -4.0]})
    >>> float(words_series(rx).loc["2020-01-01", "score"])
    7.0
    """
    require_columns(reactions, ["date", "speaker", score], "words_series")
    rx = _window(reactions, start, end).copy()
    rx["hostility"] = (-rx[score].astype(float)).clip(lower=0.0)
    rx["period"] = _periods(rx["date"], freq)
    per_speaker = rx.groupby(["period", "speaker"])["hostility"].max()
    out = pd.DataFrame(
        {
            "score": per_speaker.groupby(level="period").mean(),
            "statements": rx.groupby("period").size(),
            "speakers": per_speaker.groupby(level="period").size(),
        }
    )
    full = _all_periods(start, end, freq, out.index) if len(out) else out.index
    out = out.reindex(full).fillna({"statements": 0, "speakers": 0})
    out.index.name = "period"
    return out.astype({"score": float, "statements": "int64", "speakers": "int64"})


def goldstein_of(codes: pd.Series, goldstein: pd.DataFrame) -> pd.Series:
    """Return the Goldstein value of each CAMEO code (GDELT's table); an unknown code raises ValueError.

    >>> from helpers import load
    >>> float(goldstein_of(pd.Series(["138"]), load().cameo_goldstein).iloc[0])
    -7.0
    """
    scale = dict(zip(goldstein["CAMEOEVENTCODE"].astype(str), goldstein["GOLDSTEINSCALE"].astype(float), strict=True))
    unknown = sorted(set(codes.astype(str)) - set(scale))
    if unknown:
        raise ValueError(f"CAMEO code(s) not in GDELT's Goldstein table: {unknown}")
    return codes.astype(str).map(scale).astype(float)


def words_under_codings(reactions: pd.DataFrame, coding_check: pd.DataFrame, goldstein: pd.DataFrame, **window) -> pd.DataFrame:
    """Return the word score per period under four codings, for the sensitivity check.

    Columns: ``resolved`` (reactions.csv as published), ``stance defaults (v1.0.0)`` (each
    stance's single default code of data version 1.0.0, ``STANCE_DEFAULT_CODES_V1``),
    ``coder A`` and ``coder B`` (coding_check.csv, before resolution). Keyword arguments (freq,
    start, end) go to :func:`words_series`.

    >>> from helpers import load
    >>> t = load()
    >>> list(words_under_codings(t.reactions, t.coding_check, t.cameo_goldstein, freq="W").columns)
    ['resolved', 'stance defaults (v1.0.0)', 'coder A', 'coder B']
    """
    base = reactions[["reaction_id", "date", "speaker", "stance", "goldstein"]].copy()
    defaults = base["stance"].astype(str).map(STANCE_DEFAULT_CODES_V1)
    base["g_defaults"] = goldstein_of(defaults, goldstein).to_numpy()
    for coder, column in (("coder_a", "g_a"), ("coder_b", "g_b")):
        codes = coding_check[coding_check["coder"].astype(str) == coder].set_index("reaction_id")["cameo_code"]
        base[column] = goldstein_of(base["reaction_id"].map(codes), goldstein).to_numpy()
    out = {}
    for label, column in (("resolved", "goldstein"), ("stance defaults (v1.0.0)", "g_defaults"), ("coder A", "g_a"), ("coder B", "g_b")):
        out[label] = words_series(base, score=column, **window)["score"]
    return pd.DataFrame(out)


#: Height (word-score units, below the scale's 0) of the row of statement counts in the words panel.
COUNT_ROW_Y = -0.9


def plot_acts_and_words(acts: pd.DataFrame, words: pd.DataFrame, *, fig: plt.Figure | None = None, title: str | None = None) -> plt.Figure:
    """Draw acts (stacked bars by lane, sum of −Goldstein) above words (mean of speakers' most hostile statement).

    The word panel gives each period's number of statements in a row under zero (texts with gid
    "statement-count"), so a reader sees how much talk stands behind each point. The two panels
    share the time axis; their scales differ and are never added. Returns the figure (two axes).

    >>> from helpers import load
    >>> t = load()
    >>> a = acts_series(t.events, t.actors, t.event_type_cameo, t.cameo_goldstein, freq="W")
    >>> w = words_series(t.reactions, freq="W")
    >>> len(plot_acts_and_words(a, w).axes)
    2
    """
    require_columns(words, ["score", "statements"], "plot_acts_and_words")
    fig = fig or plt.figure(figsize=(12, 6.2))
    ax_acts, ax_words = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.2, 1], "hspace": 0.12})
    step = pd.Series(acts.index).diff().median() if len(acts) > 1 else pd.Timedelta(days=1)
    width = 0.8 * (step / pd.Timedelta(days=1))
    bottom = np.zeros(len(acts))
    for lane in acts.columns:
        ax_acts.bar(acts.index, acts[lane].to_numpy(), bottom=bottom, width=width, align="edge",
                    color=style.LANE_COLOURS[lane], label=lane, edgecolor="white", linewidth=0.3)  # fmt: skip
        bottom += acts[lane].to_numpy()
    ax_acts.set_ylabel("Acts: sum of −Goldstein")
    ax_acts.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="Acting", title_fontsize=9, alignment="left", fontsize=8.5)
    said = words["statements"] > 0
    centre = words.index + step * 0.4
    label = "mean of speakers' most hostile statement"
    ax_words.plot(centre[said], words.loc[said, "score"], "o-", color="#333333", ms=4, lw=1.2, label=label)
    # Counts sit in one row below zero, where no score can be, so they never touch the line or each other's points.
    for x, n in zip(centre[said], words.loc[said, "statements"], strict=True):
        ax_words.text(x, COUNT_ROW_Y, f"{n}", ha="center", va="center", fontsize=7, color="#555555", gid="statement-count")
    ax_words.axhline(0, color="#BBBBBB", lw=0.6, zorder=0)
    ax_words.set_ylim(COUNT_ROW_Y - 0.9, 10.5)
    ax_words.set_yticks(range(0, 11, 2))
    ax_words.set_ylabel("Words: −Goldstein (0–10)")
    ax_words.legend(
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8.5,
        title="Numbers under zero:\nstatements in the period",
        title_fontsize=8.5,
        alignment="left",
    )
    for ax in (ax_acts, ax_words):
        if acts.index.min() <= SEED_DATE <= acts.index.max():
            ax.axvline(SEED_DATE, color="#222222", ls="--", lw=1)
    ax_acts.text(SEED_DATE, ax_acts.get_ylim()[1], " seed article", fontsize=8, va="top")
    locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
    ax_words.xaxis.set_major_locator(locator)
    ax_words.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if title:
        ax_acts.set_title(title)
    return fig
