"""The fast attribute ruler sets exactly what spaCy's AttributeRuler sets."""

from __future__ import annotations

import copy

import numpy as np
import pytest

spacy = pytest.importorskip("spacy")

from conftest import docs_before  # noqa: E402
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG  # noqa: E402
from spacy.pipeline import AttributeRuler  # noqa: E402

from dprkbrief.nlp import load_model  # noqa: E402
from dprkbrief.nlp.attribute_ruler import FastAttributeRuler, FastMatch, speed_up  # noqa: E402

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
TEXTS = [
    "There's a deal, and there are talks.  Y'all ain't gonna win; let's go!\n\n\n"
    "C'm on, he gets it and got it. Gotta run (now). “Yes,” Kim said — 3.5%?",
    "   \n",
    "a",
]


def test_model_ruler_is_fast_and_sets_the_same_attributes():
    nlp = load_model()
    ruler = nlp.get_pipe("attribute_ruler")
    assert type(ruler) is FastAttributeRuler and ruler._fast is not None
    for doc in docs_before(nlp, TEXTS, "attribute_ruler"):
        slow, fast = copy.deepcopy(doc), copy.deepcopy(doc)
        AttributeRuler.__call__(ruler, slow)  # spaCy's Matcher path
        ruler(fast)
        assert np.array_equal(slow.to_array(ATTRS), fast.to_array(ATTRS))
        assert [t.pos_ for t in fast] == [t.pos_ for t in slow]
    assert nlp("He gets it.")[1].lemma_ == "get"


def _blank_ruler(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def test_two_token_rule_and_rule_order():
    patterns = [
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
        {"patterns": [[{"LOWER": {"IN": ["na", "ta"]}}]], "attrs": {"LEMMA": "NA"}},
        {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}]], "attrs": {"LEMMA": "you"}},
    ]
    nlp, ruler = _blank_ruler(patterns)
    slow = AttributeRuler.__call__(ruler, nlp.make_doc("gon na y' na"))
    assert speed_up(nlp)
    fast = nlp("gon na y' na")
    # "na": the later rule wins over the two-token one; "y'" is two tokens
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in slow] == ["", "NA", "you", "", "NA"]


def test_unsupported_pattern_keeps_spacys_matching():
    nlp, ruler = _blank_ruler(
        [{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"LEMMA": "A"}}]
    )
    assert FastMatch.build(ruler) is None
    assert not speed_up(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    assert [t.lemma_ for t in nlp("a a b")] == ["A", "A", ""]


def test_patterns_added_later_are_matched():
    nlp, ruler = _blank_ruler([{"patterns": [[{"LOWER": "a"}]], "attrs": {"LEMMA": "A"}}])
    assert speed_up(nlp)
    ruler.add_patterns([{"patterns": [[{"LOWER": "b"}]], "attrs": {"LEMMA": "B"}}])
    assert [t.lemma_ for t in nlp("a b c")] == ["A", "B", ""]
    ruler.add_patterns([{"patterns": [[{"LOWER": "c", "OP": "?"}]], "attrs": {"LEMMA": "C"}}])
    assert [t.lemma_ for t in nlp("a b c")] == ["A", "B", "C"]  # spaCy's path again


def test_forms_are_matched_through_their_lower_case_class():
    patterns = [
        {"patterns": [[{"LOWER": "kim", "TAG": "NNP"}]], "attrs": {"LEMMA": "KIM"}},
        {"patterns": [[{"LOWER": {"REGEX": "^un"}, "TAG": "JJ"}]], "attrs": {"LEMMA": "UN"}},
        {"patterns": [[{"LOWER": {"NOT_IN": ["no", "not"]}, "TAG": "RB"}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"TAG": "VB"}]], "attrs": {"LEMMA": "V"}},
    ]
    nlp, ruler = _blank_ruler(patterns)
    words = ["Kim", "kim", "Kim", "unlikely", "unsure", "likely", "not", "soon", "go", "talk"]
    tags = ["NNP", "NN", "NNP", "JJ", "JJ", "JJ", "RB", "RB", "VB", "VB"]

    def tagged():
        doc = nlp.make_doc(" ".join(words))
        for tok, tag in zip(doc, tags, strict=True):
            tok.tag_ = tag
        return doc

    slow = AttributeRuler.__call__(ruler, tagged())
    assert speed_up(nlp)
    fast = ruler(tagged())
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in slow]
    assert [t.pos_ for t in fast] == [t.pos_ for t in slow]
    assert [t.lemma_ for t in fast][:6] == ["KIM", "", "KIM", "UN", "UN", ""]
    assert [t.pos_ for t in fast][6:8] == ["", "X"]
    match = ruler._fast
    # "go" and "talk" (VB), "unlikely" and "unsure" (JJ, the regex): one match each
    assert len(match.memo) == 9 and len(match.class_memo) == 7
