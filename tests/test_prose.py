"""Notebook prose states no number that code does not print: figures live in outputs, where nbval guards them."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from helpers import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"

#: Numbers allowed in prose because a named test checks them (phrase -> the test that does).
CHECKED_ELSEWHERE = {
    "within 1%": "tests/test_geo.py::test_projected_distances_match_geodesic_within_one_percent",
}


def bare_numbers(markdown: str) -> list[str]:
    """Return the numbers a markdown cell states outside code, quotes, links, dates and labels."""
    text = re.sub(r"`[^`]*`|\]\([^)]*\)|<[^>]+>", "", markdown)
    text = re.sub(r'"[^"]*"|“[^”]*”|(?<!\w)\'[^\']*\'(?!\w)', "", text)  # a source's own words, or an example, quoted
    text = re.sub(r"\b\d+(?:\.\d+)?° ?[NSEW]\b", "", text)  # coordinates and projection parallels
    for phrase in CHECKED_ELSEWHERE:
        text = text.replace(phrase, "")
    text = re.sub(rf"\b\d{{1,2}}(?:[–-]\d{{1,2}})?\s+(?:{MONTHS})(?:\s+\d{{4}})?|(?:{MONTHS})\s+\d{{4}}|\b(?:19|20)\d\d\b", "", text)
    text = re.sub(r"\*Figure \d+\.\*|\bFigure \d+\b|\bnotebooks? 0\d\b|^# 0\d ·|\b1:\d+m\b", "", text, flags=re.M)
    text = re.sub(r"(?m)^\s*\d+\. ", "", text)  # numbered list items
    return re.findall(r"(?<![\w-])\d+(?:[.,]\d+)?%?(?![\w-])", text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_prose_prints_its_numbers_from_code(path):
    """No markdown cell types a figure: every count, toll or interval is printed by a code cell."""
    book = json.loads(path.read_text(encoding="utf-8"))
    found = {}
    for i, cell in enumerate(book["cells"]):
        if cell["cell_type"] == "markdown":
            numbers = bare_numbers("".join(cell["source"]))
            if numbers:
                found[i] = numbers
    assert found == {}, f"{path.name}: numbers typed into prose (cell: numbers): {found}"


def test_bare_numbers_ignores_dates_quotes_and_code_but_not_counts():
    """The prose check passes dates, quotes and code, and catches a typed count."""
    assert bare_numbers('On 29 December 2019, "over 30 rockets" hit; see `parse_count("25")`, Figure 4.') == []
    assert bare_numbers("The strikes killed 25 fighters.") == ["25"]


# --- comparisons stated in words, each checked against the computed value ----------------------


def _prose(name: str) -> str:
    """All markdown of one notebook."""
    book = json.loads((paths.NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in book["cells"] if c["cell_type"] == "markdown")


def _steps_with_strikes_at(tables, time_local: str | None):
    """Main-chain steps with the 29 December strikes placed at a given local time ("noon": no clock time; None: as in the data)."""
    import pandas as pd

    from helpers.findings import main_chain_steps

    if time_local is None:
        return main_chain_steps(tables)["days"]
    events = tables.events.copy()
    events.loc[events["event_id"].str.startswith("strike_"), "time_local"] = pd.NA if time_local == "noon" else time_local
    return main_chain_steps(type(tables)(**{**vars(tables), "events": events}))["days"]


def test_the_blows_did_not_come_faster_however_the_strikes_are_timed(tables):
    """'They did not come faster; the longest wait was the last': true with the strikes at 19:00 (the infobox time) and at noon."""
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "they did not come faster, and the longest wait was the last" in readme
    assert "They did not come faster" in _prose("06_dynamics.ipynb")
    for when in ("noon", "19:00"):
        days = _steps_with_strikes_at(tables, when)
        assert days.iloc[-1] == days.max() and days.iloc[-1] > days.iloc[0], (when, list(days))


def test_01_says_the_steps_were_days_apart(tables):
    """Notebook 01's 'a few days each' holds: every main step took more than one and less than seven days."""
    from helpers.findings import main_chain_steps

    assert "were a few\ndays each" in _prose("01_timeline.ipynb") or "were a few days each" in _prose("01_timeline.ipynb")
    assert main_chain_steps(tables)["days"].between(1, 7).all()


def test_05_says_most_claims_agree_only_while_most_do(tables):
    """Notebook 05's 'Most of its claims agree with other sources' matches the verdict counts."""
    assert "Most of its claims agree with other sources" in _prose("05_seed_check.ipynb")
    verdicts = tables.seed_claims["verdict"].astype(str)
    assert (verdicts == "consistent").sum() * 2 > len(verdicts)


def test_the_reactions_finding_matches_each_sides_most_common_stance(tables):
    """'Iraq and Iran condemned, the militias threatened, Israel praised' (README, notebook 04) holds for the strikes."""
    from helpers.analysis import stance_table

    table = stance_table(tables.reactions, tables.actors, ["strike_iraq_1"])
    stances = table.drop(columns=["statements", "mean_goldstein"])
    top = {lane: set(row[row == row.max()].index) for lane, row in stances.iterrows()}
    assert "condemn" in top["Iraqi state"] and "condemn" in top["Iran"]
    assert "threaten" in top["Kata'ib Hezbollah / PMU"] and "praise" in top["Israel"]


def test_06_says_acts_peak_at_the_seed_and_words_before_it(tables):
    """Notebook 06: acts peak in the week of the seed article or the one before; words peak before it and are calmer in the busiest week."""
    from helpers.findings import DYNAMICS_WINDOW
    from helpers.intensity import acts_series, words_series

    prose = " ".join(_prose("06_dynamics.ipynb").split())
    assert "acts peak around the seed article, while the words of the average speaker were harshest before it" in prose
    seed = pd.Timestamp("2019-12-30")
    acts = acts_series(tables.events, tables.actors, tables.event_type_cameo, tables.cameo_goldstein, **DYNAMICS_WINDOW).sum(axis=1)
    words = words_series(tables.reactions, **DYNAMICS_WINDOW)
    assert abs(acts.idxmax() - seed) <= pd.Timedelta(days=7)
    assert words["score"].idxmax() < seed
    busiest = words["statements"].idxmax()
    assert busiest >= seed and words.loc[busiest, "score"] < words["score"].max()


def test_05_says_iraqi_rocket_counts_were_lower_and_the_11_only_partly_itemised(tables):
    """Notebook 05: every Iraqi count of the K-1 rockets is below the seed's 'over 30'; the data itemises fewer than the seed's 11."""
    from helpers.campaign import itemised

    prose = _prose("05_seed_check.ipynb")
    assert "(Iraqi counts were lower)" in prose and "can only partly\nitemise" in prose
    mu = tables.munitions
    iraqi = mu[(mu["event_id"] == "k1_rocket_attack") & mu["claimant"].isin(["irq", "irq_forces", "iraqi_security_sources"])]
    assert len(iraqi) and (iraqi["best"] <= 30).all()
    seed = tables.tallies[tables.tallies["source_id"] == "seed"].iloc[0]
    _, attacks = itemised(tables.events, seed["window_start"], seed["window_end"])
    assert attacks < seed["count_low"]


def test_06_says_the_deployments_did_not_answer_the_rockets(tables):
    """Notebook 06: no deployment is recorded as answering a rocket attack (they answer Abqaiq and the embassy)."""
    assert "not to the rockets" in " ".join(_prose("06_dynamics.ipynb").split())
    ev = tables.events.set_index("event_id")
    deployments = ev[ev["event_type"].astype(str) == "deployment"]
    causes = {c for links in deployments["responds_to"].dropna() for c in str(links).split(";") if c}
    assert causes and not any(str(ev.at[c, "event_type"]) == "rocket_attack" for c in causes)
    assert {"abqaiq_attack", "embassy_assault"} <= causes


def test_06_says_the_harshest_day_came_after_the_seed(tables):
    """Notebook 06: on the daily view of notebook 04's window the harshest words came after the seed article."""
    import inspect

    from helpers import figures
    from helpers.intensity import words_series

    assert "finds the harshest single day after the seed article" in " ".join(_prose("06_dynamics.ipynb").split())
    window = {k: v.default for k, v in inspect.signature(figures.intensity).parameters.items() if k in ("start", "end")}
    daily = words_series(tables.reactions, freq="D", **window)
    assert daily["score"].idxmax() > pd.Timestamp("2019-12-30")


def test_speakers_are_never_called_unattributed(tables):
    """Every statement has a named speaker, so the stance table names the rest 'Other governments and bodies'."""
    from helpers.analysis import stance_table

    lanes = set(stance_table(tables.reactions, tables.actors).index)
    assert "Other governments and bodies" in lanes and not any("unattributed" in lane for lane in lanes)


def test_03_says_its_three_claim_counts_differ(tables):
    """Notebook 03: claims kept for the strike toll, whole-toll claims (Figure 4) and all claims graded are three different counts."""
    from helpers.casualties import reconcile
    from helpers.provenance import graded_claims

    assert "so the three counts differ" in " ".join(_prose("03_casualties.ipynb").split())
    from helpers import figures

    rec = reconcile(tables.casualties, tables.sources).set_index(["event_id", "actor_id", "outcome"])
    kept = int(rec.loc[("strike_iraq_1", "kh", "killed"), "n_claims"])
    _, drawn = figures.casualty_claims(tables)
    graded = graded_claims(tables, "strike_iraq_1", "killed")
    assert kept < (drawn["scope"] == "total").sum() and set(graded["claim_id"]) < set(drawn["claim_id"])
    assert len({kept, len(drawn), len(graded)}) == 3
    assert (drawn["event_id"] == "strike_syria_1").any()
    import matplotlib.pyplot as plt

    plt.close("all")


def test_03_says_the_strike_tolls_run_from_an_iraqi_security_count_to_a_february_estimate(tables):
    """'from an Iraqi security count to one estimate, with no claimant named, in February': the lowest whole-toll figure
    is the Iraqi security forces', the highest a single claim with no claimant named, reported in February."""
    assert "from an Iraqi\nsecurity count to one estimate, with no claimant named, in February" in _prose("03_casualties.ipynb")
    cas = tables.casualties
    totals = cas[(cas["event_id"] == "strike_iraq_1") & (cas["outcome"] == "killed") & (cas["scope"] == "total")]
    lowest = totals[totals["best"] == totals["best"].min()]
    highest = totals[totals["best"] == totals["best"].max()]
    assert set(lowest["claimant"]) == {"irq_forces"}
    assert len(highest) == 1 and highest["claimant"].iloc[0] == "unknown" and highest["reported_on"].iloc[0].month_name() == "February"


def test_iran_claim_of_us_dead_is_worded_as_open_ended(tables):
    """Iran's 'at least 80' is never turned into 'up to 80' (notebook 03's sentences say what the claim says)."""
    from helpers.findings import casualty_answer, highest_claim

    figure, who = highest_claim(tables.casualties, tables.actors, "iran_missiles_ain_al_asad", "us_forces", "killed")
    assert figure.startswith("at least ") and who == "Government of Iran"
    assert f"against {figure} claimed (Government of Iran)" in casualty_answer(tables)[2]


def test_03_says_the_five_strikes_toll_sits_on_the_row_named_1(tables):
    """Notebook 03's note: the all-five-sites toll is filed on strike_iraq_1, whose reader name ends in '(1)'."""
    from helpers.names import event_names

    book = json.loads((paths.NOTEBOOKS_DIR / "03_casualties.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in book["cells"] if c["cell_type"] == "code")
    assert "filed on the first Iraqi strike's row, whose name ends in (1)" in code
    five = tables.casualties[tables.casualties["group"].astype(str).str.endswith("(all five sites)")]
    assert set(five["event_id"]) == {"strike_iraq_1"}
    assert event_names(tables)["strike_iraq_1"].endswith("(1)")


def test_03_figure_5_says_the_combined_best_is_not_the_pentagons(tables):
    """Figure 5's caption: the combined count's reconciled best rests on a later count with no claimant named, not on the
    Pentagon's (which gives no combined count), and 'dozens' is read as one dozen."""
    from helpers.casualties import reconcile
    from helpers.clean import parse_count

    assert "rests on a\nlater newspaper count with no claimant named, not on the Pentagon's" in _prose("03_casualties.ipynb")
    cas = tables.casualties
    combined = cas[(cas["event_id"] == "k1_rocket_attack") & (cas["group"].astype(str).str.contains("combined count"))]
    row = (
        reconcile(cas, tables.sources)
        .set_index(["event_id", "group", "outcome"])
        .loc[("k1_rocket_attack", "US and Iraqi personnel (combined count)", "wounded")]
    )
    setters = combined[combined["best"] == row["best"]]
    assert len(setters) == 1 and setters["claimant"].iloc[0] == "unknown" and "us_dod" not in set(combined["claimant"])
    assert setters["reported_on"].iloc[0] > combined["reported_on"].min()
    assert parse_count("dozens").low == 12
