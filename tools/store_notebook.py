#!/usr/bin/env python
"""Execute notebooks and store them following the repository's storage policy.

Usage: .venv/bin/python tools/store_notebook.py NOTEBOOK... [-p NAME VALUE ...]

Each notebook is executed with papermill (cwd = its folder, kernel ``python3``), then written
back in place with outputs only on code cells containing ``# NBVAL_CHECK_OUTPUT``, no
injected-parameters cell, no papermill metadata, and its original parameters cell.
``-p`` values are typed like papermill's (True/False/None, int, float, else str).
Stored outputs come from the test-suite's fixture corpus: ``$DPRKBRIEF_CORPUS`` is set to
``tests/fixtures/corpus`` for the kernel (the notebooks' ``corpus_dir = None`` reads it), the
same corpus nbval compares against, so the stored notebooks never depend on the user's corpus/.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "corpus"


def main(argv: list[str] | None = None) -> int:
    os.environ["DPRKBRIEF_CORPUS"] = str(FIXTURE_CORPUS)
    from dprkbrief.errors import DprkbriefError
    from dprkbrief.runner.params import resolve_value
    from dprkbrief.runner.store import store_notebook

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE")
    )
    args = parser.parse_args(argv)
    params = {name: resolve_value(value) for name, value in args.parameter}
    status = 0
    for nb in args.notebooks:
        try:
            store_notebook(nb, parameters=params)
        except DprkbriefError as exc:
            print(f"store_notebook: {nb}: error: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"stored {nb}")
    return status


if __name__ == "__main__":
    sys.exit(main())
