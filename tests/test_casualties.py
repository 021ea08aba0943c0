"""Reconciling casualty claims follows the stated rules."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.casualties import combine_groups, event_fatalities, event_totals, latest_claims, reconcile


def claims(rows, group="fighters", actor_id="kh", event_id="e1"):
    """Build a casualties frame from (claimant, source, reported_on, low, best, high, scope) tuples for one group."""
    out = []
    for i, (claimant, source, day, low, best, high, scope) in enumerate(rows):
        out.append(
            {
                "claim_id": f"{actor_id}{i}",
                "event_id": event_id,
                "group": group,
                "actor_id": actor_id,
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
    rec = reconcile(tables.casualties, tables.sources)
    assert ((rec["low"] <= rec["best"]) & (rec["best"] <= rec["high"])).all()


def test_event_fatalities_sum_separate_groups(tables):
    """An event's killed total adds the reconciled figures of its separate groups."""
    fat = event_fatalities(tables.casualties, tables.sources).set_index("event_id")
    rec = reconcile(tables.casualties, tables.sources)
    k1 = rec[(rec["event_id"] == "k1_rocket_attack") & (rec["outcome"] == "killed")]
    assert fat.at["k1_rocket_attack", "best"] == k1["best"].sum()


def test_k1_reconciles_to_one_killed_with_the_blog_claim_as_high(tables):
    """K-1: one US contractor killed; the unconfirmed blog report of two Iraqi police dead only widens the range."""
    k1 = event_totals(tables.casualties, sources=tables.sources).set_index("event_id").loc["k1_rocket_attack"]
    assert (k1["low"], k1["best"], k1["high"]) == (1, 1, 3)
    rec = reconcile(tables.casualties, tables.sources).set_index(["event_id", "actor_id", "outcome"])
    assert "Musings on Iraq" in rec.loc[("k1_rocket_attack", "irq_forces", "killed"), "reason"]


def test_a_lone_unnamed_claim_widens_the_range_but_does_not_set_best():
    """Rule 3: an unknown claimant's figure that no other voice supports moves low/high, never best."""
    frame = claims([("unknown", "blog", "2019-12-30", 2, 2, 2, "total"), ("us_dod", "dod", "2019-12-29", 0, 0, 0, "total")])
    row = reconcile(frame).iloc[0]
    assert (row["low"], row["best"], row["high"]) == (0, 0, 2)
    assert "widens the range" in row["reason"] and "blog" in row["reason"]


def test_an_unnamed_claim_confirmed_by_another_voice_sets_best():
    """Rule 3: an unknown claimant whose figure another source supports counts like any claim."""
    frame = claims([("unknown", "s1", "2019-12-30", 6, 6, 6, "total"), ("irq_forces", "s2", "2019-12-30", 6, 6, None, "total")])
    row = reconcile(frame).iloc[0]
    assert row["best"] == 6 and row["reason"] == ""


def test_only_unnamed_claims_still_give_a_best_and_say_so():
    """Rule 3: when every claim is a lone unnamed report, best comes from them and the reason says so."""
    row = reconcile(claims([("unknown", "s1", "2020-01-08", 176, 176, 176, "total")])).iloc[0]
    assert row["best"] == 176 and "rests on it alone" in row["reason"]


def test_a_best_that_differs_from_the_most_common_figure_has_a_reason():
    """Rule 6: best below the modal figure comes with a one-line reason."""
    frame = claims(
        [
            ("a", "s1", "2019-12-30", 10, 10, 10, "total"),
            ("b", "s2", "2019-12-30", 20, 20, 20, "total"),
            ("c", "s3", "2019-12-30", 30, 30, 30, "total"),
            ("d", "s4", "2019-12-30", 30, 30, 30, "total"),
        ]
    )
    row = reconcile(frame).iloc[0]
    assert (row["best"], row["modal_best"], row["n_modal"]) == (20, 30, 2)
    assert "most common figure" in row["reason"]


def test_a_combined_count_is_never_added_to_the_groups_it_overlaps():
    """Overlapping groups: 3 US + 1 Iraqi wounded and a combined count of 6 give 6, not 10."""
    us = claims([("us_dod", "s1", "2019-12-29", 3, 3, 3, "total")], group="US", actor_id="us_forces")
    iq = claims([("irq_forces", "s2", "2019-12-29", 1, 1, 1, "total")], group="Iraqi", actor_id="irq_forces")
    both = claims([("coalition", "s3", "2019-12-29", 6, 6, 6, "total")], group="both", actor_id="mixed_personnel")
    frame = pd.concat([us, iq, both], ignore_index=True).assign(outcome="wounded")
    assert event_totals(frame, "wounded").iloc[0][["low", "best", "high"]].tolist() == [6, 6, 6]
    assert (
        combine_groups(pd.DataFrame({"event_id": ["e"] * 2, "actor_id": ["us_forces", "all_present"], "best": [9, 4]}), ["best"]).loc[
            0, "best"
        ]
        == 9
    )


def test_invisible_differences_never_split_a_group():
    """A trailing space, a non-breaking space or a curly apostrophe in the group text does not make a second group."""
    frame = claims(
        [("a", "s1", "2019-12-30", 25, 25, 25, "total"), ("b", "s2", "2019-12-30", 55, 55, 55, "total")], group="Kata'ib fighters"
    )
    frame.loc[1, "group"] = "Kata\u2019ib\u00a0fighters "
    assert len(reconcile(frame)) == 1


def test_every_death_in_an_event_summary_has_a_casualty_claim(tables):
    """An event whose summary says someone was killed has at least one killed claim."""
    killed = set(tables.casualties.loc[tables.casualties["outcome"] == "killed", "event_id"])
    words = r"\bkill(?:ed|ing)\b|\bdied\b|\bdead\b"
    mentions = tables.events[tables.events["summary"].str.contains(words, regex=True)]
    refers_back = {"baghdad_funeral"}  # its "others killed at the airport" are the airport strike's dead
    assert sorted(set(mentions["event_id"]) - killed - refers_back) == []


def test_reconcile_names_missing_columns():
    """A frame without the needed columns raises ValueError naming them."""
    with pytest.raises(ValueError, match="missing column"):
        reconcile(pd.DataFrame({"claim_id": ["x"]}))


def _with_words(frame, words):
    """Give each claim of a frame its as_reported phrase."""
    return frame.assign(as_reported=words)


def test_a_count_in_words_widens_the_range_but_a_number_sets_best():
    """'several' (3, 3-9) twice against one exact 4: best is 4, the range keeps 3-9, and the reason quotes the word."""
    frame = claims(
        [
            ("a", "s1", "2019-12-28", 3, 3, 9, "total"),
            ("b", "s2", "2019-12-28", 3, 3, 9, "total"),
            ("c", "s3", "2019-12-29", 4, 4, 4, "total"),
        ]
    )
    row = reconcile(_with_words(frame, ["several wounded", "several troops", "four troops"])).iloc[0]
    assert (row["low"], row["best"], row["high"]) == (3, 4, 9)
    assert "'several' read as 3" in row["reason"] and "does not set best" in row["reason"]


def test_counts_all_in_words_still_give_a_best():
    """When no claim gives a number, the words set best as before (lower median), and nothing is said about words."""
    frame = claims([("a", "s1", "2019-12-28", 3, 3, 9, "total"), ("b", "s2", "2019-12-28", 12, 12, None, "total")])
    row = reconcile(_with_words(frame, ["several", "dozens of them"])).iloc[0]
    assert row["best"] == 3 and "words" not in row["reason"]


def test_k1_us_wounded_rest_on_the_pentagons_four_not_on_several(tables):
    """K-1's US service members wounded: best is the Pentagon's four; the two 'several' only widen the range."""
    rec = reconcile(tables.casualties, tables.sources).set_index(["event_id", "group", "outcome"])
    row = rec.loc[("k1_rocket_attack", "US service members", "wounded")]
    pentagon = tables.casualties.query("claim_id == 'cas_010'").iloc[0]
    assert pentagon["claimant"] == "us_dod" and row["best"] == pentagon["best"] == 4
    assert row["reason"].count("'several' read as 3") == 2


def test_anonymous_claimants_are_named_as_the_tables_name_them(tables):
    """Reason lines call the anonymous claimants what every table calls them: 'no claimant named' and the actor's own name."""
    from helpers.casualties import ANONYMOUS_CLAIMANTS, ANONYMOUS_LABELS
    from helpers.names import NO_CLAIMANT, actor_names

    names = actor_names(tables)
    assert set(ANONYMOUS_LABELS) == ANONYMOUS_CLAIMANTS
    assert all(ANONYMOUS_LABELS[c] == names[c] for c in ANONYMOUS_CLAIMANTS) and names["unknown"] == NO_CLAIMANT


def test_one_label_for_a_claim_without_a_claimant_in_every_chart_and_table(tables):
    """Claims, weapon counts, tallies, graded claims and the dated-claims chart all write 'no claimant named'."""
    from helpers.campaign import tally_check
    from helpers.claims_chart import claim_labels
    from helpers.evolution import claims_over_time
    from helpers.munitions import munition_claims
    from helpers.names import NO_CLAIMANT
    from helpers.provenance import graded_claims

    shown = [
        claim_labels(tables.casualties, tables.actors, tables.sources),
        munition_claims(tables, "k1_rocket_attack")["label"],
        tally_check(tables)["claimant"],
        graded_claims(tables, "strike_iraq_1", "killed")["claimant"],
        claims_over_time(tables)["claimant"],
    ]
    for labels in shown:
        text = " | ".join(labels.astype(str))
        assert NO_CLAIMANT in text
        assert not any(word in text for word in ("own count", "unattributed", "not named", "unnamed,"))
