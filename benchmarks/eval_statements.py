"""Precision/recall of the expert registry and of statements against the annotated eval set.

Gold data: ``tests/eval/annotations.csv`` (sentences: expert, voice, claim type, topics,
directions) and ``tests/eval/experts.csv`` (registry), over the project corpus and the
synthetic documents in ``tests/eval/docs/`` (a news report quoting two experts, a Q&A with
``Q:``/``A:`` labels, a two-author op-ed).

Run from the repository root:

    .venv/bin/python benchmarks/eval_statements.py          # table
    .venv/bin/python benchmarks/eval_statements.py --json   # machine-readable
    .venv/bin/python benchmarks/eval_statements.py --time   # also time the analyses
    .venv/bin/python benchmarks/eval_statements.py --big    # time them on a ~1 MB document
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "eval"


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV whose leading ``#`` lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = "".join(line for line in lines if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


def eval_corpora():
    """The project corpus and the synthetic eval documents, as two corpora."""
    import dprkbrief

    real = dprkbrief.load_corpus(ROOT / "corpus")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((EVAL / "docs").glob("*.txt"))}
    return real, dprkbrief.corpus_from_texts(texts)


def _pr(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else float("nan")
    r = tp / n_gold if n_gold else float("nan")
    return {"precision": round(p, 3), "recall": round(r, 3), "n_gold": n_gold, "n_pred": n_pred}


def _directions(text: str) -> dict[str, int]:
    out = {}
    for item in filter(None, (t.strip() for t in text.split(";"))):
        topic, value = item.split(":")
        out[topic] = int(value)
    return out


def _str(value) -> str:
    return value if isinstance(value, str) else ""


def match_annotations(statements, gold: list[dict[str, str]]) -> list[tuple[dict, dict]]:
    """Pair each gold row with the statement row of its document starting with ``prefix``."""
    pairs = []
    for g in gold:
        rows = statements[
            (statements["doc_id"] == g["doc_id"]) & statements["quote"].str.startswith(g["prefix"])
        ]
        if len(rows) != 1:
            raise SystemExit(
                f"annotation {g['doc_id']} {g['prefix']!r} matches {len(rows)} sentences; "
                "make the prefix unique"
            )
        pairs.append((g, rows.iloc[0].to_dict()))
    return pairs


def evaluate() -> dict:
    """All scores as a dict (see module docstring)."""
    import pandas as pd

    import dprkbrief

    corpora = eval_corpora()
    st = pd.concat([dprkbrief.statements(c) for c in corpora], ignore_index=True)
    pairs = match_annotations(st, read_csv(EVAL / "annotations.csv"))
    n = len(pairs)
    res: dict = {"n_sentences": n}
    res["expert_accuracy"] = round(sum(g["expert"] == p["expert"] for g, p in pairs) / n, 3)
    tp = sum(g["voice"] == p["voice"] == "reported" for g, p in pairs)
    res["voice_reported"] = _pr(
        tp,
        sum(p["voice"] == "reported" for _, p in pairs),
        sum(g["voice"] == "reported" for g, _ in pairs),
    )
    res["voice_accuracy"] = round(sum(g["voice"] == p["voice"] for g, p in pairs) / n, 3)
    res["claim_type_accuracy"] = round(
        sum(g["claim_type"] == p["claim_type"] for g, p in pairs) / n, 3
    )
    res["claim_type"] = {}
    for ct in ("prediction", "assessment", "recommendation", "warning", "description", "question"):
        res["claim_type"][ct] = _pr(
            sum(g["claim_type"] == p["claim_type"] == ct for g, p in pairs),
            sum(p["claim_type"] == ct for _, p in pairs),
            sum(g["claim_type"] == ct for g, _ in pairs),
        )
    gold_t = [set(filter(None, g["topics"].split(";"))) for g, _ in pairs]
    pred_t = [set(p["topics"]) for _, p in pairs]
    res["topics"] = _pr(
        sum(len(a & b) for a, b in zip(gold_t, pred_t)),
        sum(len(b) for b in pred_t),
        sum(len(a) for a in gold_t),
    )
    # direction on the gold topics: a lean counts when predicted nonzero and equal to gold
    d_tp = d_pred = d_gold = 0
    for (g, p), topics in zip(pairs, gold_t):
        gold_d = _directions(g["directions"])
        for t in topics:
            gd, pd_ = gold_d.get(t, 0), int(p["directions"].get(t, 0))
            d_gold += gd != 0
            d_pred += pd_ != 0
            d_tp += pd_ != 0 and pd_ == gd
    res["direction"] = _pr(d_tp, d_pred, d_gold)
    # registry
    reg = pd.concat([dprkbrief.experts(c) for c in corpora], ignore_index=True)
    gold_e = read_csv(EVAL / "experts.csv")
    names = set(reg["expert"])
    found = [g for g in gold_e if g["expert"] in names]
    res["experts"] = _pr(len(found), len(names), len(gold_e))
    by_name = reg.set_index("expert")
    res["expert_role_accuracy"] = round(
        sum(by_name.loc[g["expert"], "role"] == g["role"] for g in found) / len(gold_e), 3
    )
    res["expert_affiliation_accuracy"] = round(
        sum(_str(by_name.loc[g["expert"], "affiliation"]) == g["affiliation"] for g in found)
        / len(gold_e),
        3,
    )
    want = [(g["expert"], a) for g in gold_e for a in filter(None, g["aliases"].split(";"))]
    res["alias_recall"] = round(
        sum(e in names and a in by_name.loc[e, "aliases"] for e, a in want) / len(want), 3
    )
    return res


def timing(repeat: int = 3) -> dict[str, float]:
    """Best-of-``repeat`` seconds for the analyses on a freshly loaded project corpus."""
    import time

    import dprkbrief

    out: dict[str, float] = {}
    for name in ("experts", "statements", "positions", "forecasts"):
        best = float("inf")
        for _ in range(repeat):
            corpus = dprkbrief.load_corpus(ROOT / "corpus")
            corpus.segments("sentence")  # segmentation is the corpus layer's cost
            t0 = time.perf_counter()
            getattr(dprkbrief, name)(corpus)
            best = min(best, time.perf_counter() - t0)
        out[name] = round(best, 3)
    return out


def big_corpus(size: int = 1_000_000):
    """One ~``size``-character document: the project corpus and eval documents, repeated."""
    import dprkbrief

    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted((EVAL / "docs").glob("*.txt"))]
    unit = "\n\n".join(parts)
    text = "\n\n".join([unit] * (size // len(unit) + 1))[:size]
    return dprkbrief.corpus_from_texts({"big": text}, metadata={"big": {"date": "2024-12-26"}})


def timing_big() -> dict[str, float]:
    """Seconds for each analysis on a fresh ~1 MB one-document corpus (segmentation excluded;
    positions and forecasts called on the corpus, as a user would)."""
    import time

    import dprkbrief

    out: dict[str, float] = {}
    for name in ("experts", "statements", "positions", "forecasts"):
        corpus = big_corpus()
        corpus.segments("sentence")
        t0 = time.perf_counter()
        getattr(dprkbrief, name)(corpus)
        out[name] = round(time.perf_counter() - t0, 2)
    corpus = big_corpus()
    corpus.segments("sentence")
    t0 = time.perf_counter()
    for name in ("statements", "positions", "forecasts"):
        getattr(dprkbrief, name)(corpus)
    out["all three on one corpus"] = round(time.perf_counter() - t0, 2)
    return out


def main(argv: list[str]) -> int:
    if "--big" in argv:
        print(f"seconds on a ~1 MB document: {timing_big()}")
        return 0
    res = evaluate()
    if "--time" in argv:
        res["seconds"] = timing()
    if "--json" in argv:
        print(json.dumps(res, indent=1))
        return 0
    print(f"sentences annotated: {res['n_sentences']}")
    print(f"expert (attribution) accuracy: {res['expert_accuracy']}")
    print(f"voice accuracy: {res['voice_accuracy']}; 'reported' P/R: {res['voice_reported']}")
    print(f"claim type accuracy: {res['claim_type_accuracy']}")
    for ct, v in res["claim_type"].items():
        print(f"  {ct:15s} P={v['precision']} R={v['recall']} (gold {v['n_gold']})")
    print(f"topics P/R: {res['topics']}")
    print(f"direction P/R: {res['direction']}")
    print(
        f"registry P/R: {res['experts']}; role acc {res['expert_role_accuracy']}; "
        f"affiliation acc {res['expert_affiliation_accuracy']}; alias R {res['alias_recall']}"
    )
    if "seconds" in res:
        print(f"seconds on the project corpus (best of 3, segmentation excluded): {res['seconds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
