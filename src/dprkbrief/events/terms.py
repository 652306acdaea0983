"""Periods of an office-holder's term that a text names without a date.

"In its first six months, the Obama Administration met North Korean provocations with tough
words" dates its sentence to 2009 for a reader who knows when that administration began.
The constructions are data (``[term]`` of ``resources/events/linking.toml``); the term's
first year comes from the people gazetteer's roles. A "later six months" in the same
paragraph follows the period named before it.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import calendar as cal
from . import dates as _dates

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "hundred": 100,
}  # fmt: skip


_DAY = timedelta(days=1)


@dataclass(frozen=True)
class TermRules:
    """Compiled ``[term]`` rules."""

    period: re.Pattern
    office: re.Pattern
    roles: frozenset[str]
    start: tuple[int, int]


@lru_cache(maxsize=8)
def load_term_rules(path: str | None = None) -> TermRules | None:
    """The ``[term]`` table of ``linking.toml`` (or a user's file), or None if absent."""
    from ..errors import RuleFileError
    from ..resources import load_toml, resource_path

    p = Path(path) if path else resource_path("events", "linking.toml")
    t = load_toml(p).get("term")
    if t is None:
        return None
    try:
        return TermRules(
            re.compile(t["period"], re.IGNORECASE),
            re.compile(t["office"]),
            frozenset(t.get("roles", [])),
            (int(t.get("start", [1, 1])[0]), int(t.get("start", [1, 1])[1])),
        )
    except (KeyError, re.error, TypeError, ValueError) as exc:
        raise RuleFileError(
            f"{p}: [term] needs regexes `period` (groups which, n, unit) and `office` (group "
            f"name), a list `roles` and `start` = [month, day] ({exc})"
        ) from None


def _shift(d: date, n: int, unit: str) -> date:
    if unit == "days":
        return cal.add_days(d, n) or d
    if unit == "weeks":
        return cal.add_days(d, 7 * n) or d
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, _calendar.monthrange(y, m)[1]))


def _term_start(name: str, dct: date, rules: TermRules, gazetteer: Any) -> date | None:
    starts = []
    for i in gazetteer.by_short.get(name.lower(), ()):
        for role in gazetteer.entries[i].get("roles", []):
            if role.get("role") in rules.roles and isinstance(role.get("from"), int):
                d = date(role["from"], *rules.start)
                if d <= dct:
                    starts.append(d)
    return max(starts) if starts else None


def term_period(
    text: str,
    dct: str | None,
    *,
    previous: tuple[date, date] | None = None,
    rules: TermRules | None = None,
    gazetteer: Any = None,
) -> tuple[re.Match, str, str, tuple[date, date]] | None:
    """The period of a term named in sentence ``text``: (match of the period words, value,
    precision, (first day, last day)), or None. "first N units" needs the office-holder in
    the sentence ("the Obama Administration"); "later/next N units" follows ``previous``
    (the period named before it in the paragraph). The value is the month or year holding
    the period (at year precision the year holding most of it; periods over a year: None)."""
    rules = rules if rules is not None else load_term_rules()
    iv = _dates.interval(dct) if dct else None
    if rules is None or iv is None:
        return None
    m = rules.period.search(text)
    if m is None:
        return None
    raw = m.group("n").lower()
    n = int(raw) if raw.isdigit() else _NUMBERS.get(raw)
    unit = m.group("unit").lower()
    if not n:
        return None
    if m.group("which").lower() == "first":
        if gazetteer is None:
            from ..nlp.people import load_gazetteer

            gazetteer = load_gazetteer()
        o = rules.office.search(text)
        start = _term_start(o.group("name"), iv[1], rules, gazetteer) if o else None
    else:
        start = previous[1] + _DAY if previous else None
    if start is None:
        return None
    end = _shift(start, n, unit) - _DAY
    if (start.year, start.month) == (end.year, end.month):
        return m, f"{start.year:04d}-{start.month:02d}", "month", (start, end)
    # at year precision, the year holding most of a period of at most a year ("the later
    # six months" of a presidency begun on 20 January ends on 19 January of the next year)
    days = (end - start).days + 1
    if days > 366:
        return None
    in_first = (date(start.year, 12, 31) - start).days + 1
    year = start.year if in_first * 2 >= days else end.year
    return m, f"{year:04d}", "year", (start, end)
