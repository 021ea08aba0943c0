"""Reconcile disagreeing casualty claims into one low / best / high per event, group and outcome.

The rules follow the logic of the UCDP GED codebook (Sundberg & Melander 2013; UCDP GED Codebook
version 19.1, "best", "low" and "high" estimates): *best* is the figure the most reliable reports
support, *low* and *high* bound what credible reports allow. Each rule is stated in
:func:`reconcile` and guarded by a test named for it in ``tests/test_casualties.py``.
"""

from __future__ import annotations

import pandas as pd

from helpers.clean import fold_text, vague_word
from helpers.columns import require_columns
from helpers.names import NO_CLAIMANT

CLAIM_COLUMNS = ["claim_id", "event_id", "group", "actor_id", "outcome", "scope", "low", "best", "high", "claimant", "source_id"]

#: Claimants that are not one voice: "unknown" (the source names nobody) and unnamed Iraqi
#: security sources. Each source quoting them counts as a separate voice, and a lone claim of
#: theirs that nobody else supports does not set the best estimate.
ANONYMOUS_CLAIMANTS = {"unknown", "iraqi_security_sources"}
#: How a reason line names them: as every table does (helpers.names.NO_CLAIMANT, and the
#: actor's name in actors.csv, which a test keeps equal).
ANONYMOUS_LABELS = {"unknown": NO_CLAIMANT, "iraqi_security_sources": "Iraqi security and militia sources (unnamed)"}

#: actor_ids of groups that count several other groups together ("everyone present", "US and
#: Iraqi personnel (combined count)"), as defined in data/actors.csv. Their counts overlap the
#: per-group counts of the same event and are never added to them.
COMBINED_GROUPS = {"all_present", "mixed_personnel"}

RECONCILED_COLUMNS = [
    "event_id", "group", "actor_id", "outcome", "low", "best", "high", "high_bounded",
    "n_claims", "n_claimants", "claimants", "modal_best", "n_modal", "reason",
]  # fmt: skip


def _origins(frame: pd.DataFrame, sources: pd.DataFrame | None) -> pd.Series:
    """Each claim's originator key (helpers.provenance.originator_keys), or its source_id when no sources table is given."""
    if sources is None or "originator_id" not in sources.columns:
        return frame["source_id"].astype(str)
    from helpers.provenance import originator_keys

    return frame["source_id"].astype(str).map(originator_keys(sources)).fillna(frame["source_id"].astype(str))


def _voice(frame: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.Series:
    """Who speaks in each claim: the claimant, or for anonymous claimants the claimant in that originator's report.

    Two copies of one wire story carrying an unattributed figure are one voice, not two.
    """
    claimant = frame["claimant"].astype(str)
    anonymous = claimant.isin(ANONYMOUS_CLAIMANTS)
    return claimant.where(~anonymous, claimant + "@" + _origins(frame, sources))


def _with_group_key(casualties: pd.DataFrame) -> pd.DataFrame:
    """Add ``group_key``: the group text folded (spaces, apostrophes, Unicode form) so it never splits a group."""
    frame = casualties.copy()
    frame["group_key"] = frame["group"].map(fold_text).str.casefold()
    return frame


def latest_claims(casualties: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Keep each claimant's latest claim per (event, group, outcome): a revised toll replaces the earlier one.

    In: casualty claims (columns of ``casualties.csv``). Out: the same columns, fewer rows, in the
    original order. Claims are dated by ``reported_on``; an undated claim counts only when its
    claimant has no dated one, and of two claims on the same day the higher counts (tolls are
    revised upwards). Anonymous claimants ("unknown", unnamed Iraqi security sources) are kept
    apart per originator (with ``sources``, whose publisher_id / originator_id say who originated
    each report) or else per source. Groups are compared after :func:`helpers.clean.fold_text`, so a stray space
    or a curly apostrophe never makes a second group. Raises ValueError when a column is missing.

    >>> from helpers import load
    >>> cas = load().casualties
    >>> len(latest_claims(cas)) <= len(cas)
    True
    """
    require_columns(casualties, CLAIM_COLUMNS + ["reported_on"], "latest_claims")
    frame = _with_group_key(casualties)
    frame["voice"] = _voice(frame, sources)
    frame["dated"] = frame["reported_on"].notna()
    frame = frame.sort_values(["event_id", "group_key", "outcome", "voice", "dated", "reported_on", "best", "claim_id"])
    keep = frame.groupby(["event_id", "group_key", "outcome", "voice"], observed=True, sort=False).tail(1)
    return keep.drop(columns=["voice", "dated", "group_key"]).sort_index()


def supported(claims: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.Series:
    """Return, per claim, whether a claim from another, independent originator overlaps its range.

    In: the claims of one (event, group, outcome), with ``low``, ``best``, ``high`` (persons; high
    empty = unbounded), ``claimant`` and ``source_id``; with ``sources``, independence is by
    originator (helpers.provenance: a wire and its reposts are one), else by claimant and source.
    Out: a boolean Series on the same index. Two claims agree when their ranges share a number.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"low": [2, 0], "best": [2, 0], "high": [2, 0], "claimant": ["unknown", "us_dod"], "source_id": ["a", "b"]})
    >>> supported(c).tolist()
    [False, False]
    """
    voice = _origins(claims, sources) if sources is not None else _voice(claims)
    return pd.Series(_overlaps_another(claims["low"], claims["high"], voice), index=claims.index, dtype=bool)


def _overlaps_another(low, high, voice) -> list[bool]:
    """Per claim: does a claim with another voice share a number with its range (high empty or inf = unbounded)?"""
    lows = [float(x) for x in low]
    highs = [float("inf") if pd.isna(h) else float(h) for h in high]
    voices = list(voice)
    return [any(v != voices[i] and lows[j] <= highs[i] and highs[j] >= lows[i] for j, v in enumerate(voices)) for i in range(len(voices))]


def _who(claims: pd.DataFrame, sources: pd.DataFrame | None) -> pd.Series:
    """How a reason line names a claim: its claimant (``ANONYMOUS_LABELS`` for an anonymous one) and the outlet.

    Without sources, the source id stands for the outlet.
    """
    claimant = claims["claimant"].astype(str).map(lambda c: ANONYMOUS_LABELS.get(c, c))
    if sources is None or "publisher" not in sources.columns:
        return claimant + ", " + claims["source_id"].astype(str)
    outlet = claims["source_id"].map(sources.set_index("source_id")["publisher"]).fillna(claims["source_id"])
    return claimant + ", " + outlet.astype(str)


def _reason(best: int, modal: int, n_modal: int, claims: list[dict], may_set: list[bool], lone: bool, vague_left_out: bool = False) -> str:
    """One line on how best was reached where it is not simply what the claims agree on (empty otherwise).

    ``claims``: the group's claims as dicts with ``best``, ``who`` and ``vague`` (the vague word, or None);
    ``may_set``: per claim, whether it may set best (all of them when ``lone``);
    ``vague_left_out``: whether claims in words only were kept from setting best (rule 8).
    """
    reasons = []
    n_setters = sum(may_set)
    if lone and len(claims) == 1:
        reasons.append(f"one report only ({claims[0]['who']}): best rests on it alone")
    elif lone and n_setters == 1:
        only = next(c for c, ok in zip(claims, may_set, strict=True) if ok)
        reasons.append(f"only unnamed claimants, none confirmed by another: best rests on the one that gives a number ({only['who']})")
    elif lone:
        reasons.append(f"only unnamed claimants, none confirmed by another: best is the lower median of their {n_setters} figures")
    left_out = [c for c, ok in zip(claims, may_set, strict=True) if not ok]
    vague = [c for c in left_out if vague_left_out and isinstance(c["vague"], str)]
    widened = [c for c in left_out if not (vague_left_out and isinstance(c["vague"], str))]
    if vague:
        parts = ", ".join(f"'{c['vague']}' read as {int(c['best'])} ({c['who'].split(', ', 1)[-1]})" for c in vague)
        reasons.append(f"a count in words, not a number, widens the range but does not set best: {parts}")
    if widened:
        parts = ", ".join(f"{int(c['best'])} ({c['who']})" for c in widened)
        reasons.append(f"a lone report without a named claimant widens the range but does not set best: {parts}")
    setters = [int(c["best"]) for c, ok in zip(claims, may_set, strict=True) if ok]
    top, setters_modal = _mode(setters)
    if not lone and len(setters) > 1 and best != setters_modal:
        if top >= 2:
            common = f"{setters_modal} is the most common figure ({top} claims)"
            reasons.append(f"{common} but best is the lower median of {len(setters)} claims")
        else:
            reasons.append(f"no two claims agree: best is the lower median of {len(setters)} claims")
    elif not reasons and best != modal:
        reasons.append(f"best differs from the most common figure {modal} ({n_modal} claims)")
    return "; ".join(reasons)


def _mode(values: list[int]) -> tuple[int, int]:
    """Return (how often the most common value occurs, that value; the smallest on a tie)."""
    counts: dict[int, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    top = max(counts.values())
    return top, min(v for v, n in counts.items() if n == top)


def reconcile(casualties: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per (event_id, group, outcome) with a reconciled low, best and high (persons).

    In: casualty claims (columns of ``casualties.csv``). Out: columns ``RECONCILED_COLUMNS``.
    Raises ValueError when a column is missing. Rules, after UCDP GED's low / best / high:

    1. Only claims whose scope is ``total`` count; partial counts (the commanders among the
       dead, say) do not estimate the whole group.
    2. Each claimant's latest claim replaces its earlier ones (see :func:`latest_claims`), so a
       toll that rose from 19 to 25 in one organisation's statements counts once, as 25.
    3. A claim by an unnamed or unknown claimant that no independent originator supports (no
       claim from another originator overlaps it, see :func:`supported`; pass ``sources`` so that
       a wire and its reposts count once) may widen low and high but does not set best.
       Only when every claim of a group is such a lone report is best taken from them, and the
       reason says so.
    4. best: the median of the ``best`` values of the claims that may set it, the lower middle
       value when their number is even, so best never rises above what half of them support.
    5. low: the lowest ``low`` of all remaining claims; high: the highest figure any of them
       states (its ``high``, or its ``best`` when it sets no upper bound); ``high_bounded`` says
       whether every claim set a bound.
    6. ``modal_best`` and ``n_modal`` give the most common claimed figure (the smaller on a
       tie); ``reason`` says in one line why best differs from it, and is empty when it does not.
    7. Claims that a source implies rather than states (``basis`` = implied, e.g. "killing a
       contractor and wounding two Iraqi soldiers" read as no Iraqi dead) are claims like any
       other: they are recorded in the data, never assumed here.
    8. A claim whose count is only a vague word ("several", "a handful", "dozens"; see
       :func:`helpers.clean.vague_word`) may widen low and high but does not set best
       while a claim of the group that may set it gives a number: the word's reading is a
       convention, not a reported figure. Claims without ``as_reported`` count as numbers.

    Overlapping groups are kept apart here; :func:`event_totals` combines them without summing
    a combined count with its parts.

    >>> from helpers import load
    >>> t = load()
    >>> r = reconcile(t.casualties, t.sources)
    >>> bool((r["low"] <= r["best"]).all() and (r["best"] <= r["high"]).all())
    True
    """
    require_columns(casualties, CLAIM_COLUMNS + ["reported_on"], "reconcile")
    rows = []
    totals = _with_group_key(latest_claims(casualties[casualties["scope"] == "total"], sources))
    # Originators, voices and outlet names are looked up once for all claims, then each group is
    # reconciled in plain Python: per-group pandas calls cost more than the arithmetic.
    totals["origin"] = _origins(totals, sources) if sources is not None else _voice(totals)
    totals["who"] = _who(totals, sources)
    totals["anonymous"] = totals["claimant"].astype(str).isin(ANONYMOUS_CLAIMANTS)
    totals["vague"] = [vague_word(x) for x in totals["as_reported"]] if "as_reported" in totals else None
    totals["claimant"] = totals["claimant"].astype(str)
    totals["group"] = totals["group"].map(fold_text)
    number = totals.groupby(["event_id", "group_key", "outcome"], observed=True, sort=True).ngroup().to_numpy()
    records = totals[["event_id", "group", "actor_id", "outcome", "low", "best", "high", "claimant", "origin", "who", "anonymous", "vague"]]
    groups: list[list[dict]] = [[] for _ in range(int(number.max()) + 1 if len(number) else 0)]
    for g, record in zip(number, records.to_dict("records"), strict=True):
        groups[g].append(record)
    for claims in groups:
        highs = [float("inf") if pd.isna(c["high"]) else float(c["high"]) for c in claims]
        overlapped = _overlaps_another([c["low"] for c in claims], highs, [c["origin"] for c in claims])
        may_set = [not c["anonymous"] or o for c, o in zip(claims, overlapped, strict=True)]
        lone = not any(may_set)
        if lone:
            may_set = [True] * len(claims)
        with_numbers = [ok and not isinstance(c["vague"], str) for c, ok in zip(claims, may_set, strict=True)]
        vague_left_out = any(with_numbers) and with_numbers != may_set
        if vague_left_out:
            may_set = with_numbers
        bests = sorted(int(c["best"]) for c, ok in zip(claims, may_set, strict=True) if ok)
        best = bests[(len(bests) - 1) // 2]
        n_modal, modal = _mode([int(c["best"]) for c in claims])
        first = claims[0]
        rows.append(
            {
                "event_id": first["event_id"],
                "group": first["group"],
                "actor_id": first["actor_id"],
                "outcome": first["outcome"],
                "low": min(int(c["low"]) for c in claims),
                "best": best,
                "high": max(int(c["best"]) if pd.isna(c["high"]) else int(c["high"]) for c in claims),
                "high_bounded": all(pd.notna(c["high"]) for c in claims),
                "n_claims": len(claims),
                "n_claimants": len({c["claimant"] for c in claims}),
                "claimants": ";".join(sorted({c["claimant"] for c in claims})),
                "modal_best": modal,
                "n_modal": n_modal,
                "reason": _reason(best, modal, n_modal, claims, may_set, lone, vague_left_out),
            }
        )
    out = pd.DataFrame(rows, columns=RECONCILED_COLUMNS)
    for col in ("low", "best", "high", "n_claims", "n_claimants", "modal_best", "n_modal"):
        out[col] = out[col].astype("int64")
    return out


def combine_groups(per_group: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return one row per event: per-group figures added up, but never a combined count added to its parts.

    In: one row per (event_id, actor_id) with numeric ``columns`` (persons). Out: one row per
    event_id with the same columns. The groups named in ``COMBINED_GROUPS`` count several other
    groups together, so for each column the event's figure is the larger of (the sum of the
    separate groups) and (the largest combined count); the two are never summed.

    >>> import pandas as pd
    >>> g = pd.DataFrame({"event_id": ["e", "e", "e"], "actor_id": ["us_forces", "irq_forces", "mixed_personnel"], "best": [3, 1, 6]})
    >>> int(combine_groups(g, ["best"]).loc[0, "best"])
    6
    """
    require_columns(per_group, ["event_id", "actor_id"] + columns, "combine_groups")
    combined = per_group["actor_id"].astype(str).isin(COMBINED_GROUPS)
    parts = per_group[~combined].groupby("event_id", sort=True)[columns].sum()
    whole = per_group[combined].groupby("event_id", sort=True)[columns].max()
    out = parts.combine(whole, lambda a, b: a.combine(b, max, fill_value=0), fill_value=0) if len(whole) else parts
    return out.astype("int64").sort_index().reset_index()


def event_totals(casualties: pd.DataFrame, outcome: str = "killed", sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return low / best / high per event for one outcome (``killed`` or ``wounded``), in persons.

    In: casualty claims. Out: columns event_id, low, best, high, high_bounded; events without a
    claim for that outcome are absent (unknown, not zero). The reconciled figures of
    :func:`reconcile` are added over the event's groups with :func:`combine_groups`, so a
    combined count is never added to the per-group counts it overlaps.

    >>> from helpers import load
    >>> t = load()
    >>> k1 = event_totals(t.casualties, sources=t.sources).set_index("event_id").loc["k1_rocket_attack"]
    >>> int(k1["best"])
    1
    """
    rec = reconcile(casualties, sources)
    rows = rec[rec["outcome"] == outcome]
    out = combine_groups(rows, ["low", "best", "high"])
    out["high_bounded"] = out["event_id"].map(rows.groupby("event_id", sort=True)["high_bounded"].all())
    return out


def event_fatalities(casualties: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return killed low / best / high per event (see :func:`event_totals`).

    >>> from helpers import load
    >>> "best" in event_fatalities(load().casualties).columns
    True
    """
    return event_totals(casualties, "killed", sources)
