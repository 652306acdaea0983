"""Speed of the NLP backbone and the people layer (parse + people_records), words per second.

    .venv/bin/python benchmarks/bench_people.py [--texts DIR]

Texts: the real-document set (``$DPRKBRIEF_REALDOCS`` else ``.cache/realdocs``), else the
project corpus. Reports model load time, cold parse (cache off), people_records on parsed
documents, and the warm path (disk cache, new process state) for the whole layer; each as
wall time and CPU time of this process (other jobs on a busy machine do not count in CPU
time; words/s per core are computed from it), with the load average.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, default=None)
    args = ap.parse_args(argv)
    folder = args.texts or Path(os.environ.get("DPRKBRIEF_REALDOCS", ROOT / ".cache/realdocs"))
    files = sorted(folder.glob("*.txt")) or sorted((ROOT / "corpus").glob("*.txt"))
    texts = {f.stem: f.read_text(encoding="utf-8") for f in files}
    os.environ["DPRKBRIEF_CACHE"] = tempfile.mkdtemp(prefix="dprkbrief-bench-")
    import dprkbrief
    from dprkbrief.nlp import clear_memory_cache, parse_many
    from dprkbrief.nlp.people import people_records

    corpus = dprkbrief.corpus_from_texts(texts)
    docs = list(corpus.values())
    words = sum(len(re.findall(r"\w+", t)) for t in texts.values())
    res = dprkbrief.Resources()
    times: dict[str, tuple[float, float]] = {}

    def timed(name: str, func) -> None:
        w, c = time.perf_counter(), time.process_time()
        func()
        times[name] = (time.perf_counter() - w, time.process_time() - c)

    timed("model load + verification", lambda: res.nlp)
    timed("parse, cold (nlp.pipe)", lambda: parse_many(docs, res, cache=False))
    timed("people_records on parses", lambda: [people_records(d, res) for d in docs])
    clear_memory_cache()
    parse_many(docs, res)  # fill the disk cache
    clear_memory_cache()

    def warm() -> None:
        parse_many(docs, res)
        for d in docs:
            people_records(d, res)

    timed("whole layer, warm cache", warm)
    parse_w, parse_c = times["parse, cold (nlp.pipe)"]
    people_w, people_c = times["people_records on parses"]
    times["whole layer, cold"] = (parse_w + people_w, parse_c + people_c)
    load = os.getloadavg()[0]
    print(f"{len(docs)} documents, {words} words, model {res.model_info.ident}, load {load:.1f}")
    for name, (w, c) in times.items():
        rate = "" if name.startswith("model") else f"  {words / c:8,.0f} words/s per core (CPU)"
        print(f"{name:28s} {w:7.2f} s wall {c:7.2f} s CPU{rate}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
