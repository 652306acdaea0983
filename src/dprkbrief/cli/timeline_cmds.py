"""``dprkbrief timeline``: the evidence-linked timeline as a table, CSV, JSON or TimelineJS."""

from __future__ import annotations

import argparse
import sys

from ._output import add_path_arg

FORMATS = ("table", "csv", "json", "timelinejs")
_TABLE_COLUMNS = ["date", "kind", "event_id", "label", "doc_id", "speaker", "cue", "how", "quote"]


def _year_or_iso(value: str) -> int | str:
    return int(value) if value.isdigit() and len(value) <= 4 else value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "timeline",
        help="events and dates mentioned in the corpus, with their evidence",
        description="One row per mention of a catalog event or a dated expression in the "
        "prose of the corpus, with the sentence that carries it.",
    )
    add_path_arg(p)
    p.add_argument("--format", choices=FORMATS, default="table", help="output (default table)")
    p.add_argument("--start", type=_year_or_iso, help="keep dates from this year or ISO date")
    p.add_argument("--end", type=_year_or_iso, help="keep dates up to this year or ISO date")
    p.add_argument(
        "--docs",
        "--doc",
        action="append",
        dest="docs",
        metavar="DOC_ID",
        help="restrict to these documents (repeatable, or comma-separated)",
    )
    p.add_argument("--events", metavar="TOML", help="a user event catalog instead of the shipped")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=_timeline)


def _timeline(args: argparse.Namespace) -> int:
    import json

    from dprkbrief import load_corpus, timeline
    from dprkbrief.events.catalog import load_eras
    from dprkbrief.exports import timeline_to_timelinejs

    from ._output import check_out_file, emit

    out_path = check_out_file(args.out) if args.out else None
    docs = None
    if args.docs:
        docs = [d for item in args.docs for d in item.split(",") if d]
    corpus = load_corpus(args.path)
    tl = timeline(corpus, start=args.start, end=args.end, events=args.events, docs=docs)
    out = open(out_path, "w", encoding="utf-8", newline="") if out_path else sys.stdout
    try:
        if args.format == "timelinejs":
            data = timeline_to_timelinejs(
                tl, documents=corpus.documents, eras=load_eras(args.events)
            )
            out.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        elif args.format == "table":
            emit(tl[_TABLE_COLUMNS], "table", out)
        else:
            emit(tl, args.format, out)
    finally:
        if out_path:
            out.close()
            print(f"wrote {len(tl)} rows to {out_path}", file=sys.stderr)
    return 0
