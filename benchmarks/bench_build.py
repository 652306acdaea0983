"""Benchmark: `dprkbrief build` (Dask, Parquet index) on a synthetic corpus, and open_index.

Run (the whole table in one command; the defaults are the README's):

    .venv/bin/python benchmarks/bench_build.py --mb 10 100 --workers 1 2 --nlp-mb 1

The synthetic corpus is made of real sentences (the seed corpus, tests/user_docs and, when
present, the real-document texts in .cache/realdocs), shuffled with a fixed seed and packed
into ~25 KB documents; it is written under .cache/bench_build/ (never committed). For each
size and worker count a fresh LocalCluster (``index.local_cluster``: processes, 1 thread each, no profiler) builds a fresh index.
Reported per run: wall time, documents/s and MB/s per worker from wall time, the workers' CPU
seconds during the build and the MB/s per core they imply (what a free core does; the machine
may be shared), speed-up over one worker, each worker's peak resident memory, and the load
average before and after. ``--serial-mb`` adds a one-process run of ``annotate`` without Dask
(process CPU time per step). The NLP run (``--nlp-mb``) builds every step with the spaCy model
(parse cache off) and states what 1 GB costs in worker-hours. Last, on the largest rule index:
``open_index``, ``timeline(start=2019, end=2019)`` and ``experts()``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench_build"
RULE_STEPS = ["segments", "dates", "mentions", "registry"]
OUT = CACHE  # where indexes (and sizes not found in CACHE) are written: --out-dir


def _sentences() -> list[str]:
    from dprkbrief import split_sentences

    files = [*ROOT.glob("corpus/*.txt"), *ROOT.glob("tests/user_docs/*")]
    files += list((ROOT / ".cache" / "realdocs").rglob("*.txt"))
    out = []
    for f in sorted(files):
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out += [s for s in split_sentences(text) if 20 <= len(s) <= 600 and "\n" not in s]
    return out


def synthetic(mb: float, *, doc_kb: int = 25, seed: int = 7) -> Path:
    """A JSON Lines corpus of ``mb`` MB of ~``doc_kb`` KB documents (cached by size):
    paragraphs of 2-5 sentences drawn in turn from the shuffled pool (reshuffled when used
    up), so documents mix sentences of every source."""
    path = CACHE / f"synth_{mb:g}MB.jsonl"
    if path.exists():
        return path
    path = OUT / f"synth_{mb:g}MB.jsonl"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = _sentences()
    rng.shuffle(pool)
    size, k, i = 0, 0, 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        while size < mb * 1e6:
            paras, n = [f"Synthetic report {k}"], 0
            while n < doc_kb * 1000:
                if i + 5 > len(pool):
                    rng.shuffle(pool)
                    i = 0
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


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _worker_usage() -> dict:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": r.ru_utime + r.ru_stime, "maxrss_kib": r.ru_maxrss}


def _warm() -> None:
    from dprkbrief.pipeline.annotate import annotate, make_document

    annotate(make_document("warm", "Talks resumed in Hanoi on 27 February 2019."), steps=RULE_STEPS)


def build(source: Path, workers: int, steps: list[str] | None, label: str) -> dict:
    """A fresh index of ``source`` built by a fresh LocalCluster of ``workers`` processes."""
    from dask.distributed import Client

    from dprkbrief.pipeline.index import build_index, local_cluster

    out = OUT / f"index_{source.stem}_{label}_{workers}w"
    shutil.rmtree(out, ignore_errors=True)
    with local_cluster(workers) as cl, Client(cl) as client:  # as `dprkbrief build` makes it
        client.run(_warm)  # imports and compiled rules: once per worker, not per document
        before = client.run(_worker_usage)
        load0 = _load()
        t = time.perf_counter()
        m = build_index(source, out, steps=steps, scheduler=cl.scheduler_address)
        wall = time.perf_counter() - t
        after = client.run(_worker_usage)
    cpu = sum(after[a]["cpu"] - before[a]["cpu"] for a in after)
    peak = max(u["maxrss_kib"] for u in after.values()) / 1024
    return {
        "m": m,
        "wall": wall,
        "cpu": cpu,
        "peak": peak,
        "out": out,
        "load": f"{load0} → {_load()}",
    }


def _row(name: str, w: int, r: dict, base: float | None) -> dict:
    m, wall = r["m"], r["wall"]
    mb = m["n_chars"] / 1e6
    return {
        "run": name,
        "docs": m["n_documents"],
        "MB": f"{mb:.1f}",
        "workers": w,
        "wall s": f"{wall:.1f}",
        "docs/s/worker": f"{m['n_documents'] / wall / w:.2f}",
        "MB/s/worker": f"{mb / wall / w:.3f}",
        "worker CPU s": f"{r['cpu']:.1f}",
        "MB/s per core (CPU)": f"{mb / r['cpu']:.3f}" if r["cpu"] else "-",
        "speed-up": f"{base / wall:.2f}x" if base else "1.00x",
        "peak MiB/worker": f"{r['peak']:.0f}",
        "load avg 1/5/15 min": r["load"],
    }


def serial(mb: float) -> list[tuple[str, str]]:
    """``annotate`` over a corpus in this process, without Dask: CPU seconds per step."""
    from dprkbrief.pipeline.annotate import STEPS, annotate, make_document
    from dprkbrief.resources.bundle import Resources

    res = Resources()
    lines = synthetic(mb).read_text(encoding="utf-8").splitlines()
    docs = [make_document(**json.loads(x), resources=res) for x in lines]
    n_chars = sum(len(d.text) for d in docs)
    for d in docs[:2]:  # imports and compiled rules, as a worker has them after its first task
        annotate(d, res, steps=RULE_STEPS)
    out = []
    for step in RULE_STEPS:
        t = time.process_time()
        for d in docs:
            STEPS[step].func(d, res)
        label = " (tags dates itself)" if step == "mentions" else ""
        out.append(
            (f"serial `{step}` step alone{label}, {len(docs)} docs", time.process_time() - t)
        )
    t = time.process_time()
    w = time.perf_counter()
    for d in docs:
        annotate(d, res, steps=RULE_STEPS)
    cpu, wall = time.process_time() - t, time.perf_counter() - w
    rows = [(k, f"{v:.1f} CPU s, {n_chars / 1e6 / v:.3f} MB/s per core") for k, v in out]
    many = getattr(__import__("dprkbrief.pipeline.annotate", fromlist=["x"]), "annotate_many", None)
    if many is not None:  # what a build's partition task runs (32 documents per call)
        t = time.process_time()
        for i in range(0, len(docs), 32):
            many(docs[i : i + 32], res, steps=RULE_STEPS)
        v = time.process_time() - t
        rows.append(
            (
                f"serial annotate_many({','.join(RULE_STEPS)}) by 32, {n_chars / 1e6:.1f} MB",
                f"{v:.1f} CPU s, {n_chars / 1e3 / v:.0f} KB/s per core, {len(docs) / v:.2f} "
                f"docs/s per core; 1 GB = {1e9 / (n_chars / v) / 3600:.2f} core-hours",
            )
        )
    rows.append(
        (
            f"serial annotate({','.join(RULE_STEPS)}), {n_chars / 1e6:.1f} MB",
            f"{cpu:.1f} CPU s ({wall:.1f} s wall), {n_chars / 1e3 / cpu:.0f} KB/s per core, "
            f"{len(docs) / cpu:.2f} docs/s per core; 1 GB = {1e9 / (n_chars / cpu) / 3600:.2f} "
            "core-hours; load " + _load(),
        )
    )
    return rows


def _table(rows: list[dict]) -> str:
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, nargs="*", default=[10.0, 100.0], help="sizes (MB)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--nlp-mb", type=float, default=1.0, help="size of the NLP run (0: skip)")
    ap.add_argument("--nlp-workers", type=int, nargs="+", default=[1])
    ap.add_argument("--serial-mb", type=float, default=2.0, help="no-Dask run (0: skip)")
    ap.add_argument("--no-query", action="store_true", help="skip open_index/timeline/experts")
    ap.add_argument("--query-timeout", type=float, default=600.0, help="seconds per query")
    ap.add_argument("--query-one", nargs=2, metavar=("WHAT", "INDEX"), help=argparse.SUPPRESS)
    ap.add_argument(
        "--out-dir",
        type=Path,
        default=CACHE,
        help="folder for the indexes (re-created per run) and new synthetic sources "
        "(default: .cache/bench_build; sources found there are reused)",
    )
    args = ap.parse_args()
    global OUT
    OUT = args.out_dir.resolve()
    if args.query_one:
        _query_one(*args.query_one)
        return
    os.environ["DPRKBRIEF_PARSE_CACHE"] = "0"  # workers inherit it: every parse is timed

    print(f"machine: {os.cpu_count()} cores, load average {_load()} at the start", flush=True)
    notes: list[tuple[str, str]] = []
    if args.serial_mb:
        notes += serial(args.serial_mb)
    rows, peaks, largest = [], {}, None
    for mb in sorted(m for m in args.mb if m > 0):
        src = synthetic(mb)
        base = None
        for w in args.workers:
            r = build(src, w, RULE_STEPS, "rules")
            rows.append(_row("rule steps", w, r, base))
            print(" | ".join(map(str, rows[-1].values())), flush=True)
            base = base or r["wall"]
            peaks.setdefault(w, []).append((mb, r["peak"]))
            largest = r["out"]
    if args.nlp_mb:
        src = synthetic(args.nlp_mb)
        base_nlp = None
        for w in args.nlp_workers:
            r = build(src, w, None, "all")
            rows.append(_row("all steps (spaCy)", w, r, base_nlp))
            base_nlp = base_nlp or r["wall"]
            print(" | ".join(map(str, rows[-1].values())), flush=True)
            m = r["m"]
            per_core = m["n_chars"] / r["cpu"] if r["cpu"] else 0
            notes.append(
                (
                    f"all steps with spaCy ({m.get('model')}), {w} worker(s)",
                    f"{m['n_documents'] / r['wall'] / w:.3f} docs/s per worker (wall), "
                    f"{m['n_documents'] / r['cpu']:.3f} docs/s per core (CPU); 1 GB = "
                    f"{1e9 / (m['n_chars'] / r['wall'] / w) / 3600:.0f} worker-hours at this "
                    f"load, {1e9 / per_core / 3600:.0f} core-hours of CPU",
                )
            )
    for w, ps in peaks.items():
        if len(ps) > 1:
            lo, hi = min(p for _, p in ps), max(p for _, p in ps)
            notes.append(
                (
                    f"peak memory per worker, {w} worker(s), sizes {', '.join(f'{s:g}' for s, _ in ps)} MB",
                    f"{lo:.0f}–{hi:.0f} MiB: largest/smallest = {hi / lo:.2f} (target ≤ 1.5)",
                )
            )
    if largest is not None and not args.no_query:
        notes += query(largest, args.query_timeout)
    print("\n" + _table(rows) if rows else "")
    if notes:
        print("\n| measure | value |\n|---|---|")
        for k, v in notes:
            print(f"| {k} | {v} |")
    print(f"\nload average {_load()} at the end")


_QUERIES = {
    "open_index": "open_index(INDEX)",
    "stored": "index.timeline(start=2019, end=2019) (stored mentions)",
    "timeline": "dprkbrief.timeline(index, start=2019, end=2019)",
    "experts": "dprkbrief.experts(index)",
}


def _query_one(what: str, path: str) -> None:
    """Child process: time one query on the index at ``path``; print JSON."""
    import dprkbrief

    t, c = time.perf_counter(), time.process_time()
    index = dprkbrief.open_index(path)
    n = None
    if what != "open_index":
        t, c = time.perf_counter(), time.process_time()
        if what == "stored":
            n = len(index.timeline(start=2019, end=2019))
        elif what == "timeline":
            n = len(dprkbrief.timeline(index, start=2019, end=2019))
        else:
            n = len(dprkbrief.experts(index))
    s, cpu = time.perf_counter() - t, time.process_time() - c
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"s": s, "cpu": cpu, "rows": n, "rss": rss, "load": _load()}))


def query(path: Path, timeout: float) -> list[tuple[str, str]]:
    """Each query in a fresh process (cold caches), stopped after ``timeout`` seconds."""
    import subprocess
    import sys

    out = []
    for what, label in _QUERIES.items():
        cmd = [sys.executable, __file__, "--query-one", what, str(path)]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
            r = json.loads(p.stdout.strip().splitlines()[-1])
            rows = "" if r["rows"] is None else f", {r['rows']} rows"
            value = (
                f"{r['s']:.1f} s wall, {r['cpu']:.1f} CPU s{rows}, process peak "
                f"{r['rss']:.0f} MiB, load {r['load']}"
            )
        except subprocess.TimeoutExpired:
            value = f"> {timeout:.0f} s (stopped)"
        except (subprocess.CalledProcessError, ValueError, IndexError) as exc:
            value = f"failed: {str(getattr(exc, 'stderr', '') or exc).strip()[-200:]}"
        out.append((f"{label} on {path.name}", value))
    return out


if __name__ == "__main__":
    main()
