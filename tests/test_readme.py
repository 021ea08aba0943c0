"""The README's headline numbers are the ones the data gives (so they cannot drift from the notebooks)."""

from __future__ import annotations

import pytest

from helpers import paths
from helpers.analysis import attacks_in_window, response_chains
from helpers.casualties import reconcile
from helpers.geo import distance_km

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rec(tables):
    """Reconciled casualty figures."""
    return reconcile(tables.casualties).set_index(["event_id", "group", "outcome"])


def test_strike_toll_and_range(rec):
    """'25 killed' and 'from 4 to 55' match the reconciled figures for the 29 December strikes."""
    row = rec.loc[("strike_iraq_1", "Kata'ib Hezbollah / PMU fighters (all five sites)", "killed")]
    assert f"**{row['best']} killed**" in README
    assert f"run from {row['low']} to {row['high']}" in README
    assert f"range {row['low']}–{row['high']}, {row['n_claims']} claims" in README


def test_ain_al_asad_injuries(rec):
    """The brain-injury figure is the reconciled best for US service members wounded at Ain al-Asad."""
    row = rec.loc[("iran_missiles_ain_al_asad", "US service members", "wounded")]
    assert f"**{row['best']}**" in README


def test_intervals_between_the_main_blows(tables):
    """'1.7 to 5.0 days' is the shortest and longest step of the main chain."""
    main = ["k1_rocket_attack", "strike_iraq_1", "embassy_assault", "baghdad_airport_strike", "iran_missiles_ain_al_asad"]
    chains = response_chains(tables.events, tables.actors)
    steps = chains[chains["cause"].isin(main) & chains["response"].isin(main)]
    assert f"**{steps['days'].min()} to {steps['days'].max()} days**" in README


def test_k1_wounded_and_attack_rows(tables):
    """The Pentagon's K-1 wounded count and the number of itemised attacks before K-1."""
    cas = tables.casualties
    dod = cas[(cas["event_id"] == "k1_rocket_attack") & (cas["outcome"] == "wounded") & (cas["claimant"] == "us_dod")]["best"].sum()
    assert f"Pentagon's **{dod}**" in README
    rows = len(attacks_in_window(tables.events, "2019-10-27", "2019-12-26"))
    assert f"**{rows}** dated rows" in README


def test_distance_and_verdicts(tables):
    """The al-Qaim–K-1 distance and the seed verdict counts."""
    assert f"{distance_km(tables.sites, 'al_qaim', 'k1'):.0f} km from K-1" in README
    v = tables.seed_claims["verdict"].value_counts()
    assert f"{v['consistent']} of {len(tables.seed_claims)} claims consistent, {v['contested']} contested, {v['differs']} differ" in README
