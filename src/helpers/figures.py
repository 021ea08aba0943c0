"""The collection's key figures: each function draws one from the tables and returns it with its data.

Notebooks call these to show the figures; ``python -m helpers render`` calls them to write
``figures/NAME.png`` and the data behind each figure as ``figures/NAME.csv``.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from helpers import maps, paths, style, timeline
from helpers.analysis import response_chains

#: Events named on the escalation timeline.
TIMELINE_LABELS = {
    "k1_rocket_attack": "K-1 rockets",
    "strike_iraq_1": "US strikes on KH",
    "embassy_assault": "Embassy stormed",
    "baghdad_airport_strike": "Soleimani killed",
    "parliament_resolution": "Parliament vote",
    "iran_missiles_ain_al_asad": "Iran's missiles",
    "ps752_shootdown": "PS752 downed",
}
STRIKE_EVENTS = ["strike_iraq_1", "strike_iraq_2", "strike_iraq_3", "strike_syria_1", "strike_syria_2"]
SOURCE_LINE = "Source: data/events.csv, casualties.csv (each row cites its sources); killed = reconciled best estimate (notebook 03)."


def show(fig: plt.Figure, dpi: int = 90) -> None:
    """Display a figure in a notebook as a PNG only (no '<Figure size ...>' text), then close it.

    >>> from helpers import load
    >>> fig, _ = intensity(load())  # doctest: +SKIP
    >>> show(fig)  # doctest: +SKIP
    <IPython.core.display...
    """
    import io

    from IPython.display import display

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    display({"image/png": buf.getvalue()}, raw=True)


def escalation_timeline(t, start: str = "2019-12-24", end: str = "2020-01-12") -> tuple[plt.Figure, pd.DataFrame]:
    """The escalation from K-1 to Iran's missiles: lanes by actor, arrows from cause to response.

    >>> from helpers import load
    >>> fig, data = escalation_timeline(load())  # doctest: +SKIP
    >>> "lane" in data.columns  # doctest: +SKIP
    True
    """
    fig, ax = plt.subplots(figsize=(12, 5.6))
    timeline.plot_timeline(
        t.events,
        t.actors,
        t.casualties,
        start=start,
        end=end,
        ax=ax,
        labels=TIMELINE_LABELS,
        title="From K-1 to Iran's missiles: who struck whom, and what answered what",
    )
    shown = sorted({str(x) for x in t.events.loc[(t.events["date"] >= start) & (t.events["date"] <= end), "event_type"]})
    timeline.type_legend(ax, [x for x in style.EVENT_MARKERS if x in shown])
    style.add_source_note(fig, SOURCE_LINE + " Times in UTC from each place's offset.")
    fig.subplots_adjust(bottom=0.16)
    data = timeline.timeline_frame(t.events, t.actors, t.casualties)
    data = data[(data["date"] >= start) & (data["date"] <= end)]
    return fig, data[["event_id", "date", "instant", "lane", "event_type", "responds_to", "killed_low", "killed_best", "killed_high"]]


def overview_timeline(t) -> tuple[plt.Figure, pd.DataFrame]:
    """The whole arc, May 2019 to March 2020, on one axis.

    >>> from helpers import load
    >>> fig, data = overview_timeline(load())  # doctest: +SKIP
    >>> len(data) > 40  # doctest: +SKIP
    True
    """
    fig, ax = plt.subplots(figsize=(12, 5.0))
    timeline.plot_timeline(
        t.events,
        t.actors,
        t.casualties,
        start="2019-04-25",
        end="2020-03-25",
        ax=ax,
        arrows=True,
        fatality_labels=False,
        title="May 2019 – March 2020: deployments, attacks on bases, strikes and statements of force",
    )
    shown = sorted({str(x) for x in t.events["event_type"]})
    timeline.type_legend(ax, [x for x in style.EVENT_MARKERS if x in shown])
    style.add_source_note(fig, SOURCE_LINE)
    fig.subplots_adjust(bottom=0.16)
    data = timeline.timeline_frame(t.events, t.actors, t.casualties)
    return fig, data[["event_id", "date", "instant", "lane", "event_type", "responds_to", "killed_best"]]


def strike_map(t) -> tuple[plt.Figure, pd.DataFrame]:
    """Where the strikes and the attacks they answered took place.

    >>> from helpers import load
    >>> fig, data = strike_map(load())  # doctest: +SKIP
    >>> "geo_precision" in data.columns  # doctest: +SKIP
    True
    """
    fig = maps.plot_strike_map(t.events, t.sites, title="Where the strikes and attacks hit, May 2019 – March 2020")
    pts = maps.event_points(t.events, t.sites)
    data = pd.DataFrame(pts.drop(columns="geometry")).groupby(["site_id", "site_name", "lat", "lon", "geo_precision"], observed=True)
    data = data["event_id"].agg(lambda s: ";".join(sorted(s))).rename("event_ids").reset_index()
    return fig, data


def casualty_claims(
    t, event_ids: list[str] | None = None, outcome: str = "killed", title: str | None = None
) -> tuple[plt.Figure, pd.DataFrame]:
    """Every claim of the dead of the 29 December strikes (by default), with its claimant and outlet.

    >>> from helpers import load
    >>> fig, data = casualty_claims(load())  # doctest: +SKIP
    >>> set(data["outcome"])  # doctest: +SKIP
    {'killed'}
    """
    ids = event_ids or ["strike_iraq_1", "strike_syria_1"]
    labels = timeline.claim_labels(t.casualties, t.actors, t.sources)
    ax = timeline.plot_casualty_claims(
        t.casualties, labels=labels, event_ids=ids, outcome=outcome, title=title or "The dead of the 29 December strikes, claim by claim"
    )
    fig = ax.figure
    style.add_source_note(fig, "Source: data/casualties.csv; one row per claim, named by claimant · outlet, date reported.")
    fig.subplots_adjust(bottom=0.09)
    data = t.casualties[t.casualties["event_id"].isin(ids) & (t.casualties["outcome"] == outcome)]
    return fig, data.assign(label=labels.reindex(data.index))


def reactions_map(t, event_ids: list[str] | None = None) -> tuple[plt.Figure, pd.DataFrame]:
    """Governments shaded by the stance they voiced most often about the 29 December strikes.

    >>> from helpers import load
    >>> fig, stances = reactions_map(load())  # doctest: +SKIP
    >>> "IRQ" in set(stances["iso_a3"])  # doctest: +SKIP
    True
    """
    ids = event_ids or STRIKE_EVENTS
    stances = maps.country_stances(t.reactions, t.actors, ids)
    ax = maps.plot_reactions_map(stances, title="How governments answered the 29 December strikes")
    style.add_source_note(
        ax.figure, "Source: data/reactions.csv, statements by states and their bodies about the five strikes, 29–31 Dec 2019."
    )
    return ax.figure, stances


def intensity(t, start: str = "2019-12-20", end: str = "2020-01-15", freq: str = "D") -> tuple[plt.Figure, pd.DataFrame]:
    """The escalation-intensity index: hostile acts and statements scored on the Goldstein scale.

    >>> from helpers import load
    >>> fig, series = intensity(load())  # doctest: +SKIP
    >>> series.index.name  # doctest: +SKIP
    'period'
    """
    series = timeline.intensity_series(
        t.events, t.reactions, t.actors, t.event_type_cameo, t.cameo_goldstein, start=start, end=end, freq=freq
    )
    fig, ax = plt.subplots(figsize=(12, 4.4))
    period = {"D": "day", "W": "week"}.get(freq, freq)
    timeline.plot_intensity(series, ax=ax, title=f"Hostility per {period}, by who acted or spoke (sum of −Goldstein)")
    style.add_source_note(
        fig, "Source: data/events.csv and reactions.csv, CAMEO codes scored with GDELT's Goldstein table (data/reference/)."
    )
    fig.subplots_adjust(bottom=0.16)
    return fig, series


def response_intervals(t) -> pd.DataFrame:
    """The chains of cause and response with their intervals (a table, not a figure).

    >>> from helpers import load
    >>> "hours" in response_intervals(load()).columns
    True
    """
    return response_chains(t.events, t.actors)


KEY_FIGURES = {
    "escalation_timeline": escalation_timeline,
    "overview_timeline": overview_timeline,
    "strike_map": strike_map,
    "casualty_claims": casualty_claims,
    "reactions_map": reactions_map,
    "intensity": intensity,
}


def save_key_figures(t, out_dir: Path | None = None) -> list[Path]:
    """Write every key figure as PNG, with its data as CSV, to figures/; return the paths written.

    >>> import tempfile
    >>> from helpers import load
    >>> len(save_key_figures(load(), tempfile.mkdtemp()))  # doctest: +SKIP
    12
    """
    out_dir = Path(out_dir or paths.FIGURES_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    style.use_style()
    written = []
    for name, make in KEY_FIGURES.items():
        fig, data = make(t)
        png = out_dir / f"{name}.png"
        fig.savefig(png, dpi=110, metadata={"Software": None})
        data.to_csv(out_dir / f"{name}.csv", index=not isinstance(data.index, pd.RangeIndex), lineterminator="\n")
        plt.close(fig)
        written += [png, out_dir / f"{name}.csv"]
    return written
