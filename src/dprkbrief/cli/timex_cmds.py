"""``dprkbrief dates`` (tag the date expressions of a corpus, a file or a text) and
``dprkbrief eval-timex`` (TempEval-3 scores of the tagger on TimeML files)."""

from __future__ import annotations

import argparse
import sys

from ._output import add_format_arg, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dates",
        help="tag the date expressions of a corpus, a text file or a string",
        description=(
            "Print every date expression with its offsets and TIMEX3 value. Relative dates "
            "are resolved against each document's date (or --dct)."
        ),
    )
    p.add_argument(
        "path", nargs="?", default="corpus", help="corpus folder or text file (default: corpus)"
    )
    p.add_argument("--text", help="tag this string instead of a corpus or file")
    p.add_argument("--dct", help="document creation time (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--doc", "--docs", action="append", dest="docs", metavar="DOC_ID")
    p.add_argument(
        "--dates", metavar="TOML", help="your own date patterns file (format of patterns.toml)"
    )
    p.add_argument(
        "--genre",
        choices=["news", "narrative"],
        default="news",
        help="news: relative dates from the document date by tense; narrative: from the last "
        "date the text states",
    )
    add_format_arg(p)
    p.set_defaults(func=_dates)

    p = sub.add_parser(
        "eval-timex",
        help="score the date tagger on TimeML (TempEval-3) files",
        description=(
            "Read .tml files (or folders of them), tag their TEXT with the document's DCT and "
            "print strict/relaxed span precision, recall, F1 and type/value F1 (TempEval-3)."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="DIR", help=".tml files or folders")
    p.add_argument(
        "--errors",
        choices=["missed", "spurious", "value", "type", "all"],
        help="also print the errors of this kind",
    )
    add_format_arg(p)
    p.set_defaults(func=_eval)


def _dates(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pandas as pd

    from dprkbrief.temporal.rules import load_dates
    from dprkbrief.temporal.tagger import tag_dates

    rules = load_dates(args.dates)
    opts = {"dates": rules, "genre": args.genre}
    if args.text is not None:
        df = tag_dates(args.text, dct=args.dct, **opts)
        df.insert(0, "doc_id", "text")
    elif Path(args.path).is_file():
        path = Path(args.path)
        text = path.read_text(encoding="utf-8", errors="replace")
        df = tag_dates(text, dct=args.dct, **opts)
        df.insert(0, "doc_id", path.stem)
    else:
        from dprkbrief import load_corpus
        from dprkbrief.corpus.corpus import doc_date

        corpus = load_corpus(args.path)
        ids = args.docs or corpus.doc_ids
        frames = []
        for doc_id in ids:
            doc = corpus[doc_id]
            d = tag_dates(doc.text, dct=args.dct or doc_date(corpus, doc_id), **opts)
            d.insert(0, "doc_id", doc_id)
            frames.append(d)
        df = pd.concat(frames, ignore_index=True) if frames else tag_dates("")
    emit(df, args.format)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from dprkbrief.temporal.timeml import evaluate_timeml

    scores = evaluate_timeml(args.paths, details=True)
    emit(scores.to_frame(), args.format)
    if args.errors:
        err = scores.errors_frame()
        if args.errors != "all":
            err = err[err["kind"] == args.errors]
        sys.stdout.write("\n")
        emit(err, args.format, width=80)
    return 0
