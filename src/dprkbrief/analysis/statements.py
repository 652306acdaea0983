"""Statements: one row per prose sentence with whose voice it is and what it claims.

Attribution, in order: the interview speaker label of the sentence; a reporting clause
naming a person of the document ("..., said Jane Doe", "Doe added that"); a pronoun
reporting clause ("She said") or an open quotation continuing the previous quoted person;
otherwise the document's authors (co-authors jointly) or "unknown author(s) of <doc_id>".
A quotation running over several sentences of a paragraph belongs, every sentence of it, to
the person its reporting clause names (after its last or in its first sentence). The full
table is computed once per corpus and rule files and shared with positions and forecasts.
Interviewer questions get claim type ``question``; pull-quotes are never rows (they are not
prose kinds), so repeats are not counted twice.

The voice is ``reported`` when the expert relays what someone else said or did ("The
president said...", "Critics fear...", "According to reports..."), else ``own``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._validate import as_str_list, check_choice, check_type
from ..errors import ParameterError
from .codebook import check_topics
from .experts import (
    _ADVERBS,
    QUOTE_CHARS,
    People,
    build_people,
    name_key,
    trailing_name,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus

STATEMENT_COLUMNS = [
    "doc_id",
    "seg_id",
    "start",
    "end",
    "quote",
    "kind",
    "expert",
    "expert_list",
    "role",
    "voice",
    "attribution",
    "topics",
    "claim_type",
    "certainty",
    "polarity",
    "direction",
    "directions",
    "cues",
]
PRONOUNS = {"he", "she", "they"}
_CONJ = {"and", "but", "or", "then", "so"}
_CONJ_IF = {"if", "whether", "unless"}
_AUX = re.compile(_ADVERBS)


def unknown_author(doc_id: str) -> str:
    """Placeholder expert for sentences of a document that names no author."""
    return f"unknown author(s) of {doc_id}"


def _first_person(subject: str, people: People) -> bool:
    words = [w.strip(",.").lower() for w in subject.split()][-3:]
    words = [re.sub(r"['’](ve|d|ll|m|re)$", "", w) for w in words]
    return any(w in people.rules.first_person for w in words)


def voice_of(text: str, people: People, *, attributed_span: tuple[int, int] | None = None) -> str:
    """``"reported"`` if ``text`` relays someone else's words or acts, else ``"own"``.

    ``attributed_span`` is the reporting clause that attributes the sentence to its expert
    (it does not make the sentence reported).
    """
    asides = [m.span() for m in people.rules.aside.finditer(text)] if people.rules.aside else []

    def aside(s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in asides)

    if any(not aside(*m.span()) for m in people.rules.hearsay.finditer(text)):
        return "reported"
    for subj, _verb, s, e in people.reporting(text):
        if attributed_span and s < attributed_span[1] and e > attributed_span[0]:
            continue
        if aside(s, e):
            continue  # "While critics argue X, ..." / "as you said": the rest is own voice
        words = [w.strip(",.").lower() for w in subj.split()]
        if not words or words[-1] in _CONJ or _CONJ_IF & set(words):
            continue  # same subject continuing ("X notes ... and claims"), or a condition
        if not _first_person(subj, people):
            return "reported"
    return "own"


def _attribute(text: str, doc_id: str, people: People, last: str | None):
    """(key, how, span) for a sentence without a speaker label, or None."""
    for subj, _verb, s, e in people.reporting(text):
        words = subj.split()
        while words and words[-1][:1].islower() and _AUX.fullmatch(words[-1]):
            words.pop()
        name = trailing_name(" ".join(words), people.rules)
        if name:
            key = people.resolve(name, doc_id)
            if key:
                return key, "reporting_verb", (s, e)
        pron = words[-1].lower() if words else ""
        if pron in PRONOUNS and last:
            return last, "pronoun", (s, e)
    if last and text.lstrip()[:1] in QUOTE_CHARS:
        return last, "continuation", None
    return None


def statements(
    corpus: Corpus,
    *,
    docs: list[str] | None = None,
    experts: list[str] | str | None = None,
    topics: list[str] | str | None = None,
    form: Literal["wide", "long"] = "wide",
    codebook: str | Path | None = None,
    lexicon: str | Path | None = None,
    claims: str | Path | None = None,
    attribution: str | Path | None = None,
) -> pd.DataFrame:
    """One row per prose sentence: its expert, voice, topics, claim type, certainty, direction.

    Columns (``form="wide"``): ``doc_id, seg_id, start, end, quote`` (evidence,
    ``quote == text[start:end]``), ``kind``, ``expert`` (display name; co-authors joined
    with " & "), ``expert_list`` (list of individual experts), ``role``, ``voice``
    (own|reported), ``attribution`` (speaker_label|reporting_verb|pronoun|continuation|
    author), ``topics`` (list of codebook ids), ``claim_type``, ``certainty`` (0-1),
    ``polarity`` (+1/-1), ``direction`` (lean on the first topic that has one, else 0),
    ``directions`` (dict topic -> +1/-1/0), ``cues`` (hedges/boosters/negators found).
    ``form="long"`` has one row per sentence and topic (untagged sentences dropped), with
    ``topic`` and ``direction`` on that topic instead of ``topics``/``directions``.
    ``experts`` and ``topics`` keep rows of those experts (any written form) / topics.
    """
    from ..corpus.corpus import Corpus

    check_type("corpus", corpus, Corpus)
    check_choice("form", form, ("wide", "long"))
    docs = as_str_list("docs", docs)
    if docs is not None:
        for d in docs:
            check_choice("docs", d, corpus.doc_ids)
        corpus = corpus.select(docs)
    topic_ids = check_topics(topics, codebook)
    files = {"codebook": codebook, "lexicon": lexicon, "claims": claims, "attribution": attribution}
    key = ("statements", *(_rule_id(name, value) for name, value in files.items()))
    cache = _analysis_cache(corpus)
    if key not in cache:
        cache[key] = _compute(corpus, **files)
    df, people = cache[key]
    df = df.copy()
    wanted = _expert_filter(experts, people, corpus.doc_ids)
    if wanted is not None:
        df = df[
            df["expert_list"].map(lambda ns: any(name_key(n, people.rules) in wanted for n in ns))
        ]
    if topic_ids is not None:
        df = df[df["topics"].map(lambda ts: any(t in topic_ids for t in ts))]
    df = df.reset_index(drop=True)
    return explode_topics(df, topics=topic_ids) if form == "long" else df


def _rule_id(name: str, value: Any) -> tuple:
    """Identity of a rule-file argument for the cache: path and modification time."""
    from .codebook import _path

    kind, default = {
        "codebook": ("topics", "codebook.toml"),
        "lexicon": ("lexicons", "certainty.toml"),
        "claims": ("lexicons", "claim_types.toml"),
        "attribution": ("lexicons", "attribution.toml"),
    }[name]
    path = _path(value, kind, default)
    return (name, str(path.resolve()), path.stat().st_mtime)


def _analysis_cache(corpus: Corpus) -> dict:
    """Per-corpus memo of analysis results keyed by the rule files used.

    A Corpus does not change after loading, so results computed with the same rule files
    (same paths and modification times) can be shared by statements/positions/forecasts.
    """
    return corpus._analysis_cache


def _quote_state(text: str, is_open: bool) -> bool:
    """Whether a quotation is open after ``text``, given whether it was open before."""
    for ch in text:
        if ch == '"':
            is_open = not is_open
        elif ch in "“«":
            is_open = True
        elif ch in "”»":
            is_open = False
    return is_open


def _quotations(rows: list[Any]) -> list[list[int]]:
    """Indices (into ``rows``) of the sentences of each multi-sentence quotation.

    A quotation opens in one sentence and closes in a later sentence of the same paragraph;
    the sentences between are inside it.
    """
    groups: list[list[int]] = []
    current: list[int] = []
    is_open, para = False, None
    for i, row in enumerate(rows):
        if row.paragraph_id != para:
            is_open, para, current = False, row.paragraph_id, []
        was_open = is_open
        is_open = _quote_state(row.text, is_open)
        if was_open and current:
            current.append(i)
            if not is_open:
                groups.append(current)
                current = []
        elif is_open:
            current = [i]
    return groups


def _compute(corpus: Corpus, *, codebook, lexicon, claims, attribution) -> tuple:
    """The full statements table of ``corpus`` and the people registry behind it."""
    import pandas as pd

    from ..segment import PROSE_KINDS
    from .codebook import scorer

    score = scorer(codebook=codebook, lexicon=lexicon, claims=claims).score
    people = build_people(corpus, lexicon=attribution)
    sents = corpus.segments("sentence")
    rows: list[dict[str, Any]] = []
    for doc_id, group in sents.groupby("doc_id", sort=True):
        labels = people.doc_labels.get(doc_id, {})
        authors = people.doc_authors.get(doc_id, [])
        prose = [r for r in group.itertuples() if r.kind in PROSE_KINDS]
        found: list[tuple[list[str], str, tuple[int, int] | None]] = []
        last_quoted: str | None = None
        for row in prose:
            span = None
            if row.speaker is not None and row.speaker in labels:
                keys, how = [labels[row.speaker]], "speaker_label"
            else:
                hit = _attribute(row.text, doc_id, people, last_quoted)
                if hit:
                    key, how, span = hit
                    keys = [key]
                    last_quoted = key
                else:
                    keys = authors or [unknown_author(doc_id)]
                    how = "author"
                    last_quoted = None
            found.append((keys, how, span))
        # a quotation over several sentences belongs to whoever its attribution names
        for members in _quotations(prose):
            named = [found[i] for i in (members[-1], members[0]) if found[i][1] in _NAMED]
            if named:
                keys = named[0][0]
                for i in members:
                    if found[i][1] not in _NAMED and found[i][1] != "speaker_label":
                        found[i] = (keys, "continuation", None)
        doc_rows = []
        for row, (keys, how, span) in zip(prose, found):
            names = [people.name(k) for k in keys]
            role = (
                people.persons[keys[0]].roles.get(doc_id, "author")
                if keys[0] in people.persons
                else _placeholder_role(keys[0])
            )
            scored = score(row.text, row.kind)
            dirs = scored["directions"]
            doc_rows.append(
                {
                    "doc_id": doc_id,
                    "seg_id": row.seg_id,
                    "start": int(row.start),
                    "end": int(row.end),
                    "quote": row.text,
                    "kind": row.kind,
                    "expert": " & ".join(names),
                    "expert_list": names,
                    "role": role,
                    "voice": voice_of(row.text, people, attributed_span=span),
                    "attribution": how,
                    "topics": scored["topics"],
                    "claim_type": scored["claim_type"],
                    "certainty": scored["certainty"],
                    "polarity": scored["polarity"],
                    "direction": next((d for d in dirs.values() if d), 0),
                    "directions": dirs,
                    "cues": scored["cues"],
                }
            )
        rows.extend(doc_rows)
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS), people


_NAMED = ("reporting_verb", "pronoun")


def _placeholder_role(key: str) -> str:
    """Role of an unnamed expert ("interviewer of <doc>", "unknown author(s) of <doc>")."""
    for role in ("interviewer", "interviewee"):
        if key.startswith(f"{role} of "):
            return role
    return "author"


def explode_topics(statements: pd.DataFrame, *, topics: list[str] | None = None) -> pd.DataFrame:
    """Long form of a statements table: one row per sentence and topic, ``topic``/``direction``."""
    import pandas as pd

    cols = [c for c in STATEMENT_COLUMNS if c not in ("topics", "directions")]
    out = statements.copy()
    out["topic"] = out["topics"]
    out = out.explode("topic")
    out = out[out["topic"].notna()]
    out["direction"] = [int(d.get(t, 0)) for d, t in zip(out["directions"], out["topic"])]
    if topics is not None:
        out = out[out["topic"].isin(topics)]
    cols.insert(cols.index("claim_type"), "topic")
    return pd.DataFrame(out[cols]).reset_index(drop=True)


def _expert_filter(experts: Any, people: People, doc_ids: list[str]) -> set[str] | None:
    """Keys of the display names ``experts`` refer to (any written form); None = all."""
    items = as_str_list("experts", experts)
    if items is None:
        return None
    known: dict[str, str] = {}
    for doc_id in doc_ids:
        if not people.doc_authors.get(doc_id):
            key = name_key(unknown_author(doc_id), people.rules)
            known[key] = key
    for key, p in people.persons.items():
        for form in p.forms:
            known[name_key(form, people.rules)] = name_key(people.name(key), people.rules)
    out = set()
    for item in items:
        k = name_key(item, people.rules)
        if k not in known:
            shown = ", ".join(sorted({people.name(key) for key in people.persons}))
            raise ParameterError(
                f"invalid value for 'experts': {item!r} is not an expert of this corpus; "
                f"known experts are {shown} (see dprkbrief.experts(corpus))"
            )
        out.add(known[k])
    return out


def claim_summary(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements per expert by claim type, plus how many are reported speech.

    Columns: ``expert``, one count column per claim type (in the lexicon's order), ``total``,
    ``reported``. Co-authored statements count once for the joint ``expert`` string.
    """
    import pandas as pd

    from .codebook import claim_types

    check_type("statements", statements, pd.DataFrame)
    missing = {"expert", "claim_type", "voice"} - set(statements.columns)
    if missing:
        raise ParameterError(
            f"invalid value for 'statements': lacks {sorted(missing)}; pass "
            "dprkbrief.statements(corpus)"
        )
    types = claim_types()
    table = pd.crosstab(statements["expert"], statements["claim_type"])
    table = table.reindex(columns=types, fill_value=0)
    table["total"] = table.sum(axis=1)
    reported = statements[statements["voice"] == "reported"].groupby("expert").size()
    table["reported"] = reported.reindex(table.index, fill_value=0)
    table.columns.name = None
    return (
        table.reset_index()
        .sort_values(["total", "expert"], ascending=[False, True])
        .reset_index(drop=True)
    )
