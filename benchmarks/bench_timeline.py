"""Benchmark: build the evidence-linked timeline (segmentation + tagging + linking).

Run: .venv/bin/python benchmarks/bench_timeline.py [--copies 10]
Prints a markdown table; numbers go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(path: Path) -> tuple[float, int, int]:
    """Seconds for load_corpus + timeline (cold corpus), rows, characters."""
    import dprkbrief

    t = time.perf_counter()
    corpus = dprkbrief.load_corpus(path)
    tl = dprkbrief.timeline(corpus)
    return time.perf_counter() - t, len(tl), sum(len(corpus[d].text) for d in corpus)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=10, help="copies of the corpus (default 10)")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import pandas  # noqa: F401  (warm imports so timings measure our code)

    build(ROOT / "corpus")  # warm rule files and caches
    rows = []
    dt, n, chars = min(build(ROOT / "corpus") for _ in range(3))
    rows.append(("seed corpus", f"{chars:,}", n, f"{dt:.3f}", f"{chars / 1e3 / dt:.0f}"))
    texts = sorted((ROOT / "corpus").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.copies):
            for f in texts:
                (Path(tmp) / f"{k:03d}_{f.name}").write_bytes(f.read_bytes())
        dt, n, chars = build(Path(tmp))
    rows.append((f"{args.copies} copies", f"{chars:,}", n, f"{dt:.3f}", f"{chars / 1e3 / dt:.0f}"))
    print("| corpus | characters | timeline rows | seconds (load + timeline) | k chars/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print("| " + " | ".join(map(str, r)) + " |")


if __name__ == "__main__":
    main()
