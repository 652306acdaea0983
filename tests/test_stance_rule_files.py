"""A user's stance, hedge and horizon files reach stance, statements, positions and forecasts."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.resources import resource_path
from dprkbrief.resources.bundle import RULE_KINDS, Resources, as_resources

TEXT = """Summit outlook

By Ann Lee

A summit will happen next year. The talks might resume soon.
"""


@pytest.fixture(scope="module")
def corpus():
    return dprkbrief.corpus_from_texts({"d": TEXT}, metadata={"d": {"date": "2024-03-01"}})


@pytest.fixture()
def no_summit(tmp_path):
    """The packaged stance lexicon plus a rule that no sentence on a summit is a forecast and
    that it carries no stance (a user's [[skip]] and [[forward]] entries)."""
    path = tmp_path / "my_stance.toml"
    extra = (
        "\n[[skip]]\nkind = \"formula\"\npattern = '\\bsummit\\b'\n"
        '\n[[forward]]\nkind = "not_forecast"\nwhy = "mine"\npattern = \'\\bsummit\\b\'\n'
    )
    path.write_text(resource_path("lexicons", "stance.toml").read_text("utf-8") + extra, "utf-8")
    return path


def test_kinds_are_registered():
    for kind in ("stance", "hedges", "horizons"):
        assert kind in RULE_KINDS and RULE_KINDS[kind].packaged.exists()
        Resources().load_rules(kind)  # the loader accepts the packaged file


def test_user_stance_file_reaches_stance_positions_and_forecasts(corpus, no_summit):
    assert "summit" in set(dprkbrief.stance(corpus)["topic"])
    assert "summit" not in set(dprkbrief.stance(corpus, lexicon=no_summit)["topic"])
    quotes = list(dprkbrief.forecasts(corpus)["quote"])
    assert any("summit" in q for q in quotes)
    mine = dprkbrief.forecasts(corpus, rules={"stance": no_summit})
    assert list(mine["quote"]) == ["The talks might resume soon."]
    assert "summit" in set(dprkbrief.positions(corpus)["topic"])
    assert "summit" not in set(dprkbrief.positions(corpus, rules={"stance": no_summit})["topic"])


def test_user_hedge_file_reaches_certainty_everywhere(corpus, tmp_path):
    text = resource_path("lexicons", "hedges.toml").read_text("utf-8")
    assert "default_certainty = 0.75" in text
    path = tmp_path / "my_hedges.toml"
    path.write_text(text.replace("default_certainty = 0.75", "default_certainty = 0.9"), "utf-8")
    res = as_resources({"hedges": path})
    st = dprkbrief.statements(corpus, rules=res)
    plain = st[st["quote"] == "A summit will happen next year."].iloc[0]
    assert plain["certainty"] == pytest.approx(0.9)
    fc = dprkbrief.forecasts(corpus, rules=res).set_index("quote")
    assert fc.loc["A summit will happen next year.", "certainty"] == pytest.approx(0.9)
    pos = dprkbrief.positions(corpus, rules=res)
    assert pos.loc[pos["topic"] == "summit", "certainty"].iloc[0] == pytest.approx(0.9)


def test_cli_passes_the_stance_file(tmp_path, no_summit, capsys):
    from dprkbrief.cli import main

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "d.txt").write_text(TEXT, encoding="utf-8")
    assert main(["forecasts", str(tmp_path / "docs"), "--format", "csv"]) == 0
    assert "A summit will happen" in capsys.readouterr().out
    args = ["forecasts", str(tmp_path / "docs"), "--stance", str(no_summit), "--format", "csv"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "A summit will happen" not in out and "talks might resume" in out


def test_bad_rules_argument():
    with pytest.raises(dprkbrief.errors.ParameterError, match="'rules'"):
        as_resources(["stance.toml"])


def test_rules_as_notebook_parameter(no_summit):
    res = as_resources([f"stance={no_summit}"])
    assert res.rule_path("stance") == str(no_summit.resolve())
    assert as_resources([]) is as_resources(None)
