"""Maps and timelines draw what they promise, and refuse bad input clearly."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib_scalebar.scalebar import ScaleBar

from helpers import style
from helpers.maps import country_stances, plot_reactions_map, plot_strike_map
from helpers.timeline import (
    claim_labels,
    event_instants,
    intensity_series,
    plot_casualty_claims,
    plot_intensity,
    plot_timeline,
    timeline_frame,
)


@pytest.fixture(scope="module")
def t(tables):
    """The committed tables (shared session fixture)."""
    return tables


@pytest.fixture(autouse=True)
def _close():
    """Close figures after each test."""
    yield
    plt.close("all")


def png_bytes(fig) -> bytes:
    """Render a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60, metadata={"Software": None})
    return buf.getvalue()


def test_strike_map_has_overview_two_zoom_panels_scale_bars_and_arcs(t):
    """The map has three panels, a scale bar in each, a launch arc and a legend."""
    fig = plot_strike_map(t.events, t.sites)
    assert len(fig.axes) == 3
    for ax in fig.axes:
        assert any(isinstance(a, ScaleBar) for a in ax.artists)
    arcs = [p for p in fig.axes[0].patches if p.get_gid() == "launch-arc"]
    assert len(arcs) == t.events["origin_site_id"].notna().sum()
    assert fig.axes[0].get_legend() is not None


def test_strike_map_names_k1_and_the_strike_sites(t):
    """K-1 is labelled on the overview and the two strike placements in the al-Qaim panel."""
    fig = plot_strike_map(t.events, t.sites)
    main = " ".join(x.get_text() for x in fig.axes[0].texts)
    zoom = " ".join(x.get_text() for x in fig.axes[1].texts)
    assert "K-1 Air Base" in main
    assert "near al-Qaim (3)" in zoom and "eastern Syria (2)" in zoom


def test_strike_map_refuses_unknown_sites(t):
    """An event at a site missing from sites.csv raises ValueError naming it."""
    events = t.events.copy()
    events.loc[0, "site_id"] = "atlantis"
    with pytest.raises(ValueError, match="atlantis"):
        plot_strike_map(events, t.sites)


def test_same_input_gives_the_same_image(t):
    """Drawing the timeline twice gives byte-identical PNGs."""
    style.use_style()
    a = png_bytes(plot_timeline(t.events, t.actors, t.casualties, start="2019-12-20", end="2020-01-12").figure)
    b = png_bytes(plot_timeline(t.events, t.actors, t.casualties, start="2019-12-20", end="2020-01-12").figure)
    assert a == b


def test_timeline_has_one_lane_per_actor_group_and_a_seed_line(t):
    """Lanes come in house order and the seed date is marked."""
    ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-20", end="2020-01-12")
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert labels == [lane for lane in style.LANES if lane in labels]
    assert labels[0] == "United States"
    assert any("Seed article" in x.get_text() for x in ax.texts)


def test_timeline_draws_response_arrows(t):
    """Each visible responds_to link is an arrow."""
    ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-26", end="2019-12-31")
    frame = timeline_frame(t.events, t.actors)
    shown = frame[(frame["instant"] >= "2019-12-26") & (frame["instant"] <= "2019-12-31")]
    links = shown["responds_to"].isin(shown["event_id"]).sum()
    assert sum(p.get_gid() == "responds-to" for p in ax.patches) == links > 0


def test_month_precise_events_are_drawn_as_spans(t):
    """An event known only to the month (November Green Zone rockets) is a line, not just a point."""
    ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-10-20", end="2019-12-10")
    assert any(len(line.get_xdata()) == 2 and line.get_linewidth() >= 4 for line in ax.lines)


def test_event_instants_use_the_utc_offset():
    """01:00 in Baghdad (+03:00) is 22:00 UTC the day before; a day-only event sits at local noon."""
    ev = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-03", "2019-12-29"]),
            "time_local": ["01:00", None],
            "utc_offset": ["+03:00", "-05:00"],
            "date_precision": ["day", "day"],
        }
    )
    assert [str(x) for x in event_instants(ev)] == ["2020-01-02 22:00:00", "2019-12-29 17:00:00"]


def test_timeline_refuses_an_empty_window(t):
    """A window with no events raises ValueError."""
    with pytest.raises(ValueError, match="no events"):
        plot_timeline(t.events, t.actors, start="2001-01-01", end="2001-02-01")


def test_timeline_refuses_missing_columns(t):
    """Missing columns are named."""
    with pytest.raises(ValueError, match="missing column"):
        plot_timeline(t.events.drop(columns=["utc_offset"]), t.actors)


def test_timeline_refuses_unknown_actor(t):
    """An event by an actor absent from actors.csv raises ValueError naming it."""
    events = t.events.copy()
    events["actor_id"] = events["actor_id"].astype("string")
    events.loc[0, "actor_id"] = "martians"
    with pytest.raises(ValueError, match="martians"):
        plot_timeline(events, t.actors)


def test_intensity_is_non_negative_and_spikes_on_29_december(t):
    """The hostility index is >= 0 and its largest day in the window is the day of the US strikes."""
    s = intensity_series(t.events, t.reactions, t.actors, t.event_type_cameo, t.cameo_goldstein, start="2019-12-20", end="2020-01-15")
    assert (s >= 0).all().all()
    assert s.sum(axis=1).idxmax() == pd.Timestamp("2019-12-29")
    ax = plot_intensity(s)
    assert ax.get_ylabel().startswith("Hostility")


def test_casualty_chart_has_one_row_per_claim(t):
    """Every killed claim for the strikes appears as one labelled row."""
    ids = ["strike_iraq_1", "strike_syria_1"]
    ax = plot_casualty_claims(t.casualties, labels=claim_labels(t.casualties, t.actors, t.sources), event_ids=ids)
    n = ((t.casualties["event_id"].isin(ids)) & (t.casualties["outcome"] == "killed")).sum()
    assert len(ax.get_yticks()) == n
    assert sum(isinstance(c, PathCollection) for c in ax.collections) == n


def test_casualty_chart_refuses_events_without_claims(t):
    """Asking for an event with no claims raises ValueError naming it."""
    with pytest.raises(ValueError, match="parliament_resolution"):
        plot_casualty_claims(t.casualties, event_ids=["parliament_resolution"])


def test_reactions_map_shades_iraq_iran_and_israel(t):
    """Iraq and Iran condemned the 29 December strikes and Israel praised them."""
    strikes = [e for e in t.events["event_id"] if e.startswith("strike_")]
    st = country_stances(t.reactions, t.actors, strikes).set_index("iso_a3")["stance"]
    assert (st["IRQ"], st["IRN"], st["ISR"]) == ("condemn", "condemn", "praise")
    ax = plot_reactions_map(st.reset_index().assign(statements=1))
    assert ax.get_legend() is not None


def test_empty_frames_are_refused(t):
    """Empty inputs raise ValueError instead of drawing an empty figure."""
    with pytest.raises(ValueError, match="empty"):
        plot_timeline(t.events.iloc[0:0], t.actors)


def test_deadly_events_carry_their_killed_range(t):
    """The strikes of 29 December are labelled with best (low–high) killed from the reconciled claims."""
    ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-26", end="2019-12-31")
    labels = [a.get_text() for a in ax.texts if a.get_gid() == "fatality-label"]
    assert any(text.startswith("25 (4–55") for text in labels), labels


def test_actor_lanes_follow_parents_and_keep_crowds_out_of_the_state(t):
    """KH climbs to the KH/PMU lane, Trump to the US; protesters and Sistani are not 'the Iraqi state'."""
    assert style.actor_lane("kh", t.actors) == "Kata'ib Hezbollah / PMU"
    assert style.actor_lane("trump", t.actors) == "United States"
    assert style.actor_lane("irq_parliament", t.actors) == "Iraqi state"
    assert style.actor_lane("protesters", t.actors) == style.actor_lane("sistani", t.actors) == "Others / unattributed"
