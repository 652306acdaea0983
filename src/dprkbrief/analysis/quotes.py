"""Quotations: who is quoted or reported as saying what, one row per attribution.

Small extractors over one parsed document (spaCy ``Doc`` of the whole text, computed once
by ``dprkbrief.nlp.parse`` and shared), each yielding spans, in the style of textacy and the
GenderGapTracker quote extractor:

* ``quotation_marks`` - quoted passages from the quotation marks alone (curly, straight,
  guillemets); an open quote continued by the next paragraph's opening mark is one passage
  across paragraphs; an unbalanced mark ends at its paragraph's end.
* ``verb_attributions`` - a reporting verb (lemma in the ``[quotes] cue_verbs`` lexicon) with
  its subject, and its clausal complement as content ("X said (that) ...", "..., X said").
* ``according_to`` - "according to X" (and the other ``prepositional_cues``): the rest of
  the sentence is the content.
* ``attach`` combines them: a quoted passage takes the attribution whose content it is or
  whose cue clause touches it ("...," she said / She said: "...") -> ``direct``; a clause
  that contains a quoted fragment -> ``mixed``; a clause without one -> ``indirect``; a
  quoted passage with no cue continues the last source of the same or previous paragraph
  -> ``floating``.

Sources are resolved inside the document: a surname or "Title Surname" to the full name
mentioned in the document, a pronoun ("he said") to the last person quoted (else the last
person named). ``source_kind`` says whether the source is a ``person``, an ``anonymous``
description ("a senior U.S. official", "experts"), an ``institution`` ("the ministry",
"KCNA", "a report") or the ``author`` (first person). The cross-document step of
``quotes(corpus)`` maps sources to the expert registry.

Cue words are data: the ``[quotes]`` table of ``lexicons/attribution.toml``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import as_str_list, check_type
from ..errors import RuleFileError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus, Document

QUOTE_COLUMNS = [
    "doc_id",
    "seg_id",
    "start",
    "end",
    "quote",
    "kind",
    "source",
    "source_kind",
    "source_start",
    "source_end",
    "cue",
    "cue_start",
    "cue_end",
    "expert",
    "voice",
]
KINDS = ("direct", "indirect", "mixed", "according_to", "floating")
SOURCE_KINDS = ("person", "anonymous", "institution", "author", "unknown")

OPEN_MARKS = "“«„"
CLOSE_MARKS = "”»"
_SUBJ = ("nsubj", "csubj")
_CUT = {"appos", "relcl", "acl", "punct", "cc", "advcl", "parataxis"}
_GAP_AFTER = re.compile(r"(?:[ \t,;:—–\-]|\n(?![ \t]*\n))*\Z")  # quote close .. cue clause
_GAP_BEFORE = re.compile(r"\A(?:[ \t,;:—–\-]|\n(?![ \t]*\n))*\Z")  # (no blank line)


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class QuoteRules:
    """The compiled ``[quotes]`` table of the attribution lexicon."""

    cue_verbs: frozenset[str]
    colon_stop: frozenset[str]
    hedge_verbs: frozenset[str]
    factive_verbs: frozenset[str]
    bare_cue_verbs: frozenset[str]
    object_cue_verbs: frozenset[str]
    complement_verbs: frozenset[str]
    attitude_words: frozenset[str]
    cue_nouns: frozenset[str]
    content_preps: frozenset[str]
    prepositional_cues: tuple[tuple[str, ...], ...]
    anonymous_heads: frozenset[str]
    institution_heads: frozenset[str]
    titles: frozenset[str]
    first_person: frozenset[str]
    third_person: frozenset[str]
    min_floating_words: int
    examples: tuple[dict, ...]


def quote_rules(lexicon: str | Path | None = None) -> QuoteRules:
    """The quotation cues of ``lexicon`` (default: the shipped ``lexicons/attribution.toml``)."""
    from ..resources import file_key
    from .codebook import _path

    path = _path(lexicon, "lexicons", "attribution.toml")
    return _quote_rules(*file_key(path))


@lru_cache(maxsize=8)
def _quote_rules(path: str, mtime: float) -> QuoteRules:
    from .codebook import load_toml

    data = load_toml(path)
    table = data.get("quotes")
    if not isinstance(table, dict) or not isinstance(table.get("cue_verbs"), list):
        raise RuleFileError(
            f"{path}: missing table [quotes] with a list 'cue_verbs'; see the format comment "
            "of the shipped lexicons/attribution.toml"
        )
    titles = [t.rstrip(".").lower() for t in data.get("titles", [])]
    titles += [t.lower() for t in table.get("titles", [])]
    return QuoteRules(
        cue_verbs=frozenset(v.lower() for v in table["cue_verbs"]),
        object_cue_verbs=frozenset(v.lower() for v in table.get("object_cue_verbs", [])),
        complement_verbs=frozenset(v.lower() for v in table.get("complement_verbs", [])),
        attitude_words=frozenset(v.lower() for v in table.get("attitude_words", [])),
        factive_verbs=frozenset(v.lower() for v in table.get("factive_verbs", [])),
        colon_stop=frozenset(v.lower() for v in table.get("colon_stop", [])),
        hedge_verbs=frozenset(v.lower() for v in table.get("hedge_verbs", [])),
        bare_cue_verbs=frozenset(v.lower() for v in table.get("bare_cue_verbs", [])),
        cue_nouns=frozenset(v.lower() for v in table.get("cue_nouns", [])),
        content_preps=frozenset(v.lower() for v in table.get("content_preps", [])),
        prepositional_cues=tuple(
            tuple(c.lower().split()) for c in table.get("prepositional_cues", ["according to"])
        ),
        anonymous_heads=frozenset(w.lower() for w in table.get("anonymous_heads", [])),
        institution_heads=frozenset(w.lower() for w in table.get("institution_heads", [])),
        titles=frozenset(titles),
        first_person=frozenset(w.lower() for w in data.get("first_person", ["i", "we"])),
        third_person=frozenset(w.lower() for w in table.get("third_person", ["he", "she"])),
        min_floating_words=int(table.get("min_floating_words", 4)),
        examples=tuple(table.get("example", [])),
    )


# ---------------------------------------------------------------- extractors


@dataclass
class Quotation:
    """A passage between quotation marks: content ``start:end``, marks ``outer``."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    closed: bool


def quotation_marks(text: str, paragraphs: list[tuple[int, int]]) -> list[Quotation]:
    """Quoted passages of ``text`` found from the quotation marks, paragraph by paragraph.

    Straight quotes open after a space or bracket and close otherwise. A quotation still
    open at the end of a paragraph continues when the next paragraph opens with a quotation
    mark (the newspaper convention); otherwise it ends with its paragraph.
    """
    out: list[Quotation] = []
    carry: int | None = None  # outer start of a quotation continued from a paragraph
    for p_start, p_end in paragraphs:
        open_at: int | None = None
        first = True
        for i in range(p_start, p_end):
            ch = text[i]
            if ch not in '"“”«»„':
                if not ch.isspace():
                    first = False
                continue
            prev = text[i - 1] if i > p_start else " "
            opening = ch in OPEN_MARKS or (ch == '"' and (open_at is None) and _opens(prev))
            if ch == '"' and open_at is None and not opening and first and carry is not None:
                opening = True
            if opening:
                if first and carry is not None and open_at is None:
                    open_at = carry  # the quotation of the previous paragraph goes on
                elif open_at is not None:  # a new opening inside an open quote: unbalanced
                    _add(out, text, open_at, i, closed=False)
                    open_at = i
                else:
                    open_at = i
                carry = None
            elif open_at is not None:
                _add(out, text, open_at, i + 1, closed=True)
                open_at = None
            first = False
        if carry is not None:  # continued quote not taken up by this paragraph
            carry = None
        if open_at is not None:
            nxt = _next_paragraph_start(text, paragraphs, p_end)
            if nxt is not None and text[nxt] in '"“«„':
                carry = open_at
            else:
                _add(out, text, open_at, p_end, closed=False)
    return out


def _opens(prev: str) -> bool:
    return prev.isspace() or prev in "([{—–-/:;,"


def _next_paragraph_start(text: str, paragraphs: list[tuple[int, int]], p_end: int) -> int | None:
    k = bisect.bisect_left(paragraphs, (p_end, p_end))
    while k < len(paragraphs) and paragraphs[k][0] < p_end:
        k += 1
    return paragraphs[k][0] if k < len(paragraphs) else None


def _add(out: list[Quotation], text: str, s: int, e: int, *, closed: bool) -> None:
    """Record the quotation whose outer span is ``s:e`` (content = inside the marks)."""
    cs = s + 1
    ce = e - 1 if closed else e
    while cs < ce and (text[cs].isspace() or text[cs] in '"“”«»„'):
        cs += 1
    while ce > cs and (text[ce - 1].isspace() or text[ce - 1] in '"“”«»„,'):
        ce -= 1
    if ce > cs:
        out.append(Quotation(cs, ce, s, e if closed else ce, closed))


@dataclass
class Attribution:
    """One attribution found from the parse (offsets into the document text)."""

    kind: str
    start: int | None  # content
    end: int | None
    source_start: int
    source_end: int
    source_token: Any  # spaCy Token heading the source
    cue_start: int
    cue_end: int
    clause_start: int  # the cue clause (source + cue), for adjacency to a quotation
    clause_end: int
    stance: bool = False  # an attitude ("criticized the deal"), not speech


def _span_of(tokens: list[Any]) -> tuple[int, int]:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def source_tokens(head: Any) -> list[Any]:
    """The source noun phrase of ``head`` without appositions and relative clauses."""
    keep = [head]
    for child in head.children:
        if child.dep_ in _CUT and not (child.dep_ == "punct" and child.text in "-‐'’."):
            continue
        keep.extend(child.subtree)
    keep.sort(key=lambda t: t.i)
    # contiguous run around the head
    i = keep.index(head)
    lo = hi = i
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    run = keep[lo : hi + 1]
    while len(run) > 1 and (run[0].is_punct or run[0].is_space):
        run = run[1:]
    while len(run) > 1 and (run[-1].is_punct or run[-1].is_space):
        run = run[:-1]
    return run


def _cue_tokens(verb: Any) -> list[Any]:
    toks = [verb]
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i < verb.i:
            toks.append(child)
        elif child.dep_ == "prt":
            toks.append(child)
    toks.sort(key=lambda t: t.i)
    # keep the contiguous run containing the verb
    i = toks.index(verb)
    lo = hi = i
    while lo > 0 and toks[lo - 1].i == toks[lo].i - 1:
        lo -= 1
    while hi < len(toks) - 1 and toks[hi + 1].i == toks[hi].i + 1:
        hi += 1
    return toks[lo : hi + 1]


def _subject(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ in _SUBJ:
            return child
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)  # "He smiled and said ..."
    if verb.dep_ in ("xcomp", "advcl") and verb.tag_ == "VBG":  # "..., he said, adding that"
        return _subject(verb.head)
    if verb.dep_ in ("xcomp", "advcl") and any(
        c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children
    ):
        return _subject(verb.head)  # "Barkley went off script to comment on ..."
    if verb.dep_ == "advcl":
        # "after North Korea admitted that ...": the parser may read the conjunction as a
        # preposition whose object is the verb's subject; take that object when it precedes
        # the verb with only adverbials between
        for prep in verb.head.children:
            if prep.dep_ != "prep" or prep.lower_ not in _CLAUSE_PREPS or prep.i > verb.i:
                continue
            objs = [c for c in prep.children if c.dep_ == "pobj" and c.i < verb.i]
            if objs and all(
                t.dep_ in ("advmod", "npadvmod", "nummod", "punct")
                or t.head.i in range(objs[-1].i, verb.i)
                for t in verb.doc[objs[-1].i + 1 : verb.i]
            ):
                return objs[-1]
    return None


_CLAUSE_PREPS = frozenset({"after", "before", "since", "until", "as"})


def _content_tokens(verb: Any, cue_verbs: frozenset[str]) -> list[Any] | None:
    """The content clause of a reporting verb: its clausal complement, else its host clause."""
    for child in verb.children:
        to_clause = child.dep_ == "xcomp" and any(
            c.dep_ == "aux" and c.tag_ == "TO" for c in child.children
        )  # "claimed to have tested", "vowed to retaliate"
        if (
            child.dep_ in ("ccomp", "csubj")
            or to_clause
            or (child.dep_ == "xcomp" and child.tag_ == "VBZ")
        ):
            if child.i < verb.i and child.dep_ == "csubj":
                continue
            return list(child.subtree)
    for obj in verb.children:  # "convinced one another that ...": the parser may hang the
        if obj.dep_ not in ("dobj", "dative"):  # that-clause on the object as a relative
            continue
        for clause in obj.children:
            if clause.dep_ == "relcl" and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
            ):
                return list(clause.subtree)
    cleft = _cleft_content(verb)
    if cleft is not None:
        return cleft
    head = verb.head
    if (
        verb.dep_ == "advcl"
        and head.i > verb.i
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    ):
        # "As Trump said, sometimes you have to walk alone": the host clause is the content
        inner = set(t.i for t in verb.subtree)
        return [t for t in head.subtree if t.i not in inner and t.i > verb.i]
    if (
        verb.dep_ in ("parataxis", "ccomp", "advcl")
        and head is not verb
        and head.i < verb.i
        and head.lemma_.lower() not in cue_verbs
        and not any(c.dep_ in ("dobj", "xcomp") for c in verb.children)
        and sum(1 for _ in verb.subtree) <= 12
    ):
        # "The deal is dead, he said": the host clause minus the cue clause
        inner = set(t.i for t in verb.subtree)
        return [t for t in head.subtree if t.i not in inner]
    return None


def _cleft_content(verb: Any) -> list[Any] | None:
    """The content of a pseudo-cleft: "what X said was that ...", "the thing X is trying to
    say is that ...": the verb's object is a relative word, and the clause after the copula
    it subjects is what was said."""
    if not any(c.dep_ == "dobj" and c.tag_ in ("WP", "WDT") for c in verb.children):
        return None
    v = verb.head if verb.dep_ == "xcomp" else verb
    if v.dep_ == "csubj":
        cop = v.head
    elif v.dep_ == "relcl" and v.head.dep_ in ("nsubj", "nsubjpass"):
        cop = v.head.head
    else:
        return None
    if cop.lemma_.lower() != "be":
        return None
    for child in cop.children:
        if child.dep_ == "ccomp" and child.i > verb.i:
            return list(child.subtree)
    return None


def _object_content(verb: Any, rules: QuoteRules) -> tuple[list[Any] | None, list[Any]]:
    """Content of a stance verb: its object, its to-clause, or the object of its preposition
    ("criticized the deal", "wants to meet", "called for talks"); and extra cue tokens."""
    for child in verb.children:
        if child.dep_ == "xcomp" and any(c.dep_ == "aux" for c in child.children):
            return list(child.subtree), []
    for child in verb.children:
        if child.dep_ == "dobj" and child.lower_ not in ("it", "that", "this", "so"):
            # "thanked Kim for taking the first step": the reason phrase goes with the object
            reason = [
                c
                for c in verb.children
                if c.dep_ == "prep" and c.i > child.i and c.lower_ in ("for", "of", "over")
            ]
            return list(child.subtree) + [t for c in reason for t in c.subtree], []
    for child in verb.children:  # "calling for the United States to step up"
        if child.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in rules.content_preps for c in child.children
        ):
            return list(child.subtree), []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in rules.content_preps:
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objs:
                return list(objs[0].subtree), [child]
    return None, []


def _complement_content(verb: Any) -> list[Any] | None:
    """Object and predicate complement of a naming or judging verb ("called Trump a
    dotard", "deems it a success", "views the pact as a threat", "what he styled as a
    historic achievement"); a relative word as object is left out. None without a
    complement."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.tag_ not in _WH]
    comps = [c for c in verb.children if c.dep_ == "oprd"]
    comps += [
        c
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "as" and any(g.dep_ == "pobj" for g in c.children)
    ]
    if not comps and len(objs) >= 2:  # "deems it a success": the parser reads two objects
        comps = objs[1:]
        objs = objs[:1]
    if not comps and len(objs) == 1 and any(c.dep_ == "nsubj" for c in objs[0].children):
        comps, objs = objs, []  # "deems the deal a success" read as a small clause
    if not comps:
        return None
    toks = [t for c in objs + comps for t in c.subtree]
    if not objs:  # "styled as X": the content is X
        toks = [
            t for t in toks if not (t.dep_ == "prep" and t.lower_ == "as" and t.head.i == verb.i)
        ]
    return toks or None


_WH = frozenset({"WP", "WDT", "WRB"})


def _colon_content(verb: Any) -> list[Any] | None:
    """What follows a colon ending the verb's clause when a quotation opens right after it
    ("Pompeo formulated it like this: “...”", "Colbert posed the question: “...?”")."""
    doc, sent = verb.doc, verb.sent
    clause = {t.i for t in verb.subtree}
    for tok in doc[verb.i + 1 : sent.end]:
        if tok.text == ":":
            nxt = tok.i + 1
            if nxt < sent.end and doc[nxt].text[:1] in '"“«„':
                toks = [t for t in doc[nxt : sent.end] if not t.is_space]
                return toks or None
            return None
        if tok.i not in clause and not tok.is_space:
            return None  # the verb's clause ends before the colon
    return None


def _positions(doc: Any, pos: tuple[str, ...]) -> list[int]:
    """Indices of the tokens of ``doc`` whose coarse POS is one of ``pos``, read from one
    array kept on the parse (the extractors need a few tokens, not a ``Token`` for each)."""
    from ..nlp.parsing import doc_memo

    memo = doc_memo(doc)
    tags = memo.get("quotes_pos")
    if tags is None:
        from spacy.attrs import POS

        ids = doc.to_array([POS]).reshape(-1).tolist() if len(doc) else []
        names = {i: doc.vocab.strings[i] if i else "" for i in set(ids)}
        tags = memo["quotes_pos"] = [names[i] for i in ids]
    return [i for i, tag in enumerate(tags) if tag in pos]


def verb_attributions(doc: Any, rules: QuoteRules) -> Iterator[Attribution]:
    """Reporting verbs with their subject (and content clause, when the parse gives one)."""
    for i in _positions(doc, ("VERB", "AUX")):
        tok = doc[i]
        lemma = tok.lemma_.lower()
        stance = lemma in rules.object_cue_verbs
        naming = lemma in rules.complement_verbs
        if lemma not in rules.cue_verbs and not stance and not naming:
            continue
        if any(c.dep_ == "auxpass" for c in tok.children):
            continue  # "it is expected that", "he was told": no source speaks
        subj = _subject(tok)
        if subj is None or subj.lower_ in ("it", "there", "which", "that", "this"):
            continue
        if subj.lower_ in rules.first_person and lemma in rules.hedge_verbs:
            continue  # "I think ...": the writer hedging, not an attribution
        src = source_tokens(subj)
        if subj.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
            subj = tok.head  # "Smith, who said ...": the mention is "who", the source Smith
        cue = _cue_tokens(tok)
        content = _content_tokens(tok, rules.cue_verbs) if lemma in rules.cue_verbs else None
        is_stance = False
        if content is None:
            content = _colon_content(tok)
        if content is None and naming:
            content = _complement_content(tok)
            if content is None and not stance:
                continue
            is_stance = lemma not in rules.cue_verbs
        if content is None and stance:
            content, extra = _object_content(tok, rules)
            if content is None:
                continue
            cue = sorted(cue + extra, key=lambda t: t.i)
            is_stance = lemma not in rules.cue_verbs  # "outlined the plan" is still speech
        if lemma in rules.factive_verbs or any(
            c.tag_ == "MD" and c.dep_ == "aux" for c in tok.children
        ):
            is_stance = True  # "Trump knows that", "he could demand": no one is reported
        ss, se = _span_of(src)
        cs, ce = _span_of(cue)
        start = end = None
        if content is None and lemma in rules.bare_cue_verbs and tok.dep_ == "ROOT":
            content = [t for t in tok.sent if not t.is_space]  # "Osei disagreed."
        if content:
            content = [t for t in content if not t.is_space]
            sent = tok.sent
            content = [t for t in content if sent.start <= t.i < sent.end]
            if content:
                start, end = _span_of(_trim(content))
                if start < ce and end > cs and not (start >= ce or end <= cs):
                    # content must lie on one side of the cue clause
                    left = [t for t in content if t.idx + len(t.text) <= min(cs, ss)]
                    right = [t for t in content if t.idx >= max(ce, se)]
                    side = max(left, right, key=len)
                    start, end = _span_of(_trim(side)) if side else (None, None)
        lo, hi = min(ss, cs), max(se, ce)
        yield Attribution("indirect", start, end, ss, se, subj, cs, ce, lo, hi, is_stance)


def attitude_attributions(doc: Any, rules: QuoteRules) -> Iterator[Attribution]:
    """A passive participle or adjective of conviction with a that-clause ("almost everyone
    in Washington is convinced that ...", "officials are confident that ..."): the subject
    holds the view, the clause is the content (an attitude: ``stance``)."""
    for i in _positions(doc, ("VERB", "ADJ")):
        tok = doc[i]
        if (
            tok.lemma_.lower() not in rules.attitude_words
            and tok.lower_ not in rules.attitude_words
        ):
            continue
        clause = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
        if clause is None:
            continue
        holder = tok.head if tok.dep_ == "acomp" else tok
        subj = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ in ("it", "there", "which", "that", "this"):
            continue
        if subj.lower_ in rules.first_person:
            continue  # "I am convinced that ...": the writer's own view
        content = _trim([t for t in clause.subtree if not t.is_space])
        if not content:
            continue
        ss, se = _span_of(source_tokens(subj))
        cue = [t for t in holder.children if t.dep_ in ("aux", "auxpass") and t.i < tok.i]
        cs, ce = _span_of(cue + [tok])
        start, end = _span_of(content)
        yield Attribution("indirect", start, end, ss, se, subj, cs, ce, min(ss, cs), ce, True)


def _trim(tokens: list[Any]) -> list[Any]:
    toks = sorted(tokens, key=lambda t: t.i)
    while len(toks) > 1 and (toks[0].is_punct and toks[0].text not in '"“«„'):
        toks = toks[1:]
    while len(toks) > 1 and toks[-1].is_punct and toks[-1].text not in '"”»':
        toks = toks[:-1]
    return toks


def according_to(doc: Any, rules: QuoteRules) -> Iterator[Attribution]:
    """ "according to X" (and the other prepositional cues): X is the source, the rest of
    the sentence the content."""
    from spacy.attrs import LOWER
    from spacy.strings import get_string_id

    lowers = doc.to_array([LOWER]).reshape(-1).tolist() if len(doc) else []
    for cue in rules.prepositional_cues:
        n = len(cue)
        first = get_string_id(cue[0])
        for i in [i for i, lower in enumerate(lowers) if lower == first]:
            tok = doc[i]
            if tok.i + n > len(doc):
                continue
            words = doc[tok.i : tok.i + n]
            if tuple(t.lower_ for t in words) != cue:
                continue
            last = words[-1]
            objs = [c for c in last.children if c.dep_ == "pobj"]
            if not objs:
                nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
                objs = [nxt] if nxt is not None and nxt.pos_ in ("PROPN", "NOUN", "PRON") else []
                if objs:
                    objs = [objs[0].head if objs[0].head.i > objs[0].i else objs[0]]
            if not objs:
                continue
            src = source_tokens(objs[0])
            full_src = list(objs[0].subtree)
            ss, se = _span_of(src)
            cs, ce = words[0].idx, last.idx + len(last.text)
            phrase_end = max(se, _span_of(full_src)[1])
            sent = tok.sent
            left = [t for t in sent if t.idx + len(t.text) <= cs and not t.is_space]
            right = [t for t in sent if t.idx >= phrase_end and not t.is_space]
            side = max(_trim(left) if left else [], _trim(right) if right else [], key=len)
            side = [t for t in side if not t.is_space]
            if not side or all(t.is_punct for t in side):
                continue
            start, end = _span_of(side)
            yield Attribution("according_to", start, end, ss, se, objs[0], cs, ce, cs, phrase_end)


def noun_attributions(doc: Any, rules: QuoteRules) -> Iterator[Attribution]:
    """A stance noun with a possessor and a prepositional object ("Trump's support for the
    wall", "her criticism of the deal"): the possessor is the source, the object the content."""
    for i in _positions(doc, ("NOUN",)):
        tok = doc[i]
        if tok.lemma_.lower() not in rules.cue_nouns:
            continue
        poss = [c for c in tok.children if c.dep_ == "poss"]
        preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in rules.content_preps]
        if not poss or not preps:
            continue
        objs = [c for c in preps[0].children if c.dep_ in ("pobj", "pcomp")]
        if not objs:
            continue
        content = _trim([t for t in objs[0].subtree if not t.is_space])
        src = [t for t in poss[0].subtree if t.dep_ != "case"]
        ss, se = _span_of(src)
        cs, ce = _span_of([tok, preps[0]])
        start, end = _span_of(content)
        yield Attribution("indirect", start, end, ss, se, poss[0], cs, ce, ss, ce, True)


_COLON_SOURCE = re.compile(r"(?:^|\n)([^\n:]{1,60}?)\s*:\s*\Z")


def colon_attributions(
    doc: Any, quotations: list[Quotation], rules: QuoteRules
) -> Iterator[Attribution]:
    """A quotation right after "Name:" at the start of a line or sentence (``Kerry: "..."``)."""
    from ..nlp.parsing import doc_text

    text = doc_text(doc)
    for q in quotations:
        head = text[max(0, q.outer_start - 80) : q.outer_start]
        m = _COLON_SOURCE.search(head)
        if not m:
            continue
        base = q.outer_start - len(head)
        ss, se = base + m.start(1), base + m.end(1)
        span = doc.char_span(ss, se, alignment_mode="expand")
        if span is None or not span.text.strip():
            continue
        root = span.root
        if root.pos_ not in ("PROPN", "NOUN", "PRON") or len(span) > 6:
            continue
        colon = text.index(":", se)
        yield Attribution(
            "direct",
            q.start,
            q.end,
            span.start_char,
            span.end_char,
            root,
            colon,
            colon + 1,
            span.start_char,
            colon + 1,
        )


_HEADLINE = re.compile(r"([A-Z][^\n:.!?\d]{0,50}?)[ \t]*:[ \t]+(?=[A-Z“\"‘'])([^\n]+)")


def headline_attributions(
    doc: Any, paragraphs: list[tuple[int, int]], rules: QuoteRules
) -> Iterator[Attribution]:
    """A paragraph opening "Source: what they said" (a headline, a news brief: ``Issa:
    Clinton's 'Honesty Is In Question'``); the rest of the line is the content."""
    from ..nlp.parsing import doc_text

    text = doc_text(doc)
    for p_start, p_end in paragraphs:
        m = _HEADLINE.match(text, p_start, p_end)
        if not m:
            continue
        ss, se = m.span(1)
        if text[ss:se].strip().lower() in rules.colon_stop:
            continue
        span = doc.char_span(ss, se, alignment_mode="expand")
        if span is None or len(span) > 6 or span.root.pos_ not in ("PROPN", "NOUN"):
            continue
        colon = text.index(":", se)
        cs, ce = m.span(2)
        while ce > cs and text[ce - 1] in " \t.":
            ce -= 1
        kind = "mixed" if any(ch in text[cs:ce] for ch in '“"‘') else "indirect"
        yield Attribution(kind, cs, ce, ss, se, span.root, colon, colon + 1, ss, colon + 1)


# ---------------------------------------------------------------- combining


def _inside(q: Quotation, pos: int) -> bool:
    return q.outer_start < pos < q.outer_end


def attach(
    text: str,
    quotations: list[Quotation],
    attributions: list[Attribution],
    paragraphs: list[tuple[int, int]],
    rules: QuoteRules,
) -> list[dict]:
    """Combine quoted passages and parsed attributions into attribution records."""
    records: list[dict] = []
    claimed: dict[int, dict] = {}  # quotation index -> record it belongs to
    starts = [q.outer_start for q in quotations]

    def quotes_overlapping(s: int, e: int) -> list[int]:
        k = bisect.bisect_right(starts, e)
        return [j for j in range(max(0, k - 50), k) if quotations[j].outer_end > s]

    def quote_around(pos: int) -> int | None:
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and _inside(quotations[k], pos):
            return k
        return None

    for att in sorted(attributions, key=lambda a: a.cue_start):
        nested = quote_around(att.cue_start)
        if nested is not None:  # speech reported inside a quotation belongs to the quote
            continue
        rec = _record(att, text)
        touching: list[int] = []
        if nested is None:
            for j in quotes_overlapping(att.clause_start - 3, att.clause_end + 3):
                q = quotations[j]
                if j in claimed or _inside(q, att.cue_start):
                    continue
                after = q.outer_end <= att.clause_start and _GAP_AFTER.match(
                    text, q.outer_end, att.clause_start
                )
                before = q.outer_start >= att.clause_end and _GAP_BEFORE.match(
                    text[att.clause_end : q.outer_start]
                )
                if after or before:
                    touching.append(j)
        if att.start is not None:
            inner = [
                j
                for j in quotes_overlapping(att.start, att.end)
                if j not in claimed
                and att.start < quotations[j].end
                and quotations[j].start < att.end
            ]
        else:
            inner = []
        if touching or (inner and att.kind != "according_to" and nested is None):
            group = sorted(set(touching) | set(inner))
            qs = [quotations[j] for j in group]
            q_lo = min(q.outer_start for q in qs)
            q_hi = max(q.outer_end for q in qs)
            if (
                att.start is not None
                and (att.start < q_lo - 2 or att.end > q_hi + 2)
                and not touching
            ):
                rec["kind"] = "mixed"
            else:
                rec["kind"] = "direct"
                rec["start"] = min(q.start for q in qs)
                rec["end"] = max(q.end for q in qs)
            for j in group:
                claimed[j] = rec
        elif att.start is None:
            continue  # a reporting verb with nothing reported
        records.append(rec)

    records = _drop_nested(records)
    # floating quotations: the last source of this or the previous paragraph goes on
    para_starts = [p[0] for p in paragraphs]
    by_pos = sorted(records, key=lambda r: r["start"])
    for j, q in enumerate(quotations):
        if j in claimed:
            continue
        content = text[q.start : q.end]
        sentence = content[:1].isupper() and content.rstrip("\"”»’' ")[-1:] in ".!?"
        if len(content.split()) < rules.min_floating_words and not sentence:
            frag = _fragment_of(q, records)
            if frag is not None:
                claimed[j] = frag
                records.append(frag)
                by_pos = sorted(records, key=lambda r: r["start"])
            continue  # else a scare quote or a title, not speech
        prev = [r for r in by_pos if r["end"] <= q.outer_start and r["kind"] != "according_to"]
        if not prev:
            continue
        last = prev[-1]
        pq = bisect.bisect_right(para_starts, q.start) - 1
        pl = bisect.bisect_right(para_starts, last["start"]) - 1
        if pq - pl > 1:
            continue
        rec = dict(last)
        rec.update(kind="floating", start=q.start, end=q.end, cue=None, cue_start=None)
        rec.update(cue_end=None, stance=False, _from=last.get("_from", last))
        claimed[j] = rec
        records.append(rec)
        by_pos = sorted(records, key=lambda r: r["start"])
    records.sort(key=lambda r: (r["start"], r["end"]))
    return records


def _fragment_of(q: Quotation, records: list[dict]) -> dict | None:
    """A short quoted fragment in a sentence that reports one source's speech is that
    source's wording ("Dazzled by the 'friendly and open' officials, Carter said he
    ..."): a ``direct`` record with the sentence's cue; None when the sentence has no
    speech attribution or more than one source."""
    found = []
    for r in records:
        tok = r.get("_source_token")
        if tok is None or r.get("stance") or r["kind"] == "according_to":
            continue
        sent = tok.sent
        if sent.start_char <= q.outer_start and q.outer_end <= sent.end_char:
            if r["start"] is not None and r["start"] <= q.start and q.end <= r["end"]:
                return None  # part of that content already
            found.append(r)
    if not found or len({r["_source_token"].i for r in found}) != 1:
        return None
    rec = dict(found[0])
    rec.update(kind="direct", start=q.start, end=q.end, stance=False)
    return rec


def _drop_nested(records: list[dict]) -> list[dict]:
    """Attributions inside the content of another ("Trump said he wants a wall": "he wants"
    is part of what Trump said) are part of that content, not rows of their own, unless
    they name a source of their own (a proper noun) and report speech."""
    spans = sorted((r["start"], r["end"]) for r in records)
    starts = [s for s, _ in spans]
    out = []
    for r in records:
        tok = r.get("_source_token")
        if tok is not None and tok.pos_ == "PROPN" and not r.get("stance"):
            out.append(r)  # "He said the North Koreans told the U.S. that ...": a named source
            continue  # reported inside the outer content is a row of its own
        s, e, cue = r["start"], r["end"], r["cue_start"]
        k = bisect.bisect_right(starts, cue)
        inside = any(
            os_ <= s and e <= oe and os_ <= cue < oe and oe - os_ > e - s
            for os_, oe in spans[max(0, k - 20) : k]
        )
        if not inside:
            out.append(r)
    return out


def _record(att: Attribution, text: str) -> dict:
    return {
        "start": att.start,
        "end": att.end,
        "kind": att.kind,
        "source_start": att.source_start,
        "source_end": att.source_end,
        "_source_token": att.source_token,
        "cue": text[att.cue_start : att.cue_end],
        "cue_start": att.cue_start,
        "cue_end": att.cue_end,
        "stance": att.stance,
    }


# ---------------------------------------------------------------- sources


def _person_names(doc: Any, rules: QuoteRules) -> list[tuple[int, str]]:
    """(start, name) of every PERSON entity, titles and possessives stripped."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        out.append((ent.start_char, clean_name(ent.text, rules)))
    return [(s, n) for s, n in out if n]


def clean_name(name: str, rules: QuoteRules) -> str:
    """``name`` without titles, possessive, surrounding punctuation and page furniture glued
    to a lower-case word ("robert gallucciHome" -> "robert gallucci")."""
    name = re.sub(r"['’]s?\Z", "", name.strip(' \t\n,.:;"“”'))
    words = [re.sub(r"\A([a-z]+)[A-Z]\w*\Z", r"\1", w) for w in name.split()]
    while len(words) > 1 and words[0].rstrip(".").lower() in rules.titles:
        words = words[1:]
    return " ".join(words)


def _full_name(name: str, persons: list[tuple[int, str]], pos: int) -> str:
    """The fullest form of ``name`` mentioned in the document (a surname -> its full name)."""
    key = name.split()[-1].lower() if name else ""
    best = name
    for start, full in persons:
        parts = full.split()
        if len(parts) > len(best.split()) and parts[-1].lower() == key:
            best = full
            if start > pos:
                break
    return best


def resolve_sources(records: list[dict], doc: Any, rules: QuoteRules) -> None:
    """Fill ``source`` and ``source_kind`` of each record (in place), in document order."""
    from ..nlp.parsing import doc_text

    text = doc_text(doc)  # spaCy rebuilds doc.text from every token on each access
    persons = _person_names(doc, rules)
    person_starts = [s for s, _ in persons]
    ents = {}
    for ent in doc.ents:
        for t in ent:
            ents[t.i] = ent
    last_person: str | None = None
    last_any: tuple[str, str] | None = None
    done: list[dict] = []
    for rec in sorted(
        records, key=lambda r: r["cue_start"] if r["cue_start"] is not None else r["start"]
    ):
        if rec["kind"] == "floating":
            continue
        tok = rec.pop("_source_token")
        ss, se = rec["source_start"], rec["source_end"]
        lower = tok.lower_
        name, kind = None, "unknown"
        if tok.pos_ == "PRON" and lower in rules.anonymous_heads:
            name, kind = _describe(rec, text, tok), "anonymous"  # "almost everyone"
        elif tok.pos_ == "PRON" or lower in rules.first_person or lower in rules.third_person:
            if lower in rules.first_person:
                name, kind = "author", "author"
            elif lower in rules.third_person:
                outer = [
                    r
                    for r in done
                    if r.get("source")
                    and r["source_kind"] != "author"
                    and r["start"] <= ss < r["end"]
                ]
                matrix = _matrix_subject(tok)
                if outer:  # "The president said he wants a deal": he is the president
                    name, kind = outer[-1]["source"], outer[-1]["source_kind"]
                elif matrix is not None:  # "Trump held forth on what he styled as ..."
                    name, kind = _full_name(clean_name(matrix, rules), persons, ss), "person"
                else:
                    if last_person is None:
                        k = bisect.bisect_left(person_starts, ss) - 1
                        if k >= 0:
                            last_person = persons[k][1]
                    if last_person:
                        name, kind = last_person, "person"
            elif last_any is not None:
                name, kind = last_any
        else:
            span_ents = [ents[i] for i in range(tok.left_edge.i, tok.right_edge.i + 1) if i in ents]
            span_ents = [e for e in span_ents if e.start_char >= ss and e.end_char <= se]
            person = next((e for e in span_ents if e.label_ == "PERSON"), None)
            head_is_ent = tok.i in ents
            named = next(  # "North Korea's chief negotiator, Kang Sok Ju, described ..."
                (
                    ents[c.i]
                    for c in tok.children
                    if c.dep_ == "appos" and c.i in ents and ents[c.i].label_ == "PERSON"
                ),
                None,
            )
            if person is not None and (head_is_ent and ents[tok.i].label_ == "PERSON"):
                name = _full_name(clean_name(person.text, rules), persons, ss)
                kind = "person"
            elif named is not None and not head_is_ent:
                name = _full_name(clean_name(named.text, rules), persons, ss)
                kind = "person"
            elif tok.lemma_.lower() in rules.anonymous_heads and not head_is_ent:
                name, kind = _describe(rec, text, tok), "anonymous"
            elif (
                head_is_ent or tok.pos_ == "PROPN" or tok.lemma_.lower() in rules.institution_heads
            ):
                label = ents[tok.i].label_ if head_is_ent else None
                known = any(n.split()[-1] == tok.text for _, n in persons)
                if label == "PERSON" or (tok.pos_ == "PROPN" and (known or _is_name_like(tok))):
                    name = _full_name(clean_name(_describe(rec, text, tok), rules), persons, ss)
                    kind = "person"
                else:
                    name, kind = _describe(rec, text, tok), "institution"
            else:
                name, kind = _describe(rec, text, tok), "anonymous"
        rec["source"] = name
        rec["source_kind"] = kind
        done.append(rec)
        if kind == "person":
            last_person = name
        if name is not None:
            last_any = (name, kind)
    # floating rows take the source of the row they continue
    for rec in records:
        rec.pop("_source_token", None)
        origin = rec.pop("_from", None)
        if origin is not None:
            rec["source"] = origin.get("source")
            rec["source_kind"] = origin.get("source_kind", "unknown")


_EMBEDDED = frozenset({"relcl", "pcomp", "pobj", "prep", "advcl", "ccomp", "xcomp", "acl"})


def _matrix_subject(pronoun: Any) -> str | None:
    """The person named as subject of a clause that embeds the pronoun's clause, before the
    pronoun ("Trump held forth on what he styled ...": he = Trump); None across a
    coordination or when no such person subject exists."""
    node = pronoun.head
    while node.dep_ in _EMBEDDED and node.head.i != node.i:
        node = node.head
        if node.ent_type_ == "PERSON" and node.i < pronoun.i:  # "an ebullient Trump held ..."
            ent = next((e for e in pronoun.doc.ents if e.start <= node.i < e.end), None)
            return ent.text if ent is not None else node.text
        subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.i < pronoun.i and subj.ent_type_ == "PERSON":
            ent = next((e for e in pronoun.doc.ents if e.start <= subj.i < e.end), None)
            return ent.text if ent is not None else subj.text
        if subj is not None:
            return None
    return None


def _is_name_like(tok: Any) -> bool:
    return tok.ent_type_ in ("", "PERSON") and tok.text[:1].isupper() and tok.tag_ == "NNP"


def _describe(rec: dict, text: str, tok: Any = None) -> str:
    s = text[rec["source_start"] : rec["source_end"]]
    if tok is not None and s.lower() in ("who", "that", "which"):
        a, b = _span_of(source_tokens(tok))  # "Smith, who said": name Smith
        s = text[a:b]
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------- per document


def quote_records(document: Document, resources: Any = None) -> list[dict]:
    """Attribution records of one document: the per-document step of ``quotes``.

    ``resources`` is the shared ``dprkbrief.nlp.Resources`` (model and rule files); the
    parse is taken from its cache. Each record has the ``QUOTE_COLUMNS`` (``expert`` is
    filled by the cross-document step, ``None`` here) plus two flags statements use:
    ``stance`` (an attitude such as "criticized the deal", not speech) and ``turn`` (a
    speaker's turn of an interview or transcript).
    """
    from ..nlp import parse

    doc = parse(document, resources)
    rules = quote_rules(_lexicon(resources))
    return records_from_parse(document, doc, rules)


def _lexicon(resources: Any) -> Any:
    return resources.rule_path("attribution") if resources is not None else None


def records_from_parse(document: Document, doc: Any, rules: QuoteRules) -> list[dict]:
    """Attribution records of ``document`` given its spaCy parse ``doc`` (same text)."""
    from ..segment import PROSE_KINDS

    text = document.text
    paras_rows = document.segment_rows("paragraph")
    sents = [r for r in document.segment_rows("sentence")]
    paragraphs = [(int(r["start"]), int(r["end"])) for r in paras_rows]
    prose = [(int(r["start"]), int(r["end"])) for r in paras_rows if r["kind"] in PROSE_KINDS]
    quotations = quotation_marks(text, paragraphs)
    attributions = list(verb_attributions(doc, rules)) + list(according_to(doc, rules))
    attributions += list(noun_attributions(doc, rules))
    attributions += list(attitude_attributions(doc, rules))
    attributions += list(colon_attributions(doc, quotations, rules))
    speaking = [
        (int(t["start"]), int(t["end"])) for t in document.segment_rows("turn") if t.get("speaker")
    ]
    attributions += [
        a
        for a in headline_attributions(doc, paragraphs, rules)
        if not any(s <= a.cue_start < e for s, e in speaking)
    ]
    prose_starts = [s for s, _ in prose]

    def in_prose(pos: int) -> bool:
        k = bisect.bisect_right(prose_starts, pos) - 1
        return k >= 0 and prose[k][0] <= pos < prose[k][1]

    attributions = [a for a in attributions if in_prose(a.cue_start)]
    quotations = [q for q in quotations if in_prose(q.start)]
    records = attach(text, quotations, attributions, paragraphs, rules)
    resolve_sources(records, doc, rules)
    _speaker_for_first_person(records, document)
    sent_starts = [int(r["start"]) for r in sents]
    out = []
    for rec in records:
        k = max(0, bisect.bisect_right(sent_starts, rec["start"]) - 1)
        kind = rec["source_kind"]
        out.append(
            {
                "doc_id": document.doc_id,
                "seg_id": sents[k]["seg_id"] if sents else None,
                "start": rec["start"],
                "end": rec["end"],
                "quote": text[rec["start"] : rec["end"]],
                "kind": rec["kind"],
                "source": rec.get("source"),
                "source_kind": kind,
                "source_start": rec["source_start"],
                "source_end": rec["source_end"],
                "cue": rec["cue"],
                "cue_start": rec["cue_start"],
                "cue_end": rec["cue_end"],
                "expert": None,
                "voice": "own" if kind == "author" else "reported",
                "stance": bool(rec.get("stance")),
            }
        )
        if rec.get("turn"):
            out[-1]["turn"] = True  # the speaker's own words: attributed by the label
    out.extend(turn_records(document, sents))
    out.sort(key=lambda r: (r["start"], r["end"]))
    return out


def _speaker_for_first_person(records: list[dict], document: Document) -> None:
    """In a speaker's turn of an interview or transcript "I" is the speaker, not the
    author: a first-person source inside a turn becomes the turn's speaker (flag ``turn``:
    resolved through the speaker labels like the turn rows)."""
    turns = [
        (int(t["start"]), int(t["end"]), t["speaker"])
        for t in document.segment_rows("turn")
        if t.get("speaker")
    ]
    if not turns:
        return
    starts = [s for s, _, _ in turns]
    for rec in records:
        if rec.get("source_kind") != "author":
            continue
        pos = rec["cue_start"] if rec["cue_start"] is not None else rec["start"]
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and turns[k][0] <= pos < turns[k][1]:
            rec["source"], rec["source_kind"], rec["turn"] = turns[k][2], "person", True


def turn_records(document: Document, sents: list[dict] | None = None) -> list[dict]:
    """One ``direct`` record per speaker turn of an interview or transcript.

    The content runs from the first sentence after the speaker label to the end of the
    turn; the label is the source mention and its colon the cue. These rows carry
    ``turn=True`` (not a public column) so statements keep the speaker-label attribution.
    """
    from ..segment import PROSE_KINDS

    text = document.text
    sents = document.segment_rows("sentence") if sents is None else sents
    out = []
    for turn in document.segment_rows("turn"):
        speaker = turn.get("speaker")
        if not speaker:
            continue
        ts, te = int(turn["start"]), int(turn["end"])
        inside = [r for r in sents if ts <= int(r["start"]) < te]
        body = [r for r in inside if r["kind"] in PROSE_KINDS]
        if not body:
            continue
        label = next((r for r in inside if r["kind"] == "speaker_label"), None)
        cue_start = cue_end = None
        if label is not None:
            ls, le = int(label["start"]), int(label["end"])
            colon = text.rfind(":", ls, le)
            if colon != -1:
                cue_start, cue_end = colon, colon + 1
                le = colon
            while le > ls and text[le - 1].isspace():
                le -= 1
        else:
            ls = le = None
        start, end = int(body[0]["start"]), int(body[-1]["end"])
        out.append(
            {
                "doc_id": document.doc_id,
                "seg_id": body[0]["seg_id"],
                "start": start,
                "end": end,
                "quote": text[start:end],
                "kind": "direct",
                "source": speaker,
                "source_kind": "person",
                "source_start": ls,
                "source_end": le,
                "cue": None if cue_start is None else text[cue_start:cue_end],
                "cue_start": cue_start,
                "cue_end": cue_end,
                "expert": None,
                "voice": "reported",
                "turn": True,
            }
        )
    return out


# ---------------------------------------------------------------- corpus


def quotes(
    corpus: Corpus,
    *,
    docs: list[str] | None = None,
    experts: list[str] | str | None = None,
) -> pd.DataFrame:
    """One row per attribution (direct, indirect, mixed, according_to, floating quotation).

    Columns: ``doc_id, seg_id`` (sentence where the content starts), ``start, end, quote``
    (the content; ``quote == text[start:end]``), ``kind``, ``source`` (the full name of a
    person, the description of an anonymous source, an institution, or ``"author"``),
    ``source_kind`` (person|anonymous|institution|author|unknown), ``source_start,
    source_end`` (the mention the attribution attaches to; for a floating quotation the
    mention of the attribution it continues), ``cue, cue_start, cue_end`` (None for
    floating), ``expert`` (the expert registry's name of the source, None for anonymous
    sources and institutions), ``voice`` (``own`` when the author speaks, else
    ``reported``). ``experts`` keeps rows of those experts (any written form).
    """
    import pandas as pd

    from ..corpus.corpus import Corpus

    check_type("corpus", corpus, Corpus)
    docs = corpus._check_docs(docs)
    if docs is not None:
        corpus = corpus.select(docs)
    if getattr(corpus, "_index", None) is not None:  # a fold over the stored records
        from ..pipeline.fold import corpus_records
        from ..resources.bundle import default_resources

        rows = corpus_records(corpus, "quotations", default_resources()).to_dict("records")
        _link_experts(rows, corpus, None, None)  # the cross-document step
    else:
        rows = _corpus_quotes(corpus)
    df = pd.DataFrame(rows, columns=QUOTE_COLUMNS, dtype=object)
    items = as_str_list("experts", experts)
    if items is not None:
        from .experts import build_people, name_key
        from .statements import _expert_filter

        people = build_people(corpus)
        wanted = _expert_filter(items, people, corpus.doc_ids)
        df = df[df["expert"].map(lambda n: n is not None and name_key(n, people.rules) in wanted)]
    df = df.astype({"start": "int64", "end": "int64"})
    return df.reset_index(drop=True)


RECORDS_FORMAT = "quotes-14"  # bump when the records or the code producing them change


def _corpus_quotes(corpus: Corpus, attribution: Any = None, *, people: Any = None) -> list[dict]:
    """Quote records of every document plus the registry name of each source.

    A fold: the per-document ``quotations`` records (``quote_records``; memoised on each
    document and cached on disk beside the parses by ``pipeline.fold.document_records``,
    keyed by the text, the rule files and model in force, and ``RECORDS_FORMAT``: a warm run
    needs no parse), then the cross-document expert link.
    """
    from ..pipeline.fold import record_list

    rows = record_list(corpus, "quotations", _resources(attribution))
    _link_experts(rows, corpus, attribution, people)
    return rows


def _resources(attribution: Any) -> Any:
    from ..resources.bundle import Resources, default_resources

    if attribution is None:
        return default_resources()
    return Resources(rules={"attribution": str(attribution)})


def _link_experts(rows: list[dict], corpus: Corpus, attribution: Any, people: Any) -> None:
    """Cross-document step: the registry name of every person source (else None)."""
    from .experts import build_people

    if people is None:
        people = build_people(corpus, lexicon=attribution)
    for row in rows:
        if row["source_kind"] != "person" or not row["source"]:
            continue
        if row.get("turn"):
            key = people.doc_labels.get(row["doc_id"], {}).get(row["source"])
            if key:
                row["expert"] = row["source"] = people.name(key)
                continue
        key = people.resolve(row["source"], row["doc_id"])
        row["expert"] = people.name(key) if key else None


def sources(corpus: Corpus, *, docs: list[str] | None = None) -> pd.DataFrame:
    """Who is quoted, by kind: one row per source with how often and how.

    Columns: ``source``, ``source_kind`` (person|anonymous|institution|author|unknown),
    ``expert`` (registry name or None), ``n_quotes``, ``n_docs``, ``kinds`` (dict quote
    kind -> count), ``doc_ids``. Sorted by kind, then most quoted first.
    """
    import pandas as pd

    table = quotes(corpus, docs=docs)
    cols = ["source", "source_kind", "expert", "n_quotes", "n_docs", "kinds", "doc_ids"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (source, kind), group in table.groupby(["source", "source_kind"], sort=False):
        experts_ = [e for e in group["expert"] if e is not None]
        rows.append(
            {
                "source": source,
                "source_kind": kind,
                "expert": experts_[0] if experts_ else None,
                "n_quotes": len(group),
                "n_docs": group["doc_id"].nunique(),
                "kinds": group["kind"].value_counts().to_dict(),
                "doc_ids": sorted(group["doc_id"].unique()),
            }
        )
    order = {k: i for i, k in enumerate(SOURCE_KINDS)}
    out = pd.DataFrame(rows, columns=cols)
    out["_k"] = out["source_kind"].map(order)
    out = out.sort_values(["_k", "n_quotes", "source"], ascending=[True, False, True])
    return out.drop(columns="_k").reset_index(drop=True)
