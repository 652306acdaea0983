"""The corpus catalog: metadata the texts do not state, each value with its provenance.

Format (``catalog.toml`` in the corpus folder)::

    [documents."<doc_id>"]
    date = { value = "2019-10", source = "inferred: mentions the October talks as recent" }
    publisher = { value = "Example Institute", source = "curated: publisher's website" }

``source`` is ``"stated"``, ``"inferred: <reason>"`` or ``"curated: <source>"``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import CorpusError

FIELDS = {
    "title": str,
    "date": str,
    "genre": str,
    "authors": list,
    "speakers": list,
    "publisher": str,
    "url": str,
    "language": str,
    "note": str,
}
GENRES = ("interview", "analysis", "news", "other")
_SOURCE = re.compile(r"^(stated|inferred: .+|curated: .+)$")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

EXAMPLE = (
    '[documents."my_doc"]\ndate = { value = "2024-12-26", source = "curated: publisher website" }'
)


def load_catalog(path: Path, doc_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Read and validate a catalog; returns ``{doc_id: {field: (value, source)}}``."""
    if not path.exists() and not path.is_symlink():
        return {}
    if path.is_dir():
        raise CorpusError(
            f"{path} is a folder, but the corpus catalog must be a TOML file; rename or remove "
            f"the folder, or write a file like\n{EXAMPLE}"
        )
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CorpusError(
            f"cannot read the catalog {path}: {exc.strerror or exc}; check its permissions (or "
            "pass catalog=... to use another file)"
        ) from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8 text; re-save it as UTF-8") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: not valid TOML ({exc}); fix the syntax there") from None
    docs = data.get("documents", {})
    extra = set(data) - {"documents"}
    if extra or not isinstance(docs, dict):
        raise CorpusError(
            f"{path}: unexpected top-level key(s) {sorted(extra)}; entries go in tables like\n"
            f"{EXAMPLE}"
        )
    out: dict[str, dict[str, Any]] = {}
    for doc_id, entry in docs.items():
        where = f"{path}: [documents.{doc_id!r}]"
        if doc_ids is not None and doc_id not in doc_ids:
            raise CorpusError(
                f"{where} names a document that does not exist in {path.parent} "
                f"(known: {', '.join(doc_ids)}); fix the id or remove the entry"
            )
        if not isinstance(entry, dict):
            raise CorpusError(f"{where} must be a table of fields, e.g.\n{EXAMPLE}")
        fields: dict[str, Any] = {}
        for name, cell in entry.items():
            loc = f"{where} field {name!r}"
            if name not in FIELDS:
                raise CorpusError(f"{loc}: unknown field; allowed are {', '.join(FIELDS)}")
            if not isinstance(cell, dict) or set(cell) != {"value", "source"}:
                raise CorpusError(
                    f'{loc}: must be {{ value = ..., source = "stated" | "inferred: <reason>"'
                    f' | "curated: <source>" }}, got {cell!r}'
                )
            value, source = cell["value"], cell["source"]
            if not isinstance(source, str) or not _SOURCE.match(source):
                raise CorpusError(
                    f"{loc}: source {source!r} must be 'stated', 'inferred: <reason>' or "
                    "'curated: <source>'"
                )
            check_value(name, value, loc)
            fields[name] = (value, source)
        out[doc_id] = fields
    return out


def check_value(name: str, value: Any, loc: str) -> None:
    """Refuse a metadata value of the wrong type or outside its allowed values (CorpusError
    starting with ``loc``); shared by the catalog and ``corpus_from_texts``."""
    if name not in FIELDS:
        raise CorpusError(f"{loc}: unknown field; allowed are {', '.join(FIELDS)}")
    if not isinstance(value, FIELDS[name]):
        raise CorpusError(f"{loc}: value {value!r} must be a {FIELDS[name].__name__}")
    if name in ("authors", "speakers") and not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{loc}: value must be a list of names (strings)")
    if name == "date" and not _valid_iso(value):
        raise CorpusError(
            f"{loc}: date {value!r} must be ISO YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)"
        )
    if name == "genre" and value not in GENRES:
        raise CorpusError(f"{loc}: genre {value!r}; allowed are {', '.join(GENRES)}")


def _valid_iso(value: str) -> bool:
    import datetime as dt

    if not _ISO.match(value):
        return False
    parts = [int(x) for x in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def precision_of(iso: str | None) -> str | None:
    """``year``/``month``/``day`` of an ISO date string (:func:`dprkbrief.calendar.precision_of`)."""
    from ..calendar import precision_of as _precision

    return _precision(iso) if iso else None
