"""When each number appeared: the disputed figures plotted against the date they were reported."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from helpers import style
from helpers.names import NO_CLAIMANT
from helpers.timeline import SEED_DATE

#: The disputed figures drawn, in panel order: (title, table, filter on that table).
SERIES = [
    ("Killed in the 29 December strikes", "casualties",
     {"event_id": "strike_iraq_1", "outcome": "killed", "scope": "total"}),
    ("US service members injured at Ain al-Asad", "casualties",
     {"event_id": "iran_missiles_ain_al_asad", "outcome": "wounded", "actor_id": "us_forces"}),
    ("Rockets fired at K-1", "munitions", {"event_id": "k1_rocket_attack", "measure": "fired"}),
    ("Missiles fired on 8 January (whole operation)", "munitions",
     {"event_id": "iran_missiles_ain_al_asad", "measure": "fired", "covers": "operation"}),
]  # fmt: skip


def claims_over_time(t) -> pd.DataFrame:
    """Return every dated claim of the disputed figures: series, reported_on, low, best, high, open_ended, claimant (name), claim_id.

    Claims without a reported_on date cannot be placed in time and are left out; the count of
    those left out per series is in the frame's ``attrs["undated"]``.

    >>> from helpers import load
    >>> set(claims_over_time(load())["series"]) == {s[0] for s in SERIES}
    True
    """
    names = t.actors.set_index("actor_id")["name"]
    frames, undated = [], {}
    for title, table, where in SERIES:
        frame = getattr(t, table)
        mask = pd.Series(True, index=frame.index)
        for col, value in where.items():
            mask &= frame[col].astype(str) == value
        rows = frame[mask]
        undated[title] = int(rows["reported_on"].isna().sum())
        rows = rows.dropna(subset=["reported_on"])
        frames.append(
            pd.DataFrame(
                {
                    "series": title,
                    "reported_on": rows["reported_on"],
                    "low": rows["low"].astype(int),
                    "best": rows["best"].astype(int),
                    "high": rows["high"].astype("Float64"),
                    "open_ended": rows["high"].isna(),
                    "claimant": rows["claimant"].map(lambda c: NO_CLAIMANT if c == "unknown" else names.get(c, c)),
                    "claim_id": rows["claim_id"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).sort_values(["series", "reported_on", "claim_id"]).reset_index(drop=True)
    out.attrs["undated"] = undated
    return out


def plot_claims_over_time(claims: pd.DataFrame, *, top: int = 6, letter: str | None = None) -> plt.Figure:
    """Draw one panel per disputed figure: each claim a point at its report date (bar: low–high), coloured by claimant.

    The ``top`` most frequent claimants get a colour of their own; the rest are grey. The seed
    article's date is marked in every panel. ``letter`` ("d") prefixes the title, for a figure
    that is one of several lettered charts. Returns the figure.

    >>> from helpers import load
    >>> fig = plot_claims_over_time(claims_over_time(load()))
    >>> len(fig.axes)
    4
    """
    present = set(claims["series"])
    series = [name for name, _, _ in SERIES if name in present] + sorted(present - {name for name, _, _ in SERIES})
    fig, axes = plt.subplots(len(series), 1, figsize=(10, 2.4 * len(series) + 1.2), sharex=True)
    axes = list(axes) if len(series) > 1 else [axes]
    common = claims["claimant"].value_counts().index[:top].tolist()
    palette = [style.OKABE_ITO[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky_blue")]
    colour = {c: palette[i % len(palette)] for i, c in enumerate(sorted(common))}
    for ax, name in zip(axes, series, strict=True):
        rows = claims[claims["series"] == name]
        for r in rows.itertuples():
            c = colour.get(r.claimant, style.OKABE_ITO["grey"])
            if not r.open_ended and r.high > r.low:
                ax.plot([r.reported_on, r.reported_on], [r.low, r.high], color=c, lw=1.2, alpha=0.6)
            ax.plot([r.reported_on], [r.best], "o", color=c, mfc="white" if r.open_ended else c, ms=5)
        ax.axvline(SEED_DATE, color="#222222", ls="--", lw=1)
        ax.set_title(name, loc="left", fontsize=10)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
    axes[0].text(SEED_DATE, axes[0].get_ylim()[1], " seed article", fontsize=8, va="top")
    for c in sorted(common):
        axes[0].plot([], [], "o", color=colour[c], label=c)
    axes[0].plot([], [], "o", color=style.OKABE_ITO["grey"], label="other claimants")
    axes[0].plot([], [], "o", mfc="white", mec="#555555", ls="", label="open-ended ('at least', 'over')")
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="Claimant", title_fontsize=8, alignment="left")
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[-1].set_xlabel("Date the claim was reported")
    title = "When each number appeared: disputed figures by the date they were reported"
    fig.suptitle(f"{letter} · {title}" if letter else title, x=0.02, ha="left", fontsize=11)
    style.add_source_note(fig, "Source: data/casualties.csv and data/munitions.csv (claims with a reported date).")
    fig.subplots_adjust(left=0.08, right=0.72, bottom=0.09, top=0.91, hspace=0.45)
    return fig
