"""Benchmark: corpus functions on an index as folds over stored records, and a one-document
incremental re-build.

Run: .venv/bin/python benchmarks/bench_index_query.py --mb 2

Builds (once, cached under .cache/bench_build/) the rule-step index of the synthetic corpus of
``bench_build.py`` in this process, then times each query twice: computed from the texts
(``dprkbrief.pipeline.fold.direct()``, what every call did before the fold) and as a fold
over the stored records; then edits one document of a copy of the source and re-builds,
reporting how many documents were recomputed. Prints wall and CPU seconds and the load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench_build"
STEPS = ["segments", "dates", "mentions", "registry"]


def _timed(label: str, func) -> tuple[str, float, float, object]:
    w, c = time.perf_counter(), time.process_time()
    out = func()
    return label, time.perf_counter() - w, time.process_time() - c, out


def main() -> None:
    import warnings

    import bench_build  # noqa: I001 - a sibling script
    from bench_build import synthetic

    import dprkbrief
    from dprkbrief.pipeline.fold import direct
    from dprkbrief.pipeline.index import build_index, open_index

    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--skip-direct", action="store_true", help="only the fold timings")
    ap.add_argument("--out-dir", type=Path, default=CACHE, help="folder for the indexes")
    args = ap.parse_args()
    out_dir = args.out_dir.resolve()
    warnings.simplefilter("ignore")
    bench_build.OUT = out_dir  # a new synthetic size is written there too
    source = synthetic(args.mb)
    out = out_dir / f"query_index_{args.mb:g}MB"
    if not (out / "manifest.json").is_file():
        t = time.perf_counter()
        m = build_index(source, out, steps=STEPS, scheduler="synchronous", partition_size=32)
        print(f"built {m['n_documents']} documents in {time.perf_counter() - t:.1f} s")
    index = open_index(out)
    rows = []
    queries = [
        ("timeline(start=2019, end=2019)", lambda: dprkbrief.timeline(index, start=2019, end=2019)),
        ("timeline()", lambda: dprkbrief.timeline(index)),
        ("kwic('summit')", lambda: dprkbrief.kwic(index, "summit")),
        ("segment_counts()", lambda: dprkbrief.segment_counts(index)),
    ]
    for label, func in queries:
        if not args.skip_direct:
            with direct():
                rows.append(_timed(f"{label}, from the texts", func))
        rows.append(_timed(f"{label}, fold", func))
    rows.append(
        _timed("experts() (merge of the stored registry)", lambda: dprkbrief.experts(index))
    )
    if not args.skip_direct:
        with direct():
            rows.append(_timed("experts(), from the texts", lambda: dprkbrief.experts(index)))
    # one-document edit of a copy of the source, re-built incrementally
    src2 = out_dir / f"query_src_{args.mb:g}MB.jsonl"
    out2 = out_dir / f"query_index_{args.mb:g}MB_edit"
    shutil.rmtree(out2, ignore_errors=True)
    shutil.copytree(out, out2)
    lines = source.read_text(encoding="utf-8").splitlines()
    obj = json.loads(lines[len(lines) // 2])
    obj["text"] += "\nTalks resumed on 5 May 2021.\n"
    lines[len(lines) // 2] = json.dumps(obj)
    src2.write_text("\n".join(lines) + "\n", encoding="utf-8")
    label, wall, cpu, m = _timed(
        "re-build after a one-document edit",
        lambda: build_index(src2, out2, steps=STEPS, scheduler="synchronous", partition_size=32),
    )
    rows.append((label, wall, cpu, f"{m['recomputed_documents']} document(s) recomputed"))
    # driver memory: the streaming scan (what build_index keeps) against every text
    import tracemalloc

    from dprkbrief.pipeline.sources import read_source, scan_source

    for name, func in (("scan_source", scan_source), ("read_source", read_source)):
        tracemalloc.start()
        held = func(source)
        cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        shown = f"held {cur / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB"
        rows.append((f"driver memory, {name}", 0.0, 0.0, f"{len(held)} docs, {shown}"))
        del held
    print(f"load average {os.getloadavg()[0]:.1f}; {index!r}")
    print("| query | wall s | CPU s | result |\n| --- | --- | --- | --- |")
    for label, wall, cpu, res in rows:
        shown = res if isinstance(res, str) else f"{len(res):,} rows"
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {shown} |")


if __name__ == "__main__":
    main()
