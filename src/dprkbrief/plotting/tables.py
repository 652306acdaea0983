"""Tables for notebooks and logs: an empty result says so in a sentence.

``print(df.to_string())`` on an empty table prints ``Empty DataFrame / Columns: ... /
Index: []``; these helpers print (or display) a sentence saying what is missing instead.
"""

from __future__ import annotations

from typing import Any

from .._validate import check_type


class Note(str):
    """A sentence shown as plain text (no quotes) when it is a notebook cell's last value."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return f"*{self}*"


def table_text(table: Any, *, empty: str, index: bool = False) -> str:
    """``table.to_string(index=index)``, or the sentence ``empty`` when it has no rows."""
    check_type("empty", empty, str)
    if table is None or len(table) == 0:
        return empty
    return table.to_string(index=index)


def table_or_note(table: Any, *, empty: str) -> Any:
    """``table`` itself (displayed as a table), or a :class:`Note` ``empty`` when it has no
    rows."""
    check_type("empty", empty, str)
    if table is None or len(table) == 0:
        return Note(empty)
    return table
