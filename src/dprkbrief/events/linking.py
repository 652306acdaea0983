"""Link sentences to catalog events: match cues, check dates, record which cue matched.

Cue kinds, strongest first (see the catalog's opening comment): ``alias`` and ``pattern``
link on their own; ``context`` cues need a ``requires`` word in the paragraph or a
compatible date; ``dated`` cues need a compatible date; ``year_kind`` phrases ("the 1994
agreement", ``resources/events/linking.toml``) link to the one event of that kind and year.
A date in the sentence is compatible when its interval overlaps the event's [date_start,
date_end]. A date the sentence states wins over the catalog date (``date``; the catalog's
stays in ``event_date``); a date that names another event exactly (the day of a nuclear
test) does not also support a generic cue of a span event (an ICBM in that sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import check_type
from ..resources import file_key
from ..temporal.resolve import time_zone
from . import dates as _dates
from .catalog import load_events

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LINK_COLUMNS = [
    "event_id",
    "label",
    "date",
    "precision",
    "category",
    "cue",
    "cue_kind",
    "cue_start",
    "cue_end",
    "how",
    "timex",
    "event_date",
]
_KINDS = ("alias", "pattern", "context", "dated", "year_kind", "month_kind", "anaphora")
HOWS = ("explicit", "relative", "catalog", "differs", "document", "narrative")


@dataclass(frozen=True)
class Timex:
    """A date expression found in a text, with its day interval."""

    start: int
    end: int
    text: str
    value: str
    precision: str | None
    lo: date
    hi: date
    relative: bool


@dataclass(frozen=True)
class _Event:
    event_id: str
    label: str
    date: str
    precision: str
    category: str
    lo: date
    hi: date
    cues: tuple[tuple[str, re.Pattern], ...]
    requires: tuple[re.Pattern, ...]


def alias_regex(phrase: str) -> str:
    """Regex for a case-insensitive alias: spaces/hyphens match any run of them, quotes any
    apostrophe, and word boundaries close the phrase."""
    parts = [p for p in re.split(r"[\s\-‐–]+", phrase.strip()) if p]
    body = r"[\s\-‐–]+".join(re.escape(p).replace("'", "['’‘]") for p in parts)
    left = r"\b" if re.match(r"\w", phrase.strip()) else ""
    right = r"\b" if re.search(r"\w$", phrase.strip()) else ""
    return left + body + right


def compile_events(events: pd.DataFrame) -> list[_Event]:
    """Compile a catalog table (from ``load_events``) into matchers, in catalog order."""
    out = []
    flags = re.IGNORECASE
    for r in events.itertuples(index=False):
        cues: list[tuple[str, re.Pattern]] = []
        cues += [("alias", re.compile(alias_regex(a), flags)) for a in r.aliases]
        cues += [("pattern", re.compile(p, flags)) for p in r.patterns]
        cues += [("context", re.compile(p, flags)) for p in r.context_cues]
        cues += [("dated", re.compile(p, flags)) for p in r.dated_cues]
        out.append(
            _Event(
                event_id=r.event_id,
                label=r.label,
                date=r.date,
                precision=r.precision,
                category=r.category,
                lo=_dates.interval(r.date_start)[0],
                hi=_dates.interval(r.date_end)[1],
                cues=tuple(cues),
                requires=tuple(re.compile(p, flags) for p in r.requires),
            )
        )
    return Matchers(out)


# -- prefilter: which events can match a sentence at all ----------------------------------

# the non-ASCII characters that a case-insensitive ASCII letter of a regex matches, after
# str.lower() ("\u0130" becomes "i" + U+0307; dropping U+0307 can only add matches): found
# by scanning Unicode, tests/test_linking_prefilter.py checks the list
_FOLD = str.maketrans({"\u0307": None, "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _fold(text: str) -> str:
    low = text.lower()
    return low if low.isascii() else low.translate(_FOLD)


def required_literals(pattern: str | re.Pattern) -> frozenset[str] | None:
    """Lower-case ASCII strings of which every match of ``pattern`` contains at least one
    (case-insensitively), or None when no such set can be read off the regex.

    Read from the parsed regex: a run of literal characters, a group, a repeat taken at
    least once, or an alternation whose every branch has its own set. Used to skip, in one
    substring test, the regexes that cannot match a sentence."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        rx = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
        flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
        if isinstance(rx, bytes):
            return None
        return _need(list(sre_parse.parse(rx, flags & ~re.UNICODE)))
    except Exception:  # an unreadable construct: no prefilter for this regex
        return None


def _need(items: list) -> frozenset[str] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    options: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is c.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        flush()
        sub = None
        if op is c.SUBPATTERN:
            sub = _need(list(av[-1]))
        elif op is c.ATOMIC_GROUP:
            sub = _need(list(av))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            sub = _need(list(av[2]))
        elif op is c.BRANCH:
            parts = [_need(list(b)) for b in av[1]]
            if parts and all(p is not None for p in parts):
                sub = frozenset().union(*parts)
        if sub:
            options.append(sub)
    flush()
    if not options:
        return None
    # the most selective set: longest shortest string, then fewest strings
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


class Matchers(list):
    """Compiled events (``compile_events``) with a keyword index built once: every cue
    reduced to literal strings (``required_literals``), so ``candidates`` finds the cues a
    sentence may match with substring tests instead of searching every cue regex."""

    def __init__(self, events: Any = ()) -> None:
        super().__init__(events)
        keywords: dict[str, int] = {}  # keyword -> bit mask of the cues needing it
        self.always = 0  # cues without a keyword: always searched
        self.masks: list[int] = []  # per event, the bits of its cues
        bit = 0
        for ev in self:
            mask = 0
            for _, rx in ev.cues:
                need = required_literals(rx)
                if need is None:
                    self.always |= 1 << bit
                for k in need or ():
                    keywords[k] = keywords.get(k, 0) | 1 << bit
                mask |= 1 << bit
                bit += 1
            self.masks.append(mask)
        self.keywords = list(keywords.items())
        self.partial: dict[tuple[int, int], _Event] = {}  # an event with some of its cues


def candidates(text: str, compiled: list[_Event]) -> list[_Event]:
    """The events of ``compiled`` (in catalog order) whose cues may match ``text``, each
    with only those cues (in order); for a plain list (not ``Matchers``), all of them."""
    if not isinstance(compiled, Matchers):
        return compiled
    low = _fold(text)
    hit = compiled.always
    for k, bits in compiled.keywords:
        if k in low:
            hit |= bits
    out = []
    if hit:
        for i, (ev, mask) in enumerate(zip(compiled, compiled.masks)):
            sub = hit & mask
            if sub == mask:
                out.append(ev)
            elif sub:
                part = compiled.partial.get((i, sub))
                if part is None:
                    first = mask & -mask
                    cues = tuple(c for j, c in enumerate(ev.cues) if sub & (first << j))
                    part = compiled.partial[(i, sub)] = replace(ev, cues=cues)
                out.append(part)
    return out


@lru_cache(maxsize=1)
def _shipped_table() -> pd.DataFrame:
    return load_events()  # read and checked once per process; callers get a copy


@lru_cache(maxsize=8)
def _shipped() -> list[_Event]:
    return compile_events(load_events())


def resolve_events(events: Any) -> tuple[pd.DataFrame, list[_Event]]:
    """``events`` (None, a catalog path or a ``load_events`` DataFrame) -> table + matchers."""
    if events is None:
        return _shipped_table().copy(), _shipped()
    if isinstance(events, str | Path) and Path(events).is_file():  # a user's catalog file
        table, compiled = _user_catalog(*file_key(events))
        return table.copy(), compiled
    table = load_events(events)
    return table, compile_events(table)


@lru_cache(maxsize=8)
def _user_catalog(path: str, mtime: float) -> tuple[pd.DataFrame, list[_Event]]:
    """A user's catalog file read and compiled once per path and modification time."""
    table = load_events(path)
    return table, compile_events(table)


@dataclass(frozen=True)
class YearKind:
    """A "the YEAR <noun>" phrase rule: the regex and the catalog categories it may name;
    ``month_regex`` is the same phrase with a month name ("the September agreement")."""

    regex: re.Pattern
    categories: frozenset[str]
    month_regex: re.Pattern | None = None
    anaphor_regex: re.Pattern | None = None  # "the summit", "that first meeting"


_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def load_year_kinds(path: str | Path | None = None) -> list[YearKind]:
    """Compile the ``[[year_kind]]`` rules of ``resources/events/linking.toml`` (or a user's
    file with the same layout)."""
    from ..resources import resource_path

    p = Path(path) if path is not None else resource_path("events", "linking.toml")
    return list(_year_kinds(str(p)))


@lru_cache(maxsize=8)
def _year_kinds(path: str) -> tuple[YearKind, ...]:
    from ..errors import RuleFileError
    from ..resources import load_toml

    out = []
    for n, entry in enumerate(load_toml(path).get("year_kind", []), 1):
        nouns, cats = entry.get("nouns"), entry.get("categories")
        if not isinstance(nouns, list) or not nouns or not isinstance(cats, list) or not cats:
            raise RuleFileError(
                f"{path}: [[year_kind]] number {n} needs non-empty lists `nouns` and `categories`"
            )
        body = "|".join(f"(?:{x})" for x in nouns)
        rx = (
            r"\b(?:the|its|their|this|that|his|her)\s+(?P<year>(?:1[89]|20)\d{2})(?:['’]s)?\s+"
            r"(?:[\w.'’\-]+\s+){0,2}?(?P<noun>" + body + r")\b"
        )
        mrx = (
            r"\b(?:the|its|their|this|that|his|her)\s+(?-i:(?P<month>" + "|".join(_MONTHS) + "))"
            r"\s+(?:[\w.'’\-]+\s+){0,2}?(?P<noun>" + body + r")\b"
        )
        arx = (
            r"\b(?:the|that|this|those|these|its|their|his|her)\s+"
            r"(?:(?!(?:next|coming|upcoming|future|new|another|any|possible|planned|proposed)\b)"
            r"[\w.'’\-]+\s+){0,2}?(?P<noun>" + body + r")\b"
        )
        try:
            out.append(
                YearKind(
                    re.compile(rx, re.IGNORECASE),
                    frozenset(map(str, cats)),
                    re.compile(mrx, re.IGNORECASE),
                    re.compile(arx, re.IGNORECASE),
                )
            )
        except re.error as exc:
            raise RuleFileError(
                f"{path}: [[year_kind]] number {n}: bad noun regex ({exc})"
            ) from None
    return tuple(out)


# every [[year_kind]] regex (built in _year_kinds) holds this year: no year, no search
_YEAR = re.compile(r"(?:1[89]|20)\d{2}")


@lru_cache(maxsize=256)
def _literals(rx: re.Pattern) -> frozenset[str] | None:
    return required_literals(rx)


def _year_kinds_for(text: str, year_kinds: list[YearKind] | None) -> list[YearKind]:
    """The year-kind rules (default: the shipped ones) that may match ``text``: none
    without a year in it, else those with one of their literal words in it."""
    yks = year_kinds if year_kinds is not None else load_year_kinds()
    if not yks or not _YEAR.search(text):
        return []
    low = _fold(text)
    return [
        yk for yk in yks if (need := _literals(yk.regex)) is None or any(k in low for k in need)
    ]


def _tag(text: str, dct: str | None, dates: Any = None) -> list[dict]:
    """Date expressions of the temporal tagger, as records (no DataFrame per document);
    ``dates`` are the user's date rules (``load_dates(...)`` or a patterns path)."""
    from ..temporal.tagger import tag_dates_records

    if _MEMO.get() is not None:
        return tagged_dates(text, dct, dates=dates)
    if dates is None:
        return tag_dates_records(text, dct=dct)
    return tag_dates_records(text, dct=dct, dates=dates)


_MEMO: ContextVar[dict | None] = ContextVar("dprkbrief_dates_memo", default=None)


@contextmanager
def dates_memo() -> Iterator[None]:
    """Within the block, tagging the same text with the same reference date and date rules
    again (``tagged_dates``, ``find_dates``) reuses the first result: the per-document steps
    of ``annotate`` tag a document's dates once for the ``dates`` table and the timeline.
    A nested block shares the outer one's memo."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def tagged_dates(text: str, dct: Any = None, *, dates: Any = None) -> list[dict]:
    """``tag_dates_records(text, dct, dates=dates)``, shared inside ``dates_memo()``; the
    records returned are shared, so callers copy before changing them."""
    from ..temporal.rules import as_dates
    from ..temporal.tagger import tag_dates_records

    memo = _MEMO.get()
    if memo is None or not isinstance(dct, str | None):
        return tag_dates_records(text, dct, dates=dates)
    rules = as_dates(dates)
    key = (text, dct, id(rules))
    if key not in memo:
        memo[key] = (rules, tag_dates_records(text, dct, dates=rules))
    return memo[key][1]


# a TIME expression names a day only with a part of the day ("this morning", "Monday
# night"); a bare clock time ("4:15 p.m.") does not
_DAY_PART = re.compile(r"(?i)\b(?:morning|afternoon|evening|night|tonight|noon|midnight)\b")


def find_dates(
    text: str, dct: str | None = None, *, dates: Any = None
) -> tuple[list[Timex], list[str]]:
    """Concrete dates in ``text`` (DATE expressions with a year, and the day of a TIME
    expression with a part of the day, "this morning", or a time zone, "4:15 p.m. Eastern
    Standard Time"; a bare clock time is no dated mention) and out-of-range values.

    Uses ``dprkbrief.temporal.tagger.tag_dates`` with ``dct``; ``relative`` is True when the
    year of the value is not written in the expression ("last year", "in October").
    Returns (timexes, rejected) where ``rejected`` lists implausible values (years outside
    1000-2999 or impossible dates), for the caller to warn about.
    """
    rows = _tag(text, dct, dates)
    out: list[Timex] = []
    rejected: list[str] = []
    prev_end: int | None = None
    for r in rows:
        value = r.get("value")
        gap = text[prev_end : int(r["start"])] if prev_end is not None else "x"
        after_date = not gap.strip(" ,-\u2013\u2014@at")
        prev_end = int(r["end"])
        if not isinstance(value, str):
            continue
        kind = r.get("type", "DATE")
        if (
            kind == "TIME"
            and re.match(r"^\d{4}-\d{2}-\d{2}T", value)
            and (
                _DAY_PART.search(str(r.get("text") or ""))
                or (time_zone(text, int(r["end"]), int(r["start"])) and not after_date)
            )
        ):  # the day of "this morning", of "4:15 p.m. Eastern Standard Time" (the clock
            # time of a date line, "03/23/2010 05:12 am ET", belongs to its date)
            r = dict(r, value=value[:10], precision="day")
            value = value[:10]
        elif kind != "DATE":
            continue
        if not re.match(r"^\d", value):
            continue  # PRESENT_REF, XXXX-10: no concrete year
        iv = _dates.interval(value)
        year = int(re.match(r"\d+", value).group(0).ljust(4, "0")[:4])
        if iv is None or not _dates.MIN_YEAR <= year <= _dates.MAX_YEAR:
            rejected.append(f"{r.get('text')!r} -> {value}")
            continue
        lo, hi = iv
        mod = r.get("mod")
        if mod in ("BEFORE", "ON_OR_BEFORE"):
            lo = date(_dates.MIN_YEAR, 1, 1)
        elif mod in ("AFTER", "ON_OR_AFTER"):
            hi = date(_dates.MAX_YEAR, 12, 31)
        digits = re.match(r"\d+", value).group(0)
        written = str(r.get("text") or "")
        relative = digits not in written and not (
            len(digits) == 3 and re.search(digits + r"0s|'\d0s", written)
        )
        prec = r.get("precision") or _dates.precision_of(value)
        out.append(Timex(int(r["start"]), int(r["end"]), written, value, prec, lo, hi, relative))
    return out, rejected


def _exact(ev: _Event, t: Timex) -> bool:
    """True if the event's date, cut to the precision of ``t``, is ``t``'s value."""
    return bool(re.match(r"^\d{3,4}(-\d{2}){0,2}$", t.value)) and ev.date.startswith(t.value)


def _start(ev: _Event) -> date:
    return _dates.interval(ev.date)[0]


# the words that may join an event's name to its date: "the summit in 2016", "the talks of
# March 2019", "the summit on June 12", "2016's summit"
_JOIN = re.compile(r"^[\s,]*(?:(?:in|of|on|held\s+in|held\s+on|from)\s+)?$|^['’]s\s+$", re.I)


def _attached(text: str, cs: int, ce: int, t: Timex) -> bool:
    """True if date ``t`` is written right next to the cue [cs, ce) ("the Singapore summit in
    2016", "the June 2018 summit" is inside the cue), so it dates the named occurrence."""
    if t.start >= ce:
        return bool(_JOIN.match(text[ce : t.start]))
    if t.end <= cs:
        return bool(_JOIN.match(text[t.end : cs])) and not text[t.end : cs].strip(" ,")
    return False


def _link(
    ev: _Event,
    m: re.Match | tuple[str, int, int],
    kind: str,
    timexes,
    support,
    text: str = "",
) -> dict:
    cue, cs, ce = (m.group(0), m.start(), m.end()) if isinstance(m, re.Match) else m
    date, precision, how, timex = ev.date, ev.precision, "catalog", None
    chosen = None
    if support:
        # the date naming the event exactly, else one holding its (start) date, else nearest
        chosen = min(
            support,
            key=lambda i: (
                not _exact(ev, timexes[i]),
                not timexes[i].lo <= _start(ev) <= timexes[i].hi,
                abs(timexes[i].start - cs),
            ),
        )
        t = timexes[chosen]
        how, timex = ("relative" if t.relative else "explicit"), t.value
        if not t.lo <= _start(ev) <= t.hi:  # the sentence's own date is another day
            date, precision = t.value, t.precision
    elif timexes:  # the sentence states a date the catalog does not have: say so
        near = min(range(len(timexes)), key=lambda i: abs(timexes[i].start - cs))
        t = timexes[near]
        how, timex = "differs", t.value
        if cs <= t.start and t.end <= ce:  # the cue itself names the date ("the September
            chosen = near  # agreement"): the catalog resolves it, no mention of its own
        elif _attached(text, cs, ce, t):  # "the Singapore summit in 2016": the date the
            chosen, date, precision = near, t.value, t.precision  # sentence states wins
    return {
        "event_id": ev.event_id,
        "label": ev.label,
        "date": date,
        "precision": precision,
        "category": ev.category,
        "cue": cue,
        "cue_kind": kind,
        "cue_start": cs,
        "cue_end": ce,
        "how": how,
        "timex": timex,
        "event_date": ev.date,
        "_timex": chosen,
    }


def match_sentence(
    text: str,
    compiled: list[_Event],
    timexes: list[Timex],
    *,
    context: str | None = None,
    year_kinds: list[YearKind] | None = None,
) -> tuple[list[dict[str, Any]], set[int]]:
    """Links of one sentence: list of row dicts (``LINK_COLUMNS``, cue offsets relative to
    ``text``) and the indexes of the ``timexes`` used by a link."""
    ctx = text if context is None else context
    found: list[tuple[_Event, dict[str, Any], list[int]]] = []
    for ev in candidates(text, compiled):
        compatible = [i for i, t in enumerate(timexes) if t.lo <= ev.hi and ev.lo <= t.hi]
        for kind, rx in ev.cues:
            m = rx.search(text)
            if m is None:
                continue
            if kind == "dated" and not compatible:
                continue
            if kind == "context" and not compatible:
                if timexes or not any(r.search(ctx) for r in ev.requires):
                    continue
            found.append((ev, _link(ev, m, kind, timexes, compatible, text), compatible))
            break
    # a date that names one linked event exactly does not support generic cues of others
    exact = {
        i: {ev.event_id for ev, _, sup in found if i in sup and _exact(ev, timexes[i])}
        for ev, _, sup in found
        for i in sup
    }
    kept = [
        (ev, row, sup)
        for ev, row, sup in found
        if row["cue_kind"] not in ("dated", "context")
        or not sup
        or any(not exact[i] or ev.event_id in exact[i] for i in sup)
    ]
    linked = {ev.event_id for ev, _, _ in kept}
    for yk in _year_kinds_for(text, year_kinds):
        for m in yk.regex.finditer(text):
            year = int(m.group("year"))
            cands = [
                ev
                for ev in compiled
                if ev.category in yk.categories and ev.lo.year <= year <= ev.hi.year
            ]
            if len(cands) > 1:
                cands = [ev for ev in cands if any(rx.search(m.group(0)) for _, rx in ev.cues)]
            if len(cands) != 1 or cands[0].event_id in linked:
                continue
            ev = cands[0]
            sup = [i for i, t in enumerate(timexes) if t.start < m.end() and m.start() < t.end]
            row = _link(ev, m, "year_kind", timexes, sup)
            row.update(date=ev.date, precision=ev.precision, how="explicit", timex=str(year))
            kept.append((ev, row, sup))
            linked.add(ev.event_id)
    # the date a link took, and the other end of a range with it ("1950-1953"), are used;
    # other dates of the sentence stay dated mentions of their own
    used: set[int] = set()
    for _, row, sup in kept:
        c = row.pop("_timex")
        if row["cue_kind"] == "year_kind":
            used.update(sup)
        elif c is not None:
            used.add(c)
            t = timexes[c]
            for i in sup:
                o = timexes[i]
                gap = text[min(t.end, o.end) : max(t.start, o.start)]
                if len(gap.strip(" -\u2013\u2014to")) == 0 and len(gap) <= 5:
                    used.add(i)
    return [row for _, row, _ in kept], used


# how far back "the September agreement" may reach for the last such event (years)
MONTH_KIND_YEARS = 5


def month_kind_links(
    text: str,
    compiled: list[_Event],
    timexes: list[Timex],
    dct: str | None,
    *,
    linked: set[str] = frozenset(),
    year_kinds: list[YearKind] | None = None,
) -> tuple[list[dict[str, Any]], set[int]]:
    """Links of "the <Month> <kind>" phrases ("the September agreement", "its March
    summit") in one sentence: the month names the last catalog event of that kind in that
    month on or before the document date ``dct`` (within ``MONTH_KIND_YEARS``): the year a
    reader supplies from what the writer's audience knows, not the most recent September
    the date tagger would pick. One candidate only (several: those whose own cues match the
    phrase; still several: no link). Returns (rows, indexes of the month timexes used)."""
    iv = _dates.interval(dct) if dct else None
    if iv is None:
        return [], set()
    now = iv[1]
    rows: list[dict[str, Any]] = []
    used: set[int] = set()
    for yk in year_kinds if year_kinds is not None else load_year_kinds():
        if yk.month_regex is None:
            continue
        for m in yk.month_regex.finditer(text):
            month = _MONTHS.index(m.group("month")) + 1
            cands = [
                ev
                for ev in compiled
                if ev.category in yk.categories
                and ev.lo.month == month
                and ev.lo <= now
                and now.year - ev.lo.year <= MONTH_KIND_YEARS
                and ev.event_id not in linked
            ]
            if cands:
                last = max(ev.lo.year for ev in cands)
                cands = [ev for ev in cands if ev.lo.year == last]
            if len(cands) > 1:
                cands = [ev for ev in cands if any(rx.search(m.group(0)) for _, rx in ev.cues)]
            if len(cands) != 1:
                continue
            ev = cands[0]
            sup = [i for i, t in enumerate(timexes) if t.start < m.end() and m.start() < t.end]
            row = _link(ev, m, "month_kind", timexes, [])
            row.pop("_timex")
            row.update(date=ev.date, precision=ev.precision, how="relative", timex=ev.date[:7])
            rows.append(row)
            used.update(sup)
            linked = set(linked) | {ev.event_id}
    return rows, used


@dataclass(frozen=True)
class Phases:
    """The ``[phase]`` verbs of ``linking.toml``: which end of a span event a sentence
    dates ("the summit ended early"); each regex matches from the end of the event's name
    (at most two words, or a comma, between the name and the verb)."""

    end: re.Pattern | None
    start: re.Pattern | None
    any_verb: re.Pattern | None = None  # either kind of verb anywhere (a quick pre-check)


_NEAR = r"\s*,?\s*(?:[\w’'\-]+,?\s+){0,2}?(?:"


def load_phases(path: str | Path | None = None) -> Phases:
    """Compile the ``[phase]`` table of ``resources/events/linking.toml`` (or a user's file
    with the same layout); no table: no phases."""
    from ..resources import resource_path

    p = Path(path) if path is not None else resource_path("events", "linking.toml")
    return _phases(str(p))


@lru_cache(maxsize=8)
def _phases(path: str) -> Phases:
    from ..errors import RuleFileError
    from ..resources import load_toml

    table = load_toml(path).get("phase") or {}
    verbs = [table[k] for k in ("end", "start") if table.get(k)]
    try:
        end, start = (
            re.compile(_NEAR + table[k] + ")", re.IGNORECASE) if table.get(k) else None
            for k in ("end", "start")
        )
        any_verb = re.compile("|".join(f"(?:{v})" for v in verbs), re.I) if verbs else None
    except re.error as exc:
        raise RuleFileError(f"{path}: [phase]: bad regex ({exc}); fix the pattern") from None
    return Phases(end, start, any_verb)


def phase_of(text: str, cue_end: int, phases: Phases | None = None) -> str | None:
    """ "end" or "start" when a phase verb follows an event's name ending at ``cue_end``
    within two words ("the summit ended early", "the Hanoi talks, which broke down"),
    else None."""
    ph = phases if phases is not None else load_phases()
    for name, rx in (("end", ph.end), ("start", ph.start)):
        if rx is not None and rx.match(text, cue_end):
            return name
    return None


def phase_date(row: dict[str, Any], span: tuple[str, str], phase: str | None) -> dict[str, Any]:
    """``row`` (a link dated from the catalog) moved to the day of its ``phase`` of the
    event's ``span`` (date_start, date_end): the last day for "end", the first for "start"."""
    if phase is None or span[0] == span[1]:
        return row
    day = span[1] if phase == "end" else span[0]
    return dict(row, date=day, precision=_dates.precision_of(day))


def anaphor_link(
    text: str,
    compiled: list[_Event],
    recent: list[str],
    *,
    year_kinds: list[YearKind] | None = None,
    phases: Phases | None = None,
) -> dict[str, Any] | None:
    """The link of a definite reference to an event named earlier in the document ("the
    summit ended early", "the talks broke down"): a ``[[year_kind]]`` noun after a
    determiner, without a year or month, followed by a ``[phase]`` verb, names the event of
    one of that kind's categories most recently linked (``recent``: event ids in document
    order, last = latest). For a sentence that states no date of its own; a forward-looking
    phrase ("the next summit") refers to no earlier event; without a phase verb a second
    mention ("that meeting was a contrast") adds no row. Returns a row (``LINK_COLUMNS``,
    ``cue_kind`` "anaphora", the catalog date; the caller moves it to the phase's day) or
    None."""
    ph = phases if phases is not None else load_phases()
    if not recent or ph.any_verb is None or not ph.any_verb.search(text):
        return None
    by_id = {ev.event_id: ev for ev in compiled}
    best: tuple[int, re.Match, _Event] | None = None
    for yk in year_kinds if year_kinds is not None else load_year_kinds():
        if yk.anaphor_regex is None:
            continue
        m = next(
            (x for x in yk.anaphor_regex.finditer(text) if phase_of(text, x.end(), ph)),
            None,
        )
        if m is None:
            continue
        for back, eid in enumerate(reversed(recent)):
            ev = by_id.get(eid)
            if ev is not None and ev.category in yk.categories:
                if best is None or back < best[0]:
                    best = (back, m, ev)
                break
    if best is None:
        return None
    _, m, ev = best
    row = _link(ev, m, "anaphora", [], [])
    row.pop("_timex")
    return row


def link_events(
    text: str,
    *,
    events: str | Path | pd.DataFrame | None = None,
    dct: str | None = None,
    context: str | None = None,
    dates: Any = None,
) -> pd.DataFrame:
    """Catalog events mentioned in one sentence ``text``, one row per event.

    ``dct`` (ISO document date) resolves relative dates; ``context`` is the wider text
    (e.g. the paragraph) searched for the ``requires`` words of context cues (default: the
    sentence); ``dates`` are the user's date rules (``dprkbrief.load_dates(...)`` or the path
    of a patterns file; default: shipped). Columns: event_id, label, date (the date the
    sentence states when it agrees with the catalog and is finer, else the catalog date),
    precision, category, cue (the matched text), cue_kind (alias|pattern|context|dated|
    year_kind), cue_start, cue_end (offsets into ``text``), how (explicit|relative: a date in
    the sentence agrees; catalog: no date in the sentence; differs: the sentence's date is
    not the event's, the row keeps the catalog date), timex (the sentence's date value, or
    None), event_date (the catalog date).
    """
    import pandas as pd

    check_type("text", text, str)
    if dct is not None:
        check_type("dct", dct, str, hint="an ISO date such as '2019-10-01'")
    if context is not None:
        check_type("context", context, str)
    if dates is not None:
        from ..temporal.rules import as_dates

        dates = as_dates(dates)
    _, compiled = resolve_events(events)
    timexes, _ = find_dates(text, dct, dates=dates)
    links, _ = match_sentence(text, compiled, timexes, context=context)
    return pd.DataFrame(links, columns=LINK_COLUMNS, dtype=object).astype(
        {"cue_start": "int64", "cue_end": "int64"}
    )
