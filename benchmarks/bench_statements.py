"""Speed of the expert layer (parse + quotes + statements + positions + forecasts).

Cold: a fresh process with an empty parse cache (model load and parsing included). Warm:
a fresh process whose on-disk caches hold every parse and quote record. News: the whole
layer on news text (PolNeAR dev texts if present, else the seed corpus repeated), cold
cache, one process. Every run reports wall time beside CPU time (user + system of the
process, so other jobs on a busy machine do not count) and the load average, and splits the
time into phases: imports and corpus loading, spaCy import and model load, parsing (first
``nlp.pipe`` pass and cache writes), and the rest of statements, positions, forecasts.
``--ceiling`` also times a bare ``nlp.pipe`` over the news texts (all components, no cache):
the speed the layer cannot beat on this machine.

Run from the repository root:

    .venv/bin/python benchmarks/bench_statements.py [--ceiling] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, sys, time
clock = {"wall": time.perf_counter, "cpu": time.process_time}
t0 = {k: f() for k, f in clock.items()}
phases = {}

def lap(name, since):
    now = {k: f() for k, f in clock.items()}
    phases[name] = {k: round(now[k] - since[k], 3) for k in now}
    return now

import dprkbrief
import dprkbrief.nlp as nlp_pkg
from dprkbrief.nlp import model as model_mod, parsing as parsing_mod

spent = {"model": {"wall": 0.0, "cpu": 0.0}, "parse": {"wall": 0.0, "cpu": 0.0}}

def timed(name, func):
    def wrapper(*args, **kwargs):
        start = {k: f() for k, f in clock.items()}
        try:
            return func(*args, **kwargs)
        finally:
            for k, f in clock.items():
                spent[name][k] += f() - start[k]
    return wrapper

# measure only: the same functions run, their time is added up
model_mod.load_model = timed("model", model_mod.load_model)
nlp_pkg.parse_many = parsing_mod.parse_many = timed("parse", parsing_mod.parse_many)

corpus_dir = sys.argv[1]
if corpus_dir.endswith(".json"):
    texts = json.load(open(corpus_dir, encoding="utf-8"))
    corpus = dprkbrief.corpus_from_texts(texts)
else:
    corpus = dprkbrief.load_corpus(corpus_dir)
t = lap("import dprkbrief + corpus", t0)
dprkbrief.statements(corpus)
t = lap("statements", t)
dprkbrief.positions(corpus)
t = lap("positions", t)
dprkbrief.forecasts(corpus)
t = lap("forecasts", t)
total = {k: round(clock[k]() - t0[k], 3) for k in clock}
words = sum(len(corpus[d].text.split()) for d in corpus.doc_ids)
out = {
    "total": total,
    "phases": phases,
    "spacy import + model load": {k: round(v, 3) for k, v in spent["model"].items()},
    "parse (nlp.pipe + cache, without model load)": {
        k: round(spent["parse"][k] - spent["model"][k], 3) for k in clock
    },
    "spacy imported": "spacy" in sys.modules,
    "pandas imported": "pandas" in sys.modules,
    "words": words,
}
if len(sys.argv) > 2 and sys.argv[2] == "ceiling":
    from dprkbrief.resources.bundle import default_resources

    nlp = default_resources().nlp
    docs = [corpus[d].text for d in corpus.doc_ids]
    start = {k: f() for k, f in clock.items()}
    for _ in nlp.pipe(docs, batch_size=16):
        pass
    out["bare nlp.pipe, all components"] = {k: round(clock[k]() - start[k], 3) for k in clock}
print(json.dumps(out))
"""


def _run(target: str, cache: str, *extra: str) -> dict:
    env = dict(os.environ, DPRKBRIEF_CACHE=cache)
    before = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-c", CHILD, target, *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["load average"] = round((before + os.getloadavg()[0]) / 2, 1)
    return result


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


def _fmt(t: dict) -> str:
    return f"{t['wall']:7.2f} s wall {t['cpu']:7.2f} s CPU"


def _report(label: str, r: dict) -> None:
    print(
        f"{label}: {_fmt(r['total'])}   ({r['words']:,} words, load average {r['load average']}, "
        f"spaCy imported: {r['spacy imported']})"
    )
    for name, t in r["phases"].items():
        print(f"    {name:45s} {_fmt(t)}")
    for name in ("spacy import + model load", "parse (nlp.pipe + cache, without model load)"):
        if r[name]["wall"] > 0:
            print(f"      of which {name:37s} {_fmt(r[name])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ceiling", action="store_true", help="also time a bare nlp.pipe on news")
    ap.add_argument("--repeat", type=int, default=1, help="seed-corpus runs (best CPU kept)")
    ap.add_argument("--no-news", action="store_true", help="seed corpus only (skip the news run)")
    args = ap.parse_args(argv)
    seed = str(ROOT / "corpus")
    colds, warms = [], []
    for _ in range(max(1, args.repeat)):
        with tempfile.TemporaryDirectory() as tmp:
            colds.append(_run(seed, tmp))
            warms.append(_run(seed, tmp))
    news = None
    if not args.no_news:
        with tempfile.TemporaryDirectory() as tmp:
            extra = ("ceiling",) if args.ceiling else ()
            news = _run(str(_news_texts(Path(tmp) / "news.json")), tmp, *extra)
    cold = min(colds, key=lambda r: r["total"]["cpu"])
    warm = min(warms, key=lambda r: r["total"]["cpu"])
    _report("seed corpus, cold (new process, empty caches)", cold)
    _report("seed corpus, warm (new process, caches filled by the cold run)", warm)
    if news is not None:
        _report("news (PolNeAR dev texts), cold, one process", news)
    print("summary (targets: cold <= 5 s, warm <= 1 s, news >= 3,000 words/s per core)")
    print(
        f"    seed cold  {cold['total']['wall']:.2f} s wall, {cold['total']['cpu']:.2f} s CPU"
        f" (all {len(colds)} runs CPU: {[r['total']['cpu'] for r in colds]})"
    )
    print(
        f"    seed warm  {warm['total']['wall']:.2f} s wall, {warm['total']['cpu']:.2f} s CPU"
        f" (all {len(warms)} runs CPU: {[r['total']['cpu'] for r in warms]})"
    )
    if news is None:
        return 0
    words = news["words"]
    print(
        f"    news       {words / news['total']['cpu']:,.0f} words/s per core (CPU), "
        f"{words / news['total']['wall']:,.0f} words/s wall"
    )
    bare = news.get("bare nlp.pipe, all components")
    if bare:
        print(
            f"    bare nlp.pipe on the same texts: {words / bare['cpu']:,.0f} words/s per core "
            f"(CPU), {words / bare['wall']:,.0f} wall: the ceiling for the whole layer"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
