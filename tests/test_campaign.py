"""Itemised attacks are lined up fairly against the published tallies; weapon counts are shown claim by claim."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

from helpers.campaign import AGGREGATE_ROWS, attack_tempo, cumulative_attacks, itemised, tally_check  # noqa: E402
from helpers.munitions import munition_claims, plot_munition_claims  # noqa: E402


def test_an_aggregate_row_counts_for_the_attacks_it_stands_for(tables):
    """The November Green Zone row stands for at least two attacks, so attacks exceed rows by one there."""
    rows, attacks = itemised(tables.events, "2019-10-27", "2019-12-26")
    assert "rockets_green_zone_nov" in set(rows["event_id"])
    assert attacks == len(rows) + sum(n - 1 for e, n in AGGREGATE_ROWS.items() if e in set(rows["event_id"]))


def test_a_tally_without_a_start_is_not_lined_up(tables):
    """'nearly a dozen in recent weeks' has no window start: no itemised count is set against it."""
    check = tally_check(tables).set_index("tally_id")
    undated = tables.tallies.loc[tables.tallies["window_start"].isna(), "tally_id"]
    assert len(undated) and check.loc[undated, "attacks"].isna().all()
    assert check.loc[undated, "reading"].str.contains("cannot be lined up").all()


def test_the_gap_is_the_tally_minus_the_itemised_attacks(tables):
    """gap = tally (best) − itemised attacks in the same window, for every tally with a window."""
    check = tally_check(tables).dropna(subset=["attacks"])
    assert (check["gap"] == check["tally"] - check["attacks"]).all()


def test_the_running_count_ends_at_the_number_of_itemised_attacks(tables):
    """The cumulative line's last value equals the attacks itemised from its start to its end; the weekly tempo sums to it."""
    line = cumulative_attacks(tables.events, "2019-10-21", "2020-03-31")
    _, attacks = itemised(tables.events, "2019-10-21", "2020-03-31")
    assert int(line.iloc[-1]) == attacks == int(attack_tempo(tables.events, "2019-10-21", "2020-03-31")["attacks"].sum())
    assert line.is_monotonic_increasing


def test_munition_claims_keep_every_claimant_apart(tables):
    """K-1's rocket counts: one row per claim, US and Iraqi counts both present, nothing averaged."""
    claims = munition_claims(tables, "k1_rocket_attack")
    assert len(claims) == (tables.munitions["event_id"] == "k1_rocket_attack").sum()
    assert claims["best"].max() > 25 and claims["best"].min() < 15


def test_operation_totals_are_kept_apart_from_per_base_counts(tables):
    """For the 8 January missiles, covers='operation' rows are the totals; per-base impacts are 'event' rows."""
    totals = munition_claims(tables, "iran_missiles_ain_al_asad", covers="operation")
    base = munition_claims(tables, "iran_missiles_ain_al_asad", covers="event")
    assert set(totals["measure"]) <= {"fired", "failed"} and "impacts" in set(base["measure"])


def test_open_ended_counts_carry_less_ink(tables):
    """An open-ended claim is a hollow dot with a dotted stub; a bounded one a solid dot and bar."""
    claims = munition_claims(tables, "k1_rocket_attack")
    ax = plot_munition_claims(claims, title="K-1")
    dotted = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    assert len(dotted) >= claims["open_ended"].sum()
    assert all(ln.get_linewidth() < 2 for ln in dotted)


def test_an_event_without_weapon_counts_raises(tables):
    """Asking for the counts of an event that has none raises ValueError naming it."""
    with pytest.raises(ValueError, match="no weapon-count claims"):
        munition_claims(tables, "tehran_funeral")


def test_the_tallies_chart_draws_only_counts_from_the_lines_start_or_earlier(tables):
    """Figure 9 draws no tally whose window starts after 21 October (the seed's 'past two months' among them), and the
    October tallies it draws are on the line's footing: no attack is itemised between 1 October and the line's start."""
    import matplotlib.pyplot as plt
    import pandas as pd

    from helpers.campaign import CAMPAIGN_START, plot_tallies

    fig, drawn = plot_tallies(tables)
    plt.close(fig)
    starts = pd.to_datetime(drawn["window_start"])
    assert len(drawn) and (starts <= CAMPAIGN_START).all() and (starts >= pd.Timestamp("2019-10-01")).all()
    seed_ids = set(tables.tallies.loc[tables.tallies["source_id"] == "seed", "tally_id"])
    assert seed_ids and not seed_ids & set(drawn["tally_id"])
    rows, attacks = itemised(tables.events, "2019-10-01", CAMPAIGN_START - pd.Timedelta(days=1))
    assert len(rows) == 0 and attacks == 0
