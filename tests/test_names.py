"""Person names: titles (data examples), matching keys, short forms, bylines."""

from __future__ import annotations

import pytest

from dprkbrief import names
from dprkbrief.resources import load_toml, resource_path
from dprkbrief.segment.blocks import load_structure

TITLE_EXAMPLES = load_toml(resource_path("people", "titles.toml"))["example"]


@pytest.mark.parametrize("ex", TITLE_EXAMPLES, ids=[e["text"] for e in TITLE_EXAMPLES])
def test_titles_examples(ex):
    assert names.split_title(ex["text"]) == (ex["title"], ex["name"])


def test_title_alone_is_not_split():
    assert names.split_title("President") == ("", "President")
    assert names.strip_titles("Dr. Osei") == "Osei"


@pytest.mark.parametrize(
    "a,b",
    [
        ("Kim Jong Un", "Kim Jong-un"),
        ("KIM JONG UN", "Kim Jong Un"),
        ("Moon Jae-in", "Moon Jae In"),
        ("Dr. Jane Roe", "Jane Roe"),
    ],
)
def test_name_key_unifies_spellings(a, b):
    assert names.name_key(a) == names.name_key(b)


def test_name_key_keeps_different_people_apart():
    assert names.name_key("Kim Jong Un") != names.name_key("Kim Jong Il")


def test_short_forms():
    assert names.possible_short_forms("Lloyd Austin") == {"austin"}
    assert "moon" in names.possible_short_forms("Moon Jae-in")
    assert names.possible_short_forms("Kim") == set()


def test_canonical_name():
    assert names.canonical_name("DR. MIN-JUN PARK") == "Dr. Min-Jun Park"


@pytest.mark.parametrize(
    "line,expected",
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe, Nordic Institute, 12 June 2021", ["Jane Doe"]),
        ("Author: Jane Doe", ["Jane Doe"]),
        ("By the end of the year, talks had stalled.", []),
    ],
)
def test_byline_names(line, expected):
    assert names.byline_names(load_structure(), line) == expected
