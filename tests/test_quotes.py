"""Quotations: extractors, kinds, source resolution, bad input, and the lexicon examples."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.analysis.quotes import QUOTE_COLUMNS, quotation_marks, quote_rules
from dprkbrief.errors import DprkbriefError


def _quotes(text: str, doc_id: str = "d"):
    return dprkbrief.quotes(dprkbrief.corpus_from_texts({doc_id: text}))


def _evidence_ok(table, corpus_texts):
    for r in table.itertuples():
        text = corpus_texts[r.doc_id]
        assert text[r.start : r.end] == r.quote
        if r.cue_start is not None:
            assert text[r.cue_start : r.cue_end] == r.cue
        assert r.source_start is None or 0 <= r.source_start < r.source_end <= len(text)


@pytest.mark.parametrize("example", quote_rules().examples, ids=lambda e: e["text"][:30])
def test_lexicon_examples(example):
    table = _quotes(example["text"])
    rows = table[table["quote"] == example["quote"]]
    assert len(rows) == 1, list(table["quote"])
    row = rows.iloc[0]
    assert (row.kind, row.source, row.cue) == (example["kind"], example["source"], example["cue"])


def test_columns_and_evidence():
    text = (
        "Talks\n\nBy Ann Lee\n\n"
        '"We will not give up," Kim Yo Jong said. Victor Cha said the talks had stalled.'
    )
    table = _quotes(text)
    assert list(table.columns) == QUOTE_COLUMNS
    assert set(table["kind"]) <= {"direct", "indirect", "mixed", "according_to", "floating"}
    _evidence_ok(table, {"d": text})
    assert table["seg_id"].str.startswith("d:s").all()


def test_quotation_across_paragraphs_is_one_attribution():
    text = (
        "T\n\n"
        '"The first part of what he said runs on here.\n\n'
        '"And the second paragraph carries on with it," Omar Haddad said.'
    )
    table = _quotes(text)
    direct = table[table["kind"] == "direct"]
    assert len(direct) == 1
    row = direct.iloc[0]
    assert row.quote.startswith("The first part") and row.quote.endswith("carries on with it")
    assert row.source == "Omar Haddad"


def test_floating_quotation_continues_the_last_source_and_pronoun_resolves():
    text = (
        "T\n\n"
        '"Sanctions will stay," said Jane Roe, a fellow at the Lakeview Institute.\n\n'
        '"Nobody in Pyongyang expects relief before the elections."\n\n'
        "She said the summit was off."
    )
    table = _quotes(text)
    floating = table[table["kind"] == "floating"].iloc[0]
    assert floating.source == "Jane Roe" and floating.cue is None
    she = table[table["cue"] == "said"].iloc[-1]
    assert (she.kind, she.source, text[she.source_start : she.source_end]) == (
        "indirect",
        "Jane Roe",
        "She",
    )


def test_source_kinds_and_surname_resolution():
    text = (
        "T\n\nDefense Secretary Lloyd Austin visited Seoul. "
        "Austin said the alliance was strong. "
        "Officials said the drills would go ahead. "
        "The Unification Ministry said the talks were over."
    )
    table = _quotes(text)
    kinds = dict(zip(table["cue_start"].map(lambda s: text[s - 12 : s]), table["source_kind"]))
    by_source = dict(zip(table["source"], table["source_kind"]))
    assert by_source.get("Lloyd Austin") == "person", kinds
    assert by_source.get("Officials") == "anonymous"
    assert by_source.get("The Unification Ministry") == "institution"


def test_scare_quotes_are_not_speech():
    table = _quotes('T\n\nThe "maximum pressure" campaign ended in 2018.')
    assert table.empty


@pytest.mark.parametrize(
    "text",
    [
        "Word",
        "No people are named here, only weather and rain.",
        'T\n\n"An opening mark that never closes, said nobody at all',
        'T\n\nHe said "this" and then "that" and " and ” and “ again.',
        "북한은 미국과 대화하지 않겠다고 말했다. 김여정은 “우리는 포기하지 않는다”고 했다.",
        'T\n\n"' + "This quotation runs on and on. " * 300 + '" said Jane Roe.',
    ],
    ids=["one-word", "no-people", "unbalanced", "stray-marks", "korean", "long-quote"],
)
def test_bad_input_gives_sensible_rows(text):
    table = _quotes(text)
    assert list(table.columns) == QUOTE_COLUMNS
    _evidence_ok(table, {"d": text})


def test_long_quotation_is_attributed_whole():
    body = "This quotation runs on and on. " * 300
    text = 'T\n\n"' + body.strip() + '" said Jane Roe.'
    table = _quotes(text)
    row = table[table["kind"] == "direct"].iloc[0]
    assert row.source == "Jane Roe" and len(row.quote) > 8000


def test_quotation_marks_extractor_handles_unbalanced_marks():
    text = 'He said "open and never closed\n\nNext paragraph “curly” here.'
    paras = [(0, 30), (32, len(text))]
    spans = [text[q.start : q.end] for q in quotation_marks(text, paras)]
    assert spans == ["open and never closed", "curly"]


def test_docs_and_experts_filters():
    corpus = dprkbrief.corpus_from_texts(
        {
            "a": 'T\n\n"Talks will fail," said Omar Haddad, a professor at X University.',
            "b": "T\n\nOfficials said the drills would go ahead.",
        }
    )
    assert set(dprkbrief.quotes(corpus, docs=["b"])["doc_id"]) == {"b"}
    mine = dprkbrief.quotes(corpus, experts=["Omar Haddad"])
    assert list(mine["expert"]) == ["Omar Haddad"]
    with pytest.raises(DprkbriefError, match="nope"):
        dprkbrief.quotes(corpus, docs=["nope"])


def test_sources_by_kind():
    corpus = dprkbrief.corpus_from_texts(
        {
            "a": 'T\n\n"Talks will fail," said Omar Haddad, a professor at X University. '
            "Officials said the drills would go ahead.",
        }
    )
    table = dprkbrief.sources(corpus)
    assert list(table.columns) == [
        "source",
        "source_kind",
        "expert",
        "n_quotes",
        "n_docs",
        "kinds",
        "doc_ids",
    ]
    assert table.iloc[0]["source_kind"] == "person"
    assert set(table["source_kind"]) == {"person", "anonymous"}


def test_attribution_inside_another_is_part_of_its_content():
    text = "T\n\nThe president said he wants a deal with the North before the election."
    table = _quotes(text)
    assert list(table["cue"]) == ["said"]
    assert table.iloc[0].quote == "he wants a deal with the North before the election"


def test_first_person_hedge_is_not_an_attribution_but_speech_is():
    assert _quotes("T\n\nI think the talks will resume next year.").empty
    table = _quotes("T\n\nWe warned that the talks would fail without sanctions relief.")
    assert list(table["source_kind"]) == ["author"]
    assert list(table["voice"]) == ["own"]


def test_headline_colon_attribution_and_stop_words():
    table = _quotes(
        "News in brief\n\nIssa: Clinton's honesty is in question after the hearing on Monday.\n\n"
        "Note: This story was updated with new figures on Tuesday."
    )
    assert list(table["source"]) == ["Issa"]
    assert table.iloc[0].quote == "Clinton's honesty is in question after the hearing on Monday"
    assert table.iloc[0].cue == ":"


def test_per_document_records_match_the_corpus_table():
    from dprkbrief.analysis.quotes import quote_records
    from dprkbrief.resources.bundle import Resources

    text = 'T\n\n"Talks will fail," said Omar Haddad. Officials said the drills would go ahead.'
    corpus = dprkbrief.corpus_from_texts({"d": text})
    records = quote_records(corpus["d"], Resources())
    table = dprkbrief.quotes(corpus)
    assert [(r["start"], r["end"], r["source"]) for r in records] == list(
        zip(table["start"], table["end"], table["source"])
    )
    assert all(r["expert"] is None for r in records)


def test_unlabelled_interview_answers_belong_to_the_interviewee():
    text = (
        "interview: jane roe\n\n"
        "Roe led the talks in 1994. This interview was conducted in March.\n\n"
        "What did they want when you first met them?\n\n"
        "They wanted guarantees. I told them that we had no hostile intent at all.\n\n"
        "Did you trust them?\n\n"
        "Not at first, but trust grew as each side kept its word on small steps.\n"
    )
    table = _quotes(text)
    _evidence_ok(table, {"d": text})
    told = table[table["cue"] == "told"]
    assert told["source"].tolist() == ["Jane Roe"]  # "I" in her answer is Roe, not the author
    assert (told["voice"] == "reported").all()
    turns = table[table["quote"].str.startswith("Not at first")]
    assert turns["source"].tolist() == ["Jane Roe"]
