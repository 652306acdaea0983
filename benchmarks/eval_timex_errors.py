"""Where the tagger's TempEval-3 value errors come from, and how far rules can go.

Run: .venv/bin/python benchmarks/eval_timex_errors.py [--list CLASS]

Every gold TIMEX3 that a tagger span overlaps (a relaxed match) but whose value differs is
put in one class, checked in this order:

* ``inconsistent``: the gold data writes the same wording (lower case, leading article
  dropped) in another value *shape* more often than in this one ("last week" is an ISO week
  11 times, ``1989-WXX`` 7 times, a month 3 times, ``P1W`` twice): no rule that treats one
  wording the same way everywhere gets the minority shapes right.
* ``gold_vs_dct``: a weekday whose gold date is not that weekday, or lies more than a week
  from the document date (the text says "Tuesday", the gold date is eight days back).
* ``malformed``: a gold value that is not valid TIMEX3 (``2000-W7``).
* ``other``: everything else; what better rules could still win.

The bound printed last assumes every ``other`` error fixed and the spans unchanged: value
F1 cannot rise above it without treating identical wordings differently. Skips (exit 0)
when ``../shared`` is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared of the checkout (or of a folder above it: a git worktree one level deeper)
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT.parent)
TBAQ = SHARED / "data" / "tempeval3" / "TBAQ-cleaned"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CLASSES = ("inconsistent", "gold_vs_dct", "malformed", "other")


def _key(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.lower()).strip(" .,")


def _shape(value: str) -> str:
    return re.sub(r"\d", "9", value)


def _gold_vs_dct(text: str, gold: str, dct: str | None) -> bool:
    days = [i + 1 for i, w in enumerate(WEEKDAYS) if w in text.lower()]
    m = re.match(r"(\d{4}-\d\d-\d\d)", gold)
    if not (days and m and dct):
        return False
    g, d = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(dct[:10])
    return g.isoweekday() != days[0] or abs((g - d).days) > 7


def classify(pairs: list[dict]) -> list[dict]:
    """Add ``cls`` to every wrong pair (dicts with text, gold, system, dct)."""
    shapes: dict[str, Counter] = defaultdict(Counter)
    for p in pairs:
        shapes[_key(p["text"])][_shape(p["gold"])] += 1
    for p in pairs:
        if p["gold"] == p["system"]:
            p["cls"] = "ok"
        elif shapes[_key(p["text"])].most_common(1)[0][0] != _shape(p["gold"]):
            p["cls"] = "inconsistent"
        elif _gold_vs_dct(p["text"], p["gold"], p["dct"]):
            p["cls"] = "gold_vs_dct"
        elif re.search(r"-W\d(?!\d)", p["gold"]):
            p["cls"] = "malformed"
        else:
            p["cls"] = "other"
    return pairs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", choices=CLASSES, help="print the errors of one class")
    args = ap.parse_args()
    if not TBAQ.is_dir():
        print(f"skipped: {TBAQ} is absent (TempEval-3 data lives beside the checkout)")
        return 0
    from dprkbrief.temporal.tagger import tag_dates_records
    from dprkbrief.temporal.timeml import _expand, match_timexes, read_timeml, score_docs

    docs = [read_timeml(p) for p in _expand([TBAQ])]
    scores = score_docs(docs, tag_dates_records)
    pairs = []
    for d in docs:
        for g, x in match_timexes(d.timexes, tag_dates_records(d.text, d.dct))[3]:
            pairs.append(
                {
                    "file": d.name,
                    "dct": d.dct,
                    "text": g["text"],
                    "gold": g["value"],
                    "system": x["value"],
                    "rule": x.get("rule"),
                }  # fmt: skip
            )
    classify(pairs)
    counts = Counter(p["cls"] for p in pairs)
    n, f1 = len(pairs), scores.relaxed[2]
    print("| class | value errors |\n| --- | ---: |")
    for c in CLASSES:
        print(f"| {c} | {counts[c]} |")
    ok = counts["ok"]
    print(f"\nrelaxed matches {n}, values right {ok} (accuracy {ok / n:.3f}), relaxed F1 {f1:.3f}")
    print(f"value F1 now {ok / n * f1:.3f}")
    bound = (ok + counts["other"]) / n
    print(f"value F1 with every 'other' error fixed: {bound * f1:.3f} (accuracy {bound:.3f})")
    need = 0.85 / f1 * n - ok
    print(f"value F1 0.85 needs {need:.0f} more right values at this relaxed F1")
    if args.list:
        for p in pairs:
            if p["cls"] == args.list:
                print(
                    f"{p['file']:24} {p['rule'] or '':18} {p['text']!r:34} {p['gold']:18} {p['system']}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
