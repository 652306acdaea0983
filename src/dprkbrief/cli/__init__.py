"""Command line: ``dprkbrief <command> ...``.

Each command lives in its own module in this package and exposes ``register(subparsers)``,
which adds a subparser whose ``func`` default takes the parsed args and returns an exit code.
Errors derived from :class:`dprkbrief.errors.DprkbriefError` go to stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command modules, in the order they appear in --help
COMMAND_MODULES = [
    "dprkbrief.cli.corpus_cmds",  # corpus, segments, kwic
    "dprkbrief.cli.timex_cmds",  # dates, eval-timex
    "dprkbrief.cli.timeline_cmds",  # timeline
    "dprkbrief.cli.experts_cmds",  # experts, statements, positions, forecasts
    "dprkbrief.cli.run_cmds",  # run, handout, lab
]


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available command registered."""
    parser = argparse.ArgumentParser(
        prog="dprkbrief",
        description="Analyse expert writing on U.S.-North Korea negotiations.",
    )
    from dprkbrief import __version__

    parser.add_argument("--version", action="version", version=f"dprkbrief {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # command module not written yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dprkbrief`` console script."""
    import warnings

    from dprkbrief.errors import DprkbriefError, DprkbriefWarning

    def _show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, DprkbriefWarning):
            print(f"dprkbrief: warning: {message}", file=sys.stderr)
        else:
            _default_show(message, category, filename, lineno, file, line)

    _default_show = warnings.showwarning
    warnings.showwarning = _show
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except DprkbriefError as exc:
        print(f"dprkbrief {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
