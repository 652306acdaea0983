"""Corpus and Document: load a folder of documents, infer metadata, segment on demand.

>>> corpus = load_corpus("corpus")            # doctest: +SKIP
>>> corpus.documents[["doc_id", "title", "date", "genre"]]   # doctest: +SKIP
>>> corpus.segments("sentence")               # doctest: +SKIP
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._validate import as_str_list, check_choice, check_type
from ..errors import CorpusError, DprkbriefWarning
from ..segment.blocks import Para, Structure, load_structure, parse_paragraphs
from ..segment.datelines import DatelineRules, load_dateline_rules
from ..segment.segmenter import LEVELS, ROW_FIELDS, Rows, segment_compact
from . import catalog as _catalog
from . import io as _io
from .metadata import infer, inferred_date

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Level = Literal["section", "turn", "paragraph", "sentence"]

DOCUMENT_COLUMNS = [
    "doc_id",
    "path",
    "title",
    "date",
    "date_precision",
    "date_source",
    "genre",
    "authors",
    "speakers",
    "publisher",
    "n_chars",
    "n_words",
    "title_source",
    "genre_source",
    "authors_source",
    "publisher_source",
    "interviewer",
    "date_updated",
]
# the segment table: the compact row's fields with the segment's ``text`` after ``end``
SEGMENT_COLUMNS = [*ROW_FIELDS[: ROW_FIELDS.index("end") + 1], "text"] + list(
    ROW_FIELDS[ROW_FIELDS.index("end") + 1 :]
)
_DOC_ID = re.compile(r"[\w.\-]+")
_NOT_DOC_ID = re.compile(r"[^\w.\-]+")


def make_doc_id(name: str) -> str:
    """The doc_id for a file's relative name: runs of characters other than letters, digits,
    '_', '-', '.' become '_' (the same rule ``corpus_from_texts`` enforces)."""
    return _NOT_DOC_ID.sub("_", name)


@dataclass
class Document:
    """One document: its decoded ``text`` (offsets index this string) and metadata."""

    doc_id: str
    text: str
    path: Path | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    _structure: Structure | None = field(default=None, repr=False)
    _paras: list[Para] | None = field(default=None, repr=False)
    _segs: dict[str, Rows | None] | None = field(default=None, repr=False)
    # per-document records of the annotate steps, keyed by (step, its rule fingerprint);
    # filled by dprkbrief.pipeline.fold.document_records (and the one-document expert
    # registry the statements steps share, analysis.statements.document_people)
    _records: dict[tuple[str, str], Any] | None = field(default=None, repr=False)

    @property
    def paragraphs(self) -> list[Para]:
        if self._paras is None:
            self._paras = parse_paragraphs(self.text, self._structure)
        return self._paras

    def _compact(self, level: Level) -> Rows:
        """The compact rows of one level (see ``segment_compact``). Cached until the corpus
        has built that level's table (``_release``); the paragraphs are dropped once the
        rows exist (both are recomputed if asked for again), so a large corpus does not hold
        every intermediate form at once."""
        if self._segs is None or self._segs.get(level) is None:
            self._segs = segment_compact(self.doc_id, self.text, paras=self.paragraphs)
            self._paras = None
        return self._segs[level]

    def _release(self, level: Level) -> None:
        if self._segs is not None:
            self._segs[level] = None

    def segment_rows(self, level: Level) -> list[dict]:
        """The rows of one level as dicts (columns as ``Corpus.segments``)."""
        check_choice("level", level, LEVELS)
        return self._compact(level).dicts(self.text)

    def segments(self, level: Level = "sentence") -> pd.DataFrame:
        """Segment table of this document (columns as ``Corpus.segments``)."""
        check_choice("level", level, LEVELS)
        return _segment_frame([self], level)

    def __repr__(self) -> str:
        return (
            f"Document({self.doc_id!r}, {len(self.text)} chars, title={self.meta.get('title')!r})"
        )


class Corpus(Mapping[str, Document]):
    """A collection of documents keyed by ``doc_id`` (the file name without extension)."""

    def __init__(
        self,
        documents: list[Document],
        *,
        path: Path | None = None,
        datelines: DatelineRules | None = None,
    ) -> None:
        self._docs = {d.doc_id: d for d in sorted(documents, key=lambda d: d.doc_id)}
        self.path = path
        # the date-line rules the documents were read with (the timeline reuses them)
        self.datelines = datelines
        self._seg_cache: dict[str, pd.DataFrame] = {}
        # user rule files the documents were read with ({"structure"|"datelines": path});
        # corpus functions pass them on to the per-document steps (pipeline.fold)
        self.rule_files: dict[str, str] = {}

    # Mapping protocol
    def __getitem__(self, doc_id: str) -> Document:
        try:
            return self._docs[doc_id]
        except KeyError:
            known = ", ".join(self._docs) or "(none)"
            raise KeyError(f"no document {doc_id!r} in the corpus; known ids: {known}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def __repr__(self) -> str:
        where = f" from {self.path}" if self.path else ""
        return f"Corpus({len(self)} documents{where})"

    @property
    def doc_ids(self) -> list[str]:
        """Document ids, sorted."""
        return list(self._docs)

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document; columns in ``DOCUMENT_COLUMNS`` (see docs/architecture.md)."""
        import pandas as pd

        rows = [{c: d.meta.get(c) for c in DOCUMENT_COLUMNS} for d in self._docs.values()]
        df = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS, dtype=object)
        return df.astype({"n_chars": "int64", "n_words": "int64"})

    def segments(self, level: Level = "sentence", *, docs: list[str] | None = None) -> pd.DataFrame:
        """Segment table of ``level`` (``section``, ``turn``, ``paragraph``, ``sentence``).

        Columns: doc_id, level, seg_id, start, end, text, kind, section, speaker, section_id,
        turn_id, paragraph_id, repeat_of. ``text == corpus[doc_id].text[start:end]``.
        """
        check_choice("level", level, LEVELS)
        if level not in self._seg_cache:
            every = list(self._docs.values())
            try:
                self._seg_cache[level] = _segment_frame(every, level, consume=True)
            finally:
                for d in every:  # the table now holds these rows (consumed while building)
                    d._release(level)
        df = self._seg_cache[level]
        ids = self._check_docs(docs)
        if ids is not None:
            df = df[df["doc_id"].isin(ids)].reset_index(drop=True)
        # the caller may edit its table, never the cache: under copy-on-write (pandas >= 3)
        # a shallow copy is enough and saves a second set of column arrays
        return df.copy(deep=not _copy_on_write())

    def select(self, docs: list[str]) -> Corpus:
        """A corpus restricted to the given doc_ids."""
        ids = self._check_docs(docs) or []
        sub = Corpus([self._docs[i] for i in ids], path=self.path, datelines=self.datelines)
        sub.rule_files = dict(self.rule_files)
        return sub

    def _check_docs(self, docs: Any) -> list[str] | None:
        ids = as_str_list("docs", docs)
        if ids is None:
            return None
        missing = [i for i in ids if i not in self._docs]
        if missing:
            raise CorpusError(
                f"invalid value for 'docs': unknown doc_id(s) {missing}; known ids: "
                f"{', '.join(self._docs)}"
            )
        return ids


def _copy_on_write() -> bool:
    """Whether pandas copies a shared column before writing to it (always from pandas 3)."""
    import pandas as pd

    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    try:
        return pd.get_option("mode.copy_on_write") is True
    except (KeyError, ValueError):  # pragma: no cover - option absent
        return False


def _segment_frame(docs: list[Document], level: str, *, consume: bool = False) -> pd.DataFrame:
    """One level's segment table for ``docs``, built one column at a time from the compact
    rows (no per-row dicts; each segment's text is sliced once, here). With ``consume`` each
    compact column is freed once the table holds it (the caller then releases the rows), so
    the rows and the table never exist in full at the same time."""
    import numpy as np
    import pandas as pd

    rows_of = [(d.text, d._compact(level)) for d in docs]
    n = sum(len(rows) for _, rows in rows_of)
    index = pd.RangeIndex(n)
    data: dict[str, Any] = {}
    # seg_id first: a derived id reads the doc_id and level columns, freed once converted
    for name in sorted(ROW_FIELDS, key=lambda name: name != "seg_id"):
        k = ROW_FIELDS.index(name)
        if name in ("start", "end"):
            parts = [np.frombuffer(rows.cols[k], dtype=np.int64) for _, rows in rows_of]
            if consume and len(parts) == 1:  # the released rows' buffer becomes the column
                data[name] = parts[0]
            else:
                data[name] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        else:
            if name == "seg_id":
                values = [v for _, rows in rows_of for v in rows.seg_ids()]
            else:
                values = [v for _, rows in rows_of for v in rows.cols[k]]
            data[name] = pd.Series(values, dtype=object, index=index)
            del values
            if consume:
                for _, rows in rows_of:
                    rows.cols[k] = None
    texts = [text[a:b] for text, rows in rows_of for a, b in zip(rows.cols[3], rows.cols[4])]
    data["text"] = pd.Series(texts, dtype=object, index=index)
    del texts
    # the columns are ours alone: the frame takes them as they are (no second set of arrays)
    return pd.DataFrame(data, columns=SEGMENT_COLUMNS, index=index, copy=False)


def _make_document(
    doc_id: str,
    text: str,
    path: Path | None,
    entry: dict[str, tuple[Any, str]],
    structure: Structure,
    infer_dates: bool = False,
    datelines: DatelineRules | None = None,
) -> Document:
    doc = Document(doc_id=doc_id, text=text, path=path, _structure=structure)
    meta = infer(text, doc.paragraphs, structure, datelines=datelines)
    for name, (value, source) in entry.items():
        meta[name] = value
        if name in ("title", "date", "genre", "authors", "publisher"):
            meta[f"{name}_source"] = source
    if infer_dates and meta.get("date") is None:
        meta["date"] = inferred_date(text)
        if meta["date"] is not None:
            meta["date_source"] = "inferred: latest explicit date in the text"
    meta["date_precision"] = _catalog.precision_of(meta.get("date"))
    meta["doc_id"] = doc_id
    meta["path"] = str(path) if path else None
    doc.meta = meta
    return doc


def load_corpus(
    path: str | Path | None = None,
    *,
    catalog: str | Path | None = None,
    structure: str | Path | None = None,
    infer_dates: bool = False,
    datelines: str | Path | None = None,
) -> Corpus:
    """Load every ``.txt``/``.md`` document under ``path`` with its catalog metadata.

    ``path`` None means ``$DPRKBRIEF_CORPUS`` if set, else ``corpus`` (see
    :func:`dprkbrief.corpus.io.locate_corpus`, which also says how relative paths resolve).

    ``catalog`` defaults to ``<path>/catalog.toml`` (optional). ``structure`` is a user copy
    of ``resources/segment/structure.toml`` with extra cues. ``infer_dates=True`` gives a
    document that states no date and has none in the catalog the latest explicit date of its
    text (``date_source = "inferred: latest explicit date in the text"``). ``datelines`` is a
    user copy of ``resources/metadata/dateline.toml`` (publication-date shapes and labels);
    the timeline uses the same rules. Raises CorpusError on a missing
    or empty directory, binary files, and catalog errors; warns on non-UTF-8 files and on
    files that are not documents.
    """
    if path is not None:
        check_type("path", path, (str, Path))
    check_type("infer_dates", infer_dates, bool)
    dl = _datelines(datelines)
    directory = _io.locate_corpus(path)
    if (directory / "manifest.json").is_file():  # a Parquet index (dprkbrief build)
        from ..pipeline.index import is_index, open_index

        if is_index(directory):
            given = {"catalog": catalog, "structure": structure, "datelines": datelines}
            if infer_dates or any(v is not None for v in given.values()):
                raise CorpusError(
                    f"{directory} is an index: its build fixed the catalog and rules; drop "
                    "catalog/structure/datelines/infer_dates, or rebuild it with your files"
                )
            return open_index(directory)
    files = _io.discover(directory)
    ids: dict[str, Path] = {}
    renamed: list[str] = []
    for f in files:
        raw = f.relative_to(directory).with_suffix("").as_posix().replace("/", "__")
        doc_id = make_doc_id(raw)
        if doc_id != raw:
            renamed.append(f"{f.relative_to(directory).as_posix()!r} -> {doc_id!r}")
        if doc_id in ids:
            raise CorpusError(
                f"two files give the same doc_id {doc_id!r}: {ids[doc_id]} and {f}; rename one"
            )
        ids[doc_id] = f
    if renamed:
        warnings.warn(
            f"{directory}: {len(renamed)} file name(s) hold characters a doc_id cannot have "
            f"(only letters, digits, '_', '-', '.'); their doc_ids are {'; '.join(renamed)}. "
            "Use these ids (also in catalog.toml), or rename the files.",
            DprkbriefWarning,
            stacklevel=2,
        )
    cat_path = Path(catalog) if catalog is not None else directory / "catalog.toml"
    if catalog is not None and not cat_path.exists():
        raise CorpusError(f"catalog file not found: {cat_path}; check the 'catalog' argument")
    entries = _catalog.load_catalog(cat_path, list(ids))
    st = load_structure(str(structure) if structure else None)
    docs = [
        _make_document(doc_id, _io.read_text(f), f, entries.get(doc_id, {}), st, infer_dates, dl)
        for doc_id, f in ids.items()
    ]
    corpus = Corpus(docs, path=directory, datelines=dl)
    corpus.rule_files = _given_rules(structure=structure, datelines=datelines)
    return corpus


def corpus_from_texts(
    texts: Mapping[str, str],
    *,
    metadata: Mapping[str, Mapping[str, Any]] | None = None,
    infer_dates: bool = False,
    datelines: str | Path | None = None,
) -> Corpus:
    """Build a corpus from in-memory texts (tests, notebooks, quick experiments).

    ``metadata`` maps doc_id to plain field values (e.g. ``{"date": "2019-10-01"}``); they are
    recorded with source ``"curated: corpus_from_texts"``. ``infer_dates`` and
    ``datelines`` as in ``load_corpus``.
    """
    check_type("infer_dates", infer_dates, bool)
    dl = _datelines(datelines)
    if not isinstance(texts, Mapping):
        raise CorpusError(
            f"invalid type for 'texts': expected a mapping doc_id -> text, got "
            f"{type(texts).__name__}"
        )
    st = load_structure()
    metadata = metadata or {}
    docs = []
    for doc_id, text in texts.items():
        if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
            raise CorpusError(f"invalid doc_id {doc_id!r}: use letters, digits, '_', '-', '.'")
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"document {doc_id!r} is empty or not a string; give it text")
        extra = metadata.get(doc_id, {})
        if not isinstance(extra, Mapping):
            raise CorpusError(
                f"metadata for {doc_id!r}: expected a mapping field -> value, got "
                f"{type(extra).__name__}"
            )
        bad = set(extra) - set(_catalog.FIELDS)
        if bad:
            raise CorpusError(
                f"metadata for {doc_id!r}: unknown field(s) {sorted(bad)}; allowed are "
                f"{', '.join(_catalog.FIELDS)}"
            )
        for name, value in extra.items():
            _catalog.check_value(name, value, f"metadata for {doc_id!r} field {name!r}")
        entry = {k: (v, "curated: corpus_from_texts") for k, v in extra.items()}
        docs.append(_make_document(doc_id, text, None, entry, st, infer_dates, dl))
    corpus = Corpus(docs, datelines=dl)
    corpus.rule_files = _given_rules(datelines=datelines)
    return corpus


def _given_rules(**paths: str | Path | None) -> dict[str, str]:
    return {k: str(Path(v).resolve()) for k, v in paths.items() if v is not None}


def _datelines(path: str | Path | None) -> DatelineRules:
    if path is None:
        return load_dateline_rules()
    check_type("datelines", path, (str, Path), hint="give the path of a dateline TOML file")
    if not Path(path).is_file():
        raise CorpusError(
            f"invalid value for 'datelines': no such file {str(path)!r}; give a copy of "
            "resources/metadata/dateline.toml or None for the shipped rules"
        )
    return load_dateline_rules(path)


def doc_date(corpus: Corpus, doc_id: str) -> str | None:
    """The document creation time (ISO string) used to resolve relative dates, or None."""
    return corpus[doc_id].meta.get("date")
