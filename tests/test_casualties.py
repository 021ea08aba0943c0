"""Reconciling casualty claims follows the stated rules."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.casualties import event_fatalities, latest_claims, reconcile


def claims(rows):
    """Build a casualties frame from (claimant, source, reported_on, low, best, high, scope) tuples for one group."""
    out = []
    for i, (claimant, source, day, low, best, high, scope) in enumerate(rows):
        out.append(
            {
                "claim_id": f"c{i}",
                "event_id": "e1",
                "group": "fighters",
                "actor_id": "kh",
                "outcome": "killed",
                "scope": scope,
                "low": low,
                "best": best,
                "high": high,
                "claimant": claimant,
                "source_id": source,
                "reported_on": pd.Timestamp(day) if day else pd.NaT,
            }
        )
    frame = pd.DataFrame(out)
    frame["high"] = frame["high"].astype("Int64")
    return frame


def test_a_claimants_revised_toll_replaces_its_earlier_one():
    """An organisation that first said 19 and later 25 counts once, as 25."""
    frame = claims([("pmu", "s1", "2019-12-29", 19, 19, 19, "total"), ("pmu", "s2", "2019-12-30", 25, 25, 25, "total")])
    assert latest_claims(frame)["best"].tolist() == [25]


def test_anonymous_claimants_count_once_per_source():
    """Unattributed reports in two outlets are two voices, not one."""
    frame = claims([("unknown", "s1", "2019-12-30", 18, 18, None, "total"), ("unknown", "s2", "2019-12-30", 25, 25, None, "total")])
    assert len(latest_claims(frame)) == 2


def test_reconcile_takes_lowest_low_lower_median_best_and_highest_stated_figure():
    """low = min low, best = lower median of bests, high = max of highs (or bests when unbounded)."""
    frame = claims(
        [
            ("a", "s1", "2019-12-30", 10, 10, 10, "total"),
            ("b", "s2", "2019-12-30", 20, 20, None, "total"),
            ("c", "s3", "2019-12-30", 30, 30, 30, "total"),
            ("d", "s4", "2019-12-30", 40, 40, 40, "total"),
        ]
    )
    row = reconcile(frame).iloc[0]
    assert (row["low"], row["best"], row["high"], row["high_bounded"]) == (10, 20, 40, False)


def test_partial_counts_are_not_reconciled():
    """A count of the commanders among the dead does not pull the total down."""
    frame = claims([("a", "s1", "2019-12-30", 25, 25, 25, "total"), ("b", "s2", "2019-12-30", 4, 4, 4, "part")])
    assert reconcile(frame).iloc[0]["best"] == 25


def test_reconciled_figures_are_ordered_for_the_committed_data(tables):
    """For every event and group the reconciled low <= best <= high."""
    rec = reconcile(tables.casualties)
    assert ((rec["low"] <= rec["best"]) & (rec["best"] <= rec["high"])).all()


def test_event_fatalities_sum_groups_and_match_the_k1_contractor(tables):
    """K-1's killed total is the sum over its groups (contractor plus Iraqi police claims)."""
    fat = event_fatalities(tables.casualties).set_index("event_id")
    rec = reconcile(tables.casualties)
    k1 = rec[(rec["event_id"] == "k1_rocket_attack") & (rec["outcome"] == "killed")]
    assert fat.at["k1_rocket_attack", "best"] == k1["best"].sum()


def test_reconcile_names_missing_columns():
    """A frame without the needed columns raises ValueError naming them."""
    with pytest.raises(ValueError, match="missing column"):
        reconcile(pd.DataFrame({"claim_id": ["x"]}))
