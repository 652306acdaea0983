"""Read a build SOURCE: a corpus folder, or a JSON Lines, Parquet or CSV file with ``doc_id``,
``text`` and optional metadata columns (catalog vocabulary).

The driver of a build never holds the texts: ``scan_source`` streams the source once
(file by file, line by line, CSV row by row, Parquet row group by row group), checks every
record and keeps a ``SourceRef`` per document -- its id, the sha256 ``fingerprint`` of its text
and metadata, its metadata entry, and a ``locator`` where a worker reads the text again
(``load_documents``): a file path, a byte range of the JSONL/CSV file, or a Parquet row
group and row. A ``SourceDoc`` is what a worker needs to make the ``Document``.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorpusError, DprkbriefWarning

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv"}


def fingerprint(text: str, entry: dict[str, tuple[Any, str]]) -> str:
    """sha256 of a document's text and metadata entry (what its records depend on)."""
    h = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    h.update(json.dumps(entry, sort_keys=True, default=str).encode())
    return h.hexdigest()


@dataclass
class SourceDoc:
    doc_id: str
    text: str
    path: str | None = None
    entry: dict[str, tuple[Any, str]] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text, self.entry)


@dataclass(frozen=True)
class SourceRef:
    """A document of the source without its text: id, fingerprint, metadata entry, where
    to read it (``locator``: ``("file", path)``, ``("jsonl", path, offset, length)``,
    ``("csv", path, offset, length, header)`` or ``("parquet", path, row_group, row)``) and
    its length in characters."""

    doc_id: str
    fingerprint: str
    entry: dict[str, tuple[Any, str]]
    locator: tuple
    path: str | None = None
    n_chars: int = 0


def read_source(source: str | Path) -> list[SourceDoc]:
    """The documents of ``source`` with their texts (CorpusError on bad input, naming it)."""
    return load_documents(scan_source(source))


def scan_source(source: str | Path) -> list[SourceRef]:
    """Every document of ``source`` as a ``SourceRef``, sorted by doc_id, reading the source
    once as a stream (no text is kept). CorpusError on bad input, naming the file and line."""
    p = Path(source).expanduser()
    if not p.exists():
        raise CorpusError(
            f"build source not found: {p}; pass a corpus folder or a .jsonl/.parquet/.csv file "
            "with doc_id and text columns"
        )
    if p.is_dir():
        refs = _folder(p)
    else:
        kind = FORMATS.get(p.suffix.lower())
        if kind is None:
            raise CorpusError(
                f"unknown source format {p.suffix or '(no suffix)'!r} for {p}; use a corpus "
                f"folder or a file ending in {', '.join(FORMATS)}"
            )
        rows = {"jsonl": _jsonl, "parquet": _parquet, "csv": _csv}[kind](p)
        refs = _from_rows(rows, p)
    if not refs:
        raise CorpusError(f"build source {p} holds no documents; add at least one")
    return sorted(refs, key=lambda d: d.doc_id)


def load_documents(refs: list[SourceRef]) -> list[SourceDoc]:
    """The ``SourceDoc`` (with text) of each ref, read from where the scan found it (on a
    worker: only its partition's bytes, rows or files)."""
    from ..corpus import io as _io

    out = []
    handles: dict[str, Any] = {}
    groups: dict[tuple, list[dict]] = {}
    try:
        for r in refs:
            kind, path = r.locator[0], r.locator[1]
            if kind == "file":
                text = _io.read_text(Path(path))
            elif kind in ("jsonl", "csv"):
                fh = handles.get(path) or handles.setdefault(path, open(path, "rb"))  # noqa: SIM115
                fh.seek(r.locator[2])
                raw = fh.read(r.locator[3]).decode("utf-8")
                if kind == "jsonl":
                    text = json.loads(raw)["text"]
                else:
                    import csv
                    import io

                    row = next(csv.reader(io.StringIO(raw, newline="")))
                    text = dict(zip(r.locator[4], row))["text"]
            else:
                rg = (path, r.locator[2])
                if rg not in groups:
                    import pyarrow.parquet as pq

                    groups.clear()  # one row group in memory at a time (refs are in order)
                    groups[rg] = (
                        pq.ParquetFile(path).read_row_group(rg[1], columns=["text"]).to_pylist()
                    )
                text = groups[rg][r.locator[3]]["text"]
            out.append(SourceDoc(r.doc_id, text, r.path, dict(r.entry)))
    finally:
        for fh in handles.values():
            fh.close()
    return out


def _folder(directory: Path) -> list[SourceRef]:
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
    refs = []
    for doc_id, f in ids.items():
        entry = dict(entries.get(doc_id, {}))
        text = _io.read_text(f)  # one file at a time: hashed, then dropped
        refs.append(
            SourceRef(doc_id, fingerprint(text, entry), entry, ("file", str(f)), str(f), len(text))
        )
    return refs


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{where}: not UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from None


def _jsonl(path: Path) -> Iterator[tuple[str, dict, tuple]]:
    offset = 0
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            where = f"{path}, line {n}"
            start, offset = offset, offset + len(raw)
            line = _decode(raw, where)
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
            yield where, obj, ("jsonl", str(path), start, len(raw))


def _csv(path: Path) -> Iterator[tuple[str, dict, tuple]]:
    import csv

    pos = [0]
    line_no = [0]

    def lines(fh: Any) -> Iterator[str]:  # the reader pulls one line at a time: offsets hold
        for raw in fh:
            line_no[0] += 1
            pos[0] += len(raw)
            yield _decode(raw, f"{path}, line {line_no[0]}")

    with path.open("rb") as fh:
        reader = csv.reader(lines(fh))
        header = tuple(next(reader, []))
        start = pos[0]
        for n, row in enumerate(reader, 2):
            end = pos[0]
            if not row:  # a blank line, as csv.DictReader skips it
                start = end
                continue
            yield (
                f"{path}, row {n}",
                dict(zip(header, row)),
                ("csv", str(path), start, end - start, header),
            )
            start = end


def _parquet(path: Path) -> Iterator[tuple[str, dict, tuple]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        n = 0
        for rg in range(pf.num_row_groups):  # one row group in memory at a time
            for i, r in enumerate(pf.read_row_group(rg).to_pylist()):
                n += 1
                yield f"{path}, row {n}", r, ("parquet", str(path), rg, i)
    except CorpusError:
        raise
    except Exception as exc:  # pyarrow raises several kinds for a damaged file
        raise CorpusError(f"{path}: cannot read as Parquet ({exc})") from None


def _from_rows(rows: Iterator[tuple[str, dict, tuple]], path: Path) -> list[SourceRef]:
    from ..corpus import catalog as _catalog
    from ..corpus.corpus import _DOC_ID

    refs: dict[str, SourceRef] = {}
    ignored: set[str] = set()
    source = f"curated: {path.name}"
    for where, obj, locator in rows:
        doc_id, text = obj.get("doc_id"), obj.get("text")
        if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
            raise CorpusError(
                f"{where}: 'doc_id' {doc_id!r} missing or invalid; use letters, digits, "
                "'_', '-', '.'"
            )
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"{where}: document {doc_id!r} lacks a non-empty 'text'")
        if doc_id in refs:
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
        refs[doc_id] = SourceRef(doc_id, fingerprint(text, entry), entry, locator, None, len(text))
    if ignored:
        warnings.warn(
            f"{path}: ignored column(s) {sorted(ignored)}; metadata columns are "
            f"{', '.join(_catalog.FIELDS)} (authors/speakers as lists or 'A; B')",
            DprkbriefWarning,
            stacklevel=4,
        )
    return list(refs.values())
