"""Topic codebook and lexicons (data files) and the small engines that apply them to a sentence.

The rules live in ``resources/topics/codebook.toml`` and ``resources/lexicons/*.toml``; this
module only loads, validates and applies them. Every function here works on plain sentence
text, so it can be tested without a corpus:

* :func:`tag_topics` -- which codebook topics a sentence is about;
* :func:`score_certainty` -- certainty (0-1) from hedges/boosters, polarity from negators;
* :func:`classify_claim` -- prediction, assessment, recommendation, warning, description,
  question;
* :func:`topic_direction` -- +1/-1/0 on a topic's yes/no question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._regex import anchors, lowered, may_match
from ..errors import ParameterError, RuleFileError
from ..resources import file_key, load_toml, resource_path

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LEXICONS = ("certainty", "claim_types", "attribution", "horizons")
CUE_TYPES = ("hedge", "booster", "negator")


@dataclass(frozen=True)
class Topic:
    """One codebook entry with its compiled regexes (``mention_lean``: how a bare mention
    leans when it is what a sentence judges good or bad, see the codebook's comment)."""

    id: str
    label: str
    question: str
    patterns: tuple[re.Pattern, ...]
    positive: tuple[re.Pattern, ...]
    negative: tuple[re.Pattern, ...]
    examples: tuple[dict, ...] = field(default=())
    any_pattern: re.Pattern | None = field(default=None, compare=False)
    mention_lean: int = 1
    anchors: tuple[str, ...] | None = field(default=None, compare=False)

    def mentioned(self, text: str) -> bool:
        """True if one of the topic's patterns matches ``text``."""
        if not may_match(self.anchors, lowered(text)):
            return False  # holds none of the strings every match contains
        if self.any_pattern is not None:
            return self.any_pattern.search(text) is not None
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class Cue:
    """One certainty-lexicon entry."""

    pattern: str
    regex: re.Pattern
    type: str
    weight: float
    negates: bool
    examples: tuple[str, ...]
    scope: str = "clause"
    anchors: tuple[str, ...] | None = field(default=None, compare=False)


def _path(value: str | Path | None, kind: str, default: str) -> Path:
    if value is None:
        return resource_path(kind, default)
    if not isinstance(value, (str, Path)):
        raise ParameterError(
            f"invalid type for the {kind} file: expected a path, got {type(value).__name__}"
        )
    path = Path(value)
    if not path.exists():
        raise RuleFileError(f"rule file not found: {path}; pass an existing TOML file")
    return path


def _compile(pattern: Any, where: str, *, bounded: bool = False) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise RuleFileError(f"{where}: pattern must be a non-empty string, got {pattern!r}")
    text = rf"(?<!\w)(?:{pattern})(?!\w)" if bounded else pattern
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise RuleFileError(
            f"{where}: invalid regex {pattern!r} ({exc}); fix the pattern"
        ) from None


# ---------------------------------------------------------------- codebook


@lru_cache(maxsize=16)
def _topics(path: str, mtime: float) -> tuple[Topic, ...]:
    data = load_toml(path)
    entries = data.get("topic")
    if not isinstance(entries, list) or not entries:
        raise RuleFileError(f"{path}: no [[topic]] tables; see the format comment at the top")
    topics, seen = [], set()
    for i, entry in enumerate(entries):
        where = f"{path}: topic #{i + 1} ({entry.get('id', '?')})"
        for key in ("id", "label", "question", "patterns"):
            if key not in entry:
                raise RuleFileError(f"{where}: missing key {key!r}")
        if entry["id"] in seen:
            raise RuleFileError(f"{where}: duplicate topic id {entry['id']!r}")
        seen.add(entry["id"])
        topics.append(
            Topic(
                id=entry["id"],
                label=entry["label"],
                question=entry["question"],
                patterns=tuple(_compile(p, where) for p in entry["patterns"]),
                positive=tuple(_compile(p, where) for p in entry.get("positive", [])),
                negative=tuple(_compile(p, where) for p in entry.get("negative", [])),
                examples=tuple(entry.get("examples", [])),
                any_pattern=_combined(entry["patterns"]),
                mention_lean=_mention_lean(entry.get("mention_lean", 1), where),
                anchors=_union_anchors(entry["patterns"]),
            )
        )
    return tuple(topics)


def _mention_lean(value: Any, where: str) -> int:
    if value not in (1, -1) or isinstance(value, bool):
        raise RuleFileError(f"{where}: mention_lean must be 1 or -1, got {value!r}")
    return int(value)


def _union_anchors(patterns: list[str]) -> tuple[str, ...] | None:
    """Anchors of a topic: every pattern's, None when one pattern has none."""
    found = [anchors(p) for p in patterns]
    if not found or any(a is None for a in found):
        return None
    return tuple(dict.fromkeys(a for each in found for a in each))  # type: ignore[union-attr]


_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?\(")


def _combined(patterns: list[str]) -> re.Pattern | None:
    """One alternation of a topic's patterns: it matches a text exactly when one of them does
    (None if they cannot be joined: global flags, or a numbered group reference that joining
    would renumber)."""
    if any(_GROUP_REFERENCE.search(p) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error:
        return None


def topic_rules(codebook: str | Path | None = None) -> tuple[Topic, ...]:
    """The compiled topics of ``codebook`` (default: the shipped ``topics/codebook.toml``)."""
    path = _path(codebook, "topics", "codebook.toml")
    return _topics(*file_key(path))


def load_codebook(codebook: str | Path | None = None) -> pd.DataFrame:
    """The topic codebook as a table, so users can read the questions directions refer to.

    Columns: ``topic, label, question, n_patterns, n_examples``.
    """
    import pandas as pd

    rows = [
        {
            "topic": t.id,
            "label": t.label,
            "question": t.question,
            "n_patterns": len(t.patterns),
            "n_examples": len(t.examples),
        }
        for t in topic_rules(codebook)
    ]
    return pd.DataFrame(rows, columns=["topic", "label", "question", "n_patterns", "n_examples"])


def check_topics(topics: Any, codebook: str | Path | None = None) -> list[str] | None:
    """Validate a ``topics`` argument against the codebook ids (None means all)."""
    from .._validate import as_str_list, check_choice

    items = as_str_list("topics", topics)
    if items is None:
        return None
    ids = [t.id for t in topic_rules(codebook)]
    for item in items:
        check_choice("topics", item, ids)
    return items


def tag_topics(text: str, *, codebook: str | Path | None = None) -> list[str]:
    """Ids of the codebook topics whose patterns match ``text``, in codebook order."""
    return [t.id for t in topic_rules(codebook) if t.mentioned(text)]


# ---------------------------------------------------------------- lexicons


def load_lexicon(name: str, lexicon: str | Path | None = None) -> dict[str, Any]:
    """Load lexicon ``name`` (one of ``LEXICONS``) from the shipped file or a user's copy."""
    from .._validate import check_choice

    check_choice("name", name, LEXICONS)
    return load_toml(_path(lexicon, "lexicons", f"{name}.toml"))


@lru_cache(maxsize=16)
def _cues(path: str, mtime: float) -> tuple[tuple[Cue, ...], float]:
    data = load_toml(path)
    entries = data.get("cue")
    if not isinstance(entries, list) or not entries:
        raise RuleFileError(f"{path}: no [[cue]] tables; see the format comment at the top")
    cues = []
    for i, entry in enumerate(entries):
        where = f"{path}: cue #{i + 1} ({entry.get('pattern', '?')!r})"
        ctype = entry.get("type")
        if ctype not in CUE_TYPES:
            raise RuleFileError(f"{where}: type must be one of {CUE_TYPES}, got {ctype!r}")
        weight = entry.get("weight", 0.0)
        if ctype != "negator" and not (isinstance(weight, (int, float)) and 0 <= weight <= 1):
            raise RuleFileError(f"{where}: weight must be a number in 0-1, got {weight!r}")
        cues.append(
            Cue(
                pattern=entry.get("pattern"),
                regex=_compile(entry.get("pattern"), where, bounded=True),
                type=ctype,
                weight=float(weight),
                negates=bool(entry.get("negates", ctype == "negator")),
                examples=tuple(entry.get("examples", [])),
                scope=_scope(entry.get("scope", "clause"), where),
                anchors=anchors(entry.get("pattern")),
            )
        )
    return tuple(cues), float(data.get("default", 0.7))


def _scope(value: Any, where: str) -> str:
    if value not in ("clause", "right"):
        raise RuleFileError(f"{where}: scope must be 'clause' or 'right', got {value!r}")
    return value


def certainty_cues(lexicon: str | Path | None = None) -> tuple[tuple[Cue, ...], float]:
    """The compiled certainty cues and the default certainty of an unmarked sentence."""
    path = _path(lexicon, "lexicons", "certainty.toml")
    return _cues(*file_key(path))


def find_cues(text: str, *, lexicon: str | Path | None = None) -> list[tuple[int, int, Cue]]:
    """Non-overlapping cue matches in ``text``: longest match wins, ties go to file order."""
    return _find_cues(text, certainty_cues(lexicon)[0])


def _find_cues(text: str, cues: tuple[Cue, ...]) -> list[tuple[int, int, Cue]]:
    found = []
    low = lowered(text)  # a cue none of whose anchors the sentence holds cannot match
    for order, cue in enumerate(cues):
        if not may_match(cue.anchors, low):
            continue
        for m in cue.regex.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), order, cue))
    if len(found) > 1:
        found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int, Cue]] = []
    for start, end, _, cue in found:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, cue))
    return sorted(taken, key=lambda t: t[0])


def score_certainty(
    text: str, *, lexicon: str | Path | None = None
) -> tuple[float, int, list[str]]:
    """Certainty (0-1), polarity (+1/-1) and the cue strings found in ``text``.

    Certainty is the mean weight of the hedges and boosters found (the lexicon's ``default``
    when there are none); polarity flips once per negator or negating hedge, so "I don't
    think X will happen" is a confident (0.75+) negative expectation.
    """
    return _score_certainty(text, *certainty_cues(lexicon))


def _score_certainty(
    text: str, cues: tuple[Cue, ...], default: float
) -> tuple[float, int, list[str]]:
    cues_found = _find_cues(text, cues)
    weights = [c.weight for _, _, c in cues_found if c.type != "negator"]
    flips = sum(1 for _, _, c in cues_found if c.negates)
    certainty = sum(weights) / len(weights) if weights else default
    return round(certainty, 3), (-1 if flips % 2 else 1), [text[s:e] for s, e, _ in cues_found]


@lru_cache(maxsize=16)
def _claim_rules(path: str, mtime: float) -> tuple[tuple[str, ...], str, tuple]:
    data = load_toml(path)
    order = tuple(data.get("order", ()))
    fallback = data.get("fallback", "description")
    rules = []
    for i, entry in enumerate(data.get("rule", [])):
        where = f"{path}: rule #{i + 1}"
        if entry.get("claim_type") not in order:
            raise RuleFileError(
                f"{where}: claim_type {entry.get('claim_type')!r} is not listed in `order`"
            )
        rx = _compile(entry.get("pattern"), where, bounded=True)
        rules.append((entry["claim_type"], rx, anchors(entry["pattern"])))
    if not order or not rules:
        raise RuleFileError(f"{path}: needs `order` and [[rule]] tables")
    return order, fallback, tuple(rules)


def claim_types(lexicon: str | Path | None = None) -> list[str]:
    """Every claim type the claim lexicon can assign (priority order, then the fallback)."""
    path = _path(lexicon, "lexicons", "claim_types.toml")
    order, fallback, _ = _claim_rules(*file_key(path))
    return [*order, fallback]


def _claims(lexicon: str | Path | None) -> tuple[tuple[str, ...], str, tuple]:
    path = _path(lexicon, "lexicons", "claim_types.toml")
    return _claim_rules(*file_key(path))


def classify_claim(text: str, *, kind: str = "body", lexicon: str | Path | None = None) -> str:
    """The claim type of a sentence: the highest-priority type with a matching cue.

    A segment of kind ``question`` (an interviewer's question) is always ``"question"``.
    """
    return _classify(text, kind, _claims(lexicon))


def _classify(text: str, kind: str, claim_rules: tuple) -> str:
    order, fallback, rules = claim_rules
    if kind == "question" and "question" in order:
        return "question"
    low = lowered(text)
    hits = {ctype for ctype, rx, need in rules if may_match(need, low) and rx.search(text)}
    for ctype in order:
        if ctype in hits:
            return ctype
    return fallback


_CLAUSE = re.compile(
    r"[;:–—,]|\b(?:but|because|whereas|although|though|while|unless)\b", re.IGNORECASE
)


def clauses(text: str) -> list[str]:
    """Split a sentence into clauses (punctuation and contrast/cause conjunctions)."""
    return [c for c in _CLAUSE.split(text) if c.strip()]


def topic_direction(
    text: str,
    topic: str | Topic,
    *,
    codebook: str | Path | None = None,
    lexicon: str | Path | None = None,
) -> int:
    """+1/-1/0: how ``text`` leans on the topic's question (see the codebook's comment).

    Per clause: the sign of the sum of its positive (+1) and negative (-1) cues, each flipped
    once per negator whose scope covers it (the clause, or for ``scope = "right"`` negators
    such as "without" only the words after it); a cue that merely names the topic ("summit")
    counts only when no other cue does. The sentence's lean is the sign of the clause sum,
    0 when no cue of the topic occurs.
    """
    if isinstance(topic, str):
        by_id = {t.id: t for t in topic_rules(codebook)}
        if topic not in by_id:
            from .._validate import check_choice

            check_choice("topic", topic, list(by_id))
        topic = by_id[topic]
    return _direction(clauses(text), topic, certainty_cues(lexicon))


def _direction(parts: list[str], topic: Topic, cues: tuple[tuple[Cue, ...], float]) -> int:
    total = 0
    for clause in parts:
        hits = [(m.start(), 1) for p in topic.positive for m in [p.search(clause)] if m]
        hits += [(m.start(), -1) for p in topic.negative for m in [p.search(clause)] if m]
        if not hits:
            continue
        # a cue that is just the topic's own word ("summit") counts only when no other cue
        # of the clause says how things stand ("the summit will be called off")
        mentions = {m.start() for p in topic.patterns for m in p.finditer(clause)}
        if any(pos not in mentions for pos, _ in hits):
            hits = [(pos, sign) for pos, sign in hits if pos not in mentions]
        negators = [(s, c.scope) for s, _e, c in _find_cues(clause, cues[0]) if c.negates]
        score = 0
        for pos, sign in hits:
            flips = sum(1 for s, scope in negators if scope == "clause" or s < pos)
            score += -sign if flips % 2 else sign
        total += (score > 0) - (score < 0)
    return (total > 0) - (total < 0)


@dataclass(frozen=True)
class Scorer:
    """The codebook and lexicons of one analysis run, loaded once (see :func:`scorer`)."""

    topics: tuple[Topic, ...]
    cues: tuple[tuple[Cue, ...], float]
    claims: tuple

    def score(self, text: str, kind: str = "body") -> dict[str, Any]:
        """Like :func:`score_sentence`, with the rule files already loaded."""
        claim = _classify(text, kind, self.claims)
        certainty, polarity, cues = _score_certainty(text, *self.cues)
        topics = [t for t in self.topics if t.mentioned(text)]
        positional = claim not in ("question", "description")
        parts = clauses(text) if topics and positional else []
        directions = {t.id: (_direction(parts, t, self.cues) if positional else 0) for t in topics}
        if claim == "question":
            certainty = 0.0
        return {
            "topics": [t.id for t in topics],
            "claim_type": claim,
            "certainty": certainty,
            "polarity": polarity,
            "cues": cues,
            "directions": directions,
        }


def scorer(
    *,
    codebook: str | Path | None = None,
    lexicon: str | Path | None = None,
    claims: str | Path | None = None,
) -> Scorer:
    """Load (and validate) the rule files of a run once, for scoring many sentences."""
    return Scorer(topic_rules(codebook), certainty_cues(lexicon), _claims(claims))


def score_sentence(
    text: str,
    *,
    kind: str = "body",
    codebook: str | Path | None = None,
    lexicon: str | Path | None = None,
    claims: str | Path | None = None,
) -> dict[str, Any]:
    """Topics, claim type, certainty, polarity, cues and per-topic direction of one sentence.

    Questions and descriptions carry direction 0 on every topic (they take no position).
    """
    return scorer(codebook=codebook, lexicon=lexicon, claims=claims).score(text, kind)
