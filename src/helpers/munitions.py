"""Claimed counts of weapons (rockets, missiles, drones) side by side per claimant, and their chart."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import style
from helpers.columns import require_columns
from helpers.names import NO_CLAIMANT

#: Measures in reading order, with the words a chart uses for them.
MEASURE_LABELS = {"fired": "fired", "impacts": "landed", "hit_target": "hit the target", "failed": "failed", "intercepted": "intercepted"}


def munition_claims(t, event_id: str, covers: str | None = None) -> pd.DataFrame:
    """Return the weapon-count claims of one event, one row per claim, ready to draw.

    In: the tables; ``covers`` keeps only "event" or "operation" counts (None keeps both). Out:
    columns claim_id, measure, weapon, low, best, high (weapons; high NaN when open-ended),
    open_ended, claimant (name), outlet (publisher), as_reported, reported_on, covers, label; sorted by
    measure, then claimant. Raises ValueError when the event has no such claim.

    >>> from helpers import load
    >>> len(munition_claims(load(), "k1_rocket_attack")) > 5
    True
    """
    mu = t.munitions[t.munitions["event_id"] == event_id]
    if covers is not None:
        mu = mu[mu["covers"].astype(str) == covers]
    if mu.empty:
        raise ValueError(f"no weapon-count claims for event {event_id!r} (covers={covers!r})")
    names = t.actors.set_index("actor_id")["name"]
    outlets = t.sources.set_index("source_id")["publisher"]
    out = mu.assign(
        claimant=mu["claimant"].map(lambda c: names.get(c, c)),
        outlet=mu["source_id"].map(outlets),
        open_ended=mu["high"].isna(),
        measure=mu["measure"].astype(str),
        weapon=mu["weapon"].astype(str),
        covers=mu["covers"].astype(str),
    )
    own = mu["claimant"].astype(str).eq("unknown")
    out["label"] = (out["claimant"] + " — " + out["outlet"]).where(~own, f"{NO_CLAIMANT} — " + out["outlet"])
    order = {m: i for i, m in enumerate(MEASURE_LABELS)}
    out = out.assign(_m=out["measure"].map(order)).sort_values(["_m", "best", "claimant", "claim_id"]).drop(columns="_m")
    cols = [
        "claim_id",
        "measure",
        "weapon",
        "low",
        "best",
        "high",
        "open_ended",
        "claimant",
        "outlet",
        "as_reported",
        "reported_on",
        "covers",
        "label",
    ]
    return out[cols].reset_index(drop=True)


def plot_munition_claims(claims: pd.DataFrame, *, title: str, ax: plt.Axes | None = None) -> plt.Axes:
    """Draw each claimed count as a dot (best) with a bar (low–high); open-ended claims get a faint dotted stub.

    One row per claim, grouped by measure (fired, landed, failed, ...), labelled by claimant and
    outlet in full. An open-ended claim ("more than 30") carries less ink than a bounded one: a
    hollow dot and a short dotted stub, never a bar to the axis end.

    >>> from helpers import load
    >>> ax = plot_munition_claims(munition_claims(load(), "k1_rocket_attack"), title="K-1")
    >>> len(ax.get_yticklabels()) > 5
    True
    """
    require_columns(claims, ["measure", "low", "best", "high", "open_ended", "label"], "plot_munition_claims")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.32 * len(claims) + 1.6))
    y = np.arange(len(claims))[::-1]
    colours = dict(zip(MEASURE_LABELS, [style.OKABE_ITO[c] for c in ("blue", "vermillion", "green", "orange", "purple")], strict=True))
    for yi, row in zip(y, claims.itertuples(), strict=True):
        colour = colours[row.measure]
        if row.open_ended:
            ax.plot([row.best, row.best * 1.12 + 0.5], [yi, yi], ls=":", lw=1, color=colour, alpha=0.6)
            ax.plot([row.best], [yi], "o", mfc="white", mec=colour, ms=6)
        else:
            ax.plot([row.low, row.high], [yi, yi], lw=2.5, color=colour, alpha=0.7, solid_capstyle="butt")
            ax.plot([row.best], [yi], "o", color=colour, ms=6)
    ax.set_yticks(y, claims["label"], fontsize=8)
    for measure, colour in colours.items():
        if (claims["measure"] == measure).any():
            ax.plot([], [], "o", color=colour, label=MEASURE_LABELS[measure])
    ax.plot([], [], "o", mfc="white", mec="#555555", ls=":", color="#555555", label="open-ended ('more than', 'at least')")
    ax.set_xlim(left=0)
    ax.set_xlabel("Number of weapons claimed (dot: best reading; bar: low–high)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, title="Measure", title_fontsize=8, alignment="left")
    ax.set_title(title, loc="left")
    ax.grid(axis="x", alpha=0.3)
    return ax
