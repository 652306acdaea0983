"""Expert positions per topic, and side-by-side comparison of who agrees and who disagrees.

A position aggregates an expert's own-voice claims (predictions, assessments,
recommendations, warnings) on a topic: ``score`` is the certainty-weighted mean direction
(-1..+1) on the topic's question, ``direction`` its sign (0 when |score| < 0.1 or no claim
leans), and the evidence is the statement with the largest ``certainty * |direction|`` that
leans the same way (ties: earliest). Reported speech, questions and descriptions take no
position. Co-authors each hold the positions of their joint text.
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


def _long_statements(
    source: Any, *, codebook: str | Path | None, min_certainty: float
) -> pd.DataFrame:
    import pandas as pd

    from ..corpus.corpus import Corpus
    from .statements import explode_topics, statements

    if isinstance(source, Corpus):
        long = statements(source, form="long", codebook=codebook)
    elif isinstance(source, pd.DataFrame):
        needed = {"voice", "claim_type", "certainty", "expert_list"}
        if not needed <= set(source.columns):
            raise ParameterError(
                "invalid value for 'corpus': a DataFrame must be a statements table "
                f"(dprkbrief.statements(corpus)); it lacks {sorted(needed - set(source.columns))}"
            )
        if "topic" in source.columns:
            long = source
        elif "topics" in source.columns:
            long = explode_topics(source)
        else:
            raise ParameterError(
                "invalid value for 'corpus': a DataFrame must be a statements table "
                "(dprkbrief.statements(corpus)); it lacks 'topics'/'topic'"
            )
    else:
        check_type("corpus", source, (Corpus, pd.DataFrame), hint="a Corpus or statements table")
    long = long[
        (long["voice"] == "own")
        & long["claim_type"].isin(POSITIONAL)
        & (long["certainty"] >= min_certainty)
    ]
    long = long.explode("expert_list")
    long = long.assign(expert=long["expert_list"]).drop(columns=["expert_list"])
    return long.reset_index(drop=True)


def positions(
    corpus: Corpus | pd.DataFrame,
    *,
    topics: list[str] | str | None = None,
    experts: list[str] | str | None = None,
    min_certainty: float = 0.0,
    codebook: str | Path | None = None,
) -> pd.DataFrame:
    """One row per expert and topic: the expert's lean on the topic's question, with evidence.

    ``corpus`` is a Corpus or a statements table (wide or long). Columns: ``expert, topic,
    label, question, direction`` (+1/-1/0), ``score`` (certainty-weighted mean direction),
    ``mean_certainty, n_statements, n_yes, n_no``, and the strongest evidence
    ``claim_type, doc_id, seg_id, start, end, quote``.
    """
    import pandas as pd

    check_type("min_certainty", min_certainty, (int, float))
    if not 0 <= min_certainty <= 1:
        raise ParameterError(f"invalid value for 'min_certainty': {min_certainty!r}; use 0-1")
    rules = {t.id: t for t in topic_rules(codebook)}
    topic_ids = as_str_list("topics", topics)
    for t in topic_ids or []:
        check_choice("topics", t, list(rules))
    long = _long_statements(corpus, codebook=codebook, min_certainty=min_certainty)
    wanted = as_str_list("experts", experts)
    if wanted is not None and _is_corpus(corpus):
        from .experts import build_people, name_key
        from .statements import _expert_filter

        people = build_people(corpus)
        keys = _expert_filter(wanted, people, corpus.doc_ids)
        long = long[long["expert"].map(lambda n: name_key(n, people.rules) in keys)]
    elif wanted is not None:
        known = sorted(set(long["expert"]))
        low = {k.casefold(): k for k in known}
        for name in wanted:
            if name.casefold() not in low:
                raise ParameterError(
                    f"invalid value for 'experts': {name!r} holds no position here; "
                    f"experts with positions are {', '.join(known)}"
                )
        long = long[long["expert"].str.casefold().isin([w.casefold() for w in wanted])]
    if topic_ids is not None:
        long = long[long["topic"].isin(topic_ids)]
    rows = []
    order = {t: i for i, t in enumerate(rules)}
    for (expert, topic), g in long.groupby(["expert", "topic"], sort=False):
        weight = g["certainty"] * g["direction"]
        score = float(weight.sum() / len(g))
        direction = 0 if abs(score) < NEUTRAL_BAND else (1 if score > 0 else -1)
        pool = g[g["direction"] == direction] if direction else g
        best = pool.loc[(pool["certainty"] * pool["direction"].abs()).idxmax()]
        rows.append(
            {
                "expert": expert,
                "topic": topic,
                "label": rules[topic].label if topic in rules else topic,
                "question": rules[topic].question if topic in rules else None,
                "direction": direction,
                "score": round(score, 3),
                "mean_certainty": round(float(g["certainty"].mean()), 3),
                "n_statements": len(g),
                "n_yes": int((g["direction"] > 0).sum()),
                "n_no": int((g["direction"] < 0).sum()),
                "claim_type": best["claim_type"],
                "doc_id": best["doc_id"],
                "seg_id": best["seg_id"],
                "start": int(best["start"]),
                "end": int(best["end"]),
                "quote": best["quote"],
            }
        )
    df = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    if len(df):
        df = df.assign(_o=df["topic"].map(order)).sort_values(["_o", "expert"])
        df = df.drop(columns="_o")
    return df.reset_index(drop=True)


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
