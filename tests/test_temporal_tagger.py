"""Tests of the temporal tagger: every rule example in resources/dates, plus bad input."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dprkbrief
from dprkbrief.errors import DprkbriefWarning, ParameterError, RuleFileError
from dprkbrief.resources import load_toml, resource_path
from dprkbrief.temporal.tagger import COLUMNS, _num, load_rules, parse_dct, tag_dates_records

PATTERNS = load_toml(resource_path("dates", "patterns.toml"))
TENSE = load_toml(resource_path("dates", "tense.toml"))
NORM = load_toml(resource_path("dates", "normalization.toml"))


def _examples(section: str) -> list:
    out = []
    for entry in PATTERNS[section]:
        name = entry.get("name", entry.get("regex", "")[:30])
        for ex in entry.get("examples", []):
            out.append(pytest.param(ex, id=f"{name}:{ex['text'][:40]}"))
    return out


def _check_example(ex: dict) -> None:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "impossible calendar date", DprkbriefWarning)
        recs = tag_dates_records(ex["text"], ex.get("dct"))
    for r in recs:
        assert ex["text"][r["start"] : r["end"]] == r["text"]
    if ex.get("none"):
        assert recs == [], f"expected no date in {ex['text']!r}, got {recs}"
        return
    cands = [r for r in recs if r["value"] == ex["value"]]
    assert cands, f"{ex['text']!r}: expected value {ex['value']!r}, got {recs}"
    if "match" in ex:
        assert any(r["text"] == ex["match"] for r in cands), (ex, cands)
    if "type" in ex:
        assert any(r["type"] == ex["type"] for r in cands), (ex, cands)
    if "mod" in ex:
        assert any(r["mod"] == ex["mod"] for r in cands), (ex, cands)


@pytest.mark.parametrize("ex", _examples("rule"))
def test_rule_examples(ex):
    _check_example(ex)


@pytest.mark.parametrize("ex", _examples("modifier"))
def test_modifier_examples(ex):
    _check_example(ex)


@pytest.mark.parametrize("ex", TENSE["example"], ids=lambda e: e["text"][:40])
def test_tense_examples(ex):
    _check_example(ex)


@pytest.mark.parametrize("ex", TENSE["narration"], ids=lambda e: e["text"][:40])
def test_narration_examples(ex):
    """The verb that makes a past-tense sentence narrate, never a verb of saying."""
    from dprkbrief.temporal.resolve import narrative_cue

    m = narrative_cue(ex["text"], dprkbrief.load_dates())
    assert (m.group(0) if m else "") == ex["cue"]


@pytest.mark.parametrize("text", PATTERNS["names"]["examples"], ids=lambda t: t[:40])
def test_names_examples(text):
    """A time word capitalised inside a sentence is a title or name, not a date."""
    assert tag_dates_records(text, "2019-02-27") == []


def test_names_keep_sentence_starts_headlines_and_holidays():
    for text, expected in [
        ("Today, talks resumed.", ["Today"]),
        ('He said: "Today we talk."', ["Today"]),
        ("Talks To Resume Next Week In Hanoi", ["Next Week"]),
        ("Voters went to the polls on Election Day.", ["Election Day"]),
    ]:
        assert [r["text"] for r in tag_dates_records(text, "2019-02-27")] == expected, text


def test_every_rule_has_examples():
    empty = [r["name"] for r in PATTERNS["rule"] if not r.get("examples")]
    # clock-time helpers without examples would be untested rules
    assert empty == [], f"rules without examples: {empty}"


@pytest.mark.parametrize(
    "check", [ex | {"table": c["table"]} for c in NORM["check"] for ex in c["examples"]]
)
def test_normalization_checks(check):
    table = NORM[check["table"]]
    key = check["key"]
    if check["table"] == "numword":
        assert _num(key, NORM) == check["value"]
    else:
        assert table[key.lower()] == check["value"]


def test_columns_and_offsets():
    text = "In June 2019 the leaders met; next November there is an election."
    df = dprkbrief.tag_dates(text, dct="2019-10")
    assert list(df.columns) == COLUMNS
    assert df["text"].tolist() == ["June 2019", "next November"]
    assert df["value"].tolist() == ["2019-06", "2020-11"]
    assert df["precision"].tolist() == ["month", "month"]
    for row in df.itertuples():
        assert text[row.start : row.end] == row.text


def test_no_dct_leaves_relative_values_underspecified():
    df = dprkbrief.tag_dates("In October, talks took place; last year was calm.")
    assert df["value"].tolist() == ["XXXX-10", "XXXX"]


def test_dct_forms():
    text = "Talks collapsed last year."
    assert dprkbrief.tag_dates(text, dct=dt.date(2019, 5, 1))["value"].tolist() == ["2018"]
    assert dprkbrief.tag_dates(text, dct="2025")["value"].tolist() == ["2024"]
    assert dprkbrief.tag_dates(text, dct="1998-08-07T06:18:00")["value"].tolist() == ["1997"]


def test_year_precision_dct_does_not_guess_days():
    df = dprkbrief.tag_dates("He spoke yesterday.", dct="2025")
    assert df["value"].tolist() == ["XXXX-XX-XX"]


def test_wrong_dct_type_raises():
    with pytest.raises(ParameterError, match="'dct'"):
        dprkbrief.tag_dates("in 2019", dct=2019)


def test_wrong_text_type_raises():
    with pytest.raises(ParameterError, match="'text'"):
        dprkbrief.tag_dates(None)


def test_unparseable_dct_warns_and_stays_underspecified():
    with pytest.warns(DprkbriefWarning, match="dct"):
        df = dprkbrief.tag_dates("In October talks resumed.", dct="sometime in 2019")
    assert df["value"].tolist() == ["XXXX-10"]
    with pytest.warns(DprkbriefWarning):
        assert parse_dct("2019-13-45") == (None, None)


def test_no_dates_gives_empty_frame():
    df = dprkbrief.tag_dates("No temporal expression here at all.")
    assert df.empty and list(df.columns) == COLUMNS


def test_impossible_and_out_of_range_dates_are_not_tagged():
    with pytest.warns(DprkbriefWarning, match="impossible"):
        assert dprkbrief.tag_dates("on February 30, 2019", dct="2019-03-01").empty
    with pytest.warns(DprkbriefWarning, match="impossible"):
        assert dprkbrief.tag_dates("on 2019-02-30").empty
    with warnings.catch_warnings():
        warnings.simplefilter("error", DprkbriefWarning)
        assert dprkbrief.tag_dates("in 9999 and 0042").empty


def test_impossible_dates_warn_once_per_call_naming_them():
    text = "It was February 30, 2019, not April 31, 2019, but June 1, 2019."
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = dprkbrief.tag_dates(text)
    msgs = [str(w.message) for w in caught if issubclass(w.category, DprkbriefWarning)]
    assert len(msgs) == 1
    assert "'February 30, 2019'" in msgs[0] and "'April 31, 2019'" in msgs[0]
    assert df["value"].tolist() == ["2019-06-01"]


def test_abbreviated_months_without_full_stop():
    df = dprkbrief.tag_dates("Signed Dec 26, 2024 and on 6 Mar 2023.")
    assert df["value"].tolist() == ["2024-12-26", "2023-03-06"]
    assert df["text"].tolist() == ["Dec 26, 2024", "6 Mar 2023"]
    # a capitalised abbreviation only: "mar" and "may" in lower case are words
    assert dprkbrief.tag_dates("they may 12 times mar 3 of them").empty


@pytest.mark.parametrize("dash", ["-", "\u2013"])
def test_year_range_gives_both_ends(dash):
    text = f"The 1950{dash}1953 Korean War."
    df = dprkbrief.tag_dates(text)
    assert df["value"].tolist() == ["1950", "1953"]
    assert df["text"].tolist() == ["1950", "1953"]
    assert df["start"].tolist() == [4, 9]


def test_day_range_gives_both_days():
    df = dprkbrief.tag_dates("The summit of February 27\u201328, 2019 ended early.")
    assert df["value"].tolist() == ["2019-02-27", "2019-02-28"]
    assert df["text"].tolist() == ["February 27", "28, 2019"]
    df = dprkbrief.tag_dates("Talks on 27-28 February 2019.")
    assert df["value"].tolist() == ["2019-02-27", "2019-02-28"]


def test_two_digit_range_end_keeps_the_century():
    df = dprkbrief.tag_dates("in 1998-99 and in 2019-20")
    assert df["value"].tolist() == ["1998", "1999", "2019", "2020"]


@pytest.mark.parametrize(
    "text",
    ["Article 2019 of the code", "under Resolution 2397", "in Room 2019", "Section 1950-1953"],
)
def test_number_after_a_label_noun_is_not_a_year(text):
    assert dprkbrief.tag_dates(text).empty


def test_years_in_a_title():
    assert dprkbrief.tag_dates("Years of Talks").empty
    df = dprkbrief.tag_dates("Seventy Years of Talks")
    assert df[["text", "type", "value"]].values.tolist() == [["Seventy Years", "DURATION", "P70Y"]]
    assert dprkbrief.tag_dates("It took years.")["value"].tolist() == ["PXY"]


def test_long_input_is_tagged_in_windows_with_correct_offsets():
    unit = "Talks resumed in June 2019 after a pause. " + "Nothing happened. " * 20 + "\n"
    text = unit * 800  # ~300k characters, more than one window
    recs = tag_dates_records(text, "2019-10-01")
    assert len(recs) == 800
    assert all(text[r["start"] : r["end"]] == "June 2019" for r in recs)


def test_user_rule_file(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        "[[rule]]\nname = 'juche'\nregex = 'Juche\\s+(?P<num>\\d+)'\n"
        "value = 'literal(XXXX)'\nexamples = []\n",
        encoding="utf-8",
    )
    recs = tag_dates_records("in Juche 108 and in 2019", rules=f)
    assert [r["text"] for r in recs] == ["Juche 108"]


def test_bad_user_rule_file(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[[rule]]\nname = 'x'\nregex = '(unclosed'\nvalue = 'x'\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="bad regex"):
        load_rules(f)


def test_corpus_phrases():
    text = (
        "The 1950-1953 Korean War. In June 2019 they met at the border, back in 2019. "
        "Maybe not in year one. In October, talks failed. Four decades of distrust."
    )
    df = dprkbrief.tag_dates(text, dct="2019-11-15")
    got = dict(zip(df["text"], df["value"]))
    assert got["1950"] == "1950" and got["1953"] == "1953"
    assert got["June 2019"] == "2019-06"
    assert got["2019"] == "2019"
    assert got["October"] == "2019-10"
    assert got["Four decades"] == "P40Y"
    assert "year one" in got


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789 -/.,'$%aJunemonthyarlsdFebMy")), max_size=80)
)
def test_random_text_never_crashes_and_spans_are_exact(text):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DprkbriefWarning)
        recs = tag_dates_records(text, "2019-10-01")
    last = 0
    for r in recs:
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["start"] >= last
        last = r["end"]


def test_every_example_match_contains_a_trigger_word():
    """The engine only scans text near trigger words (the rule's own ``triggers`` if it has
    them); every match of every rule example must contain one."""
    from dprkbrief.temporal.tagger import _TOKEN, _ruleset

    rs = _ruleset()
    by_name = {r.name: r for r in rs.rules}
    exs = [ex for entry in PATTERNS["rule"] for ex in entry["examples"] if not ex.get("none")]
    for ex in exs:
        recs = tag_dates_records(ex["text"], ex.get("dct"))
        for i, r in enumerate(recs):
            rule = by_name[r["rule"]]
            keys = rule.triggers or (rs.trigger.words | {"#", "#4"})
            start, end = r["start"], r["end"]
            if rule.end_value:  # a range is one match split in two records: check it whole
                for o in recs[max(0, i - 1) : i + 2]:
                    if o["rule"] == r["rule"] and abs(o["start"] - r["start"]) < 40:
                        start, end = min(start, o["start"]), max(end, o["end"])
            text = ex["text"][start:end]
            toks = [
                ("#4" if len(t) == 4 else "#") if t.isdigit() else t.lower()
                for t in _TOKEN.findall(text)
            ]
            assert any(t in keys for t in toks), (r, sorted(keys)[:10])


def test_trigger_windows_do_not_change_the_result():
    """Per-rule trigger windows are an optimisation only: same records when every rule
    scans the whole text."""
    import dataclasses

    text = (
        "On Friday, Oct. 23, 1998, two years ago, the third-quarter results came; in "
        "recent years, next November, Dec 26, 2024, 6 Mar 2023, the 1990s, every year "
        "since 1950-1953, last Thanksgiving, at 10 p.m. Wednesday, now and recently; "
        "four decades; Article 2019; a year earlier; tonight; each Monday; weekly."
    )
    fast = tag_dates_records(text, "1999-01-01")
    slow_rules = dataclasses.replace(load_rules(), trigger=None)
    slow = tag_dates_records(text, "1999-01-01", dates=slow_rules)
    assert fast == slow and len(fast) >= 20


def test_guarded_rules_match_like_unguarded():
    """The first-character guard is an optimisation only: same records without it."""
    import dataclasses
    import re

    text = (
        "On Friday, Oct. 23, 1998, two years ago, the third-quarter results came; "
        "next November, in the 1990s, every year since 1950-1953, now and recently."
    )
    rules = load_rules()
    plain_rules = []
    for rule in rules.rules:
        pattern = rule.regex.pattern
        assert pattern.startswith(("(?=[", "(?<![\\w])")), pattern[:20]
        plain = re.compile(pattern[pattern.index("(?<![\\w])") :], rule.regex.flags)
        plain_rules.append(dataclasses.replace(rule, regex=plain))
    guarded_share = sum(r.regex.pattern.startswith("(?=[") for r in rules.rules)
    plain_set = dataclasses.replace(rules, rules=plain_rules)
    guarded = tag_dates_records(text, "1999-01-01")
    assert guarded == tag_dates_records(text, "1999-01-01", dates=plain_set)
    assert len(guarded) >= 8 and guarded_share > len(rules.rules) // 2


def test_letters_whose_lower_case_is_longer_keep_offsets_exact():
    text = "İstanbul talks resumed on Dec 26, 2024 and İzmir followed last week."
    recs = tag_dates_records(text, "2025-01-10")
    assert [r["value"] for r in recs] == ["2024-12-26", "2025-W01"]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in recs)
