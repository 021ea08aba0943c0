"""The two codings of the statements are compared honestly, and the published codes follow the words."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.coding import agreement, cohen_kappa, disagreements
from helpers.intensity import STANCE_DEFAULT_CODES_V1


def test_kappa_matches_a_worked_example():
    """50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o 0.7, p_e 0.5, kappa 0.4 (Cohen 1960's formula)."""
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_refuses_codings_of_different_items():
    """Two codings of different lengths raise ValueError."""
    with pytest.raises(ValueError, match="same non-empty items"):
        cohen_kappa(["a"], ["a", "b"])


def test_agreement_is_measured_before_resolution(tables):
    """Agreement reads coding_check.csv alone (both codings as first made), never the resolved codes of reactions.csv."""
    import inspect

    assert list(inspect.signature(agreement).parameters) == ["coding_check"]
    assert set(tables.coding_check["coder"].astype(str)) == {"coder_a", "coder_b"}
    table = agreement(tables.coding_check)
    assert table.at["stance", "n"] == len(tables.reactions) and 0 < table.at["stance", "kappa"] <= 1


def test_every_statement_is_coded_by_both_coders(tables):
    """coding_check.csv holds coder A and coder B for every statement of reactions.csv."""
    per_coder = tables.coding_check.groupby(tables.coding_check["coder"].astype(str))["reaction_id"].apply(set)
    assert per_coder["coder_a"] == per_coder["coder_b"] == set(tables.reactions["reaction_id"])


def test_every_disagreement_has_a_resolution_line(tables):
    """Each statement the coders coded differently says in its coding_note how the disagreement was settled."""
    split = disagreements(tables.coding_check)
    notes = tables.reactions.set_index("reaction_id")["coding_note"].fillna("")
    unresolved = [r for r in split["reaction_id"] if "Resolved:" not in notes[r]]
    assert unresolved == []


def test_codes_are_not_a_default_per_stance(tables):
    """Most statements no longer carry their stance's old default code, and the frequent stances use several codes."""
    rx = tables.reactions
    kept_default = (rx["cameo_code"].astype(str) == rx["stance"].astype(str).map(STANCE_DEFAULT_CODES_V1)).mean()
    assert kept_default < 0.5
    codes_per_stance = rx.groupby(rx["stance"].astype(str))["cameo_code"].nunique()
    counts = rx["stance"].astype(str).value_counts()
    assert (codes_per_stance[counts[counts >= 10].index] >= 2).all()


def test_codebook_reports_the_agreement(tables):
    """data/CODEBOOK.md shows the kappa computed from the data."""
    from helpers import paths

    text = (paths.DATA_DIR / "CODEBOOK.md").read_text(encoding="utf-8")
    kappa = agreement(tables.coding_check).at["stance", "kappa"]
    assert f"| {kappa:.3f} |" in text and isinstance(kappa, float) and not pd.isna(kappa)
