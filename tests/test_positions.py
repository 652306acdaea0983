"""Positions per expert and topic, and the agree/disagree comparison."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.errors import ParameterError

DEBATE = """Experts split on summit

By Staff Reporter

"A summit will certainly happen this year," said Mara Lind, a professor of history at Redwood University. "It may also bring sanctions relief."

Tomas Berg, a senior fellow at the Quarry Institute, disagreed. "I don't think a summit will happen this year," Berg said.

Berg said the regime would never give up its nuclear program.
"""

QA = """Q&A on the summit

Interview by Nina Kos, staff writer

Q: Will there be a summit?
A: A summit might happen.

Omar Reyes is a research fellow at the Delta Center for Security Studies.
"""


@pytest.fixture(scope="module")
def corpus():
    return dprkbrief.corpus_from_texts({"debate": DEBATE, "qa": QA})


@pytest.fixture(scope="module")
def pos(corpus):
    return dprkbrief.positions(corpus)


def test_positions_one_row_per_expert_and_topic(corpus, pos):
    assert not pos.duplicated(["expert", "topic"]).any()
    summit = pos[pos["topic"] == "summit"].set_index("expert")
    assert summit.loc["Mara Lind", "direction"] == 1
    assert summit.loc["Tomas Berg", "direction"] == -1
    assert summit.loc["Omar Reyes", "direction"] == 1
    # certainty weighs the lean: a hedged "might" leans less than a boosted "certainly"
    assert summit.loc["Omar Reyes", "score"] < summit.loc["Mara Lind", "score"]
    assert summit.loc["Tomas Berg", "question"].endswith("?")
    for r in pos.itertuples():
        assert corpus[r.doc_id].text[r.start : r.end] == r.quote
        assert r.n_statements >= r.n_yes + r.n_no


def test_questions_take_no_position(pos):
    assert "Nina Kos" not in set(pos["expert"])


def test_strongest_evidence_leans_the_same_way(pos):
    berg = pos[(pos["expert"] == "Tomas Berg") & (pos["topic"] == "summit")].iloc[0]
    assert berg["quote"].startswith("\"I don't think a summit")


def test_filters_and_cell_input(corpus, pos):
    from dprkbrief.analysis.positions import position_cells

    cells = position_cells(corpus)
    assert dprkbrief.positions(cells).equals(pos)
    only = dprkbrief.positions(corpus, topics=["summit"], experts=["tomas berg"])
    assert list(only["expert"]) == ["Tomas Berg"] and list(only["topic"]) == ["summit"]
    strict = dprkbrief.positions(corpus, min_certainty=0.6)
    assert "Omar Reyes" not in set(strict["expert"])


def test_cells_keep_evidence_and_hedges(corpus, pos):
    from dprkbrief.analysis.positions import hedges_behind, position_cells

    cells = position_cells(corpus)
    for r in cells.itertuples():
        assert corpus[r.doc_id].text[r.start : r.end] == r.quote
        assert r.hedged == bool(r.hedges)
    reyes = pos[(pos["expert"] == "Omar Reyes") & (pos["topic"] == "summit")].iloc[0]
    assert reyes["hedges"] == ["might"] and reyes["n_hedged"] == 1
    assert reyes["certainty"] == reyes["mean_certainty"] < 0.75  # hedged below a plain claim
    behind = hedges_behind(cells, "omar reyes", "summit")
    assert list(behind["hedges"]) == [["might"]] and behind["quote"][0] == "A summit might happen."
    with pytest.raises(ParameterError, match="holds no position"):
        hedges_behind(cells, "Omar Reyes", "weather")


def test_stance_table_input_keeps_quoted_experts(corpus):
    table = dprkbrief.stance(corpus)
    from_stance = dprkbrief.positions(table)
    summit = from_stance[from_stance["topic"] == "summit"].set_index("expert")
    assert summit.loc["Tomas Berg", "direction"] == -1
    assert summit.loc["Mara Lind", "direction"] == 1


def test_compare_sides(corpus, pos):
    cmp = dprkbrief.compare(pos, "summit")
    assert list(cmp["side"]) == ["yes", "yes", "no"]
    assert list(cmp["expert"][:1]) == ["Mara Lind"]  # strongest yes first
    assert cmp.attrs["question"].startswith("Will")
    assert dprkbrief.compare(corpus, "summit")["expert"].tolist() == cmp["expert"].tolist()


def test_errors(corpus, pos):
    with pytest.raises(ParameterError, match="'topic'"):
        dprkbrief.compare(pos, "weather")
    with pytest.raises(ParameterError, match="'experts'"):
        dprkbrief.positions(corpus, experts=["Nobody"])
    with pytest.raises(ParameterError, match="'min_certainty'"):
        dprkbrief.positions(corpus, min_certainty=2)
    with pytest.raises(ParameterError, match="stance table"):
        dprkbrief.positions(pos)


def test_cli_positions_and_experts(tmp_path, capsys):
    from dprkbrief.cli import main

    for name, text in {"debate": DEBATE, "qa": QA}.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    assert main(["experts", str(tmp_path), "--format", "csv"]) == 0
    assert "Tomas Berg" in capsys.readouterr().out
    assert main(["positions", str(tmp_path), "--compare", "summit"]) == 0
    out = capsys.readouterr().out
    assert "yes" in out and "no" in out
    assert main(["positions", str(tmp_path), "--topic", "weather"]) == 2
    assert "allowed are" in capsys.readouterr().err


def test_expert_aliases_and_unknown_authors():
    corpus = dprkbrief.corpus_from_texts(
        {"debate": DEBATE, "anon": "A note\n\nA summit will happen.\n"}
    )
    by_alias = dprkbrief.positions(corpus, experts=["Dr. Berg"])
    assert set(by_alias["expert"]) == {"Tomas Berg"}
    anon = dprkbrief.positions(corpus, experts="unknown author(s) of anon")
    assert list(anon["topic"]) == ["summit"]


def test_empty_corpus_gives_empty_tables_with_columns():
    corpus = dprkbrief.corpus_from_texts({"e": "Just a title\n"})
    st = dprkbrief.statements(corpus)
    assert st.empty and "expert" in st.columns
    pos = dprkbrief.positions(corpus)
    assert pos.empty and "quote" in pos.columns
    assert dprkbrief.compare(pos, "summit").empty
    assert dprkbrief.forecasts(corpus).empty
