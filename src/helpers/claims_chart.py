"""The casualty-claims chart: every claim of one group's toll, by claimant and outlet."""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers.casualties import reconcile
from helpers.columns import require_columns
from helpers.names import NO_CLAIMANT


def claim_labels(casualties: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Return a label per claim: who claimed it (full name, never cut), in which outlet, on what day ("PMU · Pars Today, 30 Dec 2019").

    >>> from helpers import load
    >>> t = load()
    >>> bool(claim_labels(t.casualties, t.actors, t.sources).str.contains(" · ").all())
    True
    """
    require_columns(casualties, ["claimant", "source_id", "reported_on"], "claim_labels")
    names = actors.set_index("actor_id")["name"].to_dict()
    names["unknown"] = NO_CLAIMANT
    pubs = sources.set_index("source_id")["publisher"].to_dict()
    out = []
    for row in casualties.itertuples():
        day = "" if pd.isna(row.reported_on) else f", {pd.Timestamp(row.reported_on):%-d %b %Y}"
        who = names.get(row.claimant, row.claimant)
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
    reconciled: pd.DataFrame | None = None,
    wrap: int = 46,
    sources: pd.DataFrame | None = None,
) -> plt.Axes:
    """Draw every casualty claim as a low–high bar with its best value, grouped by event and group.

    One row per claim, labelled by ``labels`` (see :func:`claim_labels`; default: the claimant id),
    wrapped at ``wrap`` characters and never cut, sorted by best value within each group. A bounded
    claim is a solid dot on a solid low–high bar; an open-ended claim ("at least 25") carries less
    ink: a hollow marker and a short, faint dotted stub. Partial counts (scope ``part``) are squares,
    after the totals. Where ``reconciled`` (default: :func:`helpers.casualties.reconcile` of
    ``casualties``, with ``sources``) has the block's event, group and outcome, its best is a vertical line over a
    band from low to high, labelled "reconciled best N (low–high)". Returns the Axes; raises
    ValueError for an unknown outcome or events without claims.

    >>> from helpers import load
    >>> t = load()
    >>> ax = plot_casualty_claims(t.casualties, event_ids=["k1_rocket_attack"], outcome="wounded")
    >>> len(ax.get_yticks()) > 0
    True
    """
    require_columns(
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
    if reconciled is None:
        reconciled = reconcile(casualties, sources)
    text = labels if labels is not None else claims["claimant"].astype(str)
    order = {e: i for i, e in enumerate(event_ids or sorted(claims["event_id"].unique()))}
    claims = claims.assign(order_=claims["event_id"].map(order), is_part=claims["scope"].eq("part"), label_=text.reindex(claims.index))
    claims = claims.sort_values(["order_", "is_part", "group", "best", "claim_id"])
    blocks = _blocks(claims, reconciled, outcome)
    n_rows = sum(len(b) + 1 + (r is not None) for _, b, r in blocks)
    if ax is None:
        _, ax = plt.subplots(figsize=(9.6, 0.3 * n_rows + 1.2))
    xmax = float(max(claims["high"].fillna(claims["best"]).max(), claims["best"].max())) * 1.12 + 1
    stub = 0.06 * xmax
    ticks, ticklabels = [], []
    y = n_rows
    for (_, group), block, rec in blocks:
        ax.text(0, y, group, fontsize=9, fontweight="bold", va="center", ha="left", color="#222222", gid="group-header")
        top = y - 0.5
        y -= 1
        for row in block.itertuples():
            _draw_claim(ax, row, y, stub)
            ticks.append(y)
            ticklabels.append(_wrap(str(row.label_) + (" (partial count)" if row.is_part else ""), wrap))
            y -= 1
        if rec is not None:
            _draw_reconciled(ax, rec, top, y)
            y -= 1
    ax.set_yticks(ticks, ticklabels, fontsize=8.5, linespacing=1.0)
    ax.set_ylim(0.3, n_rows + 0.7)
    ax.set_xlim(0, xmax)
    ax.set_xlabel(f"People {outcome}, as claimed")
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#EEEEEE", lw=0.6)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title)
    return ax


def _wrap(label: str, width: int) -> str:
    """Wrap a claim label onto lines of at most ``width`` characters, keeping dates ("30 Dec 2019") whole; nothing is cut.

    >>> print(_wrap("Ministry of Foreign Affairs of Iran · Al Arabiya, 31 Dec 2019", 38).replace("\\xa0", " "))
    Ministry of Foreign Affairs of Iran ·
    Al Arabiya, 31 Dec 2019
    """
    return textwrap.fill(re.sub(r"(\d{1,2}) (\w{3}) (\d{4})", "\\1\u00a0\\2\u00a0\\3", label), width=width)


def _blocks(claims: pd.DataFrame, reconciled: pd.DataFrame, outcome: str) -> list:
    """Return [((event_id, group), claims of the block, reconciled row or None)] in drawing order."""
    rec = reconciled[reconciled["outcome"] == outcome].set_index(["event_id", "group"]) if not reconciled.empty else None
    out = []
    for key in dict.fromkeys(zip(claims["event_id"], claims["group"], strict=True)):
        block = claims[(claims["event_id"] == key[0]) & (claims["group"] == key[1])]
        row = rec.loc[key] if rec is not None and key in rec.index and not block["is_part"].all() else None
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        out.append((key, block, row))
    return out


def _draw_claim(ax: plt.Axes, row, y: float, stub: float) -> None:
    """Draw one claim: bounded = solid bar and dot; open-ended = faint dotted stub and hollow marker; partial = square."""
    colour = "#333333"
    marker = "s" if row.is_part else "o"
    gid = f"claim:{row.claim_id}"
    if pd.notna(row.high):
        if row.high > row.low:
            ax.plot([row.low, row.high], [y, y], color=colour, lw=1.8, solid_capstyle="butt", gid=gid + ":range")
        ax.scatter([row.best], [y], s=30, marker=marker, color=colour, edgecolor=colour, zorder=3, gid=gid)
    else:
        ax.plot([row.best, row.best + stub], [y, y], color=colour, lw=0.8, ls=(0, (1, 2)), alpha=0.45, gid=gid + ":open")
        ax.scatter([row.best], [y], s=30, marker=marker, facecolor="white", edgecolor="#777777", linewidth=0.9, zorder=3, gid=gid)


def _draw_reconciled(ax: plt.Axes, rec, top: float, bottom: float) -> None:
    """Draw the reconciled best as a vertical line over a low–high band across one block, labelled at its foot."""
    colour = "#0072B2"
    ax.fill_betweenx([bottom + 0.5, top], rec["low"], rec["high"], color=colour, alpha=0.08, lw=0, zorder=0, gid="reconciled-range")
    ax.plot([rec["best"], rec["best"]], [bottom + 0.5, top], color=colour, lw=1.4, zorder=2, gid="reconciled-best")
    span = f" ({int(rec['low'])}–{int(rec['high'])}{'' if rec['high_bounded'] else '+'})" if rec["low"] != rec["high"] else ""
    ax.text(
        rec["best"],
        bottom,
        f" reconciled best {int(rec['best'])}{span}",
        color=colour,
        fontsize=9,
        fontweight="bold",
        va="center",
        ha="left",
        gid="reconciled-label",
    )


def claims_legend(ax: plt.Axes) -> None:
    """Add the key to the claim marks under the axes: bounded, open-ended, partial count, reconciled best and range."""
    colour = "#333333"
    handles = [
        Line2D([], [], color=colour, lw=1.8, marker="o", markersize=5.5, label="claim: best, with low–high"),
        Line2D(
            [],
            [],
            color=colour,
            lw=0.8,
            ls=(0, (1, 2)),
            alpha=0.6,
            marker="o",
            markerfacecolor="white",
            markeredgecolor="#777777",
            markersize=5.5,
            label='open-ended ("at least N")',
        ),
        Line2D([], [], color=colour, ls="", marker="s", markersize=5.5, label="partial count"),
        Line2D([], [], color="#0072B2", lw=1.4, label="reconciled best (notebook 03)"),
        Patch(facecolor="#0072B2", alpha=0.15, label="reconciled low–high"),
    ]
    renderer = ax.figure.canvas.get_renderer()
    below = (ax.get_tightbbox(renderer).y0 - 4 - ax.bbox.y0) / ax.bbox.height
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, below), ncol=3, fontsize=8.5, borderaxespad=0.0, columnspacing=1.2)
