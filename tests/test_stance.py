"""Stance cells and forecast claims (analysis/stance.py, lexicons/stance.toml)."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.analysis.stance import (
    STANCE_COLUMNS,
    is_forward_claim,
    load_stance_lexicon,
    stance_records,
    stance_text,
)
from dprkbrief.errors import DprkbriefError, RuleFileError

EXAMPLES = load_stance_lexicon().examples


def _cell(text: str, topic: str) -> dict | None:
    return next((c for c in stance_text(text) if c["topic"] == topic), None)


def _sent(text: str):
    from dprkbrief.nlp import load_model

    return next(load_model()(text).sents)


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if "topic" in e], ids=lambda e: e["text"][:40]
)
def test_lexicon_stance_examples(example: dict) -> None:
    cell = _cell(example["text"], example["topic"])
    assert cell is not None, f"no {example['topic']} cell"
    assert (cell["stance"], cell["direction"]) == (example["stance"], example["direction"])


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if "cells_without" in e], ids=lambda e: e["text"][:40]
)
def test_lexicon_scope_examples(example: dict) -> None:
    assert example["cells_without"] not in {c["topic"] for c in stance_text(example["text"])}


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if "forward" in e], ids=lambda e: e["text"][:40]
)
def test_lexicon_forward_examples(example: dict) -> None:
    ok, why = is_forward_claim(_sent(example["text"]), own_voice=True)
    assert ok is example["forward"], why


def test_cells_keep_their_evidence_and_certainty() -> None:
    text = "Analysts said the summit might be called off. North Korea will never give up its nuclear weapons."
    corpus = dprkbrief.corpus_from_texts({"d1": text})
    rows = stance_records(corpus["d1"], None, authors=["Jane Roe"])
    assert rows
    for r in rows:
        assert r["quote"] == text[r["start"] : r["end"]]
        assert r["source"] == "Jane Roe"
    summit = next(r for r in rows if r["topic"] == "summit")
    assert summit["direction"] == -1 and summit["hedged"] and "might" in summit["hedges"]
    denuc = next(r for r in rows if r["topic"] == "denuclearization")
    assert denuc["direction"] == -1 and denuc["stance"] == "expects" and not denuc["hedged"]


def test_public_stance_table() -> None:
    corpus = dprkbrief.corpus_from_texts(
        {"d1": "Talks with North Korea will resume next month. Sanctions should be lifted."}
    )
    df = dprkbrief.stance(corpus)
    assert list(df.columns) == STANCE_COLUMNS
    got = {(r.topic, r.stance, r.direction) for r in df.itertuples()}
    assert ("talks", "expects", 1) in got
    assert ("sanctions", "recommends", 1) in got
    assert dprkbrief.stance(corpus, topics=["talks"])["topic"].unique().tolist() == ["talks"]


def test_cue_words_describing_a_noun_are_not_the_sources_stance() -> None:
    text = "Many of those most skeptical of a deal with North Korea have left the administration."
    assert _cell(text, "talks")["stance"] == "describes"
    assert (
        _cell("It is unclear what was needed to bring the two sides back to the talks.", "talks")[
            "stance"
        ]
        != "recommends"
    )


def test_double_negation_cancels() -> None:
    assert _cell("It is not true that the talks made no progress.", "talks")["direction"] == 1
    assert _cell("The talks made no progress.", "talks")["direction"] == -1


@pytest.mark.parametrize(
    "text",
    [
        "Summit?",
        "Talks.",
        "Will the summit with Kim happen this year?",
        "Why would anyone believe the talks will resume?",
        "TRUMP SAYS SUMMIT WITH KIM WILL GO AHEAD",
    ],
)
def test_questions_fragments_and_headlines_carry_no_stance(text: str) -> None:
    assert stance_text(text) == []
    assert is_forward_claim(_sent(text))[0] is False


def test_quotation_inside_quotation_keeps_offsets() -> None:
    text = "He said: \"Kim told me 'the talks will resume' and I believe him.\""
    corpus = dprkbrief.corpus_from_texts({"d": text})
    for r in stance_records(corpus["d"], None):
        assert r["quote"] == text[r["start"] : r["end"]]


@pytest.mark.parametrize(
    ("text", "forward"),
    [
        # an evaluative frame's "would" over a present-perfect clause judges what has happened
        (
            "I wouldn't be surprised if he's already asked, just because he's committed troops.",
            False,
        ),
        ("It would not be surprising if the envoy has already left.", False),
        ("I wouldn't be surprised if he asks Putin for more help next year.", True),
    ],
)
def test_a_guess_about_the_past_is_no_forecast(text: str, forward: bool) -> None:
    ok, why = is_forward_claim(_sent(text), own_voice=False)
    assert ok is forward, why


def test_forecasts_exclude_questions_narration_counterfactuals() -> None:
    assert is_forward_claim(_sent("Negotiations will probably resume next year."))[0]
    assert is_forward_claim(_sent("He said the talks would resume in May."))[0]
    assert is_forward_claim(_sent("It was unclear whether the two leaders will meet."))[1] == (
        "embedded question"
    )
    assert is_forward_claim(_sent("Without the deal they would have built 100 bombs."))[1] == (
        "counterfactual"
    )
    assert not is_forward_claim(_sent("Kim would later travel to Hanoi by train."))[0]
    assert not is_forward_claim(_sent("Washington should lift the sanctions."))[0]


def test_bad_input_errors() -> None:
    with pytest.raises(DprkbriefError):
        stance_text(42)  # type: ignore[arg-type]
    with pytest.raises(DprkbriefError):
        dprkbrief.stance("not a corpus")  # type: ignore[arg-type]
    with pytest.raises(RuleFileError):
        load_stance_lexicon("/nonexistent/stance.toml")


def test_user_lexicon_reaches_the_engine(tmp_path) -> None:
    path = tmp_path / "stance.toml"
    path.write_text('[[cue]]\nlabel = "warns"\nlemmas = ["perilous"]\n', encoding="utf-8")
    cell = next(
        c
        for c in stance_text("Resuming talks now is perilous.", lexicon=path)
        if c["topic"] == "talks"
    )
    assert cell["stance"] == "warns"
    bad = tmp_path / "bad.toml"
    bad.write_text('[[cue]]\nlabel = "hopes"\nlemmas = ["x"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="label"):
        load_stance_lexicon(bad)


def _lean(text: str, topic: str) -> tuple[str, int] | None:
    cell = _cell(text, topic)
    return None if cell is None else (cell["stance"], cell["direction"])


def test_negation_does_not_cross_into_a_coordinated_or_adverbial_clause() -> None:
    # "not" of the first conjunct (own subject) does not reach the second
    text = "We do not know what the North wants, but we do know that the talks will resume."
    assert _lean(text, "talks") == ("expects", 1)
    # the main clause's negation does not reverse its "since" clause
    text = "Since Pyongyang shut down its reactor, it has not been able to conduct a nuclear test."
    assert _lean(text, "denuclearization")[1] == 1
    # but it reaches an infinitival relative: "no reason to come back"
    assert _lean("Kim has no reason to come back to the negotiating table.", "talks")[1] == -1


def test_negated_mention_leans_no_but_a_modifier_does_not() -> None:
    assert _lean("Others think there is no deal to be made here.", "talks")[1] == -1
    assert _lean("If we look at it this way, the no-deal result makes good sense.", "talks")[1] == 0


def test_negation_focused_on_time_leaves_the_outcome_open() -> None:
    assert (
        _lean("The North Koreans had not yet joined the fighting in Russia.", "russia_dprk")[1] == 0
    )
    assert _lean("Kim will not give up his nuclear weapons.", "denuclearization") == ("expects", -1)


def test_double_negation_and_litotes() -> None:
    assert _lean("It is not unlikely that talks will resume.", "talks") == ("expects", 1)
    assert _lean("It is not a bad idea for the envoy to resume talks.", "talks") == (
        "recommends",
        1,
    )


def test_pronoun_subject_takes_up_the_actor_just_named() -> None:
    text = "The way Donald Trump bent over backwards indicated that he is willing to continue the talks."
    assert _lean(text, "trump_motives") == ("describes", 1)


def test_verbless_headings_and_list_items_carry_no_stance() -> None:
    assert stance_text("II) The dismantlement of the Yongbyon nuclear facility") == []
    assert stance_text("The dismantlement of Yongbyon would be a milestone.") != []


def test_transcript_speaker_is_the_source_of_their_turn() -> None:
    text = (
        "Interview with Dr. Helena Marsh, director of the Y Forum in Honolulu.\n\n"
        "Q: Will the talks resume soon?\n\nA: I think talks will resume next year.\n"
    )
    corpus = dprkbrief.corpus_from_texts({"d": text})
    rows = dprkbrief.stance(corpus)
    answer = rows[rows["quote"] == "I think talks will resume next year."]
    assert set(answer["source"]) == {"Helena Marsh"}
    assert "Will the talks resume soon?" not in set(rows["quote"])  # a question: no cell


def test_open_questions_and_described_people_carry_no_lean() -> None:
    text = "It is unclear what was needed to bring the two sides back to the table."
    assert _lean(text, "talks") == ("describes", 0)
    text = "Many of those most skeptical of a deal with North Korea have left the administration."
    assert _lean(text, "talks") == ("describes", 0)


def test_judgements_and_warning_predicates() -> None:
    assert _lean("At this point any sanctions would be counterproductive.", "sanctions") == (
        "warns",
        1,
    )
    assert _lean("So that deal was worth making.", "talks") == ("recommends", 1)
    text = (
        "Officials view the Russia-North Korea partnership as an extremely dangerous arrangement."
    )
    assert _lean(text, "russia_dprk")[0] == "warns"
    text = "The consortium will build reactors, which are considered less dangerous."
    assert all(c["stance"] != "warns" for c in stance_text(text))


def test_answers_shared_per_sentence_are_copies_and_follow_the_rules(tmp_path) -> None:
    """Positions, forecasts and statements ask the same sentence the same questions: the
    answer is remembered on the parse, a caller changing its copy changes nothing, and a
    different stance or hedge file gets its own answer."""
    from dprkbrief.analysis.stance import forward_clause, sentence_stance
    from dprkbrief.resources import resource_path

    sent = _sent("Kim will probably never give up his nuclear weapons, experts say.")
    first = sentence_stance(sent)
    assert first and first[0]["topic"] == "denuclearization" and first[0]["hedges"]
    first[0]["hedges"].append("changed")
    first[0]["stance"] = "changed"
    again = sentence_stance(sent)
    assert again == sentence_stance(sent) != first
    assert "changed" not in again[0]["hedges"] and again[0]["stance"] != "changed"
    cert = dprkbrief.span_certainty(sent)
    cert["cues"][0]["cue"] = "changed"
    assert dprkbrief.span_certainty(sent)["cues"][0]["cue"] != "changed"
    # a hedge file without "probably": its own answer, not the remembered one
    hedges = tmp_path / "hedges.toml"
    text = resource_path("lexicons", "hedges.toml").read_text(encoding="utf-8")
    hedges.write_text(text.replace('"probably"', '"probablyX"'), encoding="utf-8")
    other = sentence_stance(sent, hedges=hedges)
    assert other[0]["hedges"] != again[0]["hedges"]
    assert is_forward_claim(sent) == is_forward_claim(sent)
    clause = forward_clause(sent)
    assert clause is not None and clause.doc is sent.doc
