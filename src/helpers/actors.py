"""Facts about actors that the analysis relies on: which actors share a timeline lane."""

from __future__ import annotations

import pandas as pd

#: The timeline lanes, in the order they are drawn: the sides of the episode, then everyone else.
LANES = ["United States", "Kata'ib Hezbollah / PMU", "Iran", "Iraqi state", "Israel", "Others / unattributed"]
#: Actor kinds whose country alone decides their lane (a protester or cleric is not "the Iraqi state").
STATE_KINDS = ("state", "government_body", "armed_forces")
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


def actor_lane(actor_id: str, actors: pd.DataFrame) -> str:
    """Return the timeline lane of an actor: climb parent_id to a lane actor, else use the country of a state body.

    Unidentified perpetrators, crowds, clerics and foreign states fall in "Others / unattributed".

    >>> from helpers import load
    >>> actor_lane("kh", load().actors)
    "Kata'ib Hezbollah / PMU"
    """
    table = dict(zip(actors["actor_id"], zip(actors["parent_id"], actors["country"], actors["kind"], strict=True), strict=True))
    if actor_id not in table:
        raise ValueError(f"unknown actor_id {actor_id!r}")
    seen = set()
    current = actor_id
    while isinstance(current, str) and current not in seen:
        if current in LANE_OF_ACTOR:
            return LANE_OF_ACTOR[current]
        seen.add(current)
        parent = table[current][0] if current in table else None
        current = parent if isinstance(parent, str) else None
    _, country, kind = table[actor_id]
    if kind not in STATE_KINDS:
        return "Others / unattributed"
    return LANE_OF_COUNTRY.get(country if isinstance(country, str) else "", "Others / unattributed")


assert set(LANE_OF_ACTOR.values()) | set(LANE_OF_COUNTRY.values()) <= set(LANES)


#: The lane of everyone else, named for what it holds when its members are speakers: a statement
#: always has a named speaker, so among speakers the lane holds other governments and bodies.
SPEAKER_LANE_NAMES = {"Others / unattributed": "Other governments and bodies"}


def speaker_lane(actor_id: str, actors: pd.DataFrame) -> str:
    """Return the lane of a speaker (see :func:`actor_lane`), "Others / unattributed" read as "Other governments and bodies".

    >>> from helpers import load
    >>> t = load()
    >>> speaker_lane("kh", t.actors), speaker_lane("rus", t.actors)
    ("Kata'ib Hezbollah / PMU", 'Other governments and bodies')
    """
    lane = actor_lane(actor_id, actors)
    return SPEAKER_LANE_NAMES.get(lane, lane)


def lineage(actor_id, parents: pd.Series) -> set[str]:
    """Return the actor and every body above it through parent_id (parents: a Series or dict actor_id → parent_id).

    >>> from helpers import load
    >>> sorted(lineage("kh", load().actors.set_index("actor_id")["parent_id"]))
    ['irq', 'irq_forces', 'kh', 'pmu']
    """
    out: set[str] = set()
    while isinstance(actor_id, str) and actor_id not in out:
        out.add(actor_id)
        actor_id = parents.get(actor_id)
    return out
