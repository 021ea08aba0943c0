"""Reconcile disagreeing casualty claims into one low / best / high per event, group and outcome."""

from __future__ import annotations

import pandas as pd

from helpers.style import require_columns

CLAIM_COLUMNS = ["claim_id", "event_id", "group", "actor_id", "outcome", "scope", "low", "best", "high", "claimant", "source_id"]


def reconcile(casualties: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (event_id, group, outcome) with a reconciled low, best and high.

    Only claims whose scope is ``total`` are reconciled; partial counts (the commanders
    among the dead, say) are left out because they do not estimate the whole group.
    Rules, in the spirit of UCDP's best / low / high:

    - low: the lowest ``low`` of any claim (the most conservative figure reported);
    - best: the median of the claims' ``best`` values, taking the lower middle value when
      the number of claims is even, so the best estimate never rises above what at least
      half of the claims support;
    - high: the highest figure any claim states (its ``high``, or its ``best`` when the
      claim sets no upper bound); ``high_bounded`` says whether every claim set a bound;
    - n_claims, n_claimants and claimants record how many voices stand behind the figures.

    >>> from helpers import load
    >>> r = reconcile(load().casualties)
    >>> bool((r["low"] <= r["best"]).all() and (r["best"] <= r["high"]).all())
    True
    """
    require_columns(casualties, CLAIM_COLUMNS, "reconcile")
    rows = []
    totals = casualties[casualties["scope"] == "total"]
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
