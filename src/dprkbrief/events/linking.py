"""Link sentences to catalog events: match cues, check dates, record which cue matched.

Cue kinds, strongest first (see the catalog's opening comment): ``alias`` and ``pattern``
link on their own; ``context`` cues need a ``requires`` word in the paragraph or a
compatible date; ``dated`` cues need a compatible date. A date in the sentence is compatible
when its interval overlaps the event's [date_start, date_end].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import check_type
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
]
_KINDS = ("alias", "pattern", "context", "dated")


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
    return out


@lru_cache(maxsize=8)
def _shipped() -> list[_Event]:
    return compile_events(load_events())


def resolve_events(events: Any) -> tuple[pd.DataFrame, list[_Event]]:
    """``events`` (None, a catalog path or a ``load_events`` DataFrame) -> table + matchers."""
    if events is None:
        return load_events(), _shipped()
    table = load_events(events)
    return table, compile_events(table)


def _tag(text: str, dct: str | None) -> list[dict]:
    """Date expressions of the temporal tagger, as records (no DataFrame per document)."""
    from ..temporal.tagger import tag_dates_records

    return tag_dates_records(text, dct=dct)


def find_dates(text: str, dct: str | None = None) -> tuple[list[Timex], list[str]]:
    """Concrete dates in ``text`` (DATE expressions with a year) and out-of-range values.

    Uses ``dprkbrief.temporal.tagger.tag_dates`` with ``dct``; ``relative`` is True when the
    year of the value is not written in the expression ("last year", "in October").
    Returns (timexes, rejected) where ``rejected`` lists implausible values (years outside
    1000-2999 or impossible dates), for the caller to warn about.
    """
    rows = _tag(text, dct)
    out: list[Timex] = []
    rejected: list[str] = []
    for r in rows:
        value = r.get("value")
        if r.get("type", "DATE") != "DATE" or not isinstance(value, str):
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


def match_sentence(
    text: str,
    compiled: list[_Event],
    timexes: list[Timex],
    *,
    context: str | None = None,
) -> tuple[list[dict[str, Any]], set[int]]:
    """Links of one sentence: list of row dicts (``LINK_COLUMNS``, cue offsets relative to
    ``text``) and the indexes of the ``timexes`` used by a link."""
    ctx = text if context is None else context
    links: list[dict[str, Any]] = []
    used: set[int] = set()
    for ev in compiled:
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
            if compatible:
                best = min(compatible, key=lambda i: abs(timexes[i].start - m.start()))
                used.update(compatible)
                t = timexes[best]
                how, timex = ("relative" if t.relative else "explicit"), t.value
            else:
                how, timex = "catalog", None
            links.append(
                {
                    "event_id": ev.event_id,
                    "label": ev.label,
                    "date": ev.date,
                    "precision": ev.precision,
                    "category": ev.category,
                    "cue": m.group(0),
                    "cue_kind": kind,
                    "cue_start": m.start(),
                    "cue_end": m.end(),
                    "how": how,
                    "timex": timex,
                }
            )
            break
    return links, used


def link_events(
    text: str,
    *,
    events: str | Path | pd.DataFrame | None = None,
    dct: str | None = None,
    context: str | None = None,
) -> pd.DataFrame:
    """Catalog events mentioned in one sentence ``text``, one row per event.

    ``dct`` (ISO document date) resolves relative dates; ``context`` is the wider text
    (e.g. the paragraph) searched for the ``requires`` words of context cues (default: the
    sentence). Columns: event_id, label, date, precision, category, cue (the matched text),
    cue_kind (alias|pattern|context|dated), cue_start, cue_end (offsets into ``text``), how
    (explicit|relative|catalog), timex (the compatible date value found, or None).
    """
    import pandas as pd

    check_type("text", text, str)
    if dct is not None:
        check_type("dct", dct, str, hint="an ISO date such as '2019-10-01'")
    if context is not None:
        check_type("context", context, str)
    _, compiled = resolve_events(events)
    timexes, _ = find_dates(text, dct)
    links, _ = match_sentence(text, compiled, timexes, context=context)
    return pd.DataFrame(links, columns=LINK_COLUMNS, dtype=object).astype(
        {"cue_start": "int64", "cue_end": "int64"}
    )
