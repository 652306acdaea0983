"""Tests of the TimeML reader and the TempEval-3 scorer (plus the targets on the real data)."""

from __future__ import annotations

from pathlib import Path

import pytest

import dprkbrief
from dprkbrief.errors import ParameterError
from dprkbrief.temporal.timeml import match_timexes, read_timeml, score_docs

SHARED = Path(__file__).resolve().parents[2] / "shared"
TBAQ = SHARED / "data" / "tempeval3" / "TBAQ-cleaned"

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-10" functionInDocument="CREATION_TIME">1998-08-10</TIMEX3></DCT>
<TEXT>
Talks &amp; bombs <EVENT eid="e1">exploded</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3>, and <TIMEX3 tid="t2" type="DATE" value="1997">last year</TIMEX3> too; he waited <TIMEX3 tid="t3" type="DURATION" value="P2Y">two years</TIMEX3> in all.
</TEXT>
</TimeML>
"""


@pytest.fixture
def tml(tmp_path):
    p = tmp_path / "x1.tml"
    p.write_text(TML, encoding="utf-8")
    return p


def test_read_timeml_offsets_and_entities(tml):
    doc = read_timeml(tml)
    assert doc.dct == "1998-08-10"
    assert "Talks & bombs exploded Friday" in doc.text
    assert [t["text"] for t in doc.timexes] == ["Friday", "last year", "two years"]
    for t in doc.timexes:
        assert doc.text[t["start"] : t["end"]] == t["text"]
    assert [t["value"] for t in doc.timexes] == ["1998-08-07", "1997", "P2Y"]


def test_match_timexes_strict_and_relaxed():
    gold = [{"start": 0, "end": 10}, {"start": 20, "end": 25}, {"start": 40, "end": 45}]
    system = [{"start": 0, "end": 10}, {"start": 18, "end": 22}, {"start": 50, "end": 55}]
    strict, rel_g, rel_s, pairs = match_timexes(gold, system)
    assert (strict, rel_g, rel_s, len(pairs)) == (1, 2, 2, 2)


def test_score_docs_tempeval_formula(tml):
    doc = read_timeml(tml)
    g = doc.timexes

    def tagger(text, dct):  # finds 2 of 3 (one with a wrong value) and one spurious span
        return [
            dict(start=g[0]["start"], end=g[0]["end"], type="DATE", value="1998-08-07"),
            dict(start=g[1]["start"], end=g[1]["end"] - 2, type="DATE", value="1996"),
            dict(start=0, end=5, type="DATE", value="PRESENT_REF"),
        ]

    s = score_docs([doc], tagger)
    assert s.strict == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert s.relaxed[:2] == pytest.approx((2 / 3, 2 / 3))
    assert s.value_accuracy == pytest.approx(0.5)
    assert s.value_f1 == pytest.approx(0.5 * 2 / 3)
    kinds = sorted(s.errors_frame()["kind"])
    assert kinds == ["missed", "spurious", "value"]


def test_evaluate_timeml_frame(tml):
    df = dprkbrief.evaluate_timeml([tml])
    assert list(df.columns) == ["metric", "value"]
    m = dict(zip(df["metric"], df["value"]))
    assert m["n_gold"] == 3 and m["relaxed_recall"] == pytest.approx(1.0)
    assert m["value_accuracy"] == pytest.approx(1.0)


def test_evaluate_timeml_bad_paths(tmp_path):
    with pytest.raises(ParameterError, match="'paths'"):
        dprkbrief.evaluate_timeml([tmp_path / "missing"])
    with pytest.raises(ParameterError, match="no .tml files"):
        dprkbrief.evaluate_timeml([tmp_path])
    bad = tmp_path / "bad.tml"
    bad.write_text("<TimeML>no text element</TimeML>", encoding="utf-8")
    with pytest.raises(ParameterError, match="TEXT"):
        read_timeml(bad)


@pytest.mark.shared
def test_tempeval3_training_scores():
    """Regression floor on TempEval-3 TBAQ-cleaned (1822 timexes).

    Issue targets are relaxed span F1 >= 0.90 (met) and value F1 >= 0.85 (not met yet: see
    benchmarks/README.md); the floors below are the measured scores minus a small margin.
    """
    if not TBAQ.is_dir():
        pytest.skip("../shared TempEval-3 data is not present in this checkout")
    df = dprkbrief.evaluate_timeml([TBAQ])
    m = dict(zip(df["metric"], df["value"]))
    assert m["n_gold"] == 1822
    # measured (round 3): strict 0.859, relaxed 0.944, type 0.904, value 0.821
    assert m["strict_f1"] >= 0.85
    assert m["relaxed_f1"] >= 0.94  # issue target 0.90
    assert m["value_f1"] >= 0.815  # issue target 0.85, not met (0.821)
    assert m["type_f1"] >= 0.90
