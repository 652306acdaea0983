"""``dprkbrief build``: annotate a corpus (folder, JSON Lines, Parquet, CSV) into a Parquet
index with Dask; ``dprkbrief.open_index`` reads it back."""

from __future__ import annotations

import argparse
import sys

# --<kind> options for the user's rule files: option name -> Resources rule kind
RULE_OPTIONS = {
    "structure": "structure",
    "datelines": "datelines",
    "dates": "dates",
    "events": "events",
    "codebook": "codebook",
    "attribution": "attribution",
    "titles": "titles",
    "gazetteer": "gazetteer",
    "sources": "sources",
    "certainty": "certainty",
    "claims": "claims",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="annotate a corpus into a Parquet index (Dask; incremental)",
        description="Run the per-document steps over SOURCE (a corpus folder or a .jsonl/"
        ".parquet/.csv file with doc_id and text columns) and write a Parquet index to "
        "--out. Re-running recomputes only documents whose text or rules changed.",
    )
    p.add_argument("source", metavar="SOURCE", help="corpus folder or .jsonl/.parquet/.csv file")
    p.add_argument("--out", required=True, metavar="INDEX", help="index folder (new or an index)")
    p.add_argument(
        "--steps",
        metavar="LIST",
        help="comma-separated steps (default all): documents,segments,dates,mentions,"
        "registry,people,quotations,statements,position_cells,forecasts (rule steps: "
        "segments,dates,mentions,registry)",
    )
    p.add_argument("--workers", type=int, metavar="N", help="local worker processes")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="an existing Dask scheduler (tcp://HOST:8786; default $DASK_SCHEDULER_ADDRESS), "
        "or 'synchronous' to run in this process",
    )
    p.add_argument("--partition-size", type=int, default=None, metavar="N", help="docs/partition")
    p.add_argument("--model", metavar="NAME", help="spaCy model for the NLP steps")
    for opt, kind in RULE_OPTIONS.items():
        p.add_argument(f"--{opt}", metavar="TOML", help=f"your {kind} rule file")
    p.set_defaults(func=_build)


def _build(args: argparse.Namespace) -> int:
    from dprkbrief.pipeline.index import PARTITION_SIZE, BuildError, build_index
    from dprkbrief.resources.bundle import Resources

    rules = {kind: getattr(args, opt) for opt, kind in RULE_OPTIONS.items() if getattr(args, opt)}
    resources = Resources(rules=rules, model=args.model)
    steps = [s for s in args.steps.split(",") if s] if args.steps else None
    try:
        m = build_index(
            args.source,
            args.out,
            steps=steps,
            workers=args.workers,
            scheduler=args.scheduler,
            resources=resources,
            partition_size=args.partition_size or PARTITION_SIZE,
        )
    except BuildError as exc:
        print(f"dprkbrief build: error: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v}" for k, v in m["counts"].items())
    print(
        f"index {args.out}: {m['n_documents']} documents, {m['recomputed_documents']} "
        f"annotated ({m['recomputed']} partition(s) written, {m['reused']} unchanged), "
        f"{m['timings']['total_s']} s; {counts}"
    )
    return 0
