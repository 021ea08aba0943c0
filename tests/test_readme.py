"""The README's numbers and comparisons are the ones the data gives (so they cannot drift from the notebooks)."""

from __future__ import annotations

import re

from helpers import paths
from helpers.findings import MAIN_CHAIN, fill_numbers, headline_numbers

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


def test_every_marked_number_is_the_computed_one(tables):
    """Each <!--n:KEY--> number equals what the tables give; run `python -m helpers render` after a data change."""
    assert fill_numbers(README, headline_numbers(tables)) == README


def test_no_number_in_the_readme_prose_escapes_the_markers():
    """Outside code, links, markers, dates and versions, the README's prose states no bare number."""
    prose = re.sub(r"```.*?```", "", README, flags=re.S)
    prose = re.sub(r"<!--n:[a-z0-9_]+-->.*?<!--/n-->", "", prose)
    prose = re.sub(r"`[^`]*`|\]\([^)]*\)|!\[[^]]*\]\([^)]*\)|<!--.*?-->", "", prose, flags=re.S)
    prose = re.sub(r'"[^"]*"', "", prose)  # quoted words of a source
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    prose = re.sub(rf"\b\d{{1,2}}\s+(?:{months})(?:\s+\d{{4}})?|(?:{months})\s+\d{{4}}|\b(?:19|20)\d\d\b", "", prose)
    prose = re.sub(r"\b\d+ (?:GB|MB)\b|version \*\*\d+\.\d+\.\d+\*\*|\b0[0-9] ·|\b1:\d+m\b|Python 3\.\d+|CC BY 4\.0", "", prose)
    prose = re.sub(r"(?m)^\s*\d+\. |exits \d|\b[Nn]otebooks? 0\d(?:–0\d)?|\b0\d ·", "", prose)  # list items, exit codes, notebook numbers
    assert re.findall(r"(?<![\w-])\d+(?:\.\d+)?(?![\w-])", prose) == []


def test_most_seed_claims_hold_up(tables):
    """'holds up on most points': more than half of the seed's claims are consistent with other reporting."""
    assert "holds up on most points" in README
    verdicts = tables.seed_claims["verdict"].astype(str)
    assert (verdicts == "consistent").sum() * 2 > len(verdicts)


def test_the_blows_after_k1_had_known_authors(tables):
    """'from 29 December the main blows had known authors', while unclaimed rockets 'ran through the whole period'."""
    assert "from 29 December the main blows had known authors" in README and "ran through the whole period" in README
    ev = tables.events.set_index("event_id")
    assert set(ev.loc[MAIN_CHAIN[1:], "attribution"].astype(str)) <= {"claimed", "confirmed"}
    assert str(ev.at["k1_rocket_attack", "attribution"]) not in {"claimed", "confirmed"}
    rockets = tables.events[tables.events["event_type"].astype(str) == "rocket_attack"]
    unclaimed = rockets[rockets["attribution"].astype(str).isin(["unknown", "alleged", "disputed"])]
    assert (unclaimed["date"] < "2019-12-30").any() and (unclaimed["date"] > "2020-03-01").any()


def test_citation_names_the_data_version():
    """CITATION.cff cites the version that datapackage.json carries."""
    from helpers import schema

    cff = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"\nversion: {schema.descriptor()['version']}\n" in cff
