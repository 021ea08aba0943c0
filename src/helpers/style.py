"""One house style for every figure: palette, actor colours, markers, source lines, readable text, and label placement."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

STYLE_FILE = Path(__file__).with_name("house.mplstyle")

#: Okabe–Ito colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7F7F7F",
}
#: Timeline lanes in display order (top to bottom), each with one fixed colour.
LANE_COLOURS = {
    "United States": OKABE_ITO["blue"],
    "Kata'ib Hezbollah / PMU": OKABE_ITO["vermillion"],
    "Iran": OKABE_ITO["green"],
    "Iraqi state": OKABE_ITO["orange"],
    "Israel": OKABE_ITO["purple"],
    "Others / unattributed": OKABE_ITO["grey"],
}
#: Marker per event type (matplotlib marker codes).
EVENT_MARKERS = {
    "rocket_attack": "^",
    "airstrike": "v",
    "drone_strike": "D",
    "missile_strike": "P",
    "shootdown": "X",
    "embassy_assault": "s",
    "protest": "o",
    "deployment": ">",
    "political_decision": "p",
    "sanction": "h",
    "funeral": "*",
    "other": ".",
}
#: Colour per event type on maps (attacks warm, strikes dark, non-violent events light).
EVENT_TYPE_COLOURS = {
    "rocket_attack": OKABE_ITO["vermillion"],
    "airstrike": OKABE_ITO["blue"],
    "drone_strike": OKABE_ITO["sky_blue"],
    "missile_strike": OKABE_ITO["green"],
    "shootdown": OKABE_ITO["purple"],
    "embassy_assault": OKABE_ITO["orange"],
    "protest": OKABE_ITO["yellow"],
    "deployment": "#555555",
    "political_decision": "#999999",
    "sanction": "#999999",
    "funeral": "#BBBBBB",
    "other": "#BBBBBB",
}
#: Colour per reaction stance (diverging: hostile warm, approving cool, neutral grey).
STANCE_COLOURS = {
    "threaten": "#B2182B",
    "condemn": "#EF8A62",
    "warn": "#FDDBC7",
    "demand": "#F4A582",
    "deny": "#8F8F8F",
    "claim": "#6E6E6E",
    "mourn": "#C8C8C8",
    "other": "#ABABAB",
    "call_for_restraint": "#D1E5F0",
    "justify": "#67A9CF",
    "praise": "#2166AC",
}
#: Fill of land that carries no data on maps (stance colours must stand apart from it).
LAND_COLOUR = "#F4F1EA"
SOURCE_FONT_SIZE = 7.5
#: Smallest font size (points) for annotations meant to be read at README width (~830 px).
LABEL_FONT_SIZE = 9.0


def use_style() -> None:
    """Apply the house style (no top/right spines, sans-serif, modest DPI) to matplotlib.

    >>> use_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["axes.spines.top"]
    False
    """
    plt.style.use(str(STYLE_FILE))


def add_source_note(fig, text: str, *, below_content: bool = False) -> plt.Text:
    """Write a source/credit line under the figure, left-aligned; return the Text.

    With ``below_content`` the line goes under everything already drawn (axes, tick labels,
    axis labels, legends below the axes), so it can never sit on top of an axis label;
    call it last. ``savefig(bbox_inches="tight")`` (the house style) keeps it in the image.

    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> _ = add_source_note(fig, "Source: data/events.csv")
    >>> fig.texts[0].get_text()
    'Source: data/events.csv'
    """
    y, va = 0.005, "bottom"
    if below_content:
        renderer = fig.canvas.get_renderer()
        boxes = [a.get_tightbbox(renderer) for a in fig.axes if a.get_visible()]
        boxes += [t.get_window_extent(renderer) for t in fig.texts if t.get_visible() and t.get_text()]
        boxes += [lg.get_window_extent(renderer) for lg in fig.legends]
        boxes += [c.get_window_extent(renderer) for a in fig.axes for c in a.get_children() if isinstance(c, Legend) and c.get_visible()]
        boxes = [b for b in boxes if b is not None and b.width > 0]
        if boxes:
            bottom = min(b.y0 for b in boxes)
            y, va = (bottom - 4) / fig.bbox.height, "top"
    return fig.text(0.01, y, text, ha="left", va=va, fontsize=SOURCE_FONT_SIZE, color="#555555", wrap=True, gid="source-note")


def relative_luminance(colour) -> float:
    """Return the WCAG relative luminance (0 black … 1 white) of a matplotlib colour.

    >>> round(relative_luminance("white"), 3), round(relative_luminance("#000000"), 3)
    (1.0, 0.0)
    """
    rgb = np.asarray(mpl.colors.to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(a, b) -> float:
    """Return the WCAG contrast ratio (1 to 21) between two colours.

    >>> round(contrast_ratio("black", "white"))
    21
    """
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour_for(fill) -> str:
    """Return near-black or white, whichever reads better on ``fill`` (higher WCAG contrast).

    >>> text_colour_for(STANCE_COLOURS["praise"]), text_colour_for(STANCE_COLOURS["warn"])
    ('white', '#111111')
    """
    return "white" if contrast_ratio("white", fill) > contrast_ratio("#111111", fill) else "#111111"


def artist_points(artist, step: float = 1.5) -> np.ndarray:
    """Return points (display pixels, shape (n, 2)) every ``step`` px along the path of a line or patch (curves followed).

    Used to test whether an arrow, leader line or connector crosses a label's box.
    Returns an empty (0, 2) array for artists without a drawn line (marker-only Line2D).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> line, = ax.plot([0, 1], [0, 1])
    >>> artist_points(line).shape[1]
    2
    """
    if isinstance(artist, Line2D) and artist.get_linestyle() in ("None", "", " ", "none"):
        return np.empty((0, 2))
    path = artist.get_transform().transform_path(artist.get_path())
    out = []
    for seg, _ in path.iter_bezier():
        ctrl = seg.control_points
        length = float(np.hypot(*np.diff(ctrl, axis=0).T).sum()) if len(ctrl) > 1 else 0.0
        out.append(seg(np.linspace(0.0, 1.0, max(2, int(length / step) + 2))))
    return np.vstack(out) if out else np.empty((0, 2))


def points_in_box(points: np.ndarray, bbox, pad: float = 0.0) -> bool:
    """Return whether any of the points (display px) falls inside the bbox shrunk by ``pad`` px.

    >>> from matplotlib.transforms import Bbox
    >>> points_in_box(np.array([[5.0, 5.0]]), Bbox.from_extents(0, 0, 10, 10))
    True
    """
    if len(points) == 0:
        return False
    x, y = points[:, 0], points[:, 1]
    inside = (x > bbox.x0 + pad) & (x < bbox.x1 - pad) & (y > bbox.y0 + pad) & (y < bbox.y1 - pad)
    return bool(inside.any())


def boxes_overlap(a, b, tol: float = 0.5) -> bool:
    """Return whether two display bboxes overlap by more than ``tol`` px in both directions.

    >>> from matplotlib.transforms import Bbox
    >>> boxes_overlap(Bbox.from_extents(0, 0, 10, 10), Bbox.from_extents(9, 9, 20, 20))
    True
    """
    return bool(min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def _box_distance(x: float, y: float, bbox) -> float:
    """Return the distance (display px) from a point to the nearest point of a bbox (0 inside)."""
    return float(np.hypot(max(bbox.x0 - x, 0.0, x - bbox.x1), max(bbox.y0 - y, 0.0, y - bbox.y1)))


#: Label positions around an anchor, in order of preference: unit direction (dx, dy) and text alignment.
AROUND = {
    "below": (0.0, -1.0, "center", "top"),
    "above": (0.0, 1.0, "center", "bottom"),
    "right": (1.0, 0.0, "left", "center"),
    "left": (-1.0, 0.0, "right", "center"),
    "below right": (0.71, -0.71, "left", "top"),
    "below left": (-0.71, -0.71, "right", "top"),
    "above right": (0.71, 0.71, "left", "bottom"),
    "above left": (-0.71, 0.71, "right", "bottom"),
    "under, leftwards": (0.4, -1.0, "right", "top"),
    "under, rightwards": (-0.4, -1.0, "left", "top"),
    "over, leftwards": (0.4, 1.0, "right", "bottom"),
    "over, rightwards": (-0.4, 1.0, "left", "bottom"),
}


class LabelPlacer:
    """Place text labels beside their anchors so that no label overlaps another label, a marker, or a line.

    Everything is measured in display pixels, so create the placer once the figure size, the
    axes position and the axes limits are final. Register what labels must avoid with
    :meth:`add_marker` (circles), :meth:`add_box` (texts, legends) and :meth:`add_line`
    (arrows, connectors; crossing one is allowed only when no free position exists), then call
    :meth:`place` for each label, most important first. A label is an ``Annotation`` whose
    ``xy`` is its anchor (the marker it names).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> placer = LabelPlacer(ax)
    >>> placer.add_marker((0.5, 0.5), 10)
    >>> ann = placer.place("a label", (0.5, 0.5), radius=5)
    >>> ann.xy
    (0.5, 0.5)
    """

    def __init__(self, ax: plt.Axes, *, gap: float = 2.5, within=None, nearest_centre: bool = False):
        self.ax = ax
        #: With nearest_centre, a label whose box centre lies nearer another marker than its own
        #: anchor is a soft conflict too (a reader reads a label as naming the marker under its middle).
        self.nearest_centre = nearest_centre
        self.fig = ax.figure
        self.renderer = self.fig.canvas.get_renderer()
        self.gap = gap
        self.within = within if within is not None else ax.bbox
        self.boxes: list = []
        self.circles: list[tuple[float, float, float]] = []
        self.lines: list[np.ndarray] = []
        self.hard_lines: list[np.ndarray] = []
        self.labels: list = []
        self._specs: dict = {}
        self._boxes_of: dict = {}
        #: (text, (hard, soft)) per placed label: conflicts left where no free position existed.
        self.conflicts: list[tuple[str, tuple[int, int]]] = []

    def _px(self, points: float) -> float:
        """Convert points to display pixels."""
        return points * self.fig.dpi / 72.0

    def add_marker(self, xy, size_pt: float, offset_pt=(0.0, 0.0)) -> None:
        """Register a marker of diameter ``size_pt`` points at data position xy (shifted by offset_pt points)."""
        cx, cy = self.ax.transData.transform(xy)
        self.circles.append((cx + self._px(offset_pt[0]), cy + self._px(offset_pt[1]), self._px(size_pt) / 2.0))

    def add_box(self, bbox_or_artist) -> None:
        """Register a display bbox, or an artist (text, legend) whose window extent labels must avoid."""
        bb = bbox_or_artist
        if not hasattr(bb, "x0"):
            bb = bbox_or_artist.get_window_extent(self.renderer)
        self.boxes.append(bb)

    def add_line(self, artist_or_points, *, hard: bool = False) -> None:
        """Register a line or patch (or an (n, 2) array of display points) that labels should not cross (``hard``: must not)."""
        pts = artist_or_points if isinstance(artist_or_points, np.ndarray) else artist_points(artist_or_points)
        if len(pts):
            (self.hard_lines if hard else self.lines).append(pts)

    def boxes_of_labels(self) -> list:
        """Return the display bboxes of the placed labels, in the order of ``labels``."""
        return [self._boxes_of[id(ann)] for ann in self.labels]

    def other_boxes(self) -> list:
        """Return the registered boxes that are not placed labels (fixed texts, legends)."""
        mine = {id(b) for b in self._boxes_of.values()}
        return [b for b in self.boxes if id(b) not in mine]

    def replace(self, ann):
        """Remove a label placed by :meth:`place` and place it again, avoiding what was registered since; return the new one."""
        text, xy, kwargs = self._specs.pop(id(ann))
        i = self.labels.index(ann)
        self.labels.pop(i)
        self.boxes.remove(self._boxes_of[id(ann)])
        self.conflicts.pop(i)
        ann.remove()
        return self.place(text, xy, **kwargs)

    def _snapshot(self) -> dict:
        """What labels must avoid, as arrays (display px), taken once per :meth:`place` call.

        boxes: (n, 4) x0, y0, x1, y1; circles: (m, 3) cx, cy, r; each kind of line: all points
        stacked, with the index of the line each point belongs to.
        """

        def stacked(lines: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            if not lines:
                return np.empty((0, 2)), np.empty(0, dtype=int)
            return np.vstack(lines), np.repeat(np.arange(len(lines)), [len(pts) for pts in lines])

        return {
            "boxes": np.array([[b.x0, b.y0, b.x1, b.y1] for b in self.boxes], dtype=float).reshape(-1, 4),
            "circles": np.array(self.circles, dtype=float).reshape(-1, 3),
            "hard_lines": stacked(self.hard_lines),
            "lines": stacked(self.lines),
        }

    @staticmethod
    def _lines_in_box(stack: tuple[np.ndarray, np.ndarray], box) -> int:
        """How many of the stacked lines have a point strictly inside ``box`` (see :func:`points_in_box`)."""
        pts, owner = stack
        if not len(pts):
            return 0
        x, y = pts[:, 0], pts[:, 1]
        inside = (x > box.x0) & (x < box.x1) & (y > box.y0) & (y < box.y1)
        return int(np.unique(owner[inside]).size)

    def _score(self, bb, leader: np.ndarray | None, anchor, seen: dict) -> tuple[int, int]:
        """Return (hard, soft) conflicts of a candidate box, against ``seen`` (:meth:`_snapshot`).

        Hard: overlapping a registered box or marker, leaving the area, a leader crossing a label.
        Soft: crossing a registered line, or sitting closer to another marker than to its own
        anchor (a reader would take it for that marker's label). The same tests as
        :func:`boxes_overlap` and :func:`points_in_box` (and a circle-box overlap for markers),
        made on all obstacles at once.
        """
        padded = Bbox.from_extents(bb.x0 - 1.5, bb.y0 - 1.5, bb.x1 + 1.5, bb.y1 + 1.5)
        boxes, circles = seen["boxes"], seen["circles"]
        bx0, by0, bx1, by1 = boxes.T
        overlap_x = np.minimum(padded.x1, bx1) - np.maximum(padded.x0, bx0)
        overlap_y = np.minimum(padded.y1, by1) - np.maximum(padded.y0, by0)
        hard = int(np.count_nonzero((overlap_x > 0.5) & (overlap_y > 0.5)))
        cx, cy, r = circles.T
        dx = np.maximum(np.maximum(padded.x0 - cx, 0.0), cx - padded.x1)
        dy = np.maximum(np.maximum(padded.y0 - cy, 0.0), cy - padded.y1)
        hard += int(np.count_nonzero(dx * dx + dy * dy < r * r))
        w = self.within
        hard += int(bb.x0 < w.x0 or bb.x1 > w.x1 or bb.y0 < w.y0 or bb.y1 > w.y1)
        hard += self._lines_in_box(seen["hard_lines"], padded)
        soft = self._lines_in_box(seen["lines"], padded)
        if anchor is not None and leader is None and len(circles):
            at_anchor = np.hypot(cx - anchor[0], cy - anchor[1]) <= 1.0
            own_r = float(r[at_anchor].max()) if at_anchor.any() else 0.0
            own = _box_distance(anchor[0], anchor[1], bb) - own_r
            others = ~at_anchor
            ex = np.maximum(np.maximum(bb.x0 - cx, 0.0), cx - bb.x1)
            ey = np.maximum(np.maximum(bb.y0 - cy, 0.0), cy - bb.y1)
            soft += int(bool(np.any((np.hypot(ex, ey) - r < own - 1.0) & others)))
            if self.nearest_centre:
                mx, my = (bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2
                own_centre = np.hypot(anchor[0] - mx, anchor[1] - my) - own_r
                soft += int(bool(np.any((np.hypot(cx - mx, cy - my) - r < own_centre - 1.0) & others)))
        if leader is not None and len(leader):
            x, y = leader[:, 0], leader[:, 1]
            crossed = (x[:, None] > bx0 + 0.5) & (x[:, None] < bx1 - 0.5) & (y[:, None] > by0 + 0.5) & (y[:, None] < by1 - 0.5)
            hard += int(np.count_nonzero(crossed.any(axis=0)))
        return hard, soft

    def place(
        self,
        text: str,
        xy,
        *,
        radius: float = 0.0,
        directions=tuple(AROUND),
        rings=(0.0,),
        leader: bool = False,
        gid: str | None = None,
        **text_kw,
    ):
        """Add ``text`` beside the anchor ``xy`` (data coordinates) at the first free position; return the Annotation.

        ``radius`` (points) is the anchor marker's radius; positions are tried for each ring
        (extra distance in points) and each direction of ``directions`` (keys of ``AROUND``).
        A free position overlaps no registered box, marker or line and stays inside the axes;
        failing that, the position with the fewest conflicts is used. With ``leader``, labels
        placed on an outer ring get a thin line to their anchor (it avoids the other labels and is
        registered as a line the labels placed after must not cross). The label's box is registered too.
        """
        ax = self.ax
        probe = ax.annotate(text, xy, xytext=(0, 0), textcoords="offset points", annotation_clip=False, **text_kw)
        anchor = ax.transData.transform(xy)
        seen = self._snapshot()
        best = None
        for ring in rings:
            for name in directions:
                dx, dy, ha, va = AROUND[name]
                dist = radius + self.gap + ring
                probe.xyann = (dx * dist, dy * dist)
                probe.set_ha(ha)
                probe.set_va(va)
                bb = probe.get_window_extent(self.renderer)
                seg = None
                if leader and ring > 0:
                    # The leader runs from the anchor towards the text's centre and stops at the text's box.
                    centre = np.array([(bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2])
                    seg = anchor + np.linspace(0.0, 1.0, 80)[:, None] * (centre - anchor)
                    inside = (seg[:, 0] >= bb.x0 - 1) & (seg[:, 0] <= bb.x1 + 1) & (seg[:, 1] >= bb.y0 - 1) & (seg[:, 1] <= bb.y1 + 1)
                    seg = seg[~inside]
                hard, soft = self._score(bb, seg, anchor, seen)
                key = (hard, soft)
                if best is None or key < best[0]:
                    best = (key, (dx * dist, dy * dist), ha, va, bb, seg, ring)
                if key == (0, 0):
                    break
            if best[0] == (0, 0):
                break
        probe.remove()
        _, off, ha, va, bb, seg, ring = best
        arrow = None
        if leader and ring > 0:
            arrow = {"arrowstyle": "-", "color": "#777777", "lw": 0.6, "shrinkA": 0.5, "shrinkB": radius + 0.5}
        ann = ax.annotate(
            text, xy, xytext=off, textcoords="offset points", ha=ha, va=va, annotation_clip=False, arrowprops=arrow, **text_kw
        )
        if gid:
            ann.set_gid(gid)
        self.boxes.append(bb)
        self._boxes_of[id(ann)] = bb
        self._specs[id(ann)] = (
            text,
            xy,
            {"radius": radius, "directions": directions, "rings": rings, "leader": leader, "gid": gid, **text_kw},
        )
        if seg is not None:
            self.hard_lines.append(seg)
        self.labels.append(ann)
        self.conflicts.append((text, best[0]))
        return ann


def categorical_colours(values, mapping: dict[str, str]) -> list[str]:
    """Return colours for values from a fixed mapping; unknown values raise ValueError.

    >>> categorical_colours(["Iran"], LANE_COLOURS)
    ['#009E73']
    """
    unknown = sorted({v for v in values if v not in mapping})
    if unknown:
        raise ValueError(f"no colour defined for {unknown}")
    return [mapping[v] for v in values]


mpl.rcParams["svg.hashsalt"] = "k1-escalation"  # deterministic ids if anyone saves SVG
