"""Row labels for documents: a short title people can read, with the id still shown."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

from dprkbrief.errors import ParameterError

ID_CHARS = 12


def doc_titles(documents: Any) -> dict[str, str]:
    """``{doc_id: title}`` from ``corpus.documents`` (columns ``doc_id``, ``title``), a mapping,
    or None (no titles)."""
    if documents is None:
        return {}
    if isinstance(documents, Mapping):
        return {str(k): str(v) for k, v in documents.items() if v}
    cols = getattr(documents, "columns", None)
    if cols is None or "doc_id" not in cols or "title" not in cols:
        raise ParameterError(
            "invalid value for 'documents': give corpus.documents (a DataFrame with columns "
            "doc_id and title) or a mapping doc_id -> title"
        )
    return {
        str(d): str(t)
        for d, t in zip(documents["doc_id"], documents["title"])
        if isinstance(t, str) and t.strip()
    }


def doc_labels(
    doc_ids: Iterable[str], documents: Any = None, *, width: int = 34, sep: str = "\n"
) -> dict[str, str]:
    """A label per document: its title shortened to ``width`` characters, then ``sep`` and the
    first characters of its id; just the id when there is no title."""
    titles = doc_titles(documents)
    out = {}
    for d in doc_ids:
        d = str(d)
        title = titles.get(d)
        short_id = d if len(d) <= ID_CHARS + 2 else d[:ID_CHARS] + "…"
        out[d] = f"{textwrap.shorten(title, width, placeholder='…')}{sep}{short_id}" if title else d
    return out
