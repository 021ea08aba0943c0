"""The collection's key figures: each function draws one from the tables and returns it with its data.

Notebooks call these to show the figures; ``python -m helpers render`` calls them to write
``figures/NAME.png`` and the data behind each figure as ``figures/NAME.csv``.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from helpers import claims_chart, maps, paths, style, timeline
from helpers import intensity as intensity_index
from helpers.analysis import response_chains

#: Events named on the escalation timeline (headline figure).
TIMELINE_LABELS = {
    "k1_rocket_attack": "K-1 rockets",
    "strike_iraq_1": "US strikes on KH",
    "embassy_assault": "Embassy stormed",
    "baghdad_airport_strike": "Soleimani strike",
    "taji_convoy_strike": "Taji convoy strike",
    "parliament_resolution": "Parliament vote",
    "iran_missiles_ain_al_asad": "Iran's missiles",
    "ps752_shootdown": "PS752 downed",
    "kerman_stampede": "Kerman stampede",
}
#: Key events named on the overview timeline, May 2019 – March 2020.
OVERVIEW_LABELS = {
    "deploy_lincoln_csg_bombers": "Carrier group sent",
    "shootdown_global_hawk": "Global Hawk downed",
    "abqaiq_attack": "Abqaiq attack",
    "k1_rocket_attack": "K-1 rockets",
    "baghdad_airport_strike": "Soleimani strike",
    "iran_missiles_ain_al_asad": "Iran's missiles",
    "ps752_shootdown": "PS752 downed",
}
STRIKE_EVENTS = ["strike_iraq_1", "strike_iraq_2", "strike_iraq_3", "strike_syria_1", "strike_syria_2"]
SOURCE_LINE = "Source: data/events.csv, casualties.csv (each row cites its sources); killed = reconciled best estimate (notebook 03)."


def _day(text: str) -> str:
    """'2019-12-26' as '26 December 2019'."""
    return f"{pd.Timestamp(text):%-d %B %Y}"


def alt_text(t) -> dict[str, str]:
    """Return one sentence of alternative text per key figure, its numbers and dates computed from the tables.

    In: the tables. Out: {figure name: sentence}. Windows are the figure functions' defaults;
    tolls are the reconciled figures of helpers.casualties. Written into each PNG's Description
    and shown under each figure in the notebooks.

    >>> from helpers import load
    >>> sorted(alt_text(load())) == sorted(KEY_FIGURES)
    True
    """
    from helpers.casualties import event_totals, reconcile

    rec = reconcile(t.casualties, t.sources).set_index(["event_id", "actor_id", "outcome"])
    strike = rec.loc[("strike_iraq_1", "kh", "killed")]
    k1 = event_totals(t.casualties, sources=t.sources).set_index("event_id").loc["k1_rocket_attack"]
    esc = inspect.signature(escalation_timeline).parameters
    ovr = inspect.signature(overview_timeline).parameters
    inten = inspect.signature(intensity).parameters
    return {
        "escalation_timeline": (
            f"Timeline from {_day(esc['start'].default)} to {_day(esc['end'].default)} in lanes by actor (United States, Kata'ib"
            f" Hezbollah and the PMU, Iran, the Iraqi state, others), with arrows from each event to those presented as"
            f" answering it: the K-1 rockets ({k1['best']} killed) were answered by five US strikes on Kata'ib Hezbollah"
            f" (reconciled {strike['best']} killed, claims {strike['low']} to {strike['high']}), then came the storming of the"
            " embassy, the drone strike that killed Soleimani, and Iran's missiles on Ain al-Asad and Erbil."
        ),
        "overview_timeline": (
            f"Timeline from {_day(ovr['start'].default)} to {_day(ovr['end'].default)} in actor lanes: US deployments through"
            " the summer and autumn, unclaimed rockets on bases hosting US forces from October, a dense cluster of strikes,"
            " killings and missiles from late December to early January, and further rocket attacks into March."
        ),
        "strike_map": (
            "Map of Iraq and its neighbours marking each site of an attack, strike, protest or decision by event type, with a"
            " zoomed panel on the five 29 December strikes near al-Qaim in Iraq and Abu Kamal across the border in Syria and"
            " another on the Baghdad sites, each point ringed by how precisely it is known."
        ),
        "casualty_claims": (
            "Chart of every published claim of the number killed by the 29 December US strikes, one row per claimant and"
            f" outlet, ranging from {strike['low']} to {strike['high']}, with open-ended claims drawn faint and the reconciled"
            f" best estimate of {strike['best']} marked as a vertical line."
        ),
        "reactions_map": (
            "Map shading each government by the stance it voiced most often about the 29 December strikes, with the number"
            " of statements behind it; Kata'ib Hezbollah, the PMU and other armed groups are listed apart from the states."
        ),
        "intensity": (
            f"Two-panel chart of hostility per day from {_day(inten['start'].default)} to {_day(inten['end'].default)}: acts"
            " scored on the Goldstein scale as bars stacked by who acted, and the words of the average speaker below, on"
            " their own scale, never added to the acts."
        ),
    }


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


def _timeline_figure(t, *, start, end, labels, title, height, source, **kwargs) -> plt.Figure:
    """Draw a timeline at README width (8.6 in) with its legends under the axes and the source line last."""
    fig = plt.figure(figsize=(8.6, height))
    ax = fig.add_axes((0.16, 1.9 / height, 0.83, 1 - 2.45 / height))
    timeline.plot_timeline(
        t.events, t.actors, t.casualties, start=start, end=end, ax=ax, labels=labels, title=title, sources=t.sources, **kwargs
    )
    frame = timeline.timeline_frame(t.events, t.actors, t.casualties, t.sources)
    shown = frame[(frame["instant"] >= pd.Timestamp(start)) & (frame["instant"] <= pd.Timestamp(end))]
    types = {str(x) for x in shown["event_type"]}
    timeline.type_legend(
        ax,
        [x for x in style.EVENT_MARKERS if x in types],
        killed_refs=timeline.size_key_values(shown["killed_best"].max()),
        size_scale=kwargs.get("size_scale", 1.0),
    )
    style.add_source_note(fig, source, below_content=True)
    return fig


def escalation_timeline(t, start: str = "2019-12-26", end: str = "2020-01-10") -> tuple[plt.Figure, pd.DataFrame]:
    """The escalation from K-1 to Iran's missiles: lanes by actor, arrows from cause to response.

    >>> from helpers import load
    >>> fig, data = escalation_timeline(load())  # doctest: +SKIP
    >>> "lane" in data.columns  # doctest: +SKIP
    True
    """
    fig = _timeline_figure(
        t,
        start=start,
        end=end,
        labels=TIMELINE_LABELS,
        title="From K-1 to Iran's missiles: who struck whom, and what answered what",
        height=7.4,
        source=SOURCE_LINE + " Times in UTC from each place's offset.",
    )
    data = timeline.timeline_frame(t.events, t.actors, t.casualties, t.sources)
    data = data[(data["date"] >= start) & (data["date"] <= end)]
    return fig, data[["event_id", "date", "instant", "lane", "event_type", "responds_to", "killed_low", "killed_best", "killed_high"]]


def overview_timeline(t, start: str = "2019-04-25", end: str = "2020-03-31") -> tuple[plt.Figure, pd.DataFrame]:
    """The whole arc, May 2019 to March 2020, on one axis; the twelve days of the headline timeline are shaded.

    >>> from helpers import load
    >>> fig, data = overview_timeline(load())  # doctest: +SKIP
    >>> len(data) > 40  # doctest: +SKIP
    True
    """
    fig = _timeline_figure(
        t,
        start=start,
        end=end,
        labels=OVERVIEW_LABELS,
        title="May 2019 – March 2020: deployments, attacks on bases, strikes and other events",
        height=6.6,
        source=SOURCE_LINE,
        fatality_labels=False,
        group_hours=36,
        size_scale=0.55,
        min_arrow_days=5,
    )
    data = timeline.timeline_frame(t.events, t.actors, t.casualties, t.sources)
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
    labels = claims_chart.claim_labels(t.casualties, t.actors, t.sources)
    ax = claims_chart.plot_casualty_claims(
        t.casualties,
        labels=labels,
        event_ids=ids,
        outcome=outcome,
        title=title or "The dead of the 29 December strikes, claim by claim",
        sources=t.sources,
    )
    fig = ax.figure
    fig.subplots_adjust(left=0.42, right=0.97, top=1 - 0.45 / fig.get_figheight(), bottom=1.3 / fig.get_figheight())
    claims_chart.claims_legend(ax)
    style.add_source_note(
        fig, "Source: data/casualties.csv; one row per claim, named by claimant · outlet, date reported.", below_content=True
    )
    data = t.casualties[t.casualties["event_id"].isin(ids) & (t.casualties["outcome"] == outcome)]
    return fig, data.assign(label=labels.reindex(data.index))


def reactions_map(t, event_ids: list[str] | None = None) -> tuple[plt.Figure, pd.DataFrame]:
    """Governments shaded by the stance they voiced most often about the 29 December strikes; armed groups listed apart.

    >>> from helpers import load
    >>> fig, stances = reactions_map(load())  # doctest: +SKIP
    >>> "IRQ" in set(stances["iso_a3"].dropna())  # doctest: +SKIP
    True
    """
    ids = event_ids or STRIKE_EVENTS
    stances = maps.country_stances(t.reactions, t.actors, ids)
    ax = maps.plot_reactions_map(stances, title="How governments answered the 29 December strikes")
    style.add_source_note(
        ax.figure,
        "Source: data/reactions.csv, statements by states and their bodies (and, listed apart, armed groups) about the five strikes,"
        " 29–31 Dec 2019; counts are statements of the stance shown, of all the speaker's statements.",
        below_content=True,
    )
    return ax.figure, stances


def intensity(t, start: str = "2019-12-20", end: str = "2020-01-15", freq: str = "D") -> tuple[plt.Figure, pd.DataFrame]:
    """The escalation-intensity index: acts (sum per lane) and words (per-speaker maximum, averaged), never summed.

    Returns the figure and one frame with the act columns (lanes, prefixed "acts: ") and the
    word columns (score, statements, speakers) per period.

    >>> from helpers import load
    >>> fig, series = intensity(load())  # doctest: +SKIP
    >>> series.index.name  # doctest: +SKIP
    'period'
    """
    window = {"freq": freq, "start": start, "end": end}
    acts = intensity_index.acts_series(t.events, t.actors, t.event_type_cameo, t.cameo_goldstein, **window)
    words = intensity_index.words_series(t.reactions, **window)
    period = {"D": "day", "W": "week"}.get(freq, freq)
    fig = intensity_index.plot_acts_and_words(acts, words, title=f"Hostility per {period}: acts and words, kept apart")
    style.add_source_note(
        fig, "Source: data/events.csv and reactions.csv, CAMEO codes scored with GDELT's Goldstein table (data/reference/)."
    )
    fig.subplots_adjust(bottom=0.12, right=0.78)
    data = acts.add_prefix("acts: ").join(words.add_prefix("words: "))
    return fig, data


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
    """Write every key figure as PNG (its alt_text in the PNG's Description), with its data as CSV, to figures/; return the paths.

    >>> import tempfile
    >>> from helpers import load
    >>> len(save_key_figures(load(), tempfile.mkdtemp()))  # doctest: +SKIP
    12
    """
    out_dir = Path(out_dir or paths.FIGURES_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    style.use_style()
    alts = alt_text(t)
    written = []
    for name, make in KEY_FIGURES.items():
        fig, data = make(t)
        png = out_dir / f"{name}.png"
        with paths.atomic_write(png) as tmp:
            fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None, "Description": alts[name]})
        with paths.atomic_write(out_dir / f"{name}.csv") as tmp:
            data.to_csv(tmp, index=not isinstance(data.index, pd.RangeIndex), lineterminator="\n")
        plt.close(fig)
        written += [png, out_dir / f"{name}.csv"]
    return written
