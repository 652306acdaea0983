"""``dprkbrief experts``, ``statements``, ``positions`` and ``forecasts``."""

from __future__ import annotations

import argparse

from ._output import add_format_arg, add_path_arg, emit


def _common(p: argparse.ArgumentParser, *, topics: bool = True, experts: bool = True) -> None:
    add_path_arg(p)
    if topics:
        p.add_argument(
            "--topic", action="append", dest="topics", metavar="ID", help="codebook topic id"
        )
        p.add_argument("--codebook", help="your own topic codebook TOML (default: shipped one)")
    if experts:
        p.add_argument("--expert", action="append", dest="experts", metavar="NAME")
    if topics:
        for kind in RULE_KINDS_HERE:
            p.add_argument(f"--{kind}", metavar="TOML", help=f"your own {kind} lexicon TOML")
    add_format_arg(p)


RULE_KINDS_HERE = ("stance", "hedges", "horizons")  # lexicons statements/positions/forecasts read


def _rules(args: argparse.Namespace) -> dict[str, str] | None:
    """The user's rule files given on the command line (kind -> path), or None."""
    got = {k: getattr(args, k) for k in RULE_KINDS_HERE if getattr(args, k, None)}
    return got or None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "experts",
        help="the expert registry of a corpus",
        description="One row per person whose views a document carries, names unified.",
    )
    _common(p, topics=False, experts=False)
    p.set_defaults(func=_experts)

    p = sub.add_parser(
        "statements",
        help="sentences with expert, voice, topics, claim type, certainty, direction",
        description="One row per prose sentence with whose voice it is and what it claims.",
    )
    _common(p)
    p.add_argument("--doc", "--docs", action="append", dest="docs", metavar="DOC_ID")
    p.set_defaults(func=_statements)

    p = sub.add_parser(
        "positions",
        help="expert x topic positions with evidence (or --compare TOPIC)",
        description="One row per expert and topic: lean, certainty, count, strongest quote.",
    )
    _common(p)
    p.add_argument("--min-certainty", type=float, default=0.0)
    p.add_argument("--compare", metavar="TOPIC", help="who agrees/disagrees on TOPIC")
    p.set_defaults(func=_positions)

    p = sub.add_parser(
        "forecasts",
        help="the forecast ledger (and Brier scores with --outcomes)",
        description="Predictions with expert, document date, resolved horizon and certainty.",
    )
    _common(p)
    p.add_argument("--min-certainty", type=float, default=0.0)
    p.add_argument("--outcomes", help="outcomes CSV: print Brier scores per expert instead")
    p.set_defaults(func=_forecasts)


def _experts(args: argparse.Namespace) -> int:
    from dprkbrief import experts, load_corpus

    df = experts(load_corpus(args.path))
    if args.format == "table":
        df = df[["expert", "role", "affiliation", "aliases", "doc_ids"]]
    emit(df, args.format)
    return 0


def _statements(args: argparse.Namespace) -> int:
    from dprkbrief import load_corpus, statements

    df = statements(
        load_corpus(args.path),
        docs=args.docs,
        experts=args.experts,
        topics=args.topics,
        codebook=args.codebook,
        rules=_rules(args),
    )
    if args.format == "table":
        df = df[["seg_id", "expert", "voice", "claim_type", "certainty", "topics", "quote"]]
    emit(df, args.format)
    return 0


def _positions(args: argparse.Namespace) -> int:
    from dprkbrief import compare, load_corpus, positions

    pos = positions(
        load_corpus(args.path),
        topics=args.topics,
        experts=args.experts,
        min_certainty=args.min_certainty,
        codebook=args.codebook,
        rules=_rules(args),
    )
    if args.compare:
        df = compare(pos, args.compare, codebook=args.codebook)
        cols = ["side", "expert", "score", "n_statements", "doc_id", "quote"]
    else:
        df = pos
        cols = ["expert", "topic", "direction", "mean_certainty", "n_statements", "hedges", "quote"]
    emit(df[cols] if args.format == "table" else df, args.format)
    return 0


def _forecasts(args: argparse.Namespace) -> int:
    from dprkbrief import forecasts, load_corpus, score_forecasts

    df = forecasts(
        load_corpus(args.path),
        experts=args.experts,
        topics=args.topics,
        min_certainty=args.min_certainty,
        codebook=args.codebook,
        rules=_rules(args),
    )
    if args.outcomes:
        emit(score_forecasts(df, args.outcomes), args.format)
        return 0
    if args.format == "table":
        df = df[
            ["forecast_id", "expert", "doc_date", "certainty", "hedges", "horizon_end", "quote"]
        ]
    emit(df, args.format)
    return 0
