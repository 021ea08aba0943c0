"""Agreement between the two codings of the statements: Cohen's kappa and shares of equal codes.

``coding_check.csv`` holds both codings as they stood before any disagreement was resolved:
coder_a (the first coding) and coder_b (made blind to it). ``reactions.csv`` holds the resolved
coding, so agreement is always measured on the unresolved pair. Kappa is computed here rather than with scikit-learn's
``cohen_kappa_score`` to keep a 40 MB dependency out of the environment; the formula is
Cohen (1960), and a test checks it against a worked example with a known result.
"""

from __future__ import annotations

import pandas as pd

from helpers.columns import require_columns


def cohen_kappa(first, second) -> float:
    """Return Cohen's kappa for two codings of the same items: (p_o − p_e) / (1 − p_e).

    p_o is the share of items coded alike; p_e the agreement expected by chance from each
    coder's category shares (Cohen 1960, "A coefficient of agreement for nominal scales").
    Raises ValueError when the codings differ in length or are empty; returns 1.0 when both
    coders use one and the same category for every item (no disagreement is possible).

    >>> round(cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 3)
    0.5
    """
    a, b = pd.Series(list(first), dtype="object"), pd.Series(list(second), dtype="object")
    if len(a) != len(b) or len(a) == 0:
        raise ValueError(f"kappa needs two codings of the same non-empty items (got {len(a)} and {len(b)})")
    observed = float((a.values == b.values).mean())
    pa, pb = a.value_counts(normalize=True), b.value_counts(normalize=True)
    expected = float(sum(pa.get(c, 0.0) * pb.get(c, 0.0) for c in set(pa.index) | set(pb.index)))
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def cameo_root(code: str) -> str:
    """Return a CAMEO code's root (its first two digits: the event class, e.g. '11' Disapprove).

    >>> cameo_root("1123"), cameo_root("051")
    ('11', '05')
    """
    return str(code)[:2]


def paired_codings(coding_check: pd.DataFrame, first: str = "coder_a", second: str = "coder_b") -> pd.DataFrame:
    """Return one row per statement with both codings: reaction_id, stance_a, stance_b, code_a, code_b.

    In: coding_check (reaction_id, stance, cameo_code, coder). A statement coded by only one of
    the two coders raises ValueError naming it.

    >>> from helpers import load
    >>> t = load()
    >>> len(paired_codings(t.coding_check)) == len(t.reactions)
    True
    """
    require_columns(coding_check, ["reaction_id", "stance", "cameo_code", "coder"], "paired_codings")
    codes = coding_check.astype({"stance": str, "cameo_code": str, "coder": str})
    a = codes[codes["coder"] == first].set_index("reaction_id")[["stance", "cameo_code"]]
    b = codes[codes["coder"] == second].set_index("reaction_id")[["stance", "cameo_code"]]
    missing = sorted(set(a.index) ^ set(b.index))
    if missing:
        raise ValueError(f"statements coded only once: {missing}")
    both = a.join(b, suffixes=("_a", "_b")).rename(columns={"cameo_code_a": "code_a", "cameo_code_b": "code_b"})
    return both.reset_index().sort_values("reaction_id").reset_index(drop=True)


def agreement(coding_check: pd.DataFrame) -> pd.DataFrame:
    """Return the agreement of the two codings: one row per measure, with the share agreeing and kappa.

    Out: index measure (stance, CAMEO root, full CAMEO code), columns n (statements),
    agree (statements coded alike), share (agree / n), kappa (Cohen's; not given for the full
    code, where categories are too many for chance agreement to be estimated well).

    >>> from helpers import load
    >>> t = load()
    >>> list(agreement(t.coding_check).index)
    ['stance', 'CAMEO root', 'full CAMEO code']
    """
    both = paired_codings(coding_check)
    root_a, root_b = both["code_a"].map(cameo_root), both["code_b"].map(cameo_root)
    rows = []
    for measure, a, b, with_kappa in (
        ("stance", both["stance_a"], both["stance_b"], True),
        ("CAMEO root", root_a, root_b, True),
        ("full CAMEO code", both["code_a"], both["code_b"], False),
    ):
        agree = int((a == b).sum())
        rows.append(
            {
                "measure": measure,
                "n": len(both),
                "agree": agree,
                "share": round(agree / len(both), 3),
                "kappa": round(cohen_kappa(a, b), 3) if with_kappa else float("nan"),
            }
        )
    return pd.DataFrame(rows).set_index("measure")


def disagreements(coding_check: pd.DataFrame) -> pd.DataFrame:
    """Return the statements the two coders coded differently (stance or full code), with both codings.

    >>> from helpers import load
    >>> t = load()
    >>> set(disagreements(t.coding_check).columns) >= {"stance_a", "stance_b", "code_a", "code_b"}
    True
    """
    both = paired_codings(coding_check)
    return both[(both["stance_a"] != both["stance_b"]) | (both["code_a"] != both["code_b"])].reset_index(drop=True)
