"""The per-document seam: annotate(document, resources) -> {table: records}."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.errors import CorpusError, ParameterError
from dprkbrief.pipeline.annotate import RULE_STEPS, STEPS, annotate, make_document

TEXT = (
    "Talks resume\n\n"
    "By Jane Roe\n\n"
    "The Singapore summit took place on June 12, 2018. Kim Jong Un met Donald Trump.\n\n"
    "A second summit followed in Hanoi in February 2019, and it ended without a deal.\n"
)


def _plain(v):
    return (
        v is None
        or isinstance(v, str | int | float | bool)
        or (isinstance(v, list) and all(isinstance(x, str) for x in v))
    )


def test_make_document_without_corpus():
    doc = make_document("a", TEXT, metadata={"date": "2019-03-01", "genre": "news"})
    assert doc.doc_id == "a" and doc.text == TEXT
    assert doc.meta["date"] == "2019-03-01"
    assert doc.meta["date_source"].startswith("curated")
    with pytest.raises(CorpusError, match="unknown field 'colour'"):
        make_document("a", TEXT, metadata={"colour": "red"})
    with pytest.raises(CorpusError, match="invalid doc_id"):
        make_document("a b", TEXT)


def test_rule_steps_give_plain_records_matching_the_corpus():
    doc = make_document("a", TEXT, metadata={"date": "2019-03-01"})
    out = annotate(doc, steps=list(RULE_STEPS))
    assert set(out) == set(RULE_STEPS)
    assert len(out["documents"]) == 1 and out["documents"][0]["text"] == TEXT
    for table, rows in out.items():
        for r in rows:
            assert r["doc_id"] == "a", table
            assert all(_plain(v) for v in r.values()), (table, r)
    corpus = dprkbrief.corpus_from_texts({"a": TEXT}, metadata={"a": {"date": "2019-03-01"}})
    levels = {r["level"] for r in out["segments"]}
    assert levels == {"section", "turn", "paragraph", "sentence"}
    sents = [r for r in out["segments"] if r["level"] == "sentence"]
    assert [(r["start"], r["end"]) for r in sents] == list(
        corpus.segments("sentence")[["start", "end"]].itertuples(index=False, name=None)
    )
    tl = dprkbrief.timeline(corpus)
    assert [(r["event_id"], r["start"]) for r in out["mentions"]] == list(
        zip(tl["event_id"], tl["start"])
    )
    assert any(r["value"] == "2018-06-12" for r in out["dates"])
    for r in out["mentions"]:
        assert TEXT[r["start"] : r["end"]] == r["quote"]


def test_steps_are_validated_and_errors_collected(monkeypatch):
    doc = make_document("a", TEXT)
    with pytest.raises(ParameterError, match="invalid value for 'steps'"):
        annotate(doc, steps=["segments", "wordcount"])
    assert set(annotate(doc, steps="dates")) == {"documents", "dates"}

    def boom(document, resources):
        raise ValueError("broken rule")

    monkeypatch.setitem(STEPS, "dates", STEPS["dates"].__class__("dates", boom, ("dates",)))
    errors: list[dict] = []
    out = annotate(doc, steps=["segments", "dates"], errors=errors)
    assert out["dates"] == [] and out["segments"]
    assert errors == [{"doc_id": "a", "step": "dates", "message": "ValueError: broken rule"}]
    with pytest.raises(ValueError, match="broken rule"):
        annotate(doc, steps=["dates"])


def test_every_step_declares_rule_kinds_that_resources_know():
    from dprkbrief.resources.bundle import RULE_KINDS

    for step in STEPS.values():
        assert set(step.rule_kinds) <= set(RULE_KINDS), step.name
    assert {"segments", "dates", "mentions"} <= set(RULE_STEPS)
    assert not {"people", "quotations", "statements"} & set(RULE_STEPS)


def test_a_users_event_catalog_reaches_the_mentions_step(tmp_path):
    cat = tmp_path / "mine.toml"
    cat.write_text(
        "# mine\n[[event]]\nid = 'harbour'\nlabel = 'Harbour opened'\ndate = '2008'\n"
        "precision = 'year'\ncategory = 'economy'\ndescription = 'A harbour.'\n"
        "aliases = ['the new harbour']\nexamples = ['They built the new harbour.']\n",
        encoding="utf-8",
    )
    res = dprkbrief.Resources(rules={"events": str(cat)})
    text = TEXT + "\nThey built the new harbour.\n"
    doc = make_document("a", text, resources=res)
    mine = annotate(doc, res, steps=["mentions"])["mentions"]
    assert {r["event_id"] for r in mine if r["event_id"]} == {"harbour"}
    shipped = annotate(doc, steps=["mentions"])["mentions"]
    assert "singapore_summit" in {r["event_id"] for r in shipped}


def test_nlp_steps_give_plain_records_with_evidence():
    text = (
        'Talks resume\n\nBy Jane Roe\n\n"We will not give up our weapons," Kim Yo Jong said '
        "on Tuesday. Jane Roe, a senior fellow at the Stimson Center, said talks could resume."
    )
    doc = make_document("n", text, metadata={"date": "2019-03-01"})
    out = annotate(doc, steps=["people", "quotations", "statements"])
    assert out["people"] and out["quotations"] and out["statements"]
    for table in ("people", "quotations", "statements"):
        for r in out[table]:
            assert r["doc_id"] == "n" and all(_plain(v) for v in r.values()), (table, r)
    assert ("We will not give up our weapons", "Kim Yo Jong") in {
        (r["quote"], r["source"]) for r in out["quotations"]
    }
    for r in out["quotations"] + out["statements"]:
        assert text[r["start"] : r["end"]] == r["quote"]
