"""Resources: rule files in force, fingerprints, pickling without loaded objects."""

from __future__ import annotations

import pickle

import pytest

import dprkbrief
from dprkbrief.errors import ParameterError, RuleFileError
from dprkbrief.resources import RESOURCES
from dprkbrief.resources.bundle import RULE_KINDS, Resources


def test_defaults_name_packaged_files_and_fingerprint_them():
    res = dprkbrief.Resources()
    assert set(res.rules) == set(RULE_KINDS)
    assert res.rules["titles"] == str((RESOURCES / "people" / "titles.toml").resolve())
    assert all(len(v) == 64 for v in res.fingerprints.values())
    assert res.model_info.ident == "en_core_web_sm-3.8.0"


def test_user_rule_file_reaches_loader_and_changes_fingerprint(tmp_path):
    mine = tmp_path / "titles.toml"
    mine.write_text('honorifics = ["Comrade"]\nroles = ["Marshal"]\nmodifiers = []\n')
    base = Resources()
    res = Resources(rules={"titles": str(mine)})
    assert res.fingerprints["titles"] != base.fingerprints["titles"]
    assert res.fingerprint != base.fingerprint
    assert res.parse_fingerprint == base.parse_fingerprint  # titles do not shape the parse
    assert "comrade" in res.load_rules("titles").honorifics
    assert res.load_rules("titles") is res.load_rules("titles")


def test_pickle_drops_loaded_objects_and_keeps_settings():
    res = Resources()
    res.load_rules("titles")
    clone = pickle.loads(pickle.dumps(res))
    assert clone._loaded == {}
    assert clone.rules == res.rules and clone.fingerprints == res.fingerprints
    assert clone.load_rules("titles").honorifics == res.load_rules("titles").honorifics


def test_bad_settings_are_clear_errors(tmp_path):
    with pytest.raises(ParameterError, match="invalid rule kind.*'colours'"):
        Resources(rules={"colours": "x.toml"})
    with pytest.raises(RuleFileError, match="rule file for 'titles' not found"):
        Resources(rules={"titles": str(tmp_path / "missing.toml")})
    with pytest.raises(ParameterError, match="'language'"):
        Resources(language="ko")
    with pytest.raises(ParameterError, match="'kind'"):
        Resources().load_rules("colours")
