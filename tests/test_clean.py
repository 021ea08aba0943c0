"""Cleaning: count phrases, actor names and dates are read by stated rules, or refused."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.clean import VAGUE, Count, name_key, normalize_actor, number_value, parse_count, parse_date, vague_word

RULES = [
    ("25", (25, 25, 25)),
    ("one", (1, 1, 1)),
    ("thirty", (30, 30, 30)),
    ("thirty-one", (31, 31, 31)),
    ("a dozen", (12, 12, 12)),
    ("at least 25", (25, 25, None)),
    ("25 or more", (25, 25, None)),
    ("55+", (55, 55, None)),
    ("over 25", (26, 26, None)),
    ("more than 25", (26, 26, None)),
    ("about 30", (27, 30, 33)),
    ("some 30", (27, 30, 33)),
    ("around 30", (27, 30, 33)),
    ("approximately 12", (10, 12, 14)),
    ("nearly 30", (27, 29, 29)),
    ("almost 30", (27, 29, 29)),
    ("25-30", (25, 25, 30)),
    ("between 25 and 30", (25, 25, 30)),
    ("25 to 30", (25, 25, 30)),
    ("fewer than 10", (1, 1, 9)),
    ("less than a handful", (1, 1, 4)),
    ("up to 19", (1, 19, 19)),
    ("has risen to 25", (25, 25, 25)),
    ("several", (3, 3, 9)),
    ("a handful", (3, 3, 5)),
    ("a few", (2, 2, 5)),
    ("dozens", (12, 12, None)),
    ("dozens of", (12, 12, None)),
    ("scores", (20, 20, None)),
    ("hundreds", (100, 100, None)),
    ("no casualties", (0, 0, 0)),
    ("none", (0, 0, 0)),
    ("over 25 militia fighters", (26, 26, None)),
    ("At Least 25", (25, 25, None)),
]


@pytest.mark.parametrize(("phrase", "expected"), RULES)
def test_parse_count_follows_each_documented_rule(phrase, expected):
    """Every rule in parse_count's docstring gives its stated (low, best, high)."""
    assert tuple(parse_count(phrase)) == expected


@pytest.mark.parametrize(
    "phrase", ["many", "a lot of people", "", "   ", "twenty-two hundred and six", "30-25", "nearly 0", "fewer than 1"]
)
def test_parse_count_refuses_what_it_cannot_read(phrase):
    """Unreadable or impossible phrases raise ValueError quoting the text instead of guessing."""
    with pytest.raises(ValueError, match="count|range|zero|positive"):
        parse_count(phrase)


def test_parse_count_error_quotes_the_text():
    """The error message repeats the phrase so the bad cell can be found."""
    with pytest.raises(ValueError, match="'lots'"):
        parse_count("lots")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_count_on_any_text_returns_an_ordered_range_or_raises_valueerror(text):
    """On arbitrary text the parser returns low <= best <= high, or raises ValueError; nothing else escapes."""
    try:
        c = parse_count(text)
    except ValueError:
        return
    assert isinstance(c, Count)
    assert 0 <= c.low <= c.best
    assert c.high is None or c.best <= c.high


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["", "at least ", "over ", "about ", "nearly ", "up to "]))
def test_parse_count_orders_every_qualified_number(n, prefix):
    """Any number with any supported qualifier yields an ordered range (or a clear refusal for zero)."""
    try:
        c = parse_count(f"{prefix}{n}")
    except ValueError:
        assert n == 0 and prefix in ("nearly ", "up to ")
        return
    assert c.low <= c.best and (c.high is None or c.best <= c.high)


def test_number_words_cover_units_and_tens():
    """Number words from zero to ninety-nine are read."""
    assert number_value("zero") == 0
    assert number_value("nineteen") == 19
    assert number_value("ninety-nine") == 99
    assert number_value("1,500") == 1500


@pytest.mark.parametrize(
    ("spelling", "actor_id"),
    [
        ("Kataib Hezbollah", "kh"),
        ("Kata'ib Hizballah", "kh"),
        ("KATA’IB HEZBOLLAH", "kh"),
        ("Kataeb Hezbollah", "kh"),
        ("KH", "kh"),
        ("Hashd al-Shaabi", "pmu"),
        ("Popular Mobilization Forces", "pmu"),
        ("Abu Mahdi al-Mohandes", "muhandis"),
        ("Qassim Suleimani", "soleimani"),
        ("Pentagon", "us_dod"),
    ],
)
def test_normalize_actor_maps_spellings_to_one_id(spelling, actor_id, tables):
    """Case, apostrophes, 'al-' and transliteration variants map to the same actor."""
    assert normalize_actor(spelling, tables.actors) == actor_id


def test_normalize_actor_suggests_close_names_for_unknown_ones(tables):
    """An unknown name raises ValueError naming the closest known spellings."""
    with pytest.raises(ValueError, match="closest known spellings: .*kataib hezbollah"):
        normalize_actor("Kataib Hezbolla Brigade", tables.actors)


def test_normalize_actor_rejects_an_alias_shared_by_two_actors():
    """Two actors claiming one spelling is an error in the table, reported by name."""
    actors = pd.DataFrame({"actor_id": ["a", "b"], "name": ["Alpha", "Beta"], "aliases": ["Same", "same"]})
    with pytest.raises(ValueError, match="belongs to both"):
        normalize_actor("Alpha", actors)


def test_name_key_folds_accents_and_apostrophes():
    """Accents, curly apostrophes and the article 'al-' do not matter."""
    assert name_key("Al-Qaïm") == name_key("qaim") == name_key("Qa’im")


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2019-12-27", date(2019, 12, 27), date(2019, 12, 27), "day"),
        ("27 December 2019", date(2019, 12, 27), date(2019, 12, 27), "day"),
        ("December 27, 2019", date(2019, 12, 27), date(2019, 12, 27), "day"),
        ("2019-11", date(2019, 11, 1), date(2019, 11, 30), "month"),
        ("Nov. 2019", date(2019, 11, 1), date(2019, 11, 30), "month"),
        ("February 2020", date(2020, 2, 1), date(2020, 2, 29), "month"),
        ("2019", date(2019, 1, 1), date(2019, 12, 31), "year"),
        ("27-29 October 2019", date(2019, 10, 27), date(2019, 10, 29), "range"),
        ("2019-12-31/2020-01-01", date(2019, 12, 31), date(2020, 1, 1), "range"),
        ("31 December 2019 - 1 January 2020", date(2019, 12, 31), date(2020, 1, 1), "range"),
    ],
)
def test_parse_date_returns_start_end_and_precision(text, start, end, precision):
    """Dates of every precision give their first day, last day and precision."""
    assert tuple(parse_date(text)) == (start, end, precision)


@pytest.mark.parametrize("text", ["2019-02-30", "Smarch 2019", "", "2020-01-05/2020-01-01", "soon"])
def test_parse_date_refuses_impossible_or_unknown_dates(text):
    """Impossible dates, unknown months and backwards ranges raise ValueError."""
    with pytest.raises(ValueError):
        parse_date(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_date_on_any_text_returns_an_ordered_span_or_raises_valueerror(text):
    """On arbitrary text the date parser returns start <= end, or raises ValueError."""
    try:
        span = parse_date(text)
    except ValueError:
        return
    assert span.start <= span.end


#: Characters that exercise every branch of the folding and hygiene rules, mixed with any others.
TRICKY_TEXT = st.text(
    alphabet=st.sampled_from(list("ab '`\t\n\r\x1c\x7f\u00a0\u2009\u2019\u02bc\u200f\ufeffe\u0301")) | st.characters(),
    max_size=12,
)


def _fold_in_full(text: str) -> str:
    """fold_text as its docstring defines it, with no quick path for ASCII."""
    import re
    import unicodedata

    from helpers.clean import APOSTROPHES

    s = unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Cf"))
    s = re.sub("[" + APOSTROPHES + "]", "'", s)
    return re.sub(r"\s+", " ", s).strip()


@settings(max_examples=300)
@given(TRICKY_TEXT)
def test_fold_text_quick_path_gives_the_full_fold(text):
    """The ASCII quick path of fold_text never gives another result than the full definition."""
    from helpers.clean import fold_text

    assert fold_text(text) == _fold_in_full(text)


@settings(max_examples=300)
@given(TRICKY_TEXT, st.booleans())
def test_text_hygiene_quick_path_reports_what_the_full_checks_report(text, key_column):
    """The quick path of the text-hygiene rule reports exactly what every check run in full reports."""
    import unicodedata

    from helpers.clean import APOSTROPHES
    from helpers.rules import _text_problems

    full = []
    if text != text.strip():
        full.append("leading or trailing white space")
    if "  " in text:
        full.append("doubled space")
    if any(c in text for c in "\u00a0\u2007\u202f\u2009\u200a\u3000"):
        full.append("non-breaking or other special space")
    if any(c in text for c in "\t\r\n"):
        full.append("tab or line break inside the cell")
    if any(unicodedata.category(c) == "Cf" for c in text):
        full.append("invisible format character (e.g. a right-to-left mark)")
    if unicodedata.normalize("NFC", text) != text:
        full.append("not in Unicode NFC form")
    if key_column and any(c in text for c in APOSTROPHES):
        full.append("curly or modifier apostrophe in a grouping column (use ')")
    assert _text_problems(text, key_column) == full


@settings(max_examples=80, deadline=None)
@given(
    phrase=st.sampled_from(sorted(VAGUE) + ["less than a handful", "fewer than a handful"]),
    tail=st.sampled_from(["", " wounded", " of the troops", ", officials said", " service members were lightly wounded"]),
    case=st.sampled_from([str.lower, str.upper, str.title]),
)
def test_a_vague_word_is_read_as_parse_count_reads_it(phrase, tail, case):
    """Every phrase vague_word names is one parse_count reads by its word rule (VAGUE, or 1-4 for 'less than a handful')."""
    text = case(phrase) + tail
    word = vague_word(text)
    assert word is not None
    expected = Count(1, 1, 4) if "handful" in word and "than" in word else Count(*VAGUE[word])
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    "text", ["25", "four troops", "a dozen", "at least 25", "up to 19", "about 30", "a police officer", "severally", ""]
)
def test_a_count_with_a_number_is_not_vague(text):
    """A numeral, a number word, 'a dozen' or a qualified number is not a vague word."""
    assert vague_word(text) is None
