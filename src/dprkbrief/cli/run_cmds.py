"""``dprkbrief run``, ``dprkbrief handout`` and ``dprkbrief lab``."""

from __future__ import annotations

import argparse
import sys


def register(sub) -> None:
    p = sub.add_parser(
        "run",
        help="execute notebooks into a report folder (HTML, manifest.json, index.html)",
        description="Execute notebooks with papermill into a run folder. With no NOTEBOOK, "
        "runs every notebooks/*.ipynb. Prints the path of index.html.",
    )
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    p.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a parameter (typed like papermill: True/False/None, int, float, else str)",
    )
    p.add_argument("--params", metavar="FILE.yaml", help="YAML file of parameter values")
    p.add_argument(
        "--grid", metavar="FILE.yaml", help="YAML of name: [values]; one run per combination"
    )
    p.add_argument("--out", default="reports", metavar="DIR", help="run folder (default reports)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes")
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="fail a notebook whose cell runs longer than this (default 600; 0 = no limit)",
    )
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="hide the progress bars (they are shown only on a terminal anyway)",
    )
    p.set_defaults(func=_run)

    h = sub.add_parser(
        "handout",
        help="student/instructor versions of a teaching notebook (.ipynb and HTML)",
    )
    h.add_argument("notebook", metavar="NOTEBOOK")
    who = h.add_mutually_exclusive_group(required=True)
    who.add_argument("--student", dest="version", action="store_const", const="student")
    who.add_argument("--instructor", dest="version", action="store_const", const="instructor")
    h.add_argument("--out", default="reports/handouts", metavar="DIR")
    h.add_argument(
        "--no-execute", action="store_true", help="instructor version without running it"
    )
    h.set_defaults(func=_handout)

    lab = sub.add_parser("lab", help="open JupyterLab on notebooks/ with the project's kernel")
    lab.add_argument("--notebook-dir", default="notebooks", metavar="DIR")
    lab.add_argument("--port", type=int, default=None)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(func=_lab)


def _run(args: argparse.Namespace) -> int:
    from dprkbrief.runner.kernels import RunInterrupted
    from dprkbrief.runner.params import resolve_value
    from dprkbrief.runner.run import run_notebooks

    params = {name: resolve_value(value) for name, value in args.parameter}
    try:
        result = run_notebooks(
            args.notebooks or None,
            parameters=params,
            params_file=args.params,
            grid=args.grid,
            out=args.out,
            jobs=args.jobs,
            progress=False if args.no_progress else None,
            timeout=args.timeout or None,
        )
    except RunInterrupted as exc:
        print(f"dprkbrief run: {exc}", file=sys.stderr)
        return 130
    for row in result.runs.itertuples():
        if row.status != "ok":
            cell = f" (cell {row.error_cell})" if row.error_cell is not None else ""
            print(f"dprkbrief run: {row.notebook}{cell}: {row.error}", file=sys.stderr)
    n_failed = int((result.runs["status"] != "ok").sum())
    if n_failed:
        print(f"dprkbrief run: {n_failed} of {len(result.runs)} runs failed", file=sys.stderr)
    print(result.index)
    return 0 if result.ok else 1


def _handout(args: argparse.Namespace) -> int:
    from dprkbrief.teaching.handout import make_handout

    paths = make_handout(
        args.notebook, version=args.version, out=args.out, execute=not args.no_execute
    )
    print(paths["ipynb"])
    print(paths["html"])
    return 0


def _lab(args: argparse.Namespace) -> int:
    from dprkbrief.runner.lab import launch_lab

    return launch_lab(args.notebook_dir, port=args.port, open_browser=not args.no_browser)
