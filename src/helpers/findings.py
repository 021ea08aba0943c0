"""The collection's headline findings, computed once from the tables for the README and the notebooks.

Every number the README states sits between markers, ``<!--n:KEY-->25<!--/n-->``, and is
rewritten from :func:`headline_numbers` by ``python -m helpers render`` (and by
``python -m helpers readme``); a test fails while the README differs from what the data gives.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers import paths, schema
from helpers.analysis import response_chains
from helpers.casualties import event_totals, reconcile
from helpers.geo import distance_km

#: The main blows of the escalation, each presented by its authors as the answer to the one before.
MAIN_CHAIN = ["k1_rocket_attack", "strike_iraq_1", "embassy_assault", "baghdad_airport_strike", "iran_missiles_ain_al_asad"]
#: Claimants that speak for the US government or military (actors.csv), for "US counts".
US_CLAIMANTS = {"us_dod", "us_forces", "us_gov", "trump", "us_state_dept"}
#: The group whose dead the strikes' reconciled toll counts.
STRIKE_GROUP = ("strike_iraq_1", "kh", "killed")

_MARKER = re.compile(r"<!--n:([a-z0-9_]+)-->(.*?)<!--/n-->", re.S)


def main_chain_steps(t) -> pd.DataFrame:
    """Return the steps of the main chain (cause, response, hours, days), oldest first.

    In: the tables. Out: the rows of :func:`helpers.analysis.response_chains` whose cause and
    response are both in ``MAIN_CHAIN`` (days and hours between UTC instants).

    >>> from helpers import load
    >>> len(main_chain_steps(load()))
    4
    """
    chains = response_chains(t.events, t.actors)
    return chains[chains["cause"].isin(MAIN_CHAIN) & chains["response"].isin(MAIN_CHAIN)].reset_index(drop=True)


def headline_numbers(t) -> dict[str, str]:
    """Return every number the README states, as the text it prints, keyed by marker name.

    In: the tables. Out: {key: text}. Keys: version (of the data package), events, first_month, last_month, claims,
    strike_best / strike_low / strike_high / strike_claims (killed in the 29 December strikes,
    persons), k1_killed (persons), asad_injured (US service members wounded at Ain al-Asad), asad_killed_us /
    asad_killed_iran (US dead at Ain al-Asad: reconciled best, and the highest claim, Iran's),
    step_min / step_max (days between the main blows), k1_wounded_dod (persons), seed_itemised
    (the least number of attacks the data itemises in the window of the seed's own tally),
    seed_itemised_after_k1 (how many of those are dated after the K-1 attack),
    strike_max_claim (the highest figure claimed for the strikes' dead), distance_km (al-Qaim to K-1, km, to the nearest 10),
    claims_total, consistent, contested, differs, unverified (seed verdicts).

    >>> from helpers import load
    >>> headline_numbers(load())["k1_killed"]
    '1'
    """
    rec = reconcile(t.casualties, t.sources).set_index(["event_id", "actor_id", "outcome"])
    strike = rec.loc[STRIKE_GROUP]
    killed = event_totals(t.casualties, sources=t.sources).set_index("event_id")
    asad = rec.loc[("iran_missiles_ain_al_asad", "us_forces", "wounded")]
    steps = main_chain_steps(t)
    cas = t.casualties
    dod = cas[(cas["event_id"] == "k1_rocket_attack") & (cas["outcome"] == "wounded") & (cas["claimant"] == "us_dod")]
    verdicts = t.seed_claims["verdict"].astype(str).value_counts()
    return {
        "version": schema.descriptor()["version"],
        "events": str(len(t.events)),
        "first_month": f"{t.events['date'].min():%B %Y}",
        "last_month": f"{t.events['date'].max():%B %Y}",
        "claims": str(len(cas)),
        "strike_best": str(strike["best"]),
        "strike_low": str(strike["low"]),
        "strike_high": str(strike["high"]),
        "strike_claims": str(strike["n_claims"]),
        "k1_killed": str(int(killed.at["k1_rocket_attack", "best"])),
        "asad_injured": str(asad["best"]),
        "asad_killed_us": str(rec.loc[("iran_missiles_ain_al_asad", "us_forces", "killed"), "best"]),
        "asad_killed_iran": str(rec.loc[("iran_missiles_ain_al_asad", "us_forces", "killed"), "high"]),
        "step_min": f"{steps['days'].min():.1f}",
        "step_max": f"{steps['days'].max():.1f}",
        "k1_wounded_dod": str(int(dod["best"].sum())),
        "seed_itemised": str(seed_itemised(t)[1]),
        "seed_itemised_after_k1": str(seed_itemised(t, after_k1=True)[1]),
        "strike_max_claim": str(int(cas.loc[(cas["event_id"] == STRIKE_GROUP[0]) & (cas["outcome"] == "killed"), "best"].max())),
        "distance_km": f"{round(distance_km(t.sites, 'al_qaim', 'k1'), -1):.0f}",  # to the nearest 10 km: the sites are known to ±10 km
        "claims_total": str(len(t.seed_claims)),
        **{v: str(int(verdicts.get(v, 0))) for v in ("consistent", "contested", "differs", "unverified")},
    }


def seed_itemised(t, *, after_k1: bool = False) -> tuple[pd.DataFrame, int]:
    """Return the attacks the data itemises in the window of the seed's own tally ('11 times in the past two months').

    In: the tables. Out: (rows, the least number of attacks they stand for), as
    :func:`helpers.campaign.itemised`. With ``after_k1``, only those dated after the K-1 attack
    (which a Military Times count called the eleventh).

    >>> from helpers import load
    >>> rows, attacks = seed_itemised(load())
    >>> attacks >= len(rows)
    True
    """
    from helpers.campaign import itemised

    seed = t.tallies[t.tallies["source_id"] == "seed"].iloc[0]
    start = seed["window_start"]
    if after_k1:
        start = t.events.set_index("event_id").at["k1_rocket_attack", "date"] + pd.Timedelta(days=1)
    return itemised(t.events, start, seed["window_end"])


def fill_numbers(text: str, numbers: dict[str, str]) -> str:
    """Rewrite every ``<!--n:KEY-->…<!--/n-->`` in text with numbers[KEY]; an unknown KEY raises KeyError.

    >>> fill_numbers("<!--n:a-->1<!--/n--> killed", {"a": "2"})
    '<!--n:a-->2<!--/n--> killed'
    """

    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key not in numbers:
            raise KeyError(f"README marker <!--n:{key}--> names no computed number; known: {sorted(numbers)}")
        return f"<!--n:{key}-->{numbers[key]}<!--/n-->"

    return _MARKER.sub(replace, text)


def update_readme(t, path=None) -> bool:
    """Rewrite the README's marked numbers from the tables; return True when the file changed.

    >>> from helpers import load
    >>> update_readme(load())  # doctest: +SKIP
    False
    """
    path = path or paths.ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = fill_numbers(text, headline_numbers(t))
    if new == text:
        return False
    with paths.atomic_write(path) as tmp:
        tmp.write_text(new, encoding="utf-8")
    return True


def highest_claim(casualties, actors, event_id: str, actor_id: str, outcome: str) -> tuple[str, str]:
    """Return the highest figure claimed for one group, worded as claimed, and who claimed it.

    In: casualties (event_id, actor_id, outcome, best, high, claimant) and actors (actor_id,
    name). Out: ("at least 80", "Government of Iran"): the figure is the highest any claim states
    (its high, or its best when open-ended), "at least" when that claim gives no upper bound;
    claimants by name, joined with commas. Raises ValueError when the group has no claim.

    >>> from helpers import load
    >>> t = load()
    >>> highest_claim(t.casualties, t.actors, "iran_missiles_ain_al_asad", "us_forces", "killed")[0].startswith("at least ")
    True
    """
    cas = casualties
    rows = cas[(cas["event_id"] == event_id) & (cas["actor_id"] == actor_id) & (cas["outcome"] == outcome)]
    if rows.empty:
        raise ValueError(f"no {outcome} claim for {actor_id!r} in {event_id!r}")
    stated = rows["high"].astype("Float64").fillna(rows["best"].astype(float))
    top = rows[stated == stated.max()]
    names = actors.set_index("actor_id")["name"]
    figure = f"{int(stated.max())}"
    worded = f"at least {figure}" if top["high"].isna().any() else figure
    return worded, ", ".join(sorted({names.get(c, c) for c in top["claimant"]}))


def casualty_answer(t) -> list[str]:
    """Return notebook 03's answer in numbers: one sentence each for the strikes, K-1 and Ain al-Asad.

    In: the tables. Out: sentences (persons; dates as reported). Every figure comes from
    :func:`helpers.casualties.reconcile` or the claims themselves.

    >>> from helpers import load
    >>> casualty_answer(load())[1].startswith("K-1:")
    True
    """
    cas = t.casualties
    rec = reconcile(cas, t.sources).set_index(["event_id", "actor_id", "outcome"])
    strike = rec.loc[STRIKE_GROUP]
    claims = cas[(cas["event_id"] == STRIKE_GROUP[0]) & (cas["outcome"] == "killed") & (cas["scope"] == "total")]
    first = claims.dropna(subset=["reported_on"]).sort_values(["reported_on", "best"]).iloc[0]
    k1 = event_totals(cas, sources=t.sources).set_index("event_id").loc["k1_rocket_attack"]
    k1_iraqi = rec.loc[("k1_rocket_attack", "irq_forces", "killed")]
    asad_killed = rec.loc[("iran_missiles_ain_al_asad", "us_forces", "killed")]
    tbi = cas[(cas["event_id"] == "iran_missiles_ain_al_asad") & (cas["outcome"] == "wounded") & (cas["actor_id"] == "us_forces")]
    tbi = tbi[tbi["claimant"].isin(US_CLAIMANTS)].dropna(subset=["reported_on"]).sort_values("reported_on")
    names = t.actors.set_index("actor_id")["name"]
    top, claimants = highest_claim(cas, t.actors, "iran_missiles_ain_al_asad", "us_forces", "killed")
    return [
        f"29 December strikes: {strike['best']} killed (best), range {strike['low']}–{strike['high']}, from "
        f"{strike['n_claims']} claims by {strike['n_claimants']} claimants; the earliest dated count was {first['best']} "
        f"({names.get(first['claimant'], first['claimant'])}, {first['reported_on']:%-d %B %Y}), "
        f"and {strike['modal_best']} is the figure most claims give ({strike['n_modal']} of the {strike['n_claims']} claims kept).",
        f"K-1: {k1['best']} killed (best), range {k1['low']}–{k1['high']}; Iraqi personnel: {k1_iraqi['reason']}.",
        f"Ain al-Asad: {asad_killed['best']} US service members killed by the US count, against {top} "
        f"claimed ({claimants}); US counts of the injured rose from {tbi['best'].iloc[0]} "
        f"({tbi['reported_on'].iloc[0]:%-d %B %Y}) to {tbi['best'].max()} ({tbi.loc[tbi['best'].idxmax(), 'reported_on']:%-d %B %Y}).",
    ]


#: The window of notebook 06's weekly index.
DYNAMICS_WINDOW = {"freq": "W", "start": "2019-10-28", "end": "2020-03-22"}


def dynamics_answer(t) -> list[str]:
    """Return notebook 06's answer in numbers: the peak weeks of acts and of words, and whether the words' peak survives every coding.

    In: the tables. Out: sentences; weeks are named by their Monday.

    >>> from helpers import load
    >>> len(dynamics_answer(load()))
    3
    """
    from helpers.intensity import acts_series, words_series, words_under_codings

    acts = acts_series(t.events, t.actors, t.event_type_cameo, t.cameo_goldstein, **DYNAMICS_WINDOW).sum(axis=1)
    words = words_series(t.reactions, **DYNAMICS_WINDOW)
    busiest = words["statements"].idxmax()
    peaks = words_under_codings(t.reactions, t.coding_check, t.cameo_goldstein, **DYNAMICS_WINDOW).idxmax()
    same = peaks.nunique() == 1
    return [
        f"Acts: the most hostile week began {acts.idxmax():%-d %B %Y} (score {acts.max():.1f}); "
        f"the weekly mean over the window is {acts.mean():.1f}.",
        f"Words: the average speaker was most hostile in the week of {words['score'].idxmax():%-d %B %Y} "
        f"(score {words['score'].max():.1f}, {words.loc[words['score'].idxmax(), 'statements']} statements); the week with the "
        f"most statements, {busiest:%-d %B %Y} ({words.loc[busiest, 'statements']} statements by "
        f"{words.loc[busiest, 'speakers']} speakers), scored {words.loc[busiest, 'score']:.1f}.",
        "Sensitivity: the words' peak week is "
        + (f"the same ({peaks.iloc[0]:%-d %B %Y}) under all {len(peaks)} codings" if same else "not the same under every coding: ")
        + ("." if same else "; ".join(f"{k}: {v:%-d %B %Y}" for k, v in peaks.items()) + "."),
    ]
