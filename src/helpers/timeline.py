"""Escalation timelines, the intensity index and the casualty-claims chart."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from helpers import style
from helpers.casualties import event_fatalities

EVENT_COLUMNS = ["event_id", "date", "date_precision", "date_end", "time_local", "utc_offset", "event_type", "actor_id", "responds_to"]
SEED_DATE = pd.Timestamp("2019-12-30")
SEED_LABEL = "Seed article published, 30 Dec 2019"


def _offset(text) -> pd.Timedelta:
    """Return a '+03:00' style offset as a Timedelta (zero when missing)."""
    if not isinstance(text, str) or not text:
        return pd.Timedelta(0)
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text[1:].split(":")
    return sign * pd.Timedelta(hours=int(hours), minutes=int(minutes))


def event_instants(events: pd.DataFrame) -> pd.Series:
    """Return each event's moment in UTC (naive timestamps), using time_local and utc_offset.

    An event with a clock time is placed at that time; a day-precise event without one at
    local noon; month- or year-precise events at the start of their span (they are drawn
    as spans). Subtracting the place's offset puts US-dated and Baghdad-dated reports on one
    clock.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"date": [pd.Timestamp("2020-01-03")], "time_local": ["01:00"],
    ...                    "utc_offset": ["+03:00"], "date_precision": ["day"]})
    >>> str(event_instants(ev).iloc[0])
    '2020-01-02 22:00:00'
    """
    style.require_columns(events, ["date", "time_local", "utc_offset", "date_precision"], "event_instants")
    out = []
    for row in events.itertuples(index=False):
        base = pd.Timestamp(row.date)
        if row.date_precision != "day":
            out.append(base)
            continue
        clock = row.time_local if isinstance(row.time_local, str) and row.time_local else "12:00"
        hh, mm = clock.split(":")
        out.append(base + pd.Timedelta(hours=int(hh), minutes=int(mm)) - _offset(row.utc_offset))
    return pd.Series(out, index=events.index, name="instant_utc")


def event_spans(events: pd.DataFrame) -> pd.Series:
    """Return the last day each event may cover: date_end, the month's or year's end, or the date.

    >>> from helpers import load
    >>> ev = load().events.set_index("event_id", drop=False)
    >>> str(event_spans(ev).loc["rockets_green_zone_nov"].date())
    '2019-11-30'
    """
    ends = []
    for row in events.itertuples(index=False):
        start = pd.Timestamp(row.date)
        if pd.notna(row.date_end):
            ends.append(pd.Timestamp(row.date_end) + pd.Timedelta(hours=23, minutes=59))
        elif row.date_precision == "month":
            ends.append(start + pd.offsets.MonthEnd(0))
        elif row.date_precision == "year":
            ends.append(start + pd.offsets.YearEnd(0))
        else:
            ends.append(pd.NaT)
    return pd.Series(ends, index=events.index, name="span_end")


def timeline_frame(events: pd.DataFrame, actors: pd.DataFrame, casualties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the events with lane, UTC instant, span end and killed low/best/high, ready to draw.

    >>> from helpers import load
    >>> t = load()
    >>> timeline_frame(t.events, t.actors).set_index("event_id").at["strike_iraq_1", "lane"]
    'United States'
    """
    style.require_columns(events, EVENT_COLUMNS, "timeline_frame")
    style.require_columns(actors, ["actor_id", "parent_id", "country", "kind"], "timeline_frame (actors)")
    frame = events.copy()
    frame["lane"] = [style.actor_lane(a, actors) for a in frame["actor_id"]]
    frame["instant"] = event_instants(frame)
    frame["span_end"] = event_spans(frame)
    if casualties is not None and not casualties.empty:
        fat = event_fatalities(casualties).set_index("event_id")
        frame = frame.join(fat[["low", "best", "high", "high_bounded"]].add_prefix("killed_"), on="event_id")
    else:
        for col in ("killed_low", "killed_best", "killed_high"):
            frame[col] = np.nan
        frame["killed_high_bounded"] = np.nan
    return frame.sort_values(["instant", "event_id"]).reset_index(drop=True)


def marker_area(killed: float) -> float:
    """Marker area (points²) for a number of people killed: 36 for none, growing with the square root.

    >>> marker_area(0), marker_area(25)
    (36.0, 336.0)
    """
    if pd.isna(killed):
        killed = 0
    return 36.0 + 60.0 * float(np.sqrt(killed))


def plot_timeline(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    casualties: pd.DataFrame | None = None,
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    labels: dict[str, str] | None = None,
    ax: plt.Axes | None = None,
    title: str | None = None,
    show_seed_line: bool = True,
    arrows: bool = True,
    fatality_labels: bool = True,
) -> plt.Axes:
    """Draw the escalation timeline: one lane per actor, markers by type sized by fatalities.

    Month-precise events are spans, ``responds_to`` links are arrows from cause to response,
    a dashed line marks the seed article's date, and ``labels`` ({event_id: text}) names
    chosen events. With ``fatality_labels`` each deadly event carries its reconciled killed
    figure as "best (low–high)", "+" marking a range with no upper bound. Returns the Axes.

    >>> from helpers import load
    >>> t = load()
    >>> ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-20", end="2020-01-10")
    >>> ax.get_xlabel()
    'Date (UTC)'
    """
    frame = timeline_frame(events, actors, casualties)
    lo = pd.Timestamp(start) if start is not None else frame["instant"].min() - pd.Timedelta(days=3)
    hi = pd.Timestamp(end) if end is not None else frame[["instant", "span_end"]].max().max() + pd.Timedelta(days=3)
    if hi <= lo:
        raise ValueError(f"end ({hi}) must be after start ({lo})")
    visible = frame[(frame["instant"] <= hi) & (frame["span_end"].fillna(frame["instant"]) >= lo)]
    if visible.empty:
        raise ValueError(f"no events between {lo.date()} and {hi.date()}")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 5.2))
    lanes = [lane for lane in style.LANES if lane in set(visible["lane"])]
    ypos = {lane: len(lanes) - i for i, lane in enumerate(lanes)}
    # Small vertical jitter by order within a day keeps same-day markers apart, deterministically.
    jitter = visible.groupby(["lane", visible["instant"].dt.floor("D")]).cumcount()
    visible = visible.assign(y=[ypos[ln] + (0.0, 0.2, -0.2)[j % 3] for ln, j in zip(visible["lane"], jitter, strict=True)])
    for y in ypos.values():
        ax.axhline(y, color="#EEEEEE", lw=6, zorder=0)
    spans = visible[visible["span_end"].notna()]
    for row in spans.itertuples(index=False):
        colour = style.LANE_COLOURS[row.lane]
        ax.plot(
            [max(row.instant, lo), min(row.span_end, hi)], [row.y, row.y], color=colour, lw=4, alpha=0.45, solid_capstyle="butt", zorder=2
        )
    for row in visible.itertuples(index=False):
        colour = style.LANE_COLOURS[row.lane]
        marker = style.EVENT_MARKERS[row.event_type]
        ax.scatter(
            row.instant, row.y, s=marker_area(row.killed_best), marker=marker, color=colour, edgecolor="white", linewidth=0.6, zorder=4
        )
        if pd.notna(row.killed_high) and row.killed_high > (row.killed_best or 0):
            ax.scatter(
                row.instant,
                row.y,
                s=marker_area(row.killed_high),
                marker="o",
                facecolor="none",
                edgecolor=colour,
                linewidth=0.8,
                linestyle="--" if not row.killed_high_bounded else "-",
                zorder=3,
            )
    if arrows:
        where = visible.set_index("event_id")
        for row in visible.itertuples(index=False):
            cause = row.responds_to
            if isinstance(cause, str) and cause in where.index:
                a = where.loc[cause]
                patch = FancyArrowPatch(
                    (mdates.date2num(a["instant"]), a["y"]),
                    (mdates.date2num(row.instant), row.y),
                    arrowstyle="-|>",
                    mutation_scale=8,
                    color="#555555",
                    lw=0.7,
                    alpha=0.7,
                    connectionstyle="arc3,rad=-0.25",
                    zorder=3,
                    shrinkA=4,
                    shrinkB=5,
                    gid="responds-to",
                )
                ax.add_patch(patch)
    if show_seed_line and lo <= SEED_DATE <= hi:
        ax.axvline(SEED_DATE, color="#222222", ls="--", lw=1, zorder=1)
        ax.text(SEED_DATE, len(lanes) + 1.0, "  " + SEED_LABEL + " → what followed", fontsize=8, va="top", ha="left", color="#222222")
        ax.text(SEED_DATE, len(lanes) + 1.0, "known then ←  ", fontsize=8, va="top", ha="right", color="#222222")
    texts, anchors_x, anchors_y = [], [], []
    if fatality_labels:
        for row in visible.itertuples(index=False):
            if pd.isna(row.killed_high) or row.killed_high <= 0:
                continue
            text = f"{int(row.killed_best)}"
            if row.killed_low != row.killed_high:
                text += f" ({int(row.killed_low)}–{int(row.killed_high)}{'' if row.killed_high_bounded else '+'})"
            x = mdates.date2num(row.instant)
            label = ax.text(x, row.y + 0.3, text + " killed", fontsize=6.5, color="#555555", ha="center", va="bottom", zorder=5)
            label.set_gid("fatality-label")
            texts.append(label)
            anchors_x.append(x)
            anchors_y.append(row.y)
    for event_id, text in (labels or {}).items():
        hit = visible[visible["event_id"] == event_id]
        if hit.empty:
            continue
        row = hit.iloc[0]
        x = mdates.date2num(row["instant"])
        texts.append(
            ax.text(
                x,
                row["y"] - 0.32,
                text,
                ha="center",
                va="top",
                fontsize=7.5,
                color="#222222",
                zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
            )
        )
        anchors_x.append(x)
        anchors_y.append(row["y"])
    ax.set_yticks(list(ypos.values()), list(ypos))
    ax.set_ylim(0.4, len(lanes) + 1.05)
    ax.set_xlim(lo, hi)
    if texts:
        adjust_text(
            texts,
            x=anchors_x,
            y=anchors_y,
            ax=ax,
            only_move={"text": "xy", "static": "xy", "explode": "xy", "pull": "xy"},
            expand=(1.15, 1.4),
            arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5},
        )
    locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("Date (UTC)")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if title:
        ax.set_title(title)
    return ax


def type_legend(ax: plt.Axes, event_types, *, loc: str = "upper left", ncol: int = 1, bbox=(1.01, 1.0)) -> None:
    """Add a legend of event-type markers and of the fatality rings to an Axes.

    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> type_legend(ax, ["airstrike", "rocket_attack"])
    >>> len(ax.get_legend().get_texts())
    4
    """
    handles = [
        Line2D([], [], marker=style.EVENT_MARKERS[t], ls="", color="#444444", markersize=7, label=t.replace("_", " ")) for t in event_types
    ]
    handles.append(
        Line2D(
            [], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="#444444", markersize=11, label="ring: highest reported toll"
        )
    )
    handles.append(Line2D([], [], color="#555555", lw=0.8, label="arrow: answers (responds_to)"))
    ax.legend(
        handles=handles,
        loc=loc,
        bbox_to_anchor=bbox,
        ncol=ncol,
        fontsize=8,
        title="Marker size: killed (best)",
        title_fontsize=8,
        alignment="left",
    )


def event_scores(events: pd.DataFrame, event_type_cameo: pd.DataFrame, goldstein: pd.DataFrame) -> pd.Series:
    """Return each event's Goldstein value via the event-type → CAMEO coding table (NaN if not scored).

    >>> from helpers import load
    >>> t = load()
    >>> float(event_scores(t.events, t.event_type_cameo, t.cameo_goldstein).min())
    -10.0
    """
    style.require_columns(events, ["event_id", "event_type"], "event_scores")
    scale = dict(zip(goldstein["CAMEOEVENTCODE"], goldstein["GOLDSTEINSCALE"], strict=True))
    codes = dict(zip(event_type_cameo["event_type"].astype(str), event_type_cameo["cameo_code"], strict=True))
    return pd.Series(
        [scale.get(codes.get(str(t))) if pd.notna(codes.get(str(t))) else np.nan for t in events["event_type"]],
        index=events.index,
        name="goldstein",
        dtype="float64",
    )


def intensity_series(
    events: pd.DataFrame,
    reactions: pd.DataFrame,
    actors: pd.DataFrame,
    event_type_cameo: pd.DataFrame,
    goldstein: pd.DataFrame,
    *,
    freq: str = "D",
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Return the escalation-intensity index: hostility per period and lane.

    Method: every event is scored with the Goldstein value of its type's CAMEO code
    (data/reference/event_type_cameo.csv) and every statement with the Goldstein value of
    its own CAMEO code (reactions.csv). Only hostile (negative) values count; they are
    negated so that more hostility is a larger number, summed per period (``freq``: "D"
    day, "W" week) and per lane of the acting or speaking actor. Cooperative statements
    (praise, restraint) add nothing; fatalities are not mixed in (see the casualty chart).
    Events with a month or year date are left out: they cannot be placed on a day.
    Columns are the lanes in house order; the index holds the periods' start dates, with
    empty periods filled with 0.

    >>> from helpers import load
    >>> t = load()
    >>> s = intensity_series(t.events, t.reactions, t.actors, t.event_type_cameo, t.cameo_goldstein)
    >>> bool((s >= 0).all().all())
    True
    """
    style.require_columns(events, ["event_id", "date", "date_precision", "event_type", "actor_id"], "intensity_series (events)")
    style.require_columns(reactions, ["date", "actor_id", "goldstein"], "intensity_series (reactions)")
    ev = events[events["date_precision"] == "day"].copy()
    ev["score"] = -event_scores(ev, event_type_cameo, goldstein)
    ev["kind"] = "act"
    rx = reactions.copy()
    rx["score"] = -rx["goldstein"].astype(float)
    rx["kind"] = "statement"
    both = pd.concat([ev[["date", "actor_id", "score", "kind"]], rx[["date", "actor_id", "score", "kind"]]], ignore_index=True)
    both = both[both["score"] > 0]
    both["lane"] = [style.actor_lane(a, actors) for a in both["actor_id"]]
    if start is not None:
        both = both[both["date"] >= pd.Timestamp(start)]
    if end is not None:
        both = both[both["date"] <= pd.Timestamp(end)]
    if both.empty:
        raise ValueError("no hostile acts or statements in the chosen window")
    period = both["date"].dt.to_period(freq).dt.start_time
    table = both.assign(period=period).pivot_table(index="period", columns="lane", values="score", aggfunc="sum", fill_value=0.0)
    full = pd.date_range(
        pd.Timestamp(start) if start else table.index.min(),
        pd.Timestamp(end) if end else table.index.max(),
        freq="D" if freq == "D" else "W-MON",
    )
    if freq != "D":
        full = pd.DatetimeIndex(pd.Series(full).dt.to_period(freq).dt.start_time.unique())
    table = table.reindex(full, fill_value=0.0)
    table.index.name = "period"
    return table[[lane for lane in style.LANES if lane in table.columns]]


def plot_intensity(series: pd.DataFrame, *, ax: plt.Axes | None = None, title: str | None = None, width: float | None = None) -> plt.Axes:
    """Draw the intensity index as stacked bars, each starting at its period's start and covering 80% of it; one colour per lane.

    >>> from helpers import load
    >>> t = load()
    >>> s = intensity_series(t.events, t.reactions, t.actors, t.event_type_cameo, t.cameo_goldstein)
    >>> plot_intensity(s).get_ylabel()
    'Hostility (sum of −Goldstein)'
    """
    style.require_columns(series, list(series.columns[:1]), "plot_intensity")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4))
    if width is None:
        step = pd.Series(series.index).diff().median() if len(series) > 1 else pd.Timedelta(days=1)
        width = 0.8 * (step / pd.Timedelta(days=1))
    bottom = np.zeros(len(series))
    for lane in series.columns:
        ax.bar(
            series.index,
            series[lane].to_numpy(),
            bottom=bottom,
            width=width,
            align="edge",
            color=style.LANE_COLOURS[lane],
            label=lane,
            edgecolor="white",
            linewidth=0.3,
        )
        bottom += series[lane].to_numpy()
    if series.index.min() <= SEED_DATE <= series.index.max():
        ax.axvline(SEED_DATE, color="#222222", ls="--", lw=1)
        ax.text(SEED_DATE, bottom.max() * 1.02, " seed article", fontsize=8, va="bottom")
    locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("Hostility (sum of −Goldstein)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="Acting or speaking", title_fontsize=8.5, alignment="left")
    if title:
        ax.set_title(title)
    return ax


def claim_labels(casualties: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Return a short label per claim: who claimed it, in which outlet, on what day ("PMU · Pars Today, 30 Dec 2019").

    >>> from helpers import load
    >>> t = load()
    >>> bool(claim_labels(t.casualties, t.actors, t.sources).str.contains(" · ").all())
    True
    """
    style.require_columns(casualties, ["claimant", "source_id", "reported_on"], "claim_labels")
    names = actors.set_index("actor_id")["name"].to_dict()
    names["unknown"] = "unattributed"
    pubs = sources.set_index("source_id")["publisher"].to_dict()
    out = []
    for row in casualties.itertuples():
        day = "" if pd.isna(row.reported_on) else f", {pd.Timestamp(row.reported_on):%-d %b %Y}"
        who = names.get(row.claimant, row.claimant)
        who = who if len(who) <= 34 else who[:33] + "…"
        seed = " (seed)" if row.source_id == "seed" else ""
        out.append(f"{who} · {pubs.get(row.source_id, row.source_id)}{seed}{day}")
    return pd.Series(out, index=casualties.index, name="label")


def plot_casualty_claims(
    casualties: pd.DataFrame,
    *,
    labels: pd.Series | None = None,
    outcome: str = "killed",
    event_ids: list[str] | None = None,
    ax: plt.Axes | None = None,
    title: str | None = None,
) -> plt.Axes:
    """Draw every casualty claim as a low–high bar with its best value, grouped by event and group.

    One row per claim, labelled by ``labels`` (see :func:`claim_labels`; default: the claimant id),
    sorted by best value within each group; an open-ended claim ("at least 25") gets an arrow to the
    right edge; partial counts (scope ``part``) are drawn hollow, after the totals.

    >>> from helpers import load
    >>> t = load()
    >>> ax = plot_casualty_claims(t.casualties, event_ids=["k1_rocket_attack"], outcome="wounded")
    >>> len(ax.get_yticks()) > 0
    True
    """
    style.require_columns(
        casualties, ["claim_id", "event_id", "group", "outcome", "scope", "low", "best", "high", "claimant"], "plot_casualty_claims"
    )
    if outcome not in ("killed", "wounded"):
        raise ValueError(f"outcome must be 'killed' or 'wounded', got {outcome!r}")
    claims = casualties[casualties["outcome"] == outcome]
    if event_ids is not None:
        unknown = sorted(set(event_ids) - set(casualties["event_id"]))
        if unknown:
            raise ValueError(f"no casualty claims for event_id(s) {unknown}")
        claims = claims[claims["event_id"].isin(event_ids)]
    if claims.empty:
        raise ValueError(f"no {outcome} claims for the chosen events")
    text = labels if labels is not None else claims["claimant"].astype(str)
    order = {e: i for i, e in enumerate(event_ids or sorted(claims["event_id"].unique()))}
    claims = claims.assign(order_=claims["event_id"].map(order), is_part=claims["scope"].eq("part"), label_=text.reindex(claims.index))
    claims = claims.sort_values(["order_", "is_part", "group", "best", "claim_id"])
    groups = list(dict.fromkeys(zip(claims["event_id"], claims["group"], strict=True)))
    n_rows = len(claims) + len(groups)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.26 * n_rows + 1.3))
    xmax = float(max(claims["high"].fillna(claims["best"]).max(), claims["best"].max())) * 1.15 + 1
    ticks, ticklabels = [], []
    y = n_rows
    for key in groups:
        block = claims[(claims["event_id"] == key[0]) & (claims["group"] == key[1])]
        ax.text(0, y, f"{key[1]}", fontsize=8.5, fontweight="bold", va="center", ha="left", color="#222222")
        y -= 1
        for row in block.itertuples():
            colour = "#333333"
            right = row.high if pd.notna(row.high) else xmax * 0.985
            ax.plot([row.low, right], [y, y], color=colour, lw=1.5, solid_capstyle="butt")
            if pd.isna(row.high):
                ax.annotate("", xy=(xmax, y), xytext=(right, y), arrowprops={"arrowstyle": "->", "color": colour, "lw": 1})
            ax.scatter([row.best], [y], s=26, color="white" if row.is_part else colour, edgecolor=colour, zorder=3)
            ticks.append(y)
            ticklabels.append(str(row.label_) + ("  (partial count)" if row.is_part else ""))
            y -= 1
    ax.set_yticks(ticks, ticklabels, fontsize=7.5)
    ax.set_ylim(0.3, n_rows + 0.7)
    ax.set_xlim(0, xmax)
    ax.set_xlabel(f"People {outcome}: dot = best reading, bar = low–high, arrow = no upper bound, hollow = partial count")
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#EEEEEE", lw=0.6)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title)
    return ax
