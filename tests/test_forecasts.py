"""The forecast ledger, horizon resolution, outcomes and Brier scores."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import dprkbrief
from dprkbrief.analysis.forecasts import load_outcomes, outcomes_template, resolve_horizons
from dprkbrief.errors import CorpusError, DprkbriefWarning

TEXT = """Outlook for the talks

By Jane Roe

A summit will most likely take place next year. The envoy arrived on Monday.

The regime will not give up its weapons before the end of the first term.

Jane Roe is a fellow at the Lakeview Institute.
"""


@pytest.fixture(scope="module")
def corpus():
    return dprkbrief.corpus_from_texts({"a": TEXT}, metadata={"a": {"date": "2019-10-02"}})


@pytest.fixture(scope="module")
def fc(corpus):
    return dprkbrief.forecasts(corpus)


def test_ledger_rows_and_horizons(corpus, fc):
    assert len(fc) == 2  # the description is not a forecast
    first = fc.iloc[0]
    assert first["forecast_id"] == f"a@{first['start']}"
    assert corpus["a"].text[first["start"] : first["end"]] == first["quote"]
    assert (first["expert"], first["doc_date"]) == ("Jane Roe", "2019-10-02")
    assert (first["horizon_start"], first["horizon_end"]) == ("2020-01-01", "2020-12-31")
    second = fc.iloc[1]
    assert (second["horizon_end"], second["horizon_mod"]) == ("2021-01-20", "BEFORE")
    assert second["direction"] == -1


def test_horizon_without_date_is_kept_unresolved():
    (h,) = resolve_horizons("It will happen next year.", None)
    assert (h["text"], h["start"], h["end"]) == ("next year", "", "")


def test_brier_scores(fc):
    outcomes = outcomes_template(fc)
    outcomes.loc[0, "outcome"] = "0"
    scores = dprkbrief.score_forecasts(fc, outcomes).set_index("expert")
    p = fc.iloc[0]["certainty"]
    assert scores.loc["Jane Roe", "brier"] == pytest.approx(p**2, abs=1e-4)
    assert (scores.loc["Jane Roe", "n_scored"], scores.loc["Jane Roe", "n_forecasts"]) == (1, 2)
    empty = dprkbrief.score_forecasts(fc, outcomes_template(fc))
    assert empty["brier"].isna().all()


def test_outcome_file_errors(tmp_path, fc):
    bad = tmp_path / "outcomes.csv"
    bad.write_text("forecast_id,outcome\na@1,maybe\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="must be 1"):
        load_outcomes(bad)
    with pytest.raises(CorpusError, match="not found"):
        load_outcomes(tmp_path / "none.csv")
    stale = pd.DataFrame({"forecast_id": ["zz@0"], "outcome": ["1"]})
    with pytest.warns(DprkbriefWarning, match="not among the forecasts"):
        dprkbrief.score_forecasts(fc, stale)


def test_project_outcomes_file_matches_the_corpus(corpus):
    """corpus/outcomes.csv must key the current forecasts (re-run after rule changes)."""
    from conftest import CORPUS

    real = dprkbrief.load_corpus(CORPUS)
    fc = dprkbrief.forecasts(real)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DprkbriefWarning)
        scores = dprkbrief.score_forecasts(fc, CORPUS / "outcomes.csv")
    assert scores["n_scored"].sum() >= 1
    assert scores["brier"].dropna().between(0, 1).all()


def test_outcomes_path(tmp_path):
    from dprkbrief.analysis.forecasts import outcomes_path

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert outcomes_path(dprkbrief.load_corpus(tmp_path)) is None
    (tmp_path / "outcomes.csv").write_text("forecast_id,outcome\n", encoding="utf-8")
    assert outcomes_path(dprkbrief.load_corpus(tmp_path)) == tmp_path / "outcomes.csv"
    assert outcomes_path(dprkbrief.corpus_from_texts({"a": TEXT})) is None


def test_template_carries_over_filled_outcomes(fc):
    old = pd.DataFrame(
        {"forecast_id": [fc.iloc[1]["forecast_id"]], "outcome": ["1"], "resolved_on": ["2021-01-20"],
         "note": ["checked"]}
    )  # fmt: skip
    new = outcomes_template(fc, existing=old)
    assert list(new["outcome"]) == ["", "1"]
    assert new.iloc[1]["note"] == "checked"


def test_past_reporting_is_not_a_forecast():
    text = (
        "T\n\nBy Ann Lee\n\nThe 2018 Singapore summit raised expectations that neither side "
        "could meet. I expect that talks will resume next year."
    )
    fc = dprkbrief.forecasts(
        dprkbrief.corpus_from_texts({"d": text}, metadata={"d": {"date": "2024-01-01"}})
    )
    assert list(fc["quote"]) == ["I expect that talks will resume next year."]


def test_undated_documents_give_none_not_nan():
    texts = {
        "a": "T\n\nBy Ann Lee\n\nTalks will resume next year.",
        "b": "T\n\nBy Bo Park\n\nTalks will resume soon.",
    }
    corpus = dprkbrief.corpus_from_texts(texts, metadata={"a": {"date": "2024-01-01"}})
    fc = dprkbrief.forecasts(corpus).set_index("doc_id")
    assert fc["doc_date"].dtype == object
    assert fc.loc["b", "doc_date"] is None
    assert fc.loc["a", "doc_date"] == "2024-01-01"


NOT_FORECASTS = """Talks ahead

By Jane Roe

Will the two leaders meet again next year? Thank you for having me on the program to talk about the summit. Officials said the talks would resume in May. The envoy would later travel to Hanoi by train. You'll recall the delegation was not represented in Hanoi. We'll see what day. Nobody knows when North Korea will ship the fuel rods abroad. I expect that talks will resume in the spring.

Jane Roe is a fellow at the Lakeview Institute.
"""


def test_only_forward_claims_by_named_sources():
    """Questions, courtesies, anonymous sources, narration and formulas make no forecast."""
    corpus = dprkbrief.corpus_from_texts(
        {"n": NOT_FORECASTS}, metadata={"n": {"date": "2024-10-02"}}
    )
    fc = dprkbrief.forecasts(corpus)
    assert list(fc["quote"]) == ["I expect that talks will resume in the spring."]
    row = fc.iloc[0]
    assert row["forecast_id"] == f"n@{row['start']}" and row["source_kind"] == "author"
    assert (row["horizon_start"], row["horizon_end"]) == ("2025-03-01", "2025-05-31")
    assert row["topics"] == ["talks"] and row["direction"] == 1


def test_evidence_is_the_clause_and_the_id_the_sentence(corpus):
    text = "T\n\nBy Ann Lee\n\nThe deal failed, but Kim will return to the table next year.\n"
    c = dprkbrief.corpus_from_texts({"d": text}, metadata={"d": {"date": "2024-01-01"}})
    (row,) = dprkbrief.forecasts(c).itertuples()
    assert row.quote == "Kim will return to the table next year"
    assert c["d"].text[row.start : row.end] == row.quote
    assert row.forecast_id == f"d@{text.index('The deal')}"  # the sentence keys outcomes
    assert row.horizon_end == "2025-12-31"


def test_certainty_and_hedges_come_from_the_hedge_lexicon(fc):
    plain = fc[fc["quote"].str.startswith("The regime")].iloc[0]
    hedged = fc[fc["quote"].str.startswith("A summit")].iloc[0]
    assert plain["hedges"] == [] and plain["certainty"] == pytest.approx(0.75)
    assert hedged["hedges"] and hedged["certainty"] < plain["certainty"]


def test_season_horizons_resolve_to_months():
    (h,) = resolve_horizons("Talks will resume next spring.", "2024-10-02")
    assert (h["start"], h["end"]) == ("2025-03-01", "2025-05-31")
    (w,) = resolve_horizons("Talks will resume in the winter of 2025.", "2024-10-02")
    assert (w["start"], w["end"]) == ("2025-12-01", "2026-02-28")
