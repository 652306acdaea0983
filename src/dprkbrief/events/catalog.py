"""The event catalog: dated events with the cues that name them, and eras (data, not code).

The shipped catalog is ``resources/events/catalog.toml`` (its opening comment documents the
format); users pass their own file with the same layout.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import check_type
from ..errors import ParameterError, RuleFileError
from ..resources import load_toml, resource_path
from . import dates as _dates

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

EVENT_COLUMNS = [
    "event_id",
    "label",
    "date",
    "precision",
    "date_start",
    "date_end",
    "category",
    "description",
    "aliases",
    "patterns",
    "context_cues",
    "requires",
    "dated_cues",
    "examples",
    "counter_examples",
]
ERA_COLUMNS = ["era_id", "label", "date_start", "date_end", "description"]
_LISTS = ("aliases", "patterns", "context_cues", "requires", "dated_cues")
_REQUIRED = ("id", "label", "date", "precision", "category", "description")
_ID = re.compile(r"^[a-z0-9_]+$")


def _catalog_path(events: str | Path | None) -> Path:
    if events is None:
        return resource_path("events", "catalog.toml")
    check_type("events", events, (str, Path), hint="give the path of a catalog TOML file")
    path = Path(events)
    if not path.exists():
        raise ParameterError(
            f"invalid value for 'events': catalog file not found: {path}; check the path or "
            "pass None for the shipped catalog"
        )
    return path


def _example(path: Path, eid: str, item: Any) -> dict[str, Any]:
    if isinstance(item, str):
        return {"text": item, "dct": None, "context": None}
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return {"text": item["text"], "dct": item.get("dct"), "context": item.get("context")}
    raise RuleFileError(
        f"{path}: event {eid!r}: an example must be a string or {{ text = ..., dct = ... }}, "
        f"got {item!r}"
    )


def _check_date(path: Path, where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or _dates.precision_of(value) not in ("day", "month", "year"):
        raise RuleFileError(
            f"{path}: {where}: {key} = {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    if _dates.interval(value) is None:
        raise RuleFileError(f"{path}: {where}: {key} = {value!r} is an impossible date")
    return value


def _event_row(path: Path, entry: Any, n: int) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise RuleFileError(f"{path}: [[event]] number {n} is not a table")
    missing = [k for k in _REQUIRED if k not in entry]
    eid = entry.get("id", f"#{n}")
    if missing:
        raise RuleFileError(f"{path}: event {eid!r} lacks required key(s) {missing}; add them")
    if not isinstance(eid, str) or not _ID.match(eid):
        raise RuleFileError(f"{path}: event id {eid!r}: use lowercase letters, digits and '_'")
    where = f"event {eid!r}"
    date = _check_date(path, where, "date", entry["date"])
    precision = entry["precision"]
    if precision != _dates.precision_of(date):
        raise RuleFileError(
            f"{path}: {where}: precision = {precision!r} does not match date {date!r} "
            f"(which has precision {_dates.precision_of(date)!r})"
        )
    start = _check_date(path, where, "date_start", entry.get("date_start", date))
    end = _check_date(path, where, "date_end", entry.get("date_end", date))
    if _dates.interval(start)[0] > _dates.interval(end)[1]:
        raise RuleFileError(f"{path}: {where}: date_start {start!r} is after date_end {end!r}")
    row: dict[str, Any] = {
        "event_id": eid,
        "label": str(entry["label"]),
        "date": date,
        "precision": precision,
        "date_start": start,
        "date_end": end,
        "category": str(entry["category"]),
        "description": str(entry["description"]),
    }
    for key in _LISTS:
        items = entry.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise RuleFileError(f"{path}: {where}: {key} must be a list of strings")
        for item in items:
            if key == "aliases":
                continue
            try:
                re.compile(item)
            except re.error as exc:
                raise RuleFileError(
                    f"{path}: {where}: {key} regex {item!r} does not compile ({exc})"
                ) from None
        row[key] = list(items)
    if row["context_cues"] and not row["requires"]:
        raise RuleFileError(
            f"{path}: {where}: context_cues need `requires` context words; add some or move "
            "the cues to dated_cues"
        )
    if not (row["aliases"] or row["patterns"] or row["context_cues"] or row["dated_cues"]):
        raise RuleFileError(f"{path}: {where}: no cue at all; add aliases or patterns")
    examples = entry.get("examples")
    if not isinstance(examples, list) or not examples:
        raise RuleFileError(f"{path}: {where}: give at least one example sentence")
    row["examples"] = [_example(path, eid, e) for e in examples]
    row["counter_examples"] = [_example(path, eid, e) for e in entry.get("counter_examples", [])]
    return row


def load_events(events: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The event catalog as a DataFrame, one row per event, sorted by date.

    ``events`` is None (the shipped catalog), the path of a user catalog TOML, or a DataFrame
    returned by an earlier call (checked and returned as is). Columns: event_id, label, date
    (ISO, truncated to its precision), precision (day|month|year), date_start, date_end
    (span; equal to ``date`` for points), category, description, aliases, patterns,
    context_cues, requires, dated_cues (lists of strings), examples, counter_examples (lists
    of ``{text, dct, context}``). Raises RuleFileError naming the file and entry at fault.
    """
    import pandas as pd

    if isinstance(events, pd.DataFrame):
        missing = [c for c in EVENT_COLUMNS if c not in events.columns]
        if missing:
            raise ParameterError(
                f"invalid value for 'events': the DataFrame lacks column(s) {missing}; pass a "
                "catalog path or the result of load_events()"
            )
        return events
    path = _catalog_path(events)
    data = load_toml(path)
    entries = data.get("event")
    if not isinstance(entries, list) or not entries:
        raise RuleFileError(f"{path}: no [[event]] tables; see the shipped catalog for the format")
    rows = [_event_row(path, e, n) for n, e in enumerate(entries, 1)]
    seen: set[str] = set()
    for r in rows:
        if r["event_id"] in seen:
            raise RuleFileError(f"{path}: event id {r['event_id']!r} appears twice")
        seen.add(r["event_id"])
    df = pd.DataFrame(rows, columns=EVENT_COLUMNS, dtype=object)
    df["_sort"] = df["date_start"].map(lambda v: _dates.interval(v)[0])
    return df.sort_values(["_sort", "event_id"]).drop(columns="_sort").reset_index(drop=True)


def load_eras(events: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The eras of a catalog (``[[era]]`` tables): era_id, label, date_start, date_end,
    description, sorted by start. A user catalog without eras gives an empty table; a
    DataFrame ``events`` (no file) gives the shipped eras.
    """
    import pandas as pd

    if isinstance(events, pd.DataFrame):
        events = None
    path = _catalog_path(events)
    rows = []
    for n, entry in enumerate(load_toml(path).get("era", []), 1):
        if not isinstance(entry, dict) or not {"id", "label", "date_start", "date_end"} <= set(
            entry
        ):
            raise RuleFileError(
                f"{path}: [[era]] number {n} needs id, label, date_start and date_end"
            )
        where = f"era {entry['id']!r}"
        start = _check_date(path, where, "date_start", entry["date_start"])
        end = _check_date(path, where, "date_end", entry["date_end"])
        rows.append(
            {
                "era_id": entry["id"],
                "label": str(entry["label"]),
                "date_start": start,
                "date_end": end,
                "description": str(entry.get("description", "")),
            }
        )
    df = pd.DataFrame(rows, columns=ERA_COLUMNS, dtype=object)
    if len(df):
        df["_sort"] = df["date_start"].map(lambda v: _dates.interval(v)[0])
        df = df.sort_values("_sort").drop(columns="_sort").reset_index(drop=True)
    return df
