"""Corpus functions as folds over per-document records: ``corpus_records``.

One mechanism for every corpus-level function: the per-document records of a step
(``dprkbrief.pipeline.annotate.STEPS``) for every document of a corpus, then a fold (a concat,
a filter, a merge) in the caller. Where the records come from depends on the corpus:

* an in-memory ``Corpus``: the step runs per document (``step.func(document, resources)``),
  memoised on the ``Document`` under the step's fingerprint (the digests of the rule files
  the step reads, plus the model for NLP steps), so a second call with the same rules is a
  lookup and a call with other rules computes afresh; the records of an NLP step are also
  cached on disk (``records_path``), so a new process reads them without spaCy;
* an index (``open_index``): the stored Parquet table is read (only the partitions holding
  ``docs``, with pyarrow filters) when the build's fingerprints for the step equal the
  requested ones; otherwise the step is recomputed per document, with a warning that says so.

Cross-document steps (the people merge, the expert registry that links names, the event
matrix) stay whole-corpus in the callers. ``direct()`` marks a computation that must not fold
(the per-document step itself). ``statements``, ``positions`` and ``forecasts`` fold over the
``statements``, ``position_cells`` and ``forecasts`` steps, whose records name experts by a
deferred registry key that the caller's link replaces (``analysis.statements.link_names``).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DprkbriefWarning, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus, Document
    from ..resources.bundle import Resources

_DIRECT: contextvars.ContextVar[bool] = contextvars.ContextVar("dprkbrief_direct", default=False)


@contextlib.contextmanager
def direct() -> Iterator[None]:
    """Inside this block corpus functions compute from the text instead of folding over
    per-document records (used by the per-document steps, which call them on one document)."""
    token = _DIRECT.set(True)
    try:
        yield
    finally:
        _DIRECT.reset(token)


def folding() -> bool:
    """False inside ``direct()``."""
    return not _DIRECT.get()


# -- resources from rule-file arguments ------------------------------------------------------

_RESOURCES: dict[tuple, Resources] = {}


def resources_for(rules: dict[str, str | Path | None], model: str | None = None) -> Resources:
    """A ``Resources`` with these user rule files (None = packaged), shared while the files
    are unchanged (keyed by path, size and modification time)."""
    from ..resources.bundle import Resources, default_resources

    given = {k: str(Path(v).resolve()) for k, v in rules.items() if v is not None}
    if not given and model is None:
        return default_resources()
    stamp = []
    for k, v in sorted(given.items()):
        try:
            st = Path(v).stat()
            stamp.append((k, v, st.st_size, st.st_mtime_ns))
        except OSError:
            stamp.append((k, v, None, None))  # Resources() raises the clear error
    key = (tuple(stamp), model)
    if key not in _RESOURCES:
        if len(_RESOURCES) > 16:
            _RESOURCES.clear()
        _RESOURCES[key] = Resources(rules=given, model=model)
    return _RESOURCES[key]


def corpus_rule_files(corpus: Corpus) -> dict[str, str]:
    """The rule files a corpus was read with (``structure``, ``datelines``): an index's
    build rules, or the files given to ``load_corpus``; packaged ones are left out."""
    from ..resources.bundle import RULE_KINDS

    index = getattr(corpus, "_index", None)
    if index is not None:
        rules = index.manifest.get("rules", {})
        out = {}
        for kind in ("structure", "datelines"):
            path = rules.get(kind, {}).get("path")
            if path and Path(path).resolve() != RULE_KINDS[kind].packaged.resolve():
                out[kind] = path
        return out
    return dict(getattr(corpus, "rule_files", {}) or {})


# -- fingerprints ------------------------------------------------------------------------------


def step_fingerprint(resources: Resources, table: str) -> dict[str, str]:
    """What the records of step ``table`` depend on: the sha256 of each rule file it reads
    (and the model's name-version for an NLP step)."""
    from .index import _rules_key

    return _rules_key(resources, [table])


def _index_matches(corpus: Corpus, table: str, wanted: dict[str, str]) -> tuple[bool, str]:
    m = corpus._index.manifest
    if table not in m.get("steps", []):
        return False, f"it was built without the {table!r} step"
    have = {k: v.get("sha256") for k, v in m.get("rules", {}).items()}
    if m.get("model"):
        have["model"] = m["model"]
    differ = sorted(k for k, v in wanted.items() if have.get(k) != v)
    if differ:
        return False, f"it was built with other {', '.join(differ)} rules"
    return True, ""


# -- the records -------------------------------------------------------------------------------


def corpus_records(
    corpus: Corpus,
    table: str,
    resources: Resources | None = None,
    *,
    docs: list[str] | None = None,
    columns: list[str] | None = None,
    filters: list[tuple] | None = None,
) -> pd.DataFrame:
    """The per-document records of step ``table`` for the documents of ``corpus`` (all, or
    ``docs``), in doc_id order then record order, as a DataFrame (columns as
    ``dprkbrief.annotate``; lists as Python lists; JSON-text columns as stored).

    ``resources`` names the rule files and model (default: packaged). ``columns`` projects,
    ``filters`` keeps rows (pyarrow syntax: ``[(column, op, value), ...]``, all must hold; ops
    ``= == != < <= > >= in not in``); on an index both are pushed down to Parquet.
    """
    import pandas as pd

    from .annotate import STEPS, _resources

    if table not in STEPS:
        shown = ", ".join(repr(n) for n in STEPS)
        raise ParameterError(f"invalid value for 'table': {table!r}; allowed are {shown}")
    res = _resources(resources)
    ids = corpus._check_docs(docs)
    if ids is None:
        ids = corpus.doc_ids
    want = step_fingerprint(res, table)
    if getattr(corpus, "_index", None) is not None:
        ok, why = _index_matches(corpus, table, want)
        if ok:
            df = corpus.records(table, docs=ids, columns=columns, filters=filters)
            if len(df) and "doc_id" in df.columns:
                df = df.sort_values("doc_id", kind="stable").reset_index(drop=True)
            return _nones(df)
        warnings.warn(
            f"index {corpus._index.path}: {why}; computing {table!r} per document from the "
            f"texts ({len(ids)} documents). Rebuild the index with these rule files to read "
            "it instead.",
            DprkbriefWarning,
            stacklevel=3,
        )
    _parse_missing([corpus[d] for d in ids], table, res, want)
    rows = [r for d in ids for r in document_records(corpus[d], table, res, want)]
    df = pd.DataFrame(rows)
    if filters:
        df = _apply_filters(df, filters)
    if columns is not None:
        df = df.reindex(columns=columns)
    elif not len(df):
        df = pd.DataFrame(columns=["doc_id"], dtype=object)
    return _nones(df).reset_index(drop=True)


def _nones(df: pd.DataFrame) -> pd.DataFrame:
    """Text and object columns as object dtype with None for missing values (as the
    per-document records have them; pandas 3 would infer its ``str`` dtype with NaN)."""
    from pandas.api.types import is_string_dtype

    for c in df.columns:
        if df[c].dtype == object or is_string_dtype(df[c]):
            df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df


def document_records(
    document: Document,
    table: str,
    resources: Resources,
    fingerprint: dict[str, str] | None = None,
) -> list[dict]:
    """The records of step ``table`` for one document, memoised on the document under the
    step's fingerprint (a Document's text and metadata do not change once made).

    Records of an NLP step are also kept on disk (``records_path``: content-addressed by
    the text, the metadata, the step's fingerprint and format), so a new process whose cache
    holds them imports neither spaCy nor the model."""
    from .annotate import STEPS

    fp = fingerprint if fingerprint is not None else step_fingerprint(resources, table)
    key = (table, json.dumps(fp, sort_keys=True))
    memo = document._records
    if memo is None:
        memo = document._records = {}
    if key not in memo:
        step = STEPS[table]
        path = records_path(document, table, fp) if step.nlp else None
        rows = _read_json(path) if path is not None else None
        if rows is None:
            if step.nlp:
                from ..nlp.parsing import parse_many

                parse_many([document], resources)
            with direct():
                rows = step.func(document, resources)
            if path is not None:
                _write_json(path, rows)
        memo[key] = rows
    return memo[key]


RECORDS_FORMAT = "records-1"  # bump when the on-disk layout of cached records changes


def records_path(document: Document, table: str, fingerprint: dict[str, str]) -> Path | None:
    """Where the records of step ``table`` for ``document`` are cached on disk
    (``<cache_dir>/records/<table>/``; None when the disk cache is off). The address is the
    sha256 of the text, doc_id, metadata (its path left out), the step's rule and model
    fingerprint, the step's ``version`` and the package's code (``code_fingerprint``): any
    change, also an edit of the code that produces the records, gives a new file."""
    import hashlib

    from ..nlp.parsing import _cache_enabled, cache_dir
    from .annotate import STEPS

    if not _cache_enabled(None):
        return None
    meta = {k: v for k, v in document.meta.items() if k != "path"}
    h = hashlib.sha256(document.text.encode("utf-8", "surrogatepass"))
    version = STEPS[table].records_version
    h.update(f"\0{document.doc_id}\0{RECORDS_FORMAT}\0{version}\0".encode())
    h.update(json.dumps(meta, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
    h.update(json.dumps(fingerprint, sort_keys=True).encode())
    h.update(code_fingerprint().encode())
    key = h.hexdigest()
    return cache_dir() / "records" / table / key[:2] / f"{key}.json"


_CODE: list[str] = []


def code_fingerprint() -> str:
    """sha256 of the package's source and data files (once per process, ~20 ms): cached
    records are never served to code other than the code that wrote them."""
    if not _CODE:
        import hashlib

        root = Path(__file__).resolve().parents[1]
        h = hashlib.sha256()
        for p in sorted(root.rglob("*")):
            if p.suffix in (".py", ".toml", ".json", ".csv") and p.is_file():
                h.update(f"\0{p.relative_to(root).as_posix()}\0".encode())
                h.update(p.read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def _read_json(path: Path) -> list[dict] | None:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent or damaged: computed again
    return rows if isinstance(rows, list) else None


def _write_json(path: Path, rows: list[dict]) -> None:
    """Write to a temporary name, then rename (safe under concurrent writers)."""
    import os
    import tempfile

    tmp = None
    try:
        try:  # the folder is there but for the first file of its kind
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # json.dumps: the C encoder (json.dump to a file runs the pure-Python one)
            fh.write(json.dumps(rows, ensure_ascii=False))
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        # a read-only cache (or an unserialisable value) must not stop the analysis
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def record_list(
    corpus: Corpus,
    table: str,
    resources: Resources | None = None,
    *,
    docs: list[str] | None = None,
) -> list[dict]:
    """``corpus_records`` as a list of dicts (copies), without a DataFrame for an in-memory
    corpus: what a fold that links or filters rows in Python starts from."""
    from .annotate import _resources

    res = _resources(resources)
    if getattr(corpus, "_index", None) is not None:
        return corpus_records(corpus, table, res, docs=docs).to_dict("records")
    ids = corpus._check_docs(docs)
    fp = step_fingerprint(res, table)
    out: list[dict] = []
    todo = [corpus[d] for d in (corpus.doc_ids if ids is None else ids)]
    _parse_missing(todo, table, res, fp)
    for document in todo:
        out.extend(dict(r) for r in document_records(document, table, res, fp))
    return out


def _parse_missing(documents: list[Document], table: str, res: Resources, fp: dict) -> None:
    """One batched parse of the documents whose records of NLP step ``table`` are neither
    memoised nor on disk (``nlp.pipe`` over a batch is faster than one by one)."""
    from .annotate import STEPS

    if not STEPS[table].nlp:
        return
    key = (table, json.dumps(fp, sort_keys=True))
    todo = []
    for d in documents:
        if d._records is not None and key in d._records:
            continue
        path = records_path(d, table, fp)
        if path is not None and path.is_file():
            continue
        todo.append(d)
    if todo:
        from ..nlp.parsing import parse_many

        parse_many(todo, res)


_OPS = {
    "=": lambda c, v: c == v,
    "==": lambda c, v: c == v,
    "!=": lambda c, v: c != v,
    "<": lambda c, v: c < v,
    "<=": lambda c, v: c <= v,
    ">": lambda c, v: c > v,
    ">=": lambda c, v: c >= v,
    "in": lambda c, v: c.isin(list(v)),
    "not in": lambda c, v: ~c.isin(list(v)),
}


def _apply_filters(df: pd.DataFrame, filters: list[tuple]) -> pd.DataFrame:
    if not len(df):
        return df
    keep = None
    for col, op, value in filters:
        if op not in _OPS:
            raise ParameterError(
                f"invalid filter operator {op!r}; allowed are {', '.join(map(repr, _OPS))}"
            )
        c = df[col] if col in df.columns else None
        if c is None:
            return df.iloc[0:0]
        if op in ("in", "not in"):
            cond = _OPS[op](c, value)
        else:
            cond = c.notna() & c.map(lambda x, op=op, v=value: x is not None and _OPS[op](x, v))
        keep = cond if keep is None else keep & cond
    return df[keep.astype(bool)]


def decode_json(rows: list[dict], columns: tuple[str, ...]) -> list[dict]:
    """Rows with the JSON-text ``columns`` (see ``annotate.plain``) turned back into values."""
    for r in rows:
        for c in columns:
            v = r.get(c)
            if isinstance(v, str):
                try:
                    r[c] = json.loads(v)
                except ValueError:
                    pass
    return rows


# -- the timeline fold -------------------------------------------------------------------------


def folded_timeline(
    corpus: Corpus,
    *,
    start: Any = None,
    end: Any = None,
    events: Any = None,
    docs: list[str] | None = None,
    kinds: Any = None,
    dates: Any = None,
) -> pd.DataFrame | None:
    """``dprkbrief.timeline`` as a fold over the ``mentions`` records (None when it must be
    computed directly: inside ``direct()``, for ``kinds``, for an events DataFrame or compiled
    date rules, or for a corpus read with date-line rules whose file is unknown)."""
    from ..analysis.timeline import TIMELINE_COLUMNS, _bounds, in_date_range
    from ..segment.datelines import load_dateline_rules

    if not folding() or kinds is not None:
        return None
    if not (events is None or isinstance(events, str | Path)):
        return None
    if not (dates is None or isinstance(dates, str | Path)):
        return None
    rules = corpus_rule_files(corpus)
    dl = getattr(corpus, "datelines", None)
    index = getattr(corpus, "_index", None)
    if index is None and "datelines" not in rules and dl not in (None, load_dateline_rules()):
        return None
    if events is not None or dates is not None:  # a clear error for a bad path, as before
        from ..events.linking import resolve_events
        from ..temporal.rules import as_dates

        resolve_events(events)
        as_dates(dates)
    res = resources_for({**rules, "events": events, "dates": dates})
    lo, hi = _bounds(start, end)
    filters = []
    if lo is not None:  # a superset on the ISO text (years); in_date_range is exact
        filters.append(("date_end", ">=", f"{lo.year:04d}"))
    if hi is not None:
        filters.append(("date_start", "<=", f"{hi.year:04d}-99"))
    df = corpus_records(corpus, "mentions", res, docs=docs, filters=filters or None)
    df = df.reindex(columns=TIMELINE_COLUMNS)
    if len(df):
        df = in_date_range(df, lo, hi).astype(object)
        df = df.where(df.notna(), None)
    elif lo is None and hi is None and len(corpus):
        warnings.warn(
            f"the timeline is empty: no catalog event and no date found in the prose of "
            f"{len(corpus) if docs is None else len(docs)} document(s)",
            DprkbriefWarning,
            stacklevel=3,
        )
    df = df.reset_index(drop=True)
    return df.astype(
        {
            **{c: "int64" for c in ("start", "end", "cue_start", "cue_end")},
            "occurrence": bool,
        }
    )


# -- batches of documents ----------------------------------------------------------------------


def batches(corpus: Corpus, docs: list[str] | None = None) -> Iterator[tuple[Corpus, Any]]:
    """``(corpus, docs)`` pieces of ``corpus`` restricted to ``docs`` that a per-document fold
    can run on one at a time: an in-memory corpus whole (with ``docs``, so its cached
    segment tables serve), an index one stored partition at a time (only that partition's
    texts and segments are read; ``docs`` None)."""
    ids = corpus._check_docs(docs)
    index = getattr(corpus, "_index", None)
    if index is None:
        yield corpus, ids
        return
    wanted = set(corpus.doc_ids if ids is None else ids)
    for part in index.manifest["partitions"]:
        part_ids = [d for d in part["doc_ids"] if d in wanted]
        if part_ids:
            yield corpus.select(part_ids), None
