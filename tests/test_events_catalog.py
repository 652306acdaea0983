"""The event catalog: the shipped file's content, every example, and malformed user files."""

from __future__ import annotations

import pandas as pd
import pytest

from dprkbrief.errors import ParameterError, RuleFileError
from dprkbrief.events import dates
from dprkbrief.events.catalog import ERA_COLUMNS, EVENT_COLUMNS, load_eras, load_events
from dprkbrief.events.linking import link_events

EVENTS = load_events()
REQUIRED = {
    "korean_war",
    "armistice",
    "pueblo_seizure",
    "pueblo_crew_release",
    "agreed_framework",
    "six_party_talks",
    "nuclear_test_2006",
    "nuclear_test_2009",
    "nuclear_test_2013",
    "nuclear_test_2016_jan",
    "nuclear_test_2016_sep",
    "nuclear_test_2017",
    "icbm_tests_2017",
    "singapore_summit",
    "hanoi_summit",
    "dmz_meeting",
    "stockholm_talks",
    "russia_dprk_treaty",
    "kursk_deployment",
    "us_election_2016",
    "us_election_2020",
    "us_election_2024",
    "us_inauguration_2017",
    "us_inauguration_2021",
    "us_inauguration_2025",
}


def test_shipped_catalog_has_the_required_events_sorted_by_date():
    assert list(EVENTS.columns) == EVENT_COLUMNS
    assert REQUIRED <= set(EVENTS["event_id"])
    starts = [dates.interval(v)[0] for v in EVENTS["date_start"]]
    assert starts == sorted(starts)
    for r in EVENTS.itertuples():
        assert dates.precision_of(r.date) == r.precision
        assert dates.interval(r.date_start)[0] <= dates.interval(r.date_end)[1]
        assert r.description and r.examples


def test_spans_and_points():
    row = EVENTS.set_index("event_id")
    assert row.at["korean_war", "date_end"] == "1953-07-27"
    assert row.at["pueblo_seizure", "date_start"] == row.at["pueblo_seizure", "date_end"]


def _cases(key):
    return [
        pytest.param(r.event_id, ex, id=f"{r.event_id}:{ex['text'][:40]}")
        for r in EVENTS.itertuples()
        for ex in getattr(r, key)
    ]


@pytest.mark.parametrize("event_id,example", _cases("examples"))
def test_every_example_links_to_its_event(event_id, example):
    found = link_events(example["text"], dct=example["dct"], context=example["context"])
    assert event_id in set(found["event_id"]), found


@pytest.mark.parametrize("event_id,example", _cases("counter_examples"))
def test_no_counter_example_links_to_its_event(event_id, example):
    found = link_events(example["text"], dct=example["dct"], context=example["context"])
    assert event_id not in set(found["event_id"]), found


def test_eras_are_ordered_and_cover_1950_to_today():
    eras = load_eras()
    assert list(eras.columns) == ERA_COLUMNS
    assert eras["date_start"].iloc[0] == "1950"
    assert int(eras["date_end"].iloc[-1]) >= 2025


GOOD = """# test catalog
[[event]]
id = "harbour_opening"
label = "Harbour opening"
date = "2008-05"
precision = "month"
category = "economy"
description = "A harbour opens."
aliases = ["harbour opening"]
examples = ["The harbour opening drew crowds."]
"""


def _write(tmp_path, text, name="cat.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_user_catalog_is_loaded_and_has_no_eras(tmp_path):
    p = _write(tmp_path, GOOD)
    ev = load_events(p)
    assert list(ev["event_id"]) == ["harbour_opening"]
    assert ev.at[0, "date_end"] == "2008-05"
    assert load_events(ev) is ev
    assert load_eras(str(p)).empty


@pytest.mark.parametrize(
    "change,message",
    [
        (('date = "2008-05"', 'date = "May 2008"'), "not an ISO date"),
        (('date = "2008-05"', 'date = "2008-13"'), "impossible date"),
        (('precision = "month"', 'precision = "day"'), "does not match"),
        (('id = "harbour_opening"', 'id = "Harbour Opening"'), "lowercase"),
        (('aliases = ["harbour opening"]', "aliases = []"), "no cue"),
        (('aliases = ["harbour opening"]', "patterns = ['(unclosed']"), "does not compile"),
        (('aliases = ["harbour opening"]', "context_cues = ['harbour']"), "requires"),
        (('examples = ["The harbour opening drew crowds."]', "examples = []"), "example"),
        (('label = "Harbour opening"\n', ""), "lacks required key"),
        (('date = "2008-05"', 'date = "2008-05'), "not valid TOML"),
    ],
)
def test_malformed_catalog_names_file_and_entry(tmp_path, change, message):
    p = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleFileError) as err:
        load_events(p)
    assert message in str(err.value)
    assert "cat.toml" in str(err.value)


def test_duplicate_ids_and_empty_catalog(tmp_path):
    with pytest.raises(RuleFileError, match="appears twice"):
        load_events(_write(tmp_path, GOOD + GOOD.replace("# test catalog", "")))
    with pytest.raises(RuleFileError, match="no \\[\\[event\\]\\]"):
        load_events(_write(tmp_path, "# empty\n", "empty.toml"))


def test_bad_events_argument():
    with pytest.raises(ParameterError, match="catalog file not found"):
        load_events("no/such/catalog.toml")
    with pytest.raises(ParameterError, match="'events'"):
        load_events(42)
    with pytest.raises(ParameterError, match="lacks column"):
        load_events(pd.DataFrame({"event_id": ["x"]}))
