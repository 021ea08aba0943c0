"""The label placer's conflict score: all obstacles at once, exactly as the one-at-a-time definitions."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from helpers.style import LabelPlacer, _box_distance, boxes_overlap, points_in_box

coord = st.floats(min_value=0, max_value=400, allow_nan=False, width=32)
size = st.floats(min_value=0.5, max_value=80, allow_nan=False, width=32)
boxes = st.lists(st.tuples(coord, coord, size, size).map(lambda b: Bbox.from_bounds(*b)), max_size=6)
circles = st.lists(st.tuples(coord, coord, st.floats(min_value=0.5, max_value=20, width=32)), max_size=6)
lines = st.lists(st.lists(st.tuples(coord, coord), min_size=1, max_size=8).map(lambda pts: np.array(pts, dtype=float)), max_size=4)


def reference_score(placer: LabelPlacer, bb, leader, anchor) -> tuple[int, int]:
    """The score written one obstacle at a time, with the module's own tests (the definition before vectorising)."""
    padded = Bbox.from_extents(bb.x0 - 1.5, bb.y0 - 1.5, bb.x1 + 1.5, bb.y1 + 1.5)
    hard = sum(boxes_overlap(padded, b) for b in placer.boxes)
    hard += sum(
        max(padded.x0 - cx, 0.0, cx - padded.x1) ** 2 + max(padded.y0 - cy, 0.0, cy - padded.y1) ** 2 < r * r
        for cx, cy, r in placer.circles
    )
    w = placer.within
    hard += int(bb.x0 < w.x0 or bb.x1 > w.x1 or bb.y0 < w.y0 or bb.y1 > w.y1)
    hard += sum(points_in_box(pts, padded) for pts in placer.hard_lines)
    soft = sum(points_in_box(pts, padded) for pts in placer.lines)
    if anchor is not None and leader is None:
        near = [r for cx, cy, r in placer.circles if np.hypot(cx - anchor[0], cy - anchor[1]) <= 1.0]
        own_r = max(near, default=0.0)
        own = _box_distance(anchor[0], anchor[1], bb) - own_r
        others = [(cx, cy, r) for cx, cy, r in placer.circles if np.hypot(cx - anchor[0], cy - anchor[1]) > 1.0]
        soft += int(any(_box_distance(cx, cy, bb) - r < own - 1.0 for cx, cy, r in others))
        if placer.nearest_centre:
            mx, my = (bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2
            own_centre = np.hypot(anchor[0] - mx, anchor[1] - my) - own_r
            soft += int(any(np.hypot(cx - mx, cy - my) - r < own_centre - 1.0 for cx, cy, r in others))
    if leader is not None:
        hard += sum(points_in_box(leader, b, pad=0.5) for b in placer.boxes)
    return hard, soft


@settings(max_examples=60, deadline=None)
@given(
    placed=boxes,
    markers=circles,
    soft_lines=lines,
    hard_lines=lines,
    candidate=st.tuples(coord, coord, size, size),
    anchor_on_marker=st.booleans(),
    with_leader=st.booleans(),
    nearest_centre=st.booleans(),
)
def test_vectorised_score_equals_the_one_at_a_time_definition(
    placed, markers, soft_lines, hard_lines, candidate, anchor_on_marker, with_leader, nearest_centre
):
    """For any boxes, markers, lines, candidate box, anchor and leader, the two scores are equal."""
    placer = LabelPlacer(AX, nearest_centre=nearest_centre)
    placer.boxes = list(placed)
    placer.circles = [tuple(map(float, c)) for c in markers]
    placer.lines, placer.hard_lines = list(soft_lines), list(hard_lines)
    bb = Bbox.from_bounds(*candidate)
    anchor = np.array(placer.circles[0][:2]) if anchor_on_marker and placer.circles else np.array([bb.x0 - 3.0, bb.y0 - 3.0])
    leader = anchor + np.linspace(0.0, 1.0, 20)[:, None] * (np.array([bb.x1, bb.y1]) - anchor) if with_leader else None
    assert placer._score(bb, leader, anchor, placer._snapshot()) == reference_score(placer, bb, leader, anchor)


#: One axes for every example (the score reads only the placer's lists and the axes' box), on a
#: figure pyplot does not manage, so other tests' plt.close("all") leaves its canvas alone.
FIG = Figure(figsize=(4, 4), dpi=100)
FigureCanvasAgg(FIG)
AX = FIG.add_subplot()
