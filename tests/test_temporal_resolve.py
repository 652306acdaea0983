"""Tests of the tagger's phases (rules, matching, resolving), the calendar module, news-mode
tense, genres, recurring events and a user's own date rules reaching every step."""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pytest

from dprkbrief import calendar as cal
from dprkbrief.errors import DprkbriefWarning, ParameterError, RuleFileError
from dprkbrief.resources import load_toml, resource_path
from dprkbrief.temporal.match import match_dates
from dprkbrief.temporal.regexinfo import first_chars
from dprkbrief.temporal.rules import DateRules, load_dates
from dprkbrief.temporal.tagger import tag_dates, tag_dates_records

RECURRING = load_toml(resource_path("dates", "recurring.toml"))


def _values(text: str, dct, **kw) -> list[str]:
    return [r["value"] for r in tag_dates_records(text, dct, **kw)]


# --------------------------------------------------------------------------- recurring events


def _recurring_examples() -> list:
    return [
        pytest.param(ex, id=f"{e['name']}:{ex['text'][:40]}")
        for e in RECURRING["recurring"]
        for ex in e["examples"]
    ]


@pytest.mark.parametrize("ex", _recurring_examples())
def test_recurring_examples(ex):
    recs = [r for r in tag_dates_records(ex["text"], ex["dct"]) if r["rule"].startswith("recur")]
    if ex.get("none"):
        assert recs == [], recs
        return
    assert [r["value"] for r in recs] == [ex["value"]], (ex, recs)
    for r in recs:
        assert ex["text"][r["start"] : r["end"]] == r["text"]


def test_recurring_entries_have_sources_and_examples():
    for e in RECURRING["recurring"]:
        assert e.get("source") and e.get("examples"), e["name"]


def test_inauguration_in_december_of_an_election_year_is_the_january_after():
    for year in (2016, 2020, 2024):
        got = _values("No deal is expected before the inauguration.", f"{year}-12-10")
        assert got == [f"{year + 1}-01-20"]


def test_recurring_without_dct_stays_underspecified():
    assert _values("It waited until after the inauguration.", None) == ["XXXX-XX-XX"]


def test_bad_recurring_file_names_the_fix(tmp_path):
    bad = tmp_path / "recurring.toml"
    bad.write_text('[[recurring]]\nname = "x"\nregex = "the x"\ntriggers = ["x"]\n')
    with pytest.raises(RuleFileError, match="every"):
        load_dates(recurring=bad)
    bad.write_text(
        '[[recurring]]\nname = "x"\nregex = "the x"\ntriggers = ["x"]\nevery = { years = 4 }\n'
    )
    with pytest.raises(RuleFileError, match="month"):
        load_dates(recurring=bad)
    bad.write_text(
        '[[recurring]]\nname = "x"\nregex = "the x"\ntriggers = ["x"]\ndates = ["2021-13-05"]\n'
    )
    with pytest.raises(RuleFileError, match="2021-13-05"):
        load_dates(recurring=bad)


# --------------------------------------------------------------------------- news-mode tense


@pytest.mark.parametrize(
    ("text", "dct", "value"),
    [
        # a piece dated Wednesday 2019-02-27
        ("On Thursday, the leaders will have to get down to business.", "2019-02-27", "2019-02-28"),
        ("The leaders met on Thursday.", "2019-02-27", "2019-02-21"),
        ("The leaders will meet on Wednesday.", "2019-02-27", "2019-02-27"),
        ("The leaders will meet next Wednesday.", "2019-02-27", "2019-03-06"),
        ("The leaders met on Monday.", "2019-02-27", "2019-02-25"),
        ("The summit will open on Monday.", "2019-02-27", "2019-03-04"),
        ("Two years ago the treaty was signed.", "2019-06-05", "2017"),
        ("Talks will resume in January.", "2019-11-15", "2020-01"),
        ("Talks resumed in December.", "2019-11-15", "2018-12"),
    ],
)
def test_news_mode_tense(text, dct, value):
    assert _values(text, dct) == [value]


def test_narrative_genre_counts_from_the_last_stated_date():
    text = "On June 12, 2018, Kim met Trump in Singapore. On Thursday, Kim flew home."
    assert _values(text, "2019-02-27", genre="narrative") == ["2018-06-12", "2018-06-14"]
    news = _values(text, "2019-02-27", genre="news")
    assert news[0] == "2018-06-12" and news[1] != "2018-06-14"
    with pytest.raises(ParameterError, match="genre"):
        tag_dates_records(text, "2019-02-27", genre="poetry")


def test_dct_out_of_calendar_range_warns_and_never_gives_year_10000():
    with pytest.warns(DprkbriefWarning, match="9999-12-31"):
        got = _values("Talks resume next year.", "9999-12-31")
    assert got == ["XXXX"]
    with pytest.warns(DprkbriefWarning, match="1000-2999"):
        assert _values("Talks resume next year.", dt.date(9999, 12, 31)) == ["XXXX"]


# --------------------------------------------------------------------------- phases


def test_matching_emits_underspecified_values():
    dr = load_dates()
    text = "On Thursday the envoy arrived; two years ago talks failed; on 2019-02-28 they met."
    got = [(text[m.start : m.end], m.value) for m in match_dates(text, dr)]
    assert got == [
        ("Thursday", "weekday(4, tense)"),
        ("two years ago", "ref(Y, -2)"),
        ("2019-02-28", "2019-02-28"),
    ]


def test_first_chars_reads_patterns():
    assert first_chars(r"(?:Jan|Feb)\.?\s+\d") == {"J", "F"}
    assert first_chars(r"(?<![\w])(?:\d{4})") == set("0123456789")
    assert first_chars(r"(?-i:May|June)|(?P<x>[a-c])") == {"M", "J", "a", "b", "c"}
    assert first_chars(r"a?b") == {"a", "b"}
    for unknown in (r"\w+", r".x", r"[^a]b", r"a?", r"(a)\1"):
        assert first_chars(unknown) is None, unknown


def test_every_rule_guard_admits_its_example_matches():
    """The guard of each rule holds the first character of every example it tags."""
    dr = load_dates()
    by_name = {r.name: r for r in dr.rules}
    patterns = load_toml(resource_path("dates", "patterns.toml"))
    for entry in patterns["rule"]:
        for ex in entry["examples"]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DprkbriefWarning)
                recs = tag_dates_records(ex["text"], ex.get("dct"))
            for r in recs:
                m = re.match(r"\(\?=\[(.*?)\]\)", by_name[r["rule"]].regex.pattern)
                rule = by_name[r["rule"]]
                if m and r["rule"] == entry["name"] and r["mod"] is None and not rule.end_value:
                    assert re.match(f"[{m.group(1)}]", r["text"]), (r, m.group(1))


# --------------------------------------------------------------------------- calendar


def test_calendar_arithmetic_and_precision():
    assert cal.add_months(dt.date(2019, 1, 31), 1) == dt.date(2019, 2, 28)
    assert cal.add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert cal.add_months(dt.date(2019, 11, 15), -23) == dt.date(2017, 12, 15)
    assert cal.add_months(dt.date(2999, 12, 1), 1) is None
    assert cal.add_days(dt.date(2999, 12, 31), 1) is None
    assert cal.valid_date(2020, 2, 29) and not cal.valid_date(2019, 2, 29)
    assert not cal.valid_date(999, 1, 1)
    assert cal.parse_iso("2019-10") == (dt.date(2019, 10, 1), "month")
    assert cal.parse_iso("1998-08-07T06:18:00") == (dt.date(1998, 8, 7), "day")
    assert cal.parse_iso("9999-12-31") is None and cal.parse_iso("2019-02-30") is None
    assert cal.iso_week(dt.date(2019, 2, 27)) == "2019-W09"
    assert cal.nth_weekday_on_or_after(2020, 11, 2, 2) == dt.date(2020, 11, 3)
    expected = {
        "2019-02-28": "day",
        "2019-02": "month",
        "2019": "year",
        "2019-Q3": "quarter",
        "2019-SU": "season",
        "2019-W09": "week",
        "199": "decade",
        "19": "century",
        "2019-02-28T10:00": "time",
        "PRESENT_REF": None,
        "P2Y": None,
    }
    assert {v: cal.precision_of(v) for v in expected} == expected


def test_weekday_shift_modes():
    wed = dt.date(2019, 2, 27)
    assert cal.weekday_shift(wed, 4, "next") == 1
    assert cal.weekday_shift(wed, 3, "next") == 0
    assert cal.weekday_shift(wed, 3, "nextweek") == 7
    assert cal.weekday_shift(wed, 4, "last") == -6
    assert cal.weekday_shift(wed, 3, "lastweek") == -7
    assert cal.weekday_shift(wed, 1, "near") == -2


def test_catalog_and_forecasts_use_the_calendar():
    from dprkbrief.analysis import forecasts
    from dprkbrief.corpus import catalog

    assert catalog.precision_of("2019-10") == "month" and catalog.precision_of(None) is None
    assert forecasts._dct("2019-10") == dt.date(2019, 10, 1)
    terms = forecasts._catalog_terms()
    assert (dt.date(2017, 1, 20), dt.date(2021, 1, 20)) in terms
    h = forecasts.resolve_horizons("before the end of the first term", "2022-03-01")
    assert h[0]["end"] == "2025-01-20"


# --------------------------------------------------------------------------- user rules


@pytest.fixture
def user_patterns(tmp_path):
    shipped = resource_path("dates", "patterns.toml").read_text(encoding="utf-8")
    extra = """
[[rule]]
name = "two_moons"
triggers = ["moons"]
regex = 'two\\s+moons\\s+hence'
value = "ref(M, 2)"
examples = [{ text = "two moons hence", dct = "2019-02-27", value = "2019-04" }]
"""
    path = tmp_path / "my_patterns.toml"
    path.write_text(shipped + extra, encoding="utf-8")
    return path


def test_user_rule_file_as_path_or_loaded_object(user_patterns):
    text = "Talks will resume two moons hence."
    assert _values(text, "2019-02-27") == []
    assert _values(text, "2019-02-27", dates=user_patterns) == ["2019-04"]
    dr = load_dates(user_patterns)
    assert isinstance(dr, DateRules) and str(user_patterns.resolve()) in dr.sources
    assert tag_dates(text, "2019-02-27", dates=dr)["value"].tolist() == ["2019-04"]
    assert _values(text, "2019-02-27", rules=user_patterns) == ["2019-04"]  # former name


def test_user_rule_file_reaches_forecasts(user_patterns):
    from dprkbrief.analysis.forecasts import resolve_horizons

    text = "Kim will test a missile two moons hence."
    assert resolve_horizons(text, "2019-02-27") == []
    got = resolve_horizons(text, "2019-02-27", dates=load_dates(user_patterns))
    assert [h["text"] for h in got] == ["two moons hence"]


def test_bad_dates_argument_names_the_fix(tmp_path):
    with pytest.raises(ParameterError, match="no such file"):
        load_dates(tmp_path / "missing.toml")
    with pytest.raises(ParameterError, match="load_dates"):
        tag_dates_records("in 2019", dates=42)


def test_a_weekday_named_again_is_the_day_it_named_before():
    text = (
        "North Korea fired a missile early Wednesday local time. Before Wednesday's test, "
        "it had fired 22 missiles."
    )
    got = [r["value"] for r in tag_dates_records(text, dct="2017-11-28")]
    assert got == ["2017-11-29", "2017-11-29"]
    # an explicit "last Friday" in between moves the reference: a later bare Friday follows it
    text = "It will expire Friday. It mailed a notice last Friday. Shares fell on Friday."
    got = [r["value"] for r in tag_dates_records(text, dct="1989-10-30")]
    assert got == ["1989-11-03", "1989-10-27", "1989-10-27"]


def test_last_weekday_is_never_yesterday():
    assert cal.weekday_shift(dt.date(2010, 3, 23), 1, "lastnamed") == -8  # Tue -> Monday
    assert cal.weekday_shift(dt.date(2010, 3, 23), 5, "lastnamed") == -4  # Tue -> Friday
    assert cal.weekday_shift(dt.date(2010, 3, 22), 1, "lastnamed") == -7  # Mon -> Monday


def test_sentence_tense_reads_the_whole_sentence():
    from dprkbrief.temporal.resolve import sentence_tense

    dr = load_dates()
    assert sentence_tense("Both leaders expressed optimism.", dr)[0] == "past"
    assert sentence_tense("Then she was off to Tokyo.", dr)[1].group(0) == "was"
    assert sentence_tense("The talks will resume.", dr)[0] == "future"
    assert sentence_tense("The Singapore summit does remain very relevant.", dr) == (
        "present",
        None,
    )


def test_today_quoted_from_where_it_happened_is_the_local_day():
    text = (
        "North Korea fired a missile early Wednesday local time.\n"
        "“It fired a missile early this morning,” an official in Seoul said. "
        "Officials here spoke this morning."
    )
    got = [r["value"] for r in tag_dates_records(text, dct="2017-11-28")]
    assert got == ["2017-11-29", "2017-11-29TMO", "2017-11-28TMO"]
    # without a local-time date the quoted morning is the DCT's
    got = [r["value"] for r in tag_dates_records(text.split("\n", 1)[1], dct="2017-11-28")]
    assert got == ["2017-11-28TMO", "2017-11-28TMO"]
