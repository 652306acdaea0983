"""Benchmark: `dprkbrief build` (Dask, Parquet index) on a synthetic corpus, and open_index.

Run: .venv/bin/python benchmarks/bench_build.py --mb 10 --workers 1 2 [--nlp-mb 1]

The synthetic corpus is made of real sentences (the seed corpus, tests/user_docs and, when
present, the real-document texts in .cache/realdocs), shuffled with a fixed seed and packed
into ~25 KB documents; it is written under .cache/bench_build/ (never committed). For each
worker count a LocalCluster (processes, 1 thread each) builds a fresh index; peak memory per
worker is its maximum resident set size. Prints a markdown table for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench_build"
RULE_STEPS = ["segments", "dates", "mentions"]
NLP_STEPS = ["people", "quotations", "statements"]


def _sentences() -> list[str]:
    from dprkbrief import split_sentences

    files = [*ROOT.glob("corpus/*.txt"), *ROOT.glob("tests/user_docs/*")]
    files += list((ROOT / ".cache" / "realdocs").rglob("*.txt"))
    out = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out += [s for s in split_sentences(text) if 20 <= len(s) <= 600 and "\n" not in s]
    return out


def synthetic(mb: float, *, doc_kb: int = 25, seed: int = 7) -> Path:
    """A JSON Lines corpus of ``mb`` MB of ~``doc_kb`` KB documents (cached by size)."""
    path = CACHE / f"synth_{mb:g}MB.jsonl"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = _sentences()
    size, k = 0, 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        while size < mb * 1e6:
            rng.shuffle(pool)
            paras, n, i = [f"Synthetic report {k}"], 0, 0
            while n < doc_kb * 1000 and i < len(pool):
                para = " ".join(pool[i : i + rng.randint(2, 5)])
                i += 5
                paras.append(para)
                n += len(para) + 2
            text = "\n\n".join(paras) + "\n"
            fh.write(json.dumps({"doc_id": f"syn{k:06d}", "text": text}) + "\n")
            size += len(text.encode())
            k += 1
    tmp.replace(path)
    return path


def build(source: Path, workers: int, steps: list[str]) -> dict:
    from dask.distributed import Client, LocalCluster

    from dprkbrief.pipeline.index import build_index

    out = CACHE / f"index_{source.stem}_{'-'.join(steps)}_{workers}w"
    shutil.rmtree(out, ignore_errors=True)
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cl,
        Client(cl) as client,
    ):
        t = time.perf_counter()
        m = build_index(source, out, steps=steps, scheduler=cl.scheduler_address)
        wall = time.perf_counter() - t
        rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return {"manifest": m, "wall": wall, "peak_mib": max(rss.values()) / 1024, "out": out}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, nargs="+", default=[10.0], help="corpus sizes (MB)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--nlp-mb", type=float, default=0.0, help="size for the NLP steps (0: skip)")
    args = ap.parse_args()
    rows = []
    last = None
    for mb in [m for m in args.mb if m > 0]:  # --mb 0: NLP steps only
        src = synthetic(mb)
        base = None
        for w in args.workers:
            r = build(src, w, RULE_STEPS)
            m = r["manifest"]
            base = base or r["wall"]
            rows.append(
                (
                    f"rule steps, {mb:g} MB, {m['n_documents']} docs, {w} worker(s)",
                    f"{r['wall']:.1f} s, {m['n_documents'] / r['wall']:.1f} docs/s, "
                    f"{m['n_chars'] / 1e6 / r['wall']:.2f} M chars/s, speed-up "
                    f"{base / r['wall']:.2f}x, peak {r['peak_mib']:.0f} MiB/worker",
                )
            )
            last = r["out"]
    if args.nlp_mb:
        src = synthetic(args.nlp_mb)
        for w in args.workers:
            r = build(src, w, NLP_STEPS)
            m = r["manifest"]
            per_worker = m["n_documents"] / r["wall"] / w
            hours = 1e9 / (m["n_chars"] / r["wall"] / w) / 3600
            rows.append(
                (
                    f"NLP steps, {args.nlp_mb:g} MB, {m['n_documents']} docs, {w} worker(s)",
                    f"{r['wall']:.1f} s, {per_worker:.2f} docs/s per worker, 1 GB = "
                    f"{hours:.0f} worker-hours, peak {r['peak_mib']:.0f} MiB/worker",
                )
            )
    if last is not None:
        import dprkbrief

        index = dprkbrief.open_index(last)
        t = time.perf_counter()
        tl = dprkbrief.timeline(index, start=2019, end=2019)
        rows.append(
            (
                f"open_index + timeline(2019) on {last.name}",
                f"{time.perf_counter() - t:.1f} s, {len(tl)} rows",
            )
        )
        t = time.perf_counter()
        ex = dprkbrief.experts(index)
        rows.append(
            (f"experts() on {last.name}", f"{time.perf_counter() - t:.1f} s, {len(ex)} rows")
        )
    print("| measure | value |\n| --- | --- |")
    for k, v in rows:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
