"""Maps: where the strikes and the attacks they answered took place, and who reacted how."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib_scalebar.scalebar import ScaleBar
from mpl_toolkits.axes_grid1.inset_locator import mark_inset
from shapely.geometry import box

from helpers import geo, style

#: Radius (km) of the ring drawn around a point for each geo_precision level.
PRECISION_RADIUS_KM = {1: 2.0, 2: 10.0, 3: 50.0}
PRECISION_LABELS = {1: "position known (1)", 2: "near a named town, ±10 km (2)", 3: "region only, ±50 km (3)"}
#: Countries named on the regional map.
LABELLED_COUNTRIES = {
    "IRQ": "IRAQ",
    "SYR": "SYRIA",
    "IRN": "IRAN",
    "SAU": "SAUDI ARABIA",
    "TUR": "TURKEY",
    "JOR": "JORDAN",
    "KWT": "KUWAIT",
}
CREDIT = (
    "Borders: Natural Earth 1:10m (public domain) via world-atlas 2.0.2. Sites: data/sites.csv (published coordinates; see geo_precision)."
)


def event_points(events: pd.DataFrame, sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """Join events to their sites and return one projected point per event (events without a site are dropped and counted).

    >>> from helpers import load
    >>> t = load()
    >>> event_points(t.events, t.sites).crs.is_projected
    True
    """
    style.require_columns(events, ["event_id", "event_type", "site_id", "date"], "event_points (events)")
    style.require_columns(sites, ["site_id", "name", "lat", "lon", "geo_precision"], "event_points (sites)")
    placed = events[events["site_id"].notna()]
    unknown = sorted(set(placed["site_id"]) - set(sites["site_id"]))
    if unknown:
        raise ValueError(f"events name unknown site_id(s) {unknown}")
    frame = placed.merge(sites[["site_id", "name", "lat", "lon", "geo_precision"]], on="site_id", how="left", validate="many_to_one")
    points = geo.sites_frame(frame.rename(columns={"name": "site_name"}).assign(site_id=frame["site_id"]))
    return points.to_crs(geo.REGION_CRS)


def precision_rings(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return one buffer polygon per distinct site, its radius set by geo_precision (true km, projected CRS).

    >>> from helpers import load
    >>> t = load()
    >>> rings = precision_rings(event_points(t.events, t.sites))
    >>> rings["site_id"].is_unique
    True
    """
    sites = points.drop_duplicates("site_id").copy()
    radius = sites["geo_precision"].astype(int).map(PRECISION_RADIUS_KM) * 1000.0
    sites["geometry"] = sites.geometry.buffer(radius.to_numpy(), quad_segs=32)
    return sites


def _draw_base(ax, extent, countries: gpd.GeoDataFrame, label_countries: bool, fontsize: float = 9) -> None:
    """Draw country polygons clipped to extent (projected), with optional country names."""
    clip = box(*extent)
    shown = countries[countries.intersects(clip)]
    shown.plot(ax=ax, facecolor="#F4F1EA", edgecolor="#9A9A9A", linewidth=0.6, zorder=0)
    if label_countries:
        for row in shown.itertuples():
            name = LABELLED_COUNTRIES.get(row.iso_a3)
            if not name:
                continue
            part = row.geometry.intersection(clip)
            if part.is_empty or part.area < 2e10:
                continue
            pt = part.representative_point()
            ax.text(pt.x, pt.y, name, fontsize=fontsize, color="#8A8A8A", ha="center", va="center", zorder=1, fontweight="bold", alpha=0.9)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_anchor("NW")
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#777777")


def _draw_events(ax, points: gpd.GeoDataFrame, marker_scale: float = 1.0) -> None:
    """Draw one marker per (site, event type), fanned out around the site so they do not hide each other."""
    groups = (
        points.groupby(["site_id", "event_type"], observed=True, sort=True)
        .agg(x=("geometry", lambda g: g.iloc[0].x), y=("geometry", lambda g: g.iloc[0].y), n=("event_id", "size"))
        .reset_index()
    )
    per_site = groups.groupby("site_id").cumcount()
    counts = groups.groupby("site_id")["event_type"].transform("size")
    # Violent events are drawn last, on top of protests and decisions at nearby sites.
    layer = {t: i for i, t in enumerate(reversed(list(style.EVENT_MARKERS)))}
    for row, k, m in zip(groups.itertuples(), per_site, counts, strict=True):
        offset = (0.0, 0.0)
        if m > 1:
            angle = 2 * np.pi * k / m + np.pi / 2
            offset = (7 * np.cos(angle), 7 * np.sin(angle))
        ax.plot(
            row.x,
            row.y,
            marker=style.EVENT_MARKERS[row.event_type],
            ls="",
            markersize=(6 + 2.2 * np.sqrt(row.n)) * marker_scale,
            color=style.EVENT_TYPE_COLOURS[row.event_type],
            markeredgecolor="white",
            markeredgewidth=0.6,
            zorder=5 + layer[row.event_type] / 100,
            transform=ax.transData + plt.matplotlib.transforms.ScaledTranslation(offset[0] / 72, offset[1] / 72, ax.figure.dpi_scale_trans),
        )


def _draw_arcs(ax, events: pd.DataFrame, sites: pd.DataFrame) -> int:
    """Draw a curved arrow from origin_site_id to site_id for every event that has both; return how many."""
    frame = geo.sites_frame(sites).to_crs(geo.REGION_CRS).set_index("site_id")
    pts = frame.geometry
    n = 0
    for row in events.dropna(subset=["origin_site_id", "site_id"]).itertuples():
        a, b = pts[row.origin_site_id], pts[row.site_id]
        radius = PRECISION_RADIUS_KM[int(frame.at[row.origin_site_id, "geo_precision"])] * 1000.0
        gpd.GeoSeries([a.buffer(radius)], crs=frame.crs).plot(
            ax=ax, facecolor="none", edgecolor="#555555", linewidth=0.8, linestyle=(0, (2, 2)), zorder=3
        )
        ax.plot(a.x, a.y, marker="o", ls="", markersize=4, color=style.EVENT_TYPE_COLOURS[row.event_type], zorder=5)
        ax.add_patch(
            FancyArrowPatch(
                (a.x, a.y),
                (b.x, b.y),
                connectionstyle="arc3,rad=0.25",
                arrowstyle="-|>",
                mutation_scale=12,
                color=style.EVENT_TYPE_COLOURS[row.event_type],
                lw=1.4,
                zorder=4,
                alpha=0.9,
                gid="launch-arc",
            )
        )
        n += 1
    return n


DEFAULT_INSETS = (
    ("29 December strikes: al-Qaim / Abu Kamal", (40.45, 34.0, 41.6, 34.8)),
    ("Baghdad: airport, embassy, Green Zone, Taji", (43.95, 33.1, 44.6, 33.62)),
)


def plot_strike_map(
    events: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    countries: gpd.GeoDataFrame | None = None,
    extent_lonlat: tuple[float, float, float, float] = (35.0, 22.5, 60.0, 39.0),
    insets: tuple = DEFAULT_INSETS,
    fig: plt.Figure | None = None,
    title: str | None = None,
) -> plt.Figure:
    """Draw the regional strike map with zoomed panels (al-Qaim / Abu Kamal border, Baghdad).

    Markers show event types at their sites (fanned out where a site saw several types), rings show
    each point's geo_precision in true kilometres, arcs run from launch areas to targets, labels are
    placed by adjustText, and scale bars, a legend and a credit line are added. Returns the Figure.

    >>> from helpers import load
    >>> t = load()
    >>> fig = plot_strike_map(t.events, t.sites)
    >>> len(fig.axes)
    3
    """
    style.require_columns(events, ["event_id", "event_type", "site_id", "origin_site_id"], "plot_strike_map (events)")
    countries = (countries if countries is not None else geo.basemap()).to_crs(geo.REGION_CRS)
    points = event_points(events, sites)
    rings = precision_rings(points)
    boxes = gpd.GeoSeries([box(*extent_lonlat)] + [box(*b) for _, b in insets], crs="EPSG:4326").to_crs(geo.REGION_CRS)
    extent = boxes.iloc[0].bounds
    inset_extents = [g.bounds for g in boxes.iloc[1:]]
    if fig is None:
        ratio = (extent[2] - extent[0]) / (extent[3] - extent[1])
        fig = plt.figure(figsize=(12, 12 * 0.64 / ratio / 0.88))
    ax = fig.add_axes((0.0, 0.04, 0.64, 0.88))
    height = 0.86 / max(len(insets), 1)
    inset_axes = [fig.add_axes((0.665, 0.92 - (i + 1) * height + 0.035, 0.33, height - 0.065)) for i in range(len(insets))]
    panels = [(ax, extent, True, 1.0)] + [(a, e, False, 1.2) for a, e in zip(inset_axes, inset_extents, strict=True)]
    for a, ext, labels, scale in panels:
        _draw_base(a, ext, countries, labels)
        rings.plot(ax=a, facecolor="none", edgecolor="#555555", linewidth=0.8, linestyle=(0, (2, 2)), zorder=3)
        _draw_events(a, points, scale)
        a.add_artist(ScaleBar(1.0, "m", location="lower right", box_alpha=0.7, font_properties={"size": 8}, length_fraction=0.25))
    n_arcs = _draw_arcs(ax, events, sites)
    names = sites.set_index("site_id")["name"]

    def inside(x, y, ext):
        return ext[0] < x < ext[2] and ext[1] < y < ext[3]

    # Main map: name every site outside the zoomed panels, and the launch areas.
    texts = []
    origins = events.dropna(subset=["origin_site_id"])["origin_site_id"].unique()
    for row in geo.sites_frame(sites[sites["site_id"].isin(origins)]).to_crs(geo.REGION_CRS).itertuples():
        texts.append(ax.text(row.geometry.x, row.geometry.y, _short(row.name) + "\n(launch area)", fontsize=7.5, zorder=7))
    for row in points.drop_duplicates("site_id").itertuples():
        x, y = row.geometry.x, row.geometry.y
        if inside(x, y, extent) and not any(inside(x, y, e) for e in inset_extents):
            texts.append(ax.text(x, y, _short(names[row.site_id]), fontsize=7.5, zorder=7, color="#222222"))
    adjust_text(texts, ax=ax, expand=(1.3, 1.6), arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5}, ensure_inside_axes=True)
    # Panels: name their sites, with the number of events placed there.
    for (title_text, _), a, ext in zip(insets, inset_axes, inset_extents, strict=True):
        ztexts = []
        for row in points.drop_duplicates("site_id").itertuples():
            x, y = row.geometry.x, row.geometry.y
            if inside(x, y, ext):
                n = int((points["site_id"] == row.site_id).sum())
                ztexts.append(a.text(x, y, f"{_short(names[row.site_id])} ({n})", fontsize=7.5, zorder=7))
        adjust_text(ztexts, ax=a, expand=(1.3, 1.8), arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5}, ensure_inside_axes=True)
        a.set_title(title_text, fontsize=9, loc="left")
        mark_inset(ax, a, loc1=2, loc2=3, fc="none", ec="#444444", lw=0.7, zorder=6)
    for a in [ax, *inset_axes]:
        a.set_xlabel("")
        a.set_ylabel("")
    shown = points.cx[extent[0] : extent[2], extent[1] : extent[3]]
    types = [t for t in style.EVENT_MARKERS if t in set(shown["event_type"])]
    handles = [
        Line2D([], [], marker=style.EVENT_MARKERS[t], ls="", color=style.EVENT_TYPE_COLOURS[t], markersize=7, label=t.replace("_", " "))
        for t in types
    ]
    handles += [
        Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="#555555", markersize=s, label=PRECISION_LABELS[p])
        for p, s in ((2, 8), (3, 13))
    ]
    if n_arcs:
        handles.append(Line2D([], [], color=style.EVENT_TYPE_COLOURS["missile_strike"], lw=1.4, label="launch area → target"))
    ax.legend(
        handles=handles,
        loc="lower left",
        ncol=2,
        fontsize=7.5,
        title="Events by type (bigger marker: more events; panel labels: count)",
        title_fontsize=7.8,
        alignment="left",
        framealpha=0.92,
        facecolor="white",
        edgecolor="#CCCCCC",
    )
    if title:
        fig.suptitle(title, x=0.01, y=0.985, ha="left", fontsize=12, fontweight="bold")
    style.add_source_note(fig, CREDIT)
    return fig


def _short(name: str) -> str:
    """Shorten a site name for a map label."""
    return name.split(" (")[0].replace("International Airport", "airport").replace("Embassy of the United States, Baghdad", "US embassy")


def country_stances(reactions: pd.DataFrame, actors: pd.DataFrame, event_ids: list[str] | None = None) -> pd.DataFrame:
    """Return one row per country: the stance its state or government voiced most often about the given events.

    Only speakers whose actor (or an ancestor) is a state, a government body or a person who
    heads one count; ties go to the more hostile stance (order of style.STANCE_COLOURS).

    >>> from helpers import load
    >>> t = load()
    >>> country_stances(t.reactions, t.actors, ["strike_iraq_1"]).set_index("iso_a3").at["ISR", "stance"]
    'praise'
    """
    style.require_columns(reactions, ["reaction_id", "actor_id", "stance", "responds_to"], "country_stances")
    rx = reactions if event_ids is None else reactions[reactions["responds_to"].isin(event_ids)]
    table = actors.set_index("actor_id")
    rows = []
    for r in rx.itertuples():
        country = _state_of(r.actor_id, table)
        if country:
            rows.append({"iso_a3": country, "stance": str(r.stance), "reaction_id": r.reaction_id})
    if not rows:
        raise ValueError("no government reactions for the chosen events")
    frame = pd.DataFrame(rows)
    order = {s: i for i, s in enumerate(style.STANCE_COLOURS)}
    counts = frame.groupby(["iso_a3", "stance"]).size().rename("n").reset_index()
    counts["rank"] = counts["stance"].map(order)
    best = counts.sort_values(["iso_a3", "n", "rank"], ascending=[True, False, True]).drop_duplicates("iso_a3")
    totals = frame.groupby("iso_a3").size().rename("statements")
    return best.set_index("iso_a3")[["stance"]].join(totals).reset_index().sort_values("iso_a3").reset_index(drop=True)


def _state_of(actor_id: str, table: pd.DataFrame) -> str | None:
    """Return the country of the state an actor belongs to (via parent_id), or None for non-state actors."""
    current, seen = actor_id, set()
    while isinstance(current, str) and current in table.index and current not in seen:
        seen.add(current)
        if table.at[current, "kind"] == "state":
            return table.at[current, "country"]
        current = table.at[current, "parent_id"]
        current = current if isinstance(current, str) else None
    return None


def plot_reactions_map(
    stances: pd.DataFrame,
    *,
    countries: gpd.GeoDataFrame | None = None,
    extent_lonlat: tuple[float, float, float, float] = (30.0, 20.0, 64.0, 42.5),
    ax: plt.Axes | None = None,
    title: str | None = None,
) -> plt.Axes:
    """Shade each country by its government's stance; governments outside the map are listed beside it.

    >>> from helpers import load
    >>> t = load()
    >>> ax = plot_reactions_map(country_stances(t.reactions, t.actors))
    >>> ax.get_legend() is not None
    True
    """
    style.require_columns(stances, ["iso_a3", "stance", "statements"], "plot_reactions_map")
    countries = (countries if countries is not None else geo.basemap()).to_crs(geo.REGION_CRS)
    extent = gpd.GeoSeries([box(*extent_lonlat)], crs="EPSG:4326").to_crs(geo.REGION_CRS).iloc[0].bounds
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 6.6))
    _draw_base(ax, extent, countries, label_countries=False)
    shaded = countries.merge(stances, on="iso_a3", how="inner")
    for row in shaded.itertuples():
        gpd.GeoSeries([row.geometry], crs=countries.crs).plot(
            ax=ax, facecolor=style.STANCE_COLOURS[row.stance], edgecolor="#666666", linewidth=0.6, zorder=1
        )
        pt = row.geometry.intersection(box(*extent)).representative_point()
        ax.text(
            pt.x,
            pt.y,
            f"{row.name}\n{row.stance.replace('_', ' ')} ({row.statements})",
            fontsize=7.5,
            ha="center",
            va="center",
            zorder=3,
            color="#111111",
        )
    off_map = stances[~stances["iso_a3"].isin(shaded["iso_a3"])]
    if not off_map.empty:
        lines = [f"{r.iso_a3}: {r.stance.replace('_', ' ')} ({r.statements})" for r in off_map.itertuples()]
        ax.text(
            0.99,
            0.98,
            "Off the map\n" + "\n".join(lines),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#BBBBBB"},
            zorder=5,
        )
    ax.set_xlabel("")
    ax.set_ylabel("")
    used = [s for s in style.STANCE_COLOURS if s in set(stances["stance"])]
    ax.legend(
        handles=[Patch(facecolor=style.STANCE_COLOURS[s], edgecolor="#666666", label=s.replace("_", " ")) for s in used],
        loc="lower left",
        title="Most frequent stance (statements)",
        fontsize=8,
        title_fontsize=8.5,
        framealpha=0.9,
    )
    if title:
        ax.set_title(title)
    return ax
