"""The NLP backbone: a spaCy English pipeline, chosen, verified and loaded lazily.

* ``model``: which pipeline (``DPRKBRIEF_SPACY_MODEL`` / ``model=``), verification of the
  pinned re-upload against the official meta and recorded digests, one load per process.
* ``parsing``: ``parse(document, resources)`` / ``parse_many`` with an on-disk parse cache.
* ``people``: per-document people records and the cross-document merge.

Nothing here imports spaCy at import time.
"""

from __future__ import annotations

from .model import ENV_VAR, ModelError, ModelInfo, load_model, model_info, resolve_model_name
from .parsing import (
    cache_dir,
    chunk_spans,
    clear_memory_cache,
    doc_text,
    parse,
    parse_key,
    parse_many,
)

__all__ = [
    "ENV_VAR",
    "ModelError",
    "ModelInfo",
    "cache_dir",
    "chunk_spans",
    "clear_memory_cache",
    "doc_text",
    "load_model",
    "model_info",
    "parse",
    "parse_key",
    "parse_many",
    "resolve_model_name",
]
