"""reader_table shows data safely and legibly: escaped, linked only to web addresses, no NA, no index, stable bytes."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.tables import MISSING, ReaderTable, reader_table


@pytest.fixture
def hostile() -> pd.DataFrame:
    """Rows whose text tries to inject markup and scripts, with links of every kind and missing values."""
    return pd.DataFrame(
        {
            "title": ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "Plain & simple", None],
            "url": ["https://example.org/a?b=1&c=2", "javascript:alert(3)", "http://example.org/", "https://example.org/none"],
            "quote": ["A " + "very long quote " * 40 + "END", "x", pd.NA, "y"],
            "killed": [25, np.nan, 4, 0],
            "date": [pd.Timestamp("2019-12-29"), pd.NaT, pd.Timestamp("2020-01-03 01:00"), pd.Timestamp("2020-01-08")],
        }
    )


def make(frame: pd.DataFrame) -> ReaderTable:
    """The table every test looks at: labels, one wrapped column, one linked column, caption and note."""
    return reader_table(
        frame,
        columns={"title": "Title", "quote": "Quote", "killed": "Killed", "date": "Date"},
        wrap=["quote"],
        links={"title": "url"},
        caption="Sources <b>cited</b>",
        note="Note: <i>quotes</i> are exact.",
    )


def test_markup_in_data_caption_and_note_is_escaped(hostile):
    """<script>, <img onerror> and tags in the caption or note render as literal text, never as elements."""
    html = make(hostile).html
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert "Plain &amp; simple" in html


def test_only_http_and_https_addresses_become_links(hostile):
    """http(s) rows link (with the address escaped); the javascript: row stays plain text; no other href exists."""
    html = make(hostile).html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://example.org/a?b=1&amp;c=2", "http://example.org/"]
    assert "javascript:" not in html
    assert '<a href="http://example.org/">Plain &amp; simple</a>' in html


def test_missing_values_show_as_a_dash_never_as_na(hostile):
    """None, NaN, NA and NaT all show as the dash; "nan", "<NA>", "NaT" and "None" never appear."""
    table = make(hostile)
    text = re.sub(r"<[^>]+>", " ", table.html)
    for token in ("nan", "NaN", "&lt;NA&gt;", "NaT", "None"):
        assert token not in text.split(), token
    assert table.frame["Killed"].tolist()[1] == MISSING and table.frame["Date"].tolist()[1] == MISSING
    assert "<NA>" not in repr(table) and "NaN" not in repr(table)


def test_no_index_and_columns_in_reader_order(hostile):
    """The header holds exactly the reader labels in order; no row numbers in header or body, nor in the text copy."""
    table = make(hostile)
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table.html)
    assert headers == ["Title", "Quote", "Killed", "Date"]
    first_cells = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>", table.html)
    assert not any(re.fullmatch(r"\d+", c) for c in first_cells)
    assert repr(table).splitlines()[0].split()[0] == "Title"


def test_rendering_is_deterministic(hostile):
    """Two renderings of the same table are byte-identical; a different table gets a different id."""
    a, b = make(hostile).html, make(hostile.copy()).html
    assert a == b
    assert re.search(r'id="reader-table-[0-9a-f]{10}"', a)
    other = make(hostile.iloc[:2]).html
    assert re.search(r'id="(reader-table-[0-9a-f]+)"', other).group(1) != re.search(r'id="(reader-table-[0-9a-f]+)"', a).group(1)


def test_long_text_is_wrapped_left_aligned_and_never_cut(hostile):
    """The long quote is whole (ends "END", no ellipsis) in a left-aligned wrapping cell; numbers are right-aligned."""
    html = make(hostile).html
    assert ("very long quote " * 40).strip() in html and "END" in html and "…" not in html and "..." not in html
    quote_cell = re.search(r'<td align="left" style="([^"]*)">A very long', html).group(1)
    assert "white-space: normal" in quote_cell
    assert re.search(r'<td align="right" style="[^"]*text-align: right[^"]*">25</td>', html)
    assert '<td align="left" style="text-align: left; vertical-align: top;">3 Jan 2020 01:00</td>' in html


def test_unknown_columns_are_refused(hostile):
    """Naming a column the frame lacks raises ValueError naming it."""
    with pytest.raises(ValueError, match="headline"):
        reader_table(hostile, columns={"headline": "Headline"})
    with pytest.raises(ValueError, match="nowhere"):
        reader_table(hostile, links={"title": "nowhere"})


def test_coded_values_and_default_headers_read_as_words():
    """Columns named in ``words`` show coded values with spaces; default headers lose their underscores."""
    import pandas as pd

    from helpers.tables import reader_table

    table = reader_table(pd.DataFrame({"stance": ["call_for_restraint"], "mean_goldstein": [-2.5]}), words=["stance"])
    assert list(table.frame.columns) == ["stance", "mean goldstein"]
    assert table.frame.iloc[0, 0] == "call for restraint"
    assert "call_for_restraint" not in table.html


def test_negative_zero_reads_zero():
    """A rounded -0.0 is shown as 0, never '-0'."""
    import pandas as pd

    from helpers.tables import reader_table

    assert reader_table(pd.DataFrame({"score": [-0.0, -0.001 * 0]})).frame["score"].tolist() == ["0", "0"]


def test_a_float_column_shows_one_number_of_decimals():
    """1 beside 1.7 reads 1.0, and -2 beside -2.91 reads -2.00: a column has one format."""
    import pandas as pd

    from helpers.tables import reader_table

    shown = reader_table(pd.DataFrame({"days": [1.0, 1.7, None], "mean": [-2.0, -2.91, 0.5]})).frame
    assert shown["days"].tolist() == ["1.0", "1.7", "—"]
    assert shown["mean"].tolist() == ["-2.00", "-2.91", "0.50"]


def test_dates_read_as_the_event_names_write_them():
    """A date (Timestamp or datetime.date) shows as '29 Dec 2019', as in the event names, not as ISO."""
    import datetime

    import pandas as pd

    from helpers.tables import reader_table

    shown = reader_table(pd.DataFrame({"d": [pd.Timestamp("2019-12-29"), datetime.date(2020, 1, 3)]})).frame
    assert shown["d"].tolist() == ["29 Dec 2019", "3 Jan 2020"]
