"""Speed of the NLP backbone and the people layer (parse + people_records), words per second.

    .venv/bin/python benchmarks/bench_people.py [--texts DIR]

Texts: the real-document set (``$DPRKBRIEF_REALDOCS`` else ``.cache/realdocs``), else the
project corpus. Reports model load time, cold parse (cache off), people_records on parsed
documents, and the warm path (disk cache, new process state) for the whole layer.
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
    t = time.perf_counter()
    res.nlp  # noqa: B018 - load (and verify) the model
    load = time.perf_counter() - t
    t = time.perf_counter()
    parse_many(docs, res, cache=False)
    cold_parse = time.perf_counter() - t
    t = time.perf_counter()
    for d in docs:
        people_records(d, res)
    people = time.perf_counter() - t
    clear_memory_cache()
    parse_many(docs, res)  # fill the disk cache
    clear_memory_cache()
    t = time.perf_counter()
    parse_many(docs, res)
    for d in docs:
        people_records(d, res)
    warm = time.perf_counter() - t
    print(f"{len(docs)} documents, {words} words, model {res.model_info.ident}")
    print(f"model load + verification: {load:.2f} s")
    print(f"parse, cold (nlp.pipe):     {cold_parse:.2f} s  {words / cold_parse:,.0f} words/s")
    print(f"people_records on parses:   {people:.2f} s  {words / people:,.0f} words/s")
    whole = cold_parse + people
    print(f"whole layer, cold:          {whole:.2f} s  {words / whole:,.0f} words/s")
    print(f"whole layer, warm cache:    {warm:.2f} s  {words / warm:,.0f} words/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
