"""Sentence splitter: Golden Rules, shipped data examples, brief's cases, offsets, invariants."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprkbrief.errors import ParameterError, RuleFileError
from dprkbrief.resources import resource_path
from dprkbrief.segment.sentences import load_sentence_rules, sentence_spans, split_sentences

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "corpus"
GOLDEN = Path(__file__).parent / "data" / "golden_rules_en.toml"
ABBREVIATIONS = resource_path("segment", "abbreviations.toml")


def _norm(s: str) -> str:
    return " ".join(s.split())


def _golden_rules() -> list[dict]:
    with open(GOLDEN, "rb") as fh:
        return tomllib.load(fh)["rule"]


def _passes(split, rule: dict) -> bool:
    got = [_norm(s) for s in split(rule["text"]) if s.strip()]
    return got == [_norm(s) for s in rule["sentences"]]


def assert_lossless(text: str, spans: list[tuple[int, int]], start: int = 0, end=None) -> None:
    """Spans ordered, non-overlapping, stripped, and covering every non-space char of the range."""
    end = len(text) if end is None else end
    prev = start
    for s, e in spans:
        assert prev <= s < e <= end, (prev, s, e, end)
        assert text[prev:s].strip() == "", repr(text[prev:s])
        assert not text[s].isspace() and not text[e - 1].isspace(), repr(text[s:e])
        prev = e
    assert text[prev:end].strip() == "", repr(text[prev:end])


# ----------------------------------------------------------------------------- Golden Rules


def test_golden_rules_file_has_the_52_english_rules():
    rules = _golden_rules()
    assert [r["id"] for r in rules] == list(range(1, 53))
    assert all(r["text"] and r["sentences"] for r in rules)


def test_golden_rules_at_least_as_good_as_pysbd():
    rules = _golden_rules()
    ours = sum(_passes(split_sentences, r) for r in rules)
    try:
        import pysbd
    except ImportError:  # pragma: no cover - pysbd is a dev tool only
        baseline = 48
    else:
        seg = pysbd.Segmenter(language="en", clean=False)
        baseline = sum(_passes(seg.segment, r) for r in rules)
    failed = [r["id"] for r in rules if not _passes(split_sentences, r)]
    assert ours >= baseline, f"we pass {ours}, pysbd {baseline}; failing rules {failed}"


@pytest.mark.parametrize("rule", _golden_rules(), ids=lambda r: f"rule{r['id']}")
def test_golden_rule_spans_are_lossless(rule):
    assert_lossless(rule["text"], sentence_spans(rule["text"]))


# ----------------------------------------------------------------------------- data file


def _abbreviation_examples() -> list[tuple[str, dict]]:
    with open(ABBREVIATIONS, "rb") as fh:
        data = tomllib.load(fh)
    out = [(g["name"], ex) for g in data["group"] for ex in g["examples"]]
    out += [("starters", ex) for ex in data["starters"]["examples"]]
    out += [("continuation", ex) for ex in data["continuation"]["examples"]]
    return out


def test_abbreviation_file_format():
    first = ABBREVIATIONS.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#")
    with open(ABBREVIATIONS, "rb") as fh:
        data = tomllib.load(fh)
    for g in data["group"]:
        assert g["kind"] in {"prefix", "number", "time", "general"}
        assert g["words"] and g["examples"], g["name"]
    for table in ("starters", "continuation"):
        assert data[table]["words"] and data[table]["examples"], table


@pytest.mark.parametrize("group,example", _abbreviation_examples(), ids=lambda x: str(x)[:30])
def test_abbreviation_examples(group, example):
    assert split_sentences(example["text"]) == example["sentences"], group


def test_user_rules_file_changes_behaviour(tmp_path):
    text = "He met Xyz. Smith there."
    assert split_sentences(text) == ["He met Xyz.", "Smith there."]
    path = tmp_path / "abbr.toml"
    path.write_text(
        '# test rules\n[[group]]\nname = "t"\nkind = "prefix"\nwords = ["Xyz"]\n'
        "examples = []\n[starters]\nwords = []\n",
        encoding="utf-8",
    )
    rules = load_sentence_rules(path)
    spans = sentence_spans(text, rules=rules)
    assert [text[s:e] for s, e in spans] == [text]


@pytest.mark.parametrize(
    "body,needle",
    [
        ('[[group]]\nname = "t"\nkind = "odd"\nwords = ["a"]\n[starters]\nwords = []\n', "odd"),
        ('[[group]]\nname = "t"\nkind = "prefix"\n[starters]\nwords = []\n', "words"),
        ('[starters]\nwords = ["The"]\n', "group"),
        (
            '[[group]]\nname = "t"\nkind = "time"\nwords = ["a.m"]\nfronted_by = "at"\n'
            "[starters]\nwords = []\n",
            "fronted_by",
        ),
        ('[[group]]\nname = "t"\nkind = "prefix"\nwords = ["Mr"]\n', "starters"),
        ("[[group]\n", "TOML"),
    ],
)
def test_bad_rules_file_names_file_and_problem(tmp_path, body, needle):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleFileError, match=needle) as exc:
        load_sentence_rules(path)
    assert "bad.toml" in str(exc.value)


# ----------------------------------------------------------------------------- brief's cases

CASES = [
    # abbreviations
    (
        "The U.S. envoy met officials in Washington, D.C. on Monday. Talks went well.",
        ["The U.S. envoy met officials in Washington, D.C. on Monday.", "Talks went well."],
    ),
    (
        "Mr. Kim and Dr. Ortiz met Gen. Brooks, Sen. Risch and Rep. Engel. It was Feb. 27.",
        ["Mr. Kim and Dr. Ortiz met Gen. Brooks, Sen. Risch and Rep. Engel.", "It was Feb. 27."],
    ),
    (
        "Resolution No. 2397 passed at 10:30 a.m. on Friday. Sanctions followed.",
        ["Resolution No. 2397 passed at 10:30 a.m. on Friday.", "Sanctions followed."],
    ),
    (
        "Firms (Acme Inc., Foo Corp., etc.) joined, e.g. Bar Ltd., i.e. all of them. Then "
        "came Smith Jr. vs. Jones.",
        [
            "Firms (Acme Inc., Foo Corp., etc.) joined, e.g. Bar Ltd., i.e. all of them.",
            "Then came Smith Jr. vs. Jones.",
        ],
    ),
    (
        "J. F. Kennedy met N. S. Khrushchev in 1961.",
        ["J. F. Kennedy met N. S. Khrushchev in 1961."],
    ),
    # quotations and brackets
    (
        "Sanctions matter [to Seoul] now. “We will wait.” He said so (as usual.) Then he left.",
        [
            "Sanctions matter [to Seoul] now.",
            "“We will wait.”",
            "He said so (as usual.)",
            "Then he left.",
        ],
    ),
    ('He said: "No deal." Then he left.', ['He said: "No deal."', "Then he left."]),
    ("The summit (…) failed. Why?", ["The summit (…) failed.", "Why?"]),
    # ellipses
    (
        "They waited… Nothing happened. Then... Kim spoke.",
        ["They waited…", "Nothing happened.", "Then...", "Kim spoke."],
    ),
    ("It was … well, complicated.", ["It was … well, complicated."]),
    # compounds, decimals, times, URLs, e-mails
    (
        "U.S.-North Korea talks and U.S.-DPRK ties grew 3.5 percent. Experts agreed.",
        ["U.S.-North Korea talks and U.S.-DPRK ties grew 3.5 percent.", "Experts agreed."],
    ),
    (
        "The report is at https://www.example.org/a.b/report.pdf. Write to jane.doe@example.org. "
        "Thanks!",
        [
            "The report is at https://www.example.org/a.b/report.pdf.",
            "Write to jane.doe@example.org.",
            "Thanks!",
        ],
    ),
    # sentence-final U.S. (Golden Rules: a sentence starter decides)
    (
        "Negotiations stalled with the U.S. The DPRK kept testing. It pressed the U.S. Congress.",
        [
            "Negotiations stalled with the U.S.",
            "The DPRK kept testing.",
            "It pressed the U.S. Congress.",
        ],
    ),
    # a one-letter initial is never a sentence of its own
    (
        "Q. What do you expect? A. Not much. Plan B. The rest failed.",
        ["Q. What do you expect?", "A. Not much.", "Plan B.", "The rest failed."],
    ),
    # question and exclamation marks
    ("Will Kim talk? Nobody knows! Maybe.", ["Will Kim talk?", "Nobody knows!", "Maybe."]),
    ("Is it over?! “Not yet?” she asked.", ["Is it over?!", "“Not yet?” she asked."]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=lambda x: str(x)[:25])
def test_brief_cases(text, expected):
    assert split_sentences(text) == expected
    assert_lossless(text, sentence_spans(text))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1. The first point is made here.", ["1. The first point is made here."]),
        ("I) The return of the ship", ["I) The return of the ship"]),
        ("II) The dismantlement of the site.", ["II) The dismantlement of the site."]),
        (
            "Three options remain:\nI) A freeze\nII) A reactor deal\nIII) A peace treaty.",
            ["Three options remain:", "I) A freeze", "II) A reactor deal", "III) A peace treaty."],
        ),
        (
            "Two demands: 1) sanctions relief 2) security guarantees. Both matter.",
            ["Two demands:", "1) sanctions relief", "2) security guarantees.", "Both matter."],
        ),
        ("• First item\n• Second item", ["• First item", "• Second item"]),
        ("He won 2. Then he lost.", ["He won 2.", "Then he lost."]),
        (
            "The U.S. wants (a) a freeze and (b) inspections. Kim refuses.",
            ["The U.S. wants (a) a freeze and (b) inspections.", "Kim refuses."],
        ),
        ("a. The first item b. The second item", ["a. The first item", "b. The second item"]),
        (
            "Items:\n1. first\n2. second\na) third\n(b) fourth\nII) fifth\n- sixth\n* seventh",
            [
                "Items:",
                "1. first",
                "2. second",
                "a) third",
                "(b) fourth",
                "II) fifth",
                "- sixth",
                "* seventh",
            ],
        ),
    ],
)
def test_list_markers_never_stand_alone(text, expected):
    assert split_sentences(text) == expected


WRAPPED = (
    "In the spring the negotiators from both capitals met again in a small city\n"
    "near the border and argued for many hours over the order of the steps that\n"
    "Officials in each government would accept as fair. Nobody was ready to\n"
    "move first."
)


def test_hard_wrapped_line_breaks_are_not_boundaries():
    # the third line starts with a capital, but the second was wrapped (no room for "Officials")
    assert split_sentences(WRAPPED) == [
        WRAPPED[: WRAPPED.index(" Nobody")],
        "Nobody was ready to\nmove first.",
    ]


def test_line_break_after_heading_like_line_is_a_boundary():
    text = "Talks resume\n" + WRAPPED
    got = split_sentences(text)
    assert got[0] == "Talks resume"
    assert len(got) == 3
    text = "Topic\nArms Control and Diplomacy\nTags\n#Summit #ICBM"
    assert split_sentences(text) == [
        "Topic",
        "Arms Control and Diplomacy",
        "Tags",
        "#Summit #ICBM",
    ]


def test_line_break_after_a_colon_label_is_a_boundary_unless_wrapped():
    assert split_sentences("Summary:\nThe interview was edited.") == [
        "Summary:",
        "The interview was edited.",
    ]
    assert split_sentences("He listed them as follows:\nfreeze, inspections.") == [
        "He listed them as follows:\nfreeze, inspections."
    ]


def test_blank_line_always_separates():
    assert split_sentences("The talks\n\nfailed in Hanoi") == ["The talks", "failed in Hanoi"]
    assert split_sentences("A line\r\n\r\nB line") == ["A line", "B line"]


# ----------------------------------------------------------------------------- offsets & errors


def test_spans_are_absolute_offsets_into_the_range():
    text = "Skip this. Take this one. And this one! Not this."
    start = text.index("Take")
    end = text.index("Not")
    spans = sentence_spans(text, start, end)
    assert [text[s:e] for s, e in spans] == ["Take this one.", "And this one!"]
    assert_lossless(text, spans, start, end)
    assert sentence_spans(text, 5, 5) == []


@pytest.mark.parametrize(
    "args,needle",
    [
        ((b"bytes",), "'text'"),
        (("abc", -1), "start"),
        (("abc", 0, 10), "len\\(text\\)"),
        (("abc", 2, 1), "start"),
        (("abc", 0.5), "start"),
        (("abc", 0, None, "abbr.toml"), "rules"),
    ],
)
def test_bad_arguments_raise_parameter_error(args, needle):
    *pos, rules = args if len(args) == 4 else (*args, None)
    with pytest.raises(ParameterError, match=needle):
        sentence_spans(*pos, rules=rules)


# ----------------------------------------------------------------------------- properties

_PIECES = [
    "U.S.",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\xa0",
    "\u2028",
    "\t",
    "Mr.",
    "a.m.",
    "1.",
    "2.",
    "a)",
    "II)",
    "•",
    "⁃",
    "...",
    "…",
    " . . . ",
    ".",
    "?",
    "!",
    "”",
    "“",
    '"',
    "'",
    "(",
    ")",
    "[",
    "]",
    "Kim",
    "said",
    "The",
    "north",
    "3.5",
    "x@y.org",
    "http://a.b/c.",
    "é",
    "한국",
    "-",
    "—",
    ":",
    ",",
    "I",
    "E.",
    "0",
]
_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(_PIECES), max_size=60).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_spans_are_lossless_on_arbitrary_text(text):
    spans = sentence_spans(text)
    assert_lossless(text, spans)
    assert split_sentences(text) == [text[s:e] for s, e in spans]


@settings(max_examples=200, deadline=None)
@given(_texts, st.integers(0, 300), st.integers(0, 300))
def test_spans_are_lossless_on_any_range(text, i, j):
    start, end = sorted((min(i, len(text)), min(j, len(text))))
    spans = sentence_spans(text, start, end)
    assert_lossless(text, spans, start, end)


# ----------------------------------------------------------------------------- real corpus


CORPUS_FILES = sorted(FIXTURE_CORPUS.glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_invariants_on_corpus_files(path):
    text = path.read_text(encoding="utf-8")
    assert_lossless(text, sentence_spans(text))
    # paragraph by paragraph, as the segmenter calls it
    pos = 0
    for block in text.split("\n\n"):
        start = text.index(block, pos)
        end = start + len(block)
        assert_lossless(text, sentence_spans(text, start, end), start, end)
        pos = end


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_no_corpus_sentence_is_a_bare_marker_or_fragment(path):
    text = path.read_text(encoding="utf-8")
    for s, e in sentence_spans(text):
        sent = text[s:e]
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:line_end].strip() == sent:
            continue  # a whole line ("×", "© dpa") may be anything
        assert re.search(r"[A-Za-z]{2}", sent), repr(sent)  # not "1.", "I)", "•", "..."
        assert not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,3}\.", sent), repr(sent)


@pytest.mark.parametrize("width", [60, 72, 80])
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_hard_wrapping_a_corpus_file_keeps_its_sentences(path, width):
    """Every long line re-wrapped at ``width`` gives the same sentences as the unwrapped line."""
    import textwrap

    def squash(sents: list[str]) -> list[str]:
        return [re.sub(r"\s+", "", s) for s in sents]

    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    long_lines = [ln for ln in lines if len(ln) > 2 * width]
    assert long_lines
    for line in long_lines:
        wrapped = textwrap.fill(line, width, break_on_hyphens=False)
        assert "\n" in wrapped
        assert squash(split_sentences(wrapped)) == squash(split_sentences(line)), wrapped
