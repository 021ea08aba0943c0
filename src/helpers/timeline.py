"""Escalation timelines: events placed in UTC on lanes by actor, with arrows from cause to response."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.transforms import Bbox

from helpers import style
from helpers.actors import LANES, actor_lane
from helpers.casualties import event_fatalities
from helpers.columns import require_columns

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
    require_columns(events, ["date", "time_local", "utc_offset", "date_precision"], "event_instants")
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


def timeline_frame(
    events: pd.DataFrame, actors: pd.DataFrame, casualties: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the events with lane, UTC instant, span end and killed low/best/high, ready to draw.

    killed_* are helpers.casualties.event_fatalities of ``casualties`` (with ``sources``, so that
    a wire and its reposts count as one voice, as everywhere else).

    >>> from helpers import load
    >>> t = load()
    >>> timeline_frame(t.events, t.actors).set_index("event_id").at["strike_iraq_1", "lane"]
    'United States'
    """
    require_columns(events, EVENT_COLUMNS, "timeline_frame")
    require_columns(actors, ["actor_id", "parent_id", "country", "kind"], "timeline_frame (actors)")
    frame = events.copy()
    frame["lane"] = [actor_lane(a, actors) for a in frame["actor_id"]]
    frame["instant"] = event_instants(frame)
    frame["span_end"] = event_spans(frame)
    if casualties is not None and not casualties.empty:
        fat = event_fatalities(casualties, sources).set_index("event_id")
        frame = frame.join(fat[["low", "best", "high", "high_bounded"]].add_prefix("killed_"), on="event_id")
    else:
        for col in ("killed_low", "killed_best", "killed_high"):
            frame[col] = np.nan
        frame["killed_high_bounded"] = np.nan
    return frame.sort_values(["instant", "event_id"]).reset_index(drop=True)


def marker_area(killed: float, scale: float = 1.0) -> float:
    """Marker area (points²) for a number of people killed: 25 for none, growing with the square root, times ``scale``.

    >>> marker_area(0), marker_area(25), marker_area(100, scale=0.5)
    (25.0, 175.0, 162.5)
    """
    if pd.isna(killed):
        killed = 0
    return (25.0 + 30.0 * float(np.sqrt(max(float(killed), 0.0)))) * scale


def size_key_values(max_killed: float) -> list[int]:
    """Return 2–3 round numbers of people killed for the marker-size key, spanning the data (1 … the largest round value ≤ max).

    >>> size_key_values(176), size_key_values(6), size_key_values(0)
    ([1, 10, 100], [1, 5], [1, 10])
    """
    top = float(max_killed) if pd.notna(max_killed) else 0.0
    values = [v for v in (1, 10, 100, 1000, 10000) if v <= top]
    if len(values) < 2:
        values = [1, 5] if top >= 5 else [1, 10]
    return values[-3:]


def group_events(visible: pd.DataFrame, hours: float = 12.0) -> pd.DataFrame:
    """Fold events of one lane and one type that fall within ``hours`` of each other into one marker.

    Takes rows of :func:`timeline_frame` (with ``y`` not yet set) and returns one row per group:
    ``members`` (tuple of event_ids, in time order), ``n``, ``lane``, ``event_type``, ``instant``
    (the first member's), ``span_end`` (latest), killed low/best/high summed over the members that
    have a figure (NaN when none has), ``killed_high_bounded`` (False if any member's high is open)
    and ``causes`` (tuple of the members' responds_to ids). Groups come in time order.

    >>> from helpers import load
    >>> t = load()
    >>> f = timeline_frame(t.events, t.actors, t.casualties)
    >>> g = group_events(f[f["date"] == "2019-12-29"])
    >>> int(g.loc[g["event_type"] == "airstrike", "n"].iloc[0])
    5
    """
    rows = []
    ordered = visible.sort_values(["lane", "event_type", "instant", "event_id"])
    for (lane, etype), block in ordered.groupby(["lane", "event_type"], sort=False, observed=True):
        current: list = []
        for row in block.itertuples(index=False):
            if current and row.instant - current[0].instant > pd.Timedelta(hours=hours):
                rows.append(_fold(current, lane, etype))
                current = []
            current.append(row)
        if current:
            rows.append(_fold(current, lane, etype))
    out = pd.DataFrame(rows)
    return out.sort_values(["instant", "lane", "event_type"]).reset_index(drop=True)


def _fold(members: list, lane: str, etype: str) -> dict:
    """Combine the rows of one group into one record (see :func:`group_events`)."""

    def total(col: str) -> float:
        vals = [getattr(m, col) for m in members if pd.notna(getattr(m, col))]
        return float(sum(vals)) if vals else np.nan

    bounded = [bool(m.killed_high_bounded) for m in members if pd.notna(m.killed_high) and pd.notna(m.killed_high_bounded)]
    spans = [m.span_end for m in members if pd.notna(m.span_end)]
    return {
        "members": tuple(m.event_id for m in members),
        "n": len(members),
        "lane": lane,
        "event_type": etype,
        "instant": members[0].instant,
        "span_end": max(spans) if spans else pd.NaT,
        "killed_low": total("killed_low"),
        "killed_best": total("killed_best"),
        "killed_high": total("killed_high"),
        "killed_high_bounded": all(bounded) if bounded else True,
        "causes": tuple(str(m.responds_to) for m in members if isinstance(m.responds_to, str)),
    }


def killed_text(low: float, best: float, high: float, bounded: bool) -> str:
    """Return the killed figure as "best (low–high) killed", "+" marking a range with no upper bound ("" if nobody was killed).

    >>> killed_text(4, 25, 55, False), killed_text(6, 6, 6, True), killed_text(0, 0, 0, True)
    ('25 (4–55+) killed', '6 killed', '')
    """
    if pd.isna(high) or high <= 0:
        return ""
    text = f"{int(best)}"
    if low != high:
        text += f" ({int(low)}–{int(high)}{'' if bounded else '+'})"
    return text + " killed"


def _lane_tick(lane: str) -> str:
    """Break a long lane name after its slash for the y-axis ("Kata'ib Hezbollah /\nPMU")."""
    return lane.replace(" / ", " /\n") if len(lane) > 14 else lane


def _stack_in_lanes(ax: plt.Axes, groups: pd.DataFrame, ypos: dict, radii: np.ndarray, slots=(0.0, 0.3, -0.3)) -> np.ndarray:
    """Return a y per group: its lane, or a slot above/below it when its marker would touch a nearby one (display geometry)."""
    to_px = ax.transData.transform
    placed: dict[str, list[tuple[float, float, float]]] = {}
    ys = []
    for row, r in zip(groups.itertuples(index=False), radii, strict=True):
        x = mdates.date2num(row.instant)
        best_y, best_gap = None, -np.inf
        for slot in slots:
            y = ypos[row.lane] + slot
            px, py = to_px((x, y))
            gap = min((np.hypot(px - qx, py - qy) - r - qr for qx, qy, qr in placed.get(row.lane, [])), default=np.inf)
            if gap >= 1.5:
                best_y = y
                break
            if gap > best_gap:
                best_y, best_gap = y, gap
        px, py = to_px((x, best_y))
        placed.setdefault(row.lane, []).append((px, py, r))
        ys.append(best_y)
    return np.array(ys)


def _setup_axes(ax: plt.Axes, lanes: list[str], lo: pd.Timestamp, hi: pd.Timestamp, title: str | None) -> dict:
    """Fix limits, lanes, date ticks and title first, so that labels can be placed in final display geometry; return {lane: y}."""
    ypos = {lane: len(lanes) - i for i, lane in enumerate(lanes)}
    ax.set_yticks(list(ypos.values()), [_lane_tick(lane) for lane in ypos])
    ax.set_ylim(0.35, len(lanes) + 1.0)
    ax.set_xlim(lo, hi)
    locator = mdates.AutoDateLocator(minticks=5, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("Date (UTC)")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    for y in ypos.values():
        ax.axhline(y, color="#EEEEEE", lw=6, zorder=0, gid="lane-band")
    if title:
        ax.set_title(title)
    return ypos


def _draw_spans(ax: plt.Axes, groups: pd.DataFrame, lo, hi) -> None:
    """Draw each month-precise group's span as a thick translucent line along its lane."""
    for row in groups.itertuples(index=False):
        if pd.notna(row.span_end):
            ax.plot(
                [max(row.instant, lo), min(row.span_end, hi)],
                [row.y, row.y],
                color=style.LANE_COLOURS[row.lane],
                lw=4,
                alpha=0.45,
                solid_capstyle="butt",
                zorder=2,
            )


def _draw_markers(ax: plt.Axes, groups: pd.DataFrame) -> None:
    """Draw each group's marker (size: killed best) and dashed/solid ring (highest reported toll).

    Labels are placed around the markers' registered circles, not these artists, so the markers
    are drawn once, on the layout that is kept.
    """
    for row in groups.itertuples(index=False):
        colour = style.LANE_COLOURS[row.lane]
        gid = "event:" + ";".join(row.members)
        ax.scatter(
            [mdates.date2num(row.instant)],
            [row.y],
            s=row.area,
            marker=style.EVENT_MARKERS[row.event_type],
            color=colour,
            edgecolor="white",
            linewidth=0.6,
            zorder=4,
            gid=gid,
        )
        if pd.notna(row.killed_high) and row.killed_high > (row.killed_best if pd.notna(row.killed_best) else 0):
            ax.scatter(
                [mdates.date2num(row.instant)],
                [row.y],
                s=row.ring_area,
                marker="o",
                facecolor="none",
                edgecolor=colour,
                linewidth=0.8,
                linestyle="-" if row.killed_high_bounded else "--",
                zorder=3,
                gid="ring:" + ";".join(row.members),
            )


def _draw_seed_line(ax: plt.Axes, lo, hi, top: float) -> list:
    """Mark the seed article's date with a dashed line and a two-line header that stays inside the axes; return the header texts."""
    if not lo <= SEED_DATE <= hi:
        return []
    ax.plot([SEED_DATE, SEED_DATE], [ax.get_ylim()[0], top - 0.42], color="#222222", ls="--", lw=1, zorder=1, gid="seed-line")
    renderer = ax.figure.canvas.get_renderer()
    head = ax.text(SEED_DATE, top, SEED_LABEL, fontsize=8.5, va="top", ha="center", color="#222222", zorder=6)
    bb, box = head.get_window_extent(renderer), ax.bbox
    if bb.x1 > box.x1:
        head.set_ha("right")
    elif bb.x0 < box.x0:
        head.set_ha("left")
    line2 = top - 0.22
    left = ax.text(SEED_DATE, line2, "known then ← ", fontsize=8.5, va="top", ha="right", color="#555555", zorder=6)
    right = ax.text(SEED_DATE, line2, " → what followed", fontsize=8.5, va="top", ha="left", color="#555555", zorder=6)
    return [head, left, right]


#: Where a timeline label may sit around its marker, in order of preference (see style.AROUND).
LABEL_POSITIONS = (
    "below",
    "above",
    "under, leftwards",
    "under, rightwards",
    "over, leftwards",
    "over, rightwards",
    "below right",
    "below left",
    "above right",
    "above left",
    "right",
    "left",
)


def _label_groups(
    ax: plt.Axes, groups: pd.DataFrame, placer: style.LabelPlacer, labels: dict, fatality_labels: bool, positions=LABEL_POSITIONS
) -> None:
    """Name the chosen events (with "×n" for a group) and the deadly ones (killed best (low–high)) beside their own markers."""
    named = []
    for row in groups.itertuples(index=False):
        name = next((labels[m] for m in row.members if m in labels), None)
        killed = killed_text(row.killed_low, row.killed_best, row.killed_high, row.killed_high_bounded) if fatality_labels else ""
        count = f" ×{row.n}" if row.n > 1 else ""
        if name or killed:
            text = "\n".join(x for x in ((name + count) if name else "", killed) if x)
            order = min((list(labels).index(m) for m in row.members if m in labels), default=len(labels))
            named.append((order, row, text))
        elif row.n > 1:
            named.append((len(labels) + 1, row, f"×{row.n}"))
    for _, row, text in sorted(named, key=lambda item: (item[0], item[1].instant)):
        small = text.startswith("×")
        placer.place(
            text,
            (mdates.date2num(row.instant), row.y),
            radius=row.radius_pt,
            directions=("right", "left", "above", "below") if small else positions,
            rings=(0.0, 3.0, 7.0) if small else (0.0, 3.0, 7.0, 14.0, 22.0),
            leader=not small,
            fontsize=8 if small else style.LABEL_FONT_SIZE,
            color="#333333" if small else "#111111",
            linespacing=1.1,
            zorder=6,
            gid=("count:" if small else "label:") + ";".join(row.members),
        )


def _arrow_pairs(groups: pd.DataFrame, min_days: float = 0.0) -> list[tuple[int, int]]:
    """Return (cause row, response row) positions in ``groups``, one per linked pair of markers at least ``min_days`` apart."""
    where = {m: i for i, row in enumerate(groups.itertuples(index=False)) for m in row.members}
    rows = list(groups.itertuples(index=False))
    pairs = []
    for j, row in enumerate(rows):
        for cause in row.causes:
            i = where.get(cause)
            if i is None or i == j or (i, j) in pairs:
                continue
            if abs(row.instant - rows[i].instant) >= pd.Timedelta(days=min_days):
                pairs.append((i, j))
    return pairs


def _arrow(ax: plt.Axes, a, b, rad: float | str, *, add: bool = True) -> FancyArrowPatch:
    """Return one cause→response arrow between two group rows, bent by ``rad`` (arc3) or shaped by a connection style.

    With ``add`` (the default) it is added to ``ax``; without, it is only measured (a trial
    shape: its path in display pixels is the same, and the axes are left untouched). An answer
    drawn at or before its cause (both on one day, at least one without a clock time, so placed
    at noon) gets a dashed arrow: the order within the day is unknown.
    """
    patch = FancyArrowPatch(
        (mdates.date2num(a.instant), a.y),
        (mdates.date2num(b.instant), b.y),
        arrowstyle="-|>",
        mutation_scale=8,
        color="#555555",
        lw=0.7,
        linestyle="--" if b.instant <= a.instant else "-",
        alpha=0.75,
        connectionstyle=rad if isinstance(rad, str) else f"arc3,rad={rad}",
        zorder=3,
        shrinkA=a.radius_pt + 1.5,
        shrinkB=b.radius_pt + 1.5,
        gid="responds-to:" + ";".join(a.members) + "->" + ";".join(b.members),
        transform=ax.transData,
    )
    if add:
        ax.add_patch(patch)
    return patch


#: Arrow shapes tried in turn: arcs bent by ``rad`` (arc3), then paths leaving or entering level (angle3).
ARROW_BENDS = (
    -0.25,
    0.25,
    -0.4,
    0.4,
    -0.1,
    0.1,
    -0.55,
    0.55,
    -0.18,
    0.18,
    -0.7,
    0.7,
    0.0,
    -0.9,
    0.9,
    "angle3,angleA=90,angleB=0",
    "angle3,angleA=0,angleB=90",
    "angle3,angleA=-90,angleB=0",
    "angle3,angleA=0,angleB=-90",
)


def _arrow_points(ax: plt.Axes, a, b, rad: float | str, cache: dict) -> np.ndarray:
    """Return the display points of the arrow from group row a to b bent by ``rad`` (see style.artist_points).

    Arrows are measured once per plot: ``cache`` holds the points under the ends' display
    positions, the bend and the shrink, which decide the path; layouts re-use them.
    """
    key = (tuple(ax.transData.transform((mdates.date2num(a.instant), a.y)).round(3)), a.radius_pt)
    key += (tuple(ax.transData.transform((mdates.date2num(b.instant), b.y)).round(3)), b.radius_pt, rad)
    if key not in cache:
        cache[key] = style.artist_points(_arrow(ax, a, b, rad, add=False))
    return cache[key]


def _draw_arrows(ax: plt.Axes, groups: pd.DataFrame, placer: style.LabelPlacer, min_days: float = 0.0, cache: dict | None = None) -> list:
    """Draw one curved arrow per cause→response pair of groups, bent so that it crosses no label.

    Returns the arrows that still cross a label, each as (patch, [labels crossed]). ``cache``
    (see :func:`_arrow_points`) may be shared by the layouts of one plot.
    """
    cache = {} if cache is None else cache
    rows = list(groups.itertuples(index=False))
    grown = [
        (ann, Bbox.from_extents(bb.x0 - 2, bb.y0 - 2, bb.x1 + 2, bb.y1 + 2))
        for ann, bb in zip(placer.labels, placer.boxes_of_labels(), strict=True)
    ]
    others = [Bbox.from_extents(bb.x0 - 2, bb.y0 - 2, bb.x1 + 2, bb.y1 + 2) for bb in placer.other_boxes()]
    crossing = []
    for i, j in _arrow_pairs(groups, min_days):
        best = None
        for rad in ARROW_BENDS:
            pts = _arrow_points(ax, rows[i], rows[j], rad, cache)
            hit = [ann for ann, bb in grown if style.points_in_box(pts, bb)]
            hits = len(hit) + sum(style.points_in_box(pts, bb) for bb in others)
            if best is None or hits < best[0]:
                best = (hits, rad, hit)
            if hits == 0:
                break
        patch = _arrow(ax, rows[i], rows[j], best[1])
        if best[0]:
            crossing.append((patch, best[2]))
    return crossing


#: Layouts tried in turn until one leaves no conflict: slots for crowded markers, and label positions.
#: In the later layouts labels ignore where arrows would run by default, and the arrows bend around them instead.
LAYOUTS = (
    ((0.0, 0.3, -0.3), LABEL_POSITIONS, True),
    ((0.0, -0.3, 0.3), LABEL_POSITIONS, True),
    ((0.0, 0.3, -0.3), LABEL_POSITIONS, False),
    ((0.0, -0.3, 0.3), LABEL_POSITIONS, False),
    ((0.0, 0.3, -0.3), LABEL_POSITIONS[1::2] + LABEL_POSITIONS[0::2], False),
)


def _draw_layout(ax, groups, lanes, lo, hi, title, show_seed_line, slots, positions, avoid_arrows, options) -> tuple[int, int]:
    """Draw one layout (axes, spans, seed line, labels, arrows; markers come last, see :func:`_draw_markers`).

    Sets ``groups["y"]``; returns (hard conflicts + crossed labels, soft conflicts).
    """
    ypos = _setup_axes(ax, lanes, lo, hi, title)
    px_per_pt = ax.figure.dpi / 72.0
    groups["y"] = _stack_in_lanes(ax, groups, ypos, groups["radius_pt"].to_numpy() * px_per_pt, slots)
    _draw_spans(ax, groups, lo, hi)
    placer = style.LabelPlacer(ax, nearest_centre=True)
    for row in groups.itertuples(index=False):
        placer.add_marker((mdates.date2num(row.instant), row.y), 2 * row.radius_pt)
    for line in ax.lines:
        if line.get_gid() != "lane-band":
            placer.add_line(line)
    if show_seed_line:
        for text in _draw_seed_line(ax, lo, hi, len(lanes) + 0.95):
            placer.add_box(text)
        seed = [line for line in ax.lines if line.get_gid() == "seed-line"]
        if seed:
            placer.add_line(seed[0])
    if options["arrows"] and avoid_arrows:
        # Labels steer clear of where the arrows would run by default; the arrows then bend around the labels.
        rows = list(groups.itertuples(index=False))
        for i, j in _arrow_pairs(groups, options["min_arrow_days"]):
            placer.add_line(_arrow_points(ax, rows[i], rows[j], ARROW_BENDS[0], options["arrow_points"]))
    _label_groups(ax, groups, placer, options["labels"], options["fatality_labels"], positions)
    crossed = _draw_arrows(ax, groups, placer, options["min_arrow_days"], options["arrow_points"]) if options["arrows"] else []
    for _ in range(2):
        if not crossed:
            break
        # An arrow that no bend keeps off a label pins its best path; the labels it crossed move off it.
        for patch, _ in crossed:
            placer.add_line(patch, hard=True)
        for ann in {id(a): a for _, hit in crossed for a in hit}.values():
            placer.replace(ann)
            if placer.conflicts[-1][1][0]:
                # It now sits on another label: that one moves instead, if it can.
                box = placer.boxes_of_labels()[-1]
                for other in [
                    a for a, bb in zip(placer.labels[:-1], placer.boxes_of_labels()[:-1], strict=True) if style.boxes_overlap(bb, box)
                ]:
                    placer.replace(other)
        for patch in [p for p in ax.patches if str(p.get_gid()).startswith("responds-to:")]:
            patch.remove()
        crossed = _draw_arrows(ax, groups, placer, options["min_arrow_days"], options["arrow_points"])
    hard = sum(int(c[0]) for _, c in placer.conflicts)
    soft = sum(int(c[1]) for _, c in placer.conflicts)
    return hard + len(crossed), soft


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
    group_hours: float = 12.0,
    size_scale: float = 1.0,
    min_arrow_days: float = 0.0,
    sources: pd.DataFrame | None = None,
) -> plt.Axes:
    """Draw the escalation timeline: one lane per actor, markers by type sized by fatalities.

    Events of one lane and type within ``group_hours`` of each other share one marker, counted
    "×n" (see :func:`group_events`); markers that would touch are moved to a slot above or below
    their lane. Month-precise events are spans, ``responds_to`` links are arrows from cause to
    response (one per pair of markers), a dashed line marks the seed article's date, and
    ``labels`` ({event_id: text}) names chosen events. With ``fatality_labels`` each deadly event
    carries its reconciled killed figure as "best (low–high)", "+" marking a range with no upper
    bound. Labels sit beside their own marker (an Annotation anchored on it) and overlap no other
    label or marker; arrows bend so as not to cross a label. ``size_scale`` multiplies marker areas;
    ``min_arrow_days`` drops arrows between events closer in time (for long overviews, where the
    short links of a crisis would tie a knot).

    Placement is done in display geometry: when passing ``ax``, fix the figure size and the axes
    position first (``fig.subplots_adjust``). Returns the Axes. Raises ValueError for an empty
    window, missing columns or unknown actors.

    >>> from helpers import load
    >>> t = load()
    >>> ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-27", end="2020-01-01")  # K-1 to the embassy
    >>> ax.get_xlabel()
    'Date (UTC)'
    """
    frame = timeline_frame(events, actors, casualties, sources)
    lo = pd.Timestamp(start) if start is not None else frame["instant"].min() - pd.Timedelta(days=3)
    hi = pd.Timestamp(end) if end is not None else frame[["instant", "span_end"]].max().max() + pd.Timedelta(days=3)
    if hi <= lo:
        raise ValueError(f"end ({hi}) must be after start ({lo})")
    visible = frame[(frame["instant"] <= hi) & (frame["span_end"].fillna(frame["instant"]) >= lo)]
    if visible.empty:
        raise ValueError(f"no events between {lo.date()} and {hi.date()}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.6, 5.2))
        fig.subplots_adjust(left=0.17, right=0.98, top=0.9, bottom=0.14)
    lanes = [lane for lane in LANES if lane in set(visible["lane"])]
    groups = group_events(visible, group_hours)
    groups["area"] = [marker_area(k, size_scale) for k in groups["killed_best"]]
    groups["ring_area"] = [marker_area(k, size_scale) for k in groups["killed_high"]]
    groups["radius_pt"] = np.sqrt(groups[["area", "ring_area"]].max(axis=1)) / 2
    options = {
        "labels": labels or {},
        "fatality_labels": fatality_labels,
        "arrows": arrows,
        "min_arrow_days": min_arrow_days,
        "arrow_points": {},  # arrows measured once for all layouts
    }
    scores = []
    for k, layout in enumerate(LAYOUTS):
        if k:
            ax.cla()
        score = _draw_layout(ax, groups, lanes, lo, hi, title, show_seed_line, *layout, options)
        scores.append(score)
        if score == (0, 0):
            break
    best = scores.index(min(scores))
    if best != len(scores) - 1:
        ax.cla()
        _draw_layout(ax, groups, lanes, lo, hi, title, show_seed_line, *LAYOUTS[best], options)
    _draw_markers(ax, groups)
    return ax


def type_legend(
    ax: plt.Axes, event_types, *, killed_refs=(1, 10, 100), size_scale: float = 1.0, rings: bool = True, arrows: bool = True
) -> None:
    """Add two legends under the axes: event-type markers (with the ring and arrow keys) and a marker-size key for killed.

    The event-type legend is ``ax.get_legend()``; the size key is an extra artist with gid "size-key".

    The size key shows ``killed_refs`` (see :func:`size_key_values`) drawn at the areas the
    timeline uses (``marker_area(k, size_scale)``). Call after the axes position is fixed.

    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> type_legend(ax, ["airstrike", "rocket_attack"], killed_refs=(1, 10))
    >>> len(ax.get_legend().get_texts())
    4
    """
    handles = [
        Line2D([], [], marker=style.EVENT_MARKERS[t], ls="", color="#444444", markersize=7, label=t.replace("_", " ")) for t in event_types
    ]
    if rings:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                markerfacecolor="none",
                markeredgecolor="#444444",
                markersize=11,
                label="ring: highest toll claimed",
            )
        )
    if arrows:
        handles.append(Line2D([], [], color="#555555", lw=0.8, label="arrow: answers (responds_to)"))
        if any(str(p.get_gid()).startswith("responds-to:") and p.get_linestyle() == "--" for p in ax.patches):
            handles.append(Line2D([], [], color="#555555", lw=0.8, ls="--", label="dashed: same day, order unknown"))
    renderer = ax.figure.canvas.get_renderer()
    tight = ax.get_tightbbox(renderer)
    below = (tight.y0 - 6 - ax.bbox.y0) / ax.bbox.height
    kinds = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, below),
        ncol=4 if len(handles) > 6 else len(handles),
        fontsize=8.5,
        title="Event type",
        title_fontsize=8.5,
        alignment="left",
        columnspacing=1.2,
        borderaxespad=0.0,
    )
    under = (kinds.get_window_extent(renderer).y0 - 4 - ax.bbox.y0) / ax.bbox.height
    size_handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color="#777777",
            markeredgecolor="white",
            markersize=float(np.sqrt(marker_area(k, size_scale))),
            label=f"{k:,} killed",
        )
        for k in killed_refs
    ]
    sizes = Legend(
        ax,
        size_handles,
        [h.get_label() for h in size_handles],
        loc="upper left",
        bbox_to_anchor=(0.0, under),
        ncol=len(size_handles),
        fontsize=8.5,
        title="Marker size: killed (reconciled best estimate)",
        title_fontsize=8.5,
        alignment="left",
        columnspacing=1.6,
        borderaxespad=0.0,
    )
    sizes.set_gid("size-key")
    ax.add_artist(sizes)
