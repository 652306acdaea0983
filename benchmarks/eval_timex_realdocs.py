"""The tagger alone on the real-document set: are the date words of annotated events tagged
with the right value?

Run: DPRKBRIEF_REALDOCS=<texts> .venv/bin/python benchmarks/eval_timex_realdocs.py
     [--annotations benchmarks/realdocs] [--list]

For every annotated event of ``benchmarks/realdocs/*.json`` whose date is written in the text
(``date_span``), the tagger runs on the whole document with the annotated publication date
as DCT (news genre). The event counts as *tagged* when a DATE/TIME timex overlaps its date
span, and as *right* when one of those timexes names the annotated date at the annotated
precision (its value truncated to that precision, or a week lying inside the annotated
month). This isolates the tagger's share of the timeline's errors; the timeline itself is
scored by ``eval_realdocs_timeline.py``. ``--list`` prints every miss with its context.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_LEN = {"day": 10, "month": 7, "year": 4, "decade": 3}


def _right(value: str, want: str, precision: str) -> bool:
    from dprkbrief.events.dates import interval

    n = _LEN.get(precision, len(want))
    if "X" not in value[:n] and value[:n] == want[:n] and len(value) >= n:
        return True
    got, target = interval(value), interval(want[:n])
    if "W" in value and got and target:  # a week inside the annotated month or year
        return target[0] <= got[0] and got[1] <= target[1]
    return False


def evaluate(docs: list[dict], show: bool = False) -> dict[str, float]:
    from dprkbrief.temporal.tagger import tag_dates_records

    n = tagged = right = 0
    for doc in docs:
        text, dct = doc["text"], doc["source"].get("published")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            recs = tag_dates_records(text, dct)
        for ev in doc.get("events", []):
            span = ev.get("date_span")
            if not span:
                continue
            n += 1
            hits = [
                r
                for r in recs
                if r["start"] < span[1] and r["end"] > span[0] and r["type"] in ("DATE", "TIME")
            ]
            ok = any(_right(r["value"], ev["date"], ev["precision"]) for r in hits)
            tagged += bool(hits)
            right += ok
            if show and not ok:
                got = [(r["text"], r["value"]) for r in hits]
                ctx = text[max(0, span[0] - 70) : span[1] + 30].replace("\n", " ")
                print(f"- {doc['doc_id']} (DCT {dct}): want {ev['date']} ({ev['precision']}), ")
                print(f"  got {got}: ...{ctx}...")
    return {"events": n, "tagged": tagged / max(n, 1), "right": right / max(n, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", default=str(ROOT / "benchmarks" / "realdocs"))
    ap.add_argument("--list", action="store_true", help="print every miss")
    args = ap.parse_args()
    sys.path.insert(0, args.annotations)
    try:
        from load import load_realdocs
    except ImportError:
        print(f"no real-document loader in {args.annotations}; nothing to score")
        return
    docs = load_realdocs(annotations=args.annotations)
    if not docs:
        print("no real-document texts found (set DPRKBRIEF_REALDOCS); nothing to score")
        return
    got = evaluate(docs, show=args.list)
    print(
        f"| documents | events with a written date | a timex on it | right value |\n"
        f"| ---: | ---: | ---: | ---: |\n"
        f"| {len(docs)} | {got['events']} | {got['tagged']:.3f} | {got['right']:.3f} |"
    )


if __name__ == "__main__":
    main()
