"""One place that writes the "invalid value, allowed are ..." messages (textacy style)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import ParameterError


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``; otherwise raise a ParameterError.

    The message names the parameter, the bad value and every allowed value.
    """
    allowed = tuple(allowed)
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise ParameterError(f"invalid value for {name!r}: {value!r}; allowed are {shown}")
    return value


def check_type(name: str, value: Any, types: type | tuple[type, ...], *, hint: str = "") -> Any:
    """Return ``value`` if it is an instance of ``types``; else raise a ParameterError naming it."""
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        names = (
            " or ".join(t.__name__ for t in types) if isinstance(types, tuple) else types.__name__
        )
        extra = f" ({hint})" if hint else ""
        raise ParameterError(
            f"invalid type for {name!r}: expected {names}, got {type(value).__name__} "
            f"{value!r}{extra}"
        )
    return value


def as_str_list(name: str, value: Any) -> list[str] | None:
    """Normalise ``None``, a string or an iterable of strings to ``list[str] | None``."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    try:
        items = list(value)
    except TypeError:
        raise ParameterError(
            f"invalid type for {name!r}: expected a string or a list of strings, "
            f"got {type(value).__name__} {value!r}"
        ) from None
    for item in items:
        if not isinstance(item, str):
            raise ParameterError(
                f"invalid item in {name!r}: expected strings, got {type(item).__name__} {item!r}"
            )
    return items


def check_columns(name: str, df: Any, columns: Iterable[str], *, source: str) -> None:
    """Raise a ParameterError unless ``df`` is a DataFrame with all ``columns``.

    ``source`` names the function that makes such a table (for the fix in the message), e.g.
    ``"dprkbrief.timeline(corpus)"``.
    """
    import pandas as pd

    check_type(name, df, pd.DataFrame, hint=f"pass the result of {source}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ParameterError(
            f"invalid value for {name!r}: the table lacks column(s) {missing}; pass the result "
            f"of {source}"
        )
