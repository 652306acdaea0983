"""Reading document files: discovery, decoding and refusal of unusable input."""

from __future__ import annotations

import codecs
import itertools
import os
import re
import stat
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


def _walk(root: Path, skipped: dict[str, list[str]]) -> list[Path]:
    """Regular files under ``root`` reached without leaving it; everything passed over is
    recorded in ``skipped`` as ``{reason: [relative path, ...]}``."""
    real_root = root.resolve()
    found: list[Path] = []
    seen_dirs = {real_root}

    def skip(reason: str, rel: str) -> None:
        skipped.setdefault(reason, []).append(rel)

    def visit(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skip(f"unreadable folder ({exc.strerror})", folder.relative_to(root).as_posix())
            return
        for entry in entries:
            path = folder / entry.name
            rel = path.relative_to(root).as_posix()
            if entry.name.startswith("."):
                skip("hidden", rel)
                continue
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    skip("broken symbolic link", rel)
                    continue
                if not target.is_relative_to(real_root):
                    skip("symbolic link to outside the corpus folder", rel)
                    continue
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                skip(f"cannot be examined ({exc.strerror})", rel)
                continue
            if stat.S_ISDIR(mode):
                real = path.resolve()
                if real in seen_dirs:
                    skip("folder already visited (symbolic link loop)", rel)
                    continue
                seen_dirs.add(real)
                visit(path)
            elif stat.S_ISREG(mode):
                found.append(path)
            else:
                skip("not a regular file (pipe, socket or device)", rel)

    visit(root)
    return found


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
    """Document files in ``directory`` (recursively), sorted; all else named in one warning.

    Discovery never leaves the folder: symbolic links to files or folders outside it are
    skipped (links inside it are followed). Hidden entries, broken links, unreadable folders,
    pipes/devices and files that are not ``.txt``/``.md`` are skipped and reported.
    """
    if not directory.exists():
        raise CorpusError(
            f"corpus directory not found: {directory} (cwd {Path.cwd()}); pass the folder that "
            "holds your .txt/.md documents, e.g. load_corpus('corpus')"
        )
    if not directory.is_dir():
        raise CorpusError(f"{directory} is a file, not a directory; pass its folder instead")
    skipped: dict[str, list[str]] = {}
    docs = []
    for f in _walk(directory, skipped):
        if f.name in SIDECARS:
            continue
        if f.suffix.lower() in DOC_SUFFIXES:
            docs.append(f)
        else:
            skipped.setdefault("not a .txt or .md document", []).append(
                f.relative_to(directory).as_posix()
            )
    if skipped:
        n = sum(len(v) for v in skipped.values())
        parts = "; ".join(f"{reason}: {', '.join(names)}" for reason, names in skipped.items())
        warnings.warn(
            f"{directory}: skipped {n} entr{'y' if n == 1 else 'ies'} — {parts}. Convert other "
            "formats to .txt/.md, and copy documents from outside into the folder to include "
            "them.",
            DprkbriefWarning,
            stacklevel=3,
        )
    if not docs:
        raise CorpusError(
            f"corpus directory {directory} holds no .txt or .md documents; add at least one "
            "document file"
        )
    return sorted(docs)


# bytes that are fine in text: everything but the C0 controls other than \t \n \f \r ESC
_TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])
# byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# a file with valid multi-byte UTF-8 characters and at most this many invalid bytes per valid
# one is UTF-8 with stray bytes (only those are replaced); otherwise it is in another encoding
# (single-byte legacy text almost never forms valid UTF-8 sequences)
_STRAY_RATIO = 4
_SHOWN_OFFSETS = 8
_SURROGATE = re.compile("[\udc80-\udcff]")


def _binary_error(path: Path, why: str) -> CorpusError:
    return CorpusError(
        f"{path} looks like a binary file ({why}), not text; export it as plain text (.txt) or "
        "Markdown (.md) in UTF-8, or move it out of the corpus folder"
    )


def _check_controls(path: Path, text: str) -> None:
    """Refuse decoded text with a NUL anywhere or many control characters near the start."""
    nul = text.find("\x00")
    if nul >= 0:
        raise _binary_error(path, f"NUL character at character offset {nul}")
    sample = text[:8192]
    ctrl = sum(1 for c in sample if c < " " and c not in "\t\n\x0c\r\x1b")
    if sample and ctrl / len(sample) > 0.05:
        raise _binary_error(path, f"{ctrl} control characters in the first {len(sample)}")


def _offsets(offsets: list[int]) -> str:
    shown = ", ".join(map(str, offsets[:_SHOWN_OFFSETS]))
    more = len(offsets) - _SHOWN_OFFSETS
    return shown + (f" and {more} more" if more > 0 else "")


def _repair_stray_bytes(text: str, skip: int = 0) -> tuple[str, list[int], list[str]]:
    """Replace the lone surrogates ``surrogateescape`` left for invalid bytes: the byte's
    cp1252 character where it has one, else U+FFFD. Returns the text, the byte offsets of the
    bad bytes in the file and how each was replaced."""
    parts: list[str] = []
    offsets: list[int] = []
    how: list[str] = []
    pos = 0
    byte_pos = skip
    for m in _SURROGATE.finditer(text):
        chunk = text[pos : m.start()]
        parts.append(chunk)
        byte_pos += len(chunk.encode("utf-8"))
        raw = bytes([ord(m.group()) - 0xDC00])
        try:
            char = raw.decode("cp1252")
            how.append(f"0x{raw[0]:02X}->{char!r} (cp1252)")
        except UnicodeDecodeError:
            char = "\ufffd"
            how.append(f"0x{raw[0]:02X}->U+FFFD (replacement character)")
        parts.append(char)
        offsets.append(byte_pos)
        byte_pos += 1
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), offsets, how


def _detect(path: Path, data: bytes) -> str:
    """The encoding of a non-UTF-8 file, by charset-normalizer. Among the equally plausible
    Western code pages it cannot tell apart on short texts, cp1252 (the usual legacy encoding
    of English text) wins."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise CorpusError(
            f"{path}: not valid UTF-8 and its encoding cannot be determined; re-save it as UTF-8"
        )
    least = min(m.chaos for m in matches)
    for m in matches:
        if m.chaos <= least + 0.01 and "cp1252" in (m.encoding, *m.could_be_from_charset):
            return "cp1252"
    return matches[0].encoding


def decode(data: bytes, path: Path) -> str:
    """Decode the bytes of one document file (see :func:`read_text`)."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise CorpusError(
                    f"{path}: starts with a {name} byte-order mark but byte {exc.start + len(bom)}"
                    f" is not valid {name}; re-save the file as UTF-8"
                ) from None
            _check_controls(path, text)
            return text
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    data = data[skip:] if skip else data
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _binary_error(
            path,
            f"NUL byte at byte offset {skip + nul}; a UTF-16 file needs a byte-order mark",
        )
    sample = data[:8192]
    ctrl = len(sample.translate(None, _TEXT_BYTES))
    if sample and ctrl / len(sample) > 0.05:
        raise _binary_error(path, f"{ctrl} control bytes in the first {len(sample)}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    n_bad = len(_SURROGATE.findall(text))
    n_good = len(text) - len(text.encode("ascii", errors="ignore")) - n_bad
    if n_good > 0 and n_bad <= _STRAY_RATIO * n_good:
        text, offsets, how = _repair_stray_bytes(text, skip)
        warnings.warn(
            f"{path}: UTF-8 with {len(offsets)} invalid byte(s) at byte offset(s) "
            f"{_offsets(offsets)}; decoded the rest as UTF-8 and replaced only those bytes: "
            f"{_offsets(how)}. Re-save the file as UTF-8 to silence this warning.",
            DprkbriefWarning,
            stacklevel=4,
        )
        return text
    # byte offsets of the first invalid bytes (only the ones shown: each costs a re-encode)
    offsets = [
        skip + len(text[: m.start()].encode("utf-8", errors="surrogateescape"))
        for m in itertools.islice(_SURROGATE.finditer(text), _SHOWN_OFFSETS)
    ]
    encoding = _detect(path, data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise CorpusError(
            f"{path}: not valid UTF-8 (invalid bytes at byte offset(s) {_offsets(offsets)}) "
            f"and not valid {encoding} either; re-save the file as UTF-8"
        ) from None
    warnings.warn(
        f"{path}: not valid UTF-8 ({n_bad} invalid byte(s), first at byte offset(s) "
        f"{', '.join(map(str, offsets))}); decoded the whole file as {encoding} "
        "(detected by charset-normalizer). Re-save the file as UTF-8 to silence this warning.",
        DprkbriefWarning,
        stacklevel=4,
    )
    return text


def read_text(path: Path) -> str:
    """Decode a document file.

    UTF-8 (BOM accepted) and BOM-marked UTF-16/UTF-32 are read as they are. A UTF-8 file with
    a few invalid bytes keeps its UTF-8 text and only those bytes are replaced; any other file
    is decoded in the encoding charset-normalizer detects. Both warn, naming the file, the
    encoding and the byte offsets. Binary files (a NUL anywhere) and empty files are refused.
    """
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise CorpusError(f"cannot read {path}: it is a directory") from None
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}; check permissions") from None
    text = decode(data, path)
    if not text or text.isspace():
        raise CorpusError(f"{path} is empty (no text); add content or remove the file")
    return text
