"""Linking sentences to catalog events: cues, the date check, and date intervals."""

from __future__ import annotations

import re
import warnings
from datetime import date

import pytest

import dprkbrief
from dprkbrief.errors import DprkbriefWarning, ParameterError
from dprkbrief.events import dates, linking
from dprkbrief.events.linking import LINK_COLUMNS, alias_regex, find_dates, link_events
from dprkbrief.resources import load_toml, resource_path


def ids(text, **kw):
    return list(link_events(text, **kw)["event_id"])


def test_alias_regex_is_flexible_about_spaces_hyphens_and_case():
    rx = re.compile(alias_regex("six-party talks"), re.I)
    assert rx.search("the Six Party  Talks resumed")
    assert rx.search("the six–party talks")
    assert not rx.search("the sixty-party talks")
    assert re.compile(alias_regex("the envoy's letter"), re.I).search("the envoy’s letter")


def test_columns_and_cue_offsets():
    text = "The Agreed Framework was signed in October 1994."
    df = link_events(text)
    assert list(df.columns) == LINK_COLUMNS
    row = df.iloc[0]
    assert row["event_id"] == "agreed_framework"
    assert text[row["cue_start"] : row["cue_end"]] == row["cue"] == "Agreed Framework"
    assert row["cue_kind"] == "alias"
    assert row["how"] == "explicit" and row["timex"] == "1994-10"


def test_how_catalog_without_a_date_and_relative_with_dct():
    df = link_events("He never forgot the Agreed Framework.")
    assert df.iloc[0]["how"] == "catalog" and df.iloc[0]["timex"] is None
    df = link_events("Last year the Kursk deployment began.", dct="2025-03-01")
    assert df.iloc[0]["how"] == "relative" and df.iloc[0]["timex"] == "2024"


def test_context_cue_needs_context_words_or_a_compatible_date():
    assert ids("Hanoi is a large city.") == []
    assert ids("The talks in Hanoi failed.") == ["hanoi_summit"]
    assert ids("They met in Hanoi in February 2019.") == ["hanoi_summit"]
    # an incompatible date in the sentence blocks a context cue
    assert ids("The talks in Hanoi in 2006 were about trade.") == []
    # ... but not an alias, which then links with the catalog date
    df = link_events("In 2025 the Hanoi summit still haunts diplomats.")
    assert list(df["how"]) == ["differs"] and list(df["timex"]) == ["2025"]


def test_context_words_may_come_from_the_paragraph():
    s = "It was cemented through the defense pact."
    assert ids(s) == []
    assert ids(s, context="Troops went to Russia. " + s) == ["russia_dprk_treaty"]


def test_dated_cue_needs_a_compatible_date():
    assert ids("A nuclear test would be a provocation.") == []
    assert ids("The nuclear test in September 2017 was the largest.") == ["nuclear_test_2017"]
    assert ids("The nuclear test in 2016 worried Seoul.") == [
        "nuclear_test_2016_jan",
        "nuclear_test_2016_sep",
    ]


def test_several_events_in_one_sentence():
    got = ids("From the Agreed Framework to the six-party talks, little held.")
    assert got == ["agreed_framework", "six_party_talks"]


def test_user_catalog_dataframe(tmp_path):
    from dprkbrief.events.catalog import load_events

    cat = load_events().query("event_id == 'agreed_framework'")
    assert ids("The Agreed Framework and the six-party talks.", events=cat) == ["agreed_framework"]


def test_bad_arguments():
    with pytest.raises(ParameterError, match="'text'"):
        link_events(None)
    with pytest.raises(ParameterError, match="'dct'"):
        link_events("x", dct=2019)


def test_find_dates_marks_relative_expressions():
    timexes, rejected = find_dates("In 1994 they signed; last year they met.", dct="2020-05-01")
    values = {t.value: t.relative for t in timexes}
    assert values["1994"] is False
    assert values["2019"] is True
    assert rejected == []


def test_implausible_and_impossible_dates_are_rejected(monkeypatch):
    rows = [
        {"start": 0, "end": 4, "text": "9999", "type": "DATE", "value": "9999", "mod": None},
        {"start": 5, "end": 9, "text": "x", "type": "DATE", "value": "2019-02-30", "mod": None},
        {"start": 0, "end": 4, "text": "now", "type": "DATE", "value": "PRESENT_REF"},
        {"start": 0, "end": 4, "text": "4 years", "type": "DURATION", "value": "P4Y"},
    ]
    monkeypatch.setattr(linking, "_tag", lambda text, dct=None, dates=None: rows)
    timexes, rejected = find_dates("9999 x", dct=None)
    assert timexes == [] and len(rejected) == 2


def test_find_dates_uses_the_temporal_tagger():
    timexes, rejected = find_dates("They met in June 2019 and again last year.", dct="2020-03-01")
    assert [(t.value, t.relative) for t in timexes] == [("2019-06", False), ("2019", True)]
    assert rejected == []


def test_date_intervals():
    assert dates.interval("2019") == (date(2019, 1, 1), date(2019, 12, 31))
    assert dates.interval("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert dates.interval("199") == (date(1990, 1, 1), date(1999, 12, 31))
    assert dates.interval("2019-Q2") == (date(2019, 4, 1), date(2019, 6, 30))
    assert dates.interval("2019-SU")[0] == date(2019, 6, 1)
    assert dates.interval("2019-W09")[0] == date(2019, 2, 25)
    assert dates.interval("2019-02-30") is None
    assert dates.interval("XXXX-10") is None and dates.interval(None) is None
    assert dates.overlaps(dates.interval("2019"), dates.interval("2019-02-28"))
    assert not dates.overlaps(dates.interval("2018"), dates.interval("2019-02"))


def test_bounds():
    assert dates.bound(1994, "start", upper=False) == date(1994, 1, 1)
    assert dates.bound("1994-10", "end", upper=True) == date(1994, 10, 31)
    for bad in (True, 1.5, "soon", 99999, "1994-13"):
        with pytest.raises(ParameterError, match="'start'"):
            dates.bound(bad, "start", upper=False)


def test_no_warning_for_plain_text():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DprkbriefWarning)
        assert ids("Nothing happened here at all.") == []


# --- the sentence's own date, exact dates, "the YEAR <kind>" (issue 12) ---------------------


def test_sentence_date_wins_over_the_catalog_date_and_both_are_kept():
    df = link_events("North Korean troops fought in Kursk on 5 March 2025.", dct="2025-03-20")
    r = df.set_index("event_id").loc["kursk_deployment"]
    assert (r["date"], r["precision"], r["event_date"], r["how"]) == (
        "2025-03-05",
        "day",
        "2024-10",
        "explicit",
    )


def test_a_coarser_agreeing_date_keeps_the_catalog_date():
    df = link_events("The Korean War (1950-1953) never ended.").set_index("event_id")
    assert (df.at["korean_war", "date"], df.at["korean_war", "timex"]) == ("1950-06-25", "1950")
    df = link_events("In June 2019 Trump stepped across the line at the DMZ meeting.")
    assert df.set_index("event_id").at["dmz_meeting", "date"] == "2019-06-30"


def test_a_date_naming_one_event_exactly_does_not_link_a_generic_cue_of_another():
    text = (
        "On September 3, 2017, North Korea conducted a nuclear test of a device it said "
        "could be mounted on an intercontinental ballistic missile."
    )
    assert list(link_events(text)["event_id"]) == ["nuclear_test_2017"]
    both = "They tested intercontinental ballistic missiles and held a nuclear test in 2017."
    assert set(link_events(both)["event_id"]) == {"icbm_tests_2017", "nuclear_test_2017"}


def test_alias_with_another_date_says_it_differs():
    df = link_events("The Agreed Framework collapsed in 2002.")
    r = df.set_index("event_id").loc["agreed_framework"]
    assert (r["how"], r["timex"], r["date"]) == ("differs", "2002", "1994-10-21")


_YK = load_toml(resource_path("events", "linking.toml"))["year_kind"]
_YK_CASES = [ex for entry in _YK for ex in entry["examples"]]


@pytest.mark.parametrize("ex", _YK_CASES, ids=[e["text"] for e in _YK_CASES])
def test_year_kind_examples(ex):
    df = link_events(ex["text"])
    yk = df[df["cue_kind"] == "year_kind"]
    if ex["event"]:
        assert ex["event"] in set(df["event_id"]), df
    else:
        assert yk.empty, yk


def test_year_kind_row():
    df = link_events("Critics of the 1994 deal say it bought time.")
    r = df.iloc[0]
    assert (r["event_id"], r["cue"], r["cue_kind"], r["how"], r["timex"]) == (
        "agreed_framework",
        "the 1994 deal",
        "year_kind",
        "explicit",
        "1994",
    )


def test_user_year_kind_rules(tmp_path):
    from dprkbrief.errors import RuleFileError
    from dprkbrief.events.linking import load_year_kinds

    path = tmp_path / "yk.toml"
    path.write_text('[[year_kind]]\nnouns = ["pact"]\ncategories = []\n')
    with pytest.raises(RuleFileError, match="year_kind"):
        load_year_kinds(path)


def test_dates_rules_reach_link_events(tmp_path):
    from dprkbrief.errors import DprkbriefError

    with pytest.raises(DprkbriefError, match="dates|patterns"):
        link_events("The Hanoi summit.", dates=tmp_path / "missing.toml")
    df = link_events("The Hanoi summit collapsed on February 28, 2019.", dates=None)
    assert df.iloc[0]["how"] == "explicit"


def test_time_expressions_give_their_day_only_with_a_part_of_the_day():
    timexes, _ = find_dates(
        "This morning Powell spoke. At 1:30 p.m. we detected a launch.", dct="2002-10-20"
    )
    assert [(t.text, t.value, t.precision) for t in timexes] == [
        ("This morning", "2002-10-20", "day")
    ]


_MK = [ex for e in _YK for ex in e.get("month_examples", [])]


@pytest.mark.parametrize("ex", _MK, ids=[ex["text"][:40] + ex["dct"] for ex in _MK])
def test_month_kind_examples(ex):
    from dprkbrief.events.linking import find_dates, month_kind_links, resolve_events

    _, compiled = resolve_events(None)
    timexes, _ = find_dates(ex["text"], ex["dct"])
    rows, used = month_kind_links(ex["text"], compiled, timexes, ex["dct"])
    assert [r["event_id"] for r in rows] == ([ex["event"]] if ex["event"] else [])
    if rows:  # the month's own timex (the tagger's nearest September) is replaced
        assert used and rows[0]["cue_kind"] == "month_kind" and rows[0]["how"] == "relative"


def test_month_kind_in_the_timeline_replaces_the_month_mention():
    tl = dprkbrief.timeline(
        dprkbrief.corpus_from_texts(
            {"h": "It involves the complete implementation of the September agreement.\n"},
            metadata={"h": {"date": "2006-11-29"}},
        )
    )
    assert list(zip(tl["event_id"], tl["date"])) == [("joint_statement_2005", "2005-09-19")]


_TERM = load_toml(resource_path("events", "linking.toml"))["term"]


@pytest.mark.parametrize("ex", _TERM["examples"], ids=[e["text"][:30] for e in _TERM["examples"]])
def test_term_examples(ex):
    import re as _re

    from dprkbrief.events.terms import term_period

    sents = _re.split(r"(?<=\.)\s+(?=[A-Z])", ex["text"])
    previous = None
    if len(sents) > 1:
        previous = term_period(sents[0], ex["dct"])[3]
    got = term_period(sents[-1], ex["dct"], previous=previous)
    assert (got[1] if got else "") == ex["value"]


def test_bad_term_rules_name_the_fix(tmp_path):
    from dprkbrief.errors import RuleFileError
    from dprkbrief.events.terms import load_term_rules

    path = tmp_path / "linking.toml"
    path.write_text("[term]\nperiod = '(unclosed'\noffice = 'x'\n")
    with pytest.raises(RuleFileError, match=r"\[term\] needs"):
        load_term_rules(str(path))
    path.write_text("[[year_kind]]\nnouns = ['pact']\ncategories = ['treaty']\n")
    assert load_term_rules(str(path)) is None


def test_term_rows_in_the_timeline():
    text = (
        "In its first six months, the Obama Administration met provocations with sanctions. "
        "In the later six months, the Administration responded with patience.\n\n"
        "In the later six months, nothing happened.\n"
    )
    tl = dprkbrief.timeline(
        dprkbrief.corpus_from_texts({"t": text}, metadata={"t": {"date": "2010-03-23"}})
    )
    assert list(zip(tl["date"], tl["cue_kind"], tl["how"])) == [
        ("2009", "term", "relative"),
        ("2009", "term", "relative"),
    ]  # the third paragraph's "later six months" follows nothing
    for r in tl.itertuples():
        assert text[r.cue_start : r.cue_end] == r.cue


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # a clock time with a time zone reports when something happened: that day
        ("At about 4:15 p.m. Eastern Standard Time, radar picked up the launch.", ["2017-11-28"]),
        ("The missile flew at 3 a.m. local time.", ["2017-11-28"]),
        ("It landed at 9 a.m. GMT.", ["2017-11-28"]),
        # a bare clock time is no dated mention; a date line's clock belongs to its date
        ("We meet at 3 p.m. to talk.", []),
        ("03/23/2010 05:12 am ET Updated May 25, 2011", ["2010-03-23", "2011-05-25"]),
    ],
)
def test_find_dates_takes_the_day_of_a_zoned_clock_time(text, dates):
    assert [t.value for t in find_dates(text, "2017-11-28")[0]] == dates


def test_a_zoned_clock_time_after_a_local_day_is_the_zones_day():
    text = (
        "North Korea fired a missile early Wednesday local time.\n"
        "“At about 4:15 p.m. Eastern Standard Time, radar picked up the launch,” he said. "
        "“We saw it at 3 a.m. local time,” an official in Seoul said."
    )
    got = [t.value for t in find_dates(text, "2017-11-28")[0]]
    assert got == ["2017-11-29", "2017-11-28", "2017-11-29"]
