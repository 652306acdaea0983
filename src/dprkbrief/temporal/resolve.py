"""Resolving phase: fill the underspecified values of :mod:`.match` (HeidelTime's
``ResolveAmbiguousValues``).

Each value expression of a mention (``weekday(4, tense)``, ``month(10, tense)``,
``ref(Y, -2)``, ``recurring(us_inauguration, tense)`` ...) is computed from the document
creation time (DCT), the tense of the mention's sentence (cues in ``tense.toml``) and the
document's genre:

* ``news`` (default): relative expressions count from the DCT; a weekday or month in a
  future sentence is the coming one, in a past sentence the last one.
* ``narrative`` (histories, analyses retelling events): they count from the last explicit
  day mentioned before them, else from the DCT, and the tense is not used (all of it is
  past): "On June 12, 2018 ... On Thursday" is the nearest Thursday, June 14, as
  HeidelTime's narrative mode counts from the reference date.

The value functions are a table (:data:`FUNCTIONS`), one small function each; the calendar
arithmetic is :mod:`dprkbrief.calendar`.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

from .. import calendar as cal
from ..errors import RuleFileError
from .match import Mention
from .rules import DateRules, Recurrence, Rule

# how far (characters) back "a year earlier" looks for the quarter it refers to
ANCHOR_REACH = 1000
# how far (characters) from a date expression a tense cue may be
TENSE_WINDOW = 80
# weekday by tense: future or a deadline -> the coming one, the DCT's own day included
# (wire copy dated Wednesday saying "will meet on Wednesday" means that day; TimeBank
# annotates it so), past -> the last one on or before the DCT, no cue -> the nearest (news
# reports the recent past). "on Thursday, the leaders will ..." dated Wednesday: the next day.
WEEKDAY_BY_TENSE = {"future": "next", "ahead": "next", "past": "last", None: "near"}
GENRES = ("news", "narrative")

# the value of a reference the DCT cannot resolve, by granularity
UNKNOWN = {
    "Y": "XXXX",
    "Q": "XXXX-QX",
    "M": "XXXX-XX",
    "W": "XXXX-WXX",
    "D": "XXXX-XX-XX",
    "DE": "XXX",
    "CE": "XX",
    "H": "XXXX-XX-XX",
    "MIN": "XXXX-XX-XX",
    "S": "XXXX-XX-XX",
    "WE": "XXXX-WXX-WE",
}
# seasons in calendar order, and the season a month falls in (December: the winter after
# this year's fall, so "last fall" said in December is this year's)
SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
SEASON_OF_MONTH = {12: 4, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2, 9: 3, 10: 3, 11: 3}
# half of one unit in the next smaller ones: "2 1/2 years" is P2Y6M, "5 1/2 hours" PT5H30M
HALF = {"Y": "6M", "M": "15D", "D": "T12H", "H": "30M", "MIN": "30S", "W": "3DT12H"}

_DATED = re.compile(r"\d{4}(?:-\d\d){0,2}$")
_FUNC = re.compile(r"^(\w+)\((.*?)\)(.*)$")
_QUARTER = re.compile(r"\d{4}-Q\d")


class Context:
    """Per-document state: DCT, genre, sentence bounds (lazy), tense, and the dates already
    resolved (anchors for "a year earlier", "the following year", narrative references)."""

    def __init__(
        self, text: str, dr: DateRules, dct: _dt.date | None, prec: str | None, genre: str
    ):
        self.text, self.rs, self.dct, self.prec, self.genre = text, dr, dct, prec, genre
        self.doc_dct, self.doc_prec = dct, prec
        self._bounds: list[int] | None = None
        self.anchor: str | None = None  # the last quarter mentioned
        self.anchor_pos = -(10**9)
        self.impossible: list[str] = []  # texts of impossible dates (February 30), dropped
        self.last_date: str | None = None  # the last DATE with a year ("the following year")
        self.last_pos = -(10**9)
        self.stated: str | None = None  # the last DATE whose year the text states
        self.stated_pos = -(10**9)
        self.last_day: _dt.date | None = None  # the last explicit day (narrative reference)
        self.narrating = False  # resolving against last_day, not the DCT
        self.weekdays: dict[int, _dt.date] = {}  # ISO weekday -> the day it last named
        self.local_day: _dt.date | None = None  # "Wednesday local time" a day after the DCT

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._bounds is None:
            self._bounds = [m.end() for m in self.rs.sentence_end.finditer(self.text)]
        b = self._bounds
        i = bisect.bisect_right(b, start)
        s = b[i - 1] if i else 0
        j = bisect.bisect_left(b, end)
        e = b[j] if j < len(b) else len(self.text)
        return s, e

    def sentence_date(self, start: int, end: int) -> str | None:
        """The last date whose year the text states (``2024``, ``November 2024``) earlier
        in the same sentence, if any (relative dates like "last month" do not count)."""
        if self.stated is None or self.stated_pos > start:
            return None
        if self.stated_pos <= self.sentence(start, end)[0]:
            return None
        return self.stated

    def tense(self, start: int, end: int) -> str | None:
        """``past``, ``future``, ``ahead`` or None, from the tense cues of the span's sentence.

        The governing verb usually precedes a date ("will meet ... on Thursday", "met ... in
        October"), so the cues on the left count first, then those on the right; on each
        side weak cues (-ed forms) count only where there is no strong one. ``ahead`` marks
        a deadline ("postponed until Tuesday", "by May") in a sentence that is not future
        already and not in the past perfect.
        """
        if self.narrating:  # counting from a narrated date: the DCT's tense says nothing
            return None
        rs = self.rs
        s, e = self.sentence(start, end)
        s, e = max(s, start - TENSE_WINDOW), min(e, end + TENSE_WINDOW)
        tense = self._cue_tense(start, end, s, e)
        if (
            tense != "future"
            and rs.deadline.search(self.text, max(0, start - 40), start)
            and not rs.perfect.search(self.text, s, e)
        ):
            return "ahead"
        return tense

    def _cue_tense(self, start: int, end: int, s: int, e: int) -> str | None:
        rs = self.rs
        strong = ((rs.future, "future"), (rs.past, "past"))
        if rs.future_left is not None:
            left_strong = strong + ((rs.future_left, "future"),)
        else:
            left_strong = strong
        weak = ((rs.weak_past, "past"),)
        for side in ("left", "right"):
            for cues in (left_strong if side == "left" else strong, weak):
                best: tuple[int, str] | None = None
                for rx, name in cues:
                    if side == "left":
                        for m in rx.finditer(self.text, s, start):
                            d = start - m.end()
                            if best is None or d < best[0]:
                                best = (d, name)
                    else:
                        m = rx.search(self.text, end, e)
                        if m and (best is None or m.start() - end < best[0]):
                            best = (m.start() - end, name)
                if best:
                    return best[1]
        return None


def sentence_tense(text: str, dr: DateRules) -> tuple[str, re.Match | None]:
    """The tense of a whole sentence from the cues of ``tense.toml``: ``future`` (a future
    cue anywhere), ``past`` (a strong past cue, else a weak one: "-ed" forms, irregular past
    forms) or ``present`` (none), with the cue that decided it (None for present). Used to
    tell a sentence that narrates ("Both leaders expressed optimism") from one that names
    a topic ("The Singapore summit does remain relevant")."""
    m = dr.future.search(text)
    if m:
        return "future", m
    m = dr.past.search(text) or dr.weak_past.search(text)
    if m:
        return "past", m
    return "present", None


# after a verb: a colon or comma, then a direct quotation (or the blank left where the
# caller blanked one out) to the end of the sentence
_INTRODUCES_QUOTE = re.compile(r"\s*[:,]\s*(?:[“\"‘][^”\"’]*[”\"’]?|\s)*\W*$")


_QUOTATION = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def narrative_cue(text: str, dr: DateRules) -> re.Match | None:
    """The verb that makes a past-tense sentence narrate an event (for the news-narrative
    rows of the timeline), or None. The first past cue, unless it is a verb of saying
    (``reporting`` in ``tense.toml``: "said", "confirmed", "posted"): the act of telling is
    no event of the story, so the cue is then the next past cue that is neither another
    reporting verb nor an ``auxiliary`` ("The navy said its ships carried out an
    exercise": "carried"; "Reuters confirmed the test with officials who said the rocket was
    still climbing": None).
    A verb that introduces a direct quotation ("promised: “Talks will resume ...”") is
    one of saying too."""
    cues = sorted([*dr.past.finditer(text), *dr.weak_past.finditer(text)], key=lambda m: m.start())
    quoted = [q.span() for q in _QUOTATION.finditer(text)]
    reported = False
    for m in cues:
        word = m.group(0)
        if any(a <= m.start() < b for a, b in quoted):
            continue  # another speaker's words
        if dr.reporting is not None and dr.reporting.fullmatch(word):
            reported = True
            continue
        if _INTRODUCES_QUOTE.match(text, m.end()):
            reported = True  # "promised: “...”", "warned, “...”": a verb of saying here
            continue
        if reported and dr.auxiliary is not None and dr.auxiliary.fullmatch(word):
            continue
        return m
    return None


# --------------------------------------------------------------------------- helpers


def _int_or_none(s: str) -> int | None:
    s = s.strip()
    if s in ("X", "-X", "+X"):
        return None
    return int(s)


def ref(gran: str, off: int | None, dct: _dt.date | None, dct_prec: str | None) -> str:
    """DCT truncated to ``gran`` and shifted by ``off`` units (None offset = unknown); a
    result outside the calendar's year range is unknown too."""
    unknown = UNKNOWN.get(gran, "XXXX")
    if dct is None or off is None:
        return unknown
    if dct_prec == "year" and gran not in ("Y", "DE", "CE"):
        return f"{dct.year:04d}" if off == 0 else unknown
    if dct_prec == "month" and gran in ("W", "D", "WE"):
        return f"{dct.year:04d}-{dct.month:02d}" if off == 0 else unknown
    try:
        out = _REF[gran](dct, off)
    except KeyError:
        raise RuleFileError(f"unknown granularity {gran!r} in a ref()/anchor() value") from None
    except (ValueError, OverflowError, TypeError):
        return unknown
    return out if out is not None else unknown


def _ref_week(d: _dt.date, off: int) -> str | None:
    day = cal.add_days(d, 7 * off)
    return cal.iso_week(day) if day else None


def _ref_weekend(d: _dt.date, off: int) -> str | None:
    back = 0 if d.isoweekday() >= 6 else 1  # the weekend just past (or under way)
    w = _ref_week(d, off - back)
    return w + "-WE" if w else None


def _ref_month(d: _dt.date, off: int) -> str | None:
    m = cal.add_months(d, off)
    return cal.format_date(m, "month") if m else None


def _ref_year(d: _dt.date, off: int) -> str | None:
    return f"{d.year + off:04d}" if cal.in_range(d.year + off) else None


def _ref_quarter(d: _dt.date, off: int) -> str | None:
    q = (d.month - 1) // 3 + off
    y = d.year + q // 4
    return f"{y:04d}-Q{q % 4 + 1}" if cal.in_range(y) else None


def _ref_day(d: _dt.date, off: int) -> str | None:
    day = cal.add_days(d, off)
    return day.isoformat() if day else None


_REF: dict[str, Callable[[_dt.date, int], str | None]] = {
    "Y": _ref_year,
    "DE": lambda d, off: f"{d.year // 10 + off:03d}",
    "CE": lambda d, off: f"{d.year // 100 + off:02d}",
    "Q": _ref_quarter,
    "M": _ref_month,
    "W": _ref_week,
    "WE": _ref_weekend,
    "D": _ref_day,
    # hours ago: the day is all a date value can say
    "H": lambda d, off: d.isoformat(),
    "MIN": lambda d, off: d.isoformat(),
    "S": lambda d, off: d.isoformat(),
}


def year_by_tense(
    month: int, mode: str, tense: str | None, dct: _dt.date, day: int = 15, horizon: int = 3
) -> int:
    """Year of a month (and day) named without one: by ``mode`` (last|next|this|past) or,
    in ``tense`` mode, in the past for past-tense sentences, in the future for future ones,
    else the coming occurrence if it is at most ``horizon`` months ahead, else the last one."""
    y = dct.year
    later = (month, day) > (dct.month, dct.day)
    earlier = (month, day) < (dct.month, dct.day)
    if mode == "last":
        return y if month < dct.month else y - 1
    if mode == "past":  # the last such day on or before the DCT ("the year ended March 31")
        return y if (month, day) <= (dct.month, dct.day) else y - 1
    if mode == "next":  # "next November" said in October: the one of next year
        return y + 1
    if mode == "this":
        return y
    if tense == "future":
        return y + 1 if earlier and month != dct.month else y
    if tense == "past":
        return y - 1 if later and month != dct.month else y
    ahead = (month - dct.month) % 12
    if ahead == 0:
        return y
    if ahead <= horizon:  # no tense cue: the coming one if it is near, else the last one
        return y if month > dct.month else y + 1
    return y if month < dct.month else y - 1


def duration(n: str, unit: str, half: str = "") -> str:
    """ISO duration of ``n`` units (decades and centuries in years; halves added)."""
    n_int = None if n == "X" else (int(n) if n.isdigit() else None)
    if unit == "DE":
        return "PXY" if n_int is None else f"P{n_int * 10 + (5 if half else 0)}Y"
    if unit == "CE":
        return "PXY" if n_int is None else f"P{n_int * 100 + (50 if half else 0)}Y"
    extra = HALF.get(unit, "") if half and n_int is not None else ""
    if unit in ("H", "MIN", "S"):
        letter = "M" if unit == "MIN" else unit
        return f"PT{n if n_int is not None else 'X'}{letter}{extra}"
    return f"P{n if n_int is not None else 'X'}{unit}{extra}"


def occurrences(rec: Recurrence, years: range) -> list[_dt.date]:
    """The days a recurring event falls on in ``years`` (first day of the month for
    month-precision events)."""
    if rec.dates:
        out = [cal.parse_iso(d) for d in rec.dates]
        return sorted(d for d, _ in filter(None, out))
    out = []
    for y in years:
        if rec.start is not None and (y - rec.start) % rec.every:
            continue
        for month in rec.months:
            if rec.weekday is not None:
                out.append(cal.nth_weekday_on_or_after(y, month, rec.day or 1, rec.weekday))
            else:
                out.append(_dt.date(y, month, rec.day or 1))
    return out


# --------------------------------------------------------------------------- value functions

ValueFn = Callable[[list[str], Context, int, int], "str | None"]


def in_quotation(text: str, start: int) -> bool:
    """Whether ``start`` lies inside a direct quotation opened earlier in its paragraph."""
    para = text[text.rfind("\n", 0, start) + 1 : start]
    return para.count("“") > para.count("”") or para.count('"') % 2 == 1


# a time zone written after a clock time ("4:15 p.m. Eastern Standard Time", "10:09 ET",
# "3 a.m. local time", "09:00 GMT"): the report of when something happened, on that day
_ZONE = re.compile(
    r"\s*\(?(?:(?:Eastern|Central|Mountain|Pacific|Korea|Japan|Greenwich\s+Mean)\s+"
    r"(?:Standard\s+|Daylight\s+)?Time|[ECMP][SD]?T|GMT|UTC|KST|JST|(?i:local\s+time))\b"
)


_ZONE_INSIDE = re.compile(r"\s(?:[ECMP][SD]?T|GMT|UTC|KST|JST)$")


def time_zone(text: str, end: int, start: int | None = None) -> str | None:
    """The time zone of a clock time ending at ``end`` ("Eastern Standard Time", "ET",
    "local time" written after it, or "GMT" that the clock expression ``text[start:end]``
    already holds), or None."""
    m = _ZONE.match(text, end)
    if m:
        return m.group(0).strip(" (")
    inside = _ZONE_INSIDE.search(text, start, end) if start is not None else None
    return inside.group(0).strip() if inside else None


def _fn_ref(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    off = _int_or_none(args[1]) if len(args) > 1 else 0
    if args[0] == "D" and off == 0 and ctx.local_day is not None and in_quotation(ctx.text, start):
        # "early this morning" quoted from where it happened, the story dated by "Wednesday
        # local time" a day after the DCT: that speaker's today is the local day
        return ref("D", 0, ctx.local_day, "day")
    return ref(args[0], off, ctx.dct, ctx.prec)


def _fn_dur(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    return duration(args[0], args[1], args[2] if len(args) > 2 else "")


def _fn_weekof(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    """ "the week of March 6": the ISO week of that day."""
    if len(args) > 3 and args[3]:  # a year is given
        y, m, d = int(args[3]), int(args[0]), int(args[1])
        if not cal.valid_date(y, m, d):
            ctx.impossible.append(ctx.text[start:end])
            return None
        return cal.iso_week(_dt.date(y, m, d))
    day = _fn_monthday(args[:3], ctx, start, end)
    if day is None or day.startswith("X"):
        return None if day is None else "XXXX-WXX"
    return cal.iso_week(_dt.date.fromisoformat(day))


def _fn_season(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    dct, mode = ctx.dct, args[-1]
    if dct is None:
        return f"XXXX-{args[0]}"
    cur = SEASON_OF_MONTH[dct.month]
    s = SEASON_ORDER[args[0]]
    y = dct.year
    if mode == "last":
        y -= 0 if s < cur else 1
    elif mode == "next":
        y += 0 if s > cur else 1
    elif mode == "tense":
        t = ctx.tense(start, end)
        if t == "past" and s > cur:
            y -= 1
        elif t == "future" and s < cur:
            y += 1
    return f"{y:04d}-{args[0]}" if cal.in_range(y) else None


def _year_of_month(
    month: int, day: int | None, mode: str, ctx: Context, start: int, end: int
) -> str:
    dct, prec = ctx.dct, ctx.prec
    ref_date = ctx.sentence_date(start, end) if day is None and mode == "tense" else None
    if ref_date is not None:
        # a year stated earlier in the sentence: "in November 2024 ... took office in
        # January" (the next January after it), "In 2019, talks began in February"
        ry, rm = int(ref_date[:4]), int(ref_date[5:7]) if len(ref_date) >= 7 else None
        return f"{ry + (1 if rm and month < rm else 0):04d}"
    if dct is None or prec == "year" and mode == "tense":
        return f"{dct.year:04d}" if dct is not None else "XXXX"
    tense = ctx.tense(start, end) if mode == "tense" else None
    yy = year_by_tense(month, mode, tense, dct, day or 15, ctx.rs.horizon)
    if day is not None and mode == "near":
        # a day named in a future sentence or as a deadline ("flights from August 6",
        # "effective June 1") is the coming one, however far ahead
        ahead = year_by_tense(month, "tense", "future", dct, day, ctx.rs.horizon)
        if ahead != yy and ctx.tense(start, end) in ("future", "ahead"):
            yy = ahead
    return f"{yy:04d}"


def _fn_month(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    month = int(args[0])
    y = _year_of_month(month, None, args[-1], ctx, start, end)
    return f"{y}-{month:02d}" if y == "XXXX" or cal.in_range(int(y)) else None


def _fn_monthday(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    month, day = int(args[0]), int(args[1])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if day > (29 if month == 2 else cal.month_end(2001, month).day):
        ctx.impossible.append(ctx.text[start:end])
        return None
    y = _year_of_month(month, day, args[-1], ctx, start, end)
    if y != "XXXX" and not cal.valid_date(int(y), month, day):
        ctx.impossible.append(ctx.text[start:end])
        return None
    return f"{y}-{month:02d}-{day:02d}"


def _nearest(cands: list[_dt.date], dct: _dt.date, mode: str) -> _dt.date | None:
    if mode == "last":
        cands = [d for d in cands if d <= dct]
        return max(cands) if cands else None
    if mode == "next":
        cands = [d for d in cands if d >= dct]
        return min(cands) if cands else None
    return min(cands, key=lambda d: abs((d - dct).days)) if cands else None


def _mode_by_tense(mode: str, ctx: Context, start: int, end: int) -> str:
    if mode != "tense":
        return mode
    return {"past": "last", "future": "next", "ahead": "next"}.get(
        ctx.tense(start, end) or "", "near"
    )


def _fn_holiday(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    parts = [int(x) for x in args[0].split("-")]
    month, dct = parts[0], ctx.dct

    def on(year: int) -> _dt.date:
        if len(parts) == 2:
            return _dt.date(year, month, parts[1])
        return cal.nth_weekday_on_or_after(year, month, parts[2], parts[1])

    if len(args) > 2 and args[2]:  # the year is given: "Christmas 1950"
        return on(int(args[2])).isoformat()
    if dct is None:
        return f"XXXX-{month:02d}-{parts[-1]:02d}" if len(parts) == 2 else f"XXXX-{month:02d}"
    mode = args[1]
    if mode == "tense":
        mode = {"past": "last", "future": "next"}.get(ctx.tense(start, end) or "", "near")
    got = _nearest([on(y) for y in (dct.year - 1, dct.year, dct.year + 1)], dct, mode)
    return got.isoformat() if got and cal.in_range(got.year) else None


def _fn_recurring(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    """A recurring event named without a date ("before the inauguration"): its nearest
    occurrence the sentence's tense allows (past: the last one on or before the DCT;
    future: the next one on or after it; none: the nearest)."""
    rec = ctx.rs.recurring.get(args[0])
    if rec is None:
        raise RuleFileError(f"recurring({args[0]}): no such entry in recurring.toml")
    dct = ctx.dct
    if dct is None or ctx.prec != "day" and rec.precision == "day":
        return "XXXX-XX-XX" if rec.precision == "day" else "XXXX-XX"
    mode = args[1] if len(args) > 1 else "tense"
    if mode == "forward":  # "before the inauguration": ahead of the sentence's own time
        mode = "near" if ctx.tense(start, end) == "past" else "next"
    mode = _mode_by_tense(mode, ctx, start, end)
    cands = occurrences(rec, range(dct.year - 5, dct.year + 6))
    if rec.precision == "month":  # a month-long event is "now" all month
        cands = [d.replace(day=1) for d in cands]
        dct = dct.replace(day=1)
    got = _nearest(cands, dct, mode)
    if got is None or not cal.in_range(got.year):
        return None
    return cal.format_date(got, rec.precision)


def _fn_weekday(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    wd, mode = int(args[0]), args[1]
    dct = ctx.dct
    if dct is None or ctx.prec != "day":
        return f"XXXX-WXX-{wd}"
    if mode == "local" and (wd - dct.isoweekday()) % 7 == 1:
        # "Wednesday local time" in a piece dated Tuesday: tomorrow where it happened
        day = cal.add_days(dct, 1) or dct
        ctx.weekdays[wd] = ctx.local_day = day
        return cal.format_date(day)
    tense = ctx.tense(start, end) if mode in ("tense", "local", "last") else None
    seen = ctx.weekdays.get(wd) if mode in ("tense", "local", "last") else None
    if seen is not None and seen > dct:
        # one story, one Wednesday: a bare weekday named again ("Before Wednesday's test")
        # is the coming day its last mention was resolved to ("early Wednesday local
        # time", "will meet Thursday"), not the one a week before
        return seen.isoformat()
    if mode in ("tense", "local"):
        mode = WEEKDAY_BY_TENSE.get(tense, "near")
    day = cal.add_days(dct, cal.weekday_shift(dct, wd, mode))
    if day is not None:
        ctx.weekdays[wd] = day
    return day.isoformat() if day else None


def _fn_quarter(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    q = int(args[0])
    if not 1 <= q <= 4:
        return None
    dct = ctx.dct
    if dct is None:
        return f"XXXX-Q{q}"
    y, cur = dct.year, cal.quarter_of(dct)
    if len(args) > 1 and args[1] == "tense" and (ctx.prec or "day") != "year":
        # results for "the fourth quarter" reported in January are last year's; a
        # quarter ahead of the DCT's is next year's only in a future sentence
        if q > cur and ctx.tense(start, end) != "future":
            y -= 1
    return f"{y:04d}-Q{q}"


def _fn_anchor_quarter(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    a = ctx.anchor if start - ctx.anchor_pos <= ANCHOR_REACH else None
    return f"{args[0]}{a[4:]}" if a and _QUARTER.fullmatch(a) else args[0]


def _fn_after(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    """ "the following year": after the last date mentioned, else the DCT."""
    gran, off = args[0], _int_or_none(args[1])
    a = ctx.last_date if start - ctx.last_pos <= ANCHOR_REACH else None
    if a and ctx.local_day is not None and a == ctx.local_day.isoformat() and gran == "D":
        zone = time_zone(ctx.text, end, start)
        if zone and not zone.lower().startswith("local"):
            # "4:15 p.m. Eastern Standard Time" after "early Wednesday local time": that
            # zone's clock, not the local day; the DCT's day
            a = None
    if a and off is not None:
        if gran == "Y":
            return _ref_year(_dt.date(int(a[:4]), 1, 1), off)
        if gran == "D" and len(a) == 10:
            return _ref_day(_dt.date.fromisoformat(a), off)
        if gran == "M" and len(a) >= 7:
            return _ref_month(_dt.date(int(a[:4]), int(a[5:7]), 1), off)
    return ref(gran, off, ctx.dct, ctx.prec)


def _fn_anchor(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    gran, off = args[0], _int_or_none(args[1])
    a = ctx.anchor if start - ctx.anchor_pos <= ANCHOR_REACH else None
    if a and off is not None and _QUARTER.fullmatch(a) and gran == "Y":
        return f"{int(a[:4]) + off:04d}{a[4:]}"
    if a and off is not None and _QUARTER.fullmatch(a) and gran == "Q":
        q = int(a[:4]) * 4 + int(a[-1]) - 1 + off
        return f"{q // 4:04d}-Q{q % 4 + 1}"
    if len(args) > 2:  # no anchor: the DCT shifted by the fallback offset
        off = _int_or_none(args[2])
    return ref(gran, off, ctx.dct, ctx.prec)


def _fn_time(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    h = int(args[0])
    ampm = args[2].lower() if len(args) > 2 else ""
    if ampm.startswith("p") and h < 12:
        h += 12
    elif ampm.startswith("a") and h == 12:
        h = 0
    minute = args[1] if len(args) > 1 and args[1] else "00"
    return f"{ref('D', 0, ctx.dct, ctx.prec)}T{h:02d}:{minute}"


def _fn_year_end(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    """End of a year range: "1998-99" ends in 1999, "1950-53" in 1953."""
    first, raw = int(args[0]), args[1].strip()
    if len(raw) == 4:
        y = int(raw)
    else:
        y = first // 100 * 100 + int(raw)
        y += 100 if y < first else 0
    return f"{y:04d}" if first < y <= cal.MAX_YEAR else None


def _fn_daysago(args: list[str], ctx: Context, start: int, end: int) -> str | None:
    """The ISO week holding the day N days before the reference day: "the other night" is
    a few days back, and a week is as precise as those words are."""
    if ctx.dct is None or ctx.prec != "day":
        return "PAST_REF"
    day = cal.add_days(ctx.dct, -int(args[0]))
    return cal.iso_week(day) if day else None


FUNCTIONS: dict[str, ValueFn] = {
    "daysago": _fn_daysago,
    "ref": _fn_ref,
    "dur": _fn_dur,
    "weekof": _fn_weekof,
    "month": _fn_month,
    "monthday": _fn_monthday,
    "season": _fn_season,
    "holiday": _fn_holiday,
    "recurring": _fn_recurring,
    "weekday": _fn_weekday,
    "quarter": _fn_quarter,
    "anchor_quarter": _fn_anchor_quarter,
    "after": _fn_after,
    "anchor": _fn_anchor,
    "time": _fn_time,
    "literal": lambda args, ctx, start, end: args[0],
    "year_end": _fn_year_end,
}
# value functions resolved against a reference date: in narrative genre that is the last
# explicit day mentioned, not the DCT
_RELATIVE = frozenset(
    {"ref", "weekday", "month", "monthday", "season", "holiday", "weekof", "daysago"}
)

_COMPLETE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(T.*)?")
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d\d))?")


def evaluate(expr: str | None, ctx: Context, start: int, end: int) -> str | None:
    """The value of an underspecified expression (None: not a valid date)."""
    if expr is None:
        return None
    fm = _FUNC.match(expr)
    if not fm:  # a complete value: check the day exists
        dm = _COMPLETE.fullmatch(expr)
        if dm and not cal.valid_date(int(dm[1]), int(dm[2]), int(dm[3])):
            ctx.impossible.append(ctx.text[start:end])
            return None
        ym = _YEAR_MONTH.fullmatch(expr)
        if ym and not (cal.in_range(int(ym[1])) and (ym[2] is None or 1 <= int(ym[2]) <= 12)):
            return None
        return expr
    fn, args_s, suffix = fm.groups()
    func = FUNCTIONS.get(fn)
    if func is None:
        raise RuleFileError(f"unknown value function {fn!r}; see the header of patterns.toml")
    args = [a.strip() for a in args_s.split(",")] if args_s.strip() else []
    narrative = ctx.genre == "narrative" and fn in _RELATIVE and ctx.last_day is not None
    if narrative:
        ctx.dct, ctx.prec, ctx.narrating = ctx.last_day, "day", True
    try:
        val = func(args, ctx, start, end)
    except (ValueError, IndexError):  # a group the rule needs did not match
        return None
    finally:
        ctx.dct, ctx.prec, ctx.narrating = ctx.doc_dct, ctx.doc_prec, False
    if val is None:
        return None
    if suffix and not val.endswith("_REF"):
        val += suffix
    return val


def record(text: str, s: int, e: int, rule: Rule, value: str, mod: str | None) -> dict:
    return {
        "start": s,
        "end": e,
        "text": text[s:e],
        "type": rule.type,
        "value": value,
        "precision": cal.precision_of(value) if rule.type in ("DATE", "TIME") else None,
        "mod": mod,
        "rule": rule.name,
    }


def _modifier(text: str, s: int, rule: Rule, dr: DateRules, out: list[dict]) -> tuple[int, Any]:
    lead = max(0, s - 30)
    if not dr.any_modifier or not dr.any_modifier.search(text, lead, s):
        return s, None
    for rx, mname, types in dr.modifiers:
        if rule.type not in types:
            continue
        mm = rx.search(text, lead, s)
        if mm and text[s : s + 4].lower() == "the " and not mm.group().lower().startswith("the"):
            continue  # "over the past decade": "over" is not a modifier here
        if mm and (not out or out[-1]["end"] <= mm.start()):
            return mm.start(), mname
    return s, None


def resolve(mentions: list[Mention], ctx: Context) -> list[dict]:
    """Records of the mentions with their values filled in, in text order."""
    text, dr = ctx.text, ctx.rs
    out: list[dict[str, Any]] = []
    for mention in mentions:
        s, e, rule = mention.start, mention.end, mention.rule
        second = None
        if mention.end_span is not None:
            s2, e2 = mention.end_span
            v2 = evaluate(mention.end_expr, ctx, s2, e2)
            if v2 is not None:
                second = record(text, s2, e2, rule, v2, None)
        value = evaluate(mention.value, ctx, s, e)
        if value is None:
            if second:
                out.append(second)
            continue
        ms, mod = _modifier(text, s, rule, dr, out)
        s, mod = ms, mod or rule.mod
        if rule.type == "DATE" and _DATED.match(value):
            ctx.last_date, ctx.last_pos = value, e
            if "{year}" in rule.value:
                ctx.stated, ctx.stated_pos = value, e
                if len(value) == 10:
                    ctx.last_day = _dt.date.fromisoformat(value)
        if (
            rule.type == "DATE"
            and "anchor" not in rule.value
            and _QUARTER.fullmatch(value)
            and (ctx.dct is None or 0 <= cal.quarters_between(value, ctx.dct) <= 4)
        ):
            # the reporting period "a year earlier" refers to: the last quarter mentioned
            # that is the DCT's or one of the four before it
            ctx.anchor, ctx.anchor_pos = value, e
        out.append(record(text, s, e, rule, value, mod))
        if second:
            out.append(second)
    return out
