"""Tables for readers: one helper that every notebook uses to show a frame as a static, safe HTML table.

GitHub renders a notebook's HTML outputs but strips ``<style>`` blocks, so alignment is written
both as ``align`` attributes (which survive) and as inline styles (for Jupyter). Every cell's
text is escaped; only http(s) addresses become links; missing values show as a dash; nothing is
cut; no row numbers; and the markup is the same byte for byte on every run.
"""

from __future__ import annotations

import datetime
import hashlib
import html
from collections.abc import Mapping, Sequence
from urllib.parse import urlparse

import pandas as pd

#: What a missing value (None, NaN, NA, NaT) shows as.
MISSING = "—"
#: Widest a wrapped text column may grow (CSS length).
WRAP_WIDTH = "36em"


class ReaderTable:
    """A frame rendered for readers: ``_repr_html_`` gives static HTML, ``__repr__`` a plain-text copy.

    Build it with :func:`reader_table`. ``html`` is the markup, ``frame`` the displayed strings
    (reader labels as columns, escaped text, links as ``<a>`` elements).
    """

    def __init__(self, markup: str, frame: pd.DataFrame, plain: pd.DataFrame):
        self.html = markup
        self.frame = frame
        self._plain = plain

    def _repr_html_(self) -> str:
        """Return the table as HTML (what Jupyter and GitHub show)."""
        return self.html

    def to_html(self) -> str:
        """Return the table as HTML."""
        return self.html

    def __repr__(self) -> str:
        """Return a plain-text copy of the table (no row numbers), for consoles and text outputs."""
        return self._plain.to_string(index=False)


def _is_missing(value) -> bool:
    """Return whether a cell is missing (None, NaN, NA, NaT); lists and other containers are not."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain_text(value, decimals: int | None = None) -> str:
    """Return a cell as reader text: dates as '29 Dec 2019' (no empty times), whole floats without decimals, booleans as yes/no.

    With ``decimals``, a float is written with exactly that many decimals (a column's common format).
    """
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%-d %b %Y") if value == value.normalize() else value.strftime("%-d %b %Y %H:%M")
    if isinstance(value, datetime.date):  # as the tables' event names write dates: "29 Dec 2019"
        return value.strftime("%-d %b %Y")
    if isinstance(value, float):
        value = value + 0.0  # -0.0 reads 0
        if decimals is not None:
            text = f"{value:.{decimals}f}"
        else:
            text = f"{value:.0f}" if value.is_integer() else f"{value:.2f}".rstrip("0")
        return text[1:] if text.startswith("-") and float(text) == 0 else text
    return str(value)


def _column_texts(column: pd.Series, as_words: bool) -> list[str]:
    """Cells of one column as reader text; a float column shows every number with the same decimals (up to two)."""
    if as_words:
        return [_plain_text(v).replace("_", " ") for v in column]
    if not pd.api.types.is_float_dtype(column):
        return [_plain_text(v) for v in column]
    texts = [_plain_text(v) for v in column]
    decimals = max((len(t.split(".")[1]) for t in texts if "." in t), default=0)
    return [t if _is_missing(v) else _plain_text(round(float(v), decimals) + 0.0, decimals) for t, v in zip(texts, column, strict=True)]


def _is_web_address(url) -> bool:
    """Return whether a value is an http or https address with a host (javascript:, data:, relative paths are not)."""
    if not isinstance(url, str):
        return False
    parsed = urlparse(url.strip())
    return parsed.scheme.lower() in ("http", "https") and bool(parsed.netloc)


def _numeric(series: pd.Series) -> bool:
    """Return whether a column holds numbers (booleans are not numbers here)."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def reader_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    wrap: Sequence[str] | None = None,
    links: Mapping[str, str] | None = None,
    caption: str | None = None,
    note: str | None = None,
    words: Sequence[str] | None = None,
) -> ReaderTable:
    """Return ``frame`` as a table for readers (a :class:`ReaderTable`, shown as static HTML in notebooks and on GitHub).

    ``columns`` maps raw column names to reader labels, in display order (a list keeps the
    names, with underscores shown as spaces; default: every column, so named). ``words`` names
    columns of coded values (``call_for_restraint``, ``single_source``), shown as words
    ("call for restraint"). ``wrap`` names columns of long text: left-aligned and wrapped
    (up to ``WRAP_WIDTH`` wide), never cut. ``links`` maps a shown text column to the column holding
    its address: the text becomes a link only where the address is http or https (anything else,
    such as ``javascript:``, stays plain text). ``caption`` goes above the table, ``note`` below.

    All text from the data, the labels, the caption and the note is HTML-escaped, so markup in a
    title or quote shows literally. Missing values show as "—"; numbers are right-aligned, text
    left-aligned; there are no row numbers. The HTML depends only on the arguments (its id is a
    hash of them), so re-rendering a notebook changes no byte. Raises ValueError for columns that
    are not in the frame, and TypeError if ``frame`` is not a DataFrame.

    >>> import pandas as pd
    >>> t = reader_table(pd.DataFrame({"title": ["<b>K-1</b>"], "url": ["https://example.org/a"], "n": [25]}),
    ...                  columns={"title": "Title", "n": "Killed"}, links={"title": "url"})
    >>> "&lt;b&gt;K-1&lt;/b&gt;</a>" in t.html and '<a href="https://example.org/a">' in t.html
    True
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"reader_table: expected a DataFrame, got {type(frame).__name__}")
    if columns is None:
        labels = {c: str(c).replace("_", " ") for c in frame.columns}
    elif isinstance(columns, Mapping):
        labels = {c: str(label) for c, label in columns.items()}
    else:
        labels = {c: str(c).replace("_", " ") for c in columns}
    wrap = list(wrap or [])
    links = dict(links or {})
    words = list(words or [])
    named = list(labels) + wrap + list(links) + list(links.values()) + words
    unknown = [c for c in dict.fromkeys(named) if c not in frame.columns]
    if unknown:
        raise ValueError(f"reader_table: column(s) {unknown} not in the frame (it has {list(frame.columns)})")
    not_shown = [c for c in list(wrap) + list(links) + words if c not in labels]
    if not_shown:
        raise ValueError(f"reader_table: column(s) {not_shown} are wrapped or linked but not shown")

    shown = list(labels)
    numeric = {c: _numeric(frame[c]) for c in shown}
    plain = pd.DataFrame(
        {labels[c]: _column_texts(frame[c], c in words) for c in shown},
        index=range(len(frame)),
    )
    cells = {}
    for c in shown:
        texts = [html.escape(t, quote=True).replace("\n", "<br>") for t in plain[labels[c]]]
        if c in links:
            urls = frame[links[c]].tolist()
            texts = [
                f'<a href="{html.escape(u.strip(), quote=True)}">{t}</a>' if _is_web_address(u) and not _is_missing(v) else t
                for t, u, v in zip(texts, urls, frame[c], strict=True)
            ]
        cells[c] = texts
    shown_frame = pd.DataFrame({labels[c]: cells[c] for c in shown}, index=range(len(frame)))

    def style_of(c: str) -> tuple[str, str]:
        if numeric[c]:
            return "right", "text-align: right; white-space: nowrap; vertical-align: top;"
        if c in wrap:
            return (
                "left",
                "text-align: left; white-space: normal; overflow-wrap: anywhere; min-width: 12em; "
                f"max-width: {WRAP_WIDTH}; vertical-align: top;",
            )
        return "left", "text-align: left; vertical-align: top;"

    digest = hashlib.sha1(
        repr((shown, [labels[c] for c in shown], wrap, links, caption, note, words, plain.to_numpy().tolist())).encode("utf-8")
    ).hexdigest()[:10]
    out = [f'<table id="reader-table-{digest}" class="reader-table" style="border-collapse: collapse;">']
    if caption:
        out.append(f'<caption style="caption-side: top; text-align: left; font-weight: bold;">{html.escape(caption, quote=True)}</caption>')
    out.append("<thead><tr>")
    for c in shown:
        align, css = style_of(c)
        out.append(f'<th align="{align}" style="{css}">{html.escape(labels[c], quote=True)}</th>')
    out.append("</tr></thead>")
    out.append("<tbody>")
    for i in range(len(frame)):
        out.append("<tr>")
        for c in shown:
            align, css = style_of(c)
            out.append(f'<td align="{align}" style="{css}">{cells[c][i]}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    if note:
        out.append(f'<p style="text-align: left; font-size: smaller;">{html.escape(note, quote=True)}</p>')
    return ReaderTable("\n".join(out), shown_frame, plain)
