"""Stance: what each source expects, doubts, recommends, warns against or describes, per topic.

For every prose sentence (its source from ``dprkbrief.quotes``: the quoted person, else the
speaker of the transcript turn, else the document's author) the parse splits the sentence into clauses (a verb heading a ``ROOT``,
``ccomp``, ``advcl``, ``conj``, ``relcl`` or ``parataxis``); a topic touches a clause when a
codebook pattern matches one of its words and the clause-level ``[[scope]]`` rules of
``lexicons/stance.toml`` let it (a Russia-DPRK "alliance" clause is no South Korea alliance
clause). For each topic the sentence touches:

* ``direction``: the codebook's positive/negative wording in the topic's clauses (and the
  clauses they govern or that govern them), each lean reversed once per reverser ("not",
  "never", "little", "without") or reversing cue ("doubt", "unlikely") on its dependency path
  to the root of the sentence, and by a rhetorical ``[[frame]]`` to its left ("the last thing
  X wants is ..."). Two reversers cancel. A negation does not reach a coordinated clause with
  its own subject nor an adverbial clause; one whose verb carries a ``[[focus]]`` word
  ("won't happen overnight") denies the pace, not the outcome (no lean); words in an open
  embedded question ("it is unclear what ...") carry no lean. With no outcome word, a
  negated mention leans no ("there is no deal"); with none in the topic's clauses, the
  topic's wording in a clause with a pronoun subject counts ("... indicated that he is
  willing").
* judgements (``[[evaluation]]``: "X is no good", "X would be counterproductive", "not a bad
  idea") give ``recommends``/``warns`` and the lean of what is judged times their sign.
* ``stance``: the strongest stance cue on those paths (doubts > warns > recommends > expects);
  a negated ``expects`` cue is ``doubts``; a modal perfect ("would have") is a counterfactual
  and only ``describes``; a negated ``doubts`` cue is ``expects`` ("I wouldn't be surprised
  if"); a warning predicate ("represented a dangerous expansion") warns; no cue:
  ``describes``.
* ``certainty``/``hedges``: :func:`dprkbrief.span_certainty` over the sentence of the shared
  parse.

Questions, courtesies, formulas, verbless headings and sentences with fewer than three words
carry no stance.
The module also answers which sentences are forecasts: :func:`is_forward_claim` (a modal or
future construction over an outcome, not a question, courtesy, narration, counterfactual,
schedule or term of an agreement) and :func:`forecast_claims` (per document, with horizon and
certainty).
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._regex import Anchored
from .._validate import as_str_list, check_type
from ..errors import RuleFileError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from spacy.tokens import Doc, Span, Token

    from ..corpus.corpus import Corpus, Document

STANCE_COLUMNS = [
    "doc_id",
    "start",
    "end",
    "quote",
    "source",
    "source_kind",
    "expert",
    "topic",
    "stance",
    "direction",
    "target",
    "certainty",
    "hedged",
    "hedges",
]
FORECAST_CLAIM_COLUMNS = [
    "doc_id",
    "start",
    "end",
    "quote",
    "source",
    "source_kind",
    "expert",
    "cue",
    "horizon",
    "horizon_start",
    "horizon_end",
    "certainty",
    "hedges",
    "horizon_mod",
    "topics",
    "direction",
    "sentence_start",
    "sentence_end",
]
LABELS = ("recommends", "warns", "doubts", "expects")
_PRIORITY = {"doubts": 4, "warns": 3, "recommends": 2, "expects": 1, "describes": 0}
_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "conj", "relcl", "parataxis", "csubj", "acl"}
_REPORTING = {
    "say", "tell", "add", "predict", "expect", "warn", "believe", "think", "argue", "insist",
    "note", "write", "suggest", "claim", "state", "declare", "forecast", "estimate", "vow",
    "promise", "pledge", "hope", "fear", "assert", "contend", "stress", "explain", "reckon",
}  # fmt: skip
_FUTURE = {"will", "'ll", "shall", "wo", "would", "may", "might", "could"}  # not "can": ability
_NORMATIVE = {"should", "must", "ought"}
_FUTURE_MARKERS = frozenset(_FUTURE | {"’ll"})
_NOMINAL = {"amod", "nsubj", "nsubjpass", "pobj", "dobj", "compound", "poss", "appos"}
_WH = {"whether", "how", "what", "when", "where", "why", "who", "which", "if"}
_PRONOUN_SUBJECTS = {"he", "she", "they", "it"}
_ASKING = {"ask", "wonder", "know", "unclear", "clear", "question", "see", "decide", "discuss"}


# ------------------------------------------------------------------ lexicon


@dataclass(frozen=True)
class StanceLexicon:
    """The compiled ``lexicons/stance.toml``."""

    cues: tuple[tuple[str, frozenset[str], frozenset[str], bool], ...]
    reversers: tuple[tuple[frozenset[str], frozenset[str], frozenset[str]], ...]
    frames: tuple[tuple[Anchored, str | None, bool], ...]
    skips: tuple[tuple[str, Anchored], ...]
    scopes: dict[str, dict[str, Any]]
    not_forecast: tuple[tuple[str, Anchored], ...]
    schedule: frozenset[str]
    examples: tuple[dict, ...]
    leans: dict[str, int] = field(default_factory=dict)
    narrated: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()
    evaluations: dict[str, int] = field(default_factory=dict)


def _rx(pattern: Any, where: str) -> Anchored:
    """A rule's case-insensitive regex (it skips sentences without its anchors)."""
    if not isinstance(pattern, str) or not pattern:
        raise RuleFileError(f"{where}: pattern must be a non-empty string, got {pattern!r}")
    try:
        return Anchored.compile(pattern, re.I)
    except re.error as exc:
        raise RuleFileError(f"{where}: invalid regular expression {pattern!r} ({exc})") from None


def _words(entry: dict, key: str, where: str) -> frozenset[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError(f"{where}: {key!r} must be a list of strings")
    return frozenset(v.lower() for v in value)


def _signed_lemmas(data: dict, table: str, path: str) -> dict[str, int]:
    """Lemma -> sign (+1/-1) of the ``[[table]]`` entries of a stance file."""
    out: dict[str, int] = {}
    for i, e in enumerate(data.get(table, [])):
        where = f"{path}: [[{table}]] #{i + 1}"
        if e.get("sign") not in (1, -1):
            raise RuleFileError(f"{where}: sign must be 1 or -1")
        for w in _words(e, "lemmas", where):
            out[w] = int(e["sign"])
    return out


@lru_cache(maxsize=8)
def _compile(path: str, mtime: float) -> StanceLexicon:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"cannot read the stance lexicon {path}: {exc}") from None
    cues, reversers, frames, skips, not_fc, examples = [], [], [], [], [], []
    scopes: dict[str, dict[str, Any]] = {}
    schedule: set[str] = set()
    narrated: set[str] = set()
    for i, e in enumerate(data.get("cue", [])):
        where = f"{path}: [[cue]] #{i + 1}"
        if e.get("label") not in LABELS:
            raise RuleFileError(f"{where}: label must be one of {', '.join(LABELS)}")
        cues.append(
            (e["label"], _words(e, "lemmas", where), _words(e, "tags", where), bool(e.get("flips")))
        )
    for i, e in enumerate(data.get("reverser", [])):
        where = f"{path}: [[reverser]] #{i + 1}"
        reversers.append(
            (_words(e, "lemmas", where), _words(e, "deps", where), _words(e, "heads", where))
        )
    for i, e in enumerate(data.get("frame", [])):
        where = f"{path}: [[frame]] #{i + 1}"
        label = e.get("label")
        if label is not None and label not in (*LABELS, "describes"):
            raise RuleFileError(f"{where}: label must be one of {', '.join(LABELS)}, describes")
        frames.append((_rx(e.get("pattern"), where), label, bool(e.get("flips", True))))
    for i, e in enumerate(data.get("skip", [])):
        where = f"{path}: [[skip]] #{i + 1}"
        skips.append((str(e.get("kind", "skip")), _rx(e.get("pattern"), where)))
    for i, e in enumerate(data.get("scope", [])):
        where = f"{path}: [[scope]] #{i + 1}"
        topic = e.get("topic")
        if not isinstance(topic, str):
            raise RuleFileError(f"{where}: 'topic' must be a codebook topic id")
        scopes[topic] = {
            "generic": tuple(_rx(p, where) for p in e.get("generic", [])),
            "unless": tuple(str(t) for t in e.get("unless", [])),
            "requires": tuple(_rx(p, where) for p in e.get("requires", [])),
        }
    focus: set[str] = set()
    for i, e in enumerate(data.get("focus", [])):
        focus |= _words(e, "lemmas", f"{path}: [[focus]] #{i + 1}")
    evaluations = _signed_lemmas(data, "evaluation", path)
    leans = _signed_lemmas(data, "lean", path)
    for i, e in enumerate(data.get("forward", [])):
        where = f"{path}: [[forward]] #{i + 1}"
        if e.get("kind") == "not_forecast":
            not_fc.append((str(e.get("why", "not a forecast")), _rx(e.get("pattern"), where)))
        elif e.get("kind") == "schedule":
            schedule |= _words(e, "lemmas", where)
        elif e.get("kind") == "narrated":
            narrated |= _words(e, "lemmas", where)
        else:
            raise RuleFileError(f"{where}: kind must be 'not_forecast', 'schedule' or 'narrated'")
    for table in (
        "cue",
        "reverser",
        "focus",
        "evaluation",
        "lean",
        "frame",
        "skip",
        "scope",
        "forward",
    ):
        for e in data.get(table, []):
            examples.extend({"table": table, **x} for x in e.get("examples", []))
    return StanceLexicon(
        tuple(cues),
        tuple(reversers),
        tuple(frames),
        tuple(skips),
        scopes,
        tuple(not_fc),
        frozenset(schedule),
        tuple(examples),
        leans,
        narrated=frozenset(narrated),
        focus=frozenset(focus),
        evaluations=evaluations,
    )


def load_stance_lexicon(lexicon: str | Path | None = None) -> StanceLexicon:
    """The stance lexicon (packaged ``lexicons/stance.toml`` or a user's file of that format)."""
    from ..resources import file_key
    from .codebook import _path

    path = _path(lexicon, "lexicons", "stance.toml")
    return _compile(*file_key(path))


# ------------------------------------------------------------------ parse helpers


def _word(tok: Token) -> set[str]:
    return {tok.lemma_.lower(), tok.lower_}


def _path_to_root(tok: Token, stop: Token | None = None) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and (stop is None or out[-1].i != stop.i):
        out.append(out[-1].head)
    return out


def _clause_head(tok: Token) -> Token:
    cur = tok
    while cur.dep_ not in _CLAUSE_DEPS or (cur.dep_ == "conj" and cur.pos_ not in ("VERB", "AUX")):
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _related(a: Token, b: Token) -> bool:
    """Whether clause heads ``a`` and ``b`` are the same clause or one governs the other."""
    return a.i == b.i or a.is_ancestor(b) or b.is_ancestor(a)


def _text(span: Span | Doc) -> str:
    """``span.text``, sliced from the document's text (spaCy joins every token's text)."""
    from ..nlp.parsing import doc_text

    text = doc_text(span.doc)
    return text if span is span.doc else text[span.start_char : span.end_char]


def _alpha_count(span: Span | Doc) -> int:
    """How many tokens of ``span`` are alphabetic (from running counts kept on the parse)."""
    from ..nlp.parsing import doc_memo

    doc = span.doc
    memo = doc_memo(doc)
    counts = memo.get("alpha_counts")
    if counts is None:
        from itertools import accumulate

        from spacy.attrs import IS_ALPHA

        flags = doc.to_array([IS_ALPHA]).reshape(-1).tolist() if len(doc) else []
        counts = memo["alpha_counts"] = [0, *accumulate(flags)]
    if span is doc:
        return counts[-1]
    return counts[span.end] - counts[span.start]


def _token_at(sent: Span, pos: int, starts: list[int] | None = None) -> Token | None:
    """The token of ``sent`` covering document offset ``pos`` (``starts``: the tokens'
    offsets, given when called often on one sentence, so a lookup is a bisection)."""
    if starts is None:
        starts = [t.idx for t in sent]
    i = bisect.bisect_right(starts, pos) - 1
    if i < 0:
        return None
    tok = sent[i]
    return tok if pos < tok.idx + max(1, len(tok.text)) else None


def _clause_groups(sent: Span) -> dict[int, list[Token]]:
    """Tokens of ``sent`` by the index of their clause head (``_clause_head``), computed in
    one pass with each head chain walked once (a long sentence is not quadratic)."""
    memo: dict[int, int] = {}
    for tok in sent:
        chain = []
        cur = tok
        while cur.i not in memo:
            chain.append(cur.i)
            stop = cur.dep_ in _CLAUSE_DEPS and not (
                cur.dep_ == "conj" and cur.pos_ not in ("VERB", "AUX")
            )
            if stop or cur.head.i == cur.i:
                memo[cur.i] = cur.i
                break
            cur = cur.head
        head = memo[cur.i]
        for i in chain:
            memo[i] = head
    groups: dict[int, list[Token]] = {}
    for tok in sent:
        groups.setdefault(memo[tok.i], []).append(tok)
    return groups


def _reverses(tok: Token, lex: StanceLexicon) -> bool:
    words = _word(tok)
    for lemmas, deps, heads in lex.reversers:
        if (
            words & lemmas
            and (not deps or tok.dep_.lower() in deps)
            and (not heads or tok.head.lemma_.lower() in heads)
        ):
            return True
    return False


def _cue_of(tok: Token, lex: StanceLexicon) -> tuple[str, bool] | None:
    words = _word(tok)
    for label, lemmas, tags, flips in lex.cues:
        if words & lemmas and (not tags or tok.tag_.lower() in tags):
            if tok.lemma_.lower() == "need" and not any(c.dep_ == "xcomp" for c in tok.children):
                continue  # "need to" urges; "the need for" does not
            return label, flips
    return None


def _modal_perfect(tok: Token) -> bool:
    """``tok`` is a modal followed by perfect "have" ("would have", "could have")."""
    head = tok.head
    return tok.tag_ == "MD" and any(
        c.lemma_ == "have" and c.dep_ == "aux" and c.i > tok.i for c in head.children
    )


def _skip_kind(text: str, tokens: int, lex: StanceLexicon) -> str | None:
    """Why a sentence carries no stance (question, courtesy, ...), or None."""
    stripped = text.strip().rstrip("\"'”’)]»").rstrip()
    if stripped.endswith("?"):
        return "question"
    if tokens < 3:
        return "fragment"
    if text.isupper():
        return "all-caps headline"  # no parse to trust, and a headline is not a claim
    for kind, rx in lex.skips:
        if rx.search(text):
            return kind
    return None


# ------------------------------------------------------------------ stance of a sentence


def _topic_hits(sent: Span, topics: tuple, lex: StanceLexicon) -> dict[str, list[Token]]:
    """topic id -> the words of ``sent`` that put it on that topic, after the scope rules."""
    text, base = _text(sent), sent.start_char
    found: dict[str, list[tuple[Token, re.Match]]] = {}
    starts: list[int] = []
    for topic in topics:
        if not topic.mentioned(text):
            continue  # its anchors, then one search of its joined patterns, rule it out
        if not starts:
            starts = [t.idx for t in sent]
        for p in topic.patterns:
            for m in p.finditer(text):
                tok = _token_at(sent, base + m.start(), starts)
                if tok is not None:
                    found.setdefault(topic.id, []).append((tok, m))
    clause_text: dict[int, str] = {}
    groups: dict[int, list[Token]] = {}

    def words_of(head: Token) -> str:
        if head.i not in clause_text:
            if not groups:
                groups.update(_clause_groups(sent))
            clause_text[head.i] = " ".join(t.text for t in groups.get(head.i, []))
        return clause_text[head.i]

    out: dict[str, list[Token]] = {}
    for tid, hits in found.items():
        scope = lex.scopes.get(tid)
        keep = []
        for tok, m in hits:
            head = _clause_head(tok)
            if scope:
                if any(g.fullmatch(m.group(0)) or g.search(m.group(0)) for g in scope["generic"]):
                    others = [
                        other
                        for other in scope["unless"]
                        if any(_clause_head(t).i == head.i for t, _m in found.get(other, []))
                    ]
                    if others:
                        continue
                if scope["requires"] and not any(
                    r.search(words_of(head)) for r in scope["requires"]
                ):
                    continue
            keep.append(tok)
        if keep:
            out[tid] = keep
    return out


def _lean_cues(sent: Span, topic: Any) -> list[tuple[Token, int]]:
    """(token, +1/-1) for the topic's positive/negative wording in the sentence."""
    text, base = _text(sent), sent.start_char
    mentions = {m.start() for p in topic.patterns for m in p.finditer(text)}
    hits = [(m.start(), 1) for p in topic.positive for m in p.finditer(text)]
    hits += [(m.start(), -1) for p in topic.negative for m in p.finditer(text)]
    if any(pos not in mentions for pos, _ in hits):
        hits = [(pos, s) for pos, s in hits if pos not in mentions]
    out = []
    starts = [t.idx for t in sent] if hits else []
    for pos, sign in sorted(set(hits)):
        tok = _token_at(sent, base + pos, starts)
        if tok is not None:
            out.append((tok, sign))
    return out


def _reversals(tok: Token, sent: Span, lex: StanceLexicon, frames: list[int]) -> int:
    """How many times the lean of ``tok`` is reversed on its path to the sentence root."""
    n = 0
    seen: set[int] = set()
    prev = None
    for node in _path_to_root(tok):
        if node.i < sent.start or node.i >= sent.end:
            break
        # the negation of a clause does not reach a clause coordinated with it ("we do not
        # know X, but we do know Y": a conjunct with its own subject), nor its adverbial
        # clauses ("it has not produced plutonium since it shut the reactor", but
        # "I wouldn't be surprised if ..." reaches its complement):
        # coming up from one of those, the head's own dependants are skipped
        insulated = prev is not None and (
            prev.dep_ == "parataxis"
            or (prev.dep_ == "advcl" and not _flipping_predicate(node, lex))
            or (
                prev.dep_ == "conj"
                and prev.pos_ in ("VERB", "AUX")
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in prev.children)
            )
        )
        kids = [] if insulated else list(node.children)
        prev = node
        for t in [node, *kids]:
            if t.i in seen or t.i == tok.i:
                continue
            if t.i != node.i and t.dep_ not in (
                "neg",
                "det",
                "advmod",
                "amod",
                "prep",
                "aux",
                "acomp",
            ):
                continue
            if t.i == node.i and node.i != tok.i and node.dep_ == "prep" and _reverses(node, lex):
                seen.add(t.i)
                n += 1
                continue
            if t.i != node.i and _reverses(t, lex):
                seen.add(t.i)
                n += 1
            cue = _cue_of(t, lex)
            if cue is not None and cue[1] and t.i not in seen and t.dep_ not in _NOMINAL:
                seen.add(t.i)
                n += 1
    n += sum(1 for f in frames if f < tok.idx)
    return n


def _flipping_predicate(node: Token, lex: StanceLexicon) -> bool:
    """``node`` has a reversing predicate ("be surprised if ...", "doubtful that ..."), whose
    adverbial clause is its complement, so the negation of ``node`` reaches that clause."""
    for c in node.children:
        if c.dep_ in ("acomp", "attr"):
            cue = _cue_of(c, lex)
            if cue is not None and cue[1]:
                return True
    return False


def _focused(tok: Token, sent: Span, lex: StanceLexicon) -> bool:
    """A negation on the path of ``tok`` whose verb also carries a time or manner word of
    ``[[focus]]`` ("won't happen overnight", "had not yet joined"): the negation bears on the
    pace, not on the outcome, so ``tok`` carries no lean."""
    for node in _path_to_root(tok):
        if node.i < sent.start or node.i >= sent.end:
            break
        kids = list(node.children)
        if any(c.dep_ == "neg" for c in kids) and any(
            c.lower_ in lex.focus or c.lemma_.lower() in lex.focus
            for k in kids
            for c in (k, *k.children)
            if k.dep_ in ("advmod", "npadvmod", "prep", "pobj")
        ):
            return True
    return False


_UNSETTLED = {"unclear", "uncertain", "unknown", "wonder", "know", "determine", "decide"}


def _unsettled(tok: Token) -> bool:
    """``tok`` sits in an embedded question the sentence leaves open ("it is unclear what was
    needed to bring them back", "we do not know what they will do"): no lean on its outcome."""
    head = _clause_head(tok)
    cur = tok
    while cur.i != head.i and cur.dep_ not in ("ccomp", "pcomp", "pobj", "xcomp", "csubj"):
        cur = cur.head
    for anc in [head, *head.ancestors]:
        first = min(anc.subtree, key=lambda t: t.i)
        opener = {
            c.lower_
            for c in anc.children
            if c.dep_ in ("mark", "advmod", "nsubj", "nsubjpass", "dobj")
        }
        opener |= {first.lower_}
        if not opener & _WH:
            continue
        for gov in anc.ancestors:
            preds = [gov, *(c for c in gov.children if c.dep_ in ("acomp", "attr"))]
            for pred in preds:  # "we do not know what ...", "it is unclear what ..."
                lemma = pred.lemma_.lower()
                if lemma in _UNSETTLED and (
                    lemma != "know" or any(c.dep_ == "neg" for c in gov.children)
                ):
                    return True
        return False
    return False


def _opinion(tokens: list[Token], sent: Span) -> bool:
    """An unnegated "think"/"believe" governs one of ``tokens`` ("Others think there is no
    deal"): the clause is the source's opinion, so a no-lean reads as doubt."""
    for tok in tokens:
        for node in _path_to_root(tok):
            if node.i < sent.start or node.i >= sent.end:
                break
            if node.lemma_.lower() in ("think", "believe") and not any(
                c.dep_ == "neg" for c in node.children
            ):
                return True
    return False


def _label(tokens: list[Token], sent: Span, lex: StanceLexicon) -> tuple[str, bool]:
    """Strongest stance label over the paths of ``tokens`` to the root; counterfactual flag."""
    best, counterfactual = "describes", False
    seen: set[int] = set()
    for tok in tokens:
        for node in _path_to_root(tok):
            if node.i < sent.start or node.i >= sent.end:
                break
            for t in [node, *node.children]:
                if t.i in seen or (t.i != node.i and t.dep_ not in ("aux", "advmod", "acomp")):
                    continue
                seen.add(t.i)
                cue = _cue_of(t, lex)
                if cue is None or t.dep_ in _NOMINAL:
                    continue  # "those most skeptical of a deal": a description, not the source's
                if _embedded_question(t):
                    continue  # "it is unclear what was needed", "the issue of when they will
                    # ship the rods": asked, not urged or expected
                if cue[0] != "expects" and _clause_head(t).dep_ in ("relcl", "acl"):
                    continue  # "the tests it needs to develop": describes the tests
                label = cue[0]
                if _modal_perfect(t):
                    counterfactual = True
                    continue
                if label == "expects":
                    negs = [c for c in t.head.children if c.dep_ == "neg"]
                    negs += [c for c in t.children if c.dep_ == "neg"]
                    if t.dep_ in ("ROOT", "ccomp") or t.pos_ in ("VERB", "ADJ"):
                        negs = [c for c in t.children if c.dep_ == "neg"]
                    if t.pos_ == "ADJ" and t.dep_ in ("acomp", "attr"):  # "is not sure"
                        negs += [c for c in t.head.children if c.dep_ == "neg"]
                    if t.lower_ in ("think", "believe") and not negs:
                        continue  # "I think" hedges; it leans by what follows
                    if negs and len(negs) % 2 and t.tag_ != "MD":
                        label = "doubts"  # "I don't think", "not likely"; "will never" expects"
                elif label == "doubts":
                    negs = [c for c in t.children if c.dep_ == "neg"]
                    if t.dep_ in ("acomp", "attr"):
                        negs += [c for c in t.head.children if c.dep_ == "neg"]
                    if len(negs) % 2:
                        label = "expects"  # "not unlikely", "I wouldn't be surprised if"
                if _PRIORITY[label] > _PRIORITY[best]:
                    best = label
    if counterfactual and best == "expects":
        best = "describes"
    return best, counterfactual


_PREDICATING = {"represent", "constitute", "pose", "become", "remain", "create", "mark"}


def _warning_predicate(sent: Span, lex: StanceLexicon) -> bool:
    """The sentence calls something dangerous: a ``warns`` cue as the predicate or as the
    adjective of a predicate noun ("it represented a dangerous expansion", "views the pact
    as an extremely dangerous arrangement", "the move poses a serious threat")."""
    for t in sent:
        cue = _cue_of(t, lex)
        if cue is None or cue[0] != "warns" or _clause_head(t).dep_ in ("relcl", "acl"):
            continue  # "reactors, which are considered less dangerous": describes the reactors
        if any(c.dep_ == "neg" or c.lower_ in ("less", "least") for c in t.children):
            continue
        noun = t.head if t.dep_ in ("amod", "compound") else t
        if noun.dep_ in ("attr", "oprd", "acomp"):
            if not any(c.dep_ == "neg" for c in noun.head.children):
                return True
        elif noun.dep_ == "dobj" and noun.head.lemma_.lower() in _PREDICATING:
            return True
        elif noun.dep_ == "pobj" and noun.head.lower_ == "as":
            return True
    return False


def _judged(tok: Token) -> tuple[Token, list[Token]] | None:
    """If ``tok`` is the predicate of a judgement ("X is no good", "X would be
    counterproductive", "deems X a mistake", "it is not a bad idea for X to go"): the copula
    or verb and the words of what is judged; else None."""
    pred = tok
    if tok.dep_ in ("amod", "compound", "npadvmod") and tok.head.dep_ in ("attr", "oprd", "acomp"):
        pred = tok.head
    elif tok.dep_ not in ("acomp", "attr", "oprd"):
        return None
    head = pred.head
    judged = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    if pred.dep_ == "oprd":
        judged = [c for c in head.children if c.dep_ == "dobj"] or judged
    if not judged or judged[0].lower_ in ("it", "this", "that"):
        # "it is not a bad idea for Mr. Hill to go": the extraposed clause is judged
        judged += [
            c
            for x in (head, pred)
            for c in x.children
            if c.dep_ in ("xcomp", "ccomp", "acl", "relcl", "advcl") and c.i > pred.i
        ]
    if not judged:
        return None
    return head, [t for j in judged for t in j.subtree]


def _judgement(
    sent: Span, topic: Any, toks: list[Token], lex: StanceLexicon
) -> tuple[str, int] | None:
    """(label, direction) when the sentence judges something of the topic good or bad: good
    is ``recommends``, bad is ``warns``, and the direction is the lean of what is judged
    (its topic wording, else its general outcome words, else the topic's ``mention_lean``)
    times the judgement's sign."""
    if not lex.evaluations:
        return None
    topic_idx = {t.i for t in toks}
    for tok in sent:
        sign = lex.evaluations.get(tok.lemma_.lower(), lex.evaluations.get(tok.lower_))
        if sign is None:
            continue
        found = _judged(tok)
        if found is None:
            continue
        head, judged = found
        idx = {t.i for t in judged}
        if not idx & topic_idx and not any(t.i in idx for t, _s in _lean_cues(sent, topic)):
            continue
        pred = tok.head if tok.dep_ in ("amod", "compound", "npadvmod") else tok
        polarity = sign
        for t in {c.i: c for x in (tok, pred, head) for c in x.children}.values():
            if t.dep_ in ("neg", "det", "advmod") and t.i not in idx and _reverses(t, lex):
                polarity = -polarity
        cues = [(t, s) for t, s in _lean_cues(sent, topic) if t.i in idx]
        if not cues:  # no topic wording in what is judged: the general outcome words
            cues = [
                (t, lex.leans[w])
                for t in judged
                for w in [t.lemma_.lower() if t.lemma_.lower() in lex.leans else t.lower_]
                if w in lex.leans and t.i not in topic_idx
            ]
        score = 0
        for t, s in cues:
            flips = 0
            for node in _path_to_root(t):
                if node.i not in idx:
                    break
                flips += sum(
                    1 for c in node.children if c.i != t.i and c.i in idx and _reverses(c, lex)
                )
            score += -s if flips % 2 else s
        lean = (score > 0) - (score < 0) if score else topic.mention_lean
        return ("recommends" if polarity > 0 else "warns"), lean * polarity
    return None


def _target(tok: Token, sent: Span) -> str:
    """A short phrase naming what the stance is about: subject, verb and object of the clause."""
    head = _clause_head(tok)
    parts: list[Token] = []
    subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None:
        sub = [t for t in subj.subtree if sent.start <= t.i < sent.end]
        parts.extend(sub[-3:] if len(sub) > 3 else sub)
    parts.append(head)
    obj = next((c for c in head.children if c.dep_ in ("dobj", "xcomp", "attr", "acomp")), None)
    if obj is not None:
        parts.extend(t for t in obj.subtree if t.i <= obj.i and t.i >= obj.i - 2)
    if all(p.i != tok.i for p in parts):
        parts.append(tok)
    uniq = {t.i: t for t in parts}
    words = [uniq[i].text for i in sorted(uniq) if not uniq[i].is_punct]
    return " ".join(words)[:80]


def sentence_stance(
    sent: Span,
    *,
    topics: tuple | None = None,
    lexicon: str | Path | None = None,
    hedges: str | Path | None = None,
) -> list[dict[str, Any]]:
    """Stance cells of one parsed sentence: one dict per topic it touches.

    Keys: ``start, end, quote`` (the sentence; offsets into ``sent.doc.text``), ``topic``,
    ``stance`` (expects|doubts|recommends|warns|describes), ``direction`` (+1/-1/0 on the
    topic's question), ``target``, ``certainty`` (0-1), ``hedged``, ``hedges`` (cue words).
    Questions, courtesies, formulas and fragments give no cell.
    """
    from .certainty import load_hedges
    from .codebook import topic_rules

    rules = tuple(topic_rules() if topics is None else topics)
    return _cells(sent, rules, load_stance_lexicon(lexicon), load_hedges(hedges))


def _cells(sent: Span, rules: tuple, lex: StanceLexicon, hedge_lex: Any) -> list[dict[str, Any]]:
    """:func:`sentence_stance` with its rules loaded, remembered per sentence on the parse
    (positions and forecasts ask it of the same sentences; the entry holds the rule objects,
    so their ids are not reused while it lives); returns copies."""
    from ..nlp.parsing import doc_memo

    used = (lex, hedge_lex, *rules)
    key = ("sentence_stance", sent.start, sent.end, *map(id, used))
    memo = doc_memo(sent.doc)
    hit = memo.get(key)
    if hit is None or not all(a is b for a, b in zip(hit[0], used, strict=True)):
        hit = memo[key] = (used, _sentence_stance(sent, rules, lex, hedge_lex))
    return [{**c, "hedges": list(c["hedges"])} for c in hit[1]]


def _sentence_stance(
    sent: Span, rules: tuple, lex: StanceLexicon, hedge_lex: Any
) -> list[dict[str, Any]]:
    from .certainty import _span_certainty, hedge_cues

    text = _text(sent)
    if _skip_kind(text, _alpha_count(sent), lex):
        return []
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return []  # a verbless heading or list item ("II) The dismantlement of ...") claims nothing
    hits = _topic_hits(sent, rules, lex)
    if not hits:
        return []
    frames = []
    frame_label = None
    for rx, label, flips in lex.frames:
        for m in rx.finditer(text):
            if flips:
                frames.append(sent.start_char + m.end())
            frame_label = label or frame_label
    cert = _span_certainty(sent, hedge_lex)
    hedges = hedge_cues(cert)
    by_id = {t.id: t for t in rules}
    warning = _warning_predicate(sent, lex)
    cells = []
    for tid, toks in hits.items():
        topic = by_id[tid]
        heads = {_clause_head(t).i: _clause_head(t) for t in toks}
        own = _lean_cues(sent, topic)
        leans = [
            (tok, sign)
            for tok, sign in own
            if any(_related(_clause_head(tok), h) for h in heads.values())
        ]
        if not leans:
            # the topic's own wording in a clause whose subject is a pronoun ("the way Trump
            # bent over backwards indicated that he is willing to continue"): the pronoun
            # most often takes up the actor just named
            leans = [
                (tok, sign)
                for tok, sign in own
                if any(
                    c.lower_ in _PRONOUN_SUBJECTS and c.dep_ in ("nsubj", "nsubjpass")
                    for c in _clause_head(tok).children
                )
            ]
        spans = [(m.start(), m.end()) for p in topic.patterns for m in p.finditer(text)]
        mention_toks = {  # every word of a mention ("human rights-violating"), not only its first
            tok.i
            for tok in sent
            for a, b in spans
            if a <= tok.idx - sent.start_char < max(b, a + 1)
        }
        if not leans and lex.leans:  # no topic wording: the general outcome words
            leans = [
                (t, lex.leans[w])
                for t in sent
                for w in [t.lemma_.lower() if t.lemma_.lower() in lex.leans else t.lower_]
                if w in lex.leans
                and t.i not in mention_toks
                and any(_related(_clause_head(t), h) for h in heads.values())
            ]
        kept = [(t, s) for t, s in leans if not _focused(t, sent, lex) and not _unsettled(t)]
        score = 0
        for tok, sign in kept:
            score += -sign if _reversals(tok, sent, lex, frames) % 2 else sign
        if not leans:  # no outcome word: a negated mention leans no ("there is no deal")
            negated = [
                t
                for t in toks
                if t.dep_ not in ("compound", "amod", "nmod", "poss")  # "the no-deal result"
                and not _focused(t, sent, lex)
                and not _unsettled(t)
                and _reversals(t, sent, lex, []) % 2  # a frame reverses outcomes, not mentions
            ]
            score -= bool(negated)
        label, _cf = _label(toks + [t for t, _ in leans], sent, lex)
        if frame_label:
            label = frame_label
        direction = (score > 0) - (score < 0)
        judgement = _judgement(sent, topic, toks, lex)
        if judgement is not None:
            label, direction = judgement
        elif label == "describes" and warning:
            label = "warns"
        elif label == "describes" and direction < 0 and _opinion(toks, sent):
            label = "doubts"
        if direction == 0 and label == "doubts":
            direction = -1
        cells.append(
            {
                "start": sent.start_char,
                "end": sent.end_char,
                "quote": text,
                "topic": tid,
                "stance": label,
                "direction": direction,
                "target": _target(toks[0], sent),
                "certainty": cert["certainty"],
                "hedged": bool(hedges),
                "hedges": hedges,
            }
        )
    return cells


def stance_text(
    text: str, *, topics: list[str] | None = None, lexicon: str | Path | None = None
) -> list[dict[str, Any]]:
    """Stance cells of a short text (parsed here), e.g. a lexicon example."""
    from ..nlp import load_model
    from .codebook import topic_rules

    check_type("text", text, str)
    wanted = as_str_list("topics", topics)
    rules = tuple(t for t in topic_rules() if wanted is None or t.id in wanted)
    doc = load_model()(text)
    return [c for s in doc.sents for c in sentence_stance(s, topics=rules, lexicon=lexicon)]


# ------------------------------------------------------------------ per document


def _sources(document: Document, quotes: list[dict] | None, authors: list[str]) -> Any:
    from .statements import quote_for

    qs = [q for q in (quotes or []) if not q.get("turn") and not q.get("stance")]
    author = " & ".join(authors) if authors else "the author"

    def source_of(start: int, end: int) -> tuple[str, str, str | None]:
        hit = quote_for(start, end, qs)
        if (
            hit is None
            or hit.get("source_kind") in (None, "author", "unknown")
            or not hit["source"]
        ):
            return author, "author", authors[0] if len(authors) == 1 else None
        return hit["source"], hit["source_kind"], hit.get("expert")

    return source_of


def _sentences(document: Document, doc: Doc) -> list[Span]:
    from ..segment import PROSE_KINDS

    out = []
    for row in document.segment_rows("sentence"):
        if row["kind"] not in PROSE_KINDS:
            continue
        span = doc.char_span(int(row["start"]), int(row["end"]), alignment_mode="expand")
        if span is not None and len(span):
            out.append(span)
    return out


def stance_records(
    document: Document,
    resources: Any = None,
    *,
    quotes: list[dict] | None = None,
    authors: list[str] | None = None,
    topics: tuple | None = None,
    lexicon: str | Path | None = None,
) -> list[dict[str, Any]]:
    """Stance cells of one document (columns of :data:`STANCE_COLUMNS`).

    ``quotes`` are the document's quote records (``dprkbrief.quotes``); a sentence that is
    the content of a quotation belongs to its source, else to the speaker of the transcript
    turn it is in, else to ``authors`` ("the author" when unknown). Runs on the shared
    parse (``dprkbrief.nlp.parse``).
    """
    from ..nlp import parse
    from .certainty import load_hedges
    from .codebook import topic_rules
    from .statements import quote_for

    hedges = None
    if resources is not None:  # a user's stance and hedge files (Resources kinds)
        lexicon = lexicon or resources.rule_path("stance")
        hedges = resources.rule_path("hedges")
    lex, hedge_lex = load_stance_lexicon(lexicon), load_hedges(hedges)  # once per document
    rules = tuple(topic_rules() if topics is None else topics)
    doc = parse(document, resources)
    source_of = _sources(document, quotes, list(authors or []))
    turns = [{"cue_start": None, **q} for q in quotes or [] if q.get("turn") and q.get("source")]
    rows = []
    for sent in _sentences(document, doc):
        cells = _cells(sent, rules, lex, hedge_lex)
        if not cells:
            continue
        source, kind, expert = source_of(sent.start_char, sent.end_char)
        turn = quote_for(sent.start_char, sent.end_char, turns) if kind == "author" else None
        if turn is not None:  # own words of a speaker in an interview or remarks transcript
            source, kind, expert = turn["source"], turn["source_kind"], turn.get("expert")
        for c in cells:
            rows.append(
                {
                    "doc_id": document.doc_id,
                    "source": source,
                    "source_kind": kind,
                    "expert": expert,
                    **c,
                }
            )
    return rows


def document_inputs(corpus: Corpus) -> tuple[Any, list[tuple[str, list[dict], list[str]]]]:
    """The people registry and, per document, ``(doc_id, quotes, authors)``: what
    :func:`stance_records` and :func:`forecast_claims` take besides the document (the one
    cross-document step, people and quotes, done once)."""
    from .experts import build_people
    from .quotes import _corpus_quotes

    people = build_people(corpus)
    by_doc: dict[str, list[dict]] = {}
    for q in _corpus_quotes(corpus, people=people):
        by_doc.setdefault(q["doc_id"], []).append(q)
    inputs = [
        (
            doc_id,
            by_doc.get(doc_id, []),
            [people.name(k) for k in people.doc_authors.get(doc_id, [])],
        )
        for doc_id in corpus.doc_ids
    ]
    return people, inputs


def stance(
    corpus: Corpus,
    *,
    docs: list[str] | None = None,
    topics: list[str] | str | None = None,
    experts: list[str] | str | None = None,
    lexicon: str | Path | None = None,
) -> pd.DataFrame:
    """One row per source x topic x evidence sentence: what the source expects, doubts,
    recommends, warns against or describes.

    Columns: ``doc_id, start, end, quote`` (evidence, ``quote == text[start:end]``),
    ``source`` (quoted person/institution/anonymous source, else the author(s)),
    ``source_kind``, ``expert`` (registry name or None), ``topic``, ``stance``,
    ``direction`` (+1/-1/0 on the topic's question), ``target``, ``certainty`` (0-1, from
    :func:`dprkbrief.span_certainty`), ``hedged``, ``hedges``. ``positions`` aggregates it.
    """
    import pandas as pd

    from ..corpus.corpus import Corpus
    from .codebook import check_topics, topic_rules
    from .experts import name_key
    from .statements import _expert_filter

    check_type("corpus", corpus, Corpus)
    docs = corpus._check_docs(docs)
    if docs is not None:
        corpus = corpus.select(docs)
    wanted_topics = check_topics(topics)
    rules = tuple(t for t in topic_rules() if wanted_topics is None or t.id in wanted_topics)
    people, inputs = document_inputs(corpus)
    rows = []
    for doc_id, quotes, authors in inputs:
        rows.extend(
            stance_records(
                corpus[doc_id], None, quotes=quotes, authors=authors, topics=rules, lexicon=lexicon
            )
        )
    df = pd.DataFrame(rows, columns=STANCE_COLUMNS)
    items = as_str_list("experts", experts)
    if items is not None:
        keys = _expert_filter(items, people, corpus.doc_ids) or set()
        df = df[
            df["expert"].map(lambda n: isinstance(n, str) and name_key(n, people.rules) in keys)
        ]
    return df.reset_index(drop=True)


# ------------------------------------------------------------------ forecasts


def _embedded_question(verb: Token) -> bool:
    head = _clause_head(verb)
    first = min((t for t in head.subtree), key=lambda t: t.i)
    opener = {c.lower_ for c in head.children if c.dep_ in ("mark", "advmod") and c.i < head.i}
    opener |= {first.lower_}
    if opener & _WH and head.dep_ in ("ccomp", "pcomp", "pobj", "xcomp", "acl", "csubj"):
        return True
    return any(a.lemma_.lower() in _ASKING and "whether" in opener for a in head.ancestors)


def _conditional_antecedent(verb: Token) -> bool:
    head = _clause_head(verb)
    return head.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless", "when", "until", "before", "once")
        for c in head.children
    )


def _reported(verb: Token) -> bool:
    """The clause of ``verb`` is the content of a reporting verb ("he said it would ...",
    "it would ..., he said"): climbing clause links only (complement, coordination,
    parataxis), never through a noun or preposition ("rather than add to ... a formula that
    would ..." is no report)."""
    cur = _clause_head(verb)
    while True:
        if any(
            c.dep_ in ("parataxis", "ccomp") and c.lemma_.lower() in _REPORTING and c.i > cur.i
            for c in cur.children
        ):
            return True  # "Talks will resume, he said."
        if cur.dep_ not in ("ccomp", "conj", "xcomp", "parataxis") or cur.head.i == cur.i:
            return False
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_.lower() in _REPORTING:
            return True
        cur = cur.head


_OBJECTING = {"argue", "say", "claim", "contend", "object", "counter", "question", "suggest"}
_PREDICTIVE = {"likely", "unlikely", "expect", "predict", "bound"}
_AGENTS = {
    "official", "president", "leader", "minister", "delegation", "envoy", "secretary",
    "team", "spokesman", "spokesperson", "spokeswoman", "diplomat", "negotiator", "ambassador",
}  # fmt: skip


def _agent_subject(verb: Token) -> bool:
    """The subject of ``verb`` is someone who keeps a schedule (a person, an organisation, a
    pronoun, "the official"), not an outcome ("the deal will deliver ...")."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return (
                c.pos_ in ("PROPN", "PRON")
                or c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                or c.lemma_.lower() in _AGENTS
            )
    return True  # no subject in the parse: keep the schedule reading


_WH_TAGS = {"WRB", "WP", "WDT", "WP$"}
_EVER = {"however", "whatever", "whoever", "whichever", "wherever", "whenever"}


def _wh_complement(verb: Token) -> bool:
    """``verb`` heads a WH-clause that is the complement of a preposition, noun or verb ("the
    details of how the accord will be put into effect", "we do not know what either side
    will do"): an embedded question, whatever clause the parse hangs it from."""
    first = verb
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head  # "what is to be gained ... or what Trump might offer"
    asked = first.dep_ == "advcl" and first.head.lemma_.lower() in _ASKING  # "knows when"
    if first.dep_ not in ("pcomp", "ccomp", "csubj", "pobj", "xcomp") and not asked:
        return False
    return any(
        c.i < verb.i and (c.tag_ in _WH_TAGS or (c.lower_ == "whether" and c.dep_ == "mark"))
        for c in verb.children
    )


def _in_antecedent(verb: Token) -> bool:
    """The clause of ``verb`` lies inside the antecedent of a condition, however deep ("if he
    thinks that Trump might agree, ..."): climbing complement links to an if/unless clause."""
    cur = _clause_head(verb)
    while cur.dep_ in ("ccomp", "xcomp", "conj") and cur.head.i != cur.i:
        cur = _clause_head(cur.head)
        if cur.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cur.children
        ):
            return True
    return False


def _concessive(verb: Token, marker: Token) -> bool:
    """The modal sits in a concessive "-ever" clause ("however grudging they may be",
    "whatever else might be said"); a sentence-initial "However," is a connective."""
    for t in verb.subtree:
        if t.i >= marker.i:
            break
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if t.lower_ in _EVER and not (nxt is not None and nxt.is_punct):
            return True
    return False


def _past_relative(verb: Token) -> bool:
    """ "could" in a relative clause under a past-tense verb ("raised expectations that neither
    side could meet"): the past of "can", by the sequence of tenses."""
    head = _clause_head(verb)
    if head.dep_ not in ("relcl", "acl"):
        return False
    gov = _clause_head(head.head)
    return gov.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in gov.children)


def _past_conditional(verb: Token) -> bool:
    """ "would" with an if-clause in the past perfect ("If we hadn't done the deal, North
    Korea would have ..."): a counterfactual about the past, whatever "have" means here."""
    for c in verb.children:
        if c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children):
            if c.tag_ == "VBN" and any(a.lower_ in ("had", "'d", "’d") for a in c.children):
                return True
    return False


def _narrated(verb: Token, lex: StanceLexicon) -> bool:
    """The modal's clause is the complement of a past-tense verb of agreeing, deciding or
    announcing ("the ministers decided that a hotline might ease tensions", "the North announced that it
    would invite ..."): a narrated expectation or commitment, not the source's forecast."""
    cur = _clause_head(verb)
    while cur.dep_ in ("ccomp", "conj") and cur.head.i != cur.i:
        parent = cur.head
        if cur.dep_ == "ccomp" and parent.tag_ == "VBD" and parent.lemma_.lower() in lex.narrated:
            return True
        cur = parent
    return False


_BACKSHIFTED = {"would", "might", "could"}


def _backshifted_series(tok: Token, lex: StanceLexicon) -> bool:
    """The modal continues a backshifted complement of a past-tense verb of agreeing or
    thinking ("we agreed that the visit might help -- that she would go; she would
    listen; she would report ..."): read leftwards, only backshifted modals (would, might,
    could) and non-finite verbs lie between it and a past-tense ``narrated`` verb, and the
    first modal of the series is in that verb's complement (no dash or semicolon between
    them). Sequence of tenses, whatever clause the parser hangs the later modals on; a
    present-tense verb or another modal ("will") on the way ends the series."""
    if tok.lower_ not in _BACKSHIFTED:
        return False
    sent = tok.sent
    first = tok
    for t in reversed(sent.doc[sent.start : tok.i]):
        if t.tag_ == "MD":
            if t.lower_ not in _BACKSHIFTED:
                return False
            first = t
        elif t.tag_ in ("VBZ", "VBP"):
            return False
        elif t.tag_ == "VBD":
            if t.lemma_.lower() not in lex.narrated:
                return False
            between = sent.doc[t.i + 1 : first.i]
            return not any(x.text in (";", "--", "—", "–", ":") for x in between)
    return False


def _guess_about_past(verb: Token) -> bool:
    """ "I wouldn't be surprised if he's already asked": the modal of an evaluative frame
    (a copula with an adjective or noun) whose if/that clause is in the present perfect or
    says "already" judges what has happened, not what will."""
    if verb.lemma_ != "be" or not any(c.dep_ in ("acomp", "attr") for c in verb.children):
        return False
    for c in verb.children:
        if c.dep_ in ("advcl", "ccomp") and any(m.lower_ in ("if", "that") for m in c.children):
            perfect = c.tag_ == "VBN" and any(
                a.dep_ == "aux" and a.lower_ in ("has", "have", "'s", "’s", "'ve", "’ve")
                for a in c.children
            )
            if perfect or any(a.lower_ == "already" for a in c.children):
                return True
    return False


def _present_possibility(tok: Token, verb: Token, span: Span) -> bool:
    """Epistemic "may/might be" + adjective ("the time may be ripe", "he may be right"): a
    possibility about the present, unless the sentence names a future time."""
    if tok.lower_ not in ("may", "might") or verb.lemma_ != "be":
        return False
    if not any(c.dep_ == "acomp" for c in verb.children):
        return False
    return not any(t.ent_type_ == "DATE" or t.lower_ in ("soon", "tomorrow") for t in span)


def is_forward_claim(
    span: Span, *, own_voice: bool = True, lexicon: str | Path | None = None
) -> tuple[bool, str]:
    """Whether a parsed sentence is a forecast, and why (or why not).

    A forecast is a modal or future construction ("will", "is going to", "may", "could", a
    backshifted "would" under a reporting verb, "likely to", "expect") over an outcome. Not
    forecasts: questions and embedded questions ("whether they will meet"), courtesies and
    formulas, normative "should"/"must", counterfactuals ("would have"), the antecedent of a
    condition, "would" in narration (future-in-the-past), a backshifted modal under a
    past-tense verb of agreeing or thinking and the clauses continuing it ("the envoys agreed
    that a hotline could help -- that each side would staff it; each would answer"), a guess about the
    past ("I wouldn't be surprised if he's already asked"), terms of an agreement, and, in the
    author's own voice (``own_voice``), a schedule ("the president will travel to Seoul").
    """
    ok, why, _tok = _forward(span, own_voice, load_stance_lexicon(lexicon))
    return ok, why


def _forward(span: Span, own_voice: bool, lex: StanceLexicon) -> tuple[bool, str, Any]:
    """:func:`is_forward_claim` plus the accepted marker token (remembered per sentence:
    ``forecast_claims`` asks it twice; the entry holds the lexicon, so its id is not reused,
    and a token index, not the token, so the memo does not keep its ``Doc`` alive)."""
    from ..nlp.parsing import doc_memo

    doc = span.doc
    if span is doc:
        return _forward_of(span, own_voice, lex)
    memo = doc_memo(doc)
    key = ("forward", span.start, span.end, own_voice, id(lex))
    hit = memo.get(key)
    if hit is None or hit[0] is not lex:
        ok, why, tok = _forward_of(span, own_voice, lex)
        hit = memo[key] = (lex, ok, why, None if tok is None else tok.i)
    _lex, ok, why, i = hit
    return ok, why, None if i is None else doc[i]


def _forward_of(span: Span, own_voice: bool, lex: StanceLexicon) -> tuple[bool, str, Any]:
    text = _text(span)
    skip = _skip_kind(text, _alpha_count(span), lex)
    if skip:
        return False, skip, None
    for why, rx in lex.not_forecast:
        if rx.search(text):
            return False, why, None
    reasons = []
    for tok in span:
        word, tag = tok.lower_, tok.tag_
        if tag != "MD" and word != "going" and tok.lemma_.lower() not in _PREDICTIVE:
            continue  # no branch below can take it: the common case, decided cheaply
        verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
        marker = None
        if tag == "MD" and word in _FUTURE_MARKERS:
            marker = word
        elif word == "going" and any(c.dep_ == "xcomp" for c in tok.children) and tok.tag_ == "VBG":
            marker = "going to"
            verb = next(c for c in tok.children if c.dep_ == "xcomp")
        elif tok.lemma_.lower() in _PREDICTIVE and tok.i + 1 < len(tok.doc):
            if tok.lemma_.lower() == "expect" and tok.tag_ in ("VBD", "VBN") and not own_voice:
                continue
            if tok.tag_ == "VBG":
                continue  # "Predicting Kim's response": a heading or a gerund, no claim
            if tok.lemma_.lower() in ("likely", "unlikely", "bound") and not any(
                c.dep_ == "xcomp" for c in tok.children
            ):
                continue  # "are likely valued objectives": a present guess; "likely to" looks ahead
            marker = word
        elif tok.tag_ == "MD" and word in _NORMATIVE:
            reasons.append("normative")
            continue
        if marker is None:
            continue
        if _modal_perfect(tok):
            reasons.append("counterfactual")
            continue
        if _embedded_question(verb) or _wh_complement(verb):
            reasons.append("embedded question")
            continue
        if _conditional_antecedent(verb) or _in_antecedent(verb):
            reasons.append("condition")
            continue
        if word in ("might", "may", "could") and verb.lemma_.lower() in _OBJECTING:
            reasons.append("anticipated objection")  # "some critics might argue that ..."
            continue
        if _concessive(verb, tok):
            reasons.append("concessive clause")
            continue
        if marker == "going to" and any(c.dep_ == "aux" and c.tag_ == "VBD" for c in tok.children):
            reasons.append("future-in-the-past narration")  # "was not going to be threatened"
            continue
        if word == "may" and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in verb.children):
            reasons.append("permission")  # "You may quote him as ..."
            continue
        if word == "could" and _past_relative(verb):
            reasons.append("past ability")
            continue
        if word == "would" and _past_conditional(verb):
            reasons.append("counterfactual")
            continue
        if _narrated(verb, lex) or _backshifted_series(tok, lex):
            reasons.append("narrated expectation or commitment")
            continue
        if word == "would" and _guess_about_past(verb):
            reasons.append("guess about the past")
            continue
        if _present_possibility(tok, verb, span):
            reasons.append("possibility about the present")
            continue
        if word == "would" and not _reported(verb):
            conditional = any(
                c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children)
                for c in verb.children
            )
            if not conditional:
                reasons.append("future-in-the-past narration")
                continue
        if word in ("would",) and verb.lemma_.lower() in _REPORTING | {"comment", "confirm"}:
            reasons.append("narrated refusal")
            continue
        if (
            own_voice
            and not _reported(verb)
            and verb.lemma_.lower() in lex.schedule
            and _agent_subject(verb)
            and marker in ("will", "'ll", "’ll", "going to")
        ):
            reasons.append("schedule")
            continue
        return True, f"future construction {marker!r}", tok
    return False, reasons[0] if reasons else "no future construction", None


def forward_clause(
    span: Span, *, own_voice: bool = True, lexicon: str | Path | None = None
) -> Span | None:
    """The clause of ``span`` that carries its accepted future construction (the subtree of
    the clause head governing the marker, trimmed, contiguous); the whole sentence when the
    marker is in the main clause; None when ``span`` is no forecast."""
    return _clause_of(span, *_forward(span, own_voice, load_stance_lexicon(lexicon)))


def _clause_of(span: Span, ok: bool, _why: str, tok: Any) -> Span | None:
    if not ok:
        return None
    head = _clause_head(tok.head if tok.dep_ in ("aux", "auxpass") else tok)
    if head.dep_ in ("ROOT", "parataxis"):
        return span
    toks = [t for t in head.subtree if span.start <= t.i < span.end]
    while toks and (toks[0].is_punct or toks[0].dep_ in ("mark", "cc")):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    return span.doc[toks[0].i : toks[-1].i + 1] if toks else span


def forecast_claims(
    document: Document,
    resources: Any = None,
    *,
    quotes: list[dict] | None = None,
    authors: list[str] | None = None,
    dct: str | None = None,
    lexicon: str | Path | None = None,
    topics: tuple | None = None,
    hedges: str | Path | None = None,
    horizons: str | Path | None = None,
    dates: Any = None,
) -> list[dict[str, Any]]:
    """Forecasts of one document (columns of :data:`FORECAST_CLAIM_COLUMNS`).

    Each prose sentence that :func:`is_forward_claim` accepts, with its source (as in
    :func:`stance_records`), the future cue, the horizon resolved against ``dct`` (the
    document date, ISO) by ``forecasts.resolve_horizons`` (latest-ending window, then the
    date tagger), its certainty and hedges from :func:`dprkbrief.span_certainty`, and the
    topics and lean of its stance cells (``topics``: codebook rules; None: all). Evidence
    (``start, end, quote``) is the clause of the future construction; ``sentence_start``,
    ``sentence_end`` the sentence. Rule files not given come from ``resources`` (kinds
    ``stance``, ``hedges``, ``horizons``), else the packaged ones.
    """
    from ..nlp import parse
    from .certainty import _span_certainty, hedge_cues, load_hedges
    from .codebook import topic_rules
    from .forecasts import resolve_horizons

    if resources is not None:
        lexicon = lexicon or resources.rule_path("stance")
        hedges = hedges or resources.rule_path("hedges")
        horizons = horizons or resources.rule_path("horizons")
    lex, hedge_lex = load_stance_lexicon(lexicon), load_hedges(hedges)  # once per document
    rules = tuple(topic_rules() if topics is None else topics)
    doc = parse(document, resources)
    source_of = _sources(document, quotes, list(authors or []))
    rows = []
    for sent in _sentences(document, doc):
        source, kind, expert = source_of(sent.start_char, sent.end_char)
        forward = _forward(sent, kind == "author", lex)
        ok, why = forward[:2]
        if not ok:
            continue
        clause = _clause_of(sent, *forward) or sent
        hs = resolve_horizons(_text(sent), dct, horizons=horizons, dates=dates)
        best = max(hs, key=lambda h: (h["end"] or "9999", h["start"]), default=None)
        cert = _span_certainty(sent, hedge_lex)
        cells = _cells(sent, rules, lex, hedge_lex)
        rows.append(
            {
                "doc_id": document.doc_id,
                "start": clause.start_char,
                "end": clause.end_char,
                "quote": _text(clause),
                "source": source,
                "source_kind": kind,
                "expert": expert,
                "cue": why.split("'")[1] if "'" in why else why,
                "horizon": best["text"] if best else "",
                "horizon_start": best["start"] if best else "",
                "horizon_end": best["end"] if best else "",
                "certainty": cert["certainty"],
                "hedges": hedge_cues(cert),
                "horizon_mod": best["mod"] if best else "",
                "topics": [c["topic"] for c in cells],
                "direction": next((c["direction"] for c in cells if c["direction"]), 0),
                "sentence_start": sent.start_char,
                "sentence_end": sent.end_char,
            }
        )
    return rows
