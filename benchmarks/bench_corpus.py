"""Benchmark: import time, corpus load + segmentation, large-corpus segmentation.

Run: .venv/bin/python benchmarks/bench_corpus.py [--mb 10]
Prints a markdown table; numbers go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def import_time(repeat: int = 7) -> float:
    """Median wall time of `python -c "import dprkbrief"` minus a bare interpreter start."""

    def run(code: str) -> float:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - t

    base = statistics.median(run("pass") for _ in range(repeat))
    full = statistics.median(run("import dprkbrief") for _ in range(repeat))
    return full - base


def _run(path: Path) -> int:
    import dprkbrief

    c = dprkbrief.load_corpus(path)
    for level in ("section", "turn", "paragraph", "sentence"):
        c.segments(level)
    return sum(len(c[d].text) for d in c)


def load_and_segment(path: Path) -> tuple[float, int, float]:
    """Best-of-3 wall time (no tracing), then peak memory in a separate traced run."""
    times = []
    for _ in range(3):
        t = time.perf_counter()
        n = _run(path)
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    _run(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return min(times), n, peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0, help="size of the large corpus in MB")
    args = ap.parse_args()
    rows = [("import dprkbrief (s, median of 7, minus bare start)", f"{import_time():.3f}")]
    import pandas  # noqa: F401  (warm imports so the timings below measure our code)

    import dprkbrief  # noqa: F401

    dt, n, peak = load_and_segment(ROOT / "corpus")
    rows.append(("seed corpus: load + all 4 levels (s)", f"{dt:.3f} ({n / 1e6 / dt:.2f} MB/s)"))
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        size, k = 0, 0
        while size < args.mb * 1e6:
            t = texts[k % len(texts)]
            (Path(tmp) / f"doc{k:05d}.txt").write_text(t, encoding="utf-8")
            size += len(t.encode())
            k += 1
        dt, n, peak = load_and_segment(Path(tmp))
    rows.append(
        (
            f"{k} documents, {n / 1e6:.1f} M chars: load + all 4 levels (s)",
            f"{dt:.2f} ({n / 1e6 / dt:.2f} MB/s), peak {peak:.0f} MiB",
        )
    )
    print("| measure | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
