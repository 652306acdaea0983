"""Speed of the expert layer (parse + quotes + statements + positions + forecasts).

Cold: a fresh process with an empty parse cache (model load and parsing included). Warm:
a fresh process whose on-disk parse cache holds every parse. Throughput: words per second
of the whole layer on news text (PolNeAR dev texts if present, else the seed corpus
repeated), cold cache, one process.

Run from the repository root:

    .venv/bin/python benchmarks/bench_statements.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import dprkbrief
corpus_dir = sys.argv[1]
if corpus_dir.endswith(".json"):
    texts = json.load(open(corpus_dir, encoding="utf-8"))
    corpus = dprkbrief.corpus_from_texts(texts)
else:
    corpus = dprkbrief.load_corpus(corpus_dir)
dprkbrief.statements(corpus)
dprkbrief.positions(corpus)
dprkbrief.forecasts(corpus)
elapsed = time.perf_counter() - t0
words = sum(len(corpus[d].text.split()) for d in corpus.doc_ids)
print(json.dumps({"seconds": round(elapsed, 2), "words": words}))
"""


def _run(target: str, cache: str) -> dict:
    env = dict(os.environ, DPRKBRIEF_CACHE=cache)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, target], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _news_texts(path: Path) -> Path:
    dev = ROOT / ".cache" / "polnear" / "data" / "dev" / "text"
    if dev.is_dir():
        texts = {
            p.stem[:60].replace(" ", "_"): p.read_text(encoding="utf-8") for p in dev.glob("*.txt")
        }
    else:
        seed = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "corpus").glob("*.txt")}
        texts = {f"{k}_{i}": v for i in range(10) for k, v in seed.items()}
    path.write_text(json.dumps(texts), encoding="utf-8")
    return path


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        seed = str(ROOT / "corpus")
        cold = _run(seed, tmp)
        warm = _run(seed, tmp)
    with tempfile.TemporaryDirectory() as tmp:
        news = _run(str(_news_texts(Path(tmp) / "news.json")), tmp)
    result = {
        "seed corpus cold (s)": cold["seconds"],
        "seed corpus warm parse cache (s)": warm["seconds"],
        "seed words": cold["words"],
        "news words": news["words"],
        "news cold (s)": news["seconds"],
        "news words/s (whole layer, cold, 1 process)": round(news["words"] / news["seconds"]),
    }
    for k, v in result.items():
        print(f"{k:45s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
