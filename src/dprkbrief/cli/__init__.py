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
    "dprkbrief.cli.build_cmds",  # build (Parquet index)
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
    args = parser.parse_args(_attach_dash_values(parser, sys.argv[1:] if argv is None else argv))
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
    except OSError as exc:  # a file the command writes or reads: say which, no traceback
        where = f" {exc.filename}" if exc.filename else ""
        print(f"dprkbrief {args.command}: error:{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2


def _attach_dash_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Let an option's value start with '-' (``--doc -rf``): argparse would read ``-rf`` as
    an option, so it is attached as ``--doc=-rf`` when it is not an option of the command."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    command = next((a for a in argv if not a.startswith("-")), None)
    if sub is None or command not in sub.choices:
        return list(argv)
    cmd_parser = sub.choices[command]
    options = cmd_parser._option_string_actions
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        action = options.get(arg)
        takes_one = action is not None and action.nargs is None and action.option_strings
        takes_one = takes_one and not isinstance(
            action, argparse._StoreConstAction | argparse._HelpAction | argparse._VersionAction
        )
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if takes_one and nxt and nxt.startswith("-") and nxt != "--" and nxt not in options:
            out.append(f"{arg}={nxt}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
