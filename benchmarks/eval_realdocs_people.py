"""People recall and precision on the real-document set (benchmarks/realdocs).

    .venv/bin/python benchmarks/eval_realdocs_people.py [--annotations DIR] [--details]

For every document, the people engine's records (``dprkbrief.nlp.people.people_records``,
the per-document rows of the registry) are compared with the annotated ``people``:

* an annotated entity is FOUND when a record of that document has the same name key as the
  annotated name (titles, case, hyphens and spaces ignored: "Kim Jong-un" == "Kim Jong Un"),
  or when one of the record's mention spans overlaps one of the annotated mention spans;
* a record is CORRECT when it finds an annotated entity of its document by the same rule.

Recall = found / annotated entities; precision = correct / records. Both are reported over
all kinds and per kind (person, anonymous, institution). Texts come from ``$DPRKBRIEF_REALDOCS``
(else ``.cache/realdocs``); see benchmarks/realdocs/README.md to rebuild them.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dprkbrief.names import name_key  # noqa: E402
from dprkbrief.nlp.people import people_records  # noqa: E402


def _loader(folder: Path):
    path = folder / "load.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("realdocs_load", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _matches(rec: dict, ann: dict) -> bool:
    if name_key(rec["name"]) == name_key(ann["name"]):
        return True
    return _overlap([tuple(m) for m in rec["mentions"]], [tuple(m) for m in ann["mentions"]])


def evaluate(docs: list[dict], corpus) -> dict:
    found = Counter()
    total = Counter()
    correct = Counter()
    n_rec = Counter()
    misses: list[str] = []
    spurious: list[str] = []
    for d in docs:
        recs = people_records(corpus[d["doc_id"]])
        for ann in d["people"]:
            total[ann["kind"]] += 1
            if any(_matches(r, ann) for r in recs):
                found[ann["kind"]] += 1
            else:
                misses.append(f"{d['doc_id']}: {ann['kind']} {ann['name']!r}")
        for r in recs:
            n_rec[r["kind"]] += 1
            if any(_matches(r, ann) for ann in d["people"]):
                correct[r["kind"]] += 1
            else:
                spurious.append(f"{d['doc_id']}: {r['kind']} {r['name']!r} ({r['quote']!r})")
    return {
        "found": found,
        "total": total,
        "correct": correct,
        "n_rec": n_rec,
        "misses": misses,
        "spurious": spurious,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--annotations", type=Path, default=ROOT / "benchmarks" / "realdocs")
    ap.add_argument("--texts", type=Path, default=None)
    ap.add_argument("--details", action="store_true", help="list misses and spurious records")
    args = ap.parse_args(argv)
    load = _loader(args.annotations)
    if load is None:
        print(f"skipped: no {args.annotations / 'load.py'} (the real-document set)")
        return 0
    docs = load.load_realdocs(args.texts)
    if not docs:  # the texts are not redistributed; rebuild them to score
        print("skipped: no document texts; see benchmarks/realdocs/README.md to rebuild them")
        return 0
    corpus = load.realdocs_corpus(docs)
    t0 = time.perf_counter()
    r = evaluate(docs, corpus)
    took = time.perf_counter() - t0
    print(f"{len(docs)} documents, {sum(r['total'].values())} annotated entities, {took:.1f} s")
    print(f"{'kind':<12} {'recall':>8} {'precision':>10}  found/annotated  correct/records")
    for kind in ("person", "anonymous", "institution", "all"):
        if kind == "all":
            f, t = sum(r["found"].values()), sum(r["total"].values())
            c, n = sum(r["correct"].values()), sum(r["n_rec"].values())
        else:
            f, t, c, n = r["found"][kind], r["total"][kind], r["correct"][kind], r["n_rec"][kind]
        rec = f / t if t else float("nan")
        prec = c / n if n else float("nan")
        print(f"{kind:<12} {rec:>8.3f} {prec:>10.3f}  {f:>5}/{t:<9} {c:>5}/{n}")
    if args.details:
        print("\nmissed:")
        print("\n".join("  " + m for m in r["misses"]))
        print("\nspurious:")
        print("\n".join("  " + m for m in r["spurious"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
