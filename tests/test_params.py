"""Notebook parameters: reading the parameters cell, typing and validating values."""

from __future__ import annotations

from pathlib import Path

import pytest

from dprkbrief.errors import ParameterError
from dprkbrief.runner.params import (
    expand_grid,
    load_params_file,
    notebook_parameters,
    parse_parameters_source,
    resolve_value,
    validate_parameters,
)

FIXTURES = Path(__file__).parent / "fixtures"
GREET = FIXTURES / "notebooks" / "greet.ipynb"


def test_notebook_parameters_lists_names_types_defaults():
    table = notebook_parameters(GREET)
    assert list(table.columns) == ["name", "type", "default", "line"]
    assert table["name"].tolist() == ["name", "repeat", "ratio", "shout", "items"]
    assert table["type"].tolist() == ["str", "int", "float", "bool", "list"]
    assert table.loc[table["name"] == "items", "default"].iloc[0] == ["a", "b"]


def test_parameters_cell_must_hold_plain_literals():
    assert [p.name for p in parse_parameters_source("# comment\nx = 1\ny: str = 'a'")] == [
        "x",
        "y",
    ]
    with pytest.raises(ParameterError, match="not a plain literal"):
        parse_parameters_source("x = len('abc')")
    with pytest.raises(ParameterError, match="only 'name = literal'"):
        parse_parameters_source("import os")
    with pytest.raises(ParameterError, match="type dict"):
        parse_parameters_source("x = {'a': 1}")


@pytest.mark.parametrize(
    ("text", "value"),
    [("True", True), ("False", False), ("None", None), ("3", 3), ("2.5", 2.5), ("abc", "abc")],
)
def test_resolve_value_types_like_papermill(text, value):
    got = resolve_value(text)
    assert got == value and type(got) is type(value)


def test_validate_accepts_matching_types_and_converts_int_to_float():
    got = validate_parameters(GREET, {"name": "x", "repeat": 4, "ratio": 1, "items": ("z",)})
    assert got == {"name": "x", "repeat": 4, "ratio": 1.0, "items": ["z"]}
    assert type(got["ratio"]) is float


def test_unknown_parameter_lists_the_notebook_parameters():
    with pytest.raises(ParameterError) as err:
        validate_parameters(GREET, {"nmae": "x"})
    msg = str(err.value)
    assert "unknown parameter 'nmae'" in msg
    assert "name: str = 'world'" in msg and "repeat: int = 2" in msg and "shout: bool" in msg


@pytest.mark.parametrize(
    ("name", "value"), [("repeat", "three"), ("repeat", True), ("shout", 1), ("name", 3)]
)
def test_wrong_type_is_rejected_with_the_expected_type(name, value):
    with pytest.raises(ParameterError, match=f"invalid type for parameter '{name}'"):
        validate_parameters(GREET, {name: value})


def test_missing_notebook_is_a_clear_error(tmp_path):
    with pytest.raises(ParameterError, match="does not exist"):
        validate_parameters(tmp_path / "nope.ipynb", {})
    bad = tmp_path / "bad.ipynb"
    bad.write_text("not json")
    with pytest.raises(ParameterError, match="not a valid .ipynb"):
        notebook_parameters(bad)


def test_params_file_keeps_yaml_types(tmp_path):
    assert load_params_file(FIXTURES / "params" / "greet.yaml") == {"ratio": 1.5, "repeat": 3}
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(ParameterError, match="must be a mapping"):
        load_params_file(tmp_path / "list.yaml")
    (tmp_path / "broken.yaml").write_text("a: [1,\n")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load_params_file(tmp_path / "broken.yaml")
    with pytest.raises(ParameterError, match="does not exist"):
        load_params_file(tmp_path / "missing.yaml")


def test_expand_grid_gives_every_combination():
    combos = expand_grid({"a": [1, 2], "b": ["x", "y", "z"], "c": True})
    assert len(combos) == 6
    assert combos[0] == {"a": 1, "b": "x", "c": True}
    assert combos[-1] == {"a": 2, "b": "z", "c": True}
    with pytest.raises(ParameterError, match="has no values"):
        expand_grid({"a": []})


def test_list_parameters_from_the_command_line_point_to_yaml():
    with pytest.raises(ParameterError, match="give lists in a --params YAML file"):
        validate_parameters(GREET, {"items": "a,b"})
