"""The dataset covers what the project promises, and its rows keep the sourcing rules."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import citations
from helpers.clean import parse_count

SEED_FILE = paths.SEED_DIR / "000_6ee26e11d66026bf.txt"


def test_minimum_counts(tables):
    """At least 40 events, 30 reactions and 30 sources."""
    assert len(tables.events) >= 40
    assert len(tables.reactions) >= 30
    assert len(tables.sources) >= 30


def test_arc_from_may_2019_to_january_2020(tables):
    """The events run from the May 2019 deployments through 8 January 2020 at least."""
    assert tables.events["date"].min() <= pd.Timestamp("2019-05-31")
    assert tables.events["date"].max() >= pd.Timestamp("2020-01-08")


def test_key_events_are_present(tables):
    """Each milestone of the episode is its own row."""
    ev = tables.events.set_index("event_id")
    for event_id in [
        "k1_rocket_attack",
        "embassy_assault",
        "baghdad_airport_strike",
        "parliament_resolution",
        "iran_missiles_ain_al_asad",
        "iran_missiles_erbil",
        "shootdown_global_hawk",
        "abqaiq_attack",
    ]:
        assert event_id in ev.index, event_id
    strikes = ev[(ev.index.str.startswith("strike_")) & (ev["date"] == pd.Timestamp("2019-12-29"))]
    assert sorted(strikes["country"].astype(str)) == ["IRQ", "IRQ", "IRQ", "SYR", "SYR"]


def test_attacks_before_k1_are_itemised(tables):
    """Attacks on sites hosting coalition troops from late October to 26 December have their own rows."""
    ev = tables.events
    window = ev[(ev["date"] >= "2019-10-20") & (ev["date"] < "2019-12-27") & (ev["event_type"] == "rocket_attack")]
    assert len(window) >= 6


def test_most_events_cite_a_source_besides_the_seed(tables):
    """At least 80% of events cite a source other than the seed."""
    other = tables.events["source_ids"].map(lambda s: any(x != "seed" for x in s.split(";")))
    assert other.mean() >= 0.8


def test_every_seed_casualty_figure_is_set_against_another_source(tables):
    """Each casualty claim taken from the seed has a claim from another source for the same event, group and outcome."""
    cas = tables.casualties
    seed_claims = cas[cas["source_id"] == "seed"]
    others = cas[cas["source_id"] != "seed"]
    keys = set(zip(others["event_id"], others["group"], others["outcome"], strict=True))
    lonely = [c for c in seed_claims.itertuples() if (c.event_id, c.group, c.outcome) not in keys]
    assert not lonely, lonely


@pytest.mark.skipif(not SEED_FILE.is_file(), reason=f"no local copy of the seed article ({paths.SEED_URL}); set K1_SEED_DIR")
def test_quotes_attributed_to_the_seed_are_verbatim(tables):
    """Every quote whose primary source is the seed appears word for word in it."""
    text = re.sub(r"\s+", " ", SEED_FILE.read_text(encoding="utf-8"))
    seeded = tables.reactions[(tables.reactions["source_id"] == "seed") & tables.reactions["quote"].notna()]
    assert len(seeded) > 0
    missing = [q for q in seeded["quote"] if re.sub(r"\s+", " ", q) not in text]
    assert not missing, missing


@pytest.mark.skipif(not SEED_FILE.is_file(), reason=f"no local copy of the seed article ({paths.SEED_URL}); set K1_SEED_DIR")
def test_count_phrases_taken_from_the_seed_are_verbatim(tables):
    """Every as_reported phrase of a casualty, weapon or attack count sourced to the seed appears word for word in it."""
    text = re.sub(r"\s+", " ", SEED_FILE.read_text(encoding="utf-8")).lower()
    phrases = []
    for frame in (tables.casualties, tables.munitions, tables.tallies):
        phrases += list(frame.loc[frame["source_id"] == "seed", "as_reported"])
    assert len(phrases) >= 3
    missing = [p for p in phrases if re.sub(r"\s+", " ", p).lower() not in text]
    assert not missing, missing


def test_seed_claims_cover_the_headline_figures(tables):
    """The seed's headline counts each have a claim row with a verdict."""
    text = " ".join(tables.seed_claims["claim"]).lower()
    for phrase in ["over 25", "over 30 rockets", "dozens", "11 times", "14,000", "three in iraq and two in syria", "30 minutes"]:
        assert phrase in text, phrase


def _numbers_in(text: str) -> int:
    """Count the separate numbers (digits or number words) in a phrase."""
    words = (
        r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
        r"|second|third|fourth|fifth|sixth)\b"  # "a fourth hit": another count in the same phrase
    )
    return len(re.findall(r"\d+|" + words, text.lower()))


def test_casualty_ranges_follow_the_parsing_rules(tables):
    """Where parse_count reads a claim's phrase, low / best / high are what it returns."""
    checked = 0
    for row in tables.casualties.itertuples():
        if row.basis == "implied":
            continue  # the phrase states another group's count; the claim is what it implies (0 dead)
        if _numbers_in(row.as_reported) > 1 and not re.search(r"\d+ ?[-–] ?\d+|between", row.as_reported):
            continue  # compound phrases ("three commandos and two police officers") are summed by hand
        try:
            count = parse_count(row.as_reported)
        except ValueError:
            continue
        checked += 1
        high = None if pd.isna(row.high) else int(row.high)
        assert (row.low, row.best, high) == tuple(count), (row.claim_id, row.as_reported)
    assert checked >= 50


def test_every_source_is_cited(tables):
    """Every row of sources.csv is cited somewhere, so the list carries no dead weight."""
    cited = set(citations(tables))
    unused = sorted(set(tables.sources["source_id"]) - cited)
    assert not unused, unused


@pytest.mark.parametrize(
    ("table", "columns"), [("munitions", ("low", "best", "high")), ("tallies", ("count_low", "count_best", "count_high"))]
)
def test_weapon_and_attack_counts_follow_the_parsing_rules(tables, table, columns):
    """Where parse_count reads a count phrase of munitions.csv or tallies.csv, the stored low / best / high are what it returns."""
    frame = getattr(tables, table)
    checked = 0
    for row in frame.itertuples():
        if _numbers_in(row.as_reported) > 1:
            continue  # "4 out of 16", "17 of 22": the counted part is read by hand
        try:
            count = parse_count(row.as_reported)
        except ValueError:
            continue
        checked += 1
        low, best, high = (getattr(row, c) for c in columns)
        assert (low, best, None if pd.isna(high) else int(high)) == tuple(count), (row[1], row.as_reported)
    assert checked >= 5


def test_every_attack_on_us_sites_in_the_campaign_is_itemised(tables):
    """At least 24 attacks on sites hosting US or coalition personnel, 27 October 2019 – 31 March 2020 (issue 11's floor)."""
    from helpers.analysis import attacks_in_window

    assert len(attacks_in_window(tables.events, "2019-10-27", "2020-03-31")) >= 24


def test_an_answer_placed_before_its_cause_gets_no_interval_rather_than_zero(tables):
    """Camp Taji's rockets of 29 December ('in the evening', no clock time) sit at noon, before the strikes: no interval, a note."""
    from helpers.analysis import response_chains

    chains = response_chains(tables.events, tables.actors).set_index(["cause", "response"])
    taji = chains.loc[("strike_iraq_1", "taji_rockets_20191229")]
    assert pd.isna(taji["hours"]) and pd.isna(taji["days"]) and "order is unknown" in taji["interval_note"]
    timed = chains.dropna(subset=["hours"])
    assert (timed["hours"] >= 0).all() and not timed["interval_note"].str.contains("order is unknown").any()


def test_an_interval_that_rests_on_a_placeholder_noon_says_it_is_approximate(tables):
    """Every interval involving an event without a clock time is marked approximate, naming which end lacks it; the others carry no note."""
    from helpers.analysis import response_chains

    chains = response_chains(tables.events, tables.actors).dropna(subset=["hours"])
    timed = tables.events.set_index("event_id")["time_local"].notna()
    for row in chains.itertuples():
        untimed = [who for who, e in (("cause", row.cause), ("response", row.response)) if not timed[e]]
        if not untimed:
            assert row.interval_note == "", row
        elif len(untimed) == 2:
            assert row.interval_note.startswith("approximate: neither"), row
        else:
            assert row.interval_note.startswith(f"approximate: the {untimed[0]} has no clock time"), row
    assert (chains["interval_note"] == "").sum() >= 4 and chains["interval_note"].str.startswith("approximate").sum() >= 10


def test_monthly_coverage_shows_months_without_events(tables):
    """Every month from the first event to the last is a row; a month with no event reads zero rather than vanishing."""
    from helpers.analysis import coverage_by_month

    table = coverage_by_month(tables.events)
    months = pd.period_range(tables.events["date"].min(), tables.events["date"].max(), freq="M").strftime("%Y-%m")
    assert list(table.index) == list(months)
    assert int(table["total"].sum()) == len(tables.events)
