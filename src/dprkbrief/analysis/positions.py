"""Expert positions per topic, and side-by-side comparison of who agrees and who disagrees.

A position aggregates the stance cells (:func:`dprkbrief.stance`) of one expert on one topic:
what the expert expects, doubts, recommends or warns against, plus the ``describes`` cells of
sentences the claim-type lexicon calls an assessment, prediction, recommendation or warning.
``score`` is the certainty-weighted mean direction (-1..+1) on the topic's question,
``direction`` its sign (0 when |score| < 0.1), and the evidence is the cell with the largest
``certainty * |direction|`` that leans the same way (ties: earliest). Each cell's certainty
and hedges come from :func:`dprkbrief.span_certainty`; a position lists the hedges behind it.

Whose stance a cell is (:func:`holders`): a quoted named person (their registry name, else
the name as written), else the sentence's own voice as :func:`dprkbrief.statements`
attributes it (an interview's speaker, the authors -- co-authors each hold the positions of
their joint text) when that voice does not relay someone else. Anonymous sources,
institutions and questions take no position. :func:`position_cells` gives the cells behind every position.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import as_str_list, check_choice, check_type
from ..errors import ParameterError
from .codebook import topic_rules

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus

POSITIONAL = ("prediction", "assessment", "recommendation", "warning")
NEUTRAL_BAND = 0.1
POSITION_COLUMNS = [
    "expert",
    "topic",
    "label",
    "question",
    "direction",
    "score",
    "mean_certainty",
    "n_statements",
    "n_yes",
    "n_no",
    "claim_type",
    "doc_id",
    "seg_id",
    "start",
    "end",
    "quote",
    "stance",
    "certainty",
    "n_hedged",
    "hedges",
    "stances",
]
CELL_COLUMNS = [
    "expert",
    "topic",
    "stance",
    "direction",
    "certainty",
    "hedged",
    "hedges",
    "claim_type",
    "source",
    "source_kind",
    "doc_id",
    "seg_id",
    "start",
    "end",
    "quote",
]
COMPARE_COLUMNS = [
    "side",
    "expert",
    "direction",
    "score",
    "mean_certainty",
    "n_statements",
    "claim_type",
    "doc_id",
    "seg_id",
    "start",
    "end",
    "quote",
]


def position_cells(
    corpus: Corpus | pd.DataFrame,
    *,
    topics: list[str] | str | None = None,
    experts: list[str] | str | None = None,
    min_certainty: float = 0.0,
    codebook: str | Path | None = None,
    rules: Any = None,
) -> pd.DataFrame:
    """The stance cells behind :func:`positions`: one row per expert and cell.

    Columns :data:`CELL_COLUMNS`: ``expert`` (one row per co-author), ``topic, stance,
    direction, certainty, hedged, hedges`` (from :func:`dprkbrief.stance`), ``claim_type``
    (of the sentence), ``source, source_kind`` and the evidence ``doc_id, seg_id, start,
    end, quote``. ``corpus`` is a Corpus or a stance table (``dprkbrief.stance(corpus)``;
    then ``expert`` is the cell's registry name or source and ``claim_type``/``seg_id`` are
    empty). ``rules``: a Resources or dict kind -> path (kinds ``stance``, ``hedges``,
    ``codebook`` ...): a user's rule files.
    """
    import pandas as pd

    from ..resources.bundle import as_resources

    check_type("min_certainty", min_certainty, (int, float))
    if not 0 <= min_certainty <= 1:
        raise ParameterError(f"invalid value for 'min_certainty': {min_certainty!r}; use 0-1")
    res = as_resources(rules)
    rules_ = {t.id: t for t in topic_rules(codebook)}
    topic_ids = as_str_list("topics", topics)
    for t in topic_ids or []:
        check_choice("topics", t, list(rules_))
    if _is_corpus(corpus):
        cells = _corpus_cells(corpus, codebook=codebook, res=res)
    elif isinstance(corpus, pd.DataFrame):
        cells = _table_cells(corpus)
    else:
        check_type("corpus", corpus, (pd.DataFrame,), hint="a Corpus or a stance table")
    cells = cells[cells["certainty"] >= min_certainty]
    if topic_ids is not None:
        cells = cells[cells["topic"].isin(topic_ids)]
    wanted = as_str_list("experts", experts)
    if wanted is not None and _is_corpus(corpus):
        from .experts import build_people, name_key
        from .statements import _expert_filter

        people = build_people(corpus)
        keys = _expert_filter(wanted, people, corpus.doc_ids)
        cells = cells[cells["expert"].map(lambda n: name_key(n, people.rules) in keys)]
    elif wanted is not None:
        known = sorted(set(cells["expert"]))
        low = {k.casefold(): k for k in known}
        for name in wanted:
            if name.casefold() not in low:
                raise ParameterError(
                    f"invalid value for 'experts': {name!r} holds no position here; "
                    f"experts with positions are {', '.join(known)}"
                )
        cells = cells[cells["expert"].str.casefold().isin([w.casefold() for w in wanted])]
    return pd.DataFrame(cells, columns=CELL_COLUMNS).reset_index(drop=True)


def _corpus_cells(corpus: Corpus, *, codebook: Any, res: Any) -> pd.DataFrame:
    """Stance cells of ``corpus`` with their holders: a fold over the per-document
    ``position_cells`` records (``cell_records``), then the registry's display names."""
    import pandas as pd

    from ..pipeline.fold import record_list
    from .experts import build_people
    from .statements import _user_rule, link_names, rule_resources

    res = rule_resources(res, corpus, codebook=codebook)
    rows = record_list(corpus, "position_cells", res)
    people = build_people(corpus, lexicon=_user_rule(res, "attribution"))
    for r in rows:
        r["expert"] = link_names(r["expert"], people)
        r["source"] = link_names(r["source"], people)
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def cell_records(document: Any, resources: Any) -> list[dict]:
    """The stance cells of one document with their holders (the ``position_cells`` step
    of ``dprkbrief.annotate``): columns ``CELL_COLUMNS``, expert names deferred
    (``statements.link_names``). The cells of ``dprkbrief.stance`` with the rule files of
    ``resources``; whose cell it is from ``holders`` and the document's statement rows."""
    from types import SimpleNamespace

    from ..pipeline.fold import document_records
    from .stance import stance_records
    from .statements import document_people

    people, quotes = document_people(document, resources)
    authors = [people.name(k) for k in people.doc_authors.get(document.doc_id, [])]
    sents = [SimpleNamespace(**r) for r in document_records(document, "statements", resources)]
    topics = tuple(topic_rules(resources.rule_path("codebook")))
    cells = stance_records(document, resources, quotes=quotes, authors=authors, topics=topics)
    rows = []
    for c in cells:
        sent = next((r for r in sents if r.start <= c["start"] < r.end), None)
        names = holders(c["source_kind"], c["expert"], c["source"], sent)
        if not names:
            continue
        claim = sent.claim_type if sent is not None else None
        if c["stance"] == "describes" and claim not in POSITIONAL:
            continue  # narration and description take no position
        for name in names:
            rows.append(
                {
                    "expert": name,
                    "topic": c["topic"],
                    "stance": c["stance"],
                    "direction": int(c["direction"]),
                    "certainty": float(c["certainty"]),
                    "hedged": bool(c["hedged"]),
                    "hedges": list(c["hedges"]),
                    "claim_type": claim,
                    "source": c["source"],
                    "source_kind": c["source_kind"],
                    "doc_id": document.doc_id,
                    "seg_id": sent.seg_id if sent is not None else None,
                    "start": int(c["start"]),
                    "end": int(c["end"]),
                    "quote": c["quote"],
                }
            )
    return rows


def holders(source_kind: str, expert: Any, source: Any, sentence: Any) -> list[str]:
    """Whose stance or forecast a sentence's cell is: a quoted named person (registry name,
    else the name as written), else the sentence's own voice in the statements table
    (``sentence``: its row; authors, an interview's speaker) when that voice does not relay
    someone else; [] for anonymous sources, institutions, relayed words and questions."""
    if source_kind == "person":
        name = expert if isinstance(expert, str) and expert else source
        return [name] if isinstance(name, str) and name else []
    if source_kind != "author" or sentence is None:
        return []
    if sentence.voice != "own" or sentence.claim_type == "question":
        return []
    return list(sentence.expert_list)


def _table_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Cells of a stance table passed in directly (no statements to attribute author voice)."""
    import pandas as pd

    needed = {"topic", "stance", "direction", "certainty", "source", "source_kind", "hedges"}
    if not needed <= set(table.columns):
        raise ParameterError(
            "invalid value for 'corpus': a DataFrame must be a stance table "
            f"(dprkbrief.stance(corpus)); it lacks {sorted(needed - set(table.columns))}"
        )
    if "claim_type" in table.columns and "expert" in table.columns:
        return pd.DataFrame(table, columns=CELL_COLUMNS)  # already position cells
    keep = table[table["source_kind"].isin(["person", "author"])]
    keep = keep[(keep["source_kind"] == "author") | keep["expert"].notna()]
    expert = [e if isinstance(e, str) and e else s for e, s in zip(keep["expert"], keep["source"])]
    out = keep.assign(expert=expert, claim_type=None, seg_id=None)
    out = out[out["stance"] != "describes"]
    return pd.DataFrame(out, columns=CELL_COLUMNS)


def positions(
    corpus: Corpus | pd.DataFrame,
    *,
    topics: list[str] | str | None = None,
    experts: list[str] | str | None = None,
    min_certainty: float = 0.0,
    codebook: str | Path | None = None,
    rules: Any = None,
) -> pd.DataFrame:
    """One row per expert and topic: the expert's lean on the topic's question, with evidence.

    ``corpus`` is a Corpus, a stance table or a :func:`position_cells` table. Columns:
    ``expert, topic, label, question, direction`` (+1/-1/0), ``score`` (certainty-weighted
    mean direction), ``mean_certainty, n_statements`` (cells), ``n_yes, n_no``, the
    strongest evidence ``claim_type, doc_id, seg_id, start, end, quote``, its ``stance``
    and ``certainty``, ``n_hedged`` (cells with a hedge), ``hedges`` (the distinct hedge
    cues behind the position, in order) and ``stances`` (label -> number of cells).
    ``min_certainty`` drops cells below it; ``rules`` as in :func:`position_cells`.
    """
    from collections import Counter

    import numpy as np
    import pandas as pd

    rules_ = {t.id: t for t in topic_rules(codebook)}
    long = position_cells(
        corpus,
        topics=topics,
        experts=experts,
        min_certainty=min_certainty,
        codebook=codebook,
        rules=rules,
    )
    rows = []
    order = {t: i for i, t in enumerate(rules_)}
    # one pass over columns as arrays (a pandas groupby with per-group frames costs ~3 ms a
    # group); sums and means are numpy's, as the Series methods compute them
    groups: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(zip(long["expert"], long["topic"])):
        if isinstance(key[0], str) and isinstance(key[1], str):
            groups.setdefault(key, []).append(i)
    cert_all = long["certainty"].to_numpy(dtype="float64")
    dir_all = long["direction"].to_numpy(dtype="int64")
    hedged_all = long["hedged"].to_numpy(dtype=bool)
    col = {c: long[c].tolist() for c in ("hedges", "stance", "claim_type", "doc_id", "seg_id")}
    col.update({c: long[c].tolist() for c in ("start", "end", "quote")})
    for (expert, topic), idx in groups.items():
        ix = np.asarray(idx)
        cert, dirs = cert_all[ix], dir_all[ix]
        score = float((cert * dirs).sum() / len(ix))
        direction = 0 if abs(score) < NEUTRAL_BAND else (1 if score > 0 else -1)
        pool = ix[dirs == direction] if direction else ix
        b = int(pool[np.argmax(cert_all[pool] * np.abs(dir_all[pool]))])
        hedges = list(dict.fromkeys(h for i in idx for h in col["hedges"][i]))
        stances = Counter(col["stance"][i] for i in idx)
        rows.append(
            {
                "expert": expert,
                "topic": topic,
                "label": rules_[topic].label if topic in rules_ else topic,
                "question": rules_[topic].question if topic in rules_ else None,
                "direction": direction,
                "score": round(score, 3),
                "mean_certainty": round(float(cert.mean()), 3),
                "n_statements": len(ix),
                "n_yes": int((dirs > 0).sum()),
                "n_no": int((dirs < 0).sum()),
                "claim_type": col["claim_type"][b],
                "doc_id": col["doc_id"][b],
                "seg_id": col["seg_id"][b],
                "start": int(col["start"][b]),
                "end": int(col["end"][b]),
                "quote": col["quote"][b],
                "stance": col["stance"][b],
                "certainty": round(float(cert_all[b]), 3),
                "n_hedged": int(hedged_all[ix].sum()),
                "hedges": hedges,
                # label -> count, by label (numpy counts, as Series.value_counts gives them)
                "stances": {k: np.int64(n) for k, n in sorted(stances.items())},
            }
        )
    df = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    if len(df):
        df = df.assign(_o=df["topic"].map(order)).sort_values(["_o", "expert"])
        df = df.drop(columns="_o")
    return df.reset_index(drop=True)


def hedges_behind(cells: pd.DataFrame, expert: str, topic: str) -> pd.DataFrame:
    """The cells behind one position with their certainty and hedges, most hedged first.

    ``cells`` is :func:`position_cells`; columns ``stance, direction, certainty, hedges,
    doc_id, start, end, quote``. An expert/topic pair without cells raises a ParameterError
    naming the pairs there are.
    """
    import pandas as pd

    check_type("cells", cells, pd.DataFrame)
    g = cells[(cells["expert"].str.casefold() == expert.casefold()) & (cells["topic"] == topic)]
    if g.empty:
        pairs = sorted(set(zip(cells["expert"], cells["topic"])))[:8]
        shown = "; ".join(f"{e} / {t}" for e, t in pairs)
        raise ParameterError(
            f"invalid value for 'expert'/'topic': {expert!r} holds no position on {topic!r}; "
            f"positions held include {shown}"
        )
    cols = ["stance", "direction", "certainty", "hedges", "doc_id", "start", "end", "quote"]
    return g.sort_values(["certainty", "start"])[cols].reset_index(drop=True)


def _is_corpus(value: Any) -> bool:
    from ..corpus.corpus import Corpus

    return isinstance(value, Corpus)


def compare(
    positions_or_corpus: pd.DataFrame | Corpus,
    topic: str,
    *,
    experts: list[str] | str | None = None,
    codebook: str | Path | None = None,
) -> pd.DataFrame:
    """Who says yes and who says no on ``topic``, with each expert's strongest quote.

    Takes a positions table or a Corpus. Columns: ``side`` (yes|no|neutral on the topic's
    question), ``expert, direction, score, mean_certainty, n_statements, claim_type,
    doc_id, seg_id, start, end, quote``; ordered yes first, by descending score. The table's
    ``attrs["question"]`` holds the topic's question.
    """
    import pandas as pd

    rules = {t.id: t for t in topic_rules(codebook)}
    check_choice("topic", topic, list(rules))
    if isinstance(positions_or_corpus, pd.DataFrame) and "score" in positions_or_corpus:
        pos = positions_or_corpus
        pos = pos[pos["topic"] == topic]
        if experts is not None:
            names = [n.casefold() for n in as_str_list("experts", experts) or []]
            pos = pos[pos["expert"].str.casefold().isin(names)]
    else:
        pos = positions(positions_or_corpus, topics=[topic], experts=experts, codebook=codebook)
    side = pos["direction"].map({1: "yes", -1: "no", 0: "neutral"})
    out = pos.assign(side=side, _o=side.map({"yes": 0, "no": 1, "neutral": 2}))
    out = out.sort_values(["_o", "score"], ascending=[True, False])
    out = pd.DataFrame(out[COMPARE_COLUMNS]).reset_index(drop=True)
    out.attrs["topic"] = topic
    out.attrs["question"] = rules[topic].question
    return out
