"""Figures draw what they promise, read at README width, and refuse bad input clearly.

Layout tests measure the rendered figure: text boxes come from the renderer (window extents in
display pixels), arrows and leader lines are followed along their curves.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import io
import re
import weakref

import matplotlib.pyplot as plt
import matplotlib.text as mtext
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.patches import FancyArrowPatch
from matplotlib_scalebar.scalebar import ScaleBar
from PIL import Image

from helpers import figures, style
from helpers.actors import LANES, actor_lane
from helpers.casualties import reconcile
from helpers.claims_chart import claim_labels, plot_casualty_claims
from helpers.maps import country_stances, plot_reactions_map, plot_strike_map
from helpers.timeline import event_instants, marker_area, plot_timeline, timeline_frame


@pytest.fixture(scope="module")
def t(tables):
    """The committed tables (shared session fixture)."""
    return tables


@pytest.fixture(scope="module")
def key(t):
    """Each key figure as the README and notebooks get it, drawn once per module: {name: (fig, data)}."""
    style.use_style()
    made = {name: make(t) for name, make in figures.KEY_FIGURES.items()}
    yield made
    for fig, _ in made.values():
        plt.close(fig)


@pytest.fixture(autouse=True)
def _close():
    """Close pyplot's figures after each test (the module's key figures stay drawable)."""
    yield
    plt.close("all")


def png_bytes(fig) -> bytes:
    """Render a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60, metadata={"Software": None})
    return buf.getvalue()


def agg(fig):
    """Give a figure closed by pyplot its Agg canvas back (closing swaps in a canvas that cannot render); return it."""
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    return fig


#: Figures drawn once already: the key figures are shared by the module and none of its tests changes them,
#: so drawing one again would give the same layout.
_DRAWN: weakref.WeakSet = weakref.WeakSet()


def draw_once(fig):
    """Draw a figure on its Agg canvas unless it has been drawn already (text and tick positions are then current); return it."""
    if fig not in _DRAWN:
        agg(fig).canvas.draw()
        _DRAWN.add(fig)
    return fig


def text_box(text) -> object:
    """Return the display bbox of a text's glyphs (an annotation's leader line excluded)."""
    return mtext.Text.get_window_extent(text, agg(text.figure).canvas.get_renderer())


def drawn_texts(fig) -> list:
    """Return every visible, non-empty text the renderer draws: titles, labels, annotations, legends, in-view tick labels."""
    draw_once(fig)
    ticks, keep = set(), []
    for ax in fig.axes:
        for axis, (lo, hi) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            for tick in axis.get_major_ticks():
                ticks.update((id(tick.label1), id(tick.label2)))
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9 and tick.label1.get_visible() and tick.label1.get_text():
                    keep.append(tick.label1)
    keep += [x for x in fig.findobj(mtext.Text) if id(x) not in ticks and x.get_visible() and x.get_text().strip()]
    return list({id(x): x for x in keep}.values())


def overlapping_texts(fig) -> list[tuple[str, str]]:
    """Return the pairs of drawn texts whose boxes overlap (more than half a pixel both ways)."""
    items = [(x, text_box(x)) for x in drawn_texts(fig)]
    return [(a.get_text(), b.get_text()) for i, (a, ba) in enumerate(items) for b, bb in items[i + 1 :] if style.boxes_overlap(ba, bb)]


def crossed_labels(fig) -> list[tuple[str, str]]:
    """Return (line, label) pairs where an arrow, arc, leader line, panel box or the seed line crosses a text in the same axes."""
    draw_once(fig)
    bad = []
    for ax in fig.axes:
        labels = [x for x in ax.texts if x.get_visible() and x.get_text().strip()]
        lines = [(p, None) for p in ax.patches if isinstance(p, FancyArrowPatch) or p.get_gid() == "panel-box"]
        lines += [(x.arrow_patch, x) for x in labels if getattr(x, "arrow_patch", None) is not None]
        lines += [(ln, None) for ln in ax.lines if ln.get_gid() == "seed-line"]
        for line, owner in lines:
            pts = style.artist_points(line)
            bad += [
                (str(line.get_gid()), x.get_text()) for x in labels if x is not owner and style.points_in_box(pts, text_box(x), pad=1.0)
            ]
    return bad


def markers_by_gid(ax) -> dict[str, np.ndarray]:
    """Return {gid: display position} of the timeline's event markers (gid "event:id;id…")."""
    return {
        c.get_gid(): ax.transData.transform(c.get_offsets()[0])
        for c in ax.collections
        if isinstance(c, PathCollection) and str(c.get_gid()).startswith("event:")
    }


def marker_radii(ax) -> dict[str, float]:
    """Return {gid: radius in px} of the timeline's event markers, their highest-toll ring included."""
    px = ax.figure.dpi / 72.0
    sizes: dict[str, float] = {}
    for c in ax.collections:
        gid = str(c.get_gid())
        if gid.startswith(("event:", "ring:")):
            key = "event:" + gid.split(":", 1)[1]
            sizes[key] = max(sizes.get(key, 0.0), float(np.sqrt(c.get_sizes()[0])) / 2 * px)
    return sizes


def box_distance(point, bbox) -> float:
    """Return the distance (px) from a point to a bbox (0 inside)."""
    x, y = point
    return float(np.hypot(max(bbox.x0 - x, 0, x - bbox.x1), max(bbox.y0 - y, 0, y - bbox.y1)))


def label_for(ax, name: str):
    """Return the timeline label annotation whose text starts with ``name``."""
    hits = [x for x in ax.texts if str(x.get_gid()).startswith("label:") and x.get_text().startswith(name)]
    assert len(hits) == 1, [x.get_text() for x in ax.texts]
    return hits[0]


# --- Headline and overview timelines -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "event_id"),
    [
        ("Iran's missiles", "iran_missiles_ain_al_asad"),
        ("PS752 downed", "ps752_shootdown"),
        ("Kerman stampede", "kerman_stampede"),
        ("K-1 rockets", "k1_rocket_attack"),
        ("US strikes on KH", "strike_iraq_1"),
        ("Taji convoy strike", "taji_convoy_strike"),
    ],
)
def test_headline_label_is_anchored_on_its_own_marker(key, name, event_id):
    """Each named label's anchor is its event's marker, and no other marker's edge is nearer to the label's text."""
    fig, _ = key["escalation_timeline"]
    ax = fig.axes[0]
    draw_once(fig)
    label = label_for(ax, name)
    markers = markers_by_gid(ax)
    own = next(g for g in markers if event_id in g[len("event:") :].split(";"))
    assert label.get_gid() == "label:" + own[len("event:") :]
    np.testing.assert_allclose(ax.transData.transform(label.xy), markers[own], atol=0.01)
    box = text_box(label)
    radii = marker_radii(ax)
    nearest = min(markers, key=lambda g: box_distance(markers[g], box) - radii[g])
    assert nearest == own, (name, nearest)


def test_iran_missiles_label_names_the_missile_marker_not_the_funeral(key, t):
    """The "Iran's missiles" label is anchored on a missile-strike marker, not on the Kerman funeral star or the PS752 cross."""
    fig, _ = key["escalation_timeline"]
    label = label_for(fig.axes[0], "Iran's missiles")
    members = label.get_gid()[len("label:") :].split(";")
    types = set(t.events.set_index("event_id").loc[members, "event_type"].astype(str))
    assert types == {"missile_strike"}


def test_five_strikes_are_one_marker_counted_x5(key):
    """The five 29 December strikes share one marker, labelled with its count (×5) and their killed range."""
    fig, _ = key["escalation_timeline"]
    ax = fig.axes[0]
    strikes = [g for g in markers_by_gid(ax) if "strike_iraq_1" in g]
    assert len(strikes) == 1 and all(s in strikes[0] for s in figures.STRIKE_EVENTS)
    text = label_for(ax, "US strikes on KH").get_text()
    assert "×5" in text and "25 (4–55" in text


def test_every_deadly_event_and_the_taji_convoy_strike_is_named(key, t):
    """Every marker with a killed figure carries a label, and the 4 January convoy strike is named."""
    fig, data = key["escalation_timeline"]
    ax = fig.axes[0]
    labelled = {m for x in ax.texts if str(x.get_gid()).startswith("label:") for m in x.get_gid()[6:].split(";")}
    deadly = set(data.loc[data["killed_high"] > 0, "event_id"])
    assert deadly <= labelled, deadly - labelled
    assert "taji_convoy_strike" in labelled


@pytest.mark.parametrize("name", ["escalation_timeline", "overview_timeline"])
def test_timeline_texts_do_not_overlap(key, name):
    """No two texts of the timeline figure (labels, seed header, legends, ticks, title, source) overlap."""
    assert overlapping_texts(key[name][0]) == []


def test_intensity_texts_do_not_overlap(key):
    """The intensity figure's texts (statement counts, seed header, legends, ticks) do not overlap."""
    assert overlapping_texts(key["intensity"][0]) == []


@pytest.mark.parametrize("name", ["escalation_timeline", "overview_timeline"])
def test_no_arrow_or_seed_line_crosses_a_timeline_label(key, name):
    """No response arrow and no part of the seed line runs through a label's box."""
    assert crossed_labels(key[name][0]) == []


def test_headline_legend_has_a_marker_size_key(key):
    """The size key shows 1, 10 and 100 killed, drawn at the areas the markers use."""
    fig, _ = key["escalation_timeline"]
    ax = fig.axes[0]
    sizes = [a for a in ax.get_children() if a.get_gid() == "size-key"]
    assert len(sizes) == 1
    assert [x.get_text() for x in sizes[0].get_texts()] == ["1 killed", "10 killed", "100 killed"]
    drawn = [h.get_markersize() for h in sizes[0].legend_handles]
    np.testing.assert_allclose(drawn, [np.sqrt(marker_area(k)) for k in (1, 10, 100)])
    kinds = [x.get_text() for x in ax.get_legend().get_texts()]
    assert "missile strike" in kinds and "funeral" in kinds and any(k.startswith("ring") for k in kinds)


def test_headline_annotations_read_at_readme_width(key):
    """At 830 px wide (README), every label is at least 11 px tall: the figure is ~8.6 in and labels are ≥ 9 pt."""
    fig, _ = key["escalation_timeline"]
    buf = io.BytesIO()
    agg(fig).savefig(buf, format="png", dpi=110, metadata={"Software": None})
    scale = 830 / Image.open(buf).size[0]
    labels = [x for x in fig.axes[0].texts if str(x.get_gid()).startswith("label:")]
    assert labels and min(x.get_fontsize() for x in labels) * 110 / 72 * scale >= 11


def test_overview_labels_key_events_and_decisions_are_not_diamonds(key):
    """The overview names its key events, and drone strikes and political decisions have different markers."""
    fig, _ = key["overview_timeline"]
    texts = " ".join(x.get_text() for x in fig.axes[0].texts)
    for name in ("K-1 rockets", "Soleimani strike", "Global Hawk downed"):
        assert name in texts
    assert "statements" not in fig.axes[0].get_title()  # the timeline draws no statements
    assert style.EVENT_MARKERS["drone_strike"] != style.EVENT_MARKERS["political_decision"]
    assert len(set(style.EVENT_MARKERS.values())) == len(style.EVENT_MARKERS)


def test_the_overview_names_its_deadliest_event(key, t):
    """The largest marker of the overview (the event with the highest reconciled toll) carries a label on its own marker."""
    from helpers.casualties import event_totals

    fig, data = key["overview_timeline"]
    deadliest = event_totals(t.casualties, sources=t.sources).set_index("event_id")["best"].idxmax()
    labels = [x for x in fig.axes[0].texts if str(x.get_gid()).startswith("label:")]
    assert any(deadliest in x.get_gid()[len("label:") :].split(";") for x in labels), deadliest


def test_strike_map_refuses_unknown_sites(t):
    """An event at a site missing from sites.csv raises ValueError naming it."""
    events = t.events.copy()
    events.loc[0, "site_id"] = "atlantis"
    with pytest.raises(ValueError, match="atlantis"):
        plot_strike_map(events, t.sites)


def test_same_input_gives_the_same_image(t):
    """Drawing the timeline twice gives byte-identical PNGs (a window with the strikes, the embassy and the airport strike:
    labels, rings and arrows are all placed)."""
    style.use_style()
    a = png_bytes(plot_timeline(t.events, t.actors, t.casualties, start="2019-12-27", end="2020-01-04").figure)
    b = png_bytes(plot_timeline(t.events, t.actors, t.casualties, start="2019-12-27", end="2020-01-04").figure)
    assert a == b


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


def test_casualty_chart_refuses_events_without_claims(t):
    """Asking for an event with no claims raises ValueError naming it."""
    with pytest.raises(ValueError, match="parliament_resolution"):
        plot_casualty_claims(t.casualties, event_ids=["parliament_resolution"])


def test_empty_frames_are_refused(t):
    """Empty inputs raise ValueError instead of drawing an empty figure."""
    with pytest.raises(ValueError, match="empty"):
        plot_timeline(t.events.iloc[0:0], t.actors)


def test_actor_lanes_follow_parents_and_keep_crowds_out_of_the_state(t):
    """KH climbs to the KH/PMU lane, Trump to the US; protesters and Sistani are not 'the Iraqi state'."""
    assert actor_lane("kh", t.actors) == "Kata'ib Hezbollah / PMU"
    assert actor_lane("trump", t.actors) == "United States"
    assert actor_lane("irq_parliament", t.actors) == "Iraqi state"
    assert actor_lane("protesters", t.actors) == actor_lane("sistani", t.actors) == "Others / unattributed"


def test_timeline_has_one_lane_per_actor_group_and_a_seed_line(t):
    """Lanes come in house order and the seed date is marked."""
    ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-20", end="2020-01-12")
    labels = [x.get_text().replace("\n", " ") for x in ax.get_yticklabels()]
    assert labels == [lane for lane in LANES if lane in labels]
    assert labels[0] == "United States"
    assert any("Seed article" in x.get_text() for x in ax.texts)


def test_timeline_draws_an_arrow_for_every_response_link(t):
    """Each visible responds_to link is drawn by an arrow from the cause's marker to the response's."""
    ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-26", end="2019-12-31")
    frame = timeline_frame(t.events, t.actors)
    shown = frame[(frame["instant"] >= "2019-12-26") & (frame["instant"] <= "2019-12-31")]
    links = shown[shown["responds_to"].isin(shown["event_id"])]
    arrows = [p.get_gid()[len("responds-to:") :].split("->") for p in ax.patches if str(p.get_gid()).startswith("responds-to:")]
    assert len(links) > 0
    for row in links.itertuples():
        assert any(row.responds_to in a.split(";") and row.event_id in b.split(";") for a, b in arrows), row.event_id


def test_deadly_events_carry_their_killed_range(t):
    """The strikes of 29 December are labelled with best (low–high) killed from the reconciled claims."""
    ax = plot_timeline(t.events, t.actors, t.casualties, start="2019-12-26", end="2019-12-31")
    labels = [a.get_text() for a in ax.texts if str(a.get_gid()).startswith("label:")]
    assert any("25 (4–55" in text for text in labels), labels


# --- Strike map ----------------------------------------------------------------------------------


def test_strike_map_labels_do_not_overlap_and_no_line_crosses_a_label(key):
    """No two map texts overlap, and no leader line, launch arc or panel outline crosses a label (Qayyarah, K-1, Al Asad, Balad)."""
    fig, _ = key["strike_map"]
    assert overlapping_texts(fig) == []
    assert crossed_labels(fig) == []
    assert not [p for ax in fig.axes for p in ax.patches if "BboxConnector" in type(p).__name__]


def test_strike_map_counts_events_in_words_and_precision_in_the_legend(key):
    """Panels say "3 events", the legend says "precision: region only"; no bare "(3)" is left to mean either."""
    fig, _ = key["strike_map"]
    zoom = " ".join(x.get_text().replace("\n", " ") for x in fig.axes[1].texts)
    assert "near al-Qaim 3 events" in zoom and "eastern Syria 2 events" in zoom
    legend = [x.get_text() for x in fig.axes[0].get_legend().get_texts()]
    assert any(x.startswith("precision: region only") for x in legend)
    assert not [x.get_text() for x in drawn_texts(fig) if re.search(r"\(\d\)", x.get_text())]


def test_every_strike_map_panel_names_its_countries(key):
    """The al-Qaim / Abu Kamal panel names Syria and Iraq on their sides of the border; the Baghdad panel names Iraq."""
    fig, _ = key["strike_map"]
    names = [{x.get_text() for x in ax.texts} for ax in fig.axes[1:]]
    assert {"SYRIA", "IRAQ"} <= names[0]
    assert "IRAQ" in names[1]


def test_strike_map_has_overview_two_zoom_panels_scale_bars_and_arcs(key, t):
    """The map has three panels, a scale bar in each, a launch arc, lettered panel outlines and a legend."""
    fig, _ = key["strike_map"]
    assert len(fig.axes) == 3
    for ax in fig.axes:
        assert any(isinstance(a, ScaleBar) for a in ax.artists)
    arcs = [p for p in fig.axes[0].patches if p.get_gid() == "launch-arc"]
    assert len(arcs) == t.events["origin_site_id"].notna().sum()
    assert [x.get_text() for x in fig.axes[0].texts if x.get_gid() == "panel-letter"] == ["A", "B"]
    assert fig.axes[1].get_title(loc="left").startswith("A · ") and fig.axes[2].get_title(loc="left").startswith("B · ")
    assert fig.axes[0].get_legend() is not None
    assert "K-1 Air Base" in " ".join(x.get_text() for x in fig.axes[0].texts)


# --- Reactions map -------------------------------------------------------------------------------


def test_reaction_counts_are_of_the_stance_shown_with_militias_apart_and_ties_named(t):
    """Counts are statements of the stance shown, of all the speaker's; KH/PMU count apart from Iraq; the US tie is named."""
    st = country_stances(t.reactions, t.actors, figures.STRIKE_EVENTS).set_index("speaker")
    rx = t.reactions[t.reactions["responds_to"].isin(figures.STRIKE_EVENTS)]
    lanes = rx["actor_id"].map(lambda a: actor_lane(a, t.actors))
    iraq = rx.loc[lanes == "Iraqi state", "stance"].astype(str)
    militia = rx.loc[lanes == "Kata'ib Hezbollah / PMU", "stance"].astype(str)
    us = rx.loc[lanes == "United States", "stance"].astype(str).value_counts()
    assert (st.at["Iraq", "stance"], st.at["Iraq", "n"], st.at["Iraq", "statements"]) == ("condemn", (iraq == "condemn").sum(), len(iraq))
    assert st.at["Kata'ib Hezbollah / PMU", "kind"] == "armed group"
    assert st.at["Kata'ib Hezbollah / PMU", "statements"] == len(militia) > 0
    assert (st.at["Kata'ib Hezbollah / PMU", "stance"], st.at["Kata'ib Hezbollah / PMU", "n"]) == (
        "threaten",
        (militia == "threaten").sum(),
    )
    tied = [s for s in style.STANCE_COLOURS if us.get(s, 0) == us.max()]
    assert (st.at["United States", "stances"], st.at["United States", "n"]) == (" / ".join(tied), us.max())
    assert (st.at["Iran", "stance"], st.at["Israel", "stance"]) == ("condemn", "praise")


def test_reactions_map_labels_say_of_n_statements_and_use_names(key):
    """Country labels read "condemn / 6 of 10 statements"; the side box names countries (no ISO codes) and lists KH/PMU apart."""
    fig, stances = key["reactions_map"]
    ax = fig.axes[0]
    labels = {x.get_gid(): x.get_text() for x in ax.texts if str(x.get_gid()).startswith("stance-label:")}
    iraq = stances.set_index("speaker").loc["Iraq"]
    assert labels["stance-label:IRQ"] == f"Iraq\ncondemn\n{iraq['n']} of {iraq['statements']} statements"
    side = next(x.get_text() for x in ax.texts if x.get_gid() == "side-box")
    us = stances.set_index("speaker").loc["United States"]
    each = " each" if " / " in us["stances"] else ""
    assert f"United States: {us['stances']}: {us['n']}{each} of {us['statements']} statements" in side
    assert "Kata'ib Hezbollah / PMU: threaten: " in side
    assert not re.search(r"^\s*[A-Z]{3}:", side, flags=re.MULTILINE)
    assert overlapping_texts(fig) == [] and crossed_labels(fig) == []


def test_reactions_map_text_is_readable_on_its_fill(key):
    """Every label set inside a shaded country has WCAG contrast ≥ 4.5 with that country's fill (white on dark blue)."""
    fig, stances = key["reactions_map"]
    ax = fig.axes[0]
    fills = stances.dropna(subset=["iso_a3"]).set_index("iso_a3")["stance"].map(style.STANCE_COLOURS)
    inside = [x for x in ax.texts if str(x.get_gid()).startswith("stance-label:") and x.get_bbox_patch() is None]
    assert inside
    for x in inside:
        assert style.contrast_ratio(x.get_color(), fills[x.get_gid().split(":")[1]]) >= 4.5, x.get_text()
    assert style.text_colour_for(style.STANCE_COLOURS["praise"]) == "white"


def test_other_stance_colour_stands_apart_from_plain_land():
    """The "other" stance fill differs clearly from the land colour of countries that said nothing."""
    assert style.contrast_ratio(style.STANCE_COLOURS["other"], style.LAND_COLOUR) >= 1.5


# --- Casualty claims -----------------------------------------------------------------------------


def test_claims_source_note_sits_below_the_axis_label_and_legend(key):
    """The source line is entirely under the x-axis label and the key, and overlaps no text."""
    fig, _ = key["casualty_claims"]
    draw_once(fig)
    note = next(x for x in fig.texts if x.get_gid() == "source-note")
    ax = fig.axes[0]
    assert text_box(note).y1 < text_box(ax.xaxis.label).y0
    assert text_box(note).y1 < ax.get_legend().get_window_extent().y0
    assert overlapping_texts(fig) == []


def test_open_ended_claims_carry_less_ink_than_bounded_ones(key, t):
    """An "at least N" claim is a hollow marker with a faint, thin, short dotted stub; a bounded claim a solid dot and bar."""
    fig, data = key["casualty_claims"]
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.lines}
    dots = {c.get_gid(): c for c in ax.collections if isinstance(c, PathCollection)}
    open_ids = data.loc[data["high"].isna(), "claim_id"]
    ranged = data.loc[data["high"].notna() & (data["high"] > data["low"]), "claim_id"]
    assert len(open_ids) and len(ranged)
    width = ax.get_xlim()[1]
    for cid in open_ids:
        stub = lines[f"claim:{cid}:open"]
        assert stub.get_linewidth() < 1.0 and stub.get_alpha() < 0.6 and np.ptp(stub.get_xdata()) <= 0.1 * width
        assert tuple(dots[f"claim:{cid}"].get_facecolor()[0][:3]) == (1.0, 1.0, 1.0)
    for cid in ranged:
        assert lines[f"claim:{cid}:range"].get_linewidth() > 1.0
        assert tuple(dots[f"claim:{cid}"].get_facecolor()[0][:3]) != (1.0, 1.0, 1.0)


def test_reconciled_best_is_drawn_and_labelled(key, t):
    """The reconciled best of the strikes' dead is a vertical line labelled "reconciled best 25 (4–55+)"."""
    fig, _ = key["casualty_claims"]
    ax = fig.axes[0]
    rec = reconcile(t.casualties, t.sources).set_index(["event_id", "outcome"]).loc[("strike_iraq_1", "killed")]
    rec = rec.iloc[0] if isinstance(rec, pd.DataFrame) else rec
    line = next(ln for ln in ax.lines if ln.get_gid() == "reconciled-best")
    assert set(line.get_xdata()) == {rec["best"]}
    label = next(x.get_text() for x in ax.texts if x.get_gid() == "reconciled-label").strip()
    assert label == f"reconciled best {int(rec['best'])} ({int(rec['low'])}–{int(rec['high'])}{'' if rec['high_bounded'] else '+'})"


def test_claimant_names_are_wrapped_never_cut(key, t):
    """Every claim's full claimant name appears in its row label (wrapped over lines), with no ellipsis."""
    fig, data = key["casualty_claims"]
    ticks = [x.get_text().replace("\n", " ").replace("\u00a0", " ") for x in fig.axes[0].get_yticklabels()]
    names = t.actors.set_index("actor_id")["name"].to_dict()
    assert not any("…" in x for x in ticks)
    for claimant in data["claimant"]:
        if claimant != "unknown":
            assert any(names[claimant] in x for x in ticks), names[claimant]
    assert any("Ministry of Foreign Affairs of Iran" in x for x in ticks)


def test_casualty_chart_has_one_row_per_claim(t):
    """Every killed claim for the strikes appears as one labelled row with one marker."""
    ids = ["strike_iraq_1", "strike_syria_1"]
    ax = plot_casualty_claims(t.casualties, labels=claim_labels(t.casualties, t.actors, t.sources), event_ids=ids)
    n = ((t.casualties["event_id"].isin(ids)) & (t.casualties["outcome"] == "killed")).sum()
    assert len(ax.get_yticks()) == n
    assert sum(str(c.get_gid()).startswith("claim:") for c in ax.collections) == n


# --- Every key figure ----------------------------------------------------------------------------


def test_save_key_figures_writes_png_with_alt_text_and_csv(t, tmp_path, monkeypatch):
    """save_key_figures writes NAME.png (its alt text in the PNG's Description) and NAME.csv per figure."""
    monkeypatch.setattr(figures, "KEY_FIGURES", {"intensity": figures.KEY_FIGURES["intensity"]})
    written = figures.save_key_figures(t, tmp_path)
    assert written == [tmp_path / "intensity.png", tmp_path / "intensity.csv"]
    assert Image.open(tmp_path / "intensity.png").info.get("Description") == figures.alt_text(t)["intensity"]
    assert (tmp_path / "intensity.csv").read_text(encoding="utf-8").count("\n") > 1


def test_every_published_figure_has_its_one_sentence_alt_text_and_its_data(t):
    """Each committed figures/NAME.png carries the alt text computed from the data; NAME.csv sits beside it."""
    from helpers import paths

    alts = figures.alt_text(t)
    assert set(alts) == set(figures.KEY_FIGURES)
    for name, alt in alts.items():
        assert alt.endswith(".") and alt.count(". ") == 0 and 40 < len(alt) < 700, name
        assert Image.open(paths.FIGURES_DIR / f"{name}.png").info.get("Description") == alt, name
        assert (paths.FIGURES_DIR / f"{name}.csv").stat().st_size > 0, name


def test_every_key_figure_has_a_title_and_a_source_line(key):
    """Each key figure names what it shows and where its data comes from."""
    for name, (fig, _) in key.items():
        titles = [fig._suptitle.get_text() if fig._suptitle else ""] + [
            ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center")
        ]
        assert any(titles), name
        assert any(x.get_text().startswith(("Source", "Borders")) for x in fig.texts), name


def test_reactions_map_takes_a_minimal_stance_frame(t):
    """A frame with only iso_a3, stance and statements still draws, with a legend that includes "no statement"."""
    ax = plot_reactions_map(pd.DataFrame({"iso_a3": ["IRQ", "ISR"], "stance": ["condemn", "praise"], "statements": [3, 1]}))
    texts = [x.get_text() for x in ax.get_legend().get_texts()]
    assert texts[:2] == ["condemn", "praise"] and "no statement by the government" in texts


def test_a_site_too_vague_for_a_zoomed_panel_is_named_in_a_note_not_drawn(key, t):
    """Besmaya (known only to ±50 km) is not placed in the Baghdad panel, which says so; the overview keeps it."""
    from helpers.maps import fits_panel

    fig, _ = key["strike_map"]
    panel = fig.axes[2]
    gids = {str(x.get_gid()) for x in panel.texts}
    assert "site:besmaya" not in gids
    notes = [x.get_text() for x in panel.texts if x.get_text().startswith("Not drawn")]
    assert len(notes) == 1 and "Besmaya" in notes[0] and "±50 km" in notes[0]
    sites = t.sites.set_index("site_id")
    assert int(sites.at["besmaya", "geo_precision"]) == 3
    assert not fits_panel(sites.loc[["besmaya"]].assign(geo_precision=3), (0, 0, 60_000, 58_000)).iloc[0]


def test_an_answer_of_unknown_order_is_a_dashed_arrow_with_its_key(key):
    """Camp Taji's rockets (no clock time, placed at noon before the evening strikes) are joined by a dashed arrow, the legend
    explains it, and arrows between events in clock order stay solid."""
    fig, _ = key["escalation_timeline"]
    ax = fig.axes[0]
    arrows = {p.get_gid(): p for p in ax.patches if str(p.get_gid()).startswith("responds-to:")}
    taji = next(p for g, p in arrows.items() if g.endswith("->taji_rockets_20191229"))
    assert taji.get_linestyle() == "--"
    to_missiles = next(p for g, p in arrows.items() if g.startswith("responds-to:baghdad_airport_strike->") and "iran_missiles" in g)
    assert to_missiles.get_linestyle() == "-"
    assert "dashed: same day, order unknown" in [x.get_text() for x in ax.get_legend().get_texts()]
