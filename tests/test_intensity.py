"""The intensity index keeps acts and words apart, and more coverage cannot raise the word score."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.intensity import STANCE_DEFAULT_CODES_V1, acts_series, quad_class, words_series, words_under_codings


def statements(rows):
    """Build reactions from (date, speaker, goldstein) tuples."""
    return pd.DataFrame(rows, columns=["date", "speaker", "goldstein"]).assign(date=lambda f: pd.to_datetime(f["date"]))


def test_duplicate_coverage_of_a_day_does_not_raise_its_word_score():
    """The same statement collected three times, or more statements by one speaker, leave the day's score as it was."""
    base = statements([("2020-01-01", "a", -7.0), ("2020-01-01", "b", -2.0)])
    more = pd.concat([base, base, statements([("2020-01-01", "a", -4.0)])], ignore_index=True)
    assert words_series(base).loc["2020-01-01", "score"] == words_series(more).loc["2020-01-01", "score"] == 4.5
    assert words_series(more).loc["2020-01-01", "statements"] == 5


def test_word_score_is_the_mean_of_each_speakers_most_hostile_statement():
    """Two speakers, their worst statements −10 and −4: score 7; cooperative statements count as 0."""
    rx = statements([("2020-01-01", "a", -10.0), ("2020-01-01", "a", -1.0), ("2020-01-01", "b", -4.0), ("2020-01-01", "c", 3.4)])
    row = words_series(rx).loc["2020-01-01"]
    assert (row["score"], row["statements"], row["speakers"]) == (pytest.approx(14 / 3), 4, 3)


def test_a_period_without_statements_has_no_word_score():
    """A week with nothing said is missing, not calm."""
    rx = statements([("2020-01-01", "a", -5.0), ("2020-01-20", "a", -5.0)])
    weekly = words_series(rx, freq="W")
    assert weekly["score"].isna().sum() == 2 and weekly.loc["2020-01-06", "statements"] == 0


def test_acts_count_only_conflict_codes_and_sum_per_lane(tables):
    """Unscored types (decisions, funerals) add nothing; acts are quad classes 3–4; every value is a sum of −Goldstein ≥ 0."""
    acts = acts_series(tables.events, tables.actors, tables.event_type_cameo, tables.cameo_goldstein)
    codes = dict(zip(tables.event_type_cameo["event_type"].astype(str), tables.event_type_cameo["cameo_code"], strict=True))
    conflict = {t for t, c in codes.items() if isinstance(c, str) and quad_class(c) in (3, 4)}
    assert {"rocket_attack", "airstrike", "missile_strike"} <= conflict and not {"political_decision", "funeral"} & conflict
    only_decisions = tables.events[tables.events["event_type"].astype(str).isin(["political_decision", "funeral"])]
    with pytest.raises(ValueError):
        acts_series(only_decisions.iloc[0:0], tables.actors, tables.event_type_cameo, tables.cameo_goldstein)
    assert (acts >= 0).all().all() and acts.to_numpy().sum() > 0


def test_quad_classes_follow_gdelt():
    """Roots 01–05 verbal cooperation, 06–09 material cooperation, 10–14 verbal, 15–20 material conflict."""
    assert [quad_class(c) for c in ("010", "057", "061", "095", "111", "138", "145", "190", "200")] == [1, 1, 2, 2, 3, 3, 3, 4, 4]
    with pytest.raises(ValueError, match="not a CAMEO"):
        quad_class("xx")


def test_sensitivity_check_covers_every_coding(tables):
    """The word score is computed under the resolved codes, the old stance defaults and each coder's codes."""
    table = words_under_codings(tables.reactions, tables.coding_check, tables.cameo_goldstein, freq="W")
    assert list(table.columns) == ["resolved", "stance defaults (v1.0.0)", "coder A", "coder B"]
    assert set(STANCE_DEFAULT_CODES_V1) == set(tables.reactions["stance"].cat.categories)


def test_statement_counts_sit_in_a_row_below_every_score():
    """The words panel's counts share one row under zero: below every point of the line, one per period that has statements."""
    from helpers import load
    from helpers.intensity import COUNT_ROW_Y, acts_series, plot_acts_and_words, words_series

    t = load()
    acts = acts_series(t.events, t.actors, t.event_type_cameo, t.cameo_goldstein, freq="W")
    words = words_series(t.reactions, freq="W")
    fig = plot_acts_and_words(acts, words)
    ax_words = fig.axes[1]
    counts = [x for x in ax_words.texts if x.get_gid() == "statement-count"]
    assert len(counts) == int((words["statements"] > 0).sum())
    assert {x.get_position()[1] for x in counts} == {COUNT_ROW_Y}
    assert COUNT_ROW_Y < 0 <= words["score"].min()
    assert sorted(int(x.get_text()) for x in counts) == sorted(words.loc[words["statements"] > 0, "statements"])


def test_the_acts_captions_describe_what_is_counted(tables):
    """Figures 8 and 10 say each row is one act: the five 29 December strike rows make five times one strike's score, and
    Iran's 8 January acts include the PS752 shoot-down's score."""
    from helpers.intensity import event_scores

    acts = acts_series(tables.events, tables.actors, tables.event_type_cameo, tables.cameo_goldstein, start="2019-12-29", end="2020-01-08")
    ev = tables.events.set_index("event_id", drop=False)
    scores = -event_scores(ev, tables.event_type_cameo, tables.cameo_goldstein)
    strikes = [e for e in ev.index if e.startswith("strike_")]
    assert len(strikes) == 5
    assert acts.loc["2019-12-29", "United States"] == pytest.approx(scores[strikes].sum()) == pytest.approx(5 * scores["strike_iraq_1"])
    missiles = [e for e in ev.index if e.startswith("iran_missiles_")]
    assert acts.loc["2020-01-08", "Iran"] == pytest.approx(scores[missiles + ["ps752_shootdown"]].sum())
    for name in ("04_reactions.ipynb", "06_dynamics.ipynb"):
        assert "the five strike rows of\n29 December count as five acts" in _markdown(name) and "PS752" in _markdown(name)


def _markdown(name: str) -> str:
    """All markdown of one notebook."""
    import json

    from helpers import paths

    book = json.loads((paths.NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in book["cells"] if c["cell_type"] == "markdown")


def test_a_deployment_scores_as_a_hostile_act_a_little_below_an_attack(tables):
    """Figures 8 and 10: deployments count as acts, with a Goldstein value below zero but above the attacks'."""
    from helpers.intensity import goldstein_of

    codes = tables.event_type_cameo.set_index("event_type")["cameo_code"]
    values = goldstein_of(codes[["deployment", "rocket_attack", "airstrike", "missile_strike"]], tables.cameo_goldstein)
    deploy, attacks = float(values.iloc[0]), values.iloc[1:].astype(float)
    assert attacks.max() < deploy < 0
    for name in ("04_reactions.ipynb", "06_dynamics.ipynb"):
        assert "Deployments count as acts too" in _markdown(name) and "a little below an attack" in _markdown(name)
