"""Score ``dprkbrief.quotes`` on PolNeAR (news attribution: source, cue, content; brat standoff).

PolNeAR (github.com/networkdynamics/PolNeAR) has no licence file, so it is never committed:
copy its train and dev splits into ``.cache/polnear/data/{train,dev}/{text,attributions}``
(the README of ``benchmarks/`` says how). The test split is never read or scored.

Gold: every ``E`` relation of an ``.ann`` file (``Attribution:T4 Content:T3 Cue:T2
Source:T1``; ``Attribution-no-source`` has no source; ``Content2`` is a second content
span). brat spans may be discontinuous (``start end;start end``): a role covers the union.
Documents annotated twice use the first annotator (sorted by annotator id).

Matching: predicted and gold attributions are paired one-to-one on overlapping content
(largest overlap first). Then:
  content  P = matched / predicted, R = matched / gold
  source   a matched pair whose predicted source span overlaps the gold source span;
           P over predictions that have a source, R over gold attributions that have one
  cue      the same with cue spans
``--details`` also prints character-level content overlap and scores by predicted kind.

Run from the repository root:

    .venv/bin/python benchmarks/eval_polnear.py --split dev
    .venv/bin/python benchmarks/eval_polnear.py --split train --limit 100 --errors 20
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".cache" / "polnear" / "data"
SPLITS = ("train", "dev")  # never "test"


def _spans(field: str) -> list[tuple[int, int]]:
    out = []
    for part in field.split(";"):
        s, e = part.split()
        out.append((int(s), int(e)))
    return out


def read_ann(path: Path) -> list[dict]:
    """Attributions of one brat file: dicts with ``content``, ``source``, ``cue`` span lists."""
    spans: dict[str, list[tuple[int, int]]] = {}
    rels = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            tid, info, *_ = line.split("\t")
            _label, rest = info.split(" ", 1)
            spans[tid] = _spans(rest)
        elif line.startswith("E"):
            rels.append(line.split("\t")[1].split())
    out = []
    for rel in rels:
        att: dict[str, list[tuple[int, int]]] = {"content": [], "source": [], "cue": []}
        for arg in rel[1:]:
            role, tid = arg.split(":")
            role = re.sub(r"\d+$", "", role).lower()
            if role in att and tid in spans:
                att[role].extend(spans[tid])
        if att["content"]:
            out.append(att)
    return out


def load_split(split: str, limit: int | None = None) -> list[tuple[str, str, list[dict]]]:
    """(doc_name, text, gold attributions) for every annotated text of a split."""
    if split not in SPLITS:
        raise SystemExit(f"split must be one of {SPLITS} (the test split is never scored)")
    folder = DATA / split
    if not folder.is_dir():
        raise SystemExit(f"{folder} is missing: copy PolNeAR's {split} split there (see README)")
    anns: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(name, ann)
    docs = []
    for txt in sorted((folder / "text").glob("*.txt")):
        if txt.stem in anns:
            text = txt.read_text(encoding="utf-8")
            docs.append((txt.stem, text, read_ann(anns[txt.stem])))
    return docs[:limit] if limit else docs


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def match(pred: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) on overlapping content, largest first."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = _overlap(p["content"], g["content"])
            if ov > 0:
                pairs.append((ov, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p, used_g, out = set(), set(), []
    for _ov, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "n_pred": n_pred,
        "n_gold": n_gold,
    }


def predictions(docs: list[tuple[str, str, list[dict]]]) -> dict[str, list[dict]]:
    """dprkbrief.quotes rows per document, as span dicts."""
    import dprkbrief

    corpus = dprkbrief.corpus_from_texts({name: text for name, text, _ in docs})
    table = dprkbrief.quotes(corpus)
    out: dict[str, list[dict]] = {name: [] for name, _, _ in docs}
    for row in table.itertuples():
        out[row.doc_id].append(
            {
                "content": [(row.start, row.end)],
                "source": [] if row.source_start is None else [(row.source_start, row.source_end)],
                "cue": [] if row.cue_start is None else [(row.cue_start, row.cue_end)],
                "kind": row.kind,
            }
        )
    return out


def score(docs, preds) -> dict:
    """Content, source and cue precision/recall/F1 over all documents."""
    n_pred = n_gold = tp = 0
    src = {"tp": 0, "pred": 0, "gold": 0}
    cue = {"tp": 0, "pred": 0, "gold": 0}
    chars = {"overlap": 0, "pred": 0, "gold": 0}
    by_kind: Counter = Counter()
    by_kind_tp: Counter = Counter()
    for name, _text, gold in docs:
        pred = preds[name]
        pairs = match(pred, gold)
        n_pred += len(pred)
        n_gold += len(gold)
        tp += len(pairs)
        for role, acc in (("source", src), ("cue", cue)):
            acc["pred"] += sum(1 for p in pred if p[role])
            acc["gold"] += sum(1 for g in gold if g[role])
            acc["tp"] += sum(1 for i, j in pairs if _overlap(pred[i][role], gold[j][role]) > 0)
        for p in pred:
            by_kind[p["kind"]] += 1
            chars["pred"] += sum(e - s for s, e in p["content"])
        for i, j in pairs:
            by_kind_tp[pred[i]["kind"]] += 1
            chars["overlap"] += _overlap(pred[i]["content"], gold[j]["content"])
        chars["gold"] += sum(e - s for g in gold for s, e in g["content"])
    return {
        "documents": len(docs),
        "content": _prf(tp, n_pred, tp, n_gold),
        "source": _prf(src["tp"], src["pred"], src["tp"], src["gold"]),
        "cue": _prf(cue["tp"], cue["pred"], cue["tp"], cue["gold"]),
        "content_chars": _prf(chars["overlap"], chars["pred"], chars["overlap"], chars["gold"]),
        "precision_by_kind": {
            k: f"{by_kind_tp[k]}/{n} ({by_kind_tp[k] / n:.2f})" for k, n in by_kind.most_common()
        },
    }


def errors(docs, preds, n: int) -> None:
    """Print up to ``n`` missed gold and ``n`` spurious predicted attributions."""
    missed, spurious = [], []
    for name, text, gold in docs:
        pred = preds[name]
        pairs = match(pred, gold)
        mp = {i for i, _ in pairs}
        mg = {j for _, j in pairs}
        for j, g in enumerate(gold):
            if j not in mg:
                missed.append((name, text, g))
        for i, p in enumerate(pred):
            if i not in mp:
                spurious.append((name, text, p))

    def show(label, items):
        print(f"--- {label} ({len(items)})")
        for name, text, a in items[:n]:
            s, e = a["content"][0]
            src = " / ".join(text[x:y] for x, y in a["source"])
            cue = " / ".join(text[x:y] for x, y in a["cue"])
            print(f"[{name[:30]}] {a.get('kind', '')} src={src!r} cue={cue!r}")
            print("    ", repr(text[s:e][:160]))

    show("missed", missed)
    show("spurious", spurious)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=SPLITS)
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--errors", type=int, default=0, help="print N missed/spurious examples")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    docs = load_split(args.split, args.limit)
    t0 = time.perf_counter()
    preds = predictions(docs)
    elapsed = time.perf_counter() - t0
    result = score(docs, preds)
    words = sum(len(text.split()) for _, text, _ in docs)
    result["seconds"] = round(elapsed, 2)
    result["words_per_s"] = round(words / elapsed) if elapsed else None
    if args.errors:
        errors(docs, preds, args.errors)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"PolNeAR {args.split}: {result['documents']} documents, {words} words")
        for role in ("content", "source", "cue", "content_chars"):
            r = result[role]
            print(
                f"  {role:14s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}"
                f"  (pred {r['n_pred']}, gold {r['n_gold']})"
            )
        print("  precision by kind:", result["precision_by_kind"])
        print(f"  time {elapsed:.1f} s ({result['words_per_s']} words/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
