"""Statements: one row per prose sentence with whose voice it is and what it claims.

Attribution, in order: the interview speaker label of the sentence; the attribution
``dprkbrief.quotes`` finds for it (the sentence is mostly the content of a quotation or
holds its cue: "..., said Jane Doe", "Doe added that", "She said", "according to Doe", a
floating quotation continuing the last source; multi-sentence and multi-paragraph
quotations belong, every sentence of them, to their source) when the source is a person of
the expert registry; otherwise the document's authors (co-authors jointly) or "unknown
author(s) of <doc_id>". The table is a fold: per document ``statement_records`` (the
``statements`` step of ``dprkbrief.annotate``, memoised on the document and cached on disk,
stored by ``dprkbrief build``), then one cross-document link that fills in the registry's
display names (``link_names``). Interviewer questions get claim type ``question``;
pull-quotes are never rows (they are not prose kinds), so repeats are not counted twice.

The voice is ``reported`` when the expert relays what someone else said or did: the
sentence carries a quotation of an anonymous source, an institution or a person outside
the registry ("Officials said...", "According to reports..."), or, without one, a hearsay
or reporting cue of the lexicon ("Critics fear..."); else ``own``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal

from .._validate import as_str_list, check_choice, check_type
from ..errors import ParameterError
from ..pipeline.fold import record_list
from .codebook import check_topics
from .experts import People, build_people, name_key

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
    "hedges",
]
PRONOUNS = {"he", "she", "they"}
_CONJ = {"and", "but", "or", "then", "so"}
_CONJ_IF = {"if", "whether", "unless"}


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
    rules: Any = None,
) -> pd.DataFrame:
    """One row per prose sentence: its expert, voice, topics, claim type, certainty, direction.

    Columns (``form="wide"``): ``doc_id, seg_id, start, end, quote`` (evidence,
    ``quote == text[start:end]``), ``kind``, ``expert`` (display name; co-authors joined
    with " & "), ``expert_list`` (list of individual experts), ``role``, ``voice``
    (own|reported), ``attribution`` (speaker_label|reporting_verb|pronoun|continuation|
    author), ``topics`` (list of codebook ids), ``claim_type``, ``certainty`` (0-1),
    ``polarity`` (+1/-1), ``direction`` (lean on the first topic that has one, else 0),
    ``directions`` (dict topic -> +1/-1/0), ``cues`` (the claim-type lexicon's hedges,
    boosters and negators found), ``hedges`` (the hedge cues behind ``certainty``).
    ``certainty`` is :func:`dprkbrief.span_certainty` of the sentence on the shared parse
    (hedge lexicon: kind ``hedges`` of ``rules``, a Resources or dict kind -> path); 0 for a
    question that is not rhetorical (it asserts nothing).
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
    res = rule_resources(
        rules, corpus, codebook=codebook, certainty=lexicon, claims=claims, attribution=attribution
    )
    # a fold: the per-document rows (memoised, cached on disk), then the cross-document link
    rows = record_list(corpus, "statements", res)
    people = build_people(corpus, lexicon=_user_rule(res, "attribution"))
    df = statements_frame(rows, people)
    wanted = _expert_filter(experts, people, corpus.doc_ids)
    if wanted is not None:
        df = df[
            df["expert_list"].map(lambda ns: any(name_key(n, people.rules) in wanted for n in ns))
        ]
    if topic_ids is not None:
        df = df[df["topics"].map(lambda ts: any(t in topic_ids for t in ts))]
    df = df.reset_index(drop=True)
    return explode_topics(df, topics=topic_ids) if form == "long" else df


def rule_resources(rules: Any, corpus: Corpus | None = None, **files: Any) -> Any:
    """The ``Resources`` of a corpus function: ``rules`` (a Resources, dict or list, see
    ``resources.bundle.as_resources``) with the rule-file arguments ``files`` (kind ->
    path, None = as in ``rules``) and the structure/date-line files ``corpus`` was read
    with put in, so every per-document step reads them and its fingerprint names them."""
    from ..pipeline.fold import corpus_rule_files, resources_for
    from ..resources.bundle import as_resources

    res = as_resources(rules)
    given = {k: v for k, v in files.items() if v is not None}
    read_with = corpus_rule_files(corpus) if corpus is not None else {}
    if not given and not read_with:
        return res
    own = {k: _user_rule(res, k) for k in res.rules}
    base = {k: v for k, v in own.items() if v is not None}
    return resources_for({**base, **read_with, **given}, model=res.model)


def _user_rule(res: Any, kind: str) -> str | None:
    from ..resources.bundle import _user_rule as user_rule

    return user_rule(res, kind)


# -- deferred names: the per-document rows name experts by registry key; the display name
# (the fullest written form over every document of the corpus) is filled in by the link
DEFER = "\x1f"
_DEFERRED = re.compile("\x1f([^\x1f]*)\x1f")


@dataclass
class _DeferredPeople(People):
    """A one-document registry whose display names are left to the cross-document link."""

    def name(self, key: str) -> str:
        p = self.persons.get(key)
        return f"{DEFER}{key}{DEFER}" if p and p.forms else key


def link_names(value: Any, people: People) -> Any:
    """``value`` (a str or a list of str) with every deferred name replaced by the display
    name the corpus-wide registry ``people`` gives that key."""
    if isinstance(value, str):
        return _DEFERRED.sub(lambda m: people.name(m.group(1)), value) if DEFER in value else value
    if isinstance(value, list):
        return [link_names(v, people) for v in value]
    return value


def document_people(document: Any, resources: Any) -> tuple[People, list[dict]]:
    """The registry of one document (names deferred, see ``link_names``) and the document's
    quote records linked to it: what its statements, stance cells and forecasts attribute
    sentences with. A person's keys, roles, labels and authorship in a document depend on
    that document alone; only display names span documents. Memoised on the document (the
    statements, cells and forecasts steps share it); callers must not change the quotes."""
    import json

    from ..corpus.corpus import Corpus
    from ..pipeline.fold import document_records, step_fingerprint

    fp = step_fingerprint(resources, "quotations")
    key = ("document_people", json.dumps(fp, sort_keys=True))
    memo = document._records
    if memo is None:
        memo = document._records = {}
    if key not in memo:
        from .quotes import _link_experts

        single = Corpus([document])
        attribution = resources.rule_path("attribution")
        found = build_people(single, lexicon=attribution)
        people = _DeferredPeople(**{f.name: getattr(found, f.name) for f in fields(found)})
        quotes = [dict(q) for q in document_records(document, "quotations", resources, fp)]
        _link_experts(quotes, single, attribution, people)
        memo[key] = (people, quotes)
    return memo[key]


def statements_frame(rows: list[dict], people: People) -> pd.DataFrame:
    """The statements table from per-document rows (``statement_records``), names linked."""
    import json

    import pandas as pd

    for r in rows:
        r["expert_list"] = link_names(list(r["expert_list"]), people)
        r["expert"] = " & ".join(r["expert_list"])
        if isinstance(r["directions"], str):
            r["directions"] = json.loads(r["directions"])
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS)


def statement_records(document: Any, resources: Any) -> list[dict]:
    """The statement rows of one document (the ``statements`` step of
    ``dprkbrief.annotate``): columns ``STATEMENT_COLUMNS`` with expert names deferred.

    Attribution and voice come from ``dprkbrief.quotes``: a sentence that is (mostly) the
    content of a quotation, or holds its cue, belongs to the quoted person when that person
    is in the registry (voice ``own``); quoted anonymous sources and institutions leave the
    sentence to the author with voice ``reported``. Rule files: kinds ``codebook``,
    ``certainty``, ``claims``, ``attribution``, ``hedges`` of ``resources``.
    """
    from ..nlp import parse
    from ..segment import PROSE_KINDS
    from .certainty import _span_certainty, hedge_cues, load_hedges
    from .codebook import scorer

    score = scorer(
        codebook=resources.rule_path("codebook"),
        lexicon=resources.rule_path("certainty"),
        claims=resources.rule_path("claims"),
    ).score
    hedges = load_hedges(resources.rule_path("hedges"))
    doc_id = document.doc_id
    people, quotes = document_people(document, resources)
    # a speaker's turn is attributed by its label below; an attitude ("Kim wants a deal") is
    # the writer's assessment, not someone else's words
    quotes_here = [q for q in quotes if not q.get("turn") and not q.get("stance")]
    labels = people.doc_labels.get(doc_id, {})
    authors = people.doc_authors.get(doc_id, [])
    prose = [
        SimpleNamespace(**r) for r in document.segment_rows("sentence") if r["kind"] in PROSE_KINDS
    ]
    text = document.text
    found: list[tuple[list[str], str, str]] = []
    for row in prose:
        hit = quote_for(int(row.start), int(row.end), quotes_here)
        if hit is not None and (_in_aside(row, hit, people) or _hypothetical(hit, text)):
            hit = None  # "as you said", "if he thinks", "do you expect": nothing reported
        reported = hit is not None and hit["source_kind"] != "author"
        key = people.resolve(hit["source"], doc_id) if reported and hit["source"] else None
        if hit is not None and hit["source_kind"] != "person":
            key = None
        if row.speaker is not None and row.speaker in labels:
            keys, how = [labels[row.speaker]], "speaker_label"
            voice = "reported" if reported else voice_of(row.text, people)
        elif key:
            keys, how, voice = [key], _how(hit, text), "own"
        else:
            keys = authors or [unknown_author(doc_id)]
            how = "author"
            voice = "reported" if reported else voice_of(row.text, people)
        found.append((keys, how, voice))
    rows = []
    parsed = parse(document, resources) if prose else None
    for row, (keys, how, voice) in zip(prose, found):
        names = [people.name(k) for k in keys]
        role = (
            people.persons[keys[0]].roles.get(doc_id, "author")
            if keys[0] in people.persons
            else _placeholder_role(keys[0])
        )
        scored = score(row.text, row.kind)
        dirs = scored["directions"]
        span = parsed.char_span(int(row.start), int(row.end), alignment_mode="expand")
        cert = _span_certainty(span if span is not None else parsed[0:0], hedges)
        rows.append(
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
                "voice": voice,
                "attribution": how,
                "topics": scored["topics"],
                "claim_type": scored["claim_type"],
                "certainty": 0.0
                if scored["claim_type"] == "question" and not cert["rhetorical"]
                else cert["certainty"],
                "polarity": scored["polarity"],
                "direction": next((d for d in dirs.values() if d), 0),
                "directions": dirs,
                "cues": scored["cues"],
                "hedges": hedge_cues(cert),
            }
        )
    return rows


_CONDITION = re.compile(r"\b(?:if|whether|unless|when|do|does|did|would|will|can)\s+\Z", re.I)


def _hypothetical(quote: dict, text: str) -> bool:
    """A question to or a condition on the source ("Do you expect ...", "if he thinks")."""
    if quote["source_start"] is None or quote["kind"] == "floating":
        return False
    mention = text[quote["source_start"] : quote["source_end"]].strip().lower()
    before = text[max(0, quote["source_start"] - 12) : quote["source_start"]]
    return mention == "you" or bool(_CONDITION.search(before))


def _in_aside(row: Any, quote: dict, people: People) -> bool:
    """Whether the cue of ``quote`` sits in an aside clause of the sentence ``row``."""
    if quote["cue_start"] is None or people.rules.aside is None:
        return False
    cue = quote["cue_start"] - int(row.start)
    return any(m.start() <= cue < m.end() for m in people.rules.aside.finditer(row.text))


def quote_for(start: int, end: int, quotes: list[dict]) -> dict | None:
    """The attribution a sentence ``start:end`` belongs to: the quotation whose content covers
    most of it (at least a third), else one whose cue is in it and whose content touches it."""
    best, best_cov = None, 0.0
    length = max(1, end - start)
    for q in quotes:
        if q["start"] >= end or q["end"] <= start:
            if q["cue_start"] is None or not (start <= q["cue_start"] < end):
                continue
        ov = max(0, min(end, q["end"]) - max(start, q["start"]))
        cue_in = q["cue_start"] is not None and start <= q["cue_start"] < end
        cov = ov / length + (0.5 if cue_in and ov > 0 else 0.0)
        if cov > best_cov:
            best, best_cov = q, cov
    return best if best_cov >= 1 / 3 else None


def _how(quote: dict, text: str) -> str:
    """``attribution`` value of a sentence attributed through ``quote``."""
    if quote["kind"] == "floating":
        return "continuation"
    if quote["kind"] == "according_to":
        return "according_to"
    mention = text[quote["source_start"] : quote["source_end"]].strip().lower()
    return "pronoun" if mention in PRONOUNS or mention in {"him", "her"} else "reporting_verb"


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
