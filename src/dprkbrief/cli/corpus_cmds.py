"""``dprkbrief corpus``, ``dprkbrief segments`` and ``dprkbrief kwic``."""

from __future__ import annotations

import argparse

from ._output import add_format_arg, add_path_arg, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "corpus",
        help="print the documents table of a corpus",
        description="Print one row per document with its inferred and catalogued metadata.",
    )
    add_path_arg(p)
    add_format_arg(p)
    p.set_defaults(func=_corpus)

    p = sub.add_parser(
        "segments",
        help="print the segments of a corpus or one document",
        description="Print a segment table with exact character offsets.",
    )
    add_path_arg(p)
    p.add_argument(
        "--doc",
        "--docs",
        action="append",
        dest="docs",
        metavar="DOC_ID",
        help="restrict to this document (repeatable)",
    )
    p.add_argument(
        "--level", default="sentence", choices=["section", "turn", "paragraph", "sentence"]
    )
    add_format_arg(p)
    p.set_defaults(func=_segments)

    p = sub.add_parser(
        "kwic",
        help="keyword in context",
        description="Every match of PATTERN with its context and offsets.",
    )
    p.add_argument("pattern", help="word or phrase (see --regex, --glob)")
    add_path_arg(p)
    p.add_argument(
        "--window",
        default="sentence",
        help="'sentence' or a number of characters (default: sentence)",
    )
    g = p.add_mutually_exclusive_group()
    g.add_argument("--regex", action="store_const", const="regex", dest="valuetype")
    g.add_argument("--glob", action="store_const", const="glob", dest="valuetype")
    p.add_argument("--doc", "--docs", action="append", dest="docs", metavar="DOC_ID")
    add_format_arg(p)
    p.set_defaults(func=_kwic, valuetype="fixed")


def _corpus(args: argparse.Namespace) -> int:
    from dprkbrief import load_corpus

    df = load_corpus(args.path).documents
    if args.format == "table":
        df = df[
            [
                "doc_id",
                "title",
                "date",
                "date_source",
                "genre",
                "authors",
                "speakers",
                "publisher",
                "n_words",
            ]
        ]
    emit(df, args.format)
    return 0


def _segments(args: argparse.Namespace) -> int:
    from dprkbrief import load_corpus

    df = load_corpus(args.path).segments(args.level, docs=args.docs)
    if args.format == "table":
        df = df[["seg_id", "start", "end", "kind", "speaker", "text"]]
    emit(df, args.format)
    return 0


def _kwic(args: argparse.Namespace) -> int:
    from dprkbrief import kwic, load_corpus
    from dprkbrief.errors import ParameterError

    window: str | int = args.window
    if window != "sentence":
        try:
            window = int(window)
        except ValueError:
            raise ParameterError(
                f"invalid value for '--window': {args.window!r}; use 'sentence' or a number"
            ) from None
    df = kwic(
        load_corpus(args.path),
        args.pattern,
        window=window,
        valuetype=args.valuetype,
        docs=args.docs,
    )
    if args.format == "table":
        from dprkbrief.analysis.kwic import kwic_view

        # the left context keeps the words next to the match
        df = kwic_view(df[["doc_id", "speaker", "left", "match", "right"]], width=40)
    emit(df, args.format)
    return 0
