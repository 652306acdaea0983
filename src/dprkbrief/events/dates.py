"""Date intervals for catalog dates and TIMEX3 values, so two dates can be compared.

A date of any precision is an inclusive interval of days: ``"2019"`` is 2019-01-01..2019-12-31,
``"2019-02"`` the month, ``"199"``/``"199X"`` the 1990s. Two dates are *compatible* when their
intervals overlap.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .. import calendar as _cal

MIN_YEAR, MAX_YEAR = _cal.MIN_YEAR, _cal.MAX_YEAR

_FULL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_YEAR_PART = re.compile(r"^(\d{4})-(?:Q([1-4])|W(\d{2})|(SP|SU|FA|WI)|H([12]))")
_DECADE = re.compile(r"^(\d{3})X?$")
_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")
_SEASON = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 12)}

Interval = tuple[date, date]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def interval(value: str | None) -> Interval | None:
    """The day interval of an ISO date or TIMEX3 value, or None if it has no concrete year.

    >>> interval("2019-02")
    (datetime.date(2019, 2, 1), datetime.date(2019, 2, 28))
    >>> interval("PRESENT_REF") is None
    True
    """
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        m = _FULL.match(v)
        if m:
            y = int(m.group(1))
            if m.group(3):
                d = date(y, int(m.group(2)), int(m.group(3)))
                return d, d
            if m.group(2):
                mo = int(m.group(2))
                return date(y, mo, 1), _month_end(y, mo)
            return date(y, 1, 1), date(y, 12, 31)
        m = _YEAR_PART.match(v)
        if m:
            y = int(m.group(1))
            if m.group(2):
                q = int(m.group(2))
                return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
            if m.group(3):
                wk = max(1, min(int(m.group(3)), 52))
                d0 = date.fromisocalendar(y, wk, 1)
                return d0, date.fromisocalendar(y, wk, 7)
            if m.group(4):
                a, b = _SEASON[m.group(4)]
                return date(y, a, 1), _month_end(y, b)
            h = int(m.group(5))
            return date(y, 6 * h - 5, 1), _month_end(y, 6 * h)
        m = _DECADE.match(v)
        if m:
            y = int(m.group(1)) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        m = _CENTURY.match(v)
        if m and len(v) in (2, 4):
            y = int(m.group(1)) * 100
            return date(max(y, 1), 1, 1), date(y + 99, 12, 31)
    except ValueError:  # impossible dates such as 2019-02-30
        return None
    return None


def overlaps(a: Interval | None, b: Interval | None) -> bool:
    """True if both intervals exist and share at least one day."""
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def precision_of(value: str) -> str | None:
    """``day`` / ``month`` / ``year`` / ``decade`` / ``century`` ... of an ISO or TIMEX value
    (:func:`dprkbrief.calendar.precision_of`)."""
    return _cal.precision_of(value)


def bound(value: object, name: str, *, upper: bool) -> date:
    """A ``start``/``end`` filter value (int year or ISO string) as a date.

    ``upper`` picks the last day of the interval (for ``end``). Raises ParameterError.
    """
    from .._validate import check_type
    from ..errors import ParameterError

    check_type(name, value, (int, str), hint="give a year like 1994 or an ISO date '1994-10'")
    text = str(value)
    if isinstance(value, int) and not MIN_YEAR <= value <= MAX_YEAR:
        raise ParameterError(
            f"invalid value for {name!r}: {value!r} is not a plausible year; "
            f"give a year between {MIN_YEAR} and {MAX_YEAR}"
        )
    iv = interval(text) if _FULL.match(text.strip()) else None
    if iv is None:
        raise ParameterError(
            f"invalid value for {name!r}: {value!r} is not a year or ISO date "
            "(YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    return iv[1] if upper else iv[0]
