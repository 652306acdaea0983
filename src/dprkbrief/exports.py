"""Exports of the timeline: CSV (every column) and TimelineJS JSON (a browsable timeline).

TimelineJS (https://timeline.knightlab.com) reads ``{"title", "events", "eras"}``; each event
has ``start_date``/``end_date`` as ``{"year", "month", "day"}`` strings, a ``text`` with a
headline and an HTML body, and a ``group`` (one per document here).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._validate import check_columns, check_type
from .errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_NEEDED = ("event_id", "label", "date", "kind", "doc_id", "quote", "date_start", "date_end")


def _out_path(path: str | Path) -> Path:
    check_type("path", path, (str, Path))
    p = Path(path)
    if p.is_dir():
        raise ParameterError(f"invalid value for 'path': {p} is a directory; give a file name")
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def timeline_to_csv(tl: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """Write the timeline as CSV (UTF-8, all columns) to ``path``; without a path, return the
    CSV text."""
    check_columns("tl", tl, _NEEDED, source="dprkbrief.timeline(corpus)")
    if path is None:
        return tl.to_csv(index=False)
    tl.to_csv(_out_path(path), index=False, encoding="utf-8")
    return None


def _tjs_date(iso: str | None) -> dict[str, str] | None:
    if not isinstance(iso, str):
        return None
    parts = iso.split("-")
    if not parts[0].isdigit():
        return None
    out = {"year": str(int(parts[0]))}
    if len(parts) > 1 and parts[1].isdigit():
        out["month"] = str(int(parts[1]))
    if len(parts) > 2 and parts[2].isdigit():
        out["day"] = str(int(parts[2]))
    return out


def _row_dates(row: Any) -> tuple[dict | None, dict | None]:
    """TimelineJS start/end of a row: the row's date at its own precision; spans, decades and
    other non-calendar values (``199``, ``2019-Q2``) get their interval's start and end."""
    import re

    if isinstance(row.date, str) and re.fullmatch(r"\d{4}(-\d{2}){0,2}", row.date):
        start = _tjs_date(row.date)
        if row.kind != "catalog" or row.date_end == row.date_start:
            return start, None
        return start, _tjs_date(row.date_end)
    return _tjs_date(row.date_start), _tjs_date(row.date_end)


def timeline_to_timelinejs(
    tl: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    eras: pd.DataFrame | None = None,
    title: str = "Timeline of events mentioned in the corpus",
) -> dict[str, Any]:
    """The timeline as a TimelineJS JSON object (a dict; ``json.dumps`` it or use
    ``write_timelinejs``).

    One TimelineJS event per row: headline = event label (or the date excerpt), text = the
    quote and its source (document title, date, speaker, seg_id), group = the document.
    ``documents`` (``corpus.documents``) supplies titles; ``eras`` (``load_eras``) the eras.
    Rows whose date has no concrete year are skipped.
    """
    check_columns("tl", tl, _NEEDED, source="dprkbrief.timeline(corpus)")
    titles: dict[str, str] = {}
    if documents is not None:
        import pandas as pd

        check_type("documents", documents, pd.DataFrame)
        titles = {
            d: t for d, t in zip(documents["doc_id"], documents["title"]) if isinstance(t, str)
        }
    events = []
    for i, r in enumerate(tl.itertuples(index=False)):
        start, end = _row_dates(r)
        if start is None:
            continue
        doc_title = titles.get(r.doc_id, r.doc_id)
        source = ", ".join(
            str(x)
            for x in (doc_title, r.doc_date, getattr(r, "speaker", None), r.seg_id)
            if isinstance(x, str) and x
        )
        how = getattr(r, "how", None)
        body = (
            f"<blockquote>{html.escape(r.quote)}</blockquote>"
            f"<p>Source: {html.escape(source)}</p>"
            + (f"<p>Date: {html.escape(str(r.date))} ({html.escape(how)})</p>" if how else "")
        )
        ev: dict[str, Any] = {
            "start_date": start,
            "text": {"headline": html.escape(str(r.label)), "text": body},
            "group": html.escape(doc_title),  # TimelineJS renders group labels as HTML
            "unique_id": f"row{i:05d}-{r.seg_id}",
        }
        if end is not None:
            ev["end_date"] = end
        events.append(ev)
    out: dict[str, Any] = {
        "title": {
            "text": {
                "headline": html.escape(title),
                "text": f"<p>{len(events)} mentions in {tl['doc_id'].nunique()} document(s)</p>",
            }
        },
        "events": events,
    }
    if eras is not None and len(eras):
        out["eras"] = [
            {
                "start_date": _tjs_date(e.date_start),
                "end_date": _tjs_date(e.date_end),
                "text": {"headline": html.escape(e.label)},
            }
            for e in eras.itertuples(index=False)
        ]
    return out


def write_timelinejs(
    tl: pd.DataFrame,
    path: str | Path,
    *,
    documents: pd.DataFrame | None = None,
    eras: pd.DataFrame | None = None,
    title: str = "Timeline of events mentioned in the corpus",
) -> Path:
    """Write ``timeline_to_timelinejs(...)`` as UTF-8 JSON to ``path``; return the path."""
    data = timeline_to_timelinejs(tl, documents=documents, eras=eras, title=title)
    p = _out_path(path)
    p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return p
