"""Anchored rule regexes: the shortcut never changes what a pattern finds."""

from __future__ import annotations

import itertools
import re

import pytest

from dprkbrief._regex import Anchored, anchors, lowered, may_match


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("may", ("may",)),
        ("won['’]t|will not", ("won't", "won’t", "will not")),
        ("possibl[ey]|possibility", ("possible", "possibly", "possibility")),
        (r"seems?|appears?", ("seem", "appear")),
        (r"\bsummit(s)?\b", ("summit",)),
        (r"(ab)+cd", ("ab",)),  # a required repeat is kept, the run after it is too short
        (r"[a-z]+ing", ("ing",)),
        (r"(?i:K)ey", ("key",)),
    ],
)
def test_anchors_of_patterns(pattern, expected):
    assert anchors(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"x|\w+",  # one branch can match anything
        r"\d+",
        r"[^a]b?",
        "ſtate",  # a letter that the engine folds to "s" but str.lower() does not
        "(",  # not a pattern at all
    ],
)
def test_no_anchors_when_none_are_safe(pattern):
    assert anchors(pattern) is None


def test_lowered_only_for_ascii_and_caseless_punctuation():
    assert lowered("Kim Won’t Go — “No”") == "kim won’t go — “no”"
    assert lowered("ſtate") is None
    assert lowered("Moon Jae-in said 안녕") is None


def test_may_match():
    assert may_match(None, "anything")
    assert may_match(("will",), None)
    assert may_match(("will",), "they will talk")
    assert not may_match(("will",), "they talked")


PATTERNS = [
    "may",
    "won['’]t|will not",
    r"\w+n['’]t|never",
    r"doubt(s|ed|ing)?( that| whether)?|skeptical",
    r"^\W*(under (the|a) (\w+ ){0,2}(agreement|deal))",
    r"\b(the )?(time|moment) (\w+ ){0,2}(is|may be) ripe\b",
    "state",
    "key",
]
TEXTS = [
    "Talks may resume; they WON'T stall.",
    "He won’t say. She never did.",
    "Experts DOUBTED that it would happen; some remain skeptical.",
    "Under the new agreement, inspectors return.",
    "The time is ripe for a deal.",
    "The ſtate department said nothing.",  # long s: the engine matches "state"
    "A \u212aey point: the KEY issue.",  # Kelvin sign folds to k
    "No cue here at all.",
    "",
]


@pytest.mark.parametrize(("pattern", "text"), list(itertools.product(PATTERNS, TEXTS)))
def test_anchored_finds_what_the_regex_finds(pattern, text):
    plain = re.compile(pattern, re.IGNORECASE)
    fast = Anchored.compile(pattern)
    assert bool(fast.search(text)) == bool(plain.search(text))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert fast.pattern == plain.pattern  # other attributes are the pattern's own
    assert bool(fast.search(text, 1)) == bool(plain.search(text, 1))
    assert [m.span() for m in fast.finditer(text, 0, 12)] == [
        m.span() for m in plain.finditer(text, 0, 12)
    ]


def test_case_sensitive_patterns_get_no_anchors():
    assert Anchored.compile("May", 0).anchors is None


def test_shipped_cues_find_the_same_with_and_without_anchors():
    import dataclasses

    from dprkbrief.analysis.codebook import _find_cues, certainty_cues

    cues, _ = certainty_cues()
    assert sum(c.anchors is not None for c in cues) >= len(cues) // 2
    plain = tuple(dataclasses.replace(c, anchors=None) for c in cues)
    for text in TEXTS + [
        "I don’t think they'll meet; it's unlikely, perhaps impossible.",
        "Nobody doubts it: the deal will not fail to pass.",
    ]:
        assert _find_cues(text, cues) == _find_cues(text, plain)


def test_anchored_pickles():
    import pickle

    fast = Anchored.compile("won['’]t|will not")
    back = pickle.loads(pickle.dumps(fast))
    assert back.anchors == fast.anchors and back.pattern == fast.pattern
    assert back.search("They WILL NOT meet.") is not None


def test_stance_lexicon_pickles():
    import pickle

    from dprkbrief.analysis.stance import load_stance_lexicon

    lex = load_stance_lexicon(None)
    assert pickle.loads(pickle.dumps(lex)).skips[0][1].pattern == lex.skips[0][1].pattern
