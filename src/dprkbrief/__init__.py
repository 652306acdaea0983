"""dprkbrief: analyse expert writing on U.S.-North Korea negotiations.

Public functions are re-exported here flatly and imported lazily, so ``import dprkbrief``
stays fast (pandas and matplotlib load on first use).

Data flows one way: files -> Corpus/Document -> segment tables -> taggers -> analyses ->
figures and exports -> notebooks, CLI and batch runner.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # corpus and segmentation
    "load_corpus": "dprkbrief.corpus.corpus",
    "corpus_from_texts": "dprkbrief.corpus.corpus",
    "Corpus": "dprkbrief.corpus.corpus",
    "Document": "dprkbrief.corpus.corpus",
    "Resources": "dprkbrief.resources.bundle",
    "split_sentences": "dprkbrief.segment.sentences",
    "sentence_spans": "dprkbrief.segment.sentences",
    "kwic": "dprkbrief.analysis.kwic",
    "segment_counts": "dprkbrief.analysis.overview",
    "speaker_shares": "dprkbrief.analysis.overview",
    # temporal
    "tag_dates": "dprkbrief.temporal.tagger",
    "tag_dates_records": "dprkbrief.temporal.tagger",
    "load_dates": "dprkbrief.temporal.rules",
    "evaluate_timeml": "dprkbrief.temporal.timeml",
    # events and timeline
    "load_events": "dprkbrief.events.catalog",
    "link_events": "dprkbrief.events.linking",
    "load_eras": "dprkbrief.events.catalog",
    "timeline": "dprkbrief.analysis.timeline",
    "event_matrix": "dprkbrief.analysis.timeline",
    "era_profile": "dprkbrief.analysis.timeline",
    "mention_offsets": "dprkbrief.analysis.timeline",
    "timeline_to_csv": "dprkbrief.exports",
    "timeline_to_timelinejs": "dprkbrief.exports",
    "write_timelinejs": "dprkbrief.exports",
    # experts and positions
    "experts": "dprkbrief.analysis.experts",
    "people": "dprkbrief.analysis.experts",
    "statements": "dprkbrief.analysis.statements",
    "quotes": "dprkbrief.analysis.quotes",
    "sources": "dprkbrief.analysis.quotes",
    "positions": "dprkbrief.analysis.positions",
    "compare": "dprkbrief.analysis.positions",
    "forecasts": "dprkbrief.analysis.forecasts",
    "score_forecasts": "dprkbrief.analysis.forecasts",
    "load_codebook": "dprkbrief.analysis.codebook",
    "certainty": "dprkbrief.analysis.certainty",
    "span_certainty": "dprkbrief.analysis.certainty",
    "certainty_table": "dprkbrief.analysis.certainty",
    "stance": "dprkbrief.analysis.stance",
    # large corpora: the per-document seam, Parquet index (Dask)
    "annotate": "dprkbrief.pipeline.annotate",
    "make_document": "dprkbrief.pipeline.annotate",
    "build_index": "dprkbrief.pipeline.index",
    "open_index": "dprkbrief.pipeline.index",
    "open_corpus": "dprkbrief.pipeline.index",
    # batch runs and teaching
    "run_notebooks": "dprkbrief.runner.run",
    "make_handout": "dprkbrief.teaching.handout",
    "notebook_parameters": "dprkbrief.runner.params",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dprkbrief' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
