"""Benchmark: per-document cost is linear in the document's size (time and peak memory).

Run: .venv/bin/python benchmarks/bench_linear.py [--sizes 12.5 50] [--levels all|sentence]

Builds one large document per size by repeating the paragraphs of the suite's own documents
(tests/user_docs), each copy numbered so no two paragraphs are equal, with a short pull-quote
paragraph (a repeated sentence) every tenth paragraph; then, in a fresh interpreter per size,
loads the folder and builds the segment tables. Time is the best of ``--repeat`` untraced runs;
peak memory is tracemalloc's peak in a separate run. Prints a markdown table and the ratios
the targets are about (time(largest) / time(smallest) for 4x the text; peak / text size).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tests" / "user_docs"


def build_document(n_bytes: int) -> str:
    """About ``n_bytes`` of UTF-8 text made of numbered copies of the fixture paragraphs."""
    paras: list[str] = []
    for f in sorted(SOURCES.glob("*.txt")) + sorted(SOURCES.glob("*.md")):
        raw = f.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        paras += [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    prose = [p for p in paras if len(p) > 120]
    out: list[str] = ["A Long Document for the Linear-Cost Benchmark"]
    size = len(out[0])
    k = 0
    while size < n_bytes:
        p = paras[k % len(paras)]
        piece = f"{p} (Copy {k}.)"
        if k % 10 == 9:  # a pull quote: the first sentence of an earlier prose paragraph
            src = prose[k % len(prose)]
            piece = src.split(". ")[0] + f" (copy {k - 9})"
        out.append(piece)
        size += len(piece.encode("utf-8")) + 2
        k += 1
    return "\n\n".join(out) + "\n"


_CHILD = r"""
import json, sys, time, tracemalloc
import dprkbrief

path, levels, repeat = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])

def run():
    c = dprkbrief.load_corpus(path)
    n = 0
    for level in levels:
        n += len(c.segments(level))
    return c, n

times = []
for _ in range(repeat):
    t = time.perf_counter()
    c, n = run()
    times.append(time.perf_counter() - t)
    del c
tracemalloc.start()
c, n = run()
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
text = next(iter(c.values())).text
print(json.dumps({"time": min(times), "peak": peak, "chars": len(text), "rows": n}))
"""


def measure(mb: float, levels: str, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "long.txt"
        doc.write_text(build_document(int(mb * 1_000_000)), encoding="utf-8")
        n_bytes = doc.stat().st_size
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, tmp, levels, str(repeat)],
            check=True,
            capture_output=True,
            text=True,
        )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["bytes"] = n_bytes
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=float, nargs="+", default=[12.5, 50.0], help="MB per run")
    ap.add_argument("--levels", default="all", choices=["all", "sentence"])
    ap.add_argument("--repeat", type=int, default=1, help="untraced runs per size (best of)")
    args = ap.parse_args()
    levels = "section,turn,paragraph,sentence" if args.levels == "all" else "sentence"
    rows = [(mb, measure(mb, levels, args.repeat)) for mb in args.sizes]
    print(f"levels: {levels}\n")
    print("| document | time | MB/s | peak memory | peak / text size |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for _mb, r in rows:
        mbytes = r["bytes"] / 1e6
        print(
            f"| {mbytes:.1f} MB ({r['rows']:,} segment rows) | {r['time']:.1f} s | "
            f"{mbytes / r['time']:.2f} | {r['peak'] / 2**20:.0f} MiB | "
            f"{r['peak'] / r['bytes']:.1f}x |"
        )
    if len(rows) >= 2:
        a, b = rows[0][1], rows[-1][1]
        print(
            f"\ntime ratio {b['time'] / a['time']:.2f} for {b['bytes'] / a['bytes']:.2f}x the "
            f"text (target <= 4 for 4x); worst peak/text {max(r['peak'] / r['bytes'] for _, r in rows):.1f}x"
            " (target <= 10)"
        )


if __name__ == "__main__":
    main()
