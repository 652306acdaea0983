"""Tests of the ``dates`` and ``eval-timex`` commands."""

from __future__ import annotations

import json

from dprkbrief.cli import main


def test_dates_text_json(capsys):
    assert main(["dates", "--text", "Talks resumed in June 2019.", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["text"], r["value"]) for r in rows] == [("June 2019", "2019-06")]


def test_dates_corpus_uses_document_dates(capsys):
    from conftest import CORPUS

    assert main(["dates", str(CORPUS), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("doc_id,start,end,text,type,value,precision,mod")
    assert "next November" in out and "2020-11" in out


def test_dates_bad_dct_warns(capsys):
    assert main(["dates", "--text", "In October.", "--dct", "soon"]) == 0
    captured = capsys.readouterr()
    assert "XXXX-10" in captured.out
    assert "warning" in captured.err and "dct" in captured.err


def test_eval_timex(tmp_path, capsys):
    (tmp_path / "a.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2019-10-01">x</TIMEX3></DCT>'
        '<TEXT>They met <TIMEX3 tid="t1" type="DATE" value="2018">last year</TIMEX3>.'
        "</TEXT></TimeML>",
        encoding="utf-8",
    )
    assert main(["eval-timex", str(tmp_path), "--errors", "all", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "relaxed_f1,1.0" in out and "value_f1,1.0" in out


def test_eval_timex_missing_path(tmp_path, capsys):
    assert main(["eval-timex", str(tmp_path / "nope")]) == 2
    assert "'paths'" in capsys.readouterr().err


def test_dates_command_takes_a_user_rule_file_and_genre(tmp_path, capsys):
    from dprkbrief.resources import resource_path

    shipped = resource_path("dates", "patterns.toml").read_text(encoding="utf-8")
    extra = (
        '\n[[rule]]\nname = "two_moons"\ntriggers = ["moons"]\n'
        "regex = 'two\\s+moons\\s+hence'\nvalue = \"ref(M, 2)\"\n"
        'examples = [{ text = "two moons hence", dct = "2019-02-27", value = "2019-04" }]\n'
    )
    mine = tmp_path / "mine.toml"
    mine.write_text(shipped + extra, encoding="utf-8")
    text = "They meet two moons hence."
    args = ["dates", "--text", text, "--dct", "2019-02-27", "--format", "csv"]
    assert main([*args, "--dates", str(mine)]) == 0
    assert "2019-04" in capsys.readouterr().out
    assert main(args) == 0
    assert "2019-04" not in capsys.readouterr().out
    story = "On June 12, 2018, Kim met Trump. On Thursday, Kim flew home."
    assert main(["dates", "--text", story, "--dct", "2019-02-27", "--genre", "narrative"]) == 0
    assert "2018-06-14" in capsys.readouterr().out
