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


ANCHORED = ("quotes", "events", "stance", "forecasts", "non_forecasts")


class _Shifts:
    """Old-offset -> new-offset map built from the anchors found in the new text.

    Between two verified anchors whose shifts agree, every offset moves by that shift; where
    they differ, an edit lies somewhere between them and an offset there is ambiguous (both
    shifts are returned as candidates). The document start (shift 0) and end (the length
    difference) act as anchors too.
    """

    def __init__(self, points: list[tuple[int, int, int]]):
        self.points = sorted(points)  # (old start, old end, shift)
        self.starts = [p[0] for p in self.points]

    def candidates(self, old: int) -> set[int]:
        i = bisect.bisect_right(self.starts, old) - 1
        if i < 0:
            return {self.points[0][2]}
        start, end, shift = self.points[i]
        if old < end or i + 1 == len(self.points):
            return {shift}
        return {shift, self.points[i + 1][2]}

    def spans(self, span: list[int]) -> list[list[int]]:
        """Every new position the span may have (one when the map is unambiguous there)."""
        a, b = span
        return sorted({(a + x, b + y) for x in self.candidates(a) for y in self.candidates(b - 1)})


def realign(doc: dict[str, Any], text: str) -> dict[str, Any] | None:
    """Return a copy of ``doc`` with every span moved to match ``text``, or None.

    Every anchored item (quote, event, stance cell, forecast, non-forecast, a person's first
    mention) is located by its anchor near its old offset plus the drift seen so far; the
    anchors found give an old->new offset map. Other spans move by that map; where an edit
    lies between two anchors, a person's mention is resolved by requiring its new text to be
    one of that person's known mention texts and a cue by its recorded cue word. Returns None
    (the caller skips the document) when an anchor is missing or any span stays ambiguous.
    """
    out = copy.deepcopy(doc)
    items: list[tuple[int, str, dict[str, Any]]] = []  # (old start, anchor, owner)
    for key in ANCHORED:
        for it in out.get(key) or []:
            items.append((it["start"], it["anchor"], it))
    for p in out.get("people", []):
        if p.get("mentions"):
            items.append((min(m[0] for m in p["mentions"]), p["anchor"], p))
    items.sort(key=lambda it: it[0])
    old_n = int(doc.get("n_chars", len(text)))
    points = [(0, 0, 0), (old_n, old_n, len(text) - old_n)]
    drift = 0
    for old, anchor, _owner in items:
        new = _find_near(text, anchor, old + drift)
        if new is None:
            return None
        drift = new - old
        points.append((old, old + len(anchor), drift))
    # Mentions and cues whose new text is verified (a known name, the recorded cue word) are
    # fixed points too: adding them narrows the gaps where an edit may lie.
    for _ in range(3):
        shifts = _Shifts(points)
        more = set()
        for p in out.get("people", []):
            known = {p["anchor"]}
            for m in p.get("mentions") or []:
                cands = [c for c in shifts.spans(m) if 0 <= c[0] < c[1] <= len(text)]
                if len(cands) == 1:
                    known.add(text[cands[0][0] : cands[0][1]])
            for m in p.get("mentions") or []:
                ok = [c for c in shifts.spans(m) if text[c[0] : c[1]] in known]
                if len(ok) == 1:
                    more.add((m[0], m[1], ok[0][0] - m[0]))
        for q in out.get("quotes", []):
            span, cue = q.get("cue_span"), q.get("cue")
            if span is not None and cue:
                ok = [c for c in shifts.spans(span) if text[c[0] : c[1]] == cue]
                if len(ok) == 1:
                    more.add((span[0], span[1], ok[0][0] - span[0]))
        if more <= set(points):
            break
        points = sorted(set(points) | more)
    shifts = _Shifts(points)

    def fits(span: list[int]) -> bool:
        return 0 <= span[0] < span[1] <= len(text)

    def one(span: list[int], ok=lambda s: True) -> list[int] | None:
        cands = [list(c) for c in shifts.spans(span) if fits(list(c)) and ok(list(c))]
        return cands[0] if len(cands) == 1 else None

    for p in out.get("people", []):
        mentions = p.get("mentions") or []
        moved = []
        for m in mentions:
            cands = [list(c) for c in shifts.spans(m) if fits(list(c))]
            moved.append(cands[0] if len(cands) == 1 else None)
        known = {p["anchor"]} | {text[m[0] : m[1]] for m in moved if m}
        for i, m in enumerate(mentions):
            if moved[i] is None:
                moved[i] = one(m, lambda c, known=known: text[c[0] : c[1]] in known)
                if moved[i] is None:
                    return None
        p["mentions"] = moved
    mention_sets = {p["name"]: p["mentions"] for p in out.get("people", [])}
    for key in ANCHORED:
        for it in out.get(key) or []:
            span = one(
                [it["start"], it["end"]],
                lambda c, it=it: text[c[0] : c[1]].startswith(it["anchor"]),
            )
            if span is None:
                return None
            it["start"], it["end"] = span
    for q in out.get("quotes", []):
        if q.get("cue_span") is not None:
            cue = q.get("cue") or ""
            q["cue_span"] = one(q["cue_span"], lambda c, cue=cue: text[c[0] : c[1]] == cue)
            if q["cue_span"] is None:
                return None
        if q.get("source_span") is not None:
            ments = mention_sets.get(q.get("source"), [])
            q["source_span"] = one(q["source_span"], lambda c, ments=ments: c in ments)
            if q["source_span"] is None:
                return None
    for e in out.get("events", []):
        if e.get("date_span") is not None:
            e["date_span"] = one(e["date_span"])
            if e["date_span"] is None:
                return None
    out["sha256"] = sha256_text(text)
    out["n_chars"] = len(text)
    out["realigned"] = True
    return out


def iter_spans(doc: dict[str, Any]):
    """Every [start, end] span of an annotation (mentions, quotes, cues, events, dates, stance)."""
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
    for key in ("stance", "forecasts", "non_forecasts"):
        for it in doc.get(key) or []:
            yield [it["start"], it["end"]]


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
