"""One house style for every figure: palette, actor colours, markers, source lines."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

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
LANES = ["United States", "Kata'ib Hezbollah / PMU", "Iran", "Iraqi state", "Israel", "Others / unattributed"]
#: Actor kinds whose country alone decides their lane (a protester or cleric is not "the Iraqi state").
STATE_KINDS = ("state", "government_body", "armed_forces")
LANE_COLOURS = {
    "United States": OKABE_ITO["blue"],
    "Kata'ib Hezbollah / PMU": OKABE_ITO["vermillion"],
    "Iran": OKABE_ITO["green"],
    "Iraqi state": OKABE_ITO["orange"],
    "Israel": OKABE_ITO["purple"],
    "Others / unattributed": OKABE_ITO["grey"],
}
#: Which actor (or ancestor via parent_id) decides the lane; checked from the actor upwards.
LANE_OF_ACTOR = {
    "kh": "Kata'ib Hezbollah / PMU",
    "pmu": "Kata'ib Hezbollah / PMU",
    "usa": "United States",
    "irn": "Iran",
    "irq": "Iraqi state",
    "isr": "Israel",
}
LANE_OF_COUNTRY = {"USA": "United States", "IRN": "Iran", "IRQ": "Iraqi state", "ISR": "Israel"}
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
    "political_decision": "d",
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
    "deny": "#D9D9D9",
    "claim": "#BDBDBD",
    "mourn": "#E0E0E0",
    "other": "#F0F0F0",
    "call_for_restraint": "#D1E5F0",
    "justify": "#67A9CF",
    "praise": "#2166AC",
}
SOURCE_FONT_SIZE = 7.5


def use_style() -> None:
    """Apply the house style (no top/right spines, sans-serif, modest DPI) to matplotlib.

    >>> use_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["axes.spines.top"]
    False
    """
    plt.style.use(str(STYLE_FILE))


def actor_lane(actor_id: str, actors: pd.DataFrame) -> str:
    """Return the timeline lane of an actor: climb parent_id to a lane actor, else use the country of a state body.

    Unidentified perpetrators, crowds, clerics and foreign states fall in "Others / unattributed".

    >>> from helpers import load
    >>> actor_lane("kh", load().actors)
    "Kata'ib Hezbollah / PMU"
    """
    table = actors.set_index("actor_id")
    if actor_id not in table.index:
        raise ValueError(f"unknown actor_id {actor_id!r}")
    seen = set()
    current = actor_id
    while isinstance(current, str) and current not in seen:
        if current in LANE_OF_ACTOR:
            return LANE_OF_ACTOR[current]
        seen.add(current)
        parent = table.at[current, "parent_id"] if current in table.index else None
        current = parent if isinstance(parent, str) else None
    country = table.at[actor_id, "country"]
    if table.at[actor_id, "kind"] not in STATE_KINDS:
        return "Others / unattributed"
    return LANE_OF_COUNTRY.get(country if isinstance(country, str) else "", "Others / unattributed")


def add_source_note(fig, text: str) -> None:
    """Write a source/credit line under the figure, left-aligned.

    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> add_source_note(fig, "Source: data/events.csv")
    >>> fig.texts[0].get_text()
    'Source: data/events.csv'
    """
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=SOURCE_FONT_SIZE, color="#555555", wrap=True)


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise ValueError naming the missing columns, or if the frame is empty.

    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "demo")
    Traceback (most recent call last):
    ValueError: demo: missing column(s) ['b']
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what}: expected a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}")
    if frame.empty:
        raise ValueError(f"{what}: the frame is empty, nothing to draw")


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
