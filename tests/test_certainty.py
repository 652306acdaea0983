"""Hedges and certainty: the lexicon's examples, negation scope, senses from the parse,
bad input. Needs the spaCy model that `make install` installs."""

from __future__ import annotations

from pathlib import Path

import pytest

import dprkbrief
from dprkbrief.analysis import certainty as cm
from dprkbrief.errors import DprkbriefError, ParameterError, RuleFileError

pytest.importorskip("spacy")
try:
    cm._load_model()
except cm.ModelUnavailableError as exc:  # pragma: no cover - make install provides it
    pytest.skip(str(exc), allow_module_level=True)

LEX = cm.load_hedges()


def ids(cues: list[dict]) -> list[str]:
    return [c["id"] for c in cues]


def cue_of(text: str, word: str) -> dict:
    """The cue whose text contains ``word`` (fails the test when there is none)."""
    res = dprkbrief.certainty(text)
    hits = [c for c in res["cues"] if word.lower() in c["cue"].lower()]
    assert hits, (text, res["cues"])
    return hits[0]


# ------------------------------------------------------------- the lexicon's data


@pytest.mark.parametrize(
    "cue,example",
    [(c, ex) for c in LEX.cues for ex in c.examples],
    ids=lambda v: v.id if hasattr(v, "id") else v[:40],
)
def test_every_cue_finds_its_examples(cue, example):
    found = [c for c in dprkbrief.certainty(example)["cues"] if c["id"] == cue.id]
    assert found, f"{cue.id} not found in {example!r}"
    for c in found:
        assert c["cue"] == example[c["start"] : c["end"]]


@pytest.mark.parametrize(
    "cue,example",
    [(c, ex) for c in LEX.cues for ex in c.not_examples],
    ids=lambda v: v.id if hasattr(v, "id") else v[:40],
)
def test_no_cue_in_its_not_examples(cue, example):
    assert cue.id not in ids(dprkbrief.certainty(example)["cues"])


@pytest.mark.parametrize("example", LEX.rhetorical_examples)
def test_rhetorical_examples(example):
    res = dprkbrief.certainty(example)
    assert res["question"] and res["rhetorical"]


def test_every_cue_has_examples_and_the_file_states_its_format():
    assert all(c.examples for c in LEX.cues)
    head = Path(LEX.path).read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("# ")


# ------------------------------------------------------------------- behaviour


def test_plain_assertion_hedge_and_booster():
    plain = dprkbrief.certainty("North Korea launched a missile on Tuesday.")
    assert plain["cues"] == [] and plain["score"] == 0
    assert plain["certainty"] == pytest.approx(LEX.default_certainty, abs=0.001)
    assert not plain["uncertain"]
    hedged = dprkbrief.certainty("North Korea might launch a missile on Tuesday.")
    assert hedged["uncertain"] and hedged["certainty"] <= 0.5 < plain["certainty"]
    boosted = dprkbrief.certainty("North Korea will certainly launch a missile.")
    assert boosted["score"] < 0 and boosted["certainty"] > plain["certainty"]


def test_result_keys_and_offsets():
    text = "The regime could possibly resume talks."
    res = dprkbrief.certainty(text)
    assert {"certainty", "uncertain", "score", "cues"} <= set(res)
    for c in res["cues"]:
        assert {"cue", "start", "end", "type", "weight", "negated"} <= set(c)
        assert text[c["start"] : c["end"]] == c["cue"]
    assert [c["cue"] for c in res["cues"]] == ["could", "possibly"]
    assert res["score"] == pytest.approx(sum(c["weight"] for c in res["cues"]))


@pytest.mark.parametrize(
    "text,word,effect,negated",
    [
        ("I don't think Kim will give up his weapons.", "think", "hedge", True),
        ("It is not clear whether Kim will come.", "clear", "hedge", True),
        ("There is no doubt that the test succeeded.", "doubt", "booster", None),
        ("This is not necessarily a bad deal.", "necessarily", "hedge", True),
        ("I don't doubt that he means it.", "doubt", "booster", True),
        ("It is clear that the talks failed.", "clear", "booster", False),
        ("The talks may not resume.", "may", "hedge", True),
    ],
)
def test_negation_scope_from_the_parse(text, word, effect, negated):
    c = cue_of(text, word)
    assert c["effect"] == effect
    if negated is not None:  # None: a phrase cue that contains its negation ("no doubt")
        assert c["negated"] == negated


def test_negation_direction_decides_uncertainty():
    assert dprkbrief.certainty("It is not clear whether Kim will come.")["uncertain"]
    assert not dprkbrief.certainty("It is clear that Kim will come.")["uncertain"]
    # double negation: "I don't doubt" is confident
    assert not dprkbrief.certainty("I don't doubt that he will come.")["uncertain"]
    assert dprkbrief.certainty("I doubt that he will come.")["uncertain"]


@pytest.mark.parametrize(
    "hedged,plain",
    [
        ("Kim may attend the summit.", "Kim arrived in May for the summit."),
        ("The envoy could meet Kim.", "The envoy could not meet Kim."),
        ("The report suggests that the site is active.", "She suggested a new venue."),
        ("Kim appears to be in good health.", "Kim appeared on stage in Pyongyang."),
    ],
)
def test_senses_from_the_parse(hedged, plain):
    assert dprkbrief.certainty(hedged)["score"] > dprkbrief.certainty(plain)["score"]


def test_weasel_phrases():
    for text in (
        "Some experts say the deal is dead.",
        "It is believed that the reactor was restarted.",
        "Kim reportedly met the envoy.",
        "It has been suggested that the talks were staged.",
    ):
        assert dprkbrief.certainty(text)["uncertain"], text


# ------------------------------------------------------------------- bad input


def test_empty_and_blank_text():
    for text in ("", "   \n"):
        res = dprkbrief.certainty(text)
        assert res["cues"] == [] and res["score"] == 0 and not res["uncertain"]


@pytest.mark.parametrize("word", ["Maybe.", "Certainly!", "Pyongyang", "may", "?!", "..."])
def test_one_word_sentences(word):
    res = dprkbrief.certainty(word)
    assert 0 <= res["certainty"] <= 1
    for c in res["cues"]:
        assert word[c["start"] : c["end"]] == c["cue"]


def test_may_alone_lowers_certainty_and_with_a_second_cue_makes_uncertain():
    alone = dprkbrief.certainty("Kim may come to Hanoi.")
    assert alone["certainty"] < LEX.default_certainty and not alone["uncertain"]
    assert dprkbrief.certainty("Kim may possibly come to Hanoi.")["uncertain"]
    assert dprkbrief.certainty("Kim might come to Hanoi.")["uncertain"]


def test_one_word_hedge_and_booster():
    assert dprkbrief.certainty("Maybe.")["uncertain"]
    assert dprkbrief.certainty("Certainly!")["score"] < 0


def test_all_caps_headline_is_read_like_its_lower_case():
    head = "TRUMP MAY MEET KIM IN MAY, OFFICIALS SAY"
    res = dprkbrief.certainty(head)
    assert [c["cue"] for c in res["cues"] if c["id"] == "may"] == ["MAY"]
    assert res["cues"][0]["start"] == head.index("MAY")
    assert res["certainty"] < LEX.default_certainty
    assert not dprkbrief.certainty("KIM ARRIVES IN HANOI FOR SUMMIT")["cues"]


def test_questions_and_rhetorical_questions():
    q = dprkbrief.certainty("Will Kim come to the summit?")
    assert q["question"] and not q["rhetorical"] and q["uncertain"]
    r = dprkbrief.certainty("Who doesn't want peace on the peninsula?")
    assert r["question"] and r["rhetorical"] and not r["uncertain"]


def test_quotations_inside_quotations():
    text = (
        "He said: \u201cThe envoy told me, \u2018Kim may come,\u2019 and I believe she will.\u201d"
    )
    res = dprkbrief.certainty(text)
    depth = {c["cue"]: c["quoted"] for c in res["cues"]}
    assert depth["may"] == 2
    assert depth["believe"] == 1
    for c in res["cues"]:
        assert text[c["start"] : c["end"]] == c["cue"]
    plain = "She said \"they 'may' come\" and left."
    assert cue_of(plain, "may")["quoted"] == 2


def test_bad_parameters_raise_clear_errors(tmp_path):
    with pytest.raises(ParameterError, match="'text'"):
        dprkbrief.certainty(None)  # type: ignore[arg-type]
    with pytest.raises(RuleFileError, match="not found"):
        dprkbrief.certainty("x", lexicon=tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[cue]]\nid = "x"\ntype = "vibe"\neffect = "hedge"\nwords = ["x"]\nweight = 1\n'
    )
    with pytest.raises(RuleFileError, match="invalid type 'vibe'"):
        dprkbrief.certainty("x", lexicon=bad)
    with pytest.raises(ParameterError, match="'texts'"):
        dprkbrief.certainty_table("one string")
    with pytest.raises(ParameterError, match="'span'"):
        dprkbrief.span_certainty("not a span")  # type: ignore[arg-type]
    assert issubclass(cm.ModelUnavailableError, DprkbriefError)


def test_a_users_lexicon_is_used(tmp_path):
    own = tmp_path / "hedges.toml"
    own.write_text(
        "# my lexicon\n[[cue]]\nid = 'rumour'\ntype = 'weasel'\neffect = 'hedge'\n"
        "words = ['buzz']\nweight = 2.0\nexamples = ['There is buzz about a summit.']\n"
    )
    res = dprkbrief.certainty("There is buzz about a summit.", lexicon=own)
    assert ids(res["cues"]) == ["rumour"] and res["score"] == 2.0
    assert dprkbrief.certainty("There is buzz about a summit.")["cues"] == []


# ------------------------------------------------------------- span and table


def test_span_certainty_gives_document_offsets():
    text = "Talks resumed in March. Kim may visit Seoul. Nobody knows."
    doc = cm._parse(text)
    sents = list(doc.sents)
    res = dprkbrief.span_certainty(sents[1])
    assert [c["cue"] for c in res["cues"]] == ["may"]
    assert res["cues"][0]["start"] == text.index("may")
    assert dprkbrief.span_certainty(sents[0])["cues"] == []
    assert dprkbrief.span_certainty(doc[0:0])["cues"] == []  # an empty span
    whole = dprkbrief.span_certainty(doc)
    assert "may" in [c["cue"] for c in whole["cues"]]


def test_certainty_table_matches_certainty():
    import pandas as pd

    texts = pd.Series(
        ["Kim may come.", "", "It is clear that Kim will come.", "Will he come?"],
        index=["a", "b", "c", "d"],
    )
    table = dprkbrief.certainty_table(texts)
    assert list(table.columns) == list(cm.TABLE_COLUMNS)
    assert list(table.index) == ["a", "b", "c", "d"]
    for key, text in texts.items():
        one = dprkbrief.certainty(text)
        assert table.loc[key, "score"] == one["score"]
        assert table.loc[key, "uncertain"] == one["uncertain"]
    assert table.loc["a", "cues"] == "may" and table.loc["b", "n_cues"] == 0
