"""Benchmark: the date tagger beside dateparser's ``search_dates``, speed and TempEval-3 scores.

Run: .venv/bin/python benchmarks/bench_dates.py [--files 40] [--repeat 3]

Speed: both tools tag the same text (the corpus documents, and the TempEval-3 texts when
``../shared`` is present) in one run; throughput in characters per second (single core;
dprkbrief best of ``--repeat`` runs, dateparser one run).
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
TBAQ = ROOT.parent / "shared" / "data" / "tempeval3" / "TBAQ-cleaned"


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


def speed(texts: list[tuple[str, str | None]], repeat: int, subset: int) -> dict[str, float]:
    from dprkbrief.temporal.tagger import tag_dates_records

    n_chars = sum(len(t) for t, _ in texts)
    tag_dates_records("warm up on 2019-02-28", None)  # compile the rules once
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text, dct in texts:
            tag_dates_records(text, dct)
        best = min(best, time.perf_counter() - t0)
    ours = n_chars / best
    sample = texts[: max(1, len(texts) // subset)]  # dateparser is slow: one run on a subset
    n_sample = sum(len(t) for t, _ in sample)
    t0 = time.perf_counter()
    for text, dct in sample:
        _dateparser_records(text, dct)
    theirs = n_sample / (time.perf_counter() - t0)
    return {"chars": n_chars, "ours": ours, "dateparser": theirs, "dp_chars": n_sample}


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
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    print("| text | dprkbrief tag_dates (chars/s) | dateparser search_dates (chars/s) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, texts in _texts().items():
        s = speed(texts, args.repeat, 1)  # the same text for both tools
        print(
            f"| {name}, {s['chars']:,} chars | {s['ours']:,.0f} | {s['dateparser']:,.0f} "
            f"(on {s['dp_chars']:,} chars) | {s['ours'] / s['dateparser']:.1f}x |"
        )
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
