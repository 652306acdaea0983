"""The codebook and lexicon data files: every entry's examples, and the engines on them."""

from __future__ import annotations

import pytest

from dprkbrief.analysis import codebook as cb
from dprkbrief.analysis.experts import (
    attribution_rules,
    extract_affiliation,
    find_appositives,
    find_reporting,
    trailing_name,
)
from dprkbrief.analysis.forecasts import resolve_horizons
from dprkbrief.errors import ParameterError, RuleFileError
from dprkbrief.resources import load_toml, resource_path

TOPICS = cb.topic_rules()
CUES, _DEFAULT = cb.certainty_cues()
CLAIMS = load_toml(resource_path("lexicons", "claim_types.toml"))
CHECKS = load_toml(resource_path("lexicons", "certainty.toml")).get("check", [])
HORIZONS = load_toml(resource_path("lexicons", "horizons.toml"))["horizon"]
ATTRIBUTION = attribution_rules()


def test_codebook_covers_the_required_topics():
    ids = {t.id for t in TOPICS}
    assert {
        "summit",
        "denuclearization",
        "sanctions",
        "russia_dprk",
        "china",
        "south_korea_alliance",
        "japan",
        "trump_motives",
        "kim_motives",
        "deal_content",
        "human_rights",
    } <= ids
    table = cb.load_codebook()
    assert list(table.columns) == ["topic", "label", "question", "n_patterns", "n_examples"]
    assert table["question"].str.endswith("?").all()
    assert (table["n_examples"] > 0).all()


@pytest.mark.parametrize(
    "topic,example",
    [(t, ex) for t in TOPICS for ex in t.examples],
    ids=lambda v: v.id if hasattr(v, "id") else v["text"][:30],
)
def test_topic_examples(topic, example):
    assert topic.id in cb.tag_topics(example["text"])
    assert cb.topic_direction(example["text"], topic) == example["direction"]


@pytest.mark.parametrize(
    "cue,example", [(c, ex) for c in CUES for ex in c.examples], ids=lambda v: str(v)[:30]
)
def test_certainty_cue_examples(cue, example):
    found = cb.find_cues(example)
    assert any(c.pattern == cue.pattern for _, _, c in found), found


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c["text"][:40])
def test_certainty_checks(check):
    certainty, polarity, _ = cb.score_certainty(check["text"])
    assert check["min"] <= certainty <= check["max"]
    assert polarity == check["polarity"]


def test_negation_scope_gives_confident_negative_expectation():
    text = "I don't think the regime is going to give up its nuclear program."
    certainty, polarity, cues = cb.score_certainty(text)
    assert polarity == -1 and certainty >= 0.7
    assert cues[0] == "I don't think"  # the longer cue masks the bare negator
    assert cb.topic_direction(text, "denuclearization") == -1
    # the negation of one clause does not reach the other
    mixed = "Talks will resume, but the regime will not give up its nuclear program."
    assert cb.topic_direction(mixed, "talks") == 1
    assert cb.topic_direction(mixed, "denuclearization") == -1


def test_unmarked_sentence_gets_default_certainty():
    assert cb.score_certainty("The envoy arrived in the capital.")[0] == _DEFAULT


@pytest.mark.parametrize(
    "rule,example",
    [(r, ex) for r in CLAIMS["rule"] for ex in r["examples"]],
    ids=lambda v: str(v)[:30],
)
def test_claim_type_examples(rule, example):
    assert cb.classify_claim(example) == rule["claim_type"]


def test_interviewer_question_kind_is_always_a_question():
    assert cb.classify_claim("Tell us what will happen next year.", kind="question") == "question"
    scored = cb.score_sentence("Will the summit happen?", kind="question")
    assert scored["claim_type"] == "question"
    assert scored["certainty"] == 0.0
    assert set(scored["directions"].values()) == {0}


@pytest.mark.parametrize("example", ATTRIBUTION.examples, ids=lambda e: e["name"])
def test_attribution_examples(example):
    text = example["text"]
    names = [trailing_name(s, ATTRIBUTION) or s for s, *_ in find_reporting(text, ATTRIBUTION)]
    appos = {n: d for n, d, *_ in find_appositives(text, ATTRIBUTION)}
    assert example["name"] in names or example["name"] in appos
    if "descriptor" in example:
        assert appos[example["name"]] == example["descriptor"]
    if "affiliation" in example:
        assert extract_affiliation(example["descriptor"], ATTRIBUTION) == example["affiliation"]


@pytest.mark.parametrize(
    "example", [ex for h in HORIZONS for ex in h["examples"]], ids=lambda e: e["text"]
)
def test_horizon_examples(example):
    found = resolve_horizons(example["text"], example["dct"])
    assert found, example
    assert (found[0]["start"], found[0]["end"]) == (example["start"], example["end"])


def test_user_codebook_replaces_the_shipped_one(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        "# my codebook\n[[topic]]\nid = 'whales'\nlabel = 'Whales'\n"
        "question = 'Will whales return?'\npatterns = ['\\bwhales?\\b']\n"
        "positive = ['\\breturn']\n",
        encoding="utf-8",
    )
    assert cb.tag_topics("The whales will return.", codebook=path) == ["whales"]
    assert cb.tag_topics("The summit will happen.", codebook=path) == []
    assert cb.topic_direction("The whales will not return.", "whales", codebook=path) == -1


def test_bad_rule_files_name_the_file_and_entry(tmp_path):
    missing = tmp_path / "missing.toml"
    missing.write_text("[[topic]]\nid = 'x'\nlabel = 'X'\npatterns = ['x']\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="missing key 'question'"):
        cb.tag_topics("x", codebook=missing)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[[topic]]\nid = 'x'\nlabel = 'X'\nquestion = 'X?'\npatterns = ['(x']\n", encoding="utf-8"
    )
    with pytest.raises(RuleFileError, match="invalid regex"):
        cb.tag_topics("x", codebook=bad)
    with pytest.raises(RuleFileError, match="not found"):
        cb.tag_topics("x", codebook=tmp_path / "nope.toml")
    cues = tmp_path / "cues.toml"
    cues.write_text("[[cue]]\npattern = 'may'\ntype = 'hedge'\nweight = 3\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="weight must be"):
        cb.score_certainty("It may rain.", lexicon=cues)


def test_parameter_errors():
    with pytest.raises(ParameterError, match="allowed are"):
        cb.load_lexicon("hedges")
    with pytest.raises(ParameterError, match="'topics'"):
        cb.check_topics(["summitry"])
    with pytest.raises(ParameterError, match="'topic'"):
        cb.topic_direction("x", "no_such_topic")
    assert cb.check_topics("summit") == ["summit"]
    assert cb.check_topics(None) is None


FUTURE = load_toml(resource_path("lexicons", "horizons.toml"))


@pytest.mark.parametrize(
    "example", [ex for f in FUTURE["future"] for ex in f["examples"]], ids=lambda e: e[:30]
)
def test_future_cue_examples(example):
    from dprkbrief.analysis.forecasts import future_cue

    assert future_cue(example) is not None


@pytest.mark.parametrize("example", FUTURE["not_future"], ids=lambda e: e[:30])
def test_past_reporting_has_no_future_cue(example):
    from dprkbrief.analysis.forecasts import future_cue

    assert future_cue(example) is None


@pytest.mark.parametrize("example", ATTRIBUTION.intro_examples, ids=lambda e: e["name"])
def test_interviewee_intro_examples(example):
    from dprkbrief.analysis.experts import front_interviewee

    name, desc, start, end = front_interviewee(example["text"], ATTRIBUTION)
    assert name == example["name"]
    assert extract_affiliation(desc, ATTRIBUTION) == example["affiliation"]
    assert example["text"][start:end].startswith(name)


def test_right_scope_negator_leaves_the_words_before_it():
    # "without" negates what follows it; "unlikely" negates its whole clause
    assert cb.topic_direction("Talks resume without progress.", "talks") == 0
    assert cb.topic_direction("Progress is unlikely.", "talks") == -1
    text = "The North has no reason to hurry while its partnership with Moscow is paying off."
    assert cb.topic_direction(text, "russia_dprk") == 1


def test_bad_negator_scope_is_a_rule_file_error(tmp_path):
    path = tmp_path / "cues.toml"
    path.write_text(
        "# cues\n[[cue]]\npattern = 'no'\ntype = 'negator'\nscope = 'left'\nexamples = ['no']\n"
    )
    with pytest.raises(RuleFileError, match="scope"):
        cb.score_certainty("no", lexicon=path)


@pytest.mark.parametrize("example", ATTRIBUTION.aside_examples, ids=lambda e: e["text"][:30])
def test_aside_examples(example):
    import dprkbrief

    text = f"T\n\nBy Ann Lee\n\n{example['text']}"
    st = dprkbrief.statements(dprkbrief.corpus_from_texts({"d": text}))
    row = st[st["quote"] == example["text"]].iloc[0]
    assert row["voice"] == example["voice"]
