"""Rule-based temporal tagger: find date expressions and give them TIMEX3 values.

The engine is generic and small, split as HeidelTime splits its own: every pattern, lexicon
and normalisation table is data in ``resources/dates/`` compiled by :mod:`.rules`;
:mod:`.match` finds the expressions and emits underspecified values (``weekday(4, tense)``,
``ref(Y, -2)``); :mod:`.resolve` fills them from the document creation time ``dct``, the
sentence's tense and the document's genre. Without a ``dct`` relative values stay
underspecified (``XXXX-10``), never guessed. Calendar arithmetic is
:mod:`dprkbrief.calendar`.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .. import calendar as cal
from .._validate import check_choice, check_type
from ..errors import DprkbriefWarning
from .match import _TOKEN, match_dates
from .match import number as _num
from .resolve import GENRES, Context, resolve
from .rules import TYPES, DateRules, Rule, Ruleset, as_dates, load_dates, load_rules

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COLUMNS = ["start", "end", "text", "type", "value", "precision", "mod"]
MIN_YEAR, MAX_YEAR = cal.MIN_YEAR, cal.MAX_YEAR
# longest text tagged in one go; longer texts are tagged in overlapping windows
_CHUNK = 200_000

__all__ = [
    "COLUMNS",
    "DateRules",
    "Rule",
    "Ruleset",
    "TYPES",
    "load_dates",
    "load_rules",
    "parse_dct",
    "tag_dates",
    "tag_dates_records",
    "_TOKEN",
    "_num",
]


def _ruleset() -> DateRules:
    return load_dates()


def parse_dct(dct: Any) -> tuple[_dt.date | None, str | None]:
    """Return ``(date, precision)`` of a document creation time; warn if unusable.

    Accepts ISO strings (``2024-12-26``, ``2019-10``, ``2025``, with an optional time part),
    ``datetime.date``/``datetime`` or None; other types raise :class:`ParameterError`. A
    date outside the calendar's years (``9999-12-31``, a sentinel) is not used: relative
    dates stay underspecified rather than becoming ``10000``, with a warning.
    """
    if dct is None:
        return None, None
    if isinstance(dct, _dt.datetime):
        dct = dct.date()
    if isinstance(dct, _dt.date):
        if cal.in_range(dct.year):
            return dct, "day"
    else:
        check_type("dct", dct, str, hint="pass an ISO date such as '2019-10-01', a date, or None")
        got = cal.parse_iso(dct)
        if got is not None:
            return got
    warnings.warn(
        f"cannot use dct={str(dct)!r}: give an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) with a "
        f"year in {cal.MIN_YEAR}-{cal.MAX_YEAR}; relative dates are left underspecified",
        DprkbriefWarning,
        stacklevel=3,
    )
    return None, None


def _tag(
    text: str,
    dr: DateRules,
    dct: _dt.date | None,
    prec: str | None,
    genre: str,
    impossible: list[str],
) -> list[dict]:
    ctx = Context(text, dr, dct, prec, genre)
    ctx.impossible = impossible
    return resolve(match_dates(text, dr, dct), ctx)


def tag_dates_records(
    text: str,
    dct: Any = None,
    *,
    dates: DateRules | str | Path | None = None,
    genre: Literal["news", "narrative"] = "news",
    rules: str | Path | None = None,
) -> list[dict]:
    """Like :func:`tag_dates` but returns a list of dicts (plus the ``rule`` that fired).

    The fast path for short texts (no DataFrame) and what per-document steps call."""
    check_type("text", text, str, hint="pass the document text")
    check_choice("genre", genre, GENRES)
    d, prec = parse_dct(dct)
    dr = as_dates(dates if dates is not None else rules)
    impossible: list[str] = []
    if len(text) <= _CHUNK:
        out = _tag(text, dr, d, prec, genre, impossible)
    else:
        out = []
        pos = 0
        while pos < len(text):  # windows cut at whitespace so no expression is split
            stop = min(len(text), pos + _CHUNK)
            if stop < len(text):
                cut = text.rfind("\n", pos + _CHUNK // 2, stop)
                stop = cut + 1 if cut > 0 else stop
            for r in _tag(text[pos:stop], dr, d, prec, genre, impossible):
                r["start"] += pos
                r["end"] += pos
                r["text"] = text[r["start"] : r["end"]]
                out.append(r)
            pos = stop
    if impossible:
        names = ", ".join(repr(t) for t in dict.fromkeys(impossible))
        warnings.warn(
            f"impossible calendar date(s) not tagged: {names}; check the day of the month",
            DprkbriefWarning,
            stacklevel=3,
        )
    return out


def tag_dates(
    text: str,
    dct: Any = None,
    *,
    dates: DateRules | str | Path | None = None,
    genre: Literal["news", "narrative"] = "news",
    rules: str | Path | None = None,
) -> pd.DataFrame:
    """Find the date expressions of ``text`` and normalise them to TIMEX3 values.

    ``dct`` is the document creation time (ISO ``"2024-12-26"``, ``"2019-10"``, ``"2025"``, a
    ``datetime.date``, or None) against which relative expressions are resolved. ``dates`` is
    the rules: :func:`load_dates` (a user's own patterns/normalisation/tense/recurring files),
    the path of a user patterns TOML file in the format of ``resources/dates/patterns.toml``,
    or None for the shipped ones (``rules`` is the former name of a path). ``genre``:
    ``news`` resolves relative dates from the DCT by the sentence's tense; ``narrative`` from
    the last explicit date mentioned before them.

    Returns a DataFrame with one row per expression, in text order, columns ``start, end``
    (character offsets, ``text == input[start:end]``), ``text``, ``type``
    (DATE|TIME|DURATION|SET), ``value`` (TIMEX3 value such as ``2019-02-28``, ``XXXX-10``,
    ``P4Y``, ``PRESENT_REF``), ``precision`` (century|decade|year|season|quarter|month|week|
    day|time|None) and ``mod`` (TIMEX3 mod such as ``START``, ``MORE_THAN``, or None).

    A range gives two rows, as TimeBank annotates it: "1950-1953" is ``1950`` (text
    ``1950``) and ``1953`` (text ``1953``); "February 27-28, 2019" is ``2019-02-27``
    (``February 27``) and ``2019-02-28`` (``28, 2019``), so neither end is lost. Impossible
    dates ("February 30, 2019") are not tagged; one :class:`DprkbriefWarning` per call names
    them.
    """
    import pandas as pd

    recs = tag_dates_records(text, dct, dates=dates, genre=genre, rules=rules)
    # column by column (much cheaper than a frame of dicts): offsets int64, text/type/value
    # strings, precision and mod object columns that keep None (never NaN)
    import numpy as np

    cols: dict[str, Any] = {k: [r[k] for r in recs] for k in COLUMNS}
    for k in ("start", "end"):
        cols[k] = np.array(cols[k], dtype="int64")
    for k in ("precision", "mod") if recs else ("text", "type", "value", "precision", "mod"):
        arr = np.empty(len(recs), dtype=object)
        arr[:] = cols[k]
        cols[k] = pd.Series(arr, dtype=object, copy=False)
    return pd.DataFrame(cols, columns=COLUMNS)
