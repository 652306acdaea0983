"""Parse documents with spaCy once, and keep the parses.

``parse(document, resources)`` returns a spaCy ``Doc`` over exactly ``document.text`` (token
``idx`` and span ``start_char``/``end_char`` are offsets into the document text).
``parse_many(documents, resources)`` runs the missing ones through ``nlp.pipe`` in batches.

Parses are cached in memory (per process) and on disk, content-addressed by the sha256 of the
text and ``resources.parse_fingerprint`` (model name-version and rule files that shape the
parse). Disk cache: ``$DPRKBRIEF_CACHE/parses`` else ``~/.cache/dprkbrief/parses`` (or
``$XDG_CACHE_HOME/dprkbrief``); one DocBin file per text, written to a temporary name and moved
into place with ``os.replace`` so concurrent writers (notebooks, Dask workers) never see half a
file. ``DPRKBRIEF_PARSE_CACHE=0`` or ``cache=False`` turns the disk cache off.

Texts longer than ``nlp.max_length`` are parsed in chunks cut at paragraph breaks (else line
breaks, else spaces) and joined back into one ``Doc`` with the same text and offsets.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

    from ..resources.bundle import Resources

CACHE_ENV = "DPRKBRIEF_CACHE"
SWITCH_ENV = "DPRKBRIEF_PARSE_CACHE"
PARSE_FORMAT = "2"  # bump when what is stored changes (2: long paragraphs parsed in pieces)
_MEMO_SIZE = 512
_MEMO: OrderedDict[str, Any] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_TEXTS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
_DOC_MEMOS: weakref.WeakKeyDictionary[Any, dict] = weakref.WeakKeyDictionary()
_BREAKS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]*[A-Z])"),
    re.compile(r"\n\s*"),
    re.compile(r"\s+"),
)


def cache_dir() -> Path:
    """Root of the on-disk caches (``$DPRKBRIEF_CACHE`` else the user cache dir)."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "dprkbrief"


def _cache_enabled(cache: bool | None) -> bool:
    if cache is not None:
        return bool(cache)
    return os.environ.get(SWITCH_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def parse_key(text: str, resources: Resources) -> str:
    """Content address of a parse: sha256 of the text, the parse fingerprint and format."""
    h = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    h.update(f"\0{resources.parse_fingerprint}\0{PARSE_FORMAT}".encode())
    return h.hexdigest()


def _text_of(document: Any) -> str:
    text = document if isinstance(document, str) else getattr(document, "text", None)
    if not isinstance(text, str):
        from ..errors import ParameterError

        raise ParameterError(
            f"invalid type for 'document': expected a dprkbrief Document or a str, "
            f"got {type(document).__name__}"
        )
    return text


def _resources(resources: Resources | None) -> Resources:
    if resources is None:
        from ..resources.bundle import default_resources

        return default_resources()
    return resources


def doc_text(doc: Any) -> str:
    """``doc.text``, read once per Doc.

    spaCy rebuilds ``Doc.text`` from every token on each access, so code that reads it once
    per sentence or per quotation is quadratic in the document's length; this keeps the text
    beside the Doc (weakly: it goes when the Doc goes). Parses from ``parse_many`` are known.
    """
    try:
        return _TEXTS[doc]
    except KeyError:
        pass
    except TypeError:  # not weak-referenceable: nothing to remember it on
        return doc.text
    text = doc.text
    _TEXTS[doc] = text
    return text


def doc_memo(doc: Any) -> dict:
    """A dict that lives as long as ``doc``: per-document results several steps share.

    The same parse serves statements, positions and forecasts (one ``Doc`` per text in a
    process), and they ask the same questions of the same sentences (certainty, stance
    cells, the future construction); each asker keys its entries by what the answer depends
    on. A ``Doc`` that cannot be weakly referenced gets a fresh dict (nothing is shared).
    """
    try:
        memo = _DOC_MEMOS.get(doc)
        if memo is None:
            memo = _DOC_MEMOS[doc] = {}
        return memo
    except TypeError:  # not weak-referenceable
        return {}


def parse(document: Any, resources: Resources | None = None, *, cache: bool | None = None) -> Doc:
    """The spaCy ``Doc`` of ``document`` (a Document or a str); offsets index its text."""
    return parse_many([document], resources, cache=cache)[0]


def parse_many(
    documents: Iterable[Any],
    resources: Resources | None = None,
    *,
    batch_size: int = 16,
    cache: bool | None = None,
) -> list[Doc]:
    """Parses of ``documents`` in order; uncached ones go through ``nlp.pipe`` in batches."""
    res = _resources(resources)
    texts = [_text_of(d) for d in documents]
    keys = [parse_key(t, res) for t in texts]
    use_disk = _cache_enabled(cache)
    out: list[Doc | None] = [None] * len(texts)
    todo: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        with _MEMO_LOCK:
            doc = _MEMO.get(key)
            if doc is not None:
                _MEMO.move_to_end(key)
        if doc is None and use_disk:
            doc = _read_cached(key, res)
            if doc is not None:
                _remember(key, doc, texts[i])
        if doc is not None:
            out[i] = doc
        else:
            todo.setdefault(key, []).append(i)
    if todo:
        nlp = res.nlp
        order = list(todo)
        short = [k for k in order if _whole(texts[todo[k][0]], nlp.max_length)]
        parsed: dict[str, Doc] = {}
        for key, doc in zip(
            short, nlp.pipe((texts[todo[k][0]] for k in short), batch_size=batch_size)
        ):
            parsed[key] = doc
        for key in order:
            if key not in parsed:
                parsed[key] = _parse_long(nlp, texts[todo[key][0]], batch_size)
        for key, doc in parsed.items():
            _drop_tensor(doc)
            if use_disk:
                _write_cached(key, doc, res)
            _remember(key, doc, texts[todo[key][0]])
            for i in todo[key]:
                out[i] = doc
    return out  # type: ignore[return-value]


def _drop_tensor(doc: Doc) -> None:
    """Free the pipeline's token vectors (``doc.tensor``, 96 floats per token for the small
    English model: ~4x the rest of a parse). Nothing here reads them once the pipeline has
    run, and a parse read from the disk cache has none, so a fresh parse now matches it."""
    import numpy as np

    doc.tensor = np.zeros((0,), dtype="float32")


def _remember(key: str, doc: Doc, text: str) -> None:
    with _MEMO_LOCK:
        _TEXTS[doc] = text
        _MEMO[key] = doc
        _MEMO.move_to_end(key)
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)


def clear_memory_cache() -> None:
    """Forget the in-process parses (the disk cache stays)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def chunk_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` spans covering ``text``, each at most ``limit`` chars.

    Cuts fall after a paragraph break where possible, else after a sentence end, else after a
    line break, else after a space, else at ``limit`` (a single run of that many non-space characters).
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start : start + limit]
        cut = None
        for pat in _BREAKS:
            ends = [m.end() for m in pat.finditer(window) if m.end() > 0]
            if ends:
                cut = start + ends[-1]
                break
        if cut is None or cut <= start:
            cut = start + limit
        spans.append((start, cut))
        start = cut
    if start < n or not spans:
        spans.append((start, n))
    return spans


# A paragraph longer than this is parsed in pieces of at most _PIECE characters: the
# dependency parser's cost grows faster than linearly on one long unbroken run (12,000
# brackets: 20 s in one piece), and prose paragraphs are far shorter.
_LONG_PARAGRAPH = 5_000
_PIECE = 1_000
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def _whole(text: str, limit: int) -> bool:
    """True when ``text`` can go to the pipeline in one piece."""
    if len(text) > limit:
        return False
    if len(text) <= _LONG_PARAGRAPH:
        return True
    start = 0
    for m in _PARAGRAPHS.finditer(text):
        if m.start() - start > _LONG_PARAGRAPH:
            return False
        start = m.end()
    return len(text) - start <= _LONG_PARAGRAPH


def parse_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """Consecutive spans covering ``text`` to parse one by one: runs of ordinary paragraphs
    together (each run at most ``limit`` characters), a paragraph over ``_LONG_PARAGRAPH``
    characters in pieces of at most ``_PIECE``."""
    spans: list[tuple[int, int]] = []
    run_start = 0

    def flush(end: int) -> None:
        if end > run_start:
            spans.extend(
                (run_start + s, run_start + e) for s, e in chunk_spans(text[run_start:end], limit)
            )

    start = 0
    bounds = [(m.start(), m.end()) for m in _PARAGRAPHS.finditer(text)] + [(len(text), len(text))]
    for para_end, next_start in bounds:
        if para_end - start > _LONG_PARAGRAPH:
            flush(start)
            spans.extend(
                (start + s, start + e) for s, e in chunk_spans(text[start:para_end], _PIECE)
            )
            run_start = para_end
        start = next_start
    flush(len(text))
    return spans or [(0, len(text))]


def _parse_long(nlp: Any, text: str, batch_size: int) -> Doc:
    from spacy.tokens import Doc

    spans = parse_spans(text, nlp.max_length)
    docs = list(nlp.pipe((text[s:e] for s, e in spans), batch_size=batch_size))
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:  # pragma: no cover - guarded by tests
        raise RuntimeError("chunked parse does not reproduce the text")
    return joined


def _path(key: str, res: Resources) -> Path:
    return cache_dir() / "parses" / res.model_info.ident / key[:2] / f"{key}.spacy"


def _read_cached(key: str, res: Resources) -> Doc | None:
    path = _path(key, res)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        from spacy.tokens import DocBin

        docs = list(DocBin().from_bytes(data).get_docs(res.nlp.vocab))
    except Exception:  # a damaged cache file: parse again and overwrite it
        return None
    return docs[0] if len(docs) == 1 else None


def _write_cached(key: str, doc: Doc, res: Resources) -> None:
    from spacy.tokens import DocBin

    path = _path(key, res)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = DocBin(docs=[doc], store_user_data=False).to_bytes()
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".spacy", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        # a read-only or full cache location must not stop the analysis
        return
