"""Publication-date lines ("Published: 3 Mar. 2021, 10:15", "Aired March 4, 2018 - 09:00 ET",
"Updated 7 May 2022", "28.02.2019"), from data.

The month table, the label words (published / updated) and the date shapes live in
``resources/metadata/dateline.toml``; ``stated_dates`` finds every date of a line with its
role, ``find_date`` the first one.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import RuleFileError
from ..resources import load_toml, resource_path

ROLES = ("published", "held", "updated")


@dataclass(frozen=True)
class StatedDate:
    """A date written on a line: ISO value, role (published|held|updated), offsets in the line,
    and whether label words ("Published:", "Updated") introduce it."""

    iso: str
    role: str
    start: int
    end: int
    labelled: bool = False


@dataclass(frozen=True)
class DatelineRules:
    months: dict[str, int]
    labels: tuple[tuple[str, re.Pattern[str]], ...]
    patterns: tuple[re.Pattern[str], ...]
    datelines: tuple[re.Pattern[str], ...] = ()
    spoken: tuple[re.Pattern[str], ...] = ()


def load_dateline_rules(path: str | Path | None = None) -> DatelineRules:
    """Compile ``dateline.toml`` (or a user's copy with the same layout)."""
    p = Path(path) if path is not None else resource_path("metadata", "dateline.toml")
    return _compile(str(p))


@lru_cache(maxsize=8)
def _compile(path: str) -> DatelineRules:
    data = load_toml(path)
    months = {str(k).lower(): int(v) for k, v in data.get("months", {}).items()}
    names = sorted(months, key=len, reverse=True)
    macro = "(?P<month>(?i:" + "|".join(re.escape(n) for n in names) + "))"
    labels = []
    for i, lab in enumerate(data.get("label", [])):
        if lab.get("role") not in ROLES:
            raise RuleFileError(
                f"{path}: [[label]] number {i + 1}: role must be one of {ROLES}, "
                f"got {lab.get('role')!r}"
            )
        labels.append((lab["role"], _regex(path, lab["regex"], re.IGNORECASE)))
    patterns = [
        _regex(path, p["regex"].replace("{month}", macro), 0) for p in data.get("pattern", [])
    ]
    datelines = [
        _regex(path, p["regex"].replace("{month}", macro), 0) for p in data.get("dateline", [])
    ]
    spoken = [_regex(path, p["regex"], 0) for p in data.get("spoken", [])]
    return DatelineRules(months, tuple(labels), tuple(patterns), tuple(datelines), tuple(spoken))


def _regex(path: str, regex: str, flags: int) -> re.Pattern[str]:
    try:
        return re.compile(regex, flags)
    except re.error as exc:
        raise RuleFileError(f"{path}: invalid regex {regex!r}: {exc}") from None


def _iso(m: re.Match[str], months: dict[str, int]) -> str | None:
    g = m.groupdict()
    year = int(g["year"])
    month: int | None = None
    if g.get("month") is not None:
        raw = g["month"]
        month = int(raw) if raw.isdigit() else months.get(raw.lower().rstrip("."))
        if month is None:
            return None
    day = int(g["day"]) if g.get("day") else None
    try:
        _dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if day and month:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def stated_dates(line: str, rules: DatelineRules | None = None) -> list[StatedDate]:
    """Every date written on ``line``, in order, each with its role.

    The role comes from the nearest label words before the date on the line ("Updated 7 May
    2022" -> updated); a date without label words counts as a publication date.
    """
    rules = rules or load_dateline_rules()
    lead = len(line) - len(line.lstrip())
    body = line.strip()
    found: list[StatedDate] = []
    taken: list[tuple[int, int]] = []
    for pat in rules.patterns:
        for m in pat.finditer(body):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            iso = _iso(m, rules.months)
            if iso is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(StatedDate(iso, "published", lead + m.start(), lead + m.end()))
    found.sort(key=lambda d: d.start)
    out = []
    prev_end = 0
    for d in found:
        before = line[prev_end : d.start]
        role, best = "published", -1
        for r, rx in rules.labels:
            for lm in rx.finditer(before):
                if lm.start() > best:
                    role, best = r, lm.start()
        labelled = best >= 0
        if not labelled and out:  # "Updated May 7, 2022 / May 7, 2022" keeps its role
            role, labelled = out[-1].role, out[-1].labelled
        out.append(StatedDate(d.iso, role, d.start, d.end, labelled))
        prev_end = d.end
    return out


def is_spoken(line: str, rules: DatelineRules | None = None) -> bool:
    """True if a front-matter line marks the record of a spoken event ("Aired ...",
    "Remarks", "Special Briefing")."""
    rules = rules or load_dateline_rules()
    return any(rx.search(line) for rx in rules.spoken)


def dateline_day(line: str, rules: DatelineRules | None = None) -> tuple[int, int] | None:
    """(month, day) of a year-less news dateline opening ``line`` ("GENEVA, Oct. 21 --")."""
    span = dateline_span(line, rules)
    return None if span is None else (span[2], span[3])


def dateline_span(
    line: str, rules: DatelineRules | None = None
) -> tuple[int, int, int, int] | None:
    """(start, end, month, day) of a year-less news dateline opening ``line``, offsets into
    ``line``, or None."""
    rules = rules or load_dateline_rules()
    lead = len(line) - len(line.lstrip())
    for rx in rules.datelines:
        m = rx.match(line.strip())
        if m:
            month = rules.months.get(m.group("month").lower().rstrip("."))
            day = int(m.group("day"))
            if month and 1 <= day <= 31:
                return lead + m.start(), lead + m.end(), month, day
    return None


def find_date(line: str, rules: DatelineRules | None = None) -> str | None:
    """The first ISO date (YYYY[-MM[-DD]]) stated in a front-matter line, or None."""
    dates = stated_dates(line, rules)
    return dates[0].iso if dates else None
