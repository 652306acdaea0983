"""The per-document seam: ``annotate(document, resources) -> {table: [record, ...]}``.

Every record table the package derives from one document, computed without a Corpus, so the
same function runs in a notebook, in a loop, or on a Dask worker (``dprkbrief build``). The
steps are a small registry (``STEPS``): each names the rule kinds it reads and whether it
needs the spaCy model, so a build can record their fingerprints and skip the model when only
rule steps are asked for. Records hold plain Python values (str, int, float, bool, None,
lists of str); anything richer (a dict of directions, a list of spans) is a JSON string, so
every table serialises to Parquet as it is.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import as_str_list
from ..errors import ParameterError
from .fold import direct, document_records

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus.corpus import Document
    from ..resources.bundle import Resources


@dataclass(frozen=True)
class Step:
    """One per-document step: its table, the rule kinds it reads, whether it needs spaCy."""

    name: str
    func: Callable[[Document, Resources], list[dict]]
    rule_kinds: tuple[str, ...] = ()
    nlp: bool = False
    # format of the records (part of their disk-cache address): a string, or
    # "module:ATTRIBUTE" naming the constant the producing module bumps
    version: str = "1"

    @property
    def records_version(self) -> str:
        """The records' format version (``version``, resolved when it names a constant)."""
        if ":" not in self.version:
            return self.version
        import importlib

        module, attr = self.version.split(":")
        return str(getattr(importlib.import_module(module), attr))


def make_document(
    doc_id: str,
    text: str,
    *,
    metadata: Mapping[str, Any] | None = None,
    path: str | Path | None = None,
    resources: Resources | None = None,
    source: str = "curated: metadata",
    infer_dates: bool = False,
) -> Document:
    """A ``Document`` from a doc_id, its text and optional metadata, without a Corpus.

    Metadata is inferred from the text as ``load_corpus`` does (structure and date-line rules
    of ``resources``); given ``metadata`` fields (catalog vocabulary: title, date, genre,
    authors, publisher ...) override it and are recorded with ``source``.
    """
    from ..corpus import catalog as _catalog
    from ..corpus.corpus import _DOC_ID, _make_document
    from ..errors import CorpusError

    res = _resources(resources)
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
        raise CorpusError(f"invalid doc_id {doc_id!r}: use letters, digits, '_', '-', '.'")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"document {doc_id!r} is empty or not a string; give it text")
    entry: dict[str, tuple[Any, str]] = {}
    for name, value in (metadata or {}).items():
        if name not in _catalog.FIELDS:
            raise CorpusError(
                f"metadata for {doc_id!r}: unknown field {name!r}; allowed are "
                f"{', '.join(_catalog.FIELDS)}"
            )
        if value is None:
            continue
        _catalog.check_value(name, value, f"metadata for {doc_id!r} field {name!r}")
        entry[name] = (value, source)
    return _make_document(
        doc_id,
        text,
        Path(path) if path is not None else None,
        entry,
        res.load_rules("structure"),
        infer_dates,
        res.load_rules("datelines"),
    )


# -- plain values ---------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """``value`` as a Parquet-friendly plain value (see the module docstring)."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    if hasattr(value, "item") and not isinstance(value, list | tuple | dict):  # numpy scalar
        return plain(value.item())
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    try:
        return json.dumps(value, default=str, ensure_ascii=False)
    except TypeError:
        return str(value)


_PLAIN_TYPES = frozenset({str, bool, int, type(None)})  # plain(v) is v for these


def _records(rows: list[Mapping[str, Any]], doc_id: str) -> list[dict]:
    out = []
    for r in rows:
        rec = {"doc_id": doc_id}
        rec.update(
            {k: v if type(v) in _PLAIN_TYPES else plain(v) for k, v in r.items() if k != "doc_id"}
        )
        out.append(rec)
    return out


def _rule_arg(resources: Resources, kind: str) -> str | None:
    """The user's rule file of ``kind``, or None for the packaged one (whose compiled form
    the engines keep in memory, so a per-document call does not compile it again)."""
    from ..resources.bundle import RULE_KINDS

    path = resources.rule_path(kind)
    return None if Path(path) == RULE_KINDS[kind].packaged.resolve() else path


def _single(document: Document, resources: Resources) -> Any:
    from ..corpus.corpus import Corpus

    return Corpus([document], datelines=resources.load_rules("datelines"))


# -- the steps ------------------------------------------------------------------------------


def _documents(document: Document, resources: Resources) -> list[dict]:
    from ..corpus.corpus import DOCUMENT_COLUMNS

    meta = document.meta
    row = {c: plain(meta.get(c)) for c in DOCUMENT_COLUMNS}
    row["doc_id"] = document.doc_id
    row["n_chars"] = int(meta.get("n_chars") or len(document.text))
    row["n_words"] = int(meta.get("n_words") or 0)
    extra = {k: v for k, v in meta.items() if k not in DOCUMENT_COLUMNS}
    row["meta_json"] = json.dumps(extra, default=str, ensure_ascii=False)
    row["text"] = document.text
    return [row]


def _segments(document: Document, resources: Resources) -> list[dict]:
    from ..segment.segmenter import LEVELS

    rows: list[dict] = []
    for level in LEVELS:
        rows += document.segment_rows(level)
    return _records(rows, document.doc_id)


def _dates(document: Document, resources: Resources) -> list[dict]:
    from ..events.linking import tagged_dates

    rows = tagged_dates(
        document.text, document.meta.get("date"), dates=_rule_arg(resources, "dates")
    )
    return _records(rows, document.doc_id)


def _mentions(document: Document, resources: Resources) -> list[dict]:
    from ..analysis.timeline import timeline_records

    with warnings.catch_warnings(), direct():
        # "the timeline is empty" is not news for one document; other warnings pass on
        warnings.filterwarnings("ignore", message="the timeline is empty")
        rows = timeline_records(
            _single(document, resources),
            events=_rule_arg(resources, "events"),
            dates=_rule_arg(resources, "dates"),
        )
    return _records(rows, document.doc_id)


def _people(document: Document, resources: Resources) -> list[dict]:
    from ..nlp.people import people_records

    return _records(people_records(document, resources), document.doc_id)


def _registry(document: Document, resources: Resources) -> list[dict]:
    from ..analysis.experts import registry_records

    return _records(registry_records(document, resources), document.doc_id)


def _quotations(document: Document, resources: Resources) -> list[dict]:
    from ..analysis.quotes import quote_records

    return _records(quote_records(document, resources), document.doc_id)


def _statements(document: Document, resources: Resources) -> list[dict]:
    from ..analysis.statements import statement_records

    return _records(statement_records(document, resources), document.doc_id)


def _position_cells(document: Document, resources: Resources) -> list[dict]:
    from ..analysis.positions import cell_records

    return _records(cell_records(document, resources), document.doc_id)


def _forecasts(document: Document, resources: Resources) -> list[dict]:
    from ..analysis.forecasts import forecast_records

    rows = forecast_records(document, resources, dates=_rule_arg(resources, "dates"))
    return _records(rows, document.doc_id)


_NLP_KINDS = ("attribution", "titles", "gazetteer", "sources", "structure")
_STATEMENT_KINDS = (*_NLP_KINDS, "codebook", "certainty", "claims", "hedges")
STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("documents", _documents, ("structure", "datelines")),
        Step("segments", _segments, ("structure",)),
        Step("dates", _dates, ("dates",)),
        Step("mentions", _mentions, ("structure", "datelines", "dates", "events")),
        # the expert registry's per-document operations (experts() merges them)
        Step("registry", _registry, ("structure", "datelines", "attribution", "titles")),
        Step("people", _people, _NLP_KINDS, nlp=True),
        Step(
            "quotations",
            _quotations,
            _NLP_KINDS,
            nlp=True,
            version="dprkbrief.analysis.quotes:RECORDS_FORMAT",
        ),
        # sentence rows with expert names deferred to the cross-document link
        # (``statements.link_names``): the registry's display name spans documents
        Step("statements", _statements, _STATEMENT_KINDS, nlp=True, version="statements-1"),
        Step(
            "position_cells",
            _position_cells,
            (*_STATEMENT_KINDS, "stance"),
            nlp=True,
            version="cells-1",
        ),
        Step(
            "forecasts",
            _forecasts,
            (*_STATEMENT_KINDS, "stance", "horizons", "dates"),
            nlp=True,
            version="forecasts-1",
        ),
    )
}
RULE_STEPS = tuple(n for n, s in STEPS.items() if not s.nlp)


def check_steps(steps: Any) -> list[str]:
    """The step names asked for (all when None), in registry order; ``documents`` always."""
    names = as_str_list("steps", steps)
    if names is None:
        return list(STEPS)
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        shown = ", ".join(repr(n) for n in STEPS)
        raise ParameterError(
            f"invalid value for 'steps': {', '.join(map(repr, unknown))}; allowed are {shown}"
        )
    return [n for n in STEPS if n in set(names) or n == "documents"]


def _resources(resources: Resources | None) -> Resources:
    from ..resources.bundle import Resources, default_resources

    if resources is None:
        return default_resources()
    if not isinstance(resources, Resources):
        raise ParameterError(
            f"invalid type for 'resources': expected dprkbrief.Resources, got "
            f"{type(resources).__name__}"
        )
    return resources


def annotate(
    document: Document,
    resources: Resources | None = None,
    *,
    steps: list[str] | str | None = None,
    errors: list[dict] | None = None,
) -> dict[str, list[dict]]:
    """Every record table of one document: ``{table: [record, ...]}``.

    Tables (= step names): ``documents`` (the one metadata row, plus ``meta_json`` and
    ``text``), ``segments`` (all four levels; ``level`` column), ``dates`` (tagged
    expressions), ``mentions`` (timeline rows), ``registry`` (the expert registry's
    operations, ``analysis.experts.doc_registry``), ``people``, ``quotations``, ``statements``.
    ``steps`` picks a subset (``documents`` is always included). Each record carries
    ``doc_id``; columns as the corpus functions of the same names (docs/architecture.md).
    When ``errors`` is a list, a step that raises appends ``{doc_id, step, message}`` to it
    and leaves its table empty; otherwise the exception propagates.
    """
    from ..corpus.corpus import Document

    if not isinstance(document, Document):
        raise ParameterError(
            f"invalid type for 'document': expected dprkbrief.Document, got "
            f"{type(document).__name__}; build one with dprkbrief.make_document(doc_id, text)"
        )
    from ..events.linking import dates_memo

    res = _resources(resources)
    out: dict[str, list[dict]] = {}
    with dates_memo():  # the dates step and the timeline tag the text once
        for name in check_steps(steps):
            try:
                if STEPS[name].nlp:  # memoised (and cached on disk): later steps reuse it
                    out[name] = [dict(r) for r in document_records(document, name, res)]
                else:
                    out[name] = STEPS[name].func(document, res)
            except Exception as exc:
                if errors is None:
                    raise
                errors.append(
                    {
                        "doc_id": document.doc_id,
                        "step": name,
                        "message": f"{type(exc).__name__}: {exc}",
                    }
                )
                out[name] = []
    return out


def annotate_many(
    documents: list[Document],
    resources: Resources | None = None,
    *,
    steps: list[str] | str | None = None,
    errors: list[dict] | None = None,
) -> list[dict[str, list[dict]]]:
    """``[annotate(d, resources, steps=steps, errors=errors) for d in documents]``, the same
    records, faster for a batch (a partition of a build): the ``mentions`` step runs once
    over the batch as one Corpus, so the timeline's fixed per-call cost is paid once, and
    the records are split by document. Should the batch call fail, every document's
    ``mentions`` is computed alone, so an error is recorded against its own document."""
    from ..events.linking import dates_memo

    res = _resources(resources)
    names = check_steps(steps)
    alone = [n for n in names if n != "mentions"]
    with dates_memo():  # the batch timeline reuses each document's tagged dates
        out = [annotate(d, res, steps=alone, errors=errors) for d in documents]
        if "mentions" in names:
            batch = _batch_mentions(documents, res)
            for d, tables in zip(documents, out):
                if batch is not None:
                    tables["mentions"] = batch.get(d.doc_id, [])
                else:
                    one = annotate(d, res, steps=["mentions"], errors=errors)
                    tables["mentions"] = one["mentions"]
    return [{n: t[n] for n in names if n in t} for t in out]


def _batch_mentions(documents: list[Document], resources: Resources) -> dict | None:
    """Timeline records of a batch by doc_id, or None if the batch call fails."""
    from ..analysis.timeline import timeline_records
    from ..corpus.corpus import Corpus

    if len({d.doc_id for d in documents}) != len(documents):
        return None
    try:
        with warnings.catch_warnings(), direct():
            # as _mentions: "the timeline is empty" is not news; other warnings pass on
            warnings.filterwarnings("ignore", message="the timeline is empty")
            rows = timeline_records(
                Corpus(list(documents), datelines=resources.load_rules("datelines")),
                events=_rule_arg(resources, "events"),
                dates=_rule_arg(resources, "dates"),
            )
    except Exception:
        return None
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["doc_id"], []).append(r)
    return {k: _records(v, k) for k, v in out.items()}
