"""Maps: where the strikes and the attacks they answered took place, and who reacted how."""

from __future__ import annotations

import contextlib
import textwrap

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry import Point, box
from shapely.ops import polylabel

from helpers import geo, style
from helpers.actors import actor_lane
from helpers.columns import require_columns

#: Radius (km) of the ring drawn around a point for each geo_precision level.
PRECISION_RADIUS_KM = {1: 2.0, 2: 10.0, 3: 50.0}
PRECISION_LABELS = {1: "precision: position known", 2: "precision: near a named town (±10 km)", 3: "precision: region only (±50 km)"}
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
    require_columns(events, ["event_id", "event_type", "site_id", "date"], "event_points (events)")
    require_columns(sites, ["site_id", "name", "lat", "lon", "geo_precision"], "event_points (sites)")
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


@contextlib.contextmanager
def _one_draw(fig: plt.Figure):
    """Skip the full redraw geopandas asks for after each ``plot()`` while a map is built.

    ``GeoSeries.plot`` ends with ``canvas.draw_idle()`` (geopandas/plotting.py), which a
    non-interactive canvas (Agg, the notebooks' inline backend) carries out at once: a map built
    from several layers was drawn whole after each. Inside this block the call does nothing; call
    ``apply_aspect()`` on the axes before measuring anything in display pixels.
    """
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    try:
        yield
    finally:
        del fig.canvas.draw_idle


def _draw_base(ax, extent, countries: gpd.GeoDataFrame, label_countries: bool, fontsize: float = 9, avoid=None) -> list:
    """Draw country polygons clipped to extent (projected), with optional country names; return the name Texts.

    Large countries are named at a representative point. With ``avoid`` (an (n, 2) array of
    projected points, e.g. the sites), every country in view is named, however small its part,
    at the point of its part farthest from those points (zoomed panels: which side is Syria).
    """
    clip = box(*extent)
    shown = countries[countries.intersects(clip)]
    shown.plot(ax=ax, facecolor=style.LAND_COLOUR, edgecolor="#8A8A8A", linewidth=0.7 if avoid is None else 1.2, zorder=0)
    texts = []
    if label_countries:
        for row in shown.itertuples():
            name = LABELLED_COUNTRIES.get(row.iso_a3) or (str(row.name).upper() if avoid is not None else None)
            if not name:
                continue
            part = row.geometry.intersection(clip)
            if part.is_empty or (avoid is None and part.area < 2e10):
                continue
            pt = part.representative_point()
            if avoid is not None and len(avoid):
                inner = part.buffer(-0.12 * min(extent[2] - extent[0], extent[3] - extent[1]))
                inner = inner if not inner.is_empty else part
                x0, y0, x1, y1 = inner.bounds
                grid = [Point(x, y) for x in np.linspace(x0, x1, 15) for y in np.linspace(y0, y1, 15)]
                grid = [g for g in grid if inner.contains(g)] or [pt]
                pt = max(grid, key=lambda g: (np.hypot(avoid[:, 0] - g.x, avoid[:, 1] - g.y).min(), -g.y))
            texts.append(
                ax.text(pt.x, pt.y, name, fontsize=fontsize, color="#7A7A7A", ha="center", va="center", zorder=1, fontweight="bold")
            )
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
    return texts


def _draw_events(ax, points: gpd.GeoDataFrame, marker_scale: float = 1.0) -> pd.DataFrame:
    """Draw one marker per (site, event type), fanned out around the site so they do not hide each other.

    Returns one row per marker: site_id, event_type, n, x, y (projected m), dx, dy (offset, points)
    and size (marker diameter, points), for label placement.
    """
    groups = (
        points.groupby(["site_id", "event_type"], observed=True, sort=True)
        .agg(x=("geometry", lambda g: g.iloc[0].x), y=("geometry", lambda g: g.iloc[0].y), n=("event_id", "size"))
        .reset_index()
    )
    per_site = groups.groupby("site_id").cumcount()
    counts = groups.groupby("site_id")["event_type"].transform("size")
    # Violent events are drawn last, on top of protests and decisions at nearby sites.
    layer = {t: i for i, t in enumerate(reversed(list(style.EVENT_MARKERS)))}
    drawn = []
    sizes = (6 + 2.2 * np.sqrt(groups["n"])) * marker_scale
    widest = sizes.groupby(groups["site_id"]).transform("max")
    for row, k, m, size, d in zip(groups.itertuples(), per_site, counts, sizes, widest, strict=True):
        offset = (0.0, 0.0)
        if m > 1:
            # The smallest circle on which m markers of diameter d sit side by side (chord = d), so a
            # fanned marker stays as close to its site as it can without hiding another.
            r = 0.5 * d / np.sin(np.pi / m)
            angle = 2 * np.pi * k / m + np.pi / 2
            offset = (r * np.cos(angle), r * np.sin(angle))
        ax.plot(
            row.x,
            row.y,
            marker=style.EVENT_MARKERS[row.event_type],
            ls="",
            markersize=size,
            color=style.EVENT_TYPE_COLOURS[row.event_type],
            markeredgecolor="white",
            markeredgewidth=0.6,
            zorder=5 + layer[row.event_type] / 100,
            transform=ax.transData + plt.matplotlib.transforms.ScaledTranslation(offset[0] / 72, offset[1] / 72, ax.figure.dpi_scale_trans),
        )
        drawn.append(
            {
                "site_id": row.site_id,
                "event_type": row.event_type,
                "n": row.n,
                "x": row.x,
                "y": row.y,
                "dx": offset[0],
                "dy": offset[1],
                "size": size,
            }
        )
    return pd.DataFrame(drawn)


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
#: Where a map label may sit around its site, in order of preference (see style.AROUND).
MAP_LABEL_POSITIONS = (
    "right",
    "left",
    "above right",
    "below right",
    "above left",
    "below left",
    "above",
    "below",
    "over, rightwards",
    "under, rightwards",
    "over, leftwards",
    "under, leftwards",
)


def _events_label(name: str, n: int, width: int = 24) -> str:
    """Return a panel label: the site's name (wrapped) over its number of events ("Camp Taji\\n3 events").

    >>> _events_label("Camp Taji", 3)
    'Camp Taji\\n3 events'
    """
    return textwrap.fill(name, width=width) + f"\n{n} event{'s' if n != 1 else ''}"


def _register_markers(placer: style.LabelPlacer, drawn: pd.DataFrame) -> None:
    """Register every drawn event marker with a label placer (fanned offsets included)."""
    for row in drawn.itertuples():
        placer.add_marker((row.x, row.y), row.size + 1.0, (row.dx, row.dy))


def _site_radius(drawn: pd.DataFrame, site_id: str) -> float:
    """Return the radius (points) that covers all of a site's fanned markers."""
    rows = drawn[drawn["site_id"] == site_id]
    return float((np.hypot(rows["dx"], rows["dy"]) + rows["size"] / 2).max())


def _draw_panel_boxes(ax, insets, inset_extents) -> list:
    """Outline each zoomed area on the overview map and letter it (A, B, …) to match its panel's title; return the boxes."""
    patches = []
    for k, ext in enumerate(inset_extents):
        letter = chr(ord("A") + k)
        rect = Rectangle((ext[0], ext[1]), ext[2] - ext[0], ext[3] - ext[1], fill=False, ec="#333333", lw=1.0, zorder=6, gid="panel-box")
        ax.add_patch(rect)
        patches.append(rect)
        ax.annotate(
            letter,
            (ext[0], ext[3]),
            xytext=(-2, 2),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=10,
            fontweight="bold",
            color="#333333",
            zorder=7,
            gid="panel-letter",
        )
    return patches


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
    each point's geo_precision in true kilometres, arcs run from launch areas to targets. Each zoomed
    area is outlined and lettered on the overview, matching its panel's title (no connector lines
    across the map). Labels are placed beside their sites so that none overlaps another label or a
    marker, and no leader line or arc crosses a label; panels name their countries and give each
    site's number of events ("3 events"). Scale bars, a legend and a credit line are added.
    Returns the Figure. Raises ValueError for events at unknown sites or missing columns.

    >>> from helpers import load
    >>> t = load()
    >>> k1_and_strikes = t.events[t.events["event_id"].str.startswith(("k1_", "strike_"))]
    >>> fig = plot_strike_map(k1_and_strikes, t.sites)
    >>> len(fig.axes)
    3
    """
    require_columns(events, ["event_id", "event_type", "site_id", "origin_site_id"], "plot_strike_map (events)")
    countries = (countries if countries is not None else geo.basemap()).to_crs(geo.REGION_CRS)
    points = event_points(events, sites)
    rings = precision_rings(points)
    boxes = gpd.GeoSeries([box(*extent_lonlat)] + [box(*b) for _, b in insets], crs="EPSG:4326").to_crs(geo.REGION_CRS)
    extent = boxes.iloc[0].bounds
    inset_extents = [g.bounds for g in boxes.iloc[1:]]
    width_in, top_in, legend_in = 9.6, 0.45, 1.15
    map_in = width_in * 0.64 * (extent[3] - extent[1]) / (extent[2] - extent[0])
    if fig is None:
        fig = plt.figure(figsize=(width_in, top_in + map_in + legend_in))
    height_in = fig.get_figheight()
    ax = fig.add_axes((0.0, 1 - (top_in + map_in) / height_in, 0.64, map_in / height_in))
    slot = (1 - top_in / height_in) / max(len(insets), 1)
    inset_axes = [fig.add_axes((0.665, 1 - top_in / height_in - (i + 1) * slot + 0.02, 0.33, slot - 0.07)) for i in range(len(insets))]
    site_xy = np.array([[g.x, g.y] for g in points.drop_duplicates("site_id").geometry])
    names = sites.set_index("site_id")["name"]
    panel_points = [points[fits_panel(points, ext)] for ext in inset_extents]
    with _one_draw(fig):
        country_texts = _draw_base(ax, extent, countries, True)
        rings.plot(ax=ax, facecolor="none", edgecolor="#555555", linewidth=0.8, linestyle=(0, (2, 2)), zorder=3)
        panel_texts = []
        for a, ext, shown in zip(inset_axes, inset_extents, panel_points, strict=True):
            panel_texts.append(_draw_base(a, ext, countries, True, fontsize=8.5, avoid=site_xy))
            own = rings[rings["site_id"].isin(set(shown["site_id"]))]
            own.plot(ax=a, facecolor="none", edgecolor="#555555", linewidth=0.8, linestyle=(0, (2, 2)), zorder=3)
    for a in [ax, *inset_axes]:
        a.apply_aspect()  # the map's final shape, before anything is placed in display pixels
    drawn = _draw_events(ax, points, 1.0)
    ax.add_artist(ScaleBar(1.0, "m", location="lower right", box_alpha=0.7, font_properties={"size": 8}, length_fraction=0.25))
    panel_drawn = []
    for a, ext, shown, ctexts in zip(inset_axes, inset_extents, panel_points, panel_texts, strict=True):
        note = _left_out_note(a, points, shown, ext, names)
        panel_drawn.append((_draw_events(a, shown, 1.2), ctexts + ([note] if note is not None else []), shown))
        a.add_artist(ScaleBar(1.0, "m", location="lower right", box_alpha=0.7, font_properties={"size": 8}, length_fraction=0.25))
    n_arcs = _draw_arcs(ax, events, sites)
    panel_boxes = _draw_panel_boxes(ax, insets, inset_extents)
    _strike_legend(ax, points, extent, n_arcs)
    if title:
        fig.suptitle(title, x=0.01, y=0.985, ha="left", fontsize=12, fontweight="bold")
    for k, ((title_text, _), a) in enumerate(zip(insets, inset_axes, strict=True)):
        a.set_title(f"{chr(ord('A') + k)} · {title_text}", fontsize=9, loc="left")
    _label_overview(ax, events, sites, points, drawn, names, extent, inset_extents, country_texts, panel_boxes)
    for a, ext, (pdrawn, ctexts, shown) in zip(inset_axes, inset_extents, panel_drawn, strict=True):
        _label_panel(a, shown, pdrawn, names, ext, ctexts)
    for a in [ax, *inset_axes]:
        a.set_xlabel("")
        a.set_ylabel("")
    style.add_source_note(fig, CREDIT, below_content=True)
    return fig


def fits_panel(points: gpd.GeoDataFrame, ext) -> pd.Series:
    """Return, per point, whether a zoomed panel of extent ``ext`` (projected m) can show where it is.

    A point is drawn in a panel only when its uncertainty ring (``PRECISION_RADIUS_KM`` of its
    geo_precision) is no wider than the panel's longer side: a site known to ±50 km cannot be
    placed on a map 60 km across. The overview still draws it with its ring.

    >>> from helpers import load
    >>> t = load()
    >>> pts = event_points(t.events, t.sites)
    >>> sorted(set(pts.loc[~fits_panel(pts, (-1e5, -1e5, -5e4, -5e4)), "geo_precision"]))
    [3]
    """
    longer_m = max(ext[2] - ext[0], ext[3] - ext[1])
    ring_m = points["geo_precision"].astype(int).map(PRECISION_RADIUS_KM) * 1000.0
    return 2 * ring_m <= longer_m


def _left_out_note(a, points: gpd.GeoDataFrame, shown: gpd.GeoDataFrame, ext, names: pd.Series):
    """Write, in the panel's lower-left corner, which sites inside its extent are too imprecise to draw there; return the Text (or None)."""
    inside = points[[_inside(g.x, g.y, ext) for g in points.geometry]]
    left = inside[~inside["site_id"].isin(set(shown["site_id"]))]
    if left.empty:
        return None
    parts = []
    for site_id, rows in left.groupby("site_id", sort=True):
        n = len(rows)
        km = PRECISION_RADIUS_KM[int(rows["geo_precision"].iloc[0])]
        parts.append(textwrap.fill(f"{_short(names[site_id])} ({n} event{'s' if n != 1 else ''}),", 26) + f"\nknown only to ±{km:g} km")
    text = "Not drawn, location too vague:\n" + "\n".join(parts)
    return a.text(0.02, 0.02, text, transform=a.transAxes, fontsize=7.5, color="#444444", ha="left", va="bottom", zorder=8)


def _inside(x: float, y: float, ext) -> bool:
    """Return whether a projected point lies inside an extent (xmin, ymin, xmax, ymax)."""
    return ext[0] < x < ext[2] and ext[1] < y < ext[3]


def _label_overview(ax, events, sites, points, drawn, names, extent, inset_extents, fixed, panel_boxes) -> None:
    """Name every site outside the zoomed areas, and the launch areas, without overlaps or crossed lines.

    Labels are placed greedily; as in :func:`_label_panel`, three orders are tried (most crowded
    site first, west to east, east to west) and the one with the fewest conflicts is kept. A
    label whose middle sits nearer another marker than its own counts as a conflict (the
    placer's ``nearest_centre``, as on the timeline) wherever a free position exists.
    """
    todo = []
    origins = events.dropna(subset=["origin_site_id"])["origin_site_id"].unique()
    for row in geo.sites_frame(sites[sites["site_id"].isin(origins)]).to_crs(geo.REGION_CRS).itertuples():
        todo.append((row.site_id, _short(row.name) + "\n(launch area)", row.geometry.x, row.geometry.y))
    for row in points.drop_duplicates("site_id").itertuples():
        x, y = row.geometry.x, row.geometry.y
        if _inside(x, y, extent) and not any(_inside(x, y, e) for e in inset_extents):
            todo.append((row.site_id, _short(names[row.site_id]), x, y))
    xy = np.array([[x, y] for _, _, x, y in todo]) if todo else np.empty((0, 2))
    crowd = {site_id: int((np.hypot(xy[:, 0] - x, xy[:, 1] - y) < 150_000).sum()) for site_id, _, x, y in todo}
    orders = [sorted(todo, key=lambda s: -crowd[s[0]]), sorted(todo, key=lambda s: s[2]), sorted(todo, key=lambda s: -s[2])]

    def new_placer() -> style.LabelPlacer:
        placer = style.LabelPlacer(ax, nearest_centre=True)
        _register_markers(placer, drawn)
        for artist in fixed:
            placer.add_box(artist)
        for text in ax.texts:
            if not str(text.get_gid()).startswith("site:"):
                placer.add_box(text)
        for patch in [*ax.patches, *panel_boxes]:
            if patch.get_gid() in ("launch-arc", "panel-box"):
                placer.add_line(patch, hard=True)
        for bar in [a for a in ax.artists if isinstance(a, ScaleBar)]:
            placer.add_box(bar.get_window_extent(placer.renderer))
        return placer

    def place(placer: style.LabelPlacer, item) -> None:
        site_id, text, x, y = item
        radius = _site_radius(drawn, site_id) if site_id in set(drawn["site_id"]) else 3.0
        placer.place(
            text,
            (x, y),
            radius=radius,
            directions=MAP_LABEL_POSITIONS,
            rings=(0.0, 6.0, 12.0, 20.0, 30.0),
            leader=True,
            fontsize=8.5,
            color="#222222",
            zorder=7,
            gid=f"site:{site_id}",
        )

    _place_in_best_order(orders, new_placer, place)


def _place_in_best_order(orders, new_placer, place) -> None:
    """Place the labels of each order (a list of items) with a fresh placer; keep the order with the fewest conflicts.

    ``new_placer()`` returns a LabelPlacer with everything the labels must avoid registered;
    ``place(placer, item)`` places one label. Orders are tried in turn and the search stops at
    the first without conflicts; the labels of the other orders are removed.
    """
    best = None
    for order in orders:
        placer = new_placer()
        for item in order:
            place(placer, item)
        score = (sum(int(c[0]) for _, c in placer.conflicts), sum(int(c[1]) for _, c in placer.conflicts))
        if best is None or score < best[0]:
            if best is not None:
                for ann in best[1]:
                    ann.remove()
            best = (score, list(placer.labels))
        else:
            for ann in placer.labels:
                ann.remove()
        if score == (0, 0):
            break


def _label_panel(a, points, drawn, names, ext, country_texts) -> None:
    """Name each site in a zoomed panel with its number of events ("Camp Taji / 3 events").

    Labels are placed greedily; three orders are tried (most crowded site first, west to east,
    east to west) and the one with the fewest conflicts is kept.
    """
    sites = []
    for row in points.drop_duplicates("site_id").itertuples():
        x, y = row.geometry.x, row.geometry.y
        if _inside(x, y, ext):
            sites.append((row.site_id, x, y, int((points["site_id"] == row.site_id).sum())))
    if not sites:
        return
    xy = np.array([[x, y] for _, x, y, _ in sites])
    crowd = {s: int((np.hypot(xy[:, 0] - x, xy[:, 1] - y) < 0.15 * (ext[2] - ext[0])).sum()) for s, x, y, _ in sites}
    orders = [sorted(sites, key=lambda s: -crowd[s[0]]), sorted(sites, key=lambda s: s[1]), sorted(sites, key=lambda s: -s[1])]

    def new_placer() -> style.LabelPlacer:
        placer = style.LabelPlacer(a)
        _register_markers(placer, drawn)
        for text in country_texts:
            placer.add_box(text)
        for bar in [x for x in a.artists if isinstance(x, ScaleBar)]:
            placer.add_box(bar.get_window_extent(placer.renderer))
        return placer

    def place(placer: style.LabelPlacer, item) -> None:
        site_id, x, y, n = item
        placer.place(
            _events_label(_short(names[site_id]), n),
            (x, y),
            radius=_site_radius(drawn, site_id),
            directions=MAP_LABEL_POSITIONS,
            rings=(0.0, 6.0, 12.0, 20.0, 30.0, 42.0),
            leader=True,
            fontsize=8.5,
            color="#222222",
            zorder=7,
            linespacing=1.05,
            gid=f"site:{site_id}",
        )

    _place_in_best_order(orders, new_placer, place)


def _strike_legend(ax, points, extent, n_arcs: int):
    """Add the overview's legend: event types, precision rings and the launch arc; return it."""
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
    return ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.01),
        ncol=3,
        fontsize=8.5,
        title="Events by type (bigger marker: more events at the site)",
        title_fontsize=8.5,
        alignment="left",
        borderaxespad=0.0,
        columnspacing=1.0,
    )


def _short(name: str) -> str:
    """Shorten a site name for a map label."""
    return name.split(" (")[0].replace("International Airport", "airport").replace("Embassy of the United States, Baghdad", "US embassy")


def country_stances(reactions: pd.DataFrame, actors: pd.DataFrame, event_ids: list[str] | None = None) -> pd.DataFrame:
    """Return one row per speaker: each government's (and each armed group's) most frequent stance about the given events.

    Governments: speakers whose actor (or an ancestor) is a state, a government body or a person
    who heads one, in the Iraqi-state, US, Iranian, Israeli or other national lane. Kata'ib
    Hezbollah, the PMU and other militias are counted apart from the Iraqi state, as their own
    speaker (the lane given by helpers.actors.actor_lane, or the armed group itself); clerics,
    parties and think-tanks are left out. Columns: ``speaker`` (country or group name), ``kind``
    ("government" or "armed group"), ``iso_a3`` (NA for armed groups), ``stance`` (the most
    frequent; among tied stances the most hostile, order of style.STANCE_COLOURS), ``stances``
    (all tied stances, " / "), ``n`` (statements of that stance, each) and ``statements`` (all
    statements of the speaker about the events). Raises ValueError if no government spoke.

    >>> from helpers import load
    >>> t = load()
    >>> country_stances(t.reactions, t.actors, ["strike_iraq_1"]).set_index("speaker").at["Israel", "stance"]
    'praise'
    """
    require_columns(reactions, ["reaction_id", "actor_id", "stance", "responds_to"], "country_stances")
    rx = reactions if event_ids is None else reactions[reactions["responds_to"].isin(event_ids)]
    table = actors.set_index("actor_id")
    state_names = {
        c: n for c, n, k in zip(actors["country"], actors["name"], actors["kind"], strict=True) if k == "state" and isinstance(c, str)
    }
    rows = []
    for r in rx.itertuples():
        group = _armed_group_of(r.actor_id, actors, table)
        if group:
            rows.append({"speaker": group, "kind": "armed group", "iso_a3": pd.NA, "stance": str(r.stance)})
            continue
        country = _state_of(r.actor_id, table)
        if country:
            rows.append({"speaker": state_names.get(country, country), "kind": "government", "iso_a3": country, "stance": str(r.stance)})
    if not any(row["kind"] == "government" for row in rows):
        raise ValueError("no government reactions for the chosen events")
    frame = pd.DataFrame(rows)
    order = {s: i for i, s in enumerate(style.STANCE_COLOURS)}
    out = []
    for (kind, speaker), block in frame.groupby(["kind", "speaker"], sort=True):
        counts = block["stance"].value_counts()
        top = int(counts.max())
        tied = sorted(counts[counts == top].index, key=lambda x: order.get(x, len(order)))
        out.append(
            {
                "speaker": speaker,
                "kind": kind,
                "iso_a3": block["iso_a3"].iloc[0],
                "stance": tied[0],
                "stances": " / ".join(tied),
                "n": top,
                "statements": len(block),
            }
        )
    result = pd.DataFrame(out)
    result["iso_a3"] = result["iso_a3"].astype("string")
    return result.sort_values(["kind", "iso_a3", "speaker"], ascending=[False, True, True], na_position="last").reset_index(drop=True)


def _armed_group_of(actor_id: str, actors: pd.DataFrame, table: pd.DataFrame) -> str | None:
    """Return the armed group an actor speaks for (KH / PMU lane, or its own armed-group ancestor), or None."""
    if actor_id not in table.index:
        return None
    if actor_lane(actor_id, actors) == "Kata'ib Hezbollah / PMU":
        return "Kata'ib Hezbollah / PMU"
    current, seen = actor_id, set()
    while isinstance(current, str) and current in table.index and current not in seen:
        seen.add(current)
        if table.at[current, "kind"] == "armed_group":
            return str(table.at[current, "name"])
        parent = table.at[current, "parent_id"]
        current = parent if isinstance(parent, str) else None
    return None


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


def stance_text(row) -> str:
    """Return a speaker's stance line: "condemn: 6 of 10 statements", ties as "warn / justify: 4 each of 9 statements".

    >>> stance_text(pd.Series({"stances": "warn / justify", "n": 4, "statements": 9}))
    'warn / justify: 4 each of 9 statements'
    """
    stances = str(row["stances"] if "stances" in row and pd.notna(row["stances"]) else row["stance"]).replace("_", " ")
    n = int(row["n"]) if "n" in row and pd.notna(row["n"]) else int(row["statements"])
    each = " each" if " / " in stances else ""
    total = int(row["statements"])
    return f"{stances}: {n}{each} of {total} statement{'s' if total != 1 else ''}"


def plot_reactions_map(
    stances: pd.DataFrame,
    *,
    countries: gpd.GeoDataFrame | None = None,
    extent_lonlat: tuple[float, float, float, float] = (30.0, 20.0, 64.0, 42.5),
    ax: plt.Axes | None = None,
    title: str | None = None,
) -> plt.Axes:
    """Shade each government by its most frequent stance; governments off the map and armed groups are listed beside it.

    Each shaded country is labelled with its name and "stance: n of N statements" (ties named
    together, "warn / justify: 4 each of 9 statements"), in near-black or white, whichever reads
    better on the fill; a label that does not fit inside its country is set beside it with a leader
    line. Takes the frame of :func:`country_stances` (``n``, ``stances``, ``kind`` and ``speaker``
    are optional). Returns the Axes.

    >>> from helpers import load
    >>> t = load()
    >>> ax = plot_reactions_map(country_stances(t.reactions, t.actors))
    >>> ax.get_legend() is not None
    True
    """
    require_columns(stances, ["iso_a3", "stance", "statements"], "plot_reactions_map")
    stances = stances.copy()
    if "kind" not in stances.columns:
        stances["kind"] = "government"
    countries = (countries if countries is not None else geo.basemap()).to_crs(geo.REGION_CRS)
    extent = gpd.GeoSeries([box(*extent_lonlat)], crs="EPSG:4326").to_crs(geo.REGION_CRS).iloc[0].bounds
    if ax is None:
        _, ax = plt.subplots(figsize=(9.4, 6.4))
    _draw_base(ax, extent, countries, label_countries=False)
    govs = stances[stances["kind"] == "government"]
    shaded = countries.merge(govs.drop(columns=[c for c in ("speaker",) if c in govs.columns]), on="iso_a3", how="inner")
    for row in shaded.itertuples():
        gpd.GeoSeries([row.geometry], crs=countries.crs).plot(
            ax=ax, facecolor=style.STANCE_COLOURS[row.stance], edgecolor="#444444", linewidth=0.9, zorder=1, gid=f"stance:{row.iso_a3}"
        )
    if title:
        ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    used = [s for s in style.STANCE_COLOURS if s in set(shaded["stance"])]
    handles = [Patch(facecolor=style.STANCE_COLOURS[s], edgecolor="#444444", label=s.replace("_", " ")) for s in used]
    handles.append(Patch(facecolor=style.LAND_COLOUR, edgecolor="#8A8A8A", label="no statement by the government"))
    ax.legend(
        handles=handles,
        loc="lower left",
        title="Government's most frequent stance",
        fontsize=8.5,
        title_fontsize=8.5,
        framealpha=0.95,
        facecolor="white",
        edgecolor="#CCCCCC",
    )
    side = _side_box(ax, stances, shaded)
    placer = style.LabelPlacer(ax)
    placer.add_box(ax.get_legend())
    if side is not None:
        placer.add_box(side.get_bbox_patch().get_window_extent(placer.renderer))
    clip = box(*extent)
    for row in shaded.itertuples():
        part = row.geometry.intersection(clip)
        main = max(getattr(part, "geoms", [part]), key=lambda g: g.area)
        pt = polylabel(main, tolerance=1000.0) if main.geom_type == "Polygon" else part.representative_point()
        text = f"{row.name}\n" + stance_text(pd.Series(row._asdict())).replace(": ", "\n", 1)
        fill = style.STANCE_COLOURS[row.stance]
        inside = ax.text(
            pt.x, pt.y, text, fontsize=8.5, ha="center", va="center", zorder=3, color=style.text_colour_for(fill), linespacing=1.1
        )
        bb = inside.get_window_extent(placer.renderer)
        corners = ax.transData.inverted().transform([[bb.x0, bb.y0], [bb.x0, bb.y1], [bb.x1, bb.y0], [bb.x1, bb.y1]])
        if all(part.contains(Point(x, y)) for x, y in corners) and not any(style.boxes_overlap(bb, b) for b in placer.boxes):
            inside.set_gid(f"stance-label:{row.iso_a3}")
            placer.add_box(bb)
            continue
        inside.remove()
        placer.add_marker((pt.x, pt.y), 4.0)
        placer.place(
            text,
            (pt.x, pt.y),
            radius=2.0,
            directions=("left", "right", "below left", "above left", "below", "above", "below right", "above right"),
            rings=(14.0, 24.0, 36.0, 50.0),
            leader=True,
            fontsize=8.5,
            color="#111111",
            zorder=4,
            linespacing=1.1,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
            gid=f"stance-label:{row.iso_a3}",
        )
    return ax


def _side_box(ax, stances: pd.DataFrame, shaded: pd.DataFrame):
    """List governments off the map and the armed groups (counted apart from their states) in a box at the top right; return it."""
    lines = []
    off_map = stances[(stances["kind"] == "government") & ~stances["iso_a3"].isin(shaded["iso_a3"])]
    if not off_map.empty:
        lines.append("Governments off the map")
        lines += [f"  {_speaker(r)}: {stance_text(r)}" for _, r in off_map.iterrows()]
    groups = stances[stances["kind"] == "armed group"]
    if not groups.empty:
        lines.append("Armed groups, counted apart from their states")
        lines += [f"  {_speaker(r)}: {stance_text(r)}" for _, r in groups.iterrows()]
    if not lines:
        return None
    return ax.text(
        0.99,
        0.985,
        "\n".join(lines),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8.5,
        linespacing=1.25,
        multialignment="left",
        bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#BBBBBB"},
        zorder=5,
        gid="side-box",
    )


def _speaker(row) -> str:
    """Return a speaker's reader name (falls back to the ISO code)."""
    return str(row["speaker"]) if "speaker" in row and pd.notna(row["speaker"]) else str(row["iso_a3"])
