"""Uncertain-sentence detection on the CoNLL-2010 Wikipedia hedge-cue sentences (train only).

Data: a derived sentence copy of the CoNLL-2010 shared task's Wikipedia (weasel) training
sentences, ``text,label`` (1 = uncertain), PTB-tokenised, from the public GitHub repository
ChristopherLiew/Crypto-Uncertainty-Index at commit a0d1b329d145b096c10861088cf18414a8b142ef,
file ``nlp/hedge_classifier/data/wiki_weasel_clean/train.csv``. It has no licence: it stays
git-ignored under ``.cache/`` and is never committed. The repository's test file is never
read or scored.

Run from the repository root:

    # once: detokenise the fetched file into .cache/conll2010/train.csv
    .venv/bin/python benchmarks/eval_hedges.py prepare --raw path/to/train.csv
    # score: dev part (every 5th sentence), the rest (read for development) and all of it
    .venv/bin/python benchmarks/eval_hedges.py
    .venv/bin/python benchmarks/eval_hedges.py --errors 30   # misses and false alarms (rest only)

Systems: ``dprkbrief.certainty_table`` (sentence uncertain when its score reaches the
lexicon's threshold) and a plain word list (uncertain when any word of a short fixed hedge
list occurs). Scores are precision/recall/F1 of the uncertain class. Skips (exit 0) when the
prepared file is absent.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".cache" / "conll2010" / "train.csv"
DEV_EVERY = 5  # sentence i is in the dev part when i % DEV_EVERY == DEV_EVERY - 1

# the plain word-list baseline: any of these words (case-insensitive, whole words)
BASELINE = re.compile(
    r"\b(may|might|could|possibly|probably|perhaps|likely|suggests?|suggested|appears?|"
    r"seems?|believed?|thought|some|many|often|claimed|considered)\b",
    re.IGNORECASE,
)

_PTB = [
    (re.compile(r"-LRB-"), "("),
    (re.compile(r"-RRB-"), ")"),
    (re.compile(r"-LSB-"), "["),
    (re.compile(r"-RSB-"), "]"),
    (re.compile(r"-LCB-"), "{"),
    (re.compile(r"-RCB-"), "}"),
    (re.compile(r"``\s*"), '"'),
    (re.compile(r"\s*''"), '"'),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE), r"\1"),
    (re.compile(r"([(\[{]) "), r"\1"),
    (re.compile(r" ([)\]},.;:?!%])"), r"\1"),
]


def detokenise(text: str) -> str:
    """Light PTB detokenisation: brackets, quotes, clitics and spaces before punctuation."""
    text = text.strip()
    for pattern, repl in _PTB:
        text = pattern.sub(repl, text)
    return re.sub(r"[ \t]+", " ", text)


def prepare(raw: Path) -> None:
    """Write the detokenised copy of the fetched ``train.csv`` to ``.cache/conll2010``."""
    if "test" in raw.name.lower():
        sys.exit(f"{raw}: pass the train.csv file; the test file is never used")
    with raw.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    DATA.parent.mkdir(parents=True, exist_ok=True)
    with DATA.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        for row in rows:
            writer.writerow([detokenise(row["text"]), int(row["label"])])
    print(f"wrote {len(rows)} sentences to {DATA.relative_to(ROOT)}")


def load() -> list[tuple[str, bool]]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return [(r["text"], r["label"] == "1") for r in csv.DictReader(fh)]


def prf(pred: list[bool], gold: list[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    n_pred, n_gold = sum(pred), sum(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f, "n": len(gold), "n_gold": n_gold}


def legacy_uncertain(texts: list[str]) -> list[bool]:
    """The regex scorer of the older lexicon (certainty.toml): certainty below its default."""
    from dprkbrief.analysis import codebook

    cues, default = codebook.certainty_cues()
    return [codebook.score_certainty(t)[0] < default for t in texts]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd")
    prep = sub.add_parser("prepare", help="detokenise the fetched train.csv into .cache/")
    prep.add_argument("--raw", type=Path, required=True)
    ap.add_argument("--errors", type=int, default=0, help="list N misses and N false alarms")
    args = ap.parse_args(argv)
    if args.cmd == "prepare":
        prepare(args.raw)
        return 0
    if not DATA.exists():
        print(f"skipped: {DATA.relative_to(ROOT)} absent (see the module docstring)")
        return 0

    import dprkbrief
    from dprkbrief.analysis.certainty import _load_model

    t0 = time.perf_counter()
    _load_model()
    load_seconds = time.perf_counter() - t0
    rows = load()
    texts = [t for t, _ in rows]
    gold = [g for _, g in rows]
    t0 = time.perf_counter()
    table = dprkbrief.certainty_table(texts)
    seconds = time.perf_counter() - t0
    system = table["uncertain"].tolist()
    baseline = [BASELINE.search(t) is not None for t in texts]
    legacy = legacy_uncertain(texts)

    parts = {
        "dev (every 5th)": [i % DEV_EVERY == DEV_EVERY - 1 for i in range(len(rows))],
        "rest (development)": [i % DEV_EVERY != DEV_EVERY - 1 for i in range(len(rows))],
        "all": [True] * len(rows),
    }
    print(
        "| part | sentences | uncertain | certainty() P / R / F1 | word list P / R / F1 "
        "| certainty.toml regex P / R / F1 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, mask in parts.items():
        g = [x for x, m in zip(gold, mask, strict=True) if m]
        s = prf([x for x, m in zip(system, mask, strict=True) if m], g)
        b = prf([x for x, m in zip(baseline, mask, strict=True) if m], g)
        old = prf([x for x, m in zip(legacy, mask, strict=True) if m], g)
        print(
            f"| {name} | {s['n']} | {s['n_gold']} | "
            f"{s['P']:.3f} / {s['R']:.3f} / **{s['F1']:.3f}** | "
            f"{b['P']:.3f} / {b['R']:.3f} / {b['F1']:.3f} | "
            f"{old['P']:.3f} / {old['R']:.3f} / {old['F1']:.3f} |"
        )
    words = sum(len(t.split()) for t in texts)
    print(
        f"\ntime: model load {load_seconds:.1f} s; parse + cues {seconds:.1f} s for {len(texts)} "
        f"sentences = {1000 * seconds / len(texts):.2f} ms/sentence, {words / seconds:,.0f} words/s"
    )
    if args.errors:
        rest = [i for i in range(len(rows)) if parts["rest (development)"][i]]
        misses = [i for i in rest if gold[i] and not system[i]][: args.errors]
        alarms = [i for i in rest if system[i] and not gold[i]][: args.errors]
        print("\nmisses (rest part):")
        for i in misses:
            print(f"  {texts[i][:160]}")
        print("\nfalse alarms (rest part):")
        for i in alarms:
            print(f"  [{table['cues'].iloc[i]}] {texts[i][:140]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
