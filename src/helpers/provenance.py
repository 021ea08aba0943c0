"""Provenance a reader can weigh: who originated each report, and how many independent originators confirm a row.

Computed from ``publishers.csv`` (the one list of outlets and bodies) and the ``publisher_id``,
``originator_id`` and ``copy_of`` columns of ``sources.csv``; nothing here is stored by hand.
The grades follow the spirit of Airwars' civilian-harm gradings (confirmed / fair / weak /
contested, Airwars methodology note), made mechanical so that every row gets one.
"""

from __future__ import annotations

import pandas as pd

from helpers.actors import lineage
from helpers.columns import require_columns
from helpers.names import NO_CLAIMANT

#: Publisher kinds that reprint others' reporting rather than report (shown as such in notebook 00).
REPOST_KINDS = {"aggregator", "mirror"}
GRADES = ["corroborated", "single_source", "party_only", "contested"]
#: The seed article's source_id: it cannot count among the sources that confirm its own claims.
SEED_SOURCE = "seed"


def originator_keys(sources: pd.DataFrame) -> pd.Series:
    """Return, per source_id, its originator key: the originator_id, or 'unknown@<publisher_id>' where the copy does not say.

    An unknown originator counts once per publisher: two copies on one site of an uncredited
    story are one voice, copies on two sites are two.

    >>> from helpers import load
    >>> keys = originator_keys(load().sources)
    >>> keys["seed"]
    'reuters'
    """
    require_columns(sources, ["source_id", "publisher_id", "originator_id"], "originator_keys")
    orig = sources["originator_id"].astype(str)
    key = orig.where(orig != "unknown", "unknown@" + sources["publisher_id"].astype(str))
    return pd.Series(key.to_numpy(), index=sources["source_id"].to_numpy(), name="originator")


def independent_sources(source_ids, tables) -> list[str]:
    """Return the distinct originators behind a list of source ids (sorted): a wire and its reposts count once.

    In: source ids (a list, or one ';'-separated string) and the tables. Raises KeyError naming
    an unknown source id.

    >>> from helpers import load
    >>> independent_sources("seed;jpost_20191229_reuters_strikes", load()) == ["reuters"]  # doctest: +SKIP
    True
    """
    ids = source_ids.split(";") if isinstance(source_ids, str) else list(source_ids)
    keys = originator_keys(tables.sources)
    missing = [s for s in ids if s not in keys.index]
    if missing:
        raise KeyError(f"unknown source id(s): {missing}")
    return sorted(set(keys[ids]))


def _affiliations(tables) -> pd.Series:
    """Originator key → the actor its publisher speaks for (NaN when none is sourced)."""
    pubs = tables.publishers.set_index("publisher_id")["affiliated_actor_id"]
    return pubs


def _lookups(tables) -> tuple[dict, dict]:
    """(actor_id → parent_id, publisher_id → affiliated actor): what :func:`_party_affiliated` looks up, built once per table set."""
    return tables.actors.set_index("actor_id")["parent_id"].to_dict(), _affiliations(tables).to_dict()


def _party_affiliated(originators: list[str], parties: set[str], tables, lookups: tuple[dict, dict] | None = None) -> list[bool]:
    """Whether each originator is affiliated with one of the parties (sharing an actor lineage)."""
    parents, affiliated = lookups or _lookups(tables)
    party_lines = set().union(*(lineage(p, parents) for p in parties)) if parties else set()
    out = []
    for key in originators:
        actor = affiliated.get(key.split("@")[0]) if not key.startswith("unknown@") else affiliated.get(key.split("@", 1)[1])
        out.append(isinstance(actor, str) and bool(lineage(actor, parents) & party_lines))
    return out


def grade(
    originators: list[str], parties: set[str], disputed: bool, tables, *, support_first: bool = False, lookups: tuple | None = None
) -> str:
    """Return the grade of one row from the independent originators that support it.

    Rules, in order of precedence:

    1. ``contested``: independent originators disagree on the claim (``disputed``);
    2. ``party_only``: every originator is affiliated with a party to the event (its actor or
       target, or a body above them in actors.csv), so nobody outside the fight confirms it;
    3. ``corroborated``: two or more independent originators, at least one not affiliated with a party;
    4. ``single_source``: otherwise (one originator, not a party).

    With ``support_first`` (used for counts, where some claimant always disagrees with a figure),
    a count that two or more independent originators support, one of them outside the fight, is
    ``corroborated`` even if others disagree; rule 1 then applies only to the rest. ``lookups``
    (from ``_lookups(tables)``) saves rebuilding the actor and publisher lookups for every row.

    >>> from helpers import load
    >>> grade(["reuters", "ap"], {"kh"}, False, load())
    'corroborated'
    """
    flags = _party_affiliated(originators, parties, tables, lookups)
    corroborated = len(originators) >= 2 and not all(flags)
    if support_first and corroborated:
        return "corroborated"
    if disputed:
        return "contested"
    if originators and all(flags):
        return "party_only"
    if corroborated:
        return "corroborated"
    return "single_source"


def _agree(a, b) -> bool:
    """Whether two count claims agree: each one's best lies in the other's range.

    An open-ended claim's range stretches only to its own figure ("over 25" reaches 26, not 50),
    as in helpers.casualties.reconcile's high and helpers.check's verdicts.
    """
    a_high = a.best if pd.isna(a.high) else a.high
    b_high = b.best if pd.isna(b.high) else b.high
    return b.low <= a.best <= b_high and a.low <= b.best <= a_high


def grades(tables) -> pd.DataFrame:
    """Return one row per event, casualty claim and seed claim with its sources, independent originators and grade.

    Out: columns table, row_id, n_sources, n_independent, grade (``GRADES``). For an event the
    sources are its source_ids and it is contested when its attribution is disputed; for a
    casualty claim, the sources of every claim for the same event, group and outcome that agrees
    with it (each claim's best lies in the other's range; see ``_agree``), and it is contested when an independent originator's
    claim for that group does not overlap; for a seed claim, its source_ids, contested when its
    verdict is contested or differs (the seed itself is never counted among a seed claim's
    sources). Parties are the event's actor and target. Counts are graded support first (see
    :func:`grade`): a figure two independent originators report is corroborated even where others
    dispute it.

    >>> from helpers import load
    >>> set(grades(load())["grade"]) <= set(GRADES)
    True
    """
    keys = originator_keys(tables.sources)
    lookups = _lookups(tables)
    ev = tables.events.set_index("event_id")
    parties_of = {e: {a for a in (r.actor_id, r.target_actor_id) if isinstance(a, str) and a != "unknown"} for e, r in ev.iterrows()}
    rows = []
    for e, r in ev.iterrows():
        ids = r["source_ids"].split(";")
        origin = sorted(set(keys[ids]))
        disputed = str(r["attribution"]) == "disputed"
        rows.append(("events", e, len(ids), len(origin), grade(origin, parties_of[e], disputed, tables, lookups=lookups)))
    cas = tables.casualties.assign(originator=tables.casualties["source_id"].map(keys))
    for (_, _, _), group in cas.groupby(["event_id", "group", "outcome"], observed=True, sort=False):
        members = list(group.itertuples())
        for c in members:
            agree = [o for o in members if _agree(c, o)]
            origin = sorted({o.originator for o in agree})
            disputed = any(not _agree(c, o) and o.originator != c.originator for o in members)
            parties = parties_of.get(c.event_id, set())
            rows.append(("casualties", c.claim_id, len({o.source_id for o in agree}), len(origin),
                         grade(origin, parties, disputed, tables, support_first=True, lookups=lookups)))  # fmt: skip
    for s in tables.seed_claims.itertuples():
        ids = [i for i in s.source_ids.split(";") if i != SEED_SOURCE]  # the seed cannot confirm itself
        origin = sorted(set(keys[ids]))
        table, _, row_id = s.refers_to.partition(":")
        event = row_id if table == "events" else None
        if table in ("casualties", "munitions"):
            frame = tables.casualties if table == "casualties" else tables.munitions
            hit = frame.loc[frame["claim_id"] == row_id, "event_id"]
            event = hit.iloc[0] if len(hit) else None
        disputed = str(s.verdict) in ("contested", "differs")
        parties = parties_of.get(event, set())
        rows.append(("seed_claims", s.claim_id, len(ids), len(origin), grade(origin, parties, disputed, tables, lookups=lookups)))
    out = pd.DataFrame(rows, columns=["table", "row_id", "n_sources", "n_independent", "grade"])
    out["grade"] = pd.Categorical(out["grade"], categories=GRADES)
    return out


def source_mix(tables) -> pd.DataFrame:
    """Return the sources and citations per publisher kind, with the share of citations (for notebook 00).

    Out: index kind, columns sources, citations, share (of all citations). Citations are every id
    in the rows' source lists (helpers.analysis.citations).

    >>> from helpers import load
    >>> int(source_mix(load())["citations"].sum()) > 500
    True
    """
    from helpers.analysis import citations

    kind = tables.sources.set_index("source_id")["publisher_id"].map(tables.publishers.set_index("publisher_id")["kind"])
    cites = pd.Series(citations(tables)).map(kind)
    out = pd.DataFrame({"sources": kind.value_counts(), "citations": cites.value_counts()}).fillna(0).astype(int)
    out["share"] = (out["citations"] / out["citations"].sum()).round(3)
    out.index.name = "kind"
    return out.sort_values(["citations", "sources"], ascending=False)


def repost_share(tables, tables_counted=("events", "casualties", "reactions", "seed_claims")) -> float:
    """Return the share of citations (ids in the rows' source lists of the named tables) that point at aggregators or mirrors.

    >>> from helpers import load
    >>> 0 <= repost_share(load()) <= 1
    True
    """
    kind = tables.sources.set_index("source_id")["publisher_id"].map(tables.publishers.set_index("publisher_id")["kind"])
    cols = {
        "events": ["source_ids"], "casualties": ["source_id"], "reactions": ["source_id", "other_source_ids"],
        "seed_claims": ["source_ids"], "munitions": ["source_id"], "tallies": ["source_id"], "launch_points": ["source_id"],
    }  # fmt: skip
    ids = []
    for name in tables_counted:
        frame = getattr(tables, name)
        for col in cols[name]:
            for value in frame[col].dropna():
                ids.extend(str(value).split(";"))
    kinds = pd.Series(ids).map(kind)
    return float(kinds.isin(REPOST_KINDS).mean())


def origin_summary(tables) -> dict[str, float]:
    """Return shares of all citations: wire copy, own reporting, originator unknown, and party or state-affiliated media.

    wire: the originator is a wire agency; own: the originator is the publisher itself; unknown:
    the copy does not say; affiliated: the publisher or originator is recorded as speaking for an
    actor (a ministry's site, a militia's or a state's outlet).

    >>> from helpers import load
    >>> s = origin_summary(load())
    >>> round(s["wire"] + s["own"] + s["other"] + s["unknown"], 6)
    1.0
    """
    from helpers.analysis import citations

    src = tables.sources.set_index("source_id")
    pubs = tables.publishers.set_index("publisher_id")
    ids = pd.Series(citations(tables))
    pub, orig = ids.map(src["publisher_id"]), ids.map(src["originator_id"])
    wire = orig.map(pubs["kind"]).eq("wire_agency")
    own = orig.eq(pub) & ~wire
    unknown = orig.eq("unknown")
    affiliated = pub.map(pubs["affiliated_actor_id"]).notna() | orig.map(pubs["affiliated_actor_id"]).notna()
    return {
        "citations": float(len(ids)),
        "wire": float(wire.mean()),
        "own": float(own.mean()),
        "unknown": float(unknown.mean()),
        "other": float((~wire & ~own & ~unknown).mean()),
        "affiliated": float(affiliated.mean()),
    }


def plot_source_mix(mix: pd.DataFrame):
    """Draw citations per publisher kind as horizontal bars, reposting kinds (aggregators, mirrors) hatched; returns the figure.

    >>> from helpers import load
    >>> fig = plot_source_mix(source_mix(load()))
    >>> fig.axes[0].get_xlabel()
    'Citations (ids in the rows of the tables)'
    """
    import matplotlib.pyplot as plt

    from helpers import style

    mix = mix[mix["citations"] > 0].sort_values("citations")
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(mix) + 1.4))
    bars = ax.barh(mix.index.str.replace("_", " "), mix["citations"], color=style.OKABE_ITO["blue"])
    for bar, kind in zip(bars, mix.index, strict=True):
        if kind in REPOST_KINDS:
            bar.set_facecolor(style.OKABE_ITO["grey"])
            bar.set_edgecolor("white")
            bar.set_hatch("///")
        ax.annotate(f"{mix.at[kind, 'share']:.0%}", (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)  # fmt: skip
    ax.set_xlabel("Citations (ids in the rows of the tables)")
    ax.set_title("Where the citations point, by the kind of site each was read on (hatched: reposts)", loc="left", fontsize=10)
    style.add_source_note(fig, "Source: data/sources.csv and data/publishers.csv.")
    fig.subplots_adjust(left=0.2, bottom=0.16)
    return fig


def graded_claims(tables, event_id: str, outcome: str) -> pd.DataFrame:
    """Return one event's casualty claims with their grade and independent originators, for reading beside the numbers.

    Out: claim_id, group, as_reported, low, best, high, claimant (name), outlet, originator (name),
    n_independent, grade, title, url; sorted by group and best.

    >>> from helpers import load
    >>> "grade" in graded_claims(load(), "strike_iraq_1", "killed").columns
    True
    """
    g = grades(tables)
    g = g[g["table"] == "casualties"].set_index("row_id")
    cas = tables.casualties[(tables.casualties["event_id"] == event_id) & (tables.casualties["outcome"] == outcome)]
    src = tables.sources.set_index("source_id")
    pubs = tables.publishers.set_index("publisher_id")["name"]
    names = tables.actors.set_index("actor_id")["name"]
    out = cas.assign(
        claimant=cas["claimant"].map(lambda c: NO_CLAIMANT if c == "unknown" else names.get(c, c)),
        outlet=cas["source_id"].map(src["publisher_id"]).map(pubs),
        originator=cas["source_id"].map(src["originator_id"]).map(lambda o: "not credited" if o == "unknown" else pubs.get(o, o)),
        n_independent=cas["claim_id"].map(g["n_independent"]),
        grade=cas["claim_id"].map(g["grade"]).astype(str),
        title=cas["source_id"].map(src["title"]),
        url=cas["source_id"].map(src["url"]),
    )
    cols = [
        "claim_id",
        "group",
        "as_reported",
        "low",
        "best",
        "high",
        "claimant",
        "outlet",
        "originator",
        "n_independent",
        "grade",
        "title",
        "url",
    ]
    return out.sort_values(["group", "best", "claim_id"])[cols].reset_index(drop=True)


def seed_claim_support(tables) -> pd.DataFrame:
    """Return each seed claim with its verdict, independent originators (names) and grade.

    Out: claim_id, claim, verdict, n_sources, n_independent, originators, grade, one_wire (a
    'consistent' verdict that rests on a single originator, reposted or not), seed_wire_only
    (the only originator is the one whose report the seed itself carries: its support is that
    same report, not a confirmation). The seed itself never counts among the sources of its own
    claims, so a claim found nowhere else has none; the seed's own originator is named
    "(the seed's own wire)" in ``originators``.

    >>> from helpers import load
    >>> s = seed_claim_support(load())
    >>> bool((s.loc[s["verdict"] == "consistent", "n_independent"] >= 1).all())
    True
    """
    g = grades(tables)
    g = g[g["table"] == "seed_claims"].set_index("row_id")
    keys = originator_keys(tables.sources)
    pubs = tables.publishers.set_index("publisher_id")["name"]
    s = tables.seed_claims
    origins = s["source_ids"].map(lambda ids: sorted({keys[i] for i in ids.split(";") if i != SEED_SOURCE}))
    seed_wire = keys[SEED_SOURCE]

    def name(o: str) -> str:
        text = pubs.get(o, "not credited")
        return f"{text} (the seed's own wire)" if o == seed_wire else text

    return pd.DataFrame(
        {
            "claim_id": s["claim_id"],
            "claim": s["claim"],
            "verdict": s["verdict"].astype(str),
            "n_sources": s["claim_id"].map(g["n_sources"]),
            "n_independent": s["claim_id"].map(g["n_independent"]),
            "originators": origins.map(lambda os: ", ".join(name(o) for o in os)),
            "grade": s["claim_id"].map(g["grade"]).astype(str),
            "one_wire": (s["verdict"].astype(str) == "consistent") & (origins.map(len) == 1),
            "seed_wire_only": origins.map(lambda os: os == [seed_wire]),
        }
    ).reset_index(drop=True)


def originators_per_figure(tables) -> pd.DataFrame:
    """Return, per reconciled figure (event_id, group, outcome), how many independent originators its whole-group claims come from.

    Out: columns event_id, group, outcome, n_originators, originators (names, '; '-joined; an
    uncredited copy shows as 'uncredited (<publisher>)'). Partial counts are left out, as in the
    reconciliation.

    >>> from helpers import load
    >>> int(originators_per_figure(load())["n_originators"].min()) >= 1
    True
    """
    from helpers.clean import fold_text

    keys = originator_keys(tables.sources)
    pubs = tables.publishers.set_index("publisher_id")["name"]
    cas = tables.casualties[tables.casualties["scope"].astype(str) == "total"]
    cas = cas.assign(key=cas["source_id"].map(keys), group=cas["group"].map(fold_text))

    def name(key: str) -> str:
        if key.startswith("unknown@"):
            return f"uncredited ({pubs.get(key.split('@', 1)[1], key)})"
        return pubs.get(key, key)

    rows = []
    for (event_id, group, outcome), claims in cas.groupby(["event_id", "group", "outcome"], observed=True, sort=True):
        found = sorted(set(claims["key"]))
        rows.append((event_id, group, outcome, len(found), "; ".join(sorted(name(k) for k in found))))
    return pd.DataFrame(rows, columns=["event_id", "group", "outcome", "n_originators", "originators"])
