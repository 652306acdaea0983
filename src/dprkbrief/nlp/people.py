"""People per document, from the parse, the segmentation and data; and their merge.

``people_records(document, resources)`` lists every person, anonymous source and cited
institution of one document, each with its mentions (character spans into ``document.text``):

* persons: spaCy PERSON entities, repaired and completed by the gazetteer of key actors
  (``resources/people/gazetteer.toml``: "Moon Jae" + "-in", spellings unified), interview
  and transcript speaker labels (``DAVID GREENE, HOST:``), bylines; titles and roles from the
  words before the name ("Defense Secretary Lloyd Austin") and appositions ("Jane Roe, a
  senior fellow at X"); surname-only mentions resolved to the full name in the document;
* anonymous sources ("a senior U.S. official said", "experts said") and institutions
  ("South Korea's Unification Ministry said", "according to KCNA") from the subjects of
  speech verbs and "according to" (cues are data in ``resources/people/sources.toml``).

``merge_people(records)`` unifies persons and institutions across documents by name key
(titles, case, hyphens and spaces ignored); anonymous sources stay per document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RuleFileError
from ..names import (
    Titles,
    canonical_name,
    name_key,
    possible_short_forms,
    split_title,
)
from ..resources import load_toml, resource_path

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..resources.bundle import Resources

KINDS = ("person", "anonymous", "institution")
RECORD_KEYS = (
    "doc_id",
    "name",
    "kind",
    "anonymous",
    "institution",
    "title",
    "affiliation",
    "aliases",
    "mentions",
    "how",
    "start",
    "end",
    "quote",
)
_HYPH = "‐‑-"  # hyphen last: literal inside a character class
_CAP = re.compile(r"^[A-Z]")


# ------------------------------------------------------------------ data files


@dataclass(frozen=True)
class Gazetteer:
    """Key actors: canonical names, aliases, one-word forms, roles with years."""

    entries: tuple[dict[str, Any], ...]
    by_key: dict[str, int]  # name_key of name or alias -> entry index
    by_short: dict[str, tuple[int, ...]]  # lower one-word form -> entry indexes
    pattern: re.Pattern[str] | None  # finds any name or alias in a text
    default_country: str | None = None

    def lookup(self, name: str) -> dict[str, Any] | None:
        i = self.by_key.get(name_key(name))
        return None if i is None else self.entries[i]

    def complete(self, name: str) -> dict[str, Any] | None:
        """The one entry whose name or alias starts with all the words of ``name`` ("Moon
        Jae" -> Moon Jae-in); None when no entry or several do."""
        words = [name_key(w) for w in re.split(rf"[\s{_HYPH}]+", name) if w]
        if len(words) < 2:
            return None
        found = set()
        for key, i in self.by_key.items():
            if key.startswith("".join(words)) and key != "".join(words):
                found.add(i)
        return self.entries[found.pop()] if len(found) == 1 else None


@lru_cache(maxsize=8)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """Load ``gazetteer.toml`` (the packaged file when ``path`` is None)."""
    p = Path(path) if path else resource_path("people", "gazetteer.toml")
    data = load_toml(p)
    entries = []
    by_key: dict[str, int] = {}
    by_short: dict[str, list[int]] = {}
    forms: list[str] = []
    for i, e in enumerate(data.get("person", [])):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str):
            raise RuleFileError(f"{p}: [[person]] entry {i + 1} has no 'name'; add one")
        e = dict(e)
        e.setdefault("aliases", [])
        e.setdefault("kind", "person")
        if e["kind"] not in ("person", "institution"):
            raise RuleFileError(
                f"{p}: {e['name']!r}: kind {e['kind']!r}; use 'person' or 'institution'"
            )
        entries.append(e)
        for form in [e["name"], *e["aliases"]]:
            by_key.setdefault(name_key(form), i)
            forms.append(form)
        for s in e.get("short", []):
            by_short.setdefault(s.lower(), []).append(i)
    pattern = None
    if forms:
        alts = sorted({_flex(f) for f in forms}, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)
    return Gazetteer(
        entries=tuple(entries),
        by_key=by_key,
        by_short={k: tuple(v) for k, v in by_short.items()},
        pattern=pattern,
        default_country=data.get("default_country"),
    )


def _flex(form: str) -> str:
    """Regex for a name written with spaces or hyphens between its parts."""
    parts = [re.escape(x) for x in re.split(rf"[\s{_HYPH}]+", form.strip()) if x]
    return rf"[\s{_HYPH}]+".join(parts)


@dataclass(frozen=True)
class SourceCues:
    """Compiled ``sources.toml``."""

    speech_lemmas: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]
    anonymous_nouns: frozenset[str]
    any_verb_nouns: frozenset[str]
    institution_nouns: frozenset[str]
    anonymous_labels: frozenset[str]
    not_sources: frozenset[str]
    not_persons: frozenset[str]
    org_words: frozenset[str]


@lru_cache(maxsize=8)
def load_sources(path: str | None = None) -> SourceCues:
    """Load ``sources.toml`` (the packaged file when ``path`` is None)."""
    p = Path(path) if path else resource_path("people", "sources.toml")
    d = load_toml(p)
    low = lambda key: frozenset(x.lower() for x in d.get(key, []))  # noqa: E731
    return SourceCues(
        speech_lemmas=low("speech_lemmas"),
        according_to=tuple(tuple(x.lower().split()) for x in d.get("according_to", [])),
        anonymous_nouns=low("anonymous_nouns"),
        any_verb_nouns=low("any_verb_nouns"),
        institution_nouns=low("institution_nouns"),
        anonymous_labels=frozenset(name_key(x) for x in d.get("anonymous_labels", [])),
        not_sources=low("not_sources"),
        not_persons=low("not_persons"),
        org_words=low("org_words"),
    )


# ------------------------------------------------------------------ per document


@dataclass
class _Entity:
    name: str
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    title: str | None = None
    affiliation: str | None = None
    how: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)

    def add(self, start: int, end: int, surface: str, how: str) -> None:
        if (start, end) not in self.mentions:
            self.mentions.append((start, end))
        self.aliases.add(surface)
        self.how.add(how)


class _DocPeople:
    """Entities of one document while they are being collected."""

    def __init__(self, text: str, titles: Titles, gaz: Gazetteer) -> None:
        self.text = text
        self.titles = titles
        self.gaz = gaz
        self.entities: dict[str, _Entity] = {}
        self.taken: list[tuple[int, int]] = []
        self.pending_labels: list[tuple[str, int, int, str | None]] = []
        self.title_mentions: list[tuple[int, int, str]] = []
        self.not_persons: frozenset[str] = frozenset()
        self.org_words: frozenset[str] = frozenset()
        self.excluded: list[tuple[int, int]] = []  # site furniture: no people there
        self.anonymous_labels: frozenset[str] = frozenset()

    def overlaps(self, s: int, e: int) -> bool:
        return any(s < b and a < e for a, b in self.taken)

    def entity(self, name: str, kind: str) -> _Entity:
        key = f"{kind}:{name_key(name) if kind != 'anonymous' else name.casefold()}"
        ent = self.entities.get(key)
        if ent is None:
            ent = self.entities[key] = _Entity(name=name, kind=kind)
        return ent

    def add_person(self, name: str, s: int, e: int, how: str, title: str | None = None) -> None:
        gz = self.gaz.lookup(name)
        kind = gz.get("kind", "person") if gz else "person"
        canonical = gz["name"] if gz else name
        ent = self.entity(canonical, kind)
        ent.add(s, e, self.text[s:e], how)
        if gz:
            ent.how.add("gazetteer")
        if title and not ent.title:
            ent.title = title
        self.taken.append((s, e))


def _repair_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Extend a name span over a cut hyphenated part ("Moon Jae" + "-in")."""
    m = re.match(rf"[{_HYPH}][A-Za-z]+", text[e : e + 12])
    if m:
        e += m.end()
    while e > s and text[e - 1] in ".,;:":
        e -= 1
    return s, e


def _strip_possessive(text: str, s: int, e: int) -> tuple[int, int]:
    for suffix in ("'s", "’s", "'", "’"):
        if text[s:e].endswith(suffix) and e - len(suffix) > s:
            return s, e - len(suffix)
    return s, e


def people_records(document: Any, resources: Resources | None = None) -> list[dict[str, Any]]:
    """Persons, anonymous sources and institutions of one document (see module doc).

    Each record: ``doc_id, name, kind (person|anonymous|institution)``, the flags
    ``anonymous`` and ``institution`` (the same as the kind), ``title, affiliation,
    aliases`` (written forms), ``mentions`` (list of (start, end)), ``how`` (sorted cues:
    ner, gazetteer, label, byline, title, dateline, surname, source), and the first mention
    as evidence ``start, end, quote``. ``document`` is a Document or a str.
    """
    from ..resources.bundle import default_resources
    from .parsing import parse

    res = resources or default_resources()
    text = document if isinstance(document, str) else document.text
    doc_id = getattr(document, "doc_id", None)
    titles: Titles = res.load_rules("titles")
    gaz: Gazetteer = res.load_rules("gazetteer")
    cues: SourceCues = res.load_rules("sources")
    doc = parse(document, res)
    dp = _DocPeople(text, titles, gaz)
    dp.not_persons = cues.not_persons
    dp.org_words = cues.org_words
    dp.anonymous_labels = cues.anonymous_labels
    _labels_and_bylines(document, text, res, dp, cues)
    _dateline_agency(text, dp)
    _gazetteer_mentions(text, dp)
    _titled_names(doc, dp)
    _ner_persons(doc, dp)
    for word, s, e, title in dp.pending_labels:
        _single(dp, word, s, e, "label", title)
    _titles_and_appositions(doc, dp)
    _surnames(doc, dp)
    _line_labels(text, dp)
    _title_only(text, dp, _doc_year(document))
    _sources(doc, dp, cues)
    out = []
    for ent in dp.entities.values():
        ent.mentions = [
            (a, b) for a, b in ent.mentions if not any(x <= a and b <= y for x, y in dp.excluded)
        ]
        if not ent.mentions:
            continue
        ent.mentions.sort()
        s, e = ent.mentions[0]
        out.append(
            {
                "doc_id": doc_id,
                "name": ent.name,
                "kind": ent.kind,
                "anonymous": ent.kind == "anonymous",
                "institution": ent.kind == "institution",
                "title": ent.title,
                "affiliation": ent.affiliation,
                "aliases": sorted(ent.aliases),
                "mentions": ent.mentions,
                "how": sorted(ent.how),
                "start": s,
                "end": e,
                "quote": text[s:e],
            }
        )
    out.sort(key=lambda r: r["start"])
    return out


_FURNITURE = frozenset({"boilerplate", "metadata", "separator", "signature"})


def _labels_and_bylines(
    document: Any, text: str, res: Resources, dp: _DocPeople, cues: SourceCues
) -> None:
    from ..names import byline_names

    paras = getattr(document, "paragraphs", None)
    if paras is None:
        from ..segment.blocks import parse_paragraphs

        paras = parse_paragraphs(text, res.load_rules("structure"))
    st = res.load_rules("structure")
    pending: list[tuple[str, int, int, str | None]] = []  # one-word labels, resolved last
    dp.excluded = [(p.start, p.end) for p in paras if p.kind in _FURNITURE]
    for p in paras:
        if p.speaker and p.label_end is not None:
            ls, le = p.notes.get("label_span", (p.start, p.label_end))
            label = text[ls:le]
            role = p.notes.get("speaker_role")
            if name_key(label) in cues.anonymous_labels:
                ent = dp.entity(canonical_name(label), "anonymous")
                ent.add(ls, le, label, "label")
                continue
            title, bare = split_title(canonical_name(label), dp.titles)
            if not bare:
                continue
            if _role_tokens(bare, dp.titles) is not None:
                dp.title_mentions.append((ls, le, bare))  # "THE PRESIDENT:"
                continue
            bs = le - len(bare)
            role_text = canonical_name(role).title() if role and role.isupper() else role
            if len(bare.split()) >= 2:
                dp.add_person(bare, bs, le, "label", title=role_text or title or None)
            else:
                pending.append((bare, bs, le, role_text or title or None))
        elif p.kind == "byline":
            for name in byline_names(st, p.text.lstrip("•·-* ")):
                pos = p.text.find(name)
                if pos < 0:
                    low = p.text.lower().find(name.lower())
                    pos = low
                if pos >= 0:
                    dp.add_person(name, p.start + pos, p.start + pos + len(name), "byline")
    dp.pending_labels = pending


_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’\-]{2,40}(?:,[^()\n]{1,30})?\s*\((?P<agency>[A-Za-z][\w .&\-]{0,30})\)\s*[—–-]",
    re.MULTILINE,
)


def _dateline_agency(text: str, dp: _DocPeople) -> None:
    """The news agency of a dateline ("SINGAPORE (AP) — ...") is a cited institution."""
    m = _DATELINE.search(text[:3000])
    if m is None:
        return
    s, e = m.span("agency")
    gz = dp.gaz.lookup(m.group("agency"))
    ent = dp.entity(gz["name"] if gz else m.group("agency"), "institution")
    ent.add(s, e, m.group("agency"), "dateline")
    dp.taken.append((s, e))


def _gazetteer_mentions(text: str, dp: _DocPeople) -> None:
    if dp.gaz.pattern is None:
        return
    for m in dp.gaz.pattern.finditer(text):
        s, e = m.span()
        if dp.overlaps(s, e):
            continue
        gz = dp.gaz.lookup(m.group(0))
        if gz is None or not _written_as_name(m.group(0)):
            continue
        # a one-word alias ("Trump") only counts as written with a capital
        if " " not in m.group(0) and not m.group(0)[:1].isupper():
            continue
        dp.add_person(gz["name"], s, e, "gazetteer")


@lru_cache(maxsize=8)
def _titled_rx(titles: Titles) -> re.Pattern[str]:
    # role title, an optional short complement ("to the United Nations"), then a two- or
    # three-word capitalised name followed by a lower-case word or punctuation
    return re.compile(
        rf"(?<![\w])(?i:{titles.role_pattern})(?![\w])[^.;:\n]{{0,40}}?\s"
        r"(?P<name>[A-Z][a-z]+(?:\s[A-Z]\.)?\s[A-Z][a-z][\w'’\-]*+)(?=\s+[a-z]|[,.;:])"
    )


def _titled_names(doc: Any, dp: _DocPeople) -> None:
    """A name right after a role title ("U.S. Ambassador to the United Nations Samantha
    Power told"), where NER took it for part of an organisation."""
    for m in _titled_rx(dp.titles).finditer(dp.text):
        s, e = m.span("name")
        if dp.overlaps(s, e):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or any(t.ent_type_ in _PLACE_TYPES for t in span):
            continue
        if any(dp.titles.is_title_word(w) for w in m.group("name").split()):
            continue
        if not _plausible_name(m.group("name"), dp):
            continue
        dp.add_person(m.group("name"), s, e, "title")


_PLACE_TYPES = frozenset({"GPE", "NORP", "LOC", "EVENT", "LAW", "DATE", "WORK_OF_ART"})


def _written_as_name(surface: str) -> bool:
    """Each part capitalised (after a hyphen any case), or the whole in capitals."""
    if surface.isupper():
        return True
    return all(part[:1].isupper() for part in surface.split())


_FUNCTION_WORDS = frozenset(
    "and but or nor the a an of in on at to for with as so if when while then than from by "
    "this that these those his her their its our my your".split()
)


def _plausible_name(bare: str, dp: _DocPeople) -> bool:
    """A written form that can be a person's name (NER and title rules both propose junk)."""
    words = bare.split()
    if not words or not _CAP.match(bare) or any(ch.isdigit() for ch in bare):
        return False
    if words[0].lower() in _FUNCTION_WORDS or bare.lower() in dp.not_persons:
        return False
    if re.search(r"['’]s\s", bare):  # "Kim's ego", "Trump's Proposal"
        return False
    if any(w.strip(".,").lower() in dp.org_words for w in words):
        return False  # "Catholic University", "Economic Development Group"
    if len(words) == 1 and "-" in bare:  # "Trump-Kim": two people, not one name
        parts = [x.lower() for x in bare.split("-")]
        if all(x in dp.gaz.by_short for x in parts):
            return False
    return not dp.titles.is_title_word(bare)


def _ner_persons(doc: Any, dp: _DocPeople) -> None:
    text = dp.text
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        s, e = _repair_span(text, ent.start_char, ent.end_char)
        s, e = _strip_possessive(text, s, e)
        surface = text[s:e]
        if "\n" in surface:
            surface = surface.split("\n", 1)[0]
            e = s + len(surface)
        title, bare = split_title(surface, dp.titles)
        s += len(surface) - len(bare)
        if not _plausible_name(bare, dp) or dp.overlaps(s, e):
            continue
        nxt = doc[ent.end] if ent.end < len(doc) else None
        if len(bare.split()) == 1 and nxt is not None and any(c.isdigit() for c in nxt.text):
            continue  # "Studio 1A", "Camp 14": a name with a number is not a person
        if len(bare.split()) >= 2:
            gz = None if dp.gaz.lookup(bare) else dp.gaz.complete(bare)
            dp.add_person(gz["name"] if gz else bare, s, e, "ner", title=title or None)
        else:
            _single(dp, bare, s, e, "ner", title or None)


def _single(dp: _DocPeople, word: str, s: int, e: int, how: str, title: str | None) -> None:
    """A one-word name: the person of this document it is short for, else its own entry."""
    target = _resolve_short(dp, word, s)
    if target is not None:
        target.add(s, e, dp.text[s:e], "surname")
        dp.taken.append((s, e))
        return
    dp.add_person(canonical_name(word), s, e, how, title=title)


def _resolve_short(dp: _DocPeople, word: str, pos: int) -> _Entity | None:
    w = word.replace("’", "'").lower()
    cands = []
    for ent in dp.entities.values():
        if ent.kind != "person" or len(ent.name.split()) < 2:
            continue
        shorts = possible_short_forms(ent.name, dp.titles)
        gz = dp.gaz.lookup(ent.name)
        if gz:
            shorts |= {x.lower() for x in gz.get("short", [])}
        if w in shorts:
            cands.append(ent)
    if not cands:
        if w in dp.gaz.by_short and len(dp.gaz.by_short[w]) == 1:
            gz = dp.gaz.entries[dp.gaz.by_short[w][0]]
            if gz.get("kind", "person") == "person":
                return dp.entity(gz["name"], "person")
        return None
    if len(cands) == 1:
        return cands[0]
    # several: the one mentioned last before this word
    before = [(max((m[0] for m in c.mentions if m[0] < pos), default=-1), c) for c in cands]
    best = max(before, key=lambda x: x[0])
    return best[1] if best[0] >= 0 else None


_TITLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod", "nummod", "case"})


def _titles_and_appositions(doc: Any, dp: _DocPeople) -> None:
    """Fill each person's title from premodifiers or an apposition at its mentions."""
    text = dp.text
    for ent in dp.entities.values():
        if ent.kind != "person":
            continue
        for s, e in sorted(ent.mentions):
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            title = None
            # premodifiers: the run of tokens just before the name whose heads lie to their
            # right inside the run or the name ("North Korean leader Kim Jong Un")
            i = span.start - 1
            while i >= 0:
                tok = doc[i]
                if tok.is_space or tok.is_punct and tok.text not in ".-" or tok.dep_ == "det":
                    break
                if not (i < tok.head.i < span.end) or tok.dep_ not in _TITLE_DEPS:
                    break
                i -= 1
            if i + 1 < span.start:
                cand = text[doc[i + 1].idx : s].strip(" ,")
                if cand and "\n" not in cand and len(cand.split()) <= 8:
                    title = cand
            if title is None:
                for child in root.rights:
                    if child.dep_ == "appos" and child.ent_type_ != "PERSON":
                        a, b = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
                        cand = text[a:b].strip(" ,")
                        if cand and len(cand.split()) <= 20 and "\n" not in cand:
                            title = cand
                            break
            if title is None and root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN"):
                head = root.head
                if head.ent_type_ != "PERSON":
                    a = head.left_edge.idx
                    cand = text[a : root.left_edge.idx].strip(" ,")
                    if cand and len(cand.split()) <= 20 and "\n" not in cand:
                        title = cand
            if title and (
                any(ch.isdigit() for ch in title)
                or title.rstrip(".").lower() in dp.titles.honorifics
            ):
                title = None
            if title:
                if not ent.title or len(ent.title.split()) < len(title.split()):
                    ent.title = ent.title or title
                aff = _affiliation(doc, text, title, s)
                if aff and not ent.affiliation:
                    ent.affiliation = aff
                if ent.title:
                    break


def _affiliation(doc: Any, text: str, title: str, near: int) -> str | None:
    """The organisation named inside ``title`` (the occurrence of it nearest to ``near``)."""
    lo = max(0, near - 300)
    hits = [m.start() for m in re.finditer(re.escape(title), text[lo : near + 300 + len(title)])]
    if not hits:
        return None
    pos = lo + min(hits, key=lambda h: abs(lo + h - near))
    for ent in doc.ents:
        if (
            ent.label_ in ("ORG", "FAC")
            and pos <= ent.start_char
            and ent.end_char <= pos + len(title)
        ):
            return re.sub(r"^(?:the|The)\s+", "", ent.text)
    return None


def _surnames(doc: Any, dp: _DocPeople) -> None:
    """Capitalised one-word mentions of a person named in full elsewhere in the document."""
    index: dict[str, _Entity] = {}
    for ent in list(dp.entities.values()):
        if ent.kind != "person" or len(ent.name.split()) < 2:
            continue
        for short in possible_short_forms(ent.name, dp.titles):
            index.setdefault(short, ent)
    if not index:
        return
    for tok in doc:
        if not tok.is_title and not tok.is_upper:
            continue
        if tok.pos_ not in ("PROPN", "NOUN") or len(tok.text) < 2:
            continue
        s, e = tok.idx, tok.idx + len(tok.text)
        if dp.overlaps(s, e):
            continue
        word = tok.text.lower()
        if word not in index:
            continue
        # part of a longer capitalised name that is someone else ("Austin Powers")
        nxt = tok.nbor(1) if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.is_title and nxt.pos_ == "PROPN" and tok.ent_type_ == "PERSON":
            continue
        target = _resolve_short(dp, tok.text, s)
        if target is not None:
            target.add(s, e, tok.text, "surname")
            dp.taken.append((s, e))


def _doc_year(document: Any) -> int | None:
    meta = getattr(document, "meta", None) or {}
    date = meta.get("date")
    if isinstance(date, str) and re.match(r"\d{4}", date):
        return int(date[:4])
    return None


_CAPS_LINE = re.compile(r"(?m)^(?P<label>[A-Z][A-Z.'’\- ]{1,40}[A-Z.]):[ \t]")


def _line_labels(text: str, dp: _DocPeople) -> None:
    """Capitals labels at line starts inside paragraphs ("THE PRESIDENT: ..." in a transcript
    whose turns are not separated by blank lines); only where at least two occur."""
    found = [m for m in _CAPS_LINE.finditer(text) if not dp.overlaps(*m.span("label"))]
    anonymous = [m for m in found if name_key(m.group("label")) in dp.anonymous_labels]
    for m in anonymous:  # "MODERATOR:", "QUESTION:" speak even once
        s, e = m.span("label")
        dp.entity(canonical_name(m.group("label")), "anonymous").add(
            s, e, m.group("label"), "label"
        )
        dp.taken.append((s, e))
    found = [m for m in found if m not in anonymous]
    if len(found) < 2:
        return
    for m in found:
        s, e = m.span("label")
        title, bare = split_title(canonical_name(m.group("label")), dp.titles)
        if not bare or bare.lower() in ("q", "a"):
            continue
        if _role_tokens(bare, dp.titles) is not None:
            dp.title_mentions.append((s, e, bare))  # "THE PRESIDENT": title only
        elif len(bare.split()) >= 2:
            dp.add_person(bare, e - len(bare), e, "label", title=title or None)


def _role_tokens(text: str, titles: Titles) -> tuple[str, ...] | None:
    """The role title ``text`` consists of ("the President" -> ("president",)), else None."""
    toks = [t.rstrip(".,").lower() for t in text.split()]
    if toks and toks[0] == "the":
        toks = toks[1:]
    return tuple(toks) if tuple(toks) in set(titles.roles) else None


def _role_fits(role: str, title: tuple[str, ...]) -> bool:
    """``role`` ("U.S. Secretary of State") is ``title`` ("secretary of state"), possibly
    after a nationality ("U.S.", "South Korean"), not a deputy's title."""
    toks = [t.rstrip(".,").lower() for t in role.split()]
    n = len(title)
    for k in range(0, 3):
        if tuple(toks[k : k + n]) == title:
            lead = toks[:k]
            return not any(w in ("vice", "deputy", "first", "assistant", "under") for w in lead)
    return False


_THE = re.compile(r"\b(?:[Tt]he|THE)\s+")
_WORDS4 = re.compile(r"[A-Za-z][\w.\-]*+(?:[ \t]+[A-Za-z][\w.\-]*+){0,3}")


def _title_only(text: str, dp: _DocPeople, year: int | None) -> None:
    """ "the president", "the Secretary of State": the one person in office it names."""
    role_words = {r[0] for r in dp.titles.roles}
    for m in _THE.finditer(text):
        w = _WORDS4.match(text, m.end())
        if w is None:
            continue
        words = w.group(0).split()
        if words[0].lower().rstrip(".") not in role_words:
            continue
        # the longest role title the words start with, not followed by a name
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            title = _role_tokens(cand, dp.titles)
            if title is None:
                continue
            end = m.end() + len(cand)
            after = text[end : end + 3]
            if re.match(r"\s+[A-Z]", after) and not cand.isupper():
                break  # "the President Donald Trump": a name follows
            dp.title_mentions.append((m.start(), end, cand))
            break
    for s, e, cand in dp.title_mentions:
        if dp.overlaps(s, e):
            continue
        title = _role_tokens(cand, dp.titles)
        if title is None:
            continue
        target = _resolve_title(dp, title, year, s)
        if target is not None:
            target.add(s, e, text[s:e], "title")
            dp.taken.append((s, e))


def _resolve_title(
    dp: _DocPeople, title: tuple[str, ...], year: int | None, pos: int
) -> _Entity | None:
    persons = [x for x in dp.entities.values() if x.kind == "person"]
    stated = [x for x in persons if x.title and _role_fits(x.title, title)]
    if len(stated) == 1:
        return stated[0]

    def in_office(entry: dict[str, Any]) -> bool:
        for r in entry.get("roles", []):
            if not _role_fits(r.get("role", ""), title):
                continue
            if year is None or r.get("from", 0) <= year <= r.get("to", 9999):
                return True
        return False

    known = [x for x in persons if (g := dp.gaz.lookup(x.name)) and in_office(g)]
    if len(known) == 1:
        return known[0]
    if year is None:
        return None
    entries = [g for g in dp.gaz.entries if g.get("kind", "person") == "person" and in_office(g)]
    if len(entries) > 1 and dp.gaz.default_country:
        entries = [g for g in entries if g.get("country") == dp.gaz.default_country] or entries
    if len(entries) == 1:
        return dp.entity(entries[0]["name"], "person")
    return None


_NP_STOP = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "parataxis"})


def _np_span(tok: Any) -> tuple[int, int]:
    """The noun phrase of ``tok`` up to its first clause, apposition or coordination."""
    a = tok.left_edge
    b = tok
    for child in tok.rights:
        if child.dep_ in _NP_STOP:
            break
        b = child.right_edge
    return a.idx, b.idx + len(b)


def _sources(doc: Any, dp: _DocPeople, cues: SourceCues) -> None:
    """Anonymous sources and institutions: subjects of speech verbs, "according to X"."""
    text = dp.text
    heads: list[tuple[Any, bool]] = []  # (head noun, cited by a speech verb)
    relcl_heads: set[int] = set()  # heads whose phrase ends at the noun (relative clause)
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX"):
            speech = tok.lemma_.lower() in cues.speech_lemmas
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    heads.append((child, speech))
            # "the leaders who said ...": a relative clause of a speech verb
            if speech and tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN"):
                heads.append((tok.head, True))
                relcl_heads.add(tok.head.i)
        if tok.lower_ == "according":
            for to in tok.children:
                if to.lower_ == "to":
                    heads.extend((c, True) for c in to.children if c.dep_ == "pobj")
    for head, speech in heads:
        if head.pos_ == "PRON" or head.lower_ in cues.not_sources:
            continue
        s, e = _np_span(head)
        if head.i in relcl_heads:
            e = head.idx + len(head.text)
        surface = text[s:e]
        if "\n" in surface or len(surface.split()) > 14:
            s, e = head.left_edge.idx, head.idx + len(head.text)
            surface = text[s:e]
            if "\n" in surface:
                continue
        s, e = _strip_possessive(text, s, e)
        surface = text[s:e]
        # the head noun must be free: "President Joe Biden's administration" is a source
        # even though a person's name sits inside it
        if dp.overlaps(head.idx, head.idx + len(head.text)):
            continue
        lemma = head.lemma_.lower()
        low = head.lower_
        ent_type = head.ent_type_
        if ent_type == "PERSON":
            continue
        noun = lemma in cues.institution_nouns or low in cues.institution_nouns
        # a named organisation as the subject of any verb; a government (GPE/NORP) or an
        # institution noun ("the ministry") only when it speaks
        if ent_type in ("ORG", "FAC") or speech and (noun or ent_type in ("GPE", "NORP")):
            name = _institution_name(surface)
            ent = dp.entity(name, "institution")
            ent.add(s, e, surface, "source")
            dp.taken.append((s, e))
        elif (speech and (lemma in cues.anonymous_nouns or low in cues.anonymous_nouns)) or (
            lemma in cues.any_verb_nouns or low in cues.any_verb_nouns
        ):
            ent = dp.entity(surface, "anonymous")
            ent.add(s, e, surface, "source")
            dp.taken.append((s, e))


def _institution_name(surface: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", surface)
    return name.replace("’", "'")


# ------------------------------------------------------------------ across documents

REGISTRY_COLUMNS = [
    "expert",
    "kind",
    "aliases",
    "title",
    "affiliation",
    "doc_ids",
    "n_docs",
    "n_mentions",
    "how",
    "doc_id",
    "start",
    "end",
    "quote",
]


def merge_people(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per person/institution across documents (anonymous sources per document).

    Columns: ``expert`` (canonical name), ``kind``, ``aliases`` (written forms), ``title``
    (the first stated title or role), ``affiliation``, ``doc_ids``, ``n_docs``,
    ``n_mentions``, ``how`` (cues), and the first mention as evidence ``doc_id, start, end,
    quote``.
    """
    import pandas as pd

    groups: dict[tuple, dict[str, Any]] = {}
    for r in sorted(records, key=lambda r: (str(r["doc_id"]), r["start"])):
        if r["kind"] == "anonymous":
            key = ("anonymous", r["doc_id"], r["name"].casefold())
        else:
            key = (r["kind"], name_key(r["name"]))
        g = groups.get(key)
        if g is None:
            g = groups[key] = {
                "expert": r["name"],
                "kind": r["kind"],
                "aliases": set(),
                "title": r["title"],
                "affiliation": r["affiliation"],
                "doc_ids": [],
                "n_mentions": 0,
                "how": set(),
                "doc_id": r["doc_id"],
                "start": r["start"],
                "end": r["end"],
                "quote": r["quote"],
            }
        g["aliases"].update(r["aliases"])
        g["title"] = g["title"] or r["title"]
        g["affiliation"] = g["affiliation"] or r["affiliation"]
        if r["doc_id"] not in g["doc_ids"]:
            g["doc_ids"].append(r["doc_id"])
        g["n_mentions"] += len(r["mentions"])
        g["how"].update(r["how"])
        # the fullest written name is the display name
        if len(r["name"].split()) > len(g["expert"].split()):
            g["expert"] = r["name"]
    rows = []
    for g in groups.values():
        g["aliases"] = sorted(g["aliases"])
        g["how"] = sorted(g["how"])
        g["n_docs"] = len(g["doc_ids"])
        rows.append(g)
    df = pd.DataFrame(rows, columns=REGISTRY_COLUMNS)
    for col in ("title", "affiliation", "doc_id", "quote"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    order = {k: i for i, k in enumerate(KINDS)}
    if len(df):
        df = df.assign(_k=df["kind"].map(order)).sort_values(["_k", "expert"])
        df = df.drop(columns="_k")
    return df.reset_index(drop=True)
