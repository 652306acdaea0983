"""Printing DataFrames from CLI commands as a table, CSV or JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FORMATS = ("table", "csv", "json")


def add_path_arg(parser) -> None:
    """Add the shared optional ``path`` positional: the corpus folder (default ``corpus``)."""
    parser.add_argument("path", nargs="?", default="corpus", help="corpus folder (default: corpus)")


def add_format_arg(parser, default: str = "table") -> None:
    """Add the shared ``--format table|csv|json`` option."""
    parser.add_argument(
        "--format", choices=FORMATS, default=default, help=f"output format (default {default})"
    )


def check_out_file(path: str, option: str = "--out") -> Path:
    """The path a command will write to, checked first: a clear error (not an OS traceback
    after the work is done) when it is a folder or its folder does not exist."""
    from dprkbrief.errors import ParameterError

    p = Path(path).expanduser()
    if p.is_dir():
        raise ParameterError(
            f"invalid value for '{option}': {path} is a folder; give a file name inside it, "
            f"e.g. {p / 'timeline.csv'}"
        )
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        what = "is a file, not a folder" if parent.exists() else "does not exist"
        raise ParameterError(
            f"invalid value for '{option}': the folder {parent} {what}; create it first "
            f"(mkdir -p {parent}) or choose another path"
        )
    return p


def emit(
    df: pd.DataFrame,
    fmt: str = "table",
    out: TextIO | None = None,
    *,
    width: int = 60,
    max_width: int | None = None,
) -> None:
    """Write ``df`` to ``out`` (stdout) as an aligned table, CSV or JSON records.

    A table on the terminal fits ``max_width`` characters (default: the terminal's width,
    ``$COLUMNS``, else 100; a file gets the whole table): long cells are shortened first, then columns that still do not fit are left out and
    named in a last line (``--format csv`` or ``json`` gives every column in full).
    """
    to_terminal = out is None or out is sys.stdout
    out = out or sys.stdout
    if fmt == "csv":
        df.to_csv(out, index=False)
    elif fmt == "json":
        out.write(df.to_json(orient="records", force_ascii=False, indent=1))
        out.write("\n")
    elif df.empty:
        out.write(f"(no rows; columns: {', '.join(map(str, df.columns))})\n")
    else:
        limit = max_width or (_terminal_width() if to_terminal else 10_000)
        out.write(fit_table(df, limit, cell=width))


def _terminal_width() -> int:
    import shutil

    return max(40, shutil.get_terminal_size((100, 24)).columns)


# identifier columns are never shortened below the normal cell width: they are what a user
# copies into the next command (--doc, seg_id look-ups)
_IDS = frozenset({"doc_id", "seg_id", "event_id", "forecast_id", "turn_id", "paragraph_id"})


def fit_table(df: pd.DataFrame, max_width: int, *, cell: int = 60) -> str:
    """``df`` as aligned text no wider than ``max_width``: cells shortened step by step, then
    trailing columns dropped (named in a closing line); identifier columns stay whole."""
    import pandas as pd

    def render(frame: pd.DataFrame, limit: int) -> str:
        shown = frame.copy()
        for col in shown.columns:
            if pd.api.types.is_object_dtype(shown[col]) or pd.api.types.is_string_dtype(shown[col]):
                keep = cell if col in _IDS else limit
                shown[col] = shown[col].map(lambda v, n=keep: _short(v, n))
        with pd.option_context(
            "display.max_rows", None, "display.width", 10_000, "display.max_columns", None
        ):
            return shown.to_string(index=False)

    def widest(text: str) -> int:
        return max(len(line) for line in text.splitlines())

    text = ""
    for limit in (cell, 40, 28, 20, 16):
        text = render(df, min(limit, cell))
        if widest(text) <= max_width:
            return text + "\n"
    cols = list(df.columns)
    while len(cols) > 1 and widest(text) > max_width:
        cols.pop()
        text = render(df[cols], 16)
    hidden = [c for c in df.columns if c not in cols]
    note = (
        f"({len(hidden)} more column(s) not shown: {', '.join(map(str, hidden))}; "
        "use --format csv or json for every column)"
    )
    return text + "\n" + note + "\n"


def _short(value, width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    s = " ".join(str(value).split())
    return s if len(s) <= width else s[: width - 1] + "…"
