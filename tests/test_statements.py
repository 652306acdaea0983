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


def _rows(text: str):
    st = dprkbrief.statements(dprkbrief.corpus_from_texts({"d": text}))
    return {r.quote: r for r in st.itertuples()}


def test_multi_sentence_quotation_goes_to_the_quoted_person():
    # attribution after the last sentence of the quotation
    rows = _rows(
        'T\n\nBy Ann Lee\n\nBody.\n\n"Talks will fail. Nobody wants them," said Omar Haddad, '
        "a professor at X University."
    )
    first = rows['"Talks will fail.']
    assert (first.expert, first.voice, first.role) == ("Omar Haddad", "own", "quoted")
    assert rows["Body."].expert == "Ann Lee"
    # attribution after the first sentence; a sentence inside an open quotation
    rows = _rows(
        'T\n\nBy Ann Lee\n\n"Talks will fail," said Omar Haddad, a professor at X University. '
        '"Nobody wants them."\n\nOmar Haddad said: "Sanctions stay. Relief is far off. '
        'Nobody is ready."'
    )
    assert rows['"Nobody wants them."'].expert == "Omar Haddad"
    assert rows["Relief is far off."].expert == "Omar Haddad"
    assert rows["Relief is far off."].voice == "own"
    assert rows['Nobody is ready."'].expert == "Omar Haddad"


def test_name_with_an_opinion_verb_is_an_expert():
    text = (
        "T\n\nBy Ann Lee\n\nSofia Alvarez believes talks will fail. "
        "She expects that talks will resume by 2026."
    )
    rows = _rows(text)
    for quote in (
        "Sofia Alvarez believes talks will fail.",
        "She expects that talks will resume by 2026.",
    ):
        assert (rows[quote].expert, rows[quote].role, rows[quote].voice) == (
            "Sofia Alvarez",
            "quoted",
            "own",
        )
    reg = dprkbrief.experts(dprkbrief.corpus_from_texts({"d": text}))
    assert "Sofia Alvarez" in set(reg["expert"])


def test_interviewee_named_in_the_intro_answers_the_a_label():
    text = (
        "Interview with Dr. Helena Marsh, director of the Y Forum in Honolulu.\n\n"
        "Q: Will the talks resume soon?\n\nA: I think talks will resume next year.\n"
    )
    corpus = dprkbrief.corpus_from_texts({"d": text})
    rows = {r.quote: r for r in dprkbrief.statements(corpus).itertuples()}
    answer = rows["I think talks will resume next year."]
    assert (answer.expert, answer.role) == ("Helena Marsh", "interviewee")
    assert rows["Will the talks resume soon?"].role == "interviewer"
    reg = dprkbrief.experts(corpus).set_index("expert")
    assert reg.loc["Helena Marsh", "affiliation"] == "Y Forum"
    assert {"Dr. Helena Marsh", "Dr. Marsh"} <= set(reg.loc["Helena Marsh", "aliases"])


def test_doubt_and_failure_lean_no():
    rows = _rows(
        "T\n\nBy Ann Lee\n\nChen said she doubted that talks would resume soon. "
        "Chen said the talks would probably fail by 2021. "
        "The most likely scenario is that a deal will remain out of reach."
    )
    for quote, row in rows.items():
        if "talks" in row.topics:
            assert row.directions["talks"] == -1, quote


def test_analyses_share_one_statements_computation(monkeypatch):
    from dprkbrief.analysis import statements as statements_mod

    calls = []
    real = statements_mod.statement_records
    monkeypatch.setattr(
        statements_mod, "statement_records", lambda d, r: calls.append(d.doc_id) or real(d, r)
    )
    monkeypatch.setenv("DPRKBRIEF_PARSE_CACHE", "0")  # no records from disk either
    corpus = dprkbrief.corpus_from_texts({"n": NEWS})
    first = dprkbrief.statements(corpus)
    first.loc[0, "expert"] = "changed by the caller"
    dprkbrief.positions(corpus)
    dprkbrief.forecasts(corpus)
    # the per-document rows are computed once and shared by positions and forecasts
    assert calls == ["n"]
    assert dprkbrief.statements(corpus).loc[0, "expert"] != "changed by the caller"
    assert calls == ["n"]
