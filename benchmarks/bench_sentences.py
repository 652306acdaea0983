"""Benchmark: sentence splitter speed, peak memory and Golden Rules score, against pysbd.

Run: .venv/bin/python benchmarks/bench_sentences.py [--mb 10] [--pysbd-kb 200]
Builds ~MB of text by repeating the corpus documents, splits it paragraph by paragraph (as the
segmenter calls ``sentence_spans``) and as one whole text; times pysbd (slow) on a smaller
slice. MB = 10^6 bytes of UTF-8 text; times are best of 3 on one core. Prints a markdown table;
the numbers go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import time
import tomllib
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden_rules_en.toml"


def build_text(mb: float) -> tuple[str, list[tuple[int, int]]]:
    """The corpus documents repeated to ``mb`` MB, with the segmenter's paragraph spans."""
    from dprkbrief.segment import parse_paragraphs

    docs = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    size = pos = k = 0
    while size < mb * 1e6:
        doc = docs[k % len(docs)] + "\n\n"
        spans += [(pos + p.start, pos + p.end) for p in parse_paragraphs(doc)]
        parts.append(doc)
        pos += len(doc)
        size += len(doc.encode())
        k += 1
    return "".join(parts), spans


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def golden_score(split) -> int:
    with open(GOLDEN, "rb") as fh:
        rules = tomllib.load(fh)["rule"]

    def norm(s: str) -> str:
        return " ".join(s.split())

    return sum(
        [norm(s) for s in split(r["text"]) if s.strip()] == [norm(s) for s in r["sentences"]]
        for r in rules
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0, help="size of the large text in MB")
    ap.add_argument("--pysbd-kb", type=float, default=200.0, help="size of pysbd's slice in kB")
    args = ap.parse_args()
    from dprkbrief.segment.sentences import sentence_spans, split_sentences

    text, paras = build_text(args.mb)
    mb = len(text.encode()) / 1e6
    sentence_spans(text[:2000])  # load the rule data outside the timings

    def per_paragraph() -> int:
        return sum(len(sentence_spans(text, s, e)) for s, e in paras)

    def whole() -> int:
        return len(sentence_spans(text))

    n_par, n_whole = per_paragraph(), whole()
    t_par, t_whole = best_of(per_paragraph), best_of(whole)
    m_par, m_whole = peak_mib(per_paragraph), peak_mib(whole)
    rows = [
        (
            f"dprkbrief, per paragraph ({len(paras)} calls)",
            f"{mb / t_par:.1f}",
            f"{t_par:.2f} s for {mb:.1f} MB",
            f"{m_par:.2f}",
            n_par,
        ),
        (
            "dprkbrief, whole text (1 call)",
            f"{mb / t_whole:.1f}",
            f"{t_whole:.2f} s for {mb:.1f} MB",
            f"{m_whole:.2f}",
            n_whole,
        ),
    ]
    ours = golden_score(split_sentences)
    theirs = "n/a"
    try:
        import pysbd
    except ImportError:
        rows.append(("pysbd (not installed)", "", "", "", ""))
    else:
        seg = pysbd.Segmenter(language="en", clean=False)
        cut = text.rfind("\n\n", 0, int(args.pysbd_kb * 1000))
        small = text[:cut]
        small_mb = len(small.encode()) / 1e6
        t_py = best_of(lambda: seg.segment(small), repeat=1)
        m_py = peak_mib(lambda: seg.segment(small))
        rows.append(
            (
                "pysbd 0.3.4, whole text (clean=False)",
                f"{small_mb / t_py:.2f}",
                f"{t_py:.2f} s for {small_mb:.2f} MB",
                f"{m_py:.2f}",
                len(seg.segment(small)),
            )
        )
        theirs = golden_score(seg.segment)
    print("| splitter | MB/s | time | peak MiB (tracemalloc) | sentences |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")
    print()
    print("| Golden Rules (52 English) | passed |\n| --- | --- |")
    print(f"| dprkbrief | {ours} |\n| pysbd | {theirs} |")


if __name__ == "__main__":
    main()
