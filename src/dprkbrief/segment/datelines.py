"""Publication-date lines ("December 26, 2024", "Published: March 2025"), from data.

The patterns and month table live in ``resources/metadata/dateline.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..resources import load_toml, resource_path


@lru_cache(maxsize=1)
def _dateline() -> tuple[dict[str, int], list[re.Pattern[str]]]:
    data = load_toml(resource_path("metadata", "dateline.toml"))
    return dict(data["months"]), [re.compile(p["regex"]) for p in data["pattern"]]


def find_date(line: str) -> str | None:
    """An ISO date (YYYY[-MM[-DD]]) stated in a front-matter line, or None."""
    months, patterns = _dateline()
    for pat in patterns:
        m = pat.search(line.strip())
        if not m:
            continue
        g = m.groupdict()
        year = int(g["year"])
        month = g.get("month")
        if month is not None:
            month = int(month) if month.isdigit() else months.get(month.lower().rstrip("."))
            if month is None:
                continue
        day = int(g["day"]) if g.get("day") else None
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            continue
        if day:
            return f"{year:04d}-{month:02d}-{day:02d}"
        if month:
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    return None
