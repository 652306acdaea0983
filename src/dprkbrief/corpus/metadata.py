"""Infer document metadata from the text: title, date line, genre, authors, speakers.

Only what the text shows is inferred; the catalog supplies (and overrides) the rest. Every
value comes with its provenance: ``stated``, ``inferred: <reason>``, ``curated: …`` or
``missing``.
"""

from __future__ import annotations

import re
from typing import Any

from ..segment.blocks import PROSE_KINDS, Para, Structure, byline_names, canonical_name
from ..segment.datelines import find_date

_FRONT_KINDS = frozenset({"title", "byline", "metadata", "heading"})
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_WORDS = re.compile(r"\w+")
_EMAIL_NAME = re.compile(r"^([^<@]*?)\s*(?:<[^>]*>)?$")


def infer(text: str, paras: list[Para], st: Structure) -> dict[str, Any]:
    """Metadata fields inferred from one document's paragraphs, with ``*_source`` keys."""
    meta: dict[str, Any] = {}
    # title
    title = next((p.text for p in paras if p.kind == "title"), None)
    subject = next((p.notes["email_subject"] for p in paras if "email_subject" in p.notes), None)
    if subject:
        meta["title"], meta["title_source"] = subject, "stated: e-mail Subject line"
    elif title:
        meta["title"] = title.lstrip("#").strip()
        meta["title_source"] = "stated"
    else:
        first = next((p.text for p in paras if p.kind in PROSE_KINDS), None)
        if first is None:  # no prose: the first words of the text (without copying it all)
            lead = re.search(r"\S", text)
            first = text[lead.start() : lead.start() + 2000] if lead else ""
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
        short = p.kind != "body" or len(p.text) <= 200
        line = p.text if short else p.text[:80]
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
    # authors: bylines, else an e-mail's From line, else end-of-article bios (not in
    # interviews: bios there are of guests)
    authors: list[str] = []
    source = "missing"
    for p in front:
        if p.kind == "byline":
            names = byline_names(st, p.text.lstrip("•·-* "))
            if names:
                authors, source = names, "stated"
                break
    email_from = next((p.notes["email_from"] for p in paras if "email_from" in p.notes), None)
    if not authors and email_from:
        name = _EMAIL_NAME.match(email_from)
        if name and name.group(1).strip():
            authors, source = (
                [canonical_name(name.group(1).strip(' "'))],
                "stated: e-mail From line",
            )
    if not authors and meta["genre"] != "interview":
        authors = [canonical_name(p.notes["bio_name"]) for p in paras if p.kind == "bio"]
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
    meta["n_words"] = sum(1 for _ in _WORDS.finditer(text))  # no list of every word
    return meta


def _reporting_density(text: str) -> float:
    sents = max(1, text.count(". "))
    said = len(re.findall(r"\b(said|says|told|according to)\b", text))
    return said / sents
