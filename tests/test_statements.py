"""Statements: attribution, voice, claim type, pull-quotes, filters, and the eval set."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

import dprkbrief
from dprkbrief.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]

NEWS = """Envoys plan new talks

By Staff Reporter

Officials said a new round of talks was possible.

"A summit is likely this year," said Mara Lind, a professor of history at Redwood University. "The North wants relief from sanctions."

She said the alliance should stay strong. Tomas Berg, a senior fellow at the Quarry Institute, disagreed.

Berg said a summit would not happen this year.
"""

QA = """Q&A: the view from the capital

Interview by Nina Kos, staff writer

Q: Will the talks resume?
A: I think they will resume next year. The president said he wants a deal.

Omar Reyes is a research fellow at the Delta Center for Security Studies.
"""

OPED = """Talks resume

By Jane Roe and Ada Quist

The envoy arrived on Monday. Many analysts assumed the North was biding its time until the elections in the autumn, waiting to see who would win.

Many analysts assumed the North was biding its time until the elections.

Negotiations will likely resume next year.

Jane Roe is a fellow at the Lakeview Institute. Ada Quist is a lecturer at Elm College.
"""

ANON = """A note on the talks

Negotiations are unlikely to resume before the elections.
"""


@pytest.fixture(scope="module")
def corpus():
    return dprkbrief.corpus_from_texts({"news": NEWS, "qa": QA, "oped": OPED, "anon": ANON})


@pytest.fixture(scope="module")
def st(corpus):
    return dprkbrief.statements(corpus)


def row(st, doc, prefix):
    hit = st[(st["doc_id"] == doc) & st["quote"].str.startswith(prefix)]
    assert len(hit) == 1, (doc, prefix, list(st[st["doc_id"] == doc]["quote"]))
    return hit.iloc[0]


def test_evidence_offsets(corpus, st):
    assert len(st)
    for r in st.itertuples():
        assert corpus[r.doc_id].text[r.start : r.end] == r.quote
        assert r.seg_id.startswith(f"{r.doc_id}:s")


def test_quoted_experts_and_continuations(st):
    assert row(st, "news", '"A summit is likely').expert == "Mara Lind"
    cont = row(st, "news", '"The North wants')
    assert (cont.expert, cont.attribution) == ("Mara Lind", "continuation")
    she = row(st, "news", "She said")
    assert (she.expert, she.attribution) == ("Mara Lind", "pronoun")
    berg = row(st, "news", "Berg said")
    assert berg.expert == "Tomas Berg" and berg.voice == "own"
    assert berg.directions["summit"] == -1
    assert row(st, "news", "Officials said").expert == "unknown author(s) of news"
    assert row(st, "news", "Officials said").voice == "reported"


def test_interviews_questions_and_reported_voice(st):
    q = row(st, "qa", "Will the talks")
    assert (q.expert, q.claim_type, q.certainty) == ("Nina Kos", "question", 0.0)
    a = row(st, "qa", "I think they will")
    assert (a.expert, a.voice, a.claim_type) == ("Omar Reyes", "own", "prediction")
    rep = row(st, "qa", "The president said")
    assert (rep.expert, rep.voice) == ("Omar Reyes", "reported")


def test_coauthors_and_pull_quotes(corpus, st):
    r = row(st, "oped", "Negotiations will likely")
    assert r.expert == "Jane Roe & Ada Quist"
    assert r.expert_list == ["Jane Roe", "Ada Quist"]
    assert r.role == "author"
    # the pull-quote repeat is a segment but not a statement
    seg = corpus.segments("sentence")
    assert (seg[seg["doc_id"] == "oped"]["kind"] == "pull_quote").sum() == 1
    assert st[st["doc_id"] == "oped"]["quote"].str.startswith("Many analysts").sum() == 1


def test_unknown_author(st):
    r = row(st, "anon", "Negotiations are unlikely")
    assert r.expert == "unknown author(s) of anon"
    assert (r.claim_type, r.direction) == ("prediction", -1)


def test_long_form_and_filters(corpus, st):
    long = dprkbrief.statements(corpus, form="long")
    assert "topic" in long.columns and "topics" not in long.columns
    assert len(long) == st["topics"].map(len).sum()
    only = dprkbrief.statements(corpus, topics="summit", experts=["Dr. Berg"])
    assert set(only["expert"]) == {"Tomas Berg"}
    assert all("summit" in t for t in only["topics"])
    assert set(dprkbrief.statements(corpus, docs=["qa"])["doc_id"]) == {"qa"}


def test_parameter_errors(corpus):
    with pytest.raises(ParameterError, match="'experts'.*known experts are"):
        dprkbrief.statements(corpus, experts="Nobody Here")
    with pytest.raises(ParameterError, match="'topics'"):
        dprkbrief.statements(corpus, topics=["weather"])
    with pytest.raises(ParameterError, match="'form'"):
        dprkbrief.statements(corpus, form="tall")
    with pytest.raises(ParameterError, match="'docs'"):
        dprkbrief.statements(corpus, docs=["missing"])


def test_annotated_eval_set_runs_and_attributes_experts():
    """The eval script matches every annotation to one sentence (else it exits)."""
    module = runpy.run_path(str(ROOT / "benchmarks" / "eval_statements.py"))
    res = module["evaluate"]()
    assert res["n_sentences"] >= 60
    # attribution is the backbone of every later table; keep it near-perfect
    assert res["expert_accuracy"] >= 0.95
    assert res["experts"]["recall"] == 1.0


def test_claim_summary(st):
    from dprkbrief.analysis.statements import claim_summary

    table = claim_summary(st).set_index("expert")
    assert table.loc["Nina Kos", "question"] == 1
    assert table.loc["Omar Reyes", "reported"] == 1
    counts = st.groupby("expert").size()
    assert (table["total"] == counts.reindex(table.index)).all()
    with pytest.raises(ParameterError, match="lacks"):
        claim_summary(st.drop(columns="voice"))


def test_anonymous_labels_without_names_get_placeholders():
    corpus = dprkbrief.corpus_from_texts(
        {"bare": "Talks\n\nQ: Will talks resume?\nA: They will resume soon.\n"}
    )
    st = dprkbrief.statements(corpus)
    assert list(st["expert"]) == ["interviewer of bare", "interviewee of bare"]
    assert list(st["claim_type"]) == ["question", "prediction"]


SENTENCES = [
    "A summit will most likely happen next year.",
    "I don't think the regime will give up its weapons.",
    "Sanctions relief should come first.",
    "The envoy arrived on Monday.",
    "Critics fear the alliance could weaken.",
    "Will the talks resume?",
    '"Talks may resume," said Mara Lind, a professor at Redwood University.',
]


@settings(max_examples=25, deadline=None)
@given(st_.lists(st_.sampled_from(SENTENCES), min_size=1, max_size=6), st_.booleans())
def test_statement_invariants(picked, byline):
    text = ("Title\n\nBy Jane Roe\n\n" if byline else "Title\n\n") + " ".join(picked) + "\n"
    corpus = dprkbrief.corpus_from_texts({"h": text})
    st = dprkbrief.statements(corpus)
    assert len(st) >= len(picked)  # one row per prose sentence (the splitter may split more)
    for r in st.itertuples():
        assert text[r.start : r.end] == r.quote
        assert r.expert and r.voice in ("own", "reported")
        assert 0.0 <= r.certainty <= 1.0
        assert r.direction in (-1, 0, 1)
        assert set(r.directions) == set(r.topics)
