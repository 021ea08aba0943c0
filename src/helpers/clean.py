"""Cleaning: reporters' count phrases, actor spellings and imprecise dates.

Every function raises ValueError quoting the text it cannot read; none guesses.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # for annotations only
    import pandas as pd

# ---------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
#: Magnitude words: a number followed by them is multiplied ("fifteen thousand", "1.5 million").
_MAGNITUDES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_BASE = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|a dozen|dozen|a hundred|one hundred|"
    r"(?:"
    + "|".join(_TENS)
    + r")(?:[- ](?:"
    + "|".join(k for k in _UNITS if 0 < _UNITS[k] < 10)
    + r"))?|"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")"
)
_MAGNITUDE = r"(?:[\s-]+(?:" + "|".join(_MAGNITUDES) + r"))"
_NUMBER = _BASE + _MAGNITUDE + "*"
#: Vague quantities: (low, best, high); high None = no upper bound.
VAGUE = {
    "a couple of": (2, 2, 2),
    "a few": (2, 2, 5),
    "a handful of": (3, 3, 5),
    "a handful": (3, 3, 5),
    "several": (3, 3, 9),
    "tens of": (10, 10, None),
    "tens": (10, 10, None),
    "dozens of": (12, 12, None),
    "dozens": (12, 12, None),
    "scores of": (20, 20, None),
    "scores": (20, 20, None),
    "hundreds of": (100, 100, None),
    "hundreds": (100, 100, None),
    "thousands of": (1_000, 1_000, None),
    "thousands": (1_000, 1_000, None),
    "tens of thousands of": (10_000, 10_000, None),
    "tens of thousands": (10_000, 10_000, None),
    "hundreds of thousands of": (100_000, 100_000, None),
    "hundreds of thousands": (100_000, 100_000, None),
    "millions of": (1_000_000, 1_000_000, None),
    "millions": (1_000_000, 1_000_000, None),
}
_NONE = re.compile(r"^(?:no casualties|no one|nobody|none|no deaths|no injuries|no fatalities|zero)\b")
# The count phrase may be followed by words ("over 25 fighters"), but not by a magnitude or a
# decimal part that would change the number ("twenty-two hundred", "1.5 million").
_NUMBER_WORDS = "|".join(list(_UNITS) + list(_TENS))
_TAIL = (
    r"(?:$|(?!\.\d)(?![\s-]*(?:hundred|thousand|million|billion|dozen|percent|%))"
    r"(?![\s-]+(?:\d|(?:" + _NUMBER_WORDS + r")\b))"
    # a second number joined by or / and / to ("13 or 14", "two hundred and six") is not ignored
    r"(?![\s,]+(?:or|and|to)[\s-]+(?:\d|a dozen|a hundred|(?:" + _NUMBER_WORDS + r")\b))"
    r"[\s,.;:!)-].*)"
)


class Count(NamedTuple):
    """A count with its uncertainty: low <= best <= high; high None when unbounded.

    >>> Count(25, 25, None).high is None
    True
    """

    low: int
    best: int
    high: int | None


def _magnitude_factor(text: str) -> int:
    """Return the product of the magnitude words at the end of a number phrase (1 when there are none)."""
    factor = 1
    for word in re.findall(r"[a-z]+", text.lower()):
        factor *= _MAGNITUDES.get(word, 1)
    return factor


def number_value(text: str) -> int:
    """Return the integer a numeral or number word stands for ('25', 'thirty-one', 'a dozen', '1.5 million').

    Magnitude words (hundred, thousand, million, billion) multiply the number before them. A
    value that is not a whole number ("1.5") raises ValueError quoting the text.

    >>> number_value("thirty-one"), number_value("fifteen thousand"), number_value("1.5 million")
    (31, 15000, 1500000)
    """
    word = re.sub(r"\s+", " ", text.strip().lower())
    m = re.fullmatch(r"(.+?)((?:[\s-]+(?:" + "|".join(_MAGNITUDES) + r"))*)", word)
    base, mags = (m[1], m[2]) if m else (word, "")
    if base in ("a hundred", "one hundred") and not mags:
        return 100
    if base in ("a hundred", "one hundred"):
        return 100 * _magnitude_factor(mags)
    factor = _magnitude_factor(mags)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", base):
        return int(base.replace(",", "")) * factor
    if re.fullmatch(r"\d+\.\d+", base):
        value = float(base) * factor
        if mags and value.is_integer():
            return int(value)
        raise ValueError(f"not a whole number: {text!r}")
    if base in ("a dozen", "dozen"):
        return 12 * factor
    if base in _UNITS:
        return _UNITS[base] * factor
    parts = re.split(r"[- ]", base)
    if parts[0] in _TENS and (len(parts) == 1 or (len(parts) == 2 and parts[1] in _UNITS and 0 < _UNITS[parts[1]] < 10)):
        return (_TENS[parts[0]] + (_UNITS[parts[1]] if len(parts) == 2 else 0)) * factor
    raise ValueError(f"not a number: {text!r}")


def parse_count(text: str) -> Count:
    """Read a reporter's count phrase as (low, best, high), conservatively.

    Rules, in the spirit of ACLED's and UCDP's coding of vague reports (the best
    estimate is the most conservative reading; high is None where the phrase sets
    no upper bound):

    - a number, digits or words ("25", "thirty-one", "a dozen"), or a toll that
      "has risen to n": (n, n, n)
    - "at least n", "n or more", "n+": (n, n, None)
    - "over n", "more than n", "upwards of n": (n+1, n+1, None)
    - "about n", "some n", "around n", "approximately n", "roughly n",
      "an estimated n", "n or so": (floor(0.9 n), n, ceil(1.1 n))
    - "nearly n", "almost n": (min(floor(0.9 n), n-1), n-1, n-1)
    - "n-m", "n to m", "between n and m", "n or m": (n, n, m); a magnitude after the
      second number covers the first ("ten to fifteen thousand": (10000, 10000, 15000))
    - magnitude words multiply ("fifteen thousand" 15000, "1.5 million" 1500000)
    - "fewer than n", "less than n", "under n": (1, 1, n-1): a report of fewer
      than n casualties is read as reporting some
    - "fewer than a handful", "less than a handful": (1, 1, 4)
    - "up to n", "upward to n", "as many as n": (1, n, n): reporters use it for the count reached so far,
      so n is the best reading, but nothing rules out fewer
    - "a couple of" (2, 2, 2); "a few" (2, 2, 5); "a handful" (3, 3, 5);
      "several" (3, 3, 9)
    - plural round numbers take one unit, as ACLED codes them ("tens" 10,
      "dozens" 12, "hundreds" 100, "thousands" 1000, "tens of thousands" 10000,
      "hundreds of thousands" 100000, "millions" 1000000), with no upper bound;
      "scores" 20 likewise
    - "no casualties", "none", "no one", "zero": (0, 0, 0)

    Words after the phrase are ignored ("over 25 fighters"), but not a second number joined
    by "or", "and" or "to", nor a magnitude or decimal part. Anything else raises ValueError
    quoting the text: never a wrong number.

    >>> parse_count("over 25")
    Count(low=26, best=26, high=None)
    >>> parse_count("between 25 and 30")
    Count(low=25, best=25, high=30)
    """
    if not isinstance(text, str):
        raise ValueError(f"count phrase must be text, got {text!r}")
    s = re.sub(r"\s+", " ", text.strip().lower())
    if not s:
        raise ValueError(f"cannot read a count from {text!r}")
    if _NONE.match(s):
        return Count(0, 0, 0)
    n = _NUMBER
    patterns = [
        (rf"^between ({n}) and ({n}){_TAIL}", "range"),
        (rf"^({n}) to ({n}){_TAIL}", "range"),
        (rf"^({n}) or ({n}){_TAIL}", "range"),
        (rf"^(\d+) ?[-–] ?(\d+){_TAIL}", "range"),
        (rf"^at least ({n}){_TAIL}", "at_least"),
        (rf"^({n}) or more{_TAIL}", "at_least"),
        (rf"^({n}) ?\+{_TAIL}", "at_least"),
        (rf"^(?:over|more than|upwards of) ({n}){_TAIL}", "over"),
        (rf"^(?:about|some|around|approximately|roughly|an estimated|estimated) ({n}){_TAIL}", "about"),
        (rf"^({n}) or so{_TAIL}", "about"),
        (rf"^(?:nearly|almost) ({n}){_TAIL}", "nearly"),
        (rf"^(?:fewer than|less than|under) ({n}){_TAIL}", "fewer"),
        (rf"^(?:fewer|less) than a handful{_TAIL}", "fewer_handful"),
        (rf"^(?:up to|upwards? to|as many as) ({n}){_TAIL}", "up_to"),
        (rf"^(?:has |had )?(?:risen|rose) to ({n}){_TAIL}", "exact"),
        (rf"^({n}){_TAIL}", "exact"),
    ]
    for pattern, rule in patterns:
        m = re.match(pattern, s)
        if not m:
            continue
        if rule == "fewer_handful":
            return Count(1, 1, 4)
        groups = [g for g in m.groups() if g is not None]
        values = [number_value(g) for g in groups]
        a = values[0]
        if rule == "range":
            b = values[1]
            if _magnitude_factor(groups[1]) > 1 and _magnitude_factor(groups[0]) == 1:
                a *= _magnitude_factor(groups[1])  # "ten to fifteen thousand": the magnitude covers both
            if b < a:
                raise ValueError(f"range runs backwards in {text!r}")
            return Count(a, a, b)
        if rule == "at_least":
            return Count(a, a, None)
        if rule == "over":
            return Count(a + 1, a + 1, None)
        if rule == "about":
            return Count(9 * a // 10, a, -(-11 * a // 10))
        if rule == "nearly":
            if a == 0:
                raise ValueError(f"'nearly zero' is not a count: {text!r}")
            return Count(min(9 * a // 10, a - 1), a - 1, a - 1)
        if rule == "fewer":
            if a < 2:
                raise ValueError(f"'fewer than {a}' leaves no positive count: {text!r}")
            return Count(1, 1, a - 1)
        if rule == "up_to":
            if a < 1:
                raise ValueError(f"'up to 0' is not a count: {text!r}")
            return Count(1, a, a)
        return Count(a, a, a)
    for phrase in sorted(VAGUE, key=len, reverse=True):
        if re.match(rf"^{re.escape(phrase)}{_TAIL}", s):
            return Count(*VAGUE[phrase])
    raise ValueError(f"cannot read a count from {text!r}")


def vague_word(text: str) -> str | None:
    """Return the vague quantity word a count phrase gives instead of a number, or None when it gives a number.

    Vague words are the phrases of ``VAGUE`` ("several", "a handful", "dozens of", ...) and "less
    than a handful", at the start of the phrase and followed by anything. :func:`parse_count`
    reads such a word as the smallest amount it can mean, a convention rather than a reported
    figure; :func:`helpers.casualties.reconcile` therefore lets it widen a range but not set a
    best estimate while another claim gives a number. Text that is not a string gives None.

    >>> vague_word("several U.S. service members"), vague_word("four U.S. service members")
    ('several', None)
    """
    return _vague_word(text) if isinstance(text, str) else None


@lru_cache(maxsize=4096)
def _vague_word(text: str) -> str | None:
    """:func:`vague_word` for a string, remembered: reconciliation asks it for every claim, many times per render."""
    s = re.sub(r"\s+", " ", text.strip().lower())
    handful = re.match(rf"^((?:fewer|less) than a handful){_TAIL}", s)
    if handful:
        return handful.group(1)
    for phrase in sorted(VAGUE, key=len, reverse=True):
        if re.match(rf"^{re.escape(phrase)}{_TAIL}", s):
            return phrase
    return None


# ---------------------------------------------------------------------------
# Actor names
# ---------------------------------------------------------------------------

#: Transliteration variants folded to one spelling before matching.
_VARIANTS = [
    (r"\bhizb[ao]llah\b|\bhizbullah\b|\bhezbolla\b|\bhizballah\b", "hezbollah"),
    (r"\bkata[e]?i?b\b|\bkataeb\b|\bkatayib\b", "kataib"),
    (r"\bmohandes\b|\bmohandis\b|\bmuhandes\b", "muhandis"),
    (r"\bsulaimani\b|\bsuleimani\b|\bsoleymani\b|\bsulaymani\b", "soleimani"),
    (r"\bqass?em\b|\bqasim\b|\bghasem\b", "qasem"),
    (r"\bshaabi\b|\bsha bi\b|\bshabi\b", "shaabi"),
]


#: Apostrophe-like marks folded to one: modifier letters used in transliteration (U+02BC,
#: U+02BB, U+02BE ayn/hamza half rings, U+02BF), curly quotes (U+2018, U+2019), grave (U+0060)
#: and acute (U+00B4) accents typed as apostrophes, and the prime (U+2032).
APOSTROPHES = "\u02bc\u02bb\u02be\u02bf\u2018\u2019\u0060\u00b4\u2032"
_APOSTROPHE_RE = re.compile("[" + APOSTROPHES + "]")


def _drop_format_characters(text: str) -> str:
    """Remove Unicode format characters (category Cf: right-to-left marks, zero-width joiners, BOMs)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def fold_text(text):
    """Fold invisible differences in a text cell: the form used for grouping and comparing.

    NFC Unicode form; format characters (Cf) dropped; every apostrophe-like mark (see
    ``APOSTROPHES``) made a straight apostrophe; non-breaking and other spaces made plain
    spaces, runs of white space collapsed, and the ends stripped. Case is kept. Missing values
    (None, NaN, pd.NA) are returned unchanged.

    >>> fold_text(" Kata\u2019ib\u00a0 Hezbollah\u200f ")
    "Kata'ib Hezbollah"
    """
    if not isinstance(text, str):
        return text
    if text.isascii() and "`" not in text:  # then no format character, non-NFC form, apostrophe-like mark or special space
        return " ".join(text.split())
    s = unicodedata.normalize("NFC", _drop_format_characters(text))
    s = _APOSTROPHE_RE.sub("'", s)
    return re.sub(r"\s+", " ", s).strip()


def name_key(name: str) -> str:
    """Fold a name for matching: case, accents, apostrophe-like marks, format characters, hyphens, 'al-', variants.

    >>> name_key("Kata'ib Hizballah") == name_key("Kata\u02beib Hezbollah") == name_key("Kataib Hezbollah")
    True
    """
    s = re.sub("[" + APOSTROPHES + "']", "", _drop_format_characters(str(name)))  # before NFKD splits U+00B4
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[-_./,()]", " ", s)
    s = re.sub(r"\b(?:al|el|the)\s+", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    for pattern, repl in _VARIANTS:
        s = re.sub(pattern, repl, s)
    return s


def actor_index(actors: pd.DataFrame) -> dict[str, str]:
    """Map the folded form of every actor id, name and alias to its actor_id.

    >>> from helpers import load
    >>> actor_index(load().actors)["pentagon"]
    'us_dod'
    """
    missing = [c for c in ("actor_id", "name", "aliases") if c not in actors.columns]
    if missing:
        raise ValueError(f"actors frame lacks column(s) {missing}")
    index: dict[str, str] = {}
    for row in actors.itertuples(index=False):
        aliases = row.aliases if isinstance(row.aliases, str) else ""
        spellings = [row.actor_id, row.name] + [a for a in aliases.split(";") if a]
        for spelling in spellings:
            key = name_key(spelling)
            if key and index.setdefault(key, row.actor_id) != row.actor_id:
                raise ValueError(f"spelling {spelling!r} belongs to both {index[key]!r} and {row.actor_id!r}")
    return index


def normalize_actor(name: str, actors: pd.DataFrame | None = None) -> str:
    """Return the actor_id for any spelling listed in actors.csv; unknown names raise ValueError.

    >>> normalize_actor("Kata'ib Hizballah")
    'kh'
    """
    if actors is None:
        from helpers import load

        actors = load().actors
    index = actor_index(actors)
    key = name_key(name)
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    hint = ", ".join(f"{c!r} ({index[c]})" for c in close) or "none"
    raise ValueError(f"unknown actor name {name!r}; closest known spellings: {hint}")


# ---------------------------------------------------------------------------
# Dates with precision
# ---------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})


class DateSpan(NamedTuple):
    """A date known to some precision: the first and last day it may be, and the precision.

    >>> parse_date("2019-11").precision
    'month'
    """

    start: date
    end: date
    precision: str  # day, month, year or range


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str) -> DateSpan:
    """Parse a date of any precision into (start, end, precision).

    Accepts ISO forms ("2019-12-27", "2019-12", "2019"), written forms
    ("27 December 2019", "December 27, 2019", "December 2019", "Dec. 2019") and
    ranges ("2019-12-31/2020-01-01", "31 December 2019 - 1 January 2020",
    "27-29 December 2019").

    >>> parse_date("December 2019")
    DateSpan(start=datetime.date(2019, 12, 1), end=datetime.date(2019, 12, 31), precision='month')
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"cannot read a date from {text!r}")
    s = re.sub(r"\s+", " ", text.strip()).replace("–", "-").replace("—", "-")
    try:
        # Range with an explicit separator between two full dates.
        for sep in ("/", " - ", " to "):
            if sep in s:
                a, b = (parse_date(part) for part in s.split(sep, 1))
                if b.end < a.start:
                    raise ValueError(f"date range runs backwards in {text!r}")
                return DateSpan(a.start, b.end, "range")
        m = re.fullmatch(r"(\d{1,2})-(\d{1,2}) ([A-Za-z]+)\.? (\d{4})", s)
        if m:
            d1, d2, mon, year = int(m[1]), int(m[2]), _MONTHS[m[3].lower()], int(m[4])
            a, b = date(year, mon, d1), date(year, mon, d2)
            if b < a:
                raise ValueError(f"date range runs backwards in {text!r}")
            return DateSpan(a, b, "range")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            d = date.fromisoformat(s)
            return DateSpan(d, d, "day")
        m = re.fullmatch(r"(\d{4})-(\d{2})", s)
        if m:
            y, mo = int(m[1]), int(m[2])
            return DateSpan(date(y, mo, 1), _month_end(y, mo), "month")
        if re.fullmatch(r"\d{4}", s):
            y = int(s)
            return DateSpan(date(y, 1, 1), date(y, 12, 31), "year")
        m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+)\.? (\d{4})", s)
        if m:
            d = date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
            return DateSpan(d, d, "day")
        m = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})", s)
        if m:
            d = date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
            return DateSpan(d, d, "day")
        m = re.fullmatch(r"([A-Za-z]+)\.? (\d{4})", s)
        if m:
            y, mo = int(m[2]), _MONTHS[m[1].lower()]
            return DateSpan(date(y, mo, 1), _month_end(y, mo), "month")
    except (KeyError, ValueError) as exc:
        if isinstance(exc, ValueError) and str(text) in str(exc):
            raise
        raise ValueError(f"cannot read a date from {text!r}: {exc}") from None
    raise ValueError(f"cannot read a date from {text!r}")
