"""People per document (NER + parse + data) and the cross-document merge."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.nlp.people import merge_people, people_records
from dprkbrief.resources import load_toml, resource_path

GAZ = load_toml(resource_path("people", "gazetteer.toml"))["person"]
GAZ_EXAMPLES = [(p["name"], ex) for p in GAZ for ex in p["examples"]]
SOURCE_EXAMPLES = load_toml(resource_path("people", "sources.toml"))["example"]


def _records(text: str, **meta):
    corpus = dprkbrief.corpus_from_texts({"d": text}, metadata={"d": meta} if meta else None)
    recs = people_records(corpus["d"])
    for r in recs:  # every record carries its evidence
        assert text[r["start"] : r["end"]] == r["quote"]
        assert r["anonymous"] == (r["kind"] == "anonymous")
        assert r["institution"] == (r["kind"] == "institution")
        assert all(0 <= s < e <= len(text) for s, e in r["mentions"])
    return {r["name"]: r for r in recs}


def _mentions(rec, text):
    return [text[s:e] for s, e in rec["mentions"]]


@pytest.mark.parametrize(
    "name,ex", GAZ_EXAMPLES, ids=[f"{n}: {e['mention']}" for n, e in GAZ_EXAMPLES]
)
def test_gazetteer_examples(name, ex):
    recs = _records(ex["text"])
    assert name in recs, f"{name} not found in {ex['text']!r}: {list(recs)}"
    assert ex["mention"] in _mentions(recs[name], ex["text"])


@pytest.mark.parametrize("ex", SOURCE_EXAMPLES, ids=[e["text"][:40] for e in SOURCE_EXAMPLES])
def test_source_examples(ex):
    recs = _records(ex["text"])
    found = [r for r in recs.values() if ex["source"] in _mentions(r, ex["text"])]
    assert found, f"{ex['source']!r} not found: {[(r['name'], r['kind']) for r in recs.values()]}"
    assert found[0]["kind"] == ex["kind"]


def test_titles_compounds_appositions_and_surnames():
    text = (
        "Defense Secretary Lloyd Austin arrived in Seoul on Monday. "
        '"We are ready," said Jane Roe, a senior fellow at the Stimson Center. '
        "The editor of a specialist newsletter, John Doe, disagreed. Austin said little."
    )
    recs = _records(text)
    austin = recs["Lloyd Austin"]
    assert austin["title"] == "Defense Secretary"
    assert _mentions(austin, text) == ["Lloyd Austin", "Austin"]
    assert recs["Jane Roe"]["title"] == "a senior fellow at the Stimson Center"
    assert recs["Jane Roe"]["affiliation"] == "Stimson Center"
    assert recs["John Doe"]["title"].lower() == "the editor of a specialist newsletter"
    assert all(r["kind"] == "person" for r in recs.values())


def test_korean_names_repaired_and_unified():
    text = (
        "Kim Jong-un met Moon Jae in Panmunjom. Later Kim Jong Un wrote to Moon Jae-in. "
        "Choe Son Hui and Kim Yo Jong issued statements, and Lee Jae-myung answered."
    )
    recs = _records(text)
    assert {"Kim Jong Un", "Moon Jae-in", "Choe Son Hui", "Kim Yo Jong", "Lee Jae-myung"} <= set(
        recs
    )
    assert len(recs["Kim Jong Un"]["mentions"]) == 2
    assert "Moon Jae" in _mentions(recs["Moon Jae-in"], text)


def test_bylines_in_common_shapes():
    for line, names in [
        ("By Jane Roe", ["Jane Roe"]),
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("Tim Shorrock / The Nation", ["Tim Shorrock"]),
        ("Jane Roe | Reuters", ["Jane Roe"]),
    ]:
        text = f"Talks stall again\n\n{line}\n\nThe talks stalled on Friday after a long week.\n"
        corpus = dprkbrief.corpus_from_texts({"d": text})
        assert corpus["d"].meta["authors"] == names, line
        recs = {r["name"]: r for r in people_records(corpus["d"])}
        for n in names:
            assert "byline" in recs[n]["how"], (line, n)


TRANSCRIPT = """Morning Edition

DAVID GREENE, HOST: North Korea's leader spoke today.

SUPREME LEADER KIM JONG UN: (Through interpreter) We will never give up our weapons.

GREENE: And the president answered.

TRUMP: We had a great meeting.

UNIDENTIFIED PERSON: Yes.
"""


def test_transcript_labels_in_common_shapes():
    corpus = dprkbrief.corpus_from_texts({"t": TRANSCRIPT})
    assert corpus["t"].meta["speakers"] == [
        "David Greene", "Supreme Leader Kim Jong Un", "Greene", "Trump", "Unidentified Person",
    ]  # fmt: skip
    recs = {r["name"]: r for r in people_records(corpus["t"])}
    assert recs["David Greene"]["title"] == "Host"
    assert _mentions(recs["David Greene"], TRANSCRIPT) == ["DAVID GREENE", "GREENE"]
    assert recs["Kim Jong Un"]["title"] == "Supreme Leader"
    assert "TRUMP" in _mentions(recs["Donald Trump"], TRANSCRIPT)
    assert recs["Unidentified Person"]["kind"] == "anonymous"


def test_title_only_mentions_resolve_with_the_document_year():
    text = "The president said the talks would go on.\n\nThe Secretary of State flew to Seoul.\n"
    recs = _records(text, date="2019-03-07")
    assert _mentions(recs["Donald Trump"], text) == ["The president"]
    assert _mentions(recs["Mike Pompeo"], text) == ["The Secretary of State"]
    assert "Donald Trump" not in _records(text)  # no year: no guess


def test_hard_inputs_give_records_or_nothing():
    assert people_records("") == []
    assert _records("Hello") == {}
    assert _records("Der Präsident sagte nichts.") is not None
    assert _records('He said: "the talks') is not None


def test_merge_people_across_documents():
    corpus = dprkbrief.corpus_from_texts(
        {
            "a": "Kim Jong-un met Lloyd Austin. Officials said nothing.",
            "b": "Kim Jong Un spoke. Officials said nothing. KCNA said the test worked.",
        }
    )
    recs = [r for d in corpus.values() for r in people_records(d)]
    reg = merge_people(recs).set_index("expert")
    assert reg.loc["Kim Jong Un", "doc_ids"] == ["a", "b"]
    assert {"Kim Jong-un", "Kim Jong Un"} <= set(reg.loc["Kim Jong Un", "aliases"])
    assert reg.loc["KCNA", "kind"] == "institution"
    anon = reg[reg["kind"] == "anonymous"]
    assert len(anon) == 2  # anonymous sources are never merged across documents
    for row in reg.itertuples():
        assert corpus[row.doc_id].text[row.start : row.end] == row.quote
