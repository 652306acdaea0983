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
    df: pd.DataFrame, fmt: str = "table", out: TextIO | None = None, *, width: int = 60
) -> None:
    """Write ``df`` to ``out`` (stdout) as an aligned table, CSV or JSON records."""
    out = out or sys.stdout
    if fmt == "csv":
        df.to_csv(out, index=False)
    elif fmt == "json":
        out.write(df.to_json(orient="records", force_ascii=False, indent=1))
        out.write("\n")
    elif df.empty:
        out.write(f"(no rows; columns: {', '.join(map(str, df.columns))})\n")
    else:
        import pandas as pd

        shown = df.copy()
        for col in shown.columns:
            if shown[col].dtype == object:
                shown[col] = shown[col].map(lambda v: _short(v, width))
        with pd.option_context(
            "display.max_rows", None, "display.width", 250, "display.max_columns", None
        ):
            out.write(shown.to_string(index=False) + "\n")


def _short(value, width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    s = " ".join(str(value).split())
    return s if len(s) <= width else s[: width - 1] + "…"
