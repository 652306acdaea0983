"""Hedges and certainty of a sentence, from a lexicon (data) matched on the spaCy parse.

* :func:`certainty` -- one text: ``certainty`` (0-1), ``uncertain``, ``score`` and the cues
  with character offsets into the text;
* :func:`span_certainty` -- the same over a spaCy ``Span`` or ``Doc`` a caller already has
  (offsets are then offsets into ``span.doc.text``, i.e. the document);
* :func:`certainty_table` -- one row per text of many, parsed in batches.

The cues live in ``resources/lexicons/hedges.toml`` (format at its top): modals, epistemic
verbs, adverbs and adjectives, weasel phrases, conditionals and boosters. The parse decides
the sense of a cue ("may" the modal, not the month; "appear to" but not "appeared on stage";
"suggest that" but not "suggested a venue") and the scope of a negation: a "not" of the cue
itself, of the verb it is an auxiliary or complement of, "no ..." and "without ..." keep,
flip (hedge <-> booster: "not clear", "no doubt", "I don't doubt") or drop ("could not")
the cue, as its entry says. Matching and scoring are separate steps: cues are found, then
summed (hedges add their weight to the score, boosters take it away).

Every spaCy model load goes through :func:`_load_model` and every parse through
:func:`_parse_many`, so the shared NLP backbone can replace both in one place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DprkbriefError, ParameterError, RuleFileError
from ..resources import load_toml, resource_path

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from spacy.tokens import Doc, Span, Token

TYPES = (
    "modal",
    "epistemic_verb",
    "epistemic_adverb",
    "epistemic_adjective",
    "weasel",
    "conditional",
    "booster",
)
EFFECTS = ("hedge", "booster")
NEGATED = ("keep", "flip", "drop", "only")
CONDITIONS = ("complement", "passive", "plural", "subject", "people", "says")
TABLE_COLUMNS = ("certainty", "uncertain", "score", "question", "n_cues", "cues")

_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "acomp", "attr", "oprd"})
_PEOPLE = frozenset(
    "people person expert analyst critic observer scholar historian official source "
    "commentator researcher scientist writer author pundit insider diplomat member "
    "follower fan user resident citizen voter leader politician academic theorist "
    "believer reporter journalist economist".split()
)
_NEGATORS = (
    "not",
    "n't",
    "n’t",
    "never",
    "no",
    "neither",
    "without",
    "hardly",
    "barely",
    "scarcely",
)
_WORD = re.compile(r"[A-Za-z]")


class ModelUnavailableError(DprkbriefError):
    """No spaCy English pipeline can be loaded for the certainty layer."""


# ------------------------------------------------------------------ the lexicon


@dataclass(frozen=True)
class HedgeCue:
    """One ``[[cue]]`` entry of the hedge lexicon."""

    id: str
    type: str
    effect: str
    phrases: tuple[tuple[str, ...], ...]
    match: str
    head: int
    tags: frozenset[str]
    deps: frozenset[str]
    not_after: frozenset[str]
    not_before: frozenset[str]
    requires: tuple[str, ...]
    negated: str
    weight: float
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class HedgeLexicon:
    """The compiled lexicon: cues indexed by their first word, settings, rhetorical patterns."""

    path: str
    cues: tuple[HedgeCue, ...]
    index: dict[str, tuple[tuple[HedgeCue, tuple[str, ...]], ...]]
    default_certainty: float
    threshold: float
    question: float
    rhetorical: tuple[re.Pattern, ...]
    rhetorical_examples: tuple[str, ...]
    negators: frozenset[str]
    order: dict[str, int] = field(default_factory=dict, compare=False)  # cue id -> file order

    def to_certainty(self, score: float) -> float:
        """Certainty (0-1) of a score: ``default_certainty`` at 0, 0.5 at ``threshold``."""
        d = min(max(self.default_certainty, 0.501), 0.999)
        k = math.log(d / (1 - d)) / self.threshold
        x = min(k * (score - self.threshold), 700.0)  # a run of thousands of cues: ~0, no overflow
        return round(1.0 / (1.0 + math.exp(x)), 3)


def _strs(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise RuleFileError(f"{where}: {key!r} must be a list of strings, got {value!r}")
    return tuple(value)


def _number(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleFileError(f"{where}: {key!r} must be a number, got {value!r}")
    return float(value)


def _choice(value: Any, allowed: Sequence[str], where: str, key: str) -> str:
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise RuleFileError(f"{where}: invalid {key} {value!r}; allowed are {shown}")
    return value


def _cue(entry: dict[str, Any], where: str) -> HedgeCue:
    for key in ("id", "type", "effect", "words", "weight"):
        if key not in entry:
            raise RuleFileError(f"{where}: missing key {key!r}; see the format comment at the top")
    words = _strs(entry["words"], where, "words")
    if not words:
        raise RuleFileError(f"{where}: 'words' is empty; give at least one phrase")
    phrases = tuple(tuple(w.lower().split()) for w in words)
    if any(not p for p in phrases):
        raise RuleFileError(f"{where}: an empty phrase in 'words'")
    head = entry.get("head", 0)
    if not isinstance(head, int) or any(head >= len(p) for p in phrases):
        raise RuleFileError(f"{where}: 'head' {head!r} is not a token index of every phrase")
    requires = _strs(entry.get("requires"), where, "requires")
    for cond in requires:
        _choice(cond, CONDITIONS, where, "condition in 'requires'")
    return HedgeCue(
        id=str(entry["id"]),
        type=_choice(entry["type"], TYPES, where, "type"),
        effect=_choice(entry["effect"], EFFECTS, where, "effect"),
        phrases=phrases,
        match=_choice(entry.get("match", "lemma"), ("lemma", "lower"), where, "match"),
        head=head,
        tags=frozenset(_strs(entry.get("tags"), where, "tags")),
        deps=frozenset(_strs(entry.get("deps"), where, "deps")),
        not_after=frozenset(w.lower() for w in _strs(entry.get("not_after"), where, "not_after")),
        not_before=frozenset(
            w.lower() for w in _strs(entry.get("not_before"), where, "not_before")
        ),
        requires=requires,
        negated=_choice(entry.get("negated", "keep"), NEGATED, where, "negated"),
        weight=_number(entry["weight"], where, "weight"),
        examples=_strs(entry.get("examples"), where, "examples"),
        not_examples=_strs(entry.get("not_examples"), where, "not_examples"),
    )


@lru_cache(maxsize=8)
def _compile_lexicon(path: str, mtime: float) -> HedgeLexicon:
    data = load_toml(path)
    entries = data.get("cue")
    if not isinstance(entries, list) or not entries:
        raise RuleFileError(f"{path}: no [[cue]] tables; see the format comment at the top")
    settings = data.get("settings", {})
    cues, seen = [], set()
    for i, entry in enumerate(entries):
        where = f"{path}: cue #{i + 1} ({entry.get('id', '?')})"
        cue = _cue(entry, where)
        if cue.id in seen:
            raise RuleFileError(f"{where}: duplicate cue id {cue.id!r}")
        seen.add(cue.id)
        cues.append(cue)
    index: dict[str, list[tuple[HedgeCue, tuple[str, ...]]]] = {}
    for cue in cues:
        for phrase in cue.phrases:
            index.setdefault(phrase[0], []).append((cue, phrase))
    rhetorical, rhet_examples = [], []
    for j, entry in enumerate(data.get("rhetorical", [])):
        where = f"{path}: rhetorical #{j + 1}"
        try:
            rhetorical.append(re.compile(entry["pattern"], re.IGNORECASE))
        except (KeyError, TypeError, re.error) as exc:
            raise RuleFileError(f"{where}: bad or missing 'pattern' ({exc}); fix it") from None
        rhet_examples.extend(_strs(entry.get("examples"), where, "examples"))
    threshold = _number(settings.get("threshold", 1.0), path, "threshold")
    default = _number(settings.get("default_certainty", 0.75), path, "default_certainty")
    if threshold <= 0 or not 0.5 < default < 1:
        raise RuleFileError(
            f"{path}: [settings] needs threshold > 0 and 0.5 < default_certainty < 1"
        )
    return HedgeLexicon(
        path=path,
        cues=tuple(cues),
        index={k: tuple(v) for k, v in index.items()},
        default_certainty=default,
        threshold=threshold,
        question=_number(settings.get("question", 1.0), path, "question"),
        rhetorical=tuple(rhetorical),
        rhetorical_examples=tuple(rhet_examples),
        negators=frozenset(
            w.lower() for w in _strs(settings.get("negators", _NEGATORS), path, "negators")
        ),
        order={c.id: i for i, c in enumerate(cues)},
    )


def load_hedges(lexicon: str | Path | None = None) -> HedgeLexicon:
    """The hedge lexicon: the shipped ``hedges.toml`` or a user's file of the same format."""
    if lexicon is None:
        path = resource_path("lexicons", "hedges.toml")
    elif isinstance(lexicon, (str, Path)):
        path = Path(lexicon)
        if not path.exists():
            raise RuleFileError(
                f"hedge lexicon not found: {path}; pass lexicon= an existing TOML file in the "
                "format of resources/lexicons/hedges.toml"
            )
    else:
        raise ParameterError(
            f"invalid type for 'lexicon': expected a path or None, got {type(lexicon).__name__}"
        )
    from ..resources import file_key

    return _compile_lexicon(*file_key(path))


# -------------------------------------------------------------- the parser seam


def _load_model() -> Any:
    """The package's one spaCy pipeline (``dprkbrief.nlp.load_model``: the model setting,
    verification of the pinned model, one load per process)."""
    from ..nlp import ModelError, load_model

    try:
        return load_model()
    except ModelError as exc:
        raise ModelUnavailableError(str(exc)) from None


def _shouting(text: str) -> bool:
    """All-caps text (a headline): the tagger reads it as proper nouns, so parse it lowered."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _lowered(text: str) -> str:
    """``text`` in lower case, character for character (offsets unchanged)."""
    return "".join(lo if len(lo := c.lower()) == 1 else c for c in text)


def _parse_many(texts: Sequence[str], *, batch_size: int = 256) -> list[Doc]:
    """Parse texts with the one pipeline (``nlp.pipe`` in batches); offsets equal the text's."""
    nlp = _load_model()
    prepared = [_lowered(t) if _shouting(t) else t for t in texts]
    return list(nlp.pipe(prepared, batch_size=batch_size))


def _parse(text: str) -> Doc:
    return _parse_many([text])[0]


# -------------------------------------------------------------- matching (phase 1)


def _key(token: Token, match: str) -> str:
    return token.lower_ if match == "lower" else token.lemma_.lower()


def _tag_ok(token: Token, tags: frozenset[str]) -> bool:
    return not tags or token.tag_ in tags or token.pos_ in tags


def _negated(token: Token, negators: frozenset[str]) -> bool:
    """Is ``token`` in the scope of a negation, by the parse?

    A negator right before it; a ``neg`` child of the token or of the verb it is an
    auxiliary, complement or adverb of; a negating determiner or modifier of it ("no doubt",
    "little doubt", not "a little doubt"); the object of "without".
    """
    prev = token.doc[token.i - 1] if token.i > 0 else None
    if prev is not None and prev.lower_ in negators and prev.lower_ != "without":
        if not (prev.i > 0 and token.doc[prev.i - 1].lower_ == "a"):
            return True
    owners = [token]
    if token.dep_ in ("aux", "auxpass", "acomp", "attr", "xcomp", "advmod", "neg"):
        owners.append(token.head)
    for owner in owners:
        for child in owner.children:
            if child.dep_ == "neg" and child.i != token.i:
                if owner is token or child.i < token.i or token.dep_ != "advmod":
                    return True
            if (
                (owner is token or token.dep_ in ("aux", "auxpass"))
                and child.dep_ in ("det", "amod", "advmod")
                and child.lower_ in negators
                and not any(g.lower_ == "a" for g in child.children)
                and not (child.i > 0 and token.doc[child.i - 1].lower_ == "a")
            ):
                return True
    return token.dep_ == "pobj" and token.head.lower_ in negators


def _has_complement(token: Token) -> bool:
    """A clause, infinitive or predicate complement, or a parenthetical use between commas
    ("the talks, he thinks, are dead": parataxis)."""
    if any(c.dep_ in _COMPLEMENT_DEPS for c in token.children):
        return True
    return token.dep_ == "parataxis"


def _passive(token: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in token.children):
        return True
    return token.tag_ == "VBN" and token.dep_ in ("acl", "amod")


def _noun_of(token: Token) -> Token:
    """The noun a determiner/adjective belongs to, or the token itself."""
    if token.dep_ in ("det", "amod", "nummod", "predet") and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head
    return token


def _plural(token: Token) -> bool:
    noun = _noun_of(token)
    return noun.tag_ in ("NNS", "NNPS") or noun.pos_ == "PRON" or noun.lower_ == "others"


def _subject(token: Token) -> bool:
    return _noun_of(token).dep_ in ("nsubj", "nsubjpass")


def _people(token: Token) -> bool:
    noun = _noun_of(token)
    return noun is token or noun.lemma_.lower() in _PEOPLE


def _says(token: Token) -> bool:
    verb = _noun_of(token).head
    return verb.pos_ in ("VERB", "AUX") and _has_complement(verb)


_CHECKS = {
    "says": _says,
    "complement": _has_complement,
    "passive": _passive,
    "plural": _plural,
    "subject": _subject,
    "people": _people,
}


@dataclass(frozen=True)
class _Found:
    cue: HedgeCue
    first: int  # token index of the phrase's first token
    last: int  # token index of its last token
    negated: bool
    effect: str


def _find(tokens: Sequence[Token], lex: HedgeLexicon) -> list[_Found]:
    """Phase 1: every cue occurrence whose sense and conditions the parse confirms."""
    found: list[_Found] = []
    words = [t for t in tokens if not t.is_space]
    index = lex.index
    for pos, token in enumerate(words):
        lower, lemma = token.lower_, token.lemma_.lower()
        if lower not in index and lemma not in index:
            continue  # most words start no cue
        for key in {lower, lemma}:
            for cue, phrase in index.get(key, ()):
                n = len(phrase)
                span = words[pos : pos + n]
                if len(span) < n or any(
                    w != "*" and _key(t, cue.match) != w for t, w in zip(span, phrase, strict=True)
                ):
                    continue
                if key != _key(token, cue.match):
                    continue  # the other key of this token found it
                head = span[cue.head]
                if not _tag_ok(head, cue.tags) or (cue.deps and head.dep_ not in cue.deps):
                    continue
                if pos > 0 and words[pos - 1].lower_ in cue.not_after:
                    continue
                if pos + n < len(words) and words[pos + n].lower_ in cue.not_before:
                    continue
                if not all(_CHECKS[c](head) for c in cue.requires):
                    continue
                negated = _negated(head, lex.negators)
                effect = cue.effect
                if negated and cue.negated == "drop":
                    continue
                if not negated and cue.negated == "only":
                    continue
                if negated and cue.negated == "flip":
                    effect = "booster" if effect == "hedge" else "hedge"
                found.append(_Found(cue, span[0].i, span[-1].i, negated, effect))
    # longest phrase first, then lexicon order; a token belongs to one cue only
    order = lex.order
    found.sort(key=lambda f: (f.first - f.last, order[f.cue.id], f.first))
    taken: set[int] = set()
    kept = []
    for f in found:
        idx = set(range(f.first, f.last + 1))
        if idx & taken:
            continue
        taken |= idx
        kept.append(f)
    kept.sort(key=lambda f: f.first)
    return kept


# ------------------------------------------------------------- scoring (phase 2)

_OPEN = {"“": "”", "‘": "’", "«": "»"}


def _quote_depths(text: str) -> list[int]:
    """Quotation depth of every character (0 = outside quotation marks)."""
    depths, stack = [0] * len(text), []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1] and not (ch == "’" and after.isalpha()):
            stack.pop()
            depths[i] = len(stack) + 1
            continue
        elif ch == '"':
            if stack and stack[-1] == '"':
                stack.pop()
                depths[i] = len(stack) + 1
                continue
            stack.append('"')
        elif ch == "'" and not before.isalnum() and after.isalpha():
            stack.append("'")
        elif ch == "'" and stack and stack[-1] == "'" and not after.isalnum():
            stack.pop()
            depths[i] = len(stack) + 1
            continue
        depths[i] = len(stack)
    return depths


def _result(tokens: Sequence[Token], text: str, lex: HedgeLexicon, base: int = 0) -> dict[str, Any]:
    """Phase 2: sum the cues of one sentence (or span) into certainty, score and cues.

    ``text`` is the document text from offset ``base`` on (a span passes its own text, so a
    call costs the span's length, not the document's)."""
    doc_text = _Shifted(text, base)
    found = _find(tokens, lex)
    words = [t for t in tokens if not t.is_space and not t.is_punct]
    start = tokens[0].idx if len(tokens) else 0
    end = tokens[-1].idx + len(tokens[-1]) if len(tokens) else 0
    span_text = doc_text[start:end]
    depths = _quote_depths(span_text) if found else []  # read only at the cues
    cues = []
    score = 0.0
    for f in found:
        first, last = tokens[0].doc[f.first], tokens[0].doc[f.last]
        s, e = first.idx, last.idx + len(last)
        signed = f.cue.weight if f.effect == "hedge" else -f.cue.weight
        score += signed
        cues.append(
            {
                "cue": doc_text[s:e],
                "start": s,
                "end": e,
                "type": f.cue.type,
                "id": f.cue.id,
                "effect": f.effect,
                "weight": round(signed, 3),
                "negated": f.negated,
                "quoted": depths[s - start] if 0 <= s - start < len(depths) else 0,
            }
        )
    stripped = span_text.strip().rstrip("\"'”’)»")
    question = stripped.endswith("?")
    rhetorical = question and any(p.search(span_text.strip()) for p in lex.rhetorical)
    if question and not rhetorical and lex.question:
        score += lex.question
    if not words:
        score = 0.0
    score = round(score, 3)
    return {
        "certainty": lex.to_certainty(score),
        "uncertain": score >= lex.threshold,
        "score": score,
        "question": question,
        "rhetorical": rhetorical,
        "cues": cues,
    }


# ------------------------------------------------------------------- public API


def _check_text(name: str, text: Any) -> str:
    if not isinstance(text, str):
        raise ParameterError(
            f"invalid type for {name!r}: expected str, got {type(text).__name__}; pass the "
            "sentence text (or use span_certainty for a spaCy Span)"
        )
    return text


def certainty(text: str, *, lexicon: str | Path | None = None) -> dict[str, Any]:
    """How certain one sentence (or short text) is, with the cues that say so.

    Returns ``certainty`` (0-1; ``default_certainty`` of the lexicon, 0.75, for a plain
    assertion), ``uncertain`` (score >= the lexicon's threshold), ``score`` (hedge weights
    minus booster weights; higher = less certain), ``question``, ``rhetorical`` and ``cues``:
    dicts with ``cue`` (== text[start:end]), ``start``, ``end``, ``type``, ``id``, ``effect``
    ("hedge" or "booster" after negation), ``weight`` (signed contribution to the score),
    ``negated`` and ``quoted`` (quotation depth: 0 outside quotation marks).
    """
    text = _check_text("text", text)
    lex = load_hedges(lexicon)
    if not text.strip():
        return _result([], text, lex)
    doc = _parse(text)
    return _result(doc[:], text, lex)


def span_certainty(span: Span | Doc, *, lexicon: str | Path | None = None) -> dict[str, Any]:
    """:func:`certainty` of a spaCy ``Span`` or ``Doc`` a caller already parsed.

    Offsets are into ``span.doc.text`` (the document), so a caller with a document-level
    parse gets document offsets and shares the parse.
    """
    doc = getattr(span, "doc", None)
    if doc is None or not hasattr(span, "__getitem__"):
        raise ParameterError(
            f"invalid type for 'span': expected a spaCy Span or Doc, got {type(span).__name__}"
        )
    return _span_certainty(span, load_hedges(lexicon))


def _span_certainty(span: Span | Doc, lex: HedgeLexicon) -> dict[str, Any]:
    """:func:`span_certainty` with the lexicon loaded (callers over many sentences load it
    once)."""
    from ..nlp.parsing import doc_memo, doc_text

    doc = span.doc
    # statements, stance cells and forecasts ask this of the same sentences: one answer per
    # span and lexicon (the entry holds the lexicon, so its id is not reused while it lives)
    memo = doc_memo(doc)
    key = ("span_certainty", span.start, span.end, id(lex)) if span is not doc else None
    hit = memo.get(key) if key else None
    if hit is not None and hit[0] is lex:
        return _copy_result(hit[1])
    text = doc_text(doc)  # spaCy joins every token's text on each ``.text``
    if span is doc:
        return _result(span[:], text, lex)
    res = _result(span, text[span.start_char : span.end_char], lex, span.start_char)
    memo[key] = (lex, res)
    return _copy_result(res)


def _copy_result(res: dict[str, Any]) -> dict[str, Any]:
    """A copy a caller may change without changing the remembered result."""
    return {**res, "cues": [dict(c) for c in res["cues"]]}


def hedge_cues(result: dict[str, Any]) -> list[str]:
    """The hedge cue words of a :func:`certainty` / :func:`span_certainty` result (what
    statements, stance cells and forecasts list as ``hedges``)."""
    return [c["cue"] for c in result["cues"] if c["effect"] == "hedge"]


class _Shifted:
    """``text`` that starts at document offset ``base``, sliced by document offsets."""

    def __init__(self, text: str, base: int) -> None:
        self.text, self.base = text, base

    def __getitem__(self, key: slice) -> str:
        return self.text[key.start - self.base : key.stop - self.base]


def certainty_table(
    texts: Iterable[str] | pd.Series, *, lexicon: str | Path | None = None
) -> pd.DataFrame:
    """One row per text: ``certainty``, ``uncertain``, ``score``, ``question``, ``n_cues``,
    ``cues`` (the cue strings joined by "; "). A Series keeps its index; texts are parsed
    in batches, so this is the fast way over many sentences."""
    import pandas as pd

    if isinstance(texts, str):
        raise ParameterError("invalid type for 'texts': expected many texts, got one str")
    index = texts.index if isinstance(texts, pd.Series) else None
    items = [_check_text(f"texts[{i}]", t) for i, t in enumerate(list(texts))]
    lex = load_hedges(lexicon)
    todo = [i for i, t in enumerate(items) if t.strip()]
    docs = dict(zip(todo, _parse_many([items[i] for i in todo]), strict=True))
    rows = []
    for i, text in enumerate(items):
        res = _result(docs[i][:], text, lex) if i in docs else _result([], text, lex)
        rows.append(
            {
                "certainty": res["certainty"],
                "uncertain": res["uncertain"],
                "score": res["score"],
                "question": res["question"],
                "n_cues": len(res["cues"]),
                "cues": "; ".join(c["cue"] for c in res["cues"]),
            }
        )
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS), index=index)
