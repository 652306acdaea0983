"""Benchmark: the date tagger beside dateparser's ``search_dates``, speed and TempEval-3 scores.

Run: .venv/bin/python benchmarks/bench_dates.py [--files 40] [--docs 120] [--repeat 3]

Speed: per-document calls, as a pipeline makes them, on the same documents (the corpus
documents, and the first ``--docs`` TempEval-3 news documents, ~2 KB each, when ``../shared``
is present) in one run, both tools warmed up first; each document is tagged by dprkbrief
(best of ``--repeat``: ``tag_dates_records``, the records fast path, and ``tag_dates``) and
by dateparser (one call), interleaved so machine load hits both alike. Throughput in
characters per second (single core) and the ratio, over all documents and for the median
document.
Accuracy: TempEval-3 training data (TBAQ-cleaned), all files for the tagger and the first
``--files`` files for dateparser (it is slow). dateparser's matches are mapped to TIMEX3
values by their granularity (a day, month or year that the text names). Prints a markdown
table; numbers go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import re
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared of the checkout (or of a folder above it: a git worktree one level deeper)
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT.parent)
TBAQ = SHARED / "data" / "tempeval3" / "TBAQ-cleaned"


def _texts() -> dict[str, list[tuple[str, str | None]]]:
    """The corpus documents and, when ../shared is present, the TempEval-3 texts."""
    import dprkbrief
    from dprkbrief.corpus.corpus import doc_date
    from dprkbrief.temporal.timeml import _expand, read_timeml

    c = dprkbrief.load_corpus(ROOT / "corpus")
    out = {"corpus/ (analyses, interviews)": [(c[d].text, doc_date(c, d)) for d in c.doc_ids]}
    if TBAQ.is_dir():
        docs = (read_timeml(p) for p in _expand([TBAQ]))
        out["TempEval-3 TBAQ (news, dense)"] = [(d.text, d.dct) for d in docs]
    return out


def _dateparser_records(text: str, dct: str | None) -> list[dict]:
    """Run ``search_dates`` and turn its (substring, datetime) pairs into spans and values."""
    import datetime as dt

    from dateparser.search import search_dates

    settings = {"RETURN_AS_TIMEZONE_AWARE": False}
    if dct:
        try:
            settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(dct[:10])
        except ValueError:
            pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(text, languages=["en"], settings=settings) or []
    out, pos = [], 0
    for sub, when in found:
        i = text.find(sub, pos)
        if i < 0:
            i = text.find(sub)
            if i < 0:
                continue
        pos = i + len(sub)
        if re.fullmatch(r"\s*\d{4}\s*", sub):
            value = f"{when.year:04d}"
        elif not re.search(r"\d", sub) and re.search(
            r"(?i)jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", sub
        ):
            value = f"{when.year:04d}-{when.month:02d}"
        else:
            value = when.date().isoformat()
        out.append({"start": i, "end": i + len(sub), "type": "DATE", "value": value})
    return out


def speed(texts: list[tuple[str, str | None]], repeat: int, docs: int) -> dict[str, float]:
    """Per-document calls, as a pipeline makes them: both tools warmed up, then each document
    tagged by dprkbrief (best of ``repeat``, the records fast path and the DataFrame API)
    and by dateparser (one call), interleaved so machine load hits both alike."""
    from dprkbrief.temporal.tagger import tag_dates, tag_dates_records

    sample = texts[:docs] if docs else texts
    text0, dct0 = sample[0]
    tag_dates_records(text0, dct0)  # warm up: compile the rules once
    tag_dates(text0, dct0)
    _dateparser_records(text0, dct0)  # warm up: dateparser's language data and caches
    ours = frame = theirs = 0.0
    per_doc: list[float] = []
    for text, dct in sample:
        best = best_df = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            tag_dates_records(text, dct)
            best = min(best, time.perf_counter() - t0)
            t0 = time.perf_counter()
            tag_dates(text, dct)
            best_df = min(best_df, time.perf_counter() - t0)
        t0 = time.perf_counter()
        _dateparser_records(text, dct)
        dp = time.perf_counter() - t0
        ours, frame, theirs = ours + best, frame + best_df, theirs + dp
        per_doc.append(dp / best)
    per_doc.sort()
    n = sum(len(t) for t, _ in sample)
    return {
        "docs": len(sample),
        "chars": n,
        "ours": n / ours,
        "frame": n / frame,
        "dateparser": n / theirs,
        "ms_ours": 1000 * ours / len(sample),
        "ms_dp": 1000 * theirs / len(sample),
        "median_ratio": per_doc[len(per_doc) // 2],
    }


def accuracy(files: int) -> list[tuple[str, object]]:
    from dprkbrief.temporal.tagger import tag_dates_records
    from dprkbrief.temporal.timeml import _expand, read_timeml, score_docs

    docs = [read_timeml(p) for p in _expand([TBAQ])]
    ours = score_docs(docs, tag_dates_records)
    ours_sub = score_docs(docs[:files], tag_dates_records)
    theirs = score_docs(docs[:files], _dateparser_records)
    return [
        (f"dprkbrief, all {len(docs)} files", ours),
        (f"dprkbrief, first {files} files", ours_sub),
        (f"dateparser search_dates, first {files} files", theirs),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=40, help="TempEval files for dateparser")
    ap.add_argument("--docs", type=int, default=120, help="documents per set for the speed")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--speed-only", action="store_true")
    args = ap.parse_args()

    print(
        "| text (per-document calls) | docs, chars | dprkbrief records | dprkbrief DataFrame "
        "| dateparser | ms/doc ours / dateparser | ratio (total) | ratio (median doc) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, texts in _texts().items():
        s = speed(texts, args.repeat, args.docs)
        print(
            f"| {name} | {s['docs']}, {s['chars']:,} | {s['ours'] / 1e6:.2f}M chars/s | "
            f"{s['frame'] / 1e6:.2f}M chars/s | {s['dateparser'] / 1e3:.0f}k chars/s | "
            f"{s['ms_ours']:.2f} / {s['ms_dp']:.0f} | {s['ours'] / s['dateparser']:.1f}x | "
            f"{s['median_ratio']:.1f}x |"
        )
    if args.speed_only:
        return
    if not TBAQ.is_dir():
        print("\n(TempEval-3 data not found in ../shared: accuracy skipped)")
        return
    print()
    print(
        "| TempEval-3 TBAQ-cleaned | strict F1 | relaxed P | relaxed R | relaxed F1 | type F1 | value F1 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, sc in accuracy(args.files):
        print(
            f"| {name} | {sc.strict[2]:.3f} | {sc.relaxed[0]:.3f} | {sc.relaxed[1]:.3f} | "
            f"{sc.relaxed[2]:.3f} | {sc.type_f1:.3f} | {sc.value_f1:.3f} |"
        )


if __name__ == "__main__":
    main()
