"""Reconcile disagreeing casualty claims into one low / best / high per event, group and outcome."""

from __future__ import annotations

import pandas as pd

from helpers.style import require_columns

CLAIM_COLUMNS = ["claim_id", "event_id", "group", "actor_id", "outcome", "scope", "low", "best", "high", "claimant", "source_id"]


#: Claimants that are not one voice: each source quoting them counts as a separate claimant.
ANONYMOUS_CLAIMANTS = {"unknown", "iraqi_security_sources"}


def latest_claims(casualties: pd.DataFrame) -> pd.DataFrame:
    """Keep each claimant's latest claim per (event, group, outcome): a revised toll replaces the earlier one.

    Claims are dated by ``reported_on``; an undated claim counts only when its claimant has no dated
    one, and of two claims on the same day the higher counts (tolls are revised upwards).
    Anonymous claimants ("unknown", unnamed Iraqi security sources) are kept apart per source.

    >>> from helpers import load
    >>> cas = load().casualties
    >>> len(latest_claims(cas)) <= len(cas)
    True
    """
    require_columns(casualties, CLAIM_COLUMNS + ["reported_on"], "latest_claims")
    frame = casualties.copy()
    anonymous = frame["claimant"].astype(str).isin(ANONYMOUS_CLAIMANTS)
    frame["voice"] = frame["claimant"].astype(str).where(~anonymous, frame["claimant"].astype(str) + "@" + frame["source_id"].astype(str))
    frame["dated"] = frame["reported_on"].notna()
    frame = frame.sort_values(["event_id", "group", "outcome", "voice", "dated", "reported_on", "best", "claim_id"])
    keep = frame.groupby(["event_id", "group", "outcome", "voice"], observed=True, sort=False).tail(1)
    return keep.drop(columns=["voice", "dated"]).sort_index()


def reconcile(casualties: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (event_id, group, outcome) with a reconciled low, best and high.

    Rules, in the spirit of UCDP's low / best / high:

    1. Only claims whose scope is ``total`` count; partial counts (the commanders among the
       dead, say) do not estimate the whole group.
    2. Each claimant's latest claim replaces its earlier ones (see :func:`latest_claims`), so a
       toll that rose from 19 to 25 in one organisation's statements counts once, as 25.
    3. low: the lowest ``low`` of the remaining claims (the most conservative figure reported);
    4. best: the median of their ``best`` values, taking the lower middle value when the number
       of claims is even, so the best estimate never rises above what half the claimants support;
    5. high: the highest figure any remaining claim states (its ``high``, or its ``best`` when the
       claim sets no upper bound); ``high_bounded`` says whether every claim set a bound;
    6. n_claims, n_claimants and claimants record how many voices stand behind the figures.

    >>> from helpers import load
    >>> r = reconcile(load().casualties)
    >>> bool((r["low"] <= r["best"]).all() and (r["best"] <= r["high"]).all())
    True
    """
    require_columns(casualties, CLAIM_COLUMNS + ["reported_on"], "reconcile")
    rows = []
    totals = latest_claims(casualties[casualties["scope"] == "total"])
    for (event_id, group, outcome), claims in totals.groupby(["event_id", "group", "outcome"], observed=True, sort=True):
        bests = sorted(int(b) for b in claims["best"])
        stated = [int(h) if pd.notna(h) else int(b) for h, b in zip(claims["high"], claims["best"], strict=True)]
        rows.append(
            {
                "event_id": event_id,
                "group": group,
                "actor_id": claims["actor_id"].iloc[0],
                "outcome": outcome,
                "low": int(claims["low"].min()),
                "best": bests[(len(bests) - 1) // 2],
                "high": max(stated),
                "high_bounded": bool(claims["high"].notna().all()),
                "n_claims": len(claims),
                "n_claimants": claims["claimant"].nunique(),
                "claimants": ";".join(sorted(set(claims["claimant"].astype(str)))),
            }
        )
    out = pd.DataFrame(rows)
    for col in ("low", "best", "high", "n_claims", "n_claimants"):
        out[col] = out[col].astype("int64")
    return out


def event_fatalities(casualties: pd.DataFrame) -> pd.DataFrame:
    """Return killed low / best / high per event, summing the reconciled figures over groups.

    >>> from helpers import load
    >>> "best" in event_fatalities(load().casualties).columns
    True
    """
    rec = reconcile(casualties)
    killed = rec[rec["outcome"] == "killed"]
    out = killed.groupby("event_id", sort=True)[["low", "best", "high"]].sum()
    out["high_bounded"] = killed.groupby("event_id", sort=True)["high_bounded"].all()
    return out.reset_index()
