"""Load the real-document evaluation set: committed annotations + git-ignored page texts.

The texts (public web pages without a licence) live only in a git-ignored folder,
``$DPRKBRIEF_REALDOCS`` if set, else ``<repo root>/.cache/realdocs``; the annotations
(offsets, short anchors) are the JSON files beside this module. See README.md here.

When a rebuilt text's sha256 differs from the annotated one (the page was re-fetched and
changed slightly), every span is re-aligned from the anchors the annotations carry; a
document whose anchors cannot all be found is skipped with a printed note, never scored on
wrong offsets.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import json
import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ENV = "DPRKBRIEF_REALDOCS"


def realdocs_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the ``<doc_id>.txt`` texts (argument, env variable, repo default)."""
    if folder is not None:
        return Path(folder)
    env = os.environ.get(ENV)
    return Path(env) if env else ROOT / ".cache" / "realdocs"


def sha256_text(text: str) -> str:
    """Hex sha256 of the UTF-8 bytes of ``text`` (what the annotations record)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(path: Path) -> str:
    """Read a text file exactly as annotated (UTF-8, no newline translation)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _find_near(text: str, anchor: str, guess: int) -> int | None:
    """Start of the occurrence of ``anchor`` in ``text`` closest to ``guess``, or None."""
    best = None
    pos = text.find(anchor)
    while pos != -1:
        if best is None or abs(pos - guess) < abs(best - guess):
            best = pos
        pos = text.find(anchor, pos + 1)
    return best


def realign(doc: dict[str, Any], text: str) -> dict[str, Any] | None:
    """Return a copy of ``doc`` with every span moved to match ``text``, or None.

    Each anchored item (a quote, an event, a person's first mention) is located by its anchor
    near its old offset (shifted by the drift seen so far); its span moves by the same amount,
    and so do the spans attached to it (source, cue and date spans). A person's other mentions
    move by the shift of the nearest anchored item before them. Returns None when an anchor is
    missing from ``text`` or a moved span no longer fits.
    """
    out = copy.deepcopy(doc)
    items: list[tuple[int, str, dict[str, Any]]] = []  # (old start, anchor, owner)
    for q in out.get("quotes", []):
        items.append((q["start"], q["anchor"], q))
    for e in out.get("events", []):
        items.append((e["start"], e["anchor"], e))
    for p in out.get("people", []):
        if p.get("mentions"):
            items.append((min(m[0] for m in p["mentions"]), p["anchor"], p))
    items.sort(key=lambda it: it[0])
    shifts: list[tuple[int, int]] = []  # (old start, shift), sorted by old start
    drift = 0
    for old, anchor, _owner in items:
        new = _find_near(text, anchor, old + drift)
        if new is None:
            return None
        drift = new - old
        shifts.append((old, drift))
    keys = [s[0] for s in shifts]

    def shift_at(old: int) -> int:
        i = bisect.bisect_right(keys, old) - 1
        return shifts[max(i, 0)][1] if shifts else 0

    def move(span: list[int] | None, by: int) -> list[int] | None:
        return None if span is None else [span[0] + by, span[1] + by]

    for q in out.get("quotes", []):
        by = shift_at(q["start"])
        q["start"], q["end"] = q["start"] + by, q["end"] + by
        for key in ("source_span", "cue_span"):
            span = q.get(key)
            q[key] = None if span is None else move(span, shift_at(span[0]))
    for e in out.get("events", []):
        by = shift_at(e["start"])
        e["start"], e["end"] = e["start"] + by, e["end"] + by
        e["date_span"] = move(e.get("date_span"), by)
    for p in out.get("people", []):
        p["mentions"] = [move(m, shift_at(m[0])) for m in p.get("mentions", [])]
    for span in iter_spans(out):
        if not (0 <= span[0] < span[1] <= len(text)):
            return None
    for q in out.get("quotes", []):
        if not text[q["start"] : q["end"]].startswith(q["anchor"]):
            return None
    for e in out.get("events", []):
        if not text[e["start"] : e["end"]].startswith(e["anchor"]):
            return None
    out["sha256"] = sha256_text(text)
    out["n_chars"] = len(text)
    out["realigned"] = True
    return out


def iter_spans(doc: dict[str, Any]):
    """Every [start, end] span of an annotation (mentions, quotes, cues, events, dates)."""
    for p in doc.get("people", []):
        yield from p.get("mentions", [])
    for q in doc.get("quotes", []):
        yield [q["start"], q["end"]]
        for key in ("source_span", "cue_span"):
            if q.get(key) is not None:
                yield q[key]
    for e in doc.get("events", []):
        yield [e["start"], e["end"]]
        if e.get("date_span") is not None:
            yield e["date_span"]


def load_realdocs(
    folder: str | os.PathLike[str] | None = None,
    *,
    annotations: str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Annotated documents whose text is available: each annotation dict plus key ``"text"``.

    ``folder`` holds the texts (default: :func:`realdocs_folder`); ``annotations`` the JSON
    files (default: this module's folder). An absent text folder gives ``[]``; a missing text
    or one that cannot be re-aligned is skipped with a printed note.
    """
    texts = realdocs_folder(folder)
    ann_dir = Path(annotations) if annotations is not None else HERE
    if not texts.is_dir():
        return []
    docs = []
    for path in sorted(ann_dir.glob("rd*.json")):
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        txt = texts / f"{doc['doc_id']}.txt"
        if not txt.is_file():
            print(f"realdocs: skipping {doc['doc_id']}: no text at {txt} (see README to rebuild)")
            continue
        text = read_text(txt)
        if sha256_text(text) != doc["sha256"]:
            moved = realign(doc, text)
            if moved is None:
                print(
                    f"realdocs: skipping {doc['doc_id']}: text differs from the annotated one "
                    "and the anchors cannot be re-found"
                )
                continue
            print(f"realdocs: {doc['doc_id']}: text differs; spans re-aligned from anchors")
            doc = moved
        doc["text"] = text
        docs.append(doc)
    return docs


def realdocs_corpus(docs: list[dict[str, Any]]):
    """A dprkbrief Corpus of the loaded documents.

    The annotated publication date is passed as metadata ``date`` only when the text itself
    does not state it (``published_stated`` false), so date inference is still tested on the
    documents that state their date.
    """
    import dprkbrief

    texts = {d["doc_id"]: d["text"] for d in docs}
    metadata = {}
    for d in docs:
        src = d.get("source", {})
        if src.get("published") and not src.get("published_stated"):
            metadata[d["doc_id"]] = {"date": src["published"]}
    return dprkbrief.corpus_from_texts(texts, metadata=metadata)
