"""Read a build SOURCE into source documents: a corpus folder, or a JSON Lines, Parquet or
CSV file with ``doc_id``, ``text`` and optional metadata columns (catalog vocabulary).

A ``SourceDoc`` is what a worker needs to make the ``Document``: its id, text, path and
metadata entry ``{field: (value, source)}``; ``fingerprint`` is the sha256 of the text.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorpusError, DprkbriefWarning

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv"}


@dataclass
class SourceDoc:
    doc_id: str
    text: str
    path: str | None = None
    entry: dict[str, tuple[Any, str]] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        h = hashlib.sha256(self.text.encode("utf-8", "surrogatepass"))
        h.update(json.dumps(self.entry, sort_keys=True, default=str).encode())
        return h.hexdigest()


def read_source(source: str | Path) -> list[SourceDoc]:
    """The documents of ``source`` sorted by doc_id (CorpusError on bad input, naming it)."""
    p = Path(source).expanduser()
    if not p.exists():
        raise CorpusError(
            f"build source not found: {p}; pass a corpus folder or a .jsonl/.parquet/.csv file "
            "with doc_id and text columns"
        )
    if p.is_dir():
        docs = _folder(p)
    else:
        kind = FORMATS.get(p.suffix.lower())
        if kind is None:
            raise CorpusError(
                f"unknown source format {p.suffix or '(no suffix)'!r} for {p}; use a corpus "
                f"folder or a file ending in {', '.join(FORMATS)}"
            )
        rows = {"jsonl": _jsonl, "parquet": _parquet, "csv": _csv}[kind](p)
        docs = _from_rows(rows, p)
    if not docs:
        raise CorpusError(f"build source {p} holds no documents; add at least one")
    return sorted(docs, key=lambda d: d.doc_id)


def _folder(directory: Path) -> list[SourceDoc]:
    from ..corpus import catalog as _catalog
    from ..corpus import io as _io
    from ..corpus.corpus import make_doc_id

    files = _io.discover(directory)
    ids: dict[str, Path] = {}
    for f in files:
        doc_id = make_doc_id(f.relative_to(directory).with_suffix("").as_posix().replace("/", "__"))
        if doc_id in ids:
            raise CorpusError(
                f"two files give the same doc_id {doc_id!r}: {ids[doc_id]} and {f}; rename one"
            )
        ids[doc_id] = f
    entries = _catalog.load_catalog(directory / "catalog.toml", list(ids))
    return [
        SourceDoc(doc_id, _io.read_text(f), str(f), dict(entries.get(doc_id, {})))
        for doc_id, f in ids.items()
    ]


def _jsonl(path: Path) -> list[tuple[str, dict]]:
    rows = []
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            where = f"{path}, line {n}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CorpusError(
                    f"{where}: not UTF-8 (byte {exc.start}); re-save the file as UTF-8"
                ) from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise CorpusError(f"{where}: not valid JSON ({exc}); one object per line") from None
            if not isinstance(obj, dict):
                raise CorpusError(
                    f'{where}: expected a JSON object {{"doc_id": ..., "text": ...}}, got '
                    f"{type(obj).__name__}"
                )
            rows.append((where, obj))
    return rows


def _csv(path: Path) -> list[tuple[str, dict]]:
    import csv

    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return [(f"{path}, row {n}", dict(r)) for n, r in enumerate(reader, 2)]
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: not UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from None


def _parquet(path: Path) -> list[tuple[str, dict]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several kinds for a damaged file
        raise CorpusError(f"{path}: cannot read as Parquet ({exc})") from None
    return [(f"{path}, row {n}", r) for n, r in enumerate(table.to_pylist(), 1)]


def _from_rows(rows: list[tuple[str, dict]], path: Path) -> list[SourceDoc]:
    from ..corpus import catalog as _catalog
    from ..corpus.corpus import _DOC_ID

    docs: dict[str, SourceDoc] = {}
    ignored: set[str] = set()
    source = f"curated: {path.name}"
    for where, obj in rows:
        doc_id, text = obj.get("doc_id"), obj.get("text")
        if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
            raise CorpusError(
                f"{where}: 'doc_id' {doc_id!r} missing or invalid; use letters, digits, "
                "'_', '-', '.'"
            )
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"{where}: document {doc_id!r} lacks a non-empty 'text'")
        if doc_id in docs:
            raise CorpusError(f"{where}: doc_id {doc_id!r} repeats an earlier one; ids are unique")
        entry: dict[str, tuple[Any, str]] = {}
        for name, value in obj.items():
            if name in ("doc_id", "text"):
                continue
            if name not in _catalog.FIELDS:
                ignored.add(name)
                continue
            if value is None or value == "":
                continue
            if _catalog.FIELDS[name] is list and isinstance(value, str):
                value = [v.strip() for v in value.split(";") if v.strip()]
            _catalog.check_value(name, value, f"{where} field {name!r}")
            entry[name] = (value, source)
        docs[doc_id] = SourceDoc(doc_id, text, None, entry)
    if ignored:
        warnings.warn(
            f"{path}: ignored column(s) {sorted(ignored)}; metadata columns are "
            f"{', '.join(_catalog.FIELDS)} (authors/speakers as lists or 'A; B')",
            DprkbriefWarning,
            stacklevel=3,
        )
    return list(docs.values())
