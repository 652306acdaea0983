"""Reading document files: discovery, decoding and refusal of unusable input."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from ..errors import CorpusError, DprkbriefWarning

DOC_SUFFIXES = (".txt", ".md")
# files that live beside the documents and are not documents
SIDECARS = frozenset({"catalog.toml", "outcomes.csv"})


def resolve_dir(path: str | Path) -> Path:
    """Resolve a corpus directory; a relative path not found under the cwd is looked up in
    the cwd's parents (so notebooks find ``corpus`` from ``notebooks/`` and from the root)."""
    p = Path(path).expanduser()
    if p.is_dir() or p.is_absolute():
        return p
    for parent in list(Path.cwd().parents)[:3]:
        cand = parent / p
        if cand.is_dir():
            return cand
    return p


CORPUS_ENV = "DPRKBRIEF_CORPUS"
DEFAULT_CORPUS = "corpus"


def locate_corpus(path: str | Path | None = None, *, cwd: str | Path | None = None) -> Path:
    """The corpus folder ``path`` names, as ``load_corpus`` reads it.

    ``None`` means ``$DPRKBRIEF_CORPUS`` when set (the test-suite points it at its fixture
    corpus), else ``corpus``. A relative path is looked up in ``cwd`` (default: the current
    folder), then in up to three of its parents, so a notebook in ``notebooks/`` finds the
    project's ``corpus/``. The runner resolves a notebook's corpus parameter with the
    notebook's folder as ``cwd``.
    """
    if path is None:
        path = os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS
    if cwd is None:
        return resolve_dir(path)
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    base = Path(cwd).resolve()
    for parent in [base, *list(base.parents)[:3]]:
        if (parent / p).is_dir():
            return parent / p
    return base / p


def discover(directory: Path) -> list[Path]:
    """Document files in ``directory`` (recursively), sorted; others named in one warning."""
    if not directory.exists():
        raise CorpusError(
            f"corpus directory not found: {directory} (cwd {Path.cwd()}); pass the folder that "
            "holds your .txt/.md documents, e.g. load_corpus('corpus')"
        )
    if not directory.is_dir():
        raise CorpusError(f"{directory} is a file, not a directory; pass its folder instead")
    docs, others = [], []
    for f in sorted(directory.rglob("*")):
        if not f.is_file() or any(part.startswith(".") for part in f.relative_to(directory).parts):
            continue
        if f.name in SIDECARS:
            continue
        (docs if f.suffix.lower() in DOC_SUFFIXES else others).append(f)
    if others:
        names = ", ".join(str(o.relative_to(directory)) for o in others)
        warnings.warn(
            f"{directory}: ignoring {len(others)} file(s) that are not .txt or .md documents: "
            f"{names}. Convert them to .txt/.md to include them.",
            DprkbriefWarning,
            stacklevel=3,
        )
    if not docs:
        raise CorpusError(
            f"corpus directory {directory} holds no .txt or .md documents; add at least one "
            "document file"
        )
    return docs


# bytes that are fine in text: everything but the C0 controls other than \t \n \f \r ESC
_TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    ctrl = len(sample.translate(None, _TEXT_BYTES))
    return bool(sample) and ctrl / len(sample) > 0.05


def read_text(path: Path) -> str:
    """Decode a document: UTF-8 (BOM accepted), else cp1252 with a warning; refuse binary."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}; check permissions") from None
    if _looks_binary(data):
        raise CorpusError(
            f"{path} looks like a binary file (NUL or control bytes), not text; export it as "
            "plain text (.txt) or Markdown (.md), or move it out of the corpus folder"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        warnings.warn(
            f"{path}: not valid UTF-8 (byte {exc.start}); decoded as cp1252 instead. "
            "Re-save the file as UTF-8 to silence this warning.",
            DprkbriefWarning,
            stacklevel=3,
        )
    if not text.strip():
        raise CorpusError(f"{path} is empty (no text); add content or remove the file")
    return text
