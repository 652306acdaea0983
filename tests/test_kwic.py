"""Keyword in context."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.analysis.kwic import kwic_view
from dprkbrief.errors import ParameterError

TEXT = (
    "Sanctions Again\n\n"
    "Sanctions relief is off the table. Officials in the U.S. said sanctions would stay.\n\n"
    "Sanctions relief is off the table.\n"
)


@pytest.fixture
def small():
    return dprkbrief.corpus_from_texts({"a": TEXT, "b": "No match here at all."})


def test_matches_carry_exact_offsets_and_sentence_context(small):
    k = dprkbrief.kwic(small, "sanctions")
    assert list(k.columns) == [
        "doc_id",
        "seg_id",
        "speaker",
        "section",
        "kind",
        "start",
        "end",
        "left",
        "match",
        "right",
    ]
    text = small["a"].text
    for r in k.itertuples():
        assert text[r.start : r.end] == r.match
    row = k[k["match"] == "sanctions"].iloc[0]
    assert row["left"] == "Officials in the U.S. said"
    assert row["right"] == "would stay."


def test_pull_quote_repeats_are_skipped_unless_asked(small):
    without = dprkbrief.kwic(small, "relief")
    with_rep = dprkbrief.kwic(small, "relief", repeats=True)
    assert len(without) == 1 and len(with_rep) == 2
    assert "pull_quote" in set(with_rep["kind"])


def test_character_window_and_valuetypes(small):
    k = dprkbrief.kwic(small, "off the table", window=5)
    assert k["left"].iloc[0] == "f is" and k["right"].iloc[0] == ". Off"
    assert len(dprkbrief.kwic(small, "sanction*", valuetype="glob")) == 3
    assert len(dprkbrief.kwic(small, r"sanctions?\b", valuetype="regex")) == 3
    assert len(dprkbrief.kwic(small, "Sanctions", case=True)) == 2


def test_word_boundaries_for_fixed_patterns():
    c = dprkbrief.corpus_from_texts({"a": "The U.S. and USS Pueblo. Usury is not US policy."})
    assert dprkbrief.kwic(c, "US")["match"].tolist() == ["US"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"window": "paragraph"}, "'window'"),
        ({"window": -1}, "'window'"),
        ({"valuetype": "fuzzy"}, "allowed are 'fixed', 'regex', 'glob'"),
    ],
)
def test_bad_parameters_name_the_parameter(small, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        dprkbrief.kwic(small, "x", **kwargs)


def test_bad_pattern_messages(small):
    with pytest.raises(ParameterError, match="not a valid regular expression"):
        dprkbrief.kwic(small, "(", valuetype="regex")
    with pytest.raises(ParameterError, match="empty"):
        dprkbrief.kwic(small, "  ")


def test_kwic_on_the_corpus_reports_speakers(corpus):
    k = dprkbrief.kwic(corpus, "Kim")
    speakers = set(k["speaker"].dropna())
    assert speakers and speakers <= set(sum(corpus.documents["speakers"], []))


def test_a_backtracking_regex_stops_with_a_clear_error():
    c = dprkbrief.corpus_from_texts({"a": "a" * 60 + "b. Second sentence here."})
    with pytest.raises(ParameterError, match=r"'\(a\|aa\)\+\$'.*longer than 0\.5 s"):
        dprkbrief.kwic(c, "(a|aa)+$", valuetype="regex", timeout=0.5)


def test_globs_with_many_stars_do_not_backtrack_on_a_long_token():
    import time

    c = dprkbrief.corpus_from_texts({"a": "x" * 30_000 + " The sanctions stay."})
    t = time.monotonic()
    hits = dprkbrief.kwic(c, "x*x*x*y*", valuetype="glob", timeout=5)
    assert hits.empty and time.monotonic() - t < 5
    assert dprkbrief.kwic(c, "s*nc**ons", valuetype="glob")["match"].tolist() == ["sanctions"]


def test_kwic_view_keeps_the_words_next_to_the_match(small):
    hits = dprkbrief.kwic(small, "would")
    view = kwic_view(hits, width=12)
    assert view["left"].iloc[0] == "…d sanctions"  # cut far from the match, not next to it
    assert view["right"].iloc[0] == "stay."
    assert hits["left"].iloc[0] == "Officials in the U.S. said sanctions"  # the data is whole


@pytest.mark.parametrize("timeout", [0, -1, "10", True])
def test_bad_timeout_is_refused(small, timeout):
    with pytest.raises(ParameterError, match="'timeout'"):
        dprkbrief.kwic(small, "x", timeout=timeout)
