"""Infer document metadata from the text: title, date line, genre, authors, speakers.

Only what the text shows is inferred; the catalog supplies (and overrides) the rest. Every
value comes with its provenance: ``stated``, ``inferred: <reason>``, ``curated: …`` or
``missing``.
"""

from __future__ import annotations

import re
from typing import Any

from ..names import byline_names, canonical_name
from ..segment.blocks import PROSE_KINDS, Para, Structure
from ..segment.datelines import (
    DatelineRules,
    StatedDate,
    dateline_day,
    is_spoken,
    stated_dates,
)

_FRONT_KINDS = frozenset({"title", "byline", "metadata", "heading"})
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_WORDS = re.compile(r"\w+")
_EMAIL_NAME = re.compile(r"^([^<@]*?)\s*(?:<[^>]*>)?$")


def infer(
    text: str, paras: list[Para], st: Structure, *, datelines: DatelineRules | None = None
) -> dict[str, Any]:
    """Metadata fields inferred from one document's paragraphs, with ``*_source`` keys;
    ``datelines`` are the compiled date-line rules (default: the shipped
    ``resources/metadata/dateline.toml``)."""
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
    meta["date"], meta["date_updated"] = document_dates(front, datelines)
    meta["date_source"] = "stated" if meta["date"] else "missing"
    meta["dateline_day"] = story_dateline(paras, datelines)
    # the record of a spoken event (transcript, remarks, briefing, interview): its date
    # line is the day the event took place
    meta["spoken"] = bool(speakers_early(paras)) or any(
        is_spoken(line, datelines)
        for p in front[:_MAX_FRONT]
        for line in p.text.splitlines()
        if len(line) <= 100
    )
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
    if len(speakers) >= 2:
        meta["genre"], meta["genre_source"] = "interview", "inferred: speaker labels"
    elif cue_genre:
        meta["genre"] = cue_genre[0]
        meta["genre_source"] = f"stated: front-matter line {cue_genre[1]!r}"
    elif meta["dateline_day"] or _opens_with_dateline(paras, st):
        meta["genre"], meta["genre_source"] = "news", "inferred: dateline"
    elif _section_headings(paras, len(front)) or any(p.kind == "bio" for p in paras):
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


_DATE_KINDS = frozenset({"byline", "metadata", "credit", "heading"})
_MAX_FRONT = 12  # front-matter paragraphs searched for the document's date


def document_dates(
    front: list[Para], rules: DatelineRules | None = None
) -> tuple[str | None, str | None]:
    """(date, date_updated) stated in the front matter, or None for each.

    Searched line by line: date lines (bylines, metadata, the line under the headline, a
    short line that is little more than a date), labelled dates anywhere in the front
    ("Published: ...", "For Immediate Release ...", "This interview was conducted on ...";
    in the title line only these), and the opening words of prose lines (news datelines
    "WASHINGTON, March 3, 2021 -"). The earliest publication date wins; the latest date
    stated after it (an "Updated ..." line, a second date line) is ``date_updated``.
    """
    lines: list[tuple[StatedDate, bool]] = []  # (date, from a date line rather than prose)
    for p in front[:_MAX_FRONT]:
        for line in p.text.splitlines():
            found = stated_dates(line, rules)
            if not found:
                continue
            if p.kind == "title":
                lines += [(d, True) for d in found if d.labelled]
            elif p.kind in _DATE_KINDS:
                lines += [(d, True) for d in found]
            else:  # a labelled date, a short date line, or a news dateline opening a line
                short = len(line) <= 100
                lines += [
                    (d, short) for d in found if d.labelled or (short and _date_line(line, d))
                ]
                lines += [(d, False) for d in found[:1] if not d.labelled and is_dateline(line, d)]
    if not lines:
        return None, None
    key = _date_key
    first = ("published", "held")
    published = [d for d, _ in lines if d.role in first and d.labelled]
    if not published:
        published = [d for d, line in lines if d.role in first and line]
    if not published:
        published = [d for d, _ in lines if d.role in first] or [d for d, _ in lines]
    date = min(published, key=key).iso
    later = [d for d, line in lines if (line or d.labelled) and key(d) > key_iso(date)]
    updated = max(later, key=key).iso if later else None
    return date, updated


def _date_line(line: str, d: StatedDate) -> bool:
    """A line that is little more than the date ("By Jane Roe, March 3, 2019 at 10:15")."""
    rest = re.findall(r"[A-Za-z]{2,}", line[: d.start] + " " + line[d.end :])
    return len(rest) <= 6


def speakers_early(paras: list[Para]) -> bool:
    """True if speaker turns start within the first paragraphs (a transcript)."""
    return any(p.speaker for p in paras[: 2 * _MAX_FRONT])


def story_dateline(paras: list[Para], rules: DatelineRules | None = None) -> tuple[int, int] | None:
    """(month, day) of a year-less news dateline opening one of the first prose paragraphs
    ("GENEVA, Oct. 21 -- ..."): the day the story was filed."""
    prose = [p for p in paras[: 2 * _MAX_FRONT] if p.kind in PROSE_KINDS][:5]
    for p in prose:
        md = dateline_day(p.text, rules)
        if md:
            return md
    return None


_PLACE = re.compile(
    r"(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*\s*(?:\([^)]*\))?\s*[,\u2014\u2013-]\s*)*"
)
_AFTER_DATE = re.compile(
    r"[^\w]{0,3}(?:\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\s*)?[(\u2014\u2013:-]"
)


def is_dateline(text: str, d: StatedDate) -> bool:
    """A news dateline: only place names before the date ("WASHINGTON, ", "SEOUL (Reuters) -
    ") and a dash or bracket after it, or a labelled date."""
    if d.labelled:
        return True
    prefix = text[: d.start]
    if prefix and not re.search(r"[,\u2014\u2013-]\s*$", prefix):
        return False
    return bool(_PLACE.fullmatch(prefix)) and bool(_AFTER_DATE.match(text, d.end))


def _date_key(d: StatedDate) -> str:
    return key_iso(d.iso)


def key_iso(iso: str) -> str:
    """A sort key for ISO dates of any precision (a month sorts as its first day)."""
    return (iso + "-01-01")[:10] if len(iso) == 4 else (iso + "-01")[:10]


def inferred_date(text: str) -> str | None:
    """The latest explicit date the text states (year written out, no ``before``/``after``
    modifier), for ``infer_dates=True``: a stand-in document date, never used silently."""
    from ..temporal.tagger import tag_dates_records

    best: str | None = None
    for r in tag_dates_records(text):
        value = r.get("value")
        if r.get("type", "DATE") != "DATE" or not isinstance(value, str) or r.get("mod"):
            continue
        if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
            continue
        if value[:4] not in str(r.get("text", "")):
            continue  # the year must be written in the expression
        if best is None or key_iso(value) > key_iso(best):
            best = value
    return best


def _opens_with_dateline(paras: list[Para], st: Structure) -> bool:
    """One of the first prose paragraphs opens with a news dateline or wire tag ("SEOUL,
    Dec. 26 (Reuters) —", "(CNN) —"): a page's boilerplate line may come before the story."""
    prose = [p for p in paras[: 2 * _MAX_FRONT] if p.kind == "body"][:3]
    return any(st.match("dateline", p.text) for p in prose)


def _section_headings(paras: list[Para], n_front: int) -> bool:
    """Headings that divide a body into sections, the mark of an analysis: a heading after
    the front matter (title block, date line, bylines) that prose follows. A line in the
    front matter ("Published: 29 Jul. 2025", "Article image") or a heading that ends the
    text (a truncated last line) heads no section."""
    body = paras[n_front:]
    return any(
        p.kind == "heading" and any(q.kind in PROSE_KINDS for q in body[i + 1 :])
        for i, p in enumerate(body)
    )


def _reporting_density(text: str) -> float:
    sents = max(1, text.count(". "))
    said = len(re.findall(r"\b(said|says|told|according to)\b", text))
    return said / sents
