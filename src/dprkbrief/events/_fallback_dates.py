"""Stop-gap date finder used ONLY while ``dprkbrief.temporal.tagger`` is not importable.

It covers the common forms (``1968``, ``1990s``, ``June 2019``, ``December 26, 2024``, ``in
October``, ``next November``, ``last year``, ``next month``) and returns rows shaped like
``tag_dates`` (start, end, text, type, value, precision, mod). The real tagger supersedes it.
"""

from __future__ import annotations

import re

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for m in names
}
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)"
_PATTERNS = [
    re.compile(_MON + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>(1[89]|20)\d\d)\b"),
    re.compile(r"\b(?P<day>\d{1,2})\s+" + _MON + r",?\s+(?P<year>(1[89]|20)\d\d)\b"),
    re.compile(_MON + r",?\s+(?P<year>(1[89]|20)\d\d)\b"),
    re.compile(r"\b(?P<rel>next|last|this)\s+(?P<unit>year|month)\b", re.I),
    re.compile(r"\b(?P<rel>next|last|this)\s+" + _MON),
    re.compile(r"\b(?i:in|since|until|by|before|after|from)\s+" + _MON + r"\b(?!\s*\d)"),
    re.compile(r"\b(?P<decade>(1[89]|20)\d)0s\b"),
    re.compile(r"(?<![\d.,$])\b(?P<year>(1[89]|20)\d\d)\b(?![\d%])"),
]


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    n = year * 12 + month - 1 + by
    return n // 12, n % 12 + 1


def fallback_dates(text: str, dct: str | None = None) -> list[dict]:
    """Date expressions in ``text`` as dicts with the ``tag_dates`` columns."""
    dy = int(dct[:4]) if dct and dct[:4].isdigit() else None
    dm = int(dct[5:7]) if dct and len(dct) >= 7 and dct[5:7].isdigit() else None
    taken: list[tuple[int, int]] = []
    rows = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            g = m.groupdict()
            mon = _MONTHS.get((g.get("mon") or "").lower())
            value = None
            if g.get("decade"):
                value = g["decade"]
            elif g.get("year"):
                value = g["year"]
                if mon:
                    value += f"-{mon:02d}"
                    if g.get("day"):
                        value += f"-{int(g['day']):02d}"
            elif dy is not None and g.get("unit"):
                by = {"next": 1, "last": -1, "this": 0}[g["rel"].lower()]
                if g["unit"].lower() == "year":
                    value = str(dy + by)
                elif dm is not None:
                    y, mo = _shift(dy, dm, by)
                    value = f"{y}-{mo:02d}"
            elif dy is not None and mon:
                rel = (g.get("rel") or "").lower()
                y = dy
                if rel == "next":
                    y += 1
                elif rel == "last":
                    y -= 1
                value = f"{y}-{mon:02d}"
            if value is None:
                continue
            taken.append((s, e))
            prec = {4: "year", 7: "month", 10: "day", 3: "decade"}[len(value)]
            rows.append(
                {
                    "start": s,
                    "end": e,
                    "text": m.group(0),
                    "type": "DATE",
                    "value": value,
                    "precision": prec,
                    "mod": None,
                }
            )
    return sorted(rows, key=lambda r: r["start"])
