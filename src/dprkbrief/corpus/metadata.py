"""Infer document metadata from the text: title, date line, genre, authors, speakers.

Only what the text shows is inferred; the catalog supplies (and overrides) the rest. Every
value comes with its provenance: ``stated``, ``inferred: <reason>``, ``curated: …`` or
``missing``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from ..resources import load_toml, resource_path
from ..segment.blocks import PROSE_KINDS, Para, Structure

_FRONT_KINDS = frozenset({"title", "byline", "metadata", "heading"})
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_WORDS = re.compile(r"\w+")
_NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


@lru_cache(maxsize=1)
def _dateline() -> tuple[dict[str, int], list[re.Pattern[str]]]:
    data = load_toml(resource_path("metadata", "dateline.toml"))
    return dict(data["months"]), [re.compile(p["regex"]) for p in data["pattern"]]


def find_date(line: str) -> str | None:
    """An ISO date (YYYY[-MM[-DD]]) stated in a front-matter line, or None."""
    months, patterns = _dateline()
    for pat in patterns:
        m = pat.search(line.strip())
        if not m:
            continue
        g = m.groupdict()
        year = int(g["year"])
        month = g.get("month")
        if month is not None:
            month = int(month) if month.isdigit() else months.get(month.lower().rstrip("."))
            if month is None:
                continue
        day = int(g["day"]) if g.get("day") else None
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            continue
        if day:
            return f"{year:04d}-{month:02d}-{day:02d}"
        if month:
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    return None


def _clean_name(name: str) -> str:
    parts = []
    for tok in name.split():
        if len(tok) > 2 and tok.isupper() and tok.isalpha():
            tok = tok.capitalize()
        parts.append(tok)
    return " ".join(parts)


def infer(text: str, paras: list[Para], st: Structure) -> dict[str, Any]:
    """Metadata fields inferred from one document's paragraphs, with ``*_source`` keys."""
    meta: dict[str, Any] = {}
    # title
    title = next((p.text for p in paras if p.kind == "title"), None)
    if title:
        meta["title"] = title.lstrip("#").strip()
        meta["title_source"] = "stated"
    else:
        first = next((p.text for p in paras if p.kind in PROSE_KINDS), text.strip())
        words = first.split()
        meta["title"] = " ".join(words[:10]) + (" …" if len(words) > 10 else "")
        meta["title_source"] = "inferred: first words (no title line)"
    # date line in the front matter (before the first long prose paragraph)
    front: list[Para] = []
    for p in paras:
        if p.kind in PROSE_KINDS and len(p.text) > 200:
            front.append(p)  # a news dateline opens the first paragraph
            break
        front.append(p)
    meta["date"] = None
    for p in front:
        line = p.text if p.kind != "body" else p.text[:80]
        iso = find_date(line)
        if iso:
            meta["date"] = iso
            break
    meta["date_source"] = "stated" if meta["date"] else "missing"
    # speakers and genre
    speakers = list(dict.fromkeys(p.speaker for p in paras if p.speaker))
    meta["speakers"] = speakers
    meta["interviewer"] = next((p.notes.get("interviewer") for p in paras), None)
    front_lines = [p.text.lstrip("•·-* ").strip() for p in front if p.kind != "body"]
    cue_genre = None
    for line in front_lines:
        for genre, pats in st.genre_cues.items():
            if any(pat.search(line) for pat in pats):
                cue_genre = cue_genre or (genre, line)
    first_body = next((p for p in paras if p.kind == "body"), None)
    if len(speakers) >= 2:
        meta["genre"], meta["genre_source"] = "interview", "inferred: speaker labels"
    elif cue_genre:
        meta["genre"] = cue_genre[0]
        meta["genre_source"] = f"stated: front-matter line {cue_genre[1]!r}"
    elif first_body is not None and st.match("dateline", first_body.text):
        meta["genre"], meta["genre_source"] = "news", "inferred: dateline"
    elif any(p.kind == "heading" for p in paras) or any(p.kind == "bio" for p in paras):
        meta["genre"], meta["genre_source"] = "analysis", "inferred: headings or author bios"
    elif _reporting_density(text) >= 0.25:
        meta["genre"], meta["genre_source"] = "news", "inferred: reported speech"
    else:
        meta["genre"], meta["genre_source"] = "other", "inferred: no genre cue"
    # authors: bylines, else end-of-article bios (not in interviews: bios there are of guests)
    authors: list[str] = []
    source = "missing"
    for p in front:
        m = st.match("byline", p.text.lstrip("•·-* "))
        if m and m.groupdict().get("names"):
            authors = [_clean_name(n) for n in _NAME_SPLIT.split(m.group("names")) if n]
            source = "stated"
            break
    if not authors and meta["genre"] != "interview":
        authors = [_clean_name(p.notes["bio_name"]) for p in paras if p.kind == "bio"]
        source = "inferred: end-of-article bios" if authors else "missing"
    meta["authors"], meta["authors_source"] = authors, source
    # publisher: only from a contact address in the trailer (the catalog can do better)
    meta["publisher"], meta["publisher_source"] = None, "missing"
    for p in reversed(paras):
        if p.kind in ("boilerplate", "credit"):
            m = _EMAIL.search(p.text)
            if m:
                meta["publisher"] = m.group(1)
                meta["publisher_source"] = "inferred: contact e-mail domain in the trailer"
                break
    meta["n_chars"] = len(text)
    meta["n_words"] = len(_WORDS.findall(text))
    return meta


def _reporting_density(text: str) -> float:
    sents = max(1, text.count(". "))
    said = len(re.findall(r"\b(said|says|told|according to)\b", text))
    return said / sents
