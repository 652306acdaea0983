"""Score ``dprkbrief.quotes`` on the real-document set (benchmarks/realdocs/*.json).

Texts are git-ignored: set ``DPRKBRIEF_REALDOCS`` to their folder (see
``benchmarks/realdocs/README.md`` for rebuilding them). Measures:

* attributed to the right source: of the annotated quotations, the share that an extracted
  quotation overlapping the annotated content attributes to the annotated source: its
  ``source`` or ``expert`` equals the annotated name or one of that entity's written
  mentions (case-insensitive, titles ignored), or its source mention overlaps a mention of
  that entity (target >= 0.85);
* content precision/recall: extracted and annotated quotations paired one-to-one on
  overlapping content (as in eval_polnear.py); plus recall by annotated kind.

Run from the repository root:

    DPRKBRIEF_REALDOCS=/path/to/texts .venv/bin/python benchmarks/eval_realdocs_quotes.py
    ... --errors 20     # print quotations attributed to the wrong source or missed
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from eval_polnear import _prf, match  # noqa: E402


def _norm(name: str) -> str:
    words = name.replace("’", "'").casefold().split()
    while len(words) > 1 and words[0].rstrip(".") in _TITLES:
        words = words[1:]
    return " ".join(w.strip(".,") for w in words)


_TITLES = {"mr", "mrs", "ms", "dr", "president", "gen", "sen", "secretary", "leader", "minister"}


def _entity_forms(doc: dict) -> dict[str, tuple[set[str], list[list[int]]]]:
    """name -> (normalised written forms, mention spans) of every annotated entity."""
    out = {}
    for p in doc["people"]:
        forms = {_norm(p["name"])}
        forms |= {_norm(doc["text"][s:e]) for s, e in p["mentions"]}
        out[p["name"]] = (forms, p["mentions"])
    return out


def right_source(pred: dict, gold: dict, entities: dict) -> bool:
    """Whether the extracted quotation ``pred`` names the annotated source of ``gold``."""
    forms, mentions = entities.get(gold["source"], ({_norm(gold["source"])}, []))
    forms = forms | {_norm(gold["source"])}
    for value in (pred["source"], pred["expert"]):
        if value and _norm(value) in forms:
            return True
    s, e = pred["source_start"], pred["source_end"]
    if s is not None and pred["kind"] != "floating":
        return any(s < me and ms < e for ms, me in mentions)
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", default=None, help="texts folder (else $DPRKBRIEF_REALDOCS)")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE / "realdocs"))
    from load import load_realdocs, realdocs_corpus

    import dprkbrief

    docs = load_realdocs(args.folder)
    if not docs:
        print("no real documents found: set DPRKBRIEF_REALDOCS (see benchmarks/realdocs)")
        return 1
    corpus = realdocs_corpus(docs)
    table = dprkbrief.quotes(corpus)
    n_gold = n_pred = tp = right = 0
    gold_by_kind: Counter = Counter()
    hit_by_kind: Counter = Counter()
    wrong, missed = [], []
    for doc in docs:
        gold = doc["quotes"]
        rows = table[table["doc_id"] == doc["doc_id"]].to_dict("records")
        entities = _entity_forms(doc)
        pred_spans = [{"content": [(r["start"], r["end"])]} for r in rows]
        gold_spans = [{"content": [(g["start"], g["end"])]} for g in gold]
        pairs = match(pred_spans, gold_spans)
        n_gold += len(gold)
        n_pred += len(rows)
        tp += len(pairs)
        for g in gold:
            gold_by_kind[g["kind"]] += 1
            over = [r for r in rows if r["start"] < g["end"] and g["start"] < r["end"]]
            if any(right_source(r, g, entities) for r in over):
                right += 1
                hit_by_kind[g["kind"]] += 1
            elif over:
                wrong.append((doc["doc_id"], g, over[0]))
            else:
                missed.append((doc["doc_id"], g))
    result = {
        "documents": len(docs),
        "right_source": round(right / n_gold, 3) if n_gold else None,
        "n_gold": n_gold,
        "content": _prf(tp, n_pred, tp, n_gold),
        "right_source_by_kind": {k: f"{hit_by_kind[k]}/{n}" for k, n in gold_by_kind.most_common()},
    }
    if args.errors:
        print(f"--- wrong source ({len(wrong)})")
        for doc_id, g, r in wrong[: args.errors]:
            print(f"[{doc_id}] {g['kind']} gold={g['source']!r} got={r['source']!r} ({r['kind']})")
            print("    ", repr(g["anchor"]))
        print(f"--- missed ({len(missed)})")
        for doc_id, g in missed[: args.errors]:
            print(f"[{doc_id}] {g['kind']} gold={g['source']!r} cue={g['cue']!r}")
            print("    ", repr(g["anchor"]))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        c = result["content"]
        print(f"real documents: {result['documents']}, annotated quotations: {n_gold}")
        print(f"  attributed to the right source: {result['right_source']}")
        print(f"  content P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}")
        print(f"  right source by kind: {result['right_source_by_kind']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
