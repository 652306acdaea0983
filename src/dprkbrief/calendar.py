"""Date arithmetic, ISO/TIMEX3 value parsing and precision: one module for the whole package.

Every part of dprkbrief that shifts a date by months, names the ISO week of a day, checks
that a day exists or says how precise a value is (``2019`` year, ``2019-Q3`` quarter,
``2019-02-28`` day ...) calls this module, so the tagger, the corpus catalog, the timeline and
the forecast ledger agree.

Years lie in ``MIN_YEAR..MAX_YEAR`` (1000-2999). Every value in the package is written with a
four-digit year (ISO 8601 basic form, TIMEX3 ``YYYY``), and the tagger's year patterns only
read four-digit years: a year below 1000 cannot be written or read here, and a year after 2999
is a typo or a sentinel (``9999-12-31``), never a date a text on negotiations means. Arithmetic
that would leave the range returns None (callers then leave the value underspecified and
warn), never ``10000``.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import re

MIN_YEAR, MAX_YEAR = 1000, 2999

PRECISIONS = ("century", "decade", "year", "season", "quarter", "month", "week", "day", "time")

_PRECISION = [
    (re.compile(p), name)
    for p, name in [
        (r"\d{4}-\d\d-\d\dT.*|X{4}-.*T.*", "time"),
        (r"[\dX]{4}-[\dX]{2}-[\dX]{2}|[\dX]{4}-W[\dX]{2}-\d", "day"),
        (r"[\dX]{4}-W[\dX]{2}(-WE)?", "week"),
        (r"[\dX]{4}-[\dX]{2}", "month"),
        (r"[\dX]{4}-(SP|SU|FA|WI)", "season"),
        (r"[\dX]{4}-(Q[\dX]|H[\dX])", "quarter"),
        (r"\d{3}X", "decade"),
        (r"\d{2}XX", "century"),
        (r"[\dX]{4}", "year"),
        (r"[\dX]{3}X?", "decade"),
        (r"[\dX]{2}(XX)?", "century"),
    ]
]
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+Z?)?")


def precision_of(value: str | None) -> str | None:
    """Precision of an ISO date or TIMEX3 value: ``century`` ... ``day``, ``time`` or None.

    >>> precision_of("2019-02"), precision_of("2019-Q3"), precision_of("PRESENT_REF")
    ('month', 'quarter', None)
    """
    if not isinstance(value, str):
        return None
    v = value.strip()
    for rx, name in _PRECISION:
        if rx.fullmatch(v):
            return name
    return None


def in_range(year: int) -> bool:
    """Whether ``year`` is one the package can write (``MIN_YEAR..MAX_YEAR``)."""
    return MIN_YEAR <= year <= MAX_YEAR


def valid_date(year: int, month: int, day: int) -> bool:
    """Whether the day exists (and its year is in range): ``valid_date(2019, 2, 29)`` False."""
    return in_range(year) and 1 <= month <= 12 and 1 <= day <= _calendar.monthrange(year, month)[1]


def parse_iso(value: str) -> tuple[_dt.date, str] | None:
    """``(first day, precision)`` of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (an optional time
    part is ignored); None if it is not such a value or names no real day in range."""
    m = _ISO.fullmatch(value.strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if not valid_date(y, int(mo or 1), int(d or 1)):
        return None
    prec = "day" if d else "month" if mo else "year"
    return _dt.date(y, int(mo or 1), int(d or 1)), prec


def format_date(d: _dt.date, precision: str = "day") -> str | None:
    """``d`` written at ``precision`` (year, month, quarter, week, day); None out of range."""
    if not in_range(d.year):
        return None
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if precision == "quarter":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if precision == "week":
        return iso_week(d)
    return d.isoformat()


def quarter_of(d: _dt.date) -> int:
    """Quarter 1-4 of a day."""
    return (d.month - 1) // 3 + 1


def month_end(year: int, month: int) -> _dt.date:
    """Last day of a month."""
    return _dt.date(year, month, _calendar.monthrange(year, month)[1])


def add_months(d: _dt.date, n: int) -> _dt.date | None:
    """``d`` shifted by ``n`` calendar months, the day clipped to the month's length
    (January 31 + 1 month = February 28/29); None outside the year range."""
    k = d.year * 12 + d.month - 1 + n
    y, m = k // 12, k % 12 + 1
    if not in_range(y):
        return None
    return _dt.date(y, m, min(d.day, _calendar.monthrange(y, m)[1]))


def add_days(d: _dt.date, n: int) -> _dt.date | None:
    """``d`` shifted by ``n`` days; None outside the year range."""
    try:
        out = d + _dt.timedelta(days=n)
    except OverflowError:
        return None
    return out if in_range(out.year) else None


def iso_week(d: _dt.date) -> str:
    """ISO week of a day as a TIMEX3 value (``2019-W09``)."""
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def weekday_shift(d: _dt.date, weekday: int, mode: str) -> int:
    """Days from ``d`` to the ISO ``weekday`` (1 = Monday) named relative to it.

    ``mode``: ``last`` the most recent on or before ``d``; ``next`` the coming one on or
    after; ``lastweek``/``nextweek`` strictly before/after; ``lastnamed`` strictly before
    and not the day before (that day a writer calls "yesterday"); ``near`` the nearest
    (ties forward)."""
    cur = d.isoweekday()
    if mode == "last":
        return -((cur - weekday) % 7)
    if mode == "next":
        return (weekday - cur) % 7
    if mode == "lastweek":
        return -((cur - weekday) % 7 or 7)
    if mode == "lastnamed":  # "last Monday" said on a Tuesday: yesterday would be "yesterday"
        back = (cur - weekday) % 7 or 7
        return -(back + 7 if back == 1 else back)
    if mode == "nextweek":
        return (weekday - cur) % 7 or 7
    delta = (weekday - cur) % 7
    return delta - 7 if delta > 3 else delta


def nth_weekday_on_or_after(year: int, month: int, day: int, weekday: int) -> _dt.date:
    """The first ISO ``weekday`` on or after ``year-month-day`` (U.S. Election Day: the first
    Tuesday on or after November 2)."""
    d = _dt.date(year, month, day)
    return d + _dt.timedelta(days=(weekday - d.isoweekday()) % 7)


def quarters_between(value: str, d: _dt.date) -> int:
    """How many quarters the quarter ``value`` (``1989-Q3``) lies before the day ``d``."""
    return (d.year * 4 + quarter_of(d)) - (int(value[:4]) * 4 + int(value[-1]))
