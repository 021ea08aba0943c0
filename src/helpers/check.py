"""Check a news report against the data: find its checkable claims and say whether the data agrees.

``check_article(text, published)`` splits a plain-text report into sentences, finds the claims
a reader could check (counts, dates, clock times, places, actors and attributed quotes), links
each to the rows of the data it is about and gives a verdict:

- ``consistent``: the data's rows allow the value (a count inside [min low, max high] of the
  claims for that event, group and outcome; a date on the event's day; a clock time, converted
  to UTC, within an hour of the event's instant; a quote found word for word);
- ``differs``: a row is about the same thing and holds another value (the note says which and
  who claims it);
- ``ambiguous``: several rows fit and the text does not say which (the note lists them);
- ``not_in_data``: no row holds the fact (``matches`` may still list the event or speaker the
  claim is about, when the data holds it but not this figure or these words).

The checker reads words, not meaning. It never says consistent on a guess: when it cannot tell
which event a claim is about it says ambiguous. A report that is itself a source of the data
(found by its headline, or named with ``source_id``) is not allowed to confirm itself: its own
recorded claims and quotes are listed but not counted as support.

>>> rows = check_article("Rockets hit K-1 air base on 27 December 2019.", published="2019-12-28")
>>> rows[["kind", "span", "verdict"]].to_dict("records")[:2]
[{'kind': 'place', 'span': 'K-1 air base', 'verdict': 'consistent'}, {'kind': 'date', 'span': '27 December 2019', 'verdict': 'consistent'}]
"""

from __future__ import annotations

import argparse
import calendar
import difflib
import json
import math
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from helpers import clean, paths

#: Columns of the frame check_article returns, in order.
COLUMNS = ["sentence", "span", "kind", "value", "matches", "verdict", "note"]
#: Verdicts, from agreement to absence.
VERDICTS = ("consistent", "differs", "ambiguous", "not_in_data")
#: Kinds of claim.
KINDS = ("count", "date", "time", "place", "actor", "quote")

# ---------------------------------------------------------------------------
# Text preparation
# ---------------------------------------------------------------------------

# One character for one character, so that offsets in the folded text are offsets in the input.
_FOLD_CHARS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201b": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "cdr", "adm", "maj", "st", "no",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "jr", "sr", "vs", "etc", "inc", "co", "corp", "rep", "sen", "gov", "pres", "approx",
}  # fmt: skip


@dataclass
class _Sentence:
    number: int
    start: int
    text: str  # folded text of the sentence (same length as the original slice)
    raw: str  # the original words


def _check_text(text: Any) -> str:
    if isinstance(text, bytes):
        raise ValueError("text must be str, not bytes; decode it first (see read_article)")
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    if "\x00" in text:
        raise ValueError("text looks binary (it contains NUL bytes); give a plain-text article")
    if not text.strip():
        raise ValueError("text is empty: nothing to check")
    return text


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split plain text into sentences; return (start offset, sentence) pairs, in order.

    Lines are split first (a headline or caption is a sentence of its own), then at '.', '!' or
    '?' followed by a capital, outside double quotes and not after an abbreviation ("U.S.",
    "Dec.", "Gen."). Raises ValueError on empty or binary text.

    >>> [s for _, s in split_sentences('He said "Go. Now." Then he left.\\nA headline')]
    ['He said "Go. Now."', 'Then he left.', 'A headline']
    """
    text = _check_text(text)
    folded = text.translate(_FOLD_CHARS)
    out: list[tuple[int, str]] = []
    for line in re.finditer(r"[^\n]+", folded):
        seg_start = line.start()
        s = line.group()
        in_quote = False
        i = 0
        cut = 0
        while i < len(s):
            ch = s[i]
            if ch == '"':
                in_quote = not in_quote
            elif ch in ".!?":
                j = i + 1
                state = in_quote
                while j < len(s) and s[j] in "\"')]":
                    if s[j] == '"':
                        state = not state
                    j += 1
                m = re.match(r"\s+(?=[\"'(]?[A-Z0-9])", s[j:])
                word = re.search(r"([A-Za-z]+)$", s[cut:i])
                abbrev = ch == "." and word is not None and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS)
                if m and not state and not abbrev:
                    piece = s[cut:j]
                    if piece.strip():
                        lead = len(piece) - len(piece.lstrip())
                        out.append((seg_start + cut + lead, text[seg_start + cut + lead : seg_start + j].rstrip()))
                    in_quote = False
                    cut = j + m.end()
                    i = cut
                    continue
                in_quote = state
                i = j
                continue
            i += 1
        piece = s[cut:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((seg_start + cut + lead, text[seg_start + cut + lead : seg_start + len(s)].rstrip()))
    return out


def read_article(path: str | Path) -> str:
    """Read a plain-text article from a file, or from standard input when path is '-'.

    Accepts UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark.
    Raises ValueError for a missing or unreadable file, binary content (NUL bytes) or an
    encoding that cannot be read, and for an empty file.
    """
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        p = Path(path)
        if not p.is_file():
            raise ValueError(f"no such file: {path}")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read {path}: {exc.strerror}") from None
        name = str(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"cannot decode {name} as UTF-16: {exc.reason} at byte {exc.start}") from None
    else:
        if b"\x00" in data:
            raise ValueError(f"{name} looks binary (it contains NUL bytes); give a plain-text article")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(f"cannot decode {name} as UTF-8 ({exc.reason} at byte {exc.start}); convert it to UTF-8 first") from None
    return _check_text(text)


def _parse_published(published: Any) -> date | None:
    """Return the publication date as a date, None when not given; ValueError when unreadable."""
    if published is None or (isinstance(published, str) and not published.strip()):
        return None
    if isinstance(published, pd.Timestamp):
        if pd.isna(published):
            return None
        return published.date()
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if isinstance(published, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published.strip()):
        try:
            return date.fromisoformat(published.strip())
        except ValueError:
            pass
    raise ValueError(f"cannot read the publication date {published!r}; give it as YYYY-MM-DD")


# ---------------------------------------------------------------------------
# Indexes built from the tables
# ---------------------------------------------------------------------------

_STOP = set(
    "a an the of and or in on at to for by with from as is was were be been has have had that this these those "
    "it its their his her he she they them we our you your i not but also than then there which who whom what "
    "said says say told after before into over about more most some any all no".split()
)
_SITE_SUFFIXES = r"\s+(?:air base|airbase|air field|airfield|base|international airport|airport|oil field|oil processing facility)$"
_GENERIC_SPEAKER = set(
    "the of and us u s one unnamed anonymous statement office senior official officials government "
    "minister ministry spokesman spokesperson department readout via senior state foreign defence defense secretary "
    "prime president chief deputy head commander former executive director general iraqi iranian israeli islamic "
    "revolutionary guard corp popular mobilization force forces call source military".split()
)


def _tokens(text: str) -> list[str]:
    """Fold text into content-free-of-punctuation lower-case tokens, lightly singularised."""
    s = clean.name_key(text)
    s = s.replace("american", "us").replace("america", "us")
    out = []
    for tok in re.findall(r"[a-z0-9]+", s):
        if len(tok) > 3 and tok.endswith("ies"):
            tok = tok[:-3] + "y"
        elif len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
            tok = tok[:-1]
        out.append(tok)
    return out


def _fold_quote(text: str) -> str:
    s = str(text).translate(_FOLD_CHARS).lower()
    s = s.replace("&", " and ").replace("[", "").replace("]", "")
    s = re.sub(r"\.\.\.|…", " ", s)
    s = re.sub(r"[^\w\s']", " ", s)
    s = s.replace("'", "")
    return re.sub(r"\s+", " ", s).strip()


@dataclass
class _Index:
    tables: Any
    published: date | None
    source_id: str | None
    events: pd.DataFrame
    group_of: dict[str, str]
    members: dict[str, list[str]]
    actor_keys: dict[str, str]
    actor_spellings: dict[str, set[str]]
    ancestors: dict[str, set[str]]
    site_keys: dict[str, str]
    site_spellings: dict[str, set[str]]
    site_xy: dict[str, tuple[float, float]]
    site_country: dict[str, str]
    reactions: pd.DataFrame
    casualties: pd.DataFrame
    munitions: pd.DataFrame | None
    tallies: pd.DataFrame | None
    max_n: int = 6
    names: dict[str, str] = field(default_factory=dict)
    actor_country: dict[str, str] = field(default_factory=dict)


def _str(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else str(value)


def _day(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = _str(value)
    return date.fromisoformat(s[:10]) if s else None


def _build_index(tables: Any, published: date | None, source_id: str | None) -> _Index:
    for name in ("events", "casualties", "reactions", "actors", "sites"):
        if getattr(tables, name, None) is None:
            raise ValueError(f"tables object lacks the {name!r} table")
    events = tables.events.copy()
    events["day"] = events["date"].map(_day)
    events["day_end"] = [(_day(e) or d) for e, d in zip(events["date_end"], events["day"], strict=True)]
    if published is not None:
        events = events[events["day"] <= published]
    events = events.reset_index(drop=True)
    group_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    keys: dict[tuple, str] = {}
    for row in events.itertuples(index=False):
        site = "" if _str(row.event_type) in ("airstrike", "drone_strike", "missile_strike") else _str(row.site_id)
        key = (row.day, _str(row.event_type), _str(row.actor_id), _str(row.target_actor_id), _str(row.responds_to), site)
        rep = keys.setdefault(key, row.event_id)
        group_of[row.event_id] = rep
        members.setdefault(rep, []).append(row.event_id)

    actors = tables.actors
    actor_keys = dict(clean.actor_index(actors))
    actor_keys.pop("unknown", None)
    actor_keys.pop("unidentified", None)
    spellings: dict[str, set[str]] = {}
    parent = {}
    names = {}
    for row in actors.itertuples(index=False):
        parent[row.actor_id] = _str(row.parent_id)
        names[row.actor_id] = _str(row.name)
        for sp in [_str(row.name)] + [a for a in _str(row.aliases).split(";") if a]:
            spellings.setdefault(clean.name_key(sp), set()).add(sp)
    ancestors: dict[str, set[str]] = {}
    for aid in parent:
        seen, cur = set(), parent[aid]
        while cur and cur not in seen:
            seen.add(cur)
            cur = parent.get(cur, "")
        ancestors[aid] = seen

    site_keys: dict[str, str] = {}
    site_spell: dict[str, set[str]] = {}
    xy, country = {}, {}
    for row in tables.sites.itertuples(index=False):
        xy[row.site_id] = (float(row.lat), float(row.lon))
        country[row.site_id] = _str(row.country)
        sps = [_str(row.name)] + [a for a in _str(row.aliases).split(";") if a]
        for sp in sps:
            for variant in (sp, re.sub(r"\s*\(.*?\)\s*", " ", sp).strip(), re.sub(_SITE_SUFFIXES, "", sp, flags=re.I)):
                k = clean.name_key(variant)
                if k and k not in actor_keys:
                    site_keys.setdefault(k, row.site_id)
                    site_spell.setdefault(k, set()).add(variant)
    reactions = tables.reactions.copy()
    reactions["day"] = reactions["date"].map(_day)
    if published is not None:
        reactions = reactions[reactions["day"] <= published]
    reactions = reactions.reset_index(drop=True)
    reactions["qfold"] = reactions["quote"].map(lambda q: _fold_quote(_str(q)))
    casualties = tables.casualties.copy()
    casualties = casualties[casualties["event_id"].isin(set(events["event_id"]))].reset_index(drop=True)
    return _Index(
        tables=tables,
        published=published,
        source_id=source_id,
        events=events,
        group_of=group_of,
        members=members,
        actor_keys=actor_keys,
        actor_spellings=spellings,
        ancestors=ancestors,
        site_keys=site_keys,
        site_spellings=site_spell,
        site_xy=xy,
        site_country=country,
        reactions=reactions,
        casualties=casualties,
        munitions=getattr(tables, "munitions", None),
        tallies=getattr(tables, "tallies", None),
        names=names,
        actor_country={r.actor_id: _str(r.country) for r in actors.itertuples(index=False) if _str(r.kind) == "state"},
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def detect_source(text: str, tables: Any) -> str | None:
    """Return the source_id whose title is the first line of the text, or None.

    A report whose headline is a title in sources.csv is taken to be that source, so that its
    own recorded claims cannot confirm it.
    """
    first = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    key = _fold_quote(first)
    if len(key) < 12:
        return None
    hits = [r.source_id for r in tables.sources.itertuples(index=False) if _fold_quote(_str(r.title)) == key]
    return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------------------
# Mentions found in a sentence
# ---------------------------------------------------------------------------


@dataclass
class _Mention:
    kind: str  # type, site, actor, date
    start: int
    end: int
    value: Any
    weight: float = 1.0


_TYPE_WORDS = [
    (r"\bair ?strikes?\b|\bair raids?\b|\bbomb(?:ed|ing|ings)\b|\bf-15", {"airstrike": 2.0}),
    (r"\bstrikes?\b|\bstruck\b|\bstriking\b", {"airstrike": 1.5, "drone_strike": 1.0, "missile_strike": 1.0}),
    (r"\brockets?\b|\bbarrage\b|\bkatyushas?\b|\bmortars?\b", {"rocket_attack": 2.0}),
    (r"\bdrones?\b", {"drone_strike": 1.5, "shootdown": 1.0}),
    (r"\bmissiles?\b|\bballistic\b", {"missile_strike": 2.0, "shootdown": 0.5}),
    (r"\bshot down\b|\bshoot-?down\b|\bdown(?:ed|ing)\b", {"shootdown": 2.0}),
    (r"\bembassy\b", {"embassy_assault": 1.0}),
    (r"\bstorm(?:ed|ing)?\b|\bbreach(?:ed)?\b|\bsiege\b", {"embassy_assault": 1.5}),
    (r"\bprotest(?:s|ers|ed|ing)?\b|\bdemonstrat\w+\b|\bburn(?:ed|ing|t)? (?:a |the )?(?:us |u\.s\. )?flag", {"protest": 2.0}),
    (r"\bdeploy\w*\b|\breinforce\w*\b|\bsen[dt] (?:\w+ ){0,3}troops\b|\bmoved (?:\w+ ){0,2}troops\b", {"deployment": 2.0}),
    (r"\bfuneral\b|\bprocession\b|\bmourners\b|\bburial\b|\bstampede\b", {"funeral": 2.0}),
    (r"\bresolution\b|\bapproved\b|\bauthori[sz]ed\b", {"political_decision": 1.5}),
    (r"\bcalled\b|\bphoned\b|\bcall\b", {"other": 1.0}),
    (r"\battacks?\b|\battacked\b", {"rocket_attack": 0.5, "drone_strike": 0.5, "missile_strike": 0.5}),
]

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_DATE_RES = [
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<m>{_MONTH})\.?(?:,? (?P<y>(?:19|20)\d\d))?\b", re.I),
    re.compile(rf"\b(?P<m>{_MONTH})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<y>(?:19|20)\d\d))?", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>\d\d)-(?P<d>\d\d)\b"),
]
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAY_RE = re.compile(
    r"\b(?:(?:on|last|late|early|this) )?(?P<w>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?: (?:night|morning|evening|afternoon))?",  # noqa: E501
    re.I,
)
_REL_RE = re.compile(r"\b(?P<w>yesterday|today|tonight)\b", re.I)
_ZONES = {
    "est": ("fixed", -5.0),
    "edt": ("fixed", -4.0),
    "et": ("tz", "America/New_York"),
    "eastern time": ("tz", "America/New_York"),
    "us eastern time": ("tz", "America/New_York"),
    "washington time": ("tz", "America/New_York"),
    "gmt": ("fixed", 0.0),
    "utc": ("fixed", 0.0),
    "z": ("fixed", 0.0),
    "local time": ("local", None),
    "local": ("local", None),
    "baghdad time": ("fixed", 3.0),
    "iraq time": ("fixed", 3.0),
    "tehran time": ("fixed", 3.5),
    "iran time": ("fixed", 3.5),
}
_TIME_RE = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?\s*"
    r"(?:\(\s*)?(?P<z>US Eastern time|Eastern time|Washington time|Baghdad time|Iraq time|Tehran time|Iran time|local time|EST|EDT|ET|GMT|UTC|Z|local)\b\)?",  # noqa: E501
)
_TIME_OF_DAY_MARK = re.compile(r"\b(?P<h>1[0-2]|0?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?!\w)", re.I)


def _token_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'\-.]*", text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in ".-'":
            e -= 1
        if text[s:e].endswith("'s") and e - s > 2:
            e -= 2
        if e > s:
            spans.append((s, e))
    return spans


def _name_mentions(sent: str, idx: _Index) -> list[_Mention]:
    toks = _token_spans(sent)
    out: list[_Mention] = []
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(idx.max_n, len(toks) - i), 0, -1):
            s, e = toks[i][0], toks[i + n - 1][1]
            span = sent[s:e]
            if not any(ch.isupper() for ch in span) and not re.match(r"[a-z]+-[A-Z]", span):
                continue
            key = clean.name_key(span)
            if not key:
                continue
            found = []
            for kind, keys, spell in (("actor", idx.actor_keys, idx.actor_spellings), ("site", idx.site_keys, idx.site_spellings)):
                if key in keys:
                    if (
                        len(key.replace(" ", "")) <= 3
                        and span not in spell.get(key, set())
                        and span.replace(".", "") not in {x.replace(".", "") for x in spell.get(key, set())}
                    ):
                        continue
                    if len(key.replace(" ", "")) <= 3 and not span.replace(".", "").isupper() and span not in spell.get(key, set()):
                        continue
                    found.append(_Mention(kind, s, e, keys[key]))
            if found:
                hit = (n, found)
                break
        if hit:
            out.extend(hit[1])
            i += hit[0]
        else:
            i += 1
    return out


def _type_mentions(sent: str) -> list[_Mention]:
    low = sent.lower()
    out = []
    for pattern, types in _TYPE_WORDS:
        for m in re.finditer(pattern, low):
            out.append(_Mention("type", m.start(), m.end(), types))
    return out


def _year_for(month: int, day: int, idx: _Index, text_years: list[int]) -> int | None:
    if idx.published is not None:
        y = idx.published.year
        try:
            return y if date(y, month, day) <= idx.published + timedelta(days=1) else y - 1
        except ValueError:
            return None
    if text_years:
        return max(set(text_years), key=text_years.count)
    years = {d.year for d in idx.events["day"] if d.month == month and d.day == day}
    return years.pop() if len(years) == 1 else None


def _date_claims(sent: str, idx: _Index, text_years: list[int]) -> list[tuple[int, int, date | None, str]]:
    """Return (start, end, date or None, note) for absolute, weekday and relative dates."""
    out: list[tuple[int, int, date | None, str]] = []
    taken: list[tuple[int, int]] = []
    for rx in _DATE_RES:
        for m in rx.finditer(sent):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            gd = m.groupdict()
            try:
                month = (
                    int(gd["mn"])
                    if gd.get("mn")
                    else clean._MONTHS[gd["m"].lower().rstrip(".")[:3] if gd["m"].lower()[:4] != "sept" else "sep"]
                )
                day = int(gd["d"])
                # "may" is also a verb: only take it with a day number next to it and a capital M.
                if gd.get("m") and gd["m"].lower() == "may" and not gd["m"][0].isupper():
                    continue
                year = int(gd["y"]) if gd.get("y") else _year_for(month, day, idx, text_years)
                value = date(year, month, day) if year else None
            except (KeyError, ValueError, TypeError):
                continue
            note = (
                ""
                if gd.get("y") or value is None
                else f"year {value.year} taken from the publication date"
                if idx.published
                else f"year {value.year} inferred"
            )
            out.append((m.start(), m.end(), value, note))
            taken.append((m.start(), m.end()))
    for m in _WEEKDAY_RE.finditer(sent):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        wd = _WEEKDAYS[m.group("w").lower()]
        if idx.published is None:
            out.append((m.start(), m.end(), None, "a weekday needs the publication date to be resolved"))
        else:
            back = (idx.published.weekday() - wd) % 7
            out.append(
                (
                    m.start(),
                    m.end(),
                    idx.published - timedelta(days=back),
                    f"the {m.group('w').capitalize()} on or before publication ({idx.published.isoformat()})",
                )
            )
        taken.append((m.start(), m.end()))
    for m in _REL_RE.finditer(sent):
        w = m.group("w").lower()
        if idx.published is None:
            out.append((m.start(), m.end(), None, f"'{w}' needs the publication date to be resolved"))
        else:
            d = idx.published - timedelta(days=1) if w == "yesterday" else idx.published
            out.append((m.start(), m.end(), d, f"'{w}' counted from publication ({idx.published.isoformat()})"))
    return sorted(out)


# ---------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------

_N = clean._NUMBER
_QUAL = r"(?:at least|more than|over|upwards of|about|some|around|approximately|roughly|an estimated|nearly|almost|fewer than|less than|under|up to)"  # noqa: E501
_COUNT_RE = re.compile(
    rf"(?<![\w\-.:/])(?:(?:between\s+)?{_N}\s+(?:and|to)\s+{_N}(?![\w\-])|\d+\s*[-–]\s*\d+(?![\w\-])|(?:{_QUAL}\s+)?{_N}(?:\s*\+|\s+or more)?(?![\w\-])"  # noqa: E501
    r"|a couple of|a few|a handful of|several|tens of|dozens of|dozens|scores of|hundreds of|hundreds)(?![\w\-])",
    re.I,
)
_UNIT_AFTER = re.compile(
    r"^\s*(?:-?\s*mm\b|millimet|cm\b|km\b|kilomet|miles?\b|metres?\b|meters?\b|m\b|%|percent|per cent|minutes?\b|hours?\b|"
    r"days?\b|weeks?\b|months?\b|years?\b|a\.?m\b|p\.?m\b|[:.]\d|th\b|st\b|nd\b|rd\b|-year|-day|-hour)",
    re.I,
)
_PERSON = r"people|persons?|fighters?|militiamen|militants?|members?|troops|soldiers?|servicemen|personnel|civilians?|contractors?|americans|iraqis|iranians|policemen|police(?:men)?|officers?|others|mourners|protesters|demonstrators|passengers|guards|commanders?|marines|staff|men|women|children|more|casualties|dead|martyrs"  # noqa: E501
_NOUNS = [
    ("rockets", r"rockets?|katyushas?|mortar(?: rounds| shells)?s?|shells"),
    ("missiles", r"(?:ballistic |cruise )?missiles?"),
    ("drones", r"drones?"),
    ("attacks", r"attacks?|times|incidents"),
    ("targets", r"targets?|locations?|sites?|facilities|positions|depots|bases"),
    ("persons", _PERSON),
]
_KILL_BEFORE = re.compile(
    r"(?:\b(?P<k>killed|killing|kills|kill|left dead)|\b(?P<w>wounded|wounding|injured|injuring|injures|wounds))\s+$", re.I
)
_KILL_AFTER = re.compile(
    r"^\s*(?:(?:were|was|had been|have been|are|reportedly|also|have|had)\s+)*(?:(?P<k>killed|dead|died|lost their lives|martyred)|(?P<w>wounded|injured|hurt))\b",  # noqa: E501
    re.I,
)


@dataclass
class _Count:
    start: int
    end: int
    phrase: str
    count: clean.Count
    measure: str  # killed, wounded, rockets, missiles, drones, attacks, targets, troops
    noun_start: int
    noun_end: int
    country: str | None = None


def _count_claims(sent: str, dates: list[tuple[int, int, Any, str]]) -> list[_Count]:
    out: list[_Count] = []
    low = sent.lower()
    date_spans = [(a, b) for a, b, _, _ in dates]
    for m in _COUNT_RE.finditer(sent):
        s, e = m.start(), m.end()
        phrase = sent[s:e]
        if any(a <= s < b or a < e <= b for a, b in date_spans):
            continue
        if _UNIT_AFTER.match(sent[e:]):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", phrase.strip()):
            continue
        if re.search(rf"\b{_MONTH}\.?\s*$", low[:s]) or re.match(rf"\s*{_MONTH}\b", low[e:]):
            continue
        try:
            value = clean.parse_count(phrase)
        except ValueError:
            continue
        rest = sent[e:]
        noun = None
        m_of = re.match(r"\s+(?:more\s+|other\s+|of\s+(?:the\s+)?)?", rest)
        skip = m_of.end() if m_of else 0
        words = list(re.finditer(r"[A-Za-z][A-Za-z'\-.]*", rest[skip : skip + 60]))
        for k, w in enumerate(words[:4]):
            if k and re.search(r"[,;:()]", rest[skip + words[k - 1].end() : skip + w.start()]):
                break
            wl = w.group().lower().rstrip(".")
            for measure, pattern in _NOUNS:
                mm = re.match(rf"(?:{pattern})\b", rest[skip + w.start() :].lower())
                if mm:
                    noun = (measure, skip + w.start(), skip + w.start() + mm.end())
                    break
            if noun or wl in ("in", "were", "was", "have", "had", "to", "from", "by", "at", "on"):
                break
        if noun is None:
            if re.match(r"\s+more\s+(?:were\s+)?(?:wounded|injured|killed|dead)", rest, re.I):
                noun = ("persons", 1, 1 + len(rest) - len(rest.lstrip()[4:].lstrip()) - 1)
            else:
                continue
        measure, ns, ne = noun
        ns, ne = e + ns, e + ne
        if measure == "persons":
            before = _KILL_BEFORE.search(sent[max(0, s - 30) : s])
            after = _KILL_AFTER.match(sent[ne : ne + 40])
            hit = before or after
            if hit:
                measure = "killed" if hit.group("k") else "wounded"
            elif re.match(r"troops|soldiers?|personnel|marines|servicemen|members", sent[ns:ne], re.I):
                measure = "troops"
            else:
                continue
        if measure == "attacks" and sent[ns:ne].lower() == "times" and not re.search(r"\battack", low):
            continue
        country = None
        mc = re.match(r"\s+(?:were\s+|was\s+)?(?:in|inside)\s+(Iraq|Syria|Iran)\b", sent[ne:])
        if mc:
            country = {"iraq": "IRQ", "syria": "SYR", "iran": "IRN"}[mc.group(1).lower()]
        out.append(_Count(s, e, phrase, value, measure, ns, ne, country))
        if measure == "targets":
            for ma in re.finditer(rf"\band\s+({_N})\s+(?:were\s+)?in\s+(Iraq|Syria|Iran)\b", sent[ne:], re.I):
                try:
                    v2 = clean.parse_count(ma.group(1))
                except ValueError:
                    continue
                c2 = {"iraq": "IRQ", "syria": "SYR", "iran": "IRN"}[ma.group(2).lower()]
                a = ne + ma.start(1)
                out.append(_Count(a, ne + ma.end(1), ma.group(1), v2, "targets", a, ne + ma.end(), c2))
    # "killing a US civilian contractor": a singular casualty.
    for m in re.finditer(r"\b(?:killed|killing|wounded|wounding|injured|injuring)\s+(an?|one)\s+", sent, re.I):
        tail = sent[m.end() : m.end() + 50]
        mn = re.match(
            r"(?:[A-Za-z.'\-]+\s+){0,3}(contractor|soldier|civilian|officer|member|policeman|fighter|commander|service member|American|Iraqi|person)\b",  # noqa: E501
            tail,
        )
        if not mn:
            continue
        if any(c.start <= m.start(1) < c.end for c in out):
            continue
        verb = m.group().split()[0].lower()
        out.append(
            _Count(
                m.start(1),
                m.end(1),
                m.group(1),
                clean.Count(1, 1, 1),
                "killed" if verb.startswith("kill") else "wounded",
                m.end(),
                m.end() + mn.end(),
            )
        )
    return sorted(out, key=lambda c: c.start)


# ---------------------------------------------------------------------------
# Linking to events
# ---------------------------------------------------------------------------


@dataclass
class _Ctx:
    idx: _Index
    sent: str
    mentions: list[_Mention]
    date_values: list[tuple[int, int, date | None, str]]
    summary_bonus: dict[str, float]


def _event_support(ctx: _Ctx, row, m: _Mention) -> float:
    idx = ctx.idx
    if m.kind == "type":
        return m.value.get(_str(row.event_type), 0.0)
    if m.kind == "site":
        best = 0.0
        for sid in (_str(row.site_id), _str(row.origin_site_id)):
            if not sid:
                continue
            if sid == m.value:
                best = max(best, 3.0)
            elif sid in idx.site_xy and m.value in idx.site_xy and _km(idx.site_xy[sid], idx.site_xy[m.value]) <= 30:
                best = max(best, 2.5)
        return best
    if m.kind == "actor":
        best = 0.0
        for aid in (_str(row.actor_id), _str(row.target_actor_id)):
            if not aid:
                continue
            if aid == m.value:
                best = max(best, 1.0)
            elif m.value in idx.ancestors.get(aid, set()):
                best = max(best, 0.5)
        return best
    if m.kind == "country":
        where = _str(row.country) or idx.site_country.get(_str(row.site_id), "")
        return 1.0 if where == m.value else 0.0
    if m.kind == "date":
        d = m.value
        return 3.0 if d is not None and row.day <= d <= row.day_end else 0.0
    return 0.0


def _score_events(
    ctx: _Ctx,
    pos: int | None,
    *,
    exclude: tuple[int, int] | None = None,
    types: set[str] | None = None,
    use_dates: bool = True,
    use_sites: bool = True,
) -> dict[str, float]:
    """Score event groups for a claim at pos (None: whole sentence)."""
    scores: dict[str, float] = {}
    strong: dict[str, bool] = {}
    mentions = [
        m
        for m in ctx.mentions
        if (exclude is None or not (m.start < exclude[1] and exclude[0] < m.end)) and (use_sites or m.kind not in ("site", "country"))
    ]
    if use_dates:
        mentions += [
            _Mention("date", a, b, d)
            for a, b, d, _ in ctx.date_values
            if d is not None and (exclude is None or not (a < exclude[1] and exclude[0] < b))
        ]
    for row in ctx.idx.events.itertuples(index=False):
        if types is not None and _str(row.event_type) not in types:
            continue
        total = 0.0
        st = False
        for m in mentions:
            v = _event_support(ctx, row, m)
            if not v:
                continue
            if pos is not None:
                dist = min(abs(pos - m.start), abs(pos - m.end))
                v *= 1.0 if dist <= 60 else 0.7 if dist <= 150 else 0.4
            total += v
            if m.kind in ("type", "site", "date", "country") and v >= 1.0:
                st = True
        total += ctx.summary_bonus.get(row.event_id, 0.0)
        g = ctx.idx.group_of[row.event_id]
        if total > scores.get(g, 0.0):
            scores[g] = total
            strong[g] = st or strong.get(g, False)
        elif st:
            strong[g] = True
    return {g: s for g, s in scores.items() if s >= 2.0 and strong.get(g)}


def _summary_bonus(sent: str, idx: _Index) -> dict[str, float]:
    words = {t for t in _tokens(sent) if t not in _STOP and len(t) > 3}
    out = {}
    for row in idx.events.itertuples(index=False):
        st = {t for t in _tokens(_str(row.summary)) if t not in _STOP and len(t) > 3}
        shared = len(words & st)
        if shared >= 3:
            out[row.event_id] = min(2.0, 0.4 * shared)
    return out


def _pick(scores: dict[str, float], margin: float = 0.75) -> tuple[str | None, list[str]]:
    """Return (best group, []) when one stands out, else (None, the tied groups)."""
    if not scores:
        return None, []
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= margin:
        return ranked[0][0], []
    top = ranked[0][1]
    return None, [g for g, s in ranked if top - s < margin]


def _ev(idx: _Index, group: str) -> list[str]:
    return [f"events:{e}" for e in idx.members.get(group, [group])]


def _event_row(idx: _Index, event_id: str):
    return idx.events[idx.events["event_id"] == event_id].iloc[0]


def _event_instant(row) -> datetime | None:
    t, off = _str(row["time_local"]), _str(row["utc_offset"])
    if not t or not off:
        return None
    sign = -1 if off.startswith("-") else 1
    oh, om = int(off[1:3]), int(off[4:6])
    tz = timezone(sign * timedelta(hours=oh, minutes=om))
    local = datetime.combine(row["day"], datetime.strptime(t, "%H:%M").time(), tzinfo=tz)
    return local.astimezone(UTC)


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


def _fmt_count(c) -> str:
    return f"{c.low}/{c.best}/{'' if c.high is None else c.high}"


def _claims_note(rows: pd.DataFrame, limit: int = 5) -> str:
    parts = []
    for r in rows.head(limit).itertuples(index=False):
        parts.append(f"{r.claim_id} '{_str(r.as_reported)}' ({_str(r.claimant)}, {_str(r.source_id)})")
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return "; ".join(parts) + more


def _range(lows, bests, highs) -> tuple[int, int]:
    """The span the claims allow: the lowest low, up to the highest figure any claim states.

    An open-ended claim ("more than 30") stretches the span only to its own figure (its best),
    as helpers.casualties.reconcile's high does: no claimant said 50, so 50 is not allowed.
    """
    lo = int(min(lows))
    hi = max(int(b) if pd.isna(h) else int(h) for b, h in zip(bests, highs, strict=True))
    return lo, hi


def _group_scores(phrase_tokens: set[str], claims: pd.DataFrame, idx: _Index) -> dict[str, float]:
    nat = {"us", "iraqi", "iranian", "british", "israeli", "syrian"}
    syn = {
        "troop": {"service", "member", "personnel", "soldier", "troop", "force", "military"},
        "soldier": {"service", "member", "personnel", "troop"},
    }
    expanded = set(phrase_tokens)
    for t in phrase_tokens:
        expanded |= syn.get(t, set())
    out = {}
    for grp, rows in claims.groupby("group", sort=False):
        aid = _str(rows["actor_id"].iloc[0])
        gt = set(_tokens(grp)) - _STOP
        gt |= set(_tokens(idx.names.get(aid, ""))) - _STOP
        score = len(phrase_tokens & gt) + (1 if (expanded - phrase_tokens) & gt else 0) - 0.5 * len((phrase_tokens & nat) - gt)
        out[grp] = score
    return out


def _check_casualty(c: _Count, ctx: _Ctx, carry: str | None, sent_fold: str) -> tuple[list[str], str, str]:
    idx = ctx.idx
    outcome = c.measure
    with_claims = set(idx.group_of[e] for e in idx.casualties.loc[idx.casualties["outcome"] == outcome, "event_id"])
    scores = {g: s for g, s in _score_events(ctx, c.start).items() if g in with_claims}
    group, tied = _pick(scores)
    note_pre = ""
    if group is None and not tied:
        if carry and carry in with_claims:
            group, note_pre = carry, "event carried from the previous sentence; "
        else:
            return [], "not_in_data", f"no event in the data with {outcome} claims fits this sentence"
    if group is None:
        return [m for g in tied for m in _ev(idx, g)], "ambiguous", "several events fit: " + ", ".join(tied)
    ev_ids = idx.members[group]
    claims = idx.casualties[(idx.casualties["event_id"].isin(ev_ids)) & (idx.casualties["outcome"] == outcome)]
    noun = ctx.sent[c.noun_start : min(len(ctx.sent), c.noun_end + 25)]
    pre = ctx.sent[max(0, c.start - 40) : c.start]
    phrase_tokens = (set(_tokens(ctx.sent[c.start : c.noun_end])) | set(_tokens(noun.split(",")[0])) | set(_tokens(pre)[-2:])) - _STOP
    gscores = _group_scores(phrase_tokens, claims, idx)
    totals = {g for g in gscores if (claims.loc[claims["group"] == g, "scope"] == "total").any()}
    best = max(gscores.values())
    top = [g for g, s in gscores.items() if s == best]
    if len(top) > 1:
        top_total = [g for g in top if g in totals]
        top = top_total or top
    if len(top) > 1:
        top.sort(key=lambda g: -(claims["group"] == g).sum())
        if best <= 0:
            return _ev(idx, group), "ambiguous", note_pre + "the count fits several groups: " + "; ".join(top)
    grp = top[0]
    rows = claims[claims["group"] == grp]
    own = rows[rows["source_id"] == idx.source_id] if idx.source_id else rows.iloc[0:0]
    recorded = own[own["as_reported"].map(lambda a: _fold_quote(_str(a)) in sent_fold).astype(bool)]
    others = rows.drop(own.index)
    matches = _ev(idx, group) + [f"casualties:{x}" for x in recorded["claim_id"]] + [f"casualties:{x}" for x in others["claim_id"]]
    rec_note = f"recorded from this report as {', '.join(recorded['claim_id'])}; " if len(recorded) else ""
    if others.empty:
        return matches, "not_in_data", note_pre + rec_note + f"no other claim of {outcome} {grp} for {group}"
    lo, hi = _range(others["low"], others["best"], others["high"])
    rng = f"[{lo}, {'open' if hi == math.inf else hi}]"
    head = f"{note_pre}{rec_note}{outcome} {grp} at {group}: the data's {len(others)} claim(s) allow {rng}"
    if lo <= c.count.best <= hi:
        return matches, "consistent", head
    close = others.assign(d=(others["best"].astype(float) - c.count.best).abs()).sort_values("d")
    return matches, "differs", head + "; " + _claims_note(close)


def _numbers_in(text: str, noun: str) -> list[clean.Count]:
    out = []
    for m in re.finditer(rf"({_COUNT_RE.pattern})\s+(?:[A-Za-z\-]+\s+){{0,2}}?(?:{noun})", text, re.I):
        try:
            out.append(clean.parse_count(m.group(1)))
        except ValueError:
            pass
    return out


def _check_munition(c: _Count, ctx: _Ctx, carry: str | None) -> tuple[list[str], str, str]:
    idx = ctx.idx
    types = {
        "rockets": {"rocket_attack"},
        "missiles": {"missile_strike", "shootdown", "drone_strike"},
        "drones": {"drone_strike", "shootdown"},
    }[c.measure]
    scores = _score_events(ctx, c.start, types=types)
    group, tied = _pick(scores)
    if group is None and tied:
        return [m for g in tied for m in _ev(idx, g)], "ambiguous", "several events fit: " + ", ".join(tied)
    if group is None:
        if carry and _str(_event_row(idx, carry)["event_type"]) in types:
            group = carry
        else:
            return [], "not_in_data", f"no {c.measure[:-1]} event in the data fits this sentence"
    matches = _ev(idx, group)
    stem = c.measure[:-1]
    mun = idx.munitions
    if mun is not None and len(mun):
        text_cols = [col for col in ("weapon", "calibre_or_type", "measure") if col in mun.columns]
        cells = mun[text_cols].astype(object).where(mun[text_cols].notna(), "").astype(str)
        hay = cells.agg(" ".join, axis=1).str.lower() if text_cols else pd.Series("", index=mun.index)
        rows = mun[mun["event_id"].isin(idx.members[group]) & hay.str.contains(stem)]
        if idx.source_id and "source_id" in rows.columns:
            rows = rows[rows["source_id"] != idx.source_id]
        if len(rows):
            lo, hi = _range(rows["low"], rows["best"], rows["high"])
            matches += [f"munitions:{x}" for x in rows["claim_id"]]
            note = f"{c.measure} at {group}: the data's {len(rows)} claim(s) allow [{lo}, {'open' if hi == math.inf else hi}]"
            if lo <= c.count.best <= hi:
                return matches, "consistent", note
            return (
                matches,
                "differs",
                note
                + "; "
                + "; ".join(f"{r.claim_id} '{_str(r.as_reported)}' ({_str(r.claimant)})" for r in rows.head(5).itertuples(index=False)),
            )
    found = []
    for eid in idx.members[group]:
        r = _event_row(idx, eid)
        found += _numbers_in(_str(r["summary"]), stem + "s?")
    if found:
        ok = [f for f in found if f.low <= c.count.best <= (f.high if f.high is not None else math.inf)]
        if ok:
            return matches, "consistent", f"the summary of {group} gives {', '.join(_fmt_count(f) for f in found)} {c.measure}"
        return matches, "differs", f"the summary of {group} gives {', '.join(_fmt_count(f) for f in found)} {c.measure}"
    return matches, "not_in_data", f"the data holds no count of {c.measure} for {group}"


def _check_targets(c: _Count, ctx: _Ctx, carry: str | None) -> tuple[list[str], str, str]:
    idx = ctx.idx
    types = {"airstrike", "drone_strike", "missile_strike"}
    group, tied = _pick(_score_events(ctx, c.start, types=types))
    note_pre = ""
    if group is None and tied:
        return [m for g in tied for m in _ev(idx, g)], "ambiguous", "several events fit: " + ", ".join(tied)
    if group is None:
        if carry and _str(_event_row(idx, carry)["event_type"]) in types:
            group, note_pre = carry, "event carried from the previous sentence; "
        else:
            return [], "not_in_data", "no strike in the data fits this sentence"
    ids = idx.members[group]
    if c.country:
        rows = idx.events[idx.events["event_id"].isin(ids)]
        ids = [
            r.event_id for r in rows.itertuples(index=False) if (_str(r.country) or idx.site_country.get(_str(r.site_id), "")) == c.country
        ]
    n = len(ids)
    where = f" in {c.country}" if c.country else ""
    matches = _ev(idx, group)
    note = f"{note_pre}the data holds {n} target row(s){where} for the strikes of {group}"
    hi = c.count.high if c.count.high is not None else math.inf
    if n and c.count.low <= n <= hi and (c.count.best == n or c.count.high is not None):
        return matches, "consistent", note
    if n == 0:
        return matches, "not_in_data", note
    return matches, "differs", note


def _check_troops(c: _Count, ctx: _Ctx) -> tuple[list[str], str, str]:
    idx = ctx.idx
    deps = idx.events[idx.events["event_type"] == "deployment"]
    hits, seen = [], []
    for r in deps.itertuples(index=False):
        texts = [("events", r.event_id, _str(r.summary))]
        rx = idx.reactions[idx.reactions["responds_to"].astype(str) == r.event_id]
        texts += [("reactions", x.reaction_id, _str(x.quote)) for x in rx.itertuples(index=False)]
        for table, rid, txt in texts:
            for m in _COUNT_RE.finditer(txt):
                if not re.search(r"\d", m.group()) or len(re.sub(r"\D", "", m.group())) < 3:
                    continue
                try:
                    f = clean.parse_count(m.group())
                except ValueError:
                    continue
                seen.append((r.event_id, table, rid, f))
                if f.low <= c.count.best <= (f.high if f.high is not None else math.inf):
                    hits.append((r.event_id, table, rid, f))
    if not hits:
        return [], "not_in_data", "no deployment row in the data gives this number of troops"
    groups = sorted({idx.group_of[h[0]] for h in hits})
    matches = [f"events:{h[0]}" for h in hits] + [f"{h[1]}:{h[2]}" for h in hits if h[1] == "reactions"]
    matches = list(dict.fromkeys(matches))
    if len(groups) > 1:
        return matches, "ambiguous", "the number fits several deployments: " + ", ".join(groups)
    return matches, "consistent", "; ".join(f"{t}:{rid} gives {_fmt_count(f)}" for _, t, rid, f in hits)


def _check_attacks(c: _Count, ctx: _Ctx) -> tuple[list[str], str, str]:
    tal = ctx.idx.tallies
    if tal is None or not len(tal):
        return [], "not_in_data", "the data holds no tally of attacks (only dated events)"
    fits = []
    for r in tal.itertuples(index=False):
        lo = getattr(r, "count_low", None)
        hi = getattr(r, "count_high", None)
        best = getattr(r, "count_best", None)
        lo = best if pd.isna(lo) else lo
        hi = math.inf if hi is None or pd.isna(hi) else hi
        if lo is not None and not pd.isna(lo) and lo <= c.count.best <= hi:
            fits.append(r)
    if not fits:
        return [], "not_in_data", f"no tally in the data allows {c.count.best}"
    return (
        [f"tallies:{r.tally_id}" for r in fits],
        "consistent",
        "tallies allowing this count: " + ", ".join(f"{r.tally_id} ({_str(getattr(r, 'claimant', ''))})" for r in fits),
    )


def _zone_offset(zone: str, when: date, local_offset: str | None) -> tuple[timedelta | None, str]:
    kind, val = _ZONES[zone.lower()]
    if kind == "fixed":
        return timedelta(hours=val), zone
    if kind == "tz":
        off = datetime.combine(when, datetime.min.time().replace(hour=12), tzinfo=ZoneInfo(val)).utcoffset()
        return off, f"{zone} (UTC{'+' if off >= timedelta(0) else '-'}{abs(off) // timedelta(hours=1):02d}:00 on that day)"
    if local_offset:
        sign = -1 if local_offset.startswith("-") else 1
        return sign * timedelta(hours=int(local_offset[1:3]), minutes=int(local_offset[4:6])), f"local time (UTC{local_offset})"
    return None, "local time"


# ---------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------


def _quote_spans(sent: str) -> list[tuple[int, int]]:
    pos = [i for i, ch in enumerate(sent) if ch == '"']
    return [(pos[k] + 1, pos[k + 1]) for k in range(0, len(pos) - 1, 2) if pos[k + 1] - pos[k] > 2]


_REPORTED = re.compile(
    r"\b(?:said|says|told|tweeted|wrote|added|noted|stated|warned|vowed|stressed|announced|demanded|urged|hoped|hopes|welcomed|welcomes)\b(?: on \w+)?(?: that| he| she| it)?\s",  # noqa: E501
    re.I,
)
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tweeted|wrote|added|noted|stated|described|called|warned|vowed|stressed|announced|"
    r"insisted|urged|according to|speaking)\b",
    re.I,
)


def _speaker_text(sent: str) -> str:
    """Return the words of a sentence that can name the speaker: the subject of its speech verbs."""
    blank = re.sub(r'"[^"]*"', lambda m: '"' + " " * (len(m.group()) - 2) + '"', sent)
    parts = []
    for v in _SPEECH.finditer(blank):
        if v.group().lower() == "according to":
            parts.append(blank[v.end() : v.end() + 80].split(",")[0])
            continue
        pre = blank[: v.start()]
        if re.search(r'"\s*,?\s*$', pre):
            parts.append(re.split(r'[."]', blank[v.end() : v.end() + 90])[0])
        q = pre.rfind('"')
        seg = pre[q + 1 :] if q >= 0 else pre
        parts.append(re.split(r"[;:]", seg[-110:])[-1])
    return " ".join(parts) if parts else blank.replace('"', " ")


def _speaker_scores(outside: str, idx: _Index, actors: set[str]) -> dict[int, float]:
    words = set(_tokens(outside))
    out = {}
    for i, r in enumerate(idx.reactions.itertuples(index=False)):
        sp = [t for t in _tokens(_str(r.speaker)) if t not in _GENERIC_SPEAKER]
        score = 0.0
        if sp:
            hit = sum(t in words for t in sp)
            if hit and (hit / len(sp) >= 0.5 or sp[-1] in words):
                score = 2.0 + hit / len(sp)
        every = _tokens(_str(r.speaker))
        if not score and len(every) >= 2 and not sp:
            hit = sum(t in words for t in every)
            if hit >= 2 and hit / len(every) >= 0.75:
                score = 1.5 + 0.5 * hit / len(every)
        aid = _str(r.actor_id)
        if aid in actors:
            score = max(score, 1.0)
        elif actors & idx.ancestors.get(aid, set()) or any(aid in idx.ancestors.get(a, set()) for a in actors):
            score = max(score, 0.7)
        if score:
            out[i] = score
    return out


def _related(idx: _Index, a: str, b: str) -> bool:
    """True when two actors are the same or one belongs to the other."""
    return a == b or a in idx.ancestors.get(b, set()) or b in idx.ancestors.get(a, set())


def _similarity(a: str, b: str) -> float:
    """Share of the content words of quote a found, in order, in quote b (0 to 1)."""

    def words(t: str) -> list[str]:
        return [{"american": "us", "america": "us", "u": "us"}.get(w, w) for w in t.split()]

    aw, bw = words(a), words(b)
    content = [w for w in aw if w not in _STOP]
    if len(content) < 2 or not bw:
        return 0.0
    sm = difflib.SequenceMatcher(None, aw, bw, autojunk=False)
    hit = sum(1 for blk in sm.get_matching_blocks() for w in aw[blk.a : blk.a + blk.size] if w not in _STOP)
    return hit / len(content)


def _check_quote(
    qtext: str, outside: str, idx: _Index, actors: set[str], prev_speakers: dict[int, float], full: str = ""
) -> tuple[list[str], str, str, dict[int, float]]:
    fq = _fold_quote(qtext)
    rx = idx.reactions
    speakers = direct = _speaker_scores(outside, idx, actors)
    pronoun = re.search(
        r"\b(?:he|she|they|the (?:source|official|spokesman|minister)) (?:said|added|noted|told|wrote|tweeted|stressed|warned)\b|\b(?:said|added) (?:he|she|the (?:source|official))\b",  # noqa: E501
        re.sub(r'"[^"]*"', " ", full or outside),
        re.I,
    )
    if not any(s >= 1.5 for s in speakers.values()) and pronoun and prev_speakers:
        speakers = {**prev_speakers, **speakers}
    words = fq.split()
    verbatim = []
    if len(words) >= 2:
        for i, r in enumerate(rx.itertuples(index=False)):
            q = r.qfold
            if (
                q
                and len(q.split()) >= 2
                and ((" " + fq + " ") in (" " + q + " ") or (len(q.split()) >= 4 and (" " + q + " ") in (" " + fq + " ")))
            ):
                verbatim.append(i)

    def rid(i):
        return f"reactions:{rx.iloc[i]['reaction_id']}"

    def own(i):
        r = rx.iloc[i]
        return bool(idx.source_id) and _str(r["source_id"]) == idx.source_id and not _str(r["other_source_ids"])

    def who(i):
        r = rx.iloc[i]
        return f"{_str(r['speaker'])} ({_str(r['actor_id'])}, {_day(r['day'])}, {_str(r['source_id'])})"

    if verbatim:
        named = [i for i in verbatim if speakers.get(i, 0) >= 1.0]
        pool = named or verbatim
        if len(pool) > 1:
            spk = {_str(rx.iloc[i]["speaker"]) for i in pool}
            if len(spk) > 1:
                return (
                    [rid(i) for i in pool],
                    "ambiguous",
                    "the words are held for several speakers: " + "; ".join(who(i) for i in pool),
                    speakers,
                )
        i = pool[0]
        matches = [rid(j) for j in pool]
        partial = "" if fq in rx.iloc[i]["qfold"] else "; the data holds part of these words"
        aid = _str(rx.iloc[i]["actor_id"])
        named_elsewhere = [j for j, sc in direct.items() if sc >= 2.0 and not _related(idx, aid, _str(rx.iloc[j]["actor_id"]))]
        if not named and named_elsewhere:
            return (
                matches,
                "differs",
                f"the data gives these words to {who(i)}, not to {_str(rx.iloc[named_elsewhere[0]]['speaker'])}",
                speakers,
            )
        if all(own(j) for j in pool):
            return (
                matches,
                "not_in_data",
                f"only this report's own words are recorded ({', '.join(matches)}); no other source holds them",
                speakers,
            )
        if len(words) < 3 and not named:
            return matches, "ambiguous", f"short phrase found for {who(i)} but the speaker is not named here", speakers
        return matches, "consistent", f"found word for word: {who(i)}{partial}", {i: 3.0}
    cands = sorted(speakers.items(), key=lambda kv: -kv[1])
    if not cands:
        return [], "not_in_data", "no statement in the data matches these words or this speaker", speakers
    top = cands[0][1]
    pool = [i for i, s in cands if s >= 0.7]
    sims = sorted(
        ((_similarity(fq, rx.iloc[i]["qfold"]), i) for i in pool if rx.iloc[i]["qfold"]),
        reverse=True,
    )
    if sims and sims[0][0] >= 0.6:
        s, i = sims[0]
        return [rid(i)], "differs", f"the data quotes {who(i)} as: '{_str(rx.iloc[i]['quote'])}' (similarity {s:.2f})", {i: 3.0}
    if top < 1.5:
        return [], "not_in_data", "no statement in the data carries these words", speakers
    pool = [i for i, s in cands if s >= top - 0.25]
    pool = sorted(pool, key=lambda i: -(rx.iloc[i]["day"].toordinal()))[:4]
    return (
        [rid(i) for i in pool],
        "not_in_data",
        "these words are not in the data; statements held for this speaker: " + "; ".join(who(i) for i in pool),
        speakers,
    )


# ---------------------------------------------------------------------------
# Main entry point
# ---------------------------------------------------------------------------


def check_article(text: str, published: Any = None, tables: Any = None, *, source_id: str | None = None) -> pd.DataFrame:
    """Find the checkable claims of a plain-text report and check each against the data.

    Parameters: ``text`` the report (str); ``published`` its publication date (``YYYY-MM-DD``
    string, date or None), used to resolve weekdays, 'yesterday' and years and to leave out
    rows dated after it; ``tables`` a helpers.Tables (default ``helpers.load()``), whose
    optional ``munitions`` and ``tallies`` tables are used when present; ``source_id`` the
    report's own source_id in sources.csv, whose claims may not confirm it (default: the
    source whose title is the report's first line, if any; its date is used when
    ``published`` is None).

    Returns one row per claim with the columns ``COLUMNS``: ``sentence`` (1-based), ``span``
    (the exact words of the text), ``kind`` (count, date, time, place, actor, quote),
    ``value`` (a count: dict measure/low/best/high, high None when open; a date: ISO date; a
    time: ISO instant in UTC; a place or actor: its id; a quote: the folded words), ``matches``
    (list of "table:id"), ``verdict`` (see ``VERDICTS``) and ``note``.

    Raises ValueError for empty or binary text and an unreadable ``published``.

    >>> r = check_article("Rockets killed a US civilian contractor at K1 on 27 December.", "2019-12-30")
    >>> r.loc[r.kind == "count", "verdict"].tolist()
    ['consistent']
    """
    text = _check_text(text)
    pub = _parse_published(published)
    if tables is None:
        from helpers import load

        tables = load()
    if source_id is None and getattr(tables, "sources", None) is not None:
        source_id = detect_source(text, tables)
        if source_id and pub is None:
            srow = tables.sources[tables.sources["source_id"] == source_id].iloc[0]
            pub = _day(srow["published"])
    idx = _build_index(tables, pub, source_id)
    rows: list[dict] = []
    sentences = split_sentences(text)
    text_years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
    carry: str | None = None
    prev_speakers: dict[int, float] = {}
    for number, (_start, raw) in enumerate(sentences, 1):
        sent = raw.translate(_FOLD_CHARS)
        sent_fold = _fold_quote(sent)
        names = _name_mentions(sent, idx)
        dates = _date_claims(sent, idx, text_years)
        quotes = _quote_spans(sent)
        in_quote = lambda a, b, _q=quotes: any(qa <= a and b <= qb for qa, qb in _q)  # noqa: E731
        countries = [
            _Mention("country", m.start, m.end, idx.actor_country[m.value])
            for m in names
            if m.kind == "actor"
            and idx.actor_country.get(m.value)
            and re.search(r"\b(?:in|inside)\s+$", sent[max(0, m.start - 8) : m.start])
        ]
        mentions = names + countries + _type_mentions(sent)
        ctx = _Ctx(idx, sent, mentions, dates, _summary_bonus(sent, idx))
        sentence_scores = _score_events(ctx, None)
        primary, _ = _pick(sentence_scores, margin=0.01)
        out: list[dict] = []

        def add(a, b, kind, value, matches, verdict, note, _out=out, _raw=raw, _n=number):
            _out.append(
                {
                    "sentence": _n,
                    "span": _raw[a:b],
                    "kind": kind,
                    "value": value,
                    "matches": list(dict.fromkeys(matches)),
                    "verdict": verdict,
                    "note": note,
                    "_pos": a,
                }
            )

        # Quotes first: their speakers anchor dates such as "said on Monday".
        quote_reactions: list[str] = []
        outside = _speaker_text(sent)
        actors_here = {m.value for m in _name_mentions(outside, idx) if m.kind == "actor"}
        for qa, qb in quotes:
            qtext = sent[qa:qb].strip().strip(",.")
            while qb > qa and sent[qb - 1] in " ,.;:":
                qb -= 1
            if len(qtext.split()) < 2:
                continue
            matches, verdict, note, spk = _check_quote(qtext, outside, idx, actors_here, prev_speakers, sent)
            if spk:
                prev_speakers = {k: v for k, v in spk.items() if v >= 1.5} or prev_speakers
            quote_reactions += [m for m in matches if m.startswith("reactions:")]
            # The events the quoted words speak of (named inside the quote) are linked too.
            inner = [x for x in ctx.mentions if qa <= x.start and x.end <= qb]
            if inner:
                qctx = _Ctx(idx, sent, inner, [], {})
                talked = sorted(_score_events(qctx, None).items(), key=lambda kv: -kv[1])[:3]
                matches = matches + [x for g, _ in talked for x in _ev(idx, g)]
                if talked:
                    note += "; the quote speaks of " + ", ".join(g for g, _ in talked)
            add(qa, qb, "quote", _fold_quote(qtext), matches, verdict, note)

        # Reported speech without quotation marks: the speaker can be linked, not the words.
        if not quotes:
            rs = _REPORTED.search(sent)
            if rs:
                speakers = {k: v for k, v in _speaker_scores(_speaker_text(sent), idx, set()).items() if v >= 1.5}
                day = next((d for da, db, d, _ in dates if d is not None and da > rs.start() - 40), None)
                if day is not None:
                    speakers = {k: v for k, v in speakers.items() if idx.reactions.iloc[k]["day"] == day} or speakers
                if speakers:
                    top = max(speakers.values())
                    pool = [k for k, v in speakers.items() if v >= top - 0.25]
                    if idx.published is not None:
                        pool = [k for k in pool if (idx.published - idx.reactions.iloc[k]["day"]).days <= 7] or pool
                    pool = sorted(pool, key=lambda k: -idx.reactions.iloc[k]["day"].toordinal())[:4]
                    rx = idx.reactions
                    held = "; ".join(
                        f"{rx.iloc[k]['reaction_id']} {_str(rx.iloc[k]['speaker'])} ({rx.iloc[k]['day']}, {_str(rx.iloc[k]['stance'])})"
                        for k in pool
                    )
                    a = rs.end()
                    add(
                        a,
                        len(sent.rstrip(". ")),
                        "quote",
                        _fold_quote(sent[a:]),
                        [f"reactions:{rx.iloc[k]['reaction_id']}" for k in pool],
                        "ambiguous",
                        "reported speech, not a quotation: the speaker's statements held are " + held + "; the words cannot be compared",
                    )

        # Counts.
        for c in _count_claims(sent, dates):
            if in_quote(c.start, c.end):
                continue
            value = {"measure": c.measure, "low": c.count.low, "best": c.count.best, "high": c.count.high}
            if c.measure in ("killed", "wounded"):
                matches, verdict, note = _check_casualty(c, ctx, carry, sent_fold)
            elif c.measure in ("rockets", "missiles", "drones"):
                matches, verdict, note = _check_munition(c, ctx, carry)
            elif c.measure == "targets":
                matches, verdict, note = _check_targets(c, ctx, carry)
            elif c.measure == "troops":
                matches, verdict, note = _check_troops(c, ctx)
            else:
                matches, verdict, note = _check_attacks(c, ctx)
            add(c.start, max(c.end, c.noun_end), "count", value, matches, verdict, note)

        # Clock times.
        times = []
        for m in _TIME_RE.finditer(sent):
            if in_quote(m.start(), m.end()):
                continue
            h = int(m.group("h"))
            mi = int(m.group("mi") or 0)
            ap = (m.group("ap") or "").lower().replace(".", "")
            if ap == "pm" and h < 12:
                h += 12
            if ap == "am" and h == 12:
                h = 0
            if not ap and not m.group("mi"):
                continue
            times.append((m.start(), m.end(), h, mi, m.group("z")))
        time_zone_names = [t[4] for t in times]

        # Dates.
        for a, b, d, dnote in dates:
            if in_quote(a, b):
                continue
            value = d.isoformat() if d else None
            if d is None:
                add(a, b, "date", None, [], "ambiguous", dnote)
                continue
            speech = re.search(
                r"\b(?:said|says|told|tweeted|stated|statement|announced|wrote)\b", sent[max(0, a - 40) : a], re.I
            ) or re.match(r"^\s*(?:,\s*)?(?:said|told|tweeted)", sent[b:])
            if quote_reactions and (speech or re.search(r"\bstatement\b", sent[max(0, a - 20) : a], re.I)):
                rid = quote_reactions[0].split(":", 1)[1]
                r = idx.reactions[idx.reactions["reaction_id"] == rid].iloc[0]
                rd, basis = r["day"], _str(r["date_basis"])
                note = f"{rid} is dated {rd.isoformat()} ({basis})" + (f"; {dnote}" if dnote else "")
                if rd == d:
                    add(a, b, "date", value, [quote_reactions[0]], "consistent", note)
                elif basis == "report" and d < rd:
                    add(
                        a,
                        b,
                        "date",
                        value,
                        [quote_reactions[0]],
                        "ambiguous",
                        note + "; the data knows only that it was made on or before that day",
                    )
                else:
                    add(a, b, "date", value, [quote_reactions[0]], "differs", note)
                continue
            scores = _score_events(ctx, a, exclude=(a, b), use_dates=False)
            if not scores and carry:
                scores = {carry: 2.0}
                dnote = ("event carried from the previous sentence; " + dnote).rstrip("; ")
            fit = [g for g in scores if _event_row(idx, g)["day"] <= d <= _event_row(idx, g)["day_end"]]
            zone_fit = []
            for g in scores:
                inst = _event_instant(_event_row(idx, g))
                for z in time_zone_names:
                    off, _ = _zone_offset(z, d, _str(_event_row(idx, g)["utc_offset"]))
                    if inst is not None and off is not None and (inst + off).date() == d:
                        zone_fit.append((g, z))
            if fit:
                ranked = sorted(fit, key=lambda g: -scores[g])
                g = ranked[0]
                note = f"{g} is dated {_event_row(idx, g)['day'].isoformat()}" + (f"; {dnote}" if dnote else "")
                if len(ranked) > 1 and scores[ranked[1]] >= scores[g] - 0.75:
                    add(
                        a,
                        b,
                        "date",
                        value,
                        [m for x in ranked for m in _ev(idx, x)],
                        "ambiguous",
                        "several events on this day fit: " + ", ".join(ranked),
                    )
                else:
                    add(a, b, "date", value, _ev(idx, g), "consistent", note)
            elif zone_fit:
                g, z = zone_fit[0]
                er = _event_row(idx, g)
                add(
                    a,
                    b,
                    "date",
                    value,
                    _ev(idx, g),
                    "consistent",
                    f"{g} happened on {er['day'].isoformat()} local time"
                    f" ({_str(er['time_local'])} UTC{_str(er['utc_offset'])}), which is {d.isoformat()} in {z}",
                )
            else:
                g, tied = _pick(scores)
                if g:
                    er = _event_row(idx, g)
                    add(
                        a,
                        b,
                        "date",
                        value,
                        _ev(idx, g),
                        "differs",
                        f"the data dates {g} to {er['day'].isoformat()}" + (f"; {dnote}" if dnote else ""),
                    )
                elif tied:
                    add(
                        a,
                        b,
                        "date",
                        value,
                        [m for x in tied for m in _ev(idx, x)],
                        "ambiguous",
                        "several events fit, none on this day: " + ", ".join(tied),
                    )
                else:
                    on_day = [e for e in idx.events.itertuples(index=False) if e.day <= d <= e.day_end]
                    add(
                        a,
                        b,
                        "date",
                        value,
                        [],
                        "not_in_data",
                        f"no event of this sentence identified; {len(on_day)} event(s) in the data on that day"
                        + (f"; {dnote}" if dnote else ""),
                    )

        # Relative dates: "two days after <event>".
        for m in re.finditer(rf"\b({_N}|\d+)\s+days?\s+(after|before|later|earlier than)\b", sent, re.I):
            try:
                n = clean.number_value(m.group(1))
            except ValueError:
                continue
            before = _score_events(ctx, max(0, m.start() - 1), exclude=(m.start(), len(sent)))
            after = _score_events(ctx, m.end() + 1, exclude=(0, m.end()))
            subj, _ = _pick(before)
            obj, _ = _pick({g: s for g, s in after.items() if g != subj})
            if not subj or not obj:
                continue
            sday = _event_row(idx, subj)["day"]
            value = sday - timedelta(days=n) if m.group(2).lower() == "after" else sday + timedelta(days=n)
            oday = _event_row(idx, obj)["day"]
            verdict = "consistent" if oday == value else "differs"
            add(
                m.start(),
                m.end(),
                "date",
                value.isoformat(),
                _ev(idx, obj),
                verdict,
                f"{subj} is dated {sday.isoformat()}, so {obj} would fall on {value.isoformat()}; the data dates it {oday.isoformat()}",
            )

        # Lead times: "30 minutes before", "hours after".
        for m in re.finditer(
            rf"\b(?:(?:{_QUAL}|close to)\s+)?(?:{_N}|\d+|a few|several)\s+(minutes|hours)\s+(before|after|earlier|later)\b", sent, re.I
        ):
            scores = _score_events(ctx, m.start(), exclude=(m.start(), m.end()))
            g, tied = _pick(scores)
            if not g:
                continue
            add(
                m.start(),
                m.end(),
                "time",
                None,
                _ev(idx, g),
                "not_in_data",
                f"a lead time of {g}; the data holds no interval between events, only their clock times",
            )

        # Times.
        for a, b, h, mi, zone in times:
            date_for = next((d for da, db, d, _ in sorted(dates, key=lambda x: abs(x[0] - a)) if d is not None), None)
            scores = _score_events(ctx, a, exclude=(a, b))
            g, tied = _pick(scores)
            if not g and not tied and carry:
                g = carry
            if not g:
                add(
                    a,
                    b,
                    "time",
                    None,
                    [m for x in tied for m in _ev(idx, x)],
                    "ambiguous" if tied else "not_in_data",
                    "several events fit: " + ", ".join(tied) if tied else "no event of this sentence identified",
                )
                continue
            er = _event_row(idx, g)
            inst = _event_instant(er)
            base = date_for or er["day"]
            off, zname = _zone_offset(zone, base, _str(er["utc_offset"]))
            if off is None:
                add(a, b, "time", None, _ev(idx, g), "not_in_data", f"local time of {g} has no UTC offset in the data")
                continue
            claimed = datetime.combine(base, datetime.min.time().replace(hour=h, minute=mi), tzinfo=timezone(off)).astimezone(UTC)
            value = claimed.strftime("%Y-%m-%dT%H:%MZ")
            if inst is None:
                add(a, b, "time", value, _ev(idx, g), "not_in_data", f"the data holds no clock time for {g}")
                continue
            held = (
                f"the data holds {_str(er['time_local'])} UTC{_str(er['utc_offset'])}"
                f" on {er['day'].isoformat()} for {g} = {inst.strftime('%Y-%m-%dT%H:%MZ')}"
            )
            if date_for is None:
                diff = abs(((claimed - inst).total_seconds() + 43200) % 86400 - 43200)
                note = held + f"; no date given, time of day read as {zname}"
            else:
                diff = abs((claimed - inst).total_seconds())
                note = held + f"; read as {zname}"
            add(a, b, "time", value, _ev(idx, g), "consistent" if diff <= 3600 else "differs", note)

        # Places.
        for m in names:
            if m.kind != "site":
                continue
            scores = _score_events(ctx, m.start, exclude=(m.start, m.end), use_sites=False)
            near = []
            for g in scores:
                for eid in idx.members[g]:
                    er = _event_row(idx, eid)
                    sid = _str(er["site_id"])
                    if sid and sid in idx.site_xy and _km(idx.site_xy[sid], idx.site_xy[m.value]) <= 30:
                        near.append(g)
                        break
            if near:
                add(
                    m.start,
                    m.end,
                    "place",
                    m.value,
                    [f"sites:{m.value}"] + [x for g in near for x in _ev(idx, g)],
                    "consistent",
                    "the data places " + ", ".join(near) + f" at or near {m.value}",
                )
            elif (
                scores
                and _pick(scores)[0]
                and re.search(
                    r"\b(?:in|at|near|outside|inside|on|towards?|over)\s+(?:the\s+)?$", sent[max(0, m.start - 12) : m.start], re.I
                )
            ):
                g, tied = _pick(scores)
                gs = [g] if g else tied
                where = ", ".join(f"{x} at {_str(_event_row(idx, x)['site_id'])}" for x in gs)
                add(
                    m.start,
                    m.end,
                    "place",
                    m.value,
                    [f"sites:{m.value}"] + [x for g in gs for x in _ev(idx, g)],
                    "differs" if g else "ambiguous",
                    f"the data places {where}, not at {m.value}",
                )
            else:
                add(
                    m.start,
                    m.end,
                    "place",
                    m.value,
                    [f"sites:{m.value}"],
                    "not_in_data",
                    f"{m.value} is a known place, but no event of this sentence is placed there",
                )

        # Actors.
        for m in names:
            if m.kind != "actor":
                continue
            role = []
            ascores = _score_events(ctx, m.start)
            best, tied = _pick(ascores)
            for g in [best] if best else tied[:3]:
                er = _event_row(idx, g)
                for aid in (_str(er["actor_id"]), _str(er["target_actor_id"])):
                    if aid and (aid == m.value or m.value in idx.ancestors.get(aid, set())):
                        role.append(g)
                        break
            note = f"{m.value} ({idx.names.get(m.value, '')})"
            if role:
                note += "; acts in or is targeted by " + ", ".join(role)
            add(m.start, m.end, "actor", m.value, [f"actors:{m.value}"] + [x for g in role for x in _ev(idx, g)], "consistent", note)

        named = {k: v for k, v in _speaker_scores(outside, idx, set()).items() if v >= 2.0}
        if named and not quotes:
            prev_speakers = named
        out.sort(key=lambda r: (r["_pos"], KINDS.index(r["kind"])))
        rows.extend(out)
        if primary:
            carry = primary
    frame = pd.DataFrame(rows, columns=COLUMNS + ["_pos"]).drop(columns="_pos")
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------------------
# Evaluation against the hand-coded claims of the seed
# ---------------------------------------------------------------------------

#: Checker kinds that can stand for each kind of hand-coded claim (None: any kind).
CLAIM_KINDS = {
    "count": {"count"},
    "date": {"date", "time"},
    "place": {"place"},
    "attribution": {"quote"},
    "characterisation": None,
}


def _claim_tokens(text: str) -> set[str]:
    return {"strike" if t == "airstrike" else t for t in _tokens(text) if t not in _STOP}


def evaluate_against_seed_claims(
    text: str, published: Any = None, tables: Any = None, *, checked: pd.DataFrame | None = None
) -> tuple[dict[str, int], pd.DataFrame]:
    """Measure how many hand-coded seed claims (seed_claims.csv) the checker finds and links.

    How a checker row is matched to a hand-coded claim:

    1. Candidate sentences: the sentences of the text sharing the most content words with the
       claim's paraphrase (``claim`` column), each shared word weighted by its rarity in the text
       (inverse sentence frequency): those scoring at least half of the best.
    2. Claim rows: the checker rows in those sentences whose kind can express the claim
       (count -> count; date -> date or time; place -> place; attribution -> quote) and whose
       span and value share the most (rarity-weighted) words with the paraphrase (all such rows when none
       shares a word). A characterisation, which the checker has no kind for, takes every row
       of its candidate sentences.
    3. Found and linked: some claim row lists the claim's ``refers_to`` among its matches.
    4. Wrong link: for a claim not found, a claim row with verdict consistent whose matches
       hold rows of the same table as ``refers_to`` but not ``refers_to`` itself: the checker
       vouched for another row where the coder put this claim (characterisations not counted).

    Returns (figures, per_claim): figures has keys claims, found, wrong_links; per_claim has one
    row per hand-coded claim with columns claim_id, kind, refers_to, sentences, found,
    wrong_links, rows (the spans of its claim rows).
    """
    if tables is None:
        from helpers import load

        tables = load()
    if checked is None:
        checked = check_article(text, published, tables)
    sentences = [raw for _, raw in split_sentences(text)]
    sent_tokens = [_claim_tokens(raw) for raw in sentences]
    df: dict[str, int] = {}
    for st in sent_tokens:
        for tok in st:
            df[tok] = df.get(tok, 0) + 1
    idf = {tok: math.log(1 + len(sent_tokens) / n) for tok, n in df.items()}
    out = []
    for claim in tables.seed_claims.itertuples(index=False):
        ct = _claim_tokens(_str(claim.claim))
        scores = [sum(idf[t] for t in ct & st) for st in sent_tokens]
        best = max(scores) if scores else 0
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        cand = [i + 1 for i in order if scores[i] and scores[i] >= 0.5 * best]
        kinds = CLAIM_KINDS.get(_str(claim.kind))
        rows = checked[checked["sentence"].isin(cand)]
        if kinds is not None:
            rows = rows[rows["kind"].isin(kinds)]
        if len(rows):
            overlap = rows.apply(
                lambda r, _ct=ct: sum(idf.get(t, 0.0) for t in _ct & _claim_tokens(f"{r['span']} {_value_words(r['value'])}")), axis=1
            )
            if overlap.max() > 0:
                rows = rows[overlap == overlap.max()]
        ref = _str(claim.refers_to)
        table = ref.split(":", 1)[0] + ":"
        if kinds is None:
            rows = checked[checked["sentence"].isin(cand)]
        found = any(ref in m for m in rows["matches"])
        wrong = 0
        if kinds is not None and not found:
            for r in rows.itertuples(index=False):
                if r.verdict == "consistent" and ref not in r.matches and any(m.startswith(table) for m in r.matches):
                    wrong += 1
        out.append(
            {
                "claim_id": claim.claim_id,
                "kind": _str(claim.kind),
                "refers_to": ref,
                "sentences": cand,
                "found": found,
                "wrong_links": wrong,
                "rows": list(rows["span"]),
            }
        )
    per_claim = pd.DataFrame(out, columns=["claim_id", "kind", "refers_to", "sentences", "found", "wrong_links", "rows"])
    figures = {"claims": len(per_claim), "found": int(per_claim["found"].sum()), "wrong_links": int(per_claim["wrong_links"].sum())}
    return figures, per_claim


def _value_words(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("measure", ""))
    return ""


#: Column labels of :func:`reader_view`, in order.
READER_COLUMNS = {
    "span": "In the report",
    "kind": "Kind",
    "read_as": "Read as",
    "verdict": "Verdict",
    "rows": "Checked against",
    "note": "Note",
}
_ID_TOKEN = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _read_as(kind: str, value: Any, names: dict[str, pd.Series]) -> str:
    """A checked value in words: names for actors and places, dates as '2 Jan 2020', counts as 'killed: 12' or '12–15'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, dict):
        low, best, high = value.get("low"), value.get("best"), value.get("high")
        if high is None:
            figure = f"at least {low}" if best == low else f"{best} (at least {low})"
        elif low == high:
            figure = f"{best}"
        else:
            figure = f"{best} ({low}–{high})"
        return f"{str(value.get('measure', '')).replace('_', ' ')}: {figure}"
    text = str(value)
    if kind == "actor":
        return str(names["actors"].get(text, text))
    if kind == "place":
        return str(names["sites"].get(text, text))
    if kind == "date":
        return f"{pd.Timestamp(text):%-d %b %Y}"
    if kind == "time" and text.endswith("Z"):
        return f"{pd.Timestamp(text[:-1]):%-d %b %Y, %H:%M} UTC"
    return text


def reader_view(result: pd.DataFrame, tables: Any = None) -> pd.DataFrame:
    """Return check_article's result for readers: names instead of ids, values in words, verdicts without underscores.

    In: the frame of :func:`check_article` (``COLUMNS``). Out: one row per claim with the columns
    of ``READER_COLUMNS`` (span, kind, read_as, verdict, rows, note): ``rows`` names every matched
    row (see :func:`helpers.names.row_names`), and ids of events, actors, sites, claims and
    sources inside a note are replaced by their names. Raises ValueError when a column is missing.

    >>> from helpers import load
    >>> t = load()
    >>> view = reader_view(check_article("Rockets hit K-1 air base on 27 December 2019.", published="2019-12-28", tables=t), t)
    >>> view[["read_as", "verdict"]].iloc[1].tolist()
    ['27 Dec 2019', 'consistent']
    """
    from helpers.columns import require_columns
    from helpers.names import actor_names, event_names, row_names

    require_columns(result, COLUMNS, "reader_view")
    if tables is None:
        from helpers import load

        tables = load()
    names = {"actors": actor_names(tables), "sites": tables.sites.set_index("site_id")["name"].astype(str)}
    outlets = tables.sources.set_index("source_id")["publisher"].astype(str).to_dict()
    claims = {c: "" for table in ("casualties", "munitions", "reactions") for c in getattr(tables, table).iloc[:, 0].astype(str)}
    ids = {**claims, **outlets, **names["sites"].to_dict(), **names["actors"].to_dict(), **event_names(tables).to_dict()}
    actor_of = names["actors"].to_dict()
    places_and_actors = {**names["sites"].to_dict(), **actor_of}  # one-word ids such as baghdad, usa, kh

    def named(note: Any) -> str:
        text = _str(note)
        for token in set(re.findall(r"[a-z0-9_]+", text)) & set(actor_of):
            text = text.replace(f"{token} ({actor_of[token]})", actor_of[token])  # "usa (United States)" reads "United States"
        text = _ID_TOKEN.sub(lambda m: ids.get(m.group(0), m.group(0)), text)
        text = re.sub(r"\b[a-z0-9]+\b", lambda m: places_and_actors.get(m.group(0), m.group(0)), text)
        return re.sub(r"(^|; )\s+'", r"\1'", text)

    out = pd.DataFrame(
        {
            "span": result["span"].astype(str),
            "kind": result["kind"].astype(str),
            "read_as": [_read_as(k, v, names) for k, v in zip(result["kind"], result["value"], strict=True)],
            "verdict": result["verdict"].astype(str).str.replace("_", " "),
            "rows": ["; ".join(row_names(m, tables)) if len(m) else "—" for m in result["matches"]],
            "note": result["note"].map(named),
        }
    )
    return out.reset_index(drop=True)


def seed_path() -> Path | None:
    """Return the seed article's path (env K1_SEED_DIR, else paths.ROOT.parent/shared/seed), or None."""
    folder = paths.SEED_DIR
    files = sorted(folder.glob("000_*.txt")) if folder.is_dir() else []
    return files[0] if files else None


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        high = "open" if value.get("high") is None else value["high"]
        return f"{value.get('measure')} {value.get('low')}/{value.get('best')}/{high}"
    return "" if value is None else str(value)


def format_table(frame: pd.DataFrame, width: int = 60) -> str:
    """Render check_article's rows as a plain-text table (one claim a line, then its note)."""
    lines = []
    for r in frame.itertuples(index=False):
        span = r.span if len(r.span) <= width else r.span[: width - 3] + "..."
        lines.append(f"{r.sentence:>3}  {r.kind:<6} {r.verdict:<12} {span}")
        detail = _plain(r.value)
        if detail and r.kind in ("count", "date", "time"):
            lines.append(f"     value: {detail}")
        if r.matches:
            shown = ", ".join(r.matches[:6]) + (f" (+{len(r.matches) - 6})" if len(r.matches) > 6 else "")
            lines.append(f"     rows: {shown}")
        if r.note:
            lines.append(f"     {r.note}")
    counts = frame["verdict"].value_counts()
    lines.append(f"{len(frame)} claims: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run ``check-article PATH [--published YYYY-MM-DD] [--source-id ID] [--json]``; return the exit code.

    PATH '-' reads standard input. Prints a readable table, or with --json a JSON list of
    objects with the keys of ``COLUMNS``. On bad input prints "check-article: <message>" to
    standard error and returns 2.

    >>> main(["/no/such/file.txt"])
    2
    """
    parser = argparse.ArgumentParser(prog="python -m helpers check-article", description="Check a plain-text report against the data.")
    parser.add_argument("path", help="the report, plain text (UTF-8); '-' reads standard input")
    parser.add_argument("--published", help="publication date, YYYY-MM-DD (resolves weekdays and 'yesterday')")
    parser.add_argument("--source-id", help="the report's source_id in sources.csv, if it is one of the sources")
    parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    try:
        text = read_article(args.path)
        frame = check_article(text, args.published, source_id=args.source_id)
    except ValueError as exc:
        print(f"check-article: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=1))
    else:
        print(format_table(frame))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
