"""Score the timeline against the dated events annotated in the real-document set.

Gold data: the ``events`` of ``benchmarks/realdocs/<doc_id>.json`` (format:
``benchmarks/realdocs/README.md``); texts from ``$DPRKBRIEF_REALDOCS`` (git-ignored, see that
README to rebuild them). The corpus is built with ``realdocs_corpus`` of the set's loader: the
annotated publication date is given to dprkbrief only when the text does not state it.

Measures (every timeline row counts: ``kind`` catalog or dated_mention):

* recall (right date): share of annotated events for which some timeline row of the same
  document overlaps the event span and carries the right date -- the row's date interval lies
  inside the annotated date's interval, i.e. the same value at the annotated precision
  (a row ``2019-02-28`` matches an event ``2019-02`` of month precision; ``2019`` does not
  match ``2019-02-28``; a week row ``2018-W22`` counts as the month holding its Thursday);
* recall (any date): share of annotated events overlapped by some row, whatever its date;
* precision: share of timeline rows that overlap an annotated event span with the right date;
  ``precision (span)`` relaxes that to any overlapping event span.

Run from the repository root:

    DPRKBRIEF_REALDOCS=/work/main/.cache/realdocs .venv/bin/python benchmarks/eval_realdocs_timeline.py
    ... --details     # every missed event and every unmatched row
    ... --json        # machine-readable totals and per-document numbers
    ... --annotations DIR   # annotation folder (default benchmarks/realdocs)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ANN = ROOT / "benchmarks" / "realdocs"


def _loader(ann_dir: Path):
    """The set's loader module (``load.py`` beside the annotations)."""
    path = ann_dir / "load.py"
    if not path.is_file():
        sys.exit(f"no loader at {path}; pass --annotations <folder with load.py and rd*.json>")
    spec = importlib.util.spec_from_file_location("realdocs_load", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def gold_interval(value: str, precision: str) -> tuple[date, date] | None:
    """Day interval of an annotated date (``199X`` / ``1990s`` decades too)."""
    from dprkbrief.events.dates import interval

    v = str(value).strip()
    if precision == "decade":
        m = re.match(r"^(\d{3})(?:X|0s)?$", v)
        v = m.group(1) if m else v
    return interval(v)


def row_interval(row: Any) -> tuple[date, date] | None:
    from dprkbrief.events.dates import interval

    return interval(row.date) if isinstance(row.date, str) else None


def right_date(row: Any, event: dict[str, Any]) -> bool:
    """The row's date is the event's at the annotated precision: its interval lies inside
    the annotated one; a week counts as the month/year holding its Thursday (ISO rule)."""
    from datetime import timedelta

    g = gold_interval(event["date"], event["precision"])
    r = row_interval(row)
    if g is None or r is None:
        return False
    if (r[1] - r[0]).days == 6 and event["precision"] != "day":
        r = (r[0] + timedelta(days=3),) * 2
    return g[0] <= r[0] and r[1] <= g[1]


def overlaps(row: Any, event: dict[str, Any]) -> bool:
    return row.start < event["end"] and event["start"] < row.end


def score(docs: list[dict[str, Any]], tl: Any) -> dict[str, Any]:
    """Per-document and total counts; ``misses``/``false`` list what did not match."""
    per_doc = []
    misses, false = [], []
    for d in docs:
        rows = list(tl[tl["doc_id"] == d["doc_id"]].itertuples(index=False))
        events = d.get("events") or []
        found = right = 0
        for e in events:
            near = [r for r in rows if overlaps(r, e)]
            found += bool(near)
            ok = any(right_date(r, e) for r in near)
            right += ok
            if not ok:
                misses.append(
                    {
                        "doc_id": d["doc_id"],
                        "event": e["what"],
                        "gold": e["date"],
                        "precision": e["precision"],
                        "got": sorted({str(r.date) for r in near}),
                        "anchor": e["anchor"],
                    }
                )
        matched = span_ok = 0
        for r in rows:
            near = [e for e in events if overlaps(r, e)]
            span_ok += bool(near)
            hit = any(right_date(r, e) for e in near)
            matched += hit
            if not hit:
                false.append(
                    {
                        "doc_id": d["doc_id"],
                        "date": r.date,
                        "kind": r.kind,
                        "how": r.how,
                        "event_id": r.event_id,
                        "cue": r.cue,
                        "overlaps_event": bool(near),
                        "quote": " ".join(str(r.quote).split())[:90],
                    }
                )
        per_doc.append(
            {
                "doc_id": d["doc_id"],
                "events": len(events),
                "found_any": found,
                "found_right": right,
                "rows": len(rows),
                "rows_matched": matched,
                "rows_on_span": span_ok,
            }
        )
    tot = {k: sum(p[k] for p in per_doc) for k in per_doc[0] if k != "doc_id"} if per_doc else {}

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    totals = {
        "documents": len(per_doc),
        "events": tot.get("events", 0),
        "rows": tot.get("rows", 0),
        "recall_right_date": ratio(tot.get("found_right", 0), tot.get("events", 0)),
        "recall_any_date": ratio(tot.get("found_any", 0), tot.get("events", 0)),
        "precision": ratio(tot.get("rows_matched", 0), tot.get("rows", 0)),
        "precision_span": ratio(tot.get("rows_on_span", 0), tot.get("rows", 0)),
    }
    return {"totals": totals, "per_doc": per_doc, "misses": misses, "false": false}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--annotations", type=Path, default=DEFAULT_ANN)
    ap.add_argument("--texts", type=Path, default=None, help="text folder ($DPRKBRIEF_REALDOCS)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args(argv)

    import dprkbrief

    load = _loader(args.annotations)
    docs = load.load_realdocs(args.texts, annotations=args.annotations)
    if not docs:
        print("no real documents with texts found; set DPRKBRIEF_REALDOCS (see the set's README)")
        return 1
    corpus = load.realdocs_corpus(docs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl = dprkbrief.timeline(corpus)
    res = score(docs, tl)
    if args.json:
        print(json.dumps(res if args.details else {k: res[k] for k in ("totals", "per_doc")}))
        return 0
    print(f"{'doc_id':44} {'events':>6} {'any':>5} {'right':>5} {'rows':>5} {'match':>5}")
    for p in res["per_doc"]:
        print(
            f"{p['doc_id']:44} {p['events']:6d} {p['found_any']:5d} {p['found_right']:5d} "
            f"{p['rows']:5d} {p['rows_matched']:5d}"
        )
    t = res["totals"]
    print(
        f"\n{t['documents']} documents, {t['events']} annotated events, {t['rows']} timeline rows"
        f"\nrecall (right date) {t['recall_right_date']}   recall (any date) "
        f"{t['recall_any_date']}   precision {t['precision']}   precision (span) "
        f"{t['precision_span']}"
    )
    if args.details:
        print("\nmissed events (no overlapping row with the right date):")
        for m in res["misses"]:
            print(f"  {m['doc_id']}: {m['gold']} ({m['precision']}) {m['event']!r} got {m['got']}")
        print("\nunmatched rows:")
        for f in res["false"]:
            where = "on an event span" if f["overlaps_event"] else "no event"
            print(
                f"  {f['doc_id']}: {f['date']} {f['kind']}/{f['how']} {f['event_id'] or ''} "
                f"cue={f['cue']!r} ({where}) {f['quote']!r}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
