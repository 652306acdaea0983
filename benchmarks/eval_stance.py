"""Score ``dprkbrief.stance`` and the forecast claims on the real-document set.

Gold: the ``stance``, ``forecasts`` and ``non_forecasts`` lists of benchmarks/realdocs/*.json,
annotated before the stance rules were written (benchmarks/realdocs/README.md). Texts are
git-ignored: set ``DPRKBRIEF_REALDOCS`` to their folder. Measures:

* stance coverage: share of annotated cells matched by a produced cell of the same topic,
  the same source and an overlapping evidence span (source: same name, surname or mention;
  "the author" matches the author's voice); also coverage by topic + evidence alone;
* direction agreement (target >= 0.75) and stance-label agreement on the matched cells;
* forecasts: precision/recall of forecast sentences against the annotated forecasts
  (overlapping spans), and the produced forecasts that overlap a ``non_forecasts`` span.

Run from the repository root:

    DPRKBRIEF_REALDOCS=/path/to/texts .venv/bin/python benchmarks/eval_stance.py
    ... --errors 20     # print disagreeing cells and false forecasts
    ... --seed          # list the stance cells and forecasts of the seed corpus
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def _load():
    import runpy

    load = runpy.run_path(str(HERE / "realdocs" / "load.py"))
    docs = load["load_realdocs"]()
    return docs, load["realdocs_corpus"](docs) if docs else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _names(doc: dict, source: str) -> set[str]:
    """Lower-case written forms of an annotated source (name, surname, mentions)."""
    out = {source.lower(), source.split()[-1].lower()}
    for p in doc.get("people", []):
        if p["name"] == source:
            out |= {doc["text"][a:b].lower() for a, b in p.get("mentions") or []}
    return out


def _is_author(doc: dict, source: str) -> bool:
    if source == "the author":
        return True
    for p in doc.get("people", []):
        if p["name"] == source:
            role = (p.get("role") or "").lower()
            return any(w in role for w in ("author", "writer", "columnist", "reporter", "byline"))
    return False


def _same_source(doc: dict, gold: str, row: dict) -> bool:
    if row["source_kind"] == "author" and _is_author(doc, gold):
        return True
    ours = {str(row["source"]).lower(), str(row["expert"] or "").lower()}
    ours |= {s.split()[-1] for s in ours if s}
    return bool(ours & _names(doc, gold))


def evaluate_stance(docs: list[dict], corpus) -> dict:
    import dprkbrief

    table = dprkbrief.stance(corpus)
    by_doc = {d: g.to_dict("records") for d, g in table.groupby("doc_id")}
    n = matched = topic_only = agree_dir = agree_label = 0
    errors = []
    by_label: Counter = Counter()
    by_label_ok: Counter = Counter()
    for doc in docs:
        rows = by_doc.get(doc["doc_id"], [])
        for cell in doc.get("stance", []):
            n += 1
            span = (cell["start"], cell["end"])
            cands = [
                r
                for r in rows
                if r["topic"] == cell["topic"] and _overlap(span, (r["start"], r["end"]))
            ]
            if cands:
                topic_only += 1
            cands = [r for r in cands if _same_source(doc, cell["source"], r)]
            if not cands:
                errors.append(("missed", doc["doc_id"], cell, None))
                continue
            best = max(cands, key=lambda r: _overlap(span, (r["start"], r["end"])))
            matched += 1
            by_label[cell["stance"]] += 1
            ok_dir = int(best["direction"]) == int(cell["direction"])
            ok_lab = best["stance"] == cell["stance"]
            agree_dir += ok_dir
            agree_label += ok_lab
            by_label_ok[cell["stance"]] += ok_lab
            if not (ok_dir and ok_lab):
                errors.append(("disagree", doc["doc_id"], cell, best))
    return {
        "cells": n,
        "produced": len(table),
        "coverage": round(matched / n, 3) if n else None,
        "coverage_topic_evidence": round(topic_only / n, 3) if n else None,
        "direction_agreement": round(agree_dir / matched, 3) if matched else None,
        "label_agreement": round(agree_label / matched, 3) if matched else None,
        "label_agreement_by_gold": {
            k: f"{by_label_ok[k]}/{v}" for k, v in sorted(by_label.items())
        },
        "_errors": errors,
    }


def forecast_rows(corpus) -> list[dict]:
    from dprkbrief.analysis.stance import document_inputs, forecast_claims
    from dprkbrief.corpus.corpus import doc_date

    rows = []
    for doc_id, quotes, authors in document_inputs(corpus)[1]:
        dct = doc_date(corpus, doc_id)
        rows.extend(
            forecast_claims(
                corpus[doc_id],
                None,
                quotes=quotes,
                authors=authors,
                dct=str(dct) if dct else None,
            )
        )
    return rows


def evaluate_forecasts(docs: list[dict], corpus) -> dict:
    rows = forecast_rows(corpus)
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    n_gold = found = tp = 0
    false_nf = []
    false_other = []
    horizons = horizon_ok = 0
    for doc in docs:
        preds = by_doc.get(doc["doc_id"], [])
        golds = doc.get("forecasts", [])
        n_gold += len(golds)
        for g in golds:
            hit = [p for p in preds if _overlap((g["start"], g["end"]), (p["start"], p["end"]))]
            found += bool(hit)
            if hit and g.get("horizon"):
                horizons += 1
                got = hit[0]["horizon_end"] or hit[0]["horizon_start"]
                horizon_ok += bool(got) and str(got).startswith(str(g["horizon"])[:4])
        for p in preds:
            span = (p["start"], p["end"])
            if any(_overlap(span, (g["start"], g["end"])) for g in golds):
                tp += 1
                continue
            nf = [x for x in doc.get("non_forecasts", []) if _overlap(span, (x["start"], x["end"]))]
            if nf:
                false_nf.append((doc["doc_id"], nf[0]["why"], p["quote"][:90]))
            else:
                false_other.append((doc["doc_id"], p["quote"][:90]))
    import dprkbrief

    base = dprkbrief.forecasts(corpus)
    base_tp = base_found = base_nf = 0
    for doc in docs:
        spans = [(int(r.start), int(r.end)) for r in base.itertuples() if r.doc_id == doc["doc_id"]]
        golds = [(g["start"], g["end"]) for g in doc.get("forecasts", [])]
        nfs = [(x["start"], x["end"]) for x in doc.get("non_forecasts", [])]
        base_tp += sum(any(_overlap(s, g) for g in golds) for s in spans)
        base_found += sum(any(_overlap(s, g) for s in spans) for g in golds)
        base_nf += sum(
            any(_overlap(s, x) for x in nfs) and not any(_overlap(s, g) for g in golds)
            for s in spans
        )
    ledger = {
        "produced": len(base),
        "precision": round(base_tp / len(base), 3) if len(base) else None,
        "recall": round(base_found / n_gold, 3) if n_gold else None,
        "from_non_forecasts": base_nf,
    }
    return {
        "dprkbrief_forecasts_named_sources": ledger,
        "gold_forecasts": n_gold,
        "produced": len(rows),
        "precision": round(tp / len(rows), 3) if rows else None,
        "recall": round(found / n_gold, 3) if n_gold else None,
        "from_non_forecasts": len(false_nf),
        "non_forecast_whys": dict(Counter(w for _d, w, _q in false_nf)),
        "other_unannotated": len(false_other),
        "horizon_year_agreement": f"{horizon_ok}/{horizons}",
        "_false_nf": false_nf,
        "_false_other": false_other,
    }


def seed_listing() -> None:
    import dprkbrief

    corpus = dprkbrief.load_corpus(ROOT / "tests" / "fixtures" / "corpus")
    table = dprkbrief.stance(corpus)
    for r in table.itertuples():
        hedges = ",".join(r.hedges)
        print(
            f"{r.doc_id[:3]} {r.start:>5} {r.source[:22]:22} {r.topic:20} {r.stance:10} "
            f"{r.direction:+d} [{hedges}] {r.quote[:70]!r}"
        )
    for folder in (ROOT / "tests" / "fixtures" / "corpus", ROOT / "corpus"):
        if not folder.is_dir():
            continue
        seed = dprkbrief.load_corpus(folder)
        fc = dprkbrief.forecasts(seed)
        sentences = seed.segments("sentence").set_index(["doc_id", "start"])["text"]
        questions = sum(
            str(sentences.get((r.doc_id, int(r.forecast_id.split("@")[1])), ""))
            .rstrip()
            .endswith("?")
            for r in fc.itertuples()
        )
        print(f"-- forecasts of {folder.relative_to(ROOT)}: {len(fc)}, from questions: {questions}")
        for r in fc.itertuples():
            print(
                f"{r.doc_id[:3]} {r.start:>5} {r.expert[:22]:22} {r.cue:9} {r.certainty:.2f} "
                f"[{','.join(r.hedges)}] {r.horizon!r} {r.quote[:70]!r}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--seed", action="store_true")
    args = ap.parse_args()
    if args.seed:
        seed_listing()
        return
    docs, corpus = _load()
    if not docs:
        print("no real-document texts: set DPRKBRIEF_REALDOCS (see benchmarks/realdocs/README.md)")
        return
    st = evaluate_stance(docs, corpus)
    fc = evaluate_forecasts(docs, corpus)
    print(json.dumps({k: v for k, v in st.items() if not k.startswith("_")}, indent=1))
    print(json.dumps({k: v for k, v in fc.items() if not k.startswith("_")}, indent=1))
    if args.errors:
        for kind, doc_id, cell, row in st["_errors"][: args.errors]:
            ours = f"{row['stance']} {row['direction']:+d} ({row['source']})" if row else "-"
            print(
                f"{kind:8} {doc_id[:4]} {cell['topic']:18} gold {cell['stance']} "
                f"{cell['direction']:+d} ({cell['source']}) ours {ours} | {cell['anchor']}"
            )
        for doc_id, why, quote in fc["_false_nf"][: args.errors]:
            print(f"non-forecast {doc_id[:4]} [{why}] {quote!r}")
        for doc_id, quote in fc["_false_other"][: args.errors]:
            print(f"unannotated  {doc_id[:4]} {quote!r}")


if __name__ == "__main__":
    main()
