"""The memoised lemmatizer sets exactly the lemmas spaCy's lemmatizer sets."""

from __future__ import annotations

import numpy as np
import pytest

spacy = pytest.importorskip("spacy")

from conftest import docs_before  # noqa: E402
from spacy.attrs import LEMMA  # noqa: E402
from spacy.lang.en.lemmatizer import EnglishLemmatizer  # noqa: E402
from spacy.lookups import Lookups  # noqa: E402
from spacy.pipeline import Lemmatizer  # noqa: E402

from dprkbrief.nlp import load_model  # noqa: E402
from dprkbrief.nlp.lemmatizer import FastEnglishLemmatizer, FastLemmatizer, speed_up  # noqa: E402

TEXTS = [
    "The negotiators were meeting again; talks had stalled after the summits. Kim's envoys "
    "said they'd seen better days, and the sanctions bit harder.  \n\nGeese, mice, "
    "analyses and criteria: the best-laid plans went awry. He's running, she ran, they run.",
    "Denuclearization?! 3.5% of U.S. troops — “Yes,” Pyongyang's spokesmen insisted.",
    "   \n",
    "a",
]


def test_model_lemmatizer_is_memoised_and_sets_the_same_lemmas():
    nlp = load_model()
    lem = nlp.get_pipe("lemmatizer")
    assert type(lem) is FastEnglishLemmatizer
    for doc in docs_before(nlp, TEXTS * 2, "lemmatizer"):  # the second round reads the memo
        slow, fast = doc.copy(), doc.copy()
        EnglishLemmatizer.__call__(lem, slow)  # spaCy's own path
        lem(fast)
        assert np.array_equal(slow.to_array([LEMMA]), fast.to_array([LEMMA]))
        assert [t.lemma_ for t in fast] == [t.lemma_ for t in slow]
    doc = nlp("The geese were running.")
    assert [t.lemma_ for t in doc] == ["the", "goose", "be", "run", "."]
    # the component's own tables (what nlp.to_disk saves) keep spaCy's lists
    index = lem.lookups.get_table("lemma_index")
    assert all(isinstance(v, list) for v in index.values())


def _rule_nlp(english=True):
    nlp = spacy.blank("en")
    lem = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    if not english:
        lem.__class__ = Lemmatizer
    lookups = Lookups()
    lookups.add_table("lemma_rules", {"noun": [["s", ""], ["ies", "y"]]})
    lookups.add_table("lemma_index", {"noun": ["talk", "party"]})
    lookups.add_table("lemma_exc", {"noun": {"geese": ["goose"]}})
    lem.initialize(lookups=lookups)
    return nlp, lem


def _tagged(nlp, words, pos):
    doc = nlp.make_doc(" ".join(words))
    for tok, p in zip(doc, pos, strict=True):
        tok.pos_ = p
    return doc


@pytest.mark.parametrize("english", [True, False])
def test_rule_mode_on_a_small_table_same_as_spacy(english):
    nlp, lem = _rule_nlp(english)
    words = ["talks", "parties", "geese", "talks", "cats", "Kim", "runs"]
    pos = ["NOUN", "NOUN", "NOUN", "NOUN", "NOUN", "PROPN", "VERB"]
    slow = Lemmatizer.__call__(lem, _tagged(nlp, words, pos))
    assert speed_up(nlp)
    fast_class = FastEnglishLemmatizer if english else FastLemmatizer
    assert type(nlp.get_pipe("lemmatizer")) is fast_class
    fast = lem(_tagged(nlp, words, pos))
    want = ["talk", "party", "goose", "talk", "cat", "Kim", "runs"]
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in slow] == want
    assert len(lem._memo) == 6  # "talks" twice is one form
    # a lemma set before the lemmatizer (the attribute ruler) is kept, as spaCy keeps it
    doc = _tagged(nlp, ["talks"], ["NOUN"])
    doc[0].lemma_ = "TALK"
    assert lem(doc)[0].lemma_ == "TALK"


def test_replaced_tables_are_read_again():
    nlp, lem = _rule_nlp()
    speed_up(nlp)
    assert lem(_tagged(nlp, ["parties"], ["NOUN"]))[0].lemma_ == "party"
    lookups = Lookups()
    lookups.add_table("lemma_rules", {"noun": [["ies", "ie"]]})
    lookups.add_table("lemma_index", {"noun": []})
    lookups.add_table("lemma_exc", {"noun": {}})
    lem.initialize(lookups=lookups)
    lem._memo.clear()
    lem.cache.clear()
    assert lem(_tagged(nlp, ["parties"], ["NOUN"]))[0].lemma_ == "partie"


def test_subclass_or_other_mode_keeps_spacys_lemmatizer():
    class Mine(Lemmatizer):
        pass

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.get_pipe("lemmatizer").__class__ = Mine
    assert not speed_up(nlp)
    assert type(nlp.get_pipe("lemmatizer")) is Mine
    assert not speed_up(spacy.blank("en"))  # no lemmatizer at all
