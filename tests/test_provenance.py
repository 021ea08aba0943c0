"""Independent originators are counted, not outlets; grades follow their written rule; the validator guards the keys."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from test_validate import assert_reported

from helpers import validate
from helpers.casualties import reconcile
from helpers.provenance import GRADES, grade, grades, independent_sources, originator_keys, repost_share


def small_tables(**extra):
    """Three publishers (a wire, a paper reposting it, a militia's channel), four sources, two actors."""
    publishers = pd.DataFrame(
        {
            "publisher_id": ["reuters", "paper", "kh_tv", "blog"],
            "kind": ["wire_agency", "newspaper", "armed_group_media", "blog"],
            "affiliated_actor_id": [None, None, "kh", None],
        }
    )
    sources = pd.DataFrame(
        {
            "source_id": ["r1", "p1", "p2", "k1", "b1", "b2"],
            "publisher_id": ["reuters", "paper", "paper", "kh_tv", "blog", "blog"],
            "originator_id": ["reuters", "reuters", "paper", "kh_tv", "unknown", "unknown"],
        }
    )
    actors = pd.DataFrame({"actor_id": ["kh", "pmu", "usa"], "parent_id": ["pmu", None, None]})
    return SimpleNamespace(publishers=publishers, sources=sources, actors=actors, **extra)


def test_a_wire_and_its_repost_count_once():
    """A Reuters story and a paper's copy of it are one originator; the paper's own story is a second."""
    t = small_tables()
    assert independent_sources(["r1", "p1"], t) == ["reuters"]
    assert independent_sources("r1;p1;p2", t) == ["paper", "reuters"]


def test_unknown_originators_count_once_per_publisher():
    """Two uncredited copies on one blog are one voice."""
    keys = originator_keys(small_tables().sources)
    assert keys["b1"] == keys["b2"] == "unknown@blog"


def test_an_unknown_source_id_is_named():
    """Asking for a source that does not exist raises KeyError naming it."""
    with pytest.raises(KeyError, match="nope"):
        independent_sources(["nope"], small_tables())


@pytest.mark.parametrize(
    ("originators", "parties", "disputed", "expected"),
    [
        (["reuters", "paper"], {"usa"}, False, "corroborated"),
        (["reuters"], {"usa"}, False, "single_source"),
        (["kh_tv"], {"kh"}, False, "party_only"),
        (["kh_tv"], {"pmu"}, False, "party_only"),  # KH's channel speaks for a body under the PMU
        (["kh_tv", "reuters"], {"kh"}, False, "corroborated"),
        (["reuters", "paper"], {"usa"}, True, "contested"),
    ],
)
def test_grade_rule(originators, parties, disputed, expected):
    """contested > party_only (every originator affiliated with a party) > corroborated (two or more) > single_source."""
    assert grade(originators, parties, disputed, small_tables()) == expected


def test_every_event_casualty_and_seed_claim_is_graded(tables):
    """grades() covers every event, casualty claim and seed claim, with a grade from the closed list."""
    g = grades(tables)
    for table, key in (("events", "event_id"), ("casualties", "claim_id"), ("seed_claims", "claim_id")):
        assert set(g.loc[g["table"] == table, "row_id"]) == set(getattr(tables, table)[key])
    assert set(g["grade"].astype(str)) <= set(GRADES) and (g["n_independent"] <= g["n_sources"]).all()


def test_known_originators_and_reposts_meet_their_targets(tables):
    """At least 90 % of sources have a known originator; at most 25 % of citations point at aggregators or mirrors."""
    assert (tables.sources["originator_id"] != "unknown").mean() >= 0.9
    assert repost_share(tables) <= 0.25


def test_two_copies_of_one_wire_story_do_not_confirm_an_unnamed_claim():
    """Reconciliation with sources: an unnamed figure carried by two reposts of one story is one voice, so it does not set best."""
    t = small_tables()
    claims = pd.DataFrame(
        {
            "claim_id": ["c1", "c2", "c3"],
            "event_id": ["e"] * 3,
            "group": ["fighters"] * 3,
            "actor_id": ["kh"] * 3,
            "outcome": ["killed"] * 3,
            "scope": ["total"] * 3,
            "low": [10, 10, 4],
            "best": [10, 10, 4],
            "high": pd.array([10, 10, 4], dtype="Int64"),
            "claimant": ["unknown", "unknown", "irq_forces"],
            "source_id": ["r1", "p1", "k1"],
            "reported_on": pd.to_datetime(["2019-12-30"] * 3),
        }
    )
    assert reconcile(claims).iloc[0]["best"] == 10  # by source, the two copies look like two voices
    row = reconcile(claims, t.sources).iloc[0]
    assert row["best"] == 4 and "widens the range" in row["reason"]


def test_a_copy_of_a_source_with_another_originator_is_reported(data_copy):
    """copy_of must point at a source with the same originator, and never at itself."""
    row = data_copy.find("sources", "source_id", "seed")
    line = data_copy.set("sources", row, "copy_of", "seed")
    assert_reported(validate(data_copy.root), "sources.csv", line, "copy_of", "copy of itself")


def test_an_unknown_originator_id_is_reported(data_copy):
    """An originator that is neither a publisher nor 'unknown' is reported."""
    line = data_copy.set("sources", 0, "originator_id", "reutres")
    assert_reported(validate(data_copy.root), "sources.csv", line, "originator_id", "no such publisher")


def test_one_outlet_under_two_spellings_is_reported(data_copy):
    """'World Israel News (AP)' beside 'World Israel News' is one outlet listed twice."""
    row = data_copy.find("publishers", "publisher_id", "reuters")
    line = data_copy.append("publishers", row)
    data_copy.set("publishers", line - 2, "publisher_id", "reuters_ap")
    data_copy.set("publishers", line - 2, "name", "Reuters (AP)")
    assert_reported(validate(data_copy.root), "publishers.csv", line, "name", "same outlet")


def test_claims_over_time_place_only_dated_claims_and_count_the_rest(tables):
    """The evolution figure draws dated claims only, and says how many per series had no date."""
    from helpers.evolution import SERIES, claims_over_time, plot_claims_over_time

    claims = claims_over_time(tables)
    assert claims["reported_on"].notna().all()
    assert set(claims.attrs["undated"]) == {s[0] for s in SERIES}
    fig = plot_claims_over_time(claims)
    assert [ax.get_title(loc="left") for ax in fig.axes] == [s[0] for s in SERIES]


def test_a_seed_claim_backed_only_by_the_seeds_own_wire_is_marked(tables):
    """A consistent seed claim whose only originator is the seed's own (Reuters) is flagged and named as the seed's own wire."""
    from helpers.provenance import SEED_SOURCE, originator_keys, seed_claim_support

    support = seed_claim_support(tables).set_index("claim_id")
    wire = originator_keys(tables.sources)[SEED_SOURCE]
    name = tables.publishers.set_index("publisher_id").at[wire, "name"]
    flagged = support[support["seed_wire_only"]]
    assert len(flagged) >= 1 and (flagged["originators"] == f"{name} (the seed's own wire)").all()
    assert flagged["one_wire"].all() or (flagged["verdict"] != "consistent").any()
    assert not support.loc[~support["seed_wire_only"] & support["originators"].eq(""), "one_wire"].any()
