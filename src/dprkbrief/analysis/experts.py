"""The expert registry: every person whose views a document carries, unified across documents.

Sources, per document: interview speaker labels (the corpus layer's ``speakers`` and
``interviewer``), authors from bylines and end-of-article bios (``authors``), bio sentences
("<Name> is a ..."), and people quoted with a reporting verb and an appositive
("..., said Jane Doe, a professor at X"). Names are unified case-insensitively after
stripping titles ("Dr.", "Professor" are data in ``lexicons/attribution.toml``); a bare
surname or "Title Surname" resolves to the full name of the same document.

Anonymous labels (``Q:``/``A:``) resolve to the interviewer named in the front matter
("Interview by X") and to the person of the bio; when the text names nobody, the expert is
"interviewer of <doc_id>" / "interviewee of <doc_id>". Sentences of a document without
named authors are in the voice of "unknown author(s) of <doc_id>" (the publisher is kept as
a separate column, not taken for an author: an institute does not hold views).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RuleFileError
from ..resources import file_key
from .codebook import _path, load_toml

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus

ROLES = ("interviewee", "author", "quoted", "interviewer", "cited")
EXPERT_COLUMNS = [
    "expert",
    "aliases",
    "role",
    "roles",
    "affiliation",
    "descriptor",
    "doc_ids",
    "n_docs",
    "doc_id",
    "start",
    "end",
    "quote",
    "kind",
    "title",
]
QUOTE_CHARS = '"“”«»'
# possessive: a name token never gives characters back (no backtracking over user text)
_TOKEN = r"[A-Z][\w’'\-]*+\.?"
_ADVERBS = r"do|did|does|also|really|still|always|often|even|has|have|had|once|then|later|\w+ly"


@dataclass(frozen=True)
class Rules:
    """The compiled attribution lexicon."""

    titles: frozenset[str]
    title_rx: str
    verbs_rx: str
    first_person: frozenset[str]
    non_person_authors: frozenset[str]
    anonymous: dict[str, str]
    org_words: frozenset[str]
    desc_start_rx: str
    expert_roles: tuple[str, ...]
    hearsay: re.Pattern
    non_person_names: frozenset[str]
    stop_words: frozenset[str]
    examples: tuple[dict, ...]
    opinion_verbs: frozenset[str] = frozenset()
    aside: re.Pattern | None = None
    aside_examples: tuple[dict, ...] = ()
    interviewee_intros: str = ""
    intro_examples: tuple[dict, ...] = ()
    title_lengths: tuple[int, ...] = ()  # the distinct lengths of the titles, longest first
    compiled: dict[str, re.Pattern] = field(default_factory=dict, compare=False)

    def rx(self, name: str) -> re.Pattern:
        """A compiled regex built from this lexicon (compiled once per lexicon)."""
        if name not in self.compiled:
            self.compiled[name] = _build_rx(name, self)
        return self.compiled[name]


@lru_cache(maxsize=8)
def _rules(path: str, mtime: float) -> Rules:
    data = load_toml(path)
    needed = ("reporting_verbs", "first_person", "org_words", "descriptor_starts")
    for key in needed:
        if not isinstance(data.get(key), list):
            raise RuleFileError(f"{path}: missing list {key!r}; see the format comment")
    titles = [t.rstrip(".") for t in data.get("titles", [])] + _title_words()
    verbs = sorted(data["reporting_verbs"], key=len, reverse=True)
    return Rules(
        titles=frozenset(t.lower() for t in titles),
        title_rx="|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)),
        title_lengths=tuple(sorted({len(t) for t in titles}, reverse=True)),
        verbs_rx="|".join(verbs),
        first_person=frozenset(w.lower() for w in data["first_person"]),
        non_person_authors=frozenset(w.lower() for w in data.get("non_person_authors", [])),
        anonymous={e["label"].lower(): e["role"] for e in data.get("anonymous_labels", [])},
        org_words=frozenset(data["org_words"]),
        desc_start_rx="|".join(re.escape(w) for w in data["descriptor_starts"]),
        expert_roles=tuple(w.lower() for w in data.get("expert_roles", [])),
        hearsay=re.compile(
            r"(?<!\w)(?:" + "|".join(data.get("hearsay_cues", ["according to"])) + r")(?!\w)",
            re.IGNORECASE,
        ),
        non_person_names=frozenset(n.lower() for n in data.get("non_person_names", [])),
        stop_words=frozenset(data.get("stop_name_words", [])),
        examples=tuple(data.get("example", [])),
        opinion_verbs=frozenset(data.get("opinion_verbs", [])),
        aside=_aside_rx(data.get("aside_clauses", []), path),
        aside_examples=tuple(data.get("aside_example", [])),
        interviewee_intros="|".join(data.get("interviewee_intros", [])),
        intro_examples=tuple(data.get("intro_example", [])),
    )


def _title_words() -> list[str]:
    """Honorifics and the words of role titles (``people/titles.toml``), e.g. "Dr", "Secretary"."""
    from ..names import load_titles

    t = load_titles()
    words = set(t.honorifics)
    for role in t.roles:
        words.update(w for w in role if w not in ("of", "the", "to", "for", "at-large"))
    return sorted(w.capitalize() for w in words if w.isalpha())


_ADV_BEFORE = r"(?:(?:also|even|still|often|later|then|has|have|had|once|repeatedly|\w+ly)\s+)*"
_AFTER_VERBS = "said|says|added|told|noted|warned|wrote"


def _build_rx(name: str, rules: Rules) -> re.Pattern:
    person = _name_rx(rules)
    if name == "verb":  # any reporting verb (a cheap pre-filter)
        return re.compile(rf"(?<![\w’'])(?:{rules.verbs_rx})\b")
    if name == "before":  # "Name [, appositive,] [adverbs] verb", ending at the verb
        return re.compile(
            rf"(?P<subj>(?:[\w’'.\-]+\s+){{0,3}}[\w’'.\-]+)(?:,\s[^,]+,)?\s+{_ADV_BEFORE}"
            rf"(?P<verb>{rules.verbs_rx})\Z"
        )
    if name == "after":  # "said Name"
        return re.compile(rf"\b(?P<verb>{_AFTER_VERBS})\s+(?P<subj>{person})")
    if name == "name_end":
        return re.compile(rf"({person})$")
    if name == "adverb":
        return re.compile(_ADVERBS)
    if name == "title":  # one title, case-insensitive (fullmatch over a span)
        return re.compile(rf"(?:{rules.title_rx})", re.IGNORECASE)
    if name == "intro":  # "Interview with Dr. Jane Doe, director of X."
        return re.compile(
            rf"(?i:\b(?:{rules.interviewee_intros or '(?!)'}))\s+(?P<name>{person})"
            rf"(?:,\s+(?P<desc>[^.;:!?]+(?:\.(?=\w)[^.;:!?]*)*))?"
        )
    raise KeyError(name)


def _aside_rx(patterns: list[str], path: str) -> re.Pattern | None:
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error as exc:
        raise RuleFileError(f"{path}: aside_clauses: invalid regex ({exc}); fix it") from None


def attribution_rules(lexicon: str | Path | None = None) -> Rules:
    """The compiled attribution lexicon (default: ``lexicons/attribution.toml``)."""
    path = _path(lexicon, "lexicons", "attribution.toml")
    return _rules(*file_key(path))


# ---------------------------------------------------------------- names


def strip_titles(name: str, rules: Rules) -> str:
    """``name`` without leading titles/honorifics ("Dr. Jane Doe" -> "Jane Doe")."""
    tokens = name.split()
    while len(tokens) > 1 and tokens[0].rstrip(".").lower() in rules.titles:
        tokens = tokens[1:]
    return " ".join(tokens)


def name_key(name: str, rules: Rules) -> str:
    """Case- and title-insensitive key under which forms of one name are unified."""
    return " ".join(strip_titles(name, rules).replace("’", "'").split()).casefold()


def display_name(forms: list[str], rules: Rules) -> str:
    """The preferred written form: full, title-free, not in capitals ("Jane DOE" loses)."""

    def score(form: str) -> tuple:
        bare = strip_titles(form, rules)
        caps = sum(1 for t in bare.split() if len(t) > 1 and t.isupper())
        return (-len(bare.split()), caps, form != bare, forms.index(form))

    best = min(forms, key=score)
    return strip_titles(best, rules)


def _name_rx(rules: Rules) -> str:
    """Regex for a capitalised name, optionally preceded by titles.

    It only starts at the start of a word, and its tokens are possessive, so a search over a
    long capitalised run stays linear (a 16 KB token once took 39 s).
    """
    return rf"(?<![\w’'\-])(?:(?:{rules.title_rx})\.?\s+)*+{_TOKEN}(?:\s+{_TOKEN}){{0,3}}"


def extract_affiliation(descriptor: str, rules: Rules) -> str | None:
    """The first organisation named in a descriptor ("a fellow at the X Institute" -> ...)."""
    rx = re.compile(
        r"\b(?:at|of|with|from|for|in)\s+(?:the\s+)?"
        r"([A-Z][\w’'&.\-]*(?:\s+(?:of|for|on|the|&|[A-Z][\w’'&.\-]*))*)"
    )
    for m in rx.finditer(descriptor):
        words = m.group(1).split()
        while words and words[-1] in ("of", "for", "on", "the", "&"):
            words.pop()
        stems = {re.sub(r"[’']s$", "", w).rstrip(".,") for w in words}
        if stems & rules.org_words:
            return " ".join(words).rstrip(".,")
    return None


def is_expert_descriptor(descriptor: str, rules: Rules) -> bool:
    """True if an appositive describes an expert (a role word or an organisation)."""
    low = descriptor.lower()
    return any(re.search(rf"\b{re.escape(r)}", low) for r in rules.expert_roles) or bool(
        extract_affiliation(descriptor, rules)
    )


def _clean_candidate(name: str, rules: Rules) -> str | None:
    tokens = name.split()
    while tokens and tokens[0] in rules.stop_words:
        tokens = tokens[1:]
    if not tokens:
        return None
    name = " ".join(tokens).rstrip(".,")
    if name.lower() in rules.non_person_names or strip_titles(name, rules).lower() in (
        rules.non_person_names
    ):
        return None
    if strip_titles(name, rules).lower() in rules.titles:
        return None
    return name


def find_appositives(text: str, rules: Rules) -> list[tuple[str, str, int, int]]:
    """``(name, descriptor, start, end)`` for "Name, a/an ... ," and "Name is a ..." forms.

    Offsets are relative to ``text`` and span the name and its descriptor.
    """
    name = _name_rx(rules)
    out = []
    appos = re.compile(
        rf"(?P<name>{name}),\s+(?P<desc>(?:{rules.desc_start_rx})\s[^,;:\"“”]+?)(?=,|\.\s|\.$|$|;)"
    )
    bio = re.compile(
        rf"^(?P<name>{name})\s+(?:is|was)\s+(?P<desc>(?:{rules.desc_start_rx})\s.+?)\.?$"
    )
    for rx in (bio, appos):
        for m in rx.finditer(text):
            cand = _clean_candidate(m.group("name"), rules)
            if cand and len(strip_titles(cand, rules).split()) >= 2:
                out.append((cand, m.group("desc").strip(), m.start("name"), m.end("desc")))
    return out


def find_reporting(text: str, rules: Rules) -> list[tuple[str, str, int, int]]:
    """``(subject, verb, start, end)`` for reporting clauses ("Name said", "said Name").

    The subject is the up-to-four words before the verb (or the name right after it).
    """
    verbs = list(rules.rx("verb").finditer(text))
    if not verbs:
        return []
    out = []
    for m in rules.rx("after").finditer(text):
        out.append((m.group("subj"), m.group("verb"), m.start(), m.end()))
    before = rules.rx("before")
    prev = 0
    for v in verbs:
        if v.start() < prev or (v.end() < len(text) and (text[v.end()].isalnum())):
            continue
        m = before.search(text, max(prev, v.start() - 250), v.end())
        if m:
            out.append((m.group("subj"), m.group("verb"), m.start("subj"), m.end()))
            prev = m.end()
    return out


def trailing_name(subject: str, rules: Rules) -> str | None:
    """The capitalised name that ends a reporting-clause subject, if any."""
    words = subject.split()
    while words and words[-1][:1].islower() and rules.rx("adverb").fullmatch(words[-1]):
        words.pop()
    m = rules.rx("name_end").search(" ".join(words))
    return _clean_candidate(m.group(1), rules) if m else None


# ---------------------------------------------------------------- registry


@dataclass
class Person:
    """One expert while the registry is being built."""

    key: str
    forms: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # doc_id -> role
    affiliation: str | None = None
    descriptor: str | None = None
    evidence: tuple[str, int, int] | None = None  # doc_id, start, end
    evidence_rank: int = 9
    quote: str | None = None  # the text of the evidence span (set by the merge)

    def add_form(self, form: str) -> None:
        if form and form not in self.forms:
            self.forms.append(form)

    def set_role(self, doc_id: str, role: str) -> None:
        old = self.roles.get(doc_id)
        if old is None or ROLES.index(role) < ROLES.index(old):
            self.roles[doc_id] = role

    def set_evidence(self, doc_id: str, start: int, end: int, rank: int) -> None:
        if rank < self.evidence_rank:
            self.evidence, self.evidence_rank = (doc_id, start, end), rank


@dataclass
class People:
    """The registry plus per-document lookups used to attribute sentences."""

    rules: Rules
    persons: dict[str, Person] = field(default_factory=dict)
    doc_names: dict[str, dict[str, str]] = field(default_factory=dict)  # lower form -> key
    doc_surnames: dict[str, dict[str, str]] = field(default_factory=dict)
    doc_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # label -> key
    doc_authors: dict[str, list[str]] = field(default_factory=dict)
    doc_quoted: dict[str, set[str]] = field(default_factory=dict)
    _reporting: dict[str, list] = field(default_factory=dict, repr=False)

    def reporting(self, text: str) -> list[tuple[str, str, int, int]]:
        """:func:`find_reporting` of ``text``, memoised (a sentence is looked at several times)."""
        found = self._reporting.get(text)
        if found is None:
            found = self._reporting[text] = find_reporting(text, self.rules)
        return found

    def person(self, name: str, doc_id: str) -> Person:
        key = name_key(name, self.rules)
        if key not in self.persons:
            self.persons[key] = Person(key)
        p = self.persons[key]
        p.add_form(name.strip())
        self.doc_names.setdefault(doc_id, {})[key] = key
        bare = strip_titles(name, self.rules).split()
        if len(bare) >= 2:
            self.doc_surnames.setdefault(doc_id, {})[bare[-1].casefold()] = key
        return p

    def resolve(self, name: str, doc_id: str) -> str | None:
        """Key of the person ``name`` refers to in ``doc_id`` (full name or surname)."""
        key = name_key(name, self.rules)
        if key in self.doc_names.get(doc_id, {}):
            return key
        bare = key.split()
        if len(bare) == 1:
            return self.doc_surnames.get(doc_id, {}).get(bare[0])
        return None

    def name(self, key: str) -> str:
        """Display name of the person with ``key`` (or ``key`` itself for placeholders)."""
        p = self.persons.get(key)
        return display_name(p.forms, self.rules) if p and p.forms else key


def _front_interviewer(doc_text: str, rules: Rules) -> tuple[str, int, int] | None:
    """The interviewer named in the front matter ("Interview by X"), with its span."""
    m = re.search(rf"\b(?i:interview(?:ed)? by)\s+({_name_rx(rules)})", doc_text[:2000])
    name = _clean_candidate(m.group(1), rules) if m else None
    return (name, m.start(1), m.start(1) + len(name)) if name else None


def front_interviewee(doc_text: str, rules: Rules) -> tuple[str, str | None, int, int] | None:
    """The interviewee introduced in the front matter ("Interview with Dr. Jane Doe, director
    of X"): ``(name, descriptor, start, end)`` with the span of name and descriptor."""
    m = rules.rx("intro").search(doc_text[:2000])
    if not m:
        return None
    name = _clean_candidate(m.group("name"), rules)
    if not name or len(strip_titles(name, rules).split()) < 2:
        return None
    desc = (m.group("desc") or "").strip() or None
    end = m.end("desc") if desc else m.start("name") + len(name)
    return name, desc, m.start("name"), end


# The registry is built in two phases, so a corpus too big for memory (an index) can build it
# from stored records: ``doc_registry`` runs per document and returns its operations on the
# registry in order (one record each: a name form, a role, a candidate evidence span or
# descriptor, the aliases written in the document, the document's lookups); ``merge_registry``
# replays them in doc_id order. Every decision that reads only the document is taken in the
# first phase; those that read the registry so far (is the descriptor still empty? is the
# best evidence from this document?) are operations the merge decides.
LOOKUP_OPS = ("author", "label", "quoted", "name", "surname")  # read by statements, not experts
REGISTRY_COLUMNS = [
    "doc_id",
    "op",
    "key",
    "name",
    "start",
    "end",
    "rank",
    "desc",
    "aff",
    "quote",
    "forms",
]


class _DocRegistry:
    """The operations of one document, with the document's own lookups (names, surnames,
    roles) that the first phase reads."""

    def __init__(self, doc_id: str, text: str, rules: Rules) -> None:
        self.doc_id, self.text, self.rules = doc_id, text, rules
        self.ops: list[dict] = []
        self.names: dict[str, str] = {}  # key -> key, as People.doc_names
        self.surnames: dict[str, str] = {}
        self.roles: dict[str, str] = {}  # key -> this document's role
        self.first: dict[str, str] = {}  # key -> its first form written in this document

    def op(self, op: str, key: str | None = None, **values: Any) -> None:
        self.ops.append({"doc_id": self.doc_id, "op": op, "key": key, **values})

    def person(self, name: str) -> str:
        key = name_key(name, self.rules)
        self.op("person", key, name=name.strip())
        self.first.setdefault(key, name.strip())
        self.names[key] = key
        bare = strip_titles(name, self.rules).split()
        if len(bare) >= 2:
            self.surnames[bare[-1].casefold()] = key
        return key

    def resolve(self, name: str) -> str | None:
        key = name_key(name, self.rules)
        if key in self.names:
            return key
        bare = key.split()
        return self.surnames.get(bare[0]) if len(bare) == 1 else None

    def set_role(self, key: str, role: str) -> None:
        old = self.roles.get(key)
        if old is None or ROLES.index(role) < ROLES.index(old):
            self.roles[key] = role

    def evidence(self, key: str, start: int, end: int, rank: int, op: str = "evidence") -> None:
        self.op(op, key, start=start, end=end, rank=rank, quote=self.text[start:end])


def doc_registry(
    doc_id: str, text: str, meta: Any, sentences: list[Any], rules: Rules
) -> list[dict]:
    """The registry operations of one document (columns ``REGISTRY_COLUMNS``), from its text,
    metadata (``authors``, ``speakers``, ``interviewer``) and sentence rows (``kind, text,
    start, end, speaker``; dicts or tuples with those attributes) in document order."""
    from ..segment import PROSE_KINDS

    def get(row: Any, name: str) -> Any:
        return row[name] if isinstance(row, dict) else getattr(row, name)

    d = _DocRegistry(doc_id, text, rules)
    rows = [(get(r, "kind"), get(r, "text"), get(r, "start")) for r in sentences]
    # 1. bios and appositives (descriptors, affiliations)
    bio_people: list[str] = []
    for kind, sent, start in rows:
        if kind not in PROSE_KINDS and kind not in ("bio", "byline"):
            continue
        for name, desc, s, e in find_appositives(sent, rules):
            if kind != "bio" and not is_expert_descriptor(desc, rules):
                continue
            key = d.person(name)
            if kind == "bio":
                bio_people.append(key)
            d.evidence(key, start + s, start + e, 1 if kind == "bio" else 2)
            if desc:
                aff = extract_affiliation(desc, rules)
                d.op("descriptor", key, desc=desc, aff=aff, rank=1 if kind == "bio" else 0)
    # 2. authors
    authors: list[str] = []
    for name in meta.get("authors") or []:
        if name.strip().lower() in rules.non_person_authors:
            continue
        key = d.person(name)
        d.set_role(key, "author")
        pos = text.find(name)
        if pos >= 0:  # the merge keeps it unless the best evidence is from this document
            d.evidence(key, pos, pos + len(name), 3, op="author_evidence")
        authors.append(key)
    # 3. speaker labels
    interviewer = meta.get("interviewer")
    labels: dict[str, str] = {}
    for label in meta.get("speakers") or []:
        anon = rules.anonymous.get(label.strip().lower())
        role = anon or ("interviewer" if label == interviewer else "interviewee")
        if anon == "interviewer":
            found = _front_interviewer(text, rules)
            key = f"interviewer of {doc_id}"
            if found:
                key = d.person(found[0])
                d.evidence(key, found[1], found[2], 2)
        elif anon == "interviewee":
            others = [k for k in bio_people if k not in authors]
            key = others[0] if len(others) == 1 else f"interviewee of {doc_id}"
            intro = None if len(others) == 1 else front_interviewee(text, rules)
            if intro:
                key = d.person(intro[0])
                d.evidence(key, intro[2], intro[3], 2)
                if intro[1]:
                    aff = extract_affiliation(intro[1], rules)
                    d.op("intro_descriptor", key, desc=intro[1], aff=aff)
        else:
            key = d.person(label)
        if key in d.names:
            if key in authors and role in ("interviewer", "interviewee"):
                d.roles[key] = role  # "Interview by X" read as a byline: X asks the questions
            d.set_role(key, role)
            for kind_, row in zip((r[0] for r in rows), sentences):
                if kind_ == "speaker_label" and get(row, "speaker") == label:
                    d.evidence(key, int(get(row, "start")), int(get(row, "end")), 4)
                    break
        labels[label] = key
    # 4. quoted people: reporting verb + (quotation marks or an expert descriptor)
    quoted: list[str] = []
    memo: dict[str, list] = {}
    for kind, sent, start in rows:
        if kind not in PROSE_KINDS:
            continue
        found = memo.get(sent)
        if found is None:
            found = memo[sent] = find_reporting(sent, rules)
        for subj, verb, s, e in found:
            name = trailing_name(subj, rules)
            if not name:
                continue
            key = d.resolve(name)
            has_quote = any(ch in sent for ch in QUOTE_CHARS)
            # an opinion verb right after a full name ("Jane Doe believes ...")
            opinion = verb in rules.opinion_verbs and sent[s:].startswith(name)
            if (
                key is None
                and (has_quote or opinion)
                and len(strip_titles(name, rules).split()) >= 2
            ):
                key = d.person(name)
            if key is None:
                continue
            if key not in d.roles:
                d.set_role(key, "quoted")
                quoted.append(key)
            d.evidence(key, start + s, start + e, 5)
    # people with an appositive but no role in this doc are mentioned, not experts
    for key in list(d.names):
        if key not in d.roles:
            if key in bio_people:
                d.set_role(key, "author" if not authors else "interviewee")
            else:
                del d.names[key]
                for s_, k in list(d.surnames.items()):
                    if k == key:
                        del d.surnames[s_]
    for key, role in d.roles.items():
        d.op("role", key, name=role)
    for key in authors:
        d.op("author", key)
    for label, key in labels.items():
        d.op("label", key, name=label)
    for key in quoted:
        d.op("quoted", key)
    for key in d.names:
        d.op("name", key)
    for surname, key in d.surnames.items():
        d.op("surname", key, name=surname)
    # aliases: the written forms of each person with a role here, found in this text with
    # the person's first form in this document (the merge checks it is the registry's first)
    for key in d.roles:
        first = d.first[key]
        d.op("aliases", key, name=first, forms=_alias_forms(text, first, rules))
    return d.ops


def _alias_rx(first: str, rules: Rules) -> re.Pattern:
    """The aliases of the person whose first form is ``first``: an optional title, then the
    full name or the surname, case-insensitive, not followed by a word character."""
    bare = strip_titles(first, rules).split()
    full = r"\s+".join(re.escape(t) for t in bare)
    return re.compile(
        rf"(?<![\w])(?:(?:{rules.title_rx})\.?\s+)?(?:{full}|{re.escape(bare[-1])})(?![\w’'])",
        re.IGNORECASE,
    )


_WORD_BEFORE = re.compile(r"(?<![\w])")
_SPACE = re.compile(r"\s")


def _alias_matches(text: str, first: str, rules: Rules) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each match of ``_alias_rx(first, rules)`` in ``text``, as its
    ``finditer`` gives them, without running the title alternation at every position.

    A match's name part starts where the first or the last name token occurs (found by a
    literal search); its title, if any, ends right before the whitespace (and an optional
    ".") in front of it. Only those start positions are tried, in order, each as the regex
    would: the longest title after which the rest matches, else no title.
    """
    bare = strip_titles(first, rules).split()
    full = r"\s+".join(re.escape(t) for t in bare)
    core = re.compile(rf"(?:{full}|{re.escape(bare[-1])})(?![\w’'])", re.IGNORECASE)
    title = rules.rx("title")
    starts: dict[int, set[int]] = {}  # start -> the ends of the titles that start there
    for token in {bare[0], bare[-1]}:
        lit = re.compile(re.escape(token), re.IGNORECASE)
        m = lit.search(text)
        while m:  # every occurrence, overlapping ones too
            j = m.start()
            starts.setdefault(j, set())
            k = j
            while k > 0 and _SPACE.match(text, k - 1):
                k -= 1
            if k < j:
                for e in [k, k - 1] if k > 0 and text[k - 1] == "." else [k]:
                    for n in rules.title_lengths:
                        if e - n >= 0 and title.fullmatch(text, e - n, e):
                            starts.setdefault(e - n, set()).add(e)
            m = lit.search(text, j + 1)
    pos = 0
    for i in sorted(starts):
        if i < pos or not _WORD_BEFORE.match(text, i):
            continue
        found = None
        for e in sorted(starts[i], reverse=True):  # the regex tries the longest title first
            after = e + (text[e : e + 1] == ".")
            run = after
            while run < len(text) and _SPACE.match(text, run):
                run += 1
            if run > after and (m := core.match(text, run)):
                found = m.end()
                break
        if found is None and (m := core.match(text, i)):
            found = m.end()
        if found is not None:
            yield i, found
            pos = found


def _alias_forms(text: str, first: str, rules: Rules) -> list[str]:
    """Every capitalised written form of the person whose first form is ``first`` in ``text``
    ("Dr. Jane Doe", "Doe", "JANE DOE"), not inside a longer name, in order of appearance."""
    out: list[str] = []
    for s, e in _alias_matches(text, first, rules):
        before = text[max(0, s - 30) : s].split()
        inside_name = (
            before
            and before[-1][:1].isupper()
            and before[-1].rstrip(".").lower() not in rules.titles
            and text[s - 1] == " "
        )
        form = text[s:e]
        if form[0].isupper() and not inside_name and form not in out:
            out.append(form)
    return out


def _same_alias_rx(a: str, b: str, rules: Rules) -> bool:
    """True when first forms ``a`` and ``b`` give the same alias regex (case-insensitive)."""
    return [t.lower() for t in strip_titles(a, rules).split()] == [
        t.lower() for t in strip_titles(b, rules).split()
    ]


def merge_registry(
    records: Any,
    rules: Rules,
    *,
    doc_ids: list[str],
    text_of: Any,
) -> People:
    """The registry from the per-document operations of ``doc_registry`` (an iterable of
    dicts in doc_id order, then operation order): the same ``People`` as running every
    document in turn. ``text_of(doc_id)`` gives a text when a person's first form differs
    from the one its aliases were searched with in a document (the search is redone)."""
    people = People(rules)
    # key -> the forms found by the alias searches so far, and the documents searched; a
    # person's first form never changes once set, so each search is checked as it comes
    aliases: dict[str, tuple[dict[str, None], set[str]]] = {}
    for doc_id in doc_ids:
        people.doc_authors[doc_id] = []
        people.doc_labels[doc_id] = {}
        people.doc_quoted[doc_id] = set()
    for r in records:
        op, doc_id, key = r["op"], r["doc_id"], r["key"]
        if op == "person":
            p = people.persons.get(key)
            if p is None:
                p = people.persons[key] = Person(key)
            p.add_form(r["name"])
        elif op in ("evidence", "author_evidence"):
            p = people.persons[key]
            if op == "author_evidence" and p.evidence is not None and p.evidence[0] == doc_id:
                continue
            before = p.evidence
            p.set_evidence(doc_id, int(r["start"]), int(r["end"]), int(r["rank"]))
            if p.evidence is not before:
                p.quote = r["quote"]
        elif op == "descriptor":
            p = people.persons[key]
            if p.descriptor is None or r["rank"] == 1 and p.evidence_rank == 1:
                if r["aff"] or p.descriptor is None:
                    p.descriptor = r["desc"]
                    p.affiliation = r["aff"] or p.affiliation
        elif op == "intro_descriptor":
            p = people.persons[key]
            if p.descriptor is None:
                p.descriptor, p.affiliation = r["desc"], r["aff"]
        elif op == "role":
            people.persons[key].roles[doc_id] = r["name"]
        elif op == "author":
            people.doc_authors[doc_id].append(key)
        elif op == "label":
            people.doc_labels[doc_id][r["name"]] = key
        elif op == "quoted":
            people.doc_quoted[doc_id].add(key)
        elif op == "name":
            people.doc_names.setdefault(doc_id, {})[key] = key
        elif op == "surname":
            people.doc_surnames.setdefault(doc_id, {})[r["name"]] = key
        elif op == "aliases":
            first = people.persons[key].forms[0]
            forms = r["forms"] or []
            if not _same_alias_rx(r["name"], first, rules):
                forms = _alias_forms(text_of(doc_id), first, rules)
            found, searched = aliases.setdefault(key, ({}, set()))
            found.update(dict.fromkeys(forms))
            searched.add(doc_id)
    for key, p in list(people.persons.items()):
        if not p.roles:
            del people.persons[key]
            continue
        found, searched = aliases.get(key, ({}, set()))
        for doc_id in p.roles:
            if doc_id not in searched:  # records without their aliases: search the text
                found.update(dict.fromkeys(_alias_forms(text_of(doc_id), p.forms[0], rules)))
        for form in found:
            p.add_form(form)
        # "Dr. Jane Doe" is also written "Dr. Doe"
        for form in list(p.forms):
            tokens = form.split()
            if len(tokens) >= 3 and tokens[0].rstrip(".").lower() in rules.titles:
                bare_t = strip_titles(form, rules).split()
                p.add_form(" ".join([*tokens[: len(tokens) - len(bare_t)], bare_t[-1]]))
    return people


def registry_records(document: Any, resources: Any) -> list[dict]:
    """The ``registry`` step of ``dprkbrief.annotate``: ``doc_registry`` of one document with
    the attribution lexicon of ``resources``."""
    from ..pipeline.annotate import _rule_arg

    rules = attribution_rules(_rule_arg(resources, "attribution"))
    sentences = document.segment_rows("sentence")
    return doc_registry(document.doc_id, document.text, document.meta, sentences, rules)


def _registry_ops(
    corpus: Corpus, lexicon: str | Path | None, lookups: bool = True
) -> Iterable[dict]:
    """Every document's registry operations in doc_id order: read from an index built with
    the ``registry`` step (recomputed per document, with a warning, if its rules differ),
    else computed per document from the corpus's sentence table and memoised on each
    ``Document`` (as ``pipeline.fold.document_records``, under the same key)."""
    import json

    from ..pipeline.fold import (
        _index_matches,
        corpus_records,
        corpus_rule_files,
        folding,
        resources_for,
        step_fingerprint,
    )

    res = resources_for({**corpus_rule_files(corpus), "attribution": lexicon})
    index = getattr(corpus, "_index", None)
    if index is not None and folding() and "registry" in index.manifest.get("steps", []):
        if _index_matches(corpus, "registry", step_fingerprint(res, "registry"))[0]:
            return _stored_ops(corpus, lookups)
        # built with other rules: corpus_records says so and computes them per document
        table = corpus_records(corpus, "registry", res).reindex(columns=REGISTRY_COLUMNS)
        table = table.astype(object).where(table.notna(), None)
        return table.to_dict("records")
    rules = attribution_rules(lexicon)
    memo_key = ("registry", json.dumps(step_fingerprint(res, "registry"), sort_keys=True))
    docs = [corpus[d] for d in corpus.doc_ids]
    todo = [d for d in docs if d._records is None or memo_key not in d._records]
    if todo:
        if index is not None or "sentence" in corpus._seg_cache:  # a table exists: group it
            ids = None if len(todo) == len(docs) else [d.doc_id for d in todo]
            sents = corpus.segments("sentence", docs=ids)
            groups = {k: list(g.itertuples()) for k, g in sents.groupby("doc_id", sort=False)}
        else:  # else each document's own rows (no table built and dropped per document)
            groups = {d.doc_id: d.segment_rows("sentence") for d in todo}
        for doc in todo:
            if doc._records is None:
                doc._records = {}
            doc._records[memo_key] = doc_registry(
                doc.doc_id, doc.text, doc.meta, groups.get(doc.doc_id, []), rules
            )
    return [r for d in docs for r in d._records[memo_key]]


def _stored_ops(corpus: Corpus, lookups: bool = True) -> Iterator[dict]:
    """The stored ``registry`` records of an index in doc_id order, streamed one partition
    file at a time (when the partitions are in doc_id order, as a sorted source gives them),
    else from one Arrow table sorted by doc_id; never a DataFrame of every operation.
    Without ``lookups`` the per-document lookups (names, labels, authors, quoted) are left
    out: the expert rows do not read them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    index = corpus._index
    wanted = set(corpus.doc_ids)
    skip = [] if lookups else [("op", "not in", list(LOOKUP_OPS))]
    parts = [
        (p["key"], [d for d in p["doc_ids"] if d in wanted]) for p in index.manifest["partitions"]
    ]
    parts = [(k, ids) for k, ids in parts if ids]
    order = [d for _, ids in parts for d in ids]
    if all(a <= b for a, b in zip(order, order[1:])):
        tables: Iterator[Any] = (
            pq.read_table(f, filters=[("doc_id", "in", ids), *skip])
            for k, ids in parts
            if (f := index.path / "registry" / f"part-{k}.parquet").is_file()
        )
    else:
        t = corpus.arrow("registry", filters=skip or None)
        if t is None:
            return
        t = t.append_column("_row", pa.array(range(len(t)), pa.int64()))
        tables = iter([t.sort_by([("doc_id", "ascending"), ("_row", "ascending")])])
    for t in tables:
        missing = [c for c in REGISTRY_COLUMNS if c not in t.column_names]
        for batch in t.to_batches(max_chunksize=65536):
            for r in batch.to_pylist():
                for c in missing:
                    r[c] = None
                yield r


def build_people(
    corpus: Corpus, *, lexicon: str | Path | None = None, lookups: bool = True
) -> People:
    """Build the registry and per-document lookups for ``corpus`` (see module docstring):
    the per-document registry operations (stored by an index's ``registry`` step, else
    computed and memoised per document), merged in doc_id order. ``lookups=False`` skips
    the stored per-document lookups (``LOOKUP_OPS``; the experts table does not read them)."""
    return merge_registry(
        _registry_ops(corpus, lexicon, lookups),
        attribution_rules(lexicon),
        doc_ids=corpus.doc_ids,
        text_of=lambda doc_id: corpus[doc_id].text,
    )


SOURCE_KINDS = ("person", "anonymous", "institution")


def people(
    corpus: Corpus,
    *,
    docs: list[str] | None = None,
    resources: Any = None,
) -> pd.DataFrame:
    """Everyone the documents name or cite: persons, anonymous sources, institutions.

    Per document, ``dprkbrief.nlp.people.people_records(document, resources)`` (spaCy NER and
    parse, speaker labels, bylines, the gazetteer); across documents one merge
    (``merge_people``). Columns: ``expert, kind (person|anonymous|institution), aliases,
    title, affiliation, doc_ids, n_docs, n_mentions, how`` and the first mention as evidence
    ``doc_id, start, end, quote``. Anonymous sources are kept per document.
    """
    from .._validate import as_str_list, check_type
    from ..nlp.people import merge_people
    from ..pipeline.fold import corpus_records, decode_json
    from ..resources.bundle import default_resources

    check_type("corpus", corpus, _corpus_type())
    wanted = as_str_list("docs", docs)
    ids = corpus.doc_ids if wanted is None else [d for d in corpus.doc_ids if d in set(wanted)]
    if wanted is not None and len(ids) != len(set(wanted)):
        from ..errors import ParameterError

        unknown = sorted(set(wanted) - set(corpus.doc_ids))
        raise ParameterError(f"invalid value for 'docs': unknown doc_id(s) {unknown}")
    res = resources or default_resources()
    # a fold over the per-document ``people`` records (stored in an index, memoised per
    # document in memory or cached on disk; ``corpus_records`` parses, in one batch, only
    # the documents without them), then the one cross-document step: the merge
    table = corpus_records(corpus, "people", res, docs=ids)
    records = decode_json(table.to_dict("records"), ("mentions",))
    for r in records:
        r["mentions"] = [tuple(m) for m in r.get("mentions") or []]
    return merge_people(records)


def experts(
    corpus: Corpus,
    *,
    lexicon: str | Path | None = None,
    kinds: tuple[str, ...] | list[str] = ("person",),
    resources: Any = None,
) -> pd.DataFrame:
    """One row per person whose views a document carries, unified across documents.

    Columns: ``expert`` (display name), ``aliases`` (list of written forms), ``role``
    (main role: interviewee > author > quoted > interviewer), ``roles`` (list, per
    document order), ``affiliation``, ``descriptor`` (the bio/appositive text),
    ``doc_ids`` (list), ``n_docs``, and the evidence of the best defining mention
    ``doc_id, start, end, quote`` (bio, appositive, byline, speaker label or reporting clause),
    then ``kind`` (person|anonymous|institution) and ``title`` (a stated title or role).

    ``kinds`` adds cited sources of other kinds from :func:`people` (spaCy):
    ``kinds=("person", "anonymous", "institution")`` appends anonymous sources and
    institutions (role ``"cited"``, evidence = first mention) and fills ``title`` for persons.
    With the default only the rule engines run (no parse).
    """
    import pandas as pd

    from .._validate import check_choice, check_type

    check_type("corpus", corpus, _corpus_type())
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    for k in kinds:
        check_choice("kinds", k, SOURCE_KINDS)
    people_ = build_people(corpus, lexicon=lexicon, lookups=False)
    rows = []
    for key, p in people_.persons.items():
        doc_ids = sorted(p.roles)
        roles = [p.roles[d] for d in doc_ids]
        ev = p.evidence
        rows.append(
            {
                "expert": people_.name(key),
                "aliases": sorted(set(p.forms)),
                "role": min(roles, key=ROLES.index),
                "roles": roles,
                "affiliation": p.affiliation,
                "descriptor": p.descriptor,
                "doc_ids": doc_ids,
                "n_docs": len(doc_ids),
                "doc_id": ev[0] if ev else None,
                "start": ev[1] if ev else None,
                "end": ev[2] if ev else None,
                "quote": (p.quote or corpus[ev[0]].text[ev[1] : ev[2]]) if ev else None,
                "kind": "person",
                "title": None,
            }
        )
    if kinds != ("person",):
        from ..names import name_key as _key

        reg = people(corpus, resources=resources)
        titles = {
            _key(n): t for n, t, k in zip(reg["expert"], reg["title"], reg["kind"]) if k == "person"
        }
        if "person" in kinds:
            for row in rows:
                row["title"] = titles.get(_key(row["expert"]))
        else:
            rows = []
        for r in reg[reg["kind"].isin([k for k in kinds if k != "person"])].itertuples():
            rows.append(
                {
                    "expert": r.expert,
                    "aliases": r.aliases,
                    "role": "cited",
                    "roles": ["cited"] * r.n_docs,
                    "affiliation": r.affiliation,
                    "descriptor": None,
                    "doc_ids": r.doc_ids,
                    "n_docs": r.n_docs,
                    "doc_id": r.doc_id,
                    "start": r.start,
                    "end": r.end,
                    "quote": r.quote,
                    "kind": r.kind,
                    "title": r.title,
                }
            )
    df = pd.DataFrame(rows, columns=EXPERT_COLUMNS)
    for col in ("affiliation", "descriptor", "doc_id", "quote", "title"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    order = {k: i for i, k in enumerate(SOURCE_KINDS)}
    df = df.assign(_k=df["kind"].map(order))
    df = df.sort_values(["_k", "role", "expert"], key=_role_sort).drop(columns="_k")
    return df.reset_index(drop=True)


def _role_sort(col: Any) -> Any:
    if col.name == "_k":
        return col
    if col.name == "role":
        return col.map(ROLES.index)
    return col.str.casefold()


def _corpus_type() -> type:
    from ..corpus.corpus import Corpus

    return Corpus
