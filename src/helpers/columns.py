"""Checks on the shape of the frames that helpers functions take."""

from __future__ import annotations

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise ValueError naming the missing columns, or if the frame is empty.

    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "demo")
    Traceback (most recent call last):
    ValueError: demo: missing column(s) ['b']
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what}: expected a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}")
    if frame.empty:
        raise ValueError(f"{what}: the frame is empty, nothing to compute or draw")
