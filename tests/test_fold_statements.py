"""statements / positions / forecasts as folds: per-document records, cached on disk, linked
across documents (dprkbrief.pipeline.fold, analysis.statements.link_names)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dprkbrief
from dprkbrief.analysis.positions import position_cells
from dprkbrief.analysis.statements import DEFER
from dprkbrief.pipeline.fold import code_fingerprint, records_path, step_fingerprint

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "a": "Talks\n\nThe summit will probably fail next year, and sanctions should stay.",
    "b": "More talks\n\nA deal on denuclearization will likely come by 2027.",
}


def _corpus():
    # one author written two ways: the registry shows the fullest, non-capitals form
    meta = {"a": {"authors": ["JANE DOE"], "date": "2024-01-05"}, "b": {"authors": ["Jane Doe"]}}
    return dprkbrief.corpus_from_texts(TEXTS, metadata=meta)


def test_expert_names_are_linked_across_documents():
    corpus = _corpus()
    alone = dprkbrief.statements(corpus.select(["a"]))
    assert set(alone["expert"]) == {"JANE DOE"}  # document a alone knows one form
    both = dprkbrief.statements(corpus)
    assert set(both["expert"]) == {"Jane Doe"} and set(both["doc_id"]) == {"a", "b"}
    assert all(names == ["Jane Doe"] for names in both["expert_list"])
    fc = dprkbrief.forecasts(corpus)
    assert len(fc) and set(fc["expert"]) == {"Jane Doe"} and set(fc["source"]) == {"Jane Doe"}
    cells = position_cells(corpus)
    assert len(cells) and set(cells["expert"]) == {"Jane Doe"}
    assert set(dprkbrief.positions(corpus)["expert"]) == {"Jane Doe"}
    # the per-document records name the expert by registry key, filled in by the link
    rec = dprkbrief.annotate(corpus["a"], steps=["statements"])["statements"][0]
    assert rec["expert"] == f"{DEFER}jane doe{DEFER}" and rec["expert_list"] == [rec["expert"]]
    for table in ("statements", "position_cells", "forecasts"):
        for r in dprkbrief.annotate(corpus["a"], steps=[table])[table]:
            for k, v in r.items():  # names are deferred only where a name stands
                assert k in ("expert", "expert_list", "source") or DEFER not in str(v)


def test_records_path_changes_with_text_metadata_rules_and_model(monkeypatch, tmp_path):
    monkeypatch.setenv("DPRKBRIEF_CACHE", str(tmp_path))
    monkeypatch.delenv("DPRKBRIEF_PARSE_CACHE", raising=False)
    corpus = _corpus()
    res = dprkbrief.Resources()
    fp = step_fingerprint(res, "statements")
    assert {"codebook", "certainty", "claims", "hedges", "attribution", "model"} <= set(fp)
    path = records_path(corpus["a"], "statements", fp)
    assert path.is_relative_to(tmp_path / "records" / "statements")
    assert path == records_path(corpus["a"], "statements", dict(fp))
    assert path != records_path(corpus["b"], "statements", fp)
    assert path != records_path(corpus["a"], "forecasts", fp)
    assert path != records_path(corpus["a"], "statements", {**fp, "hedges": "0" * 64})
    assert path != records_path(corpus["a"], "statements", {**fp, "model": "other-1.0"})
    other = dprkbrief.corpus_from_texts({"a": TEXTS["a"]}, metadata={"a": {"authors": ["X Y"]}})
    assert path != records_path(other["a"], "statements", fp)  # authors are metadata
    assert len(code_fingerprint()) == 64
    monkeypatch.setenv("DPRKBRIEF_PARSE_CACHE", "0")
    assert records_path(corpus["a"], "statements", fp) is None


def test_a_damaged_cache_file_is_computed_again(monkeypatch, tmp_path):
    monkeypatch.setenv("DPRKBRIEF_CACHE", str(tmp_path))
    monkeypatch.delenv("DPRKBRIEF_PARSE_CACHE", raising=False)
    first = dprkbrief.statements(_corpus())
    files = sorted((tmp_path / "records" / "statements").rglob("*.json"))
    assert len(files) == 2
    for f in files:
        f.write_text("{not json", encoding="utf-8")
    again = dprkbrief.statements(_corpus())  # new Documents: no memo, damaged files
    assert again.to_dict("records") == first.to_dict("records")
    assert all(isinstance(json.loads(f.read_text(encoding="utf-8")), list) for f in files)


_CHILD = """
import json, sys
import dprkbrief
corpus = dprkbrief.corpus_from_texts(json.loads(sys.argv[1]), metadata=json.loads(sys.argv[2]))
out = {
    "statements": dprkbrief.statements(corpus).to_json(),
    "positions": dprkbrief.positions(corpus).to_json(),
    "forecasts": dprkbrief.forecasts(corpus).to_json(),
    "spacy": "spacy" in sys.modules,
}
print(json.dumps(out))
"""


def test_a_warm_process_reads_records_without_spacy(tmp_path):
    env = dict(os.environ, DPRKBRIEF_CACHE=str(tmp_path))
    env.pop("DPRKBRIEF_PARSE_CACHE", None)
    meta = {"a": {"authors": ["JANE DOE"]}, "b": {"authors": ["Jane Doe"]}}
    args = [sys.executable, "-c", _CHILD, json.dumps(TEXTS), json.dumps(meta)]

    def run() -> dict:
        done = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    cold, warm = run(), run()
    assert cold["spacy"] is True and warm["spacy"] is False
    for table in ("statements", "positions", "forecasts"):
        assert warm[table] == cold[table]
    # another text: that document is parsed, the other one's records are read
    changed = dict(TEXTS, b=TEXTS["b"] + " Sanctions will not work.")
    args[3] = json.dumps(changed)
    assert run()["spacy"] is True


@pytest.mark.parametrize("dates", ["path", "object"])
def test_forecasts_with_user_date_rules(dates):
    from dprkbrief.resources.bundle import RULE_KINDS

    corpus = _corpus()
    path = RULE_KINDS["dates"].packaged
    given = str(path) if dates == "path" else dprkbrief.load_dates(path)
    out = dprkbrief.forecasts(corpus, dates=given)
    assert out.to_dict("records") == dprkbrief.forecasts(corpus).to_dict("records")


def test_each_step_lists_the_rule_kinds_it_reads():
    from dprkbrief.pipeline.annotate import STEPS

    statement_kinds = {"attribution", "structure", "codebook", "certainty", "claims", "hedges"}
    assert statement_kinds <= set(STEPS["statements"].rule_kinds)
    assert statement_kinds | {"stance"} <= set(STEPS["position_cells"].rule_kinds)
    wanted = statement_kinds | {"stance", "horizons", "dates"}
    assert wanted <= set(STEPS["forecasts"].rule_kinds)
    assert all(STEPS[s].nlp for s in ("statements", "position_cells", "forecasts"))


def test_an_edited_user_file_is_read_again_not_served_from_disk(tmp_path, monkeypatch):
    from dprkbrief.resources import resource_path

    monkeypatch.setenv("DPRKBRIEF_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("DPRKBRIEF_PARSE_CACHE", raising=False)
    text = resource_path("lexicons", "hedges.toml").read_text("utf-8")
    assert "default_certainty = 0.75" in text
    path = tmp_path / "my_hedges.toml"
    sentence = "A summit will happen next year."
    texts = {"d": f"Outlook\n\nBy Ann Lee\n\n{sentence} The talks might resume soon.\n"}

    def certainties(value: str) -> tuple[float, float, float]:
        path.write_text(text.replace("default_certainty = 0.75", f"default_certainty = {value}"))
        corpus = dprkbrief.corpus_from_texts(texts, metadata={"d": {"date": "2024-03-01"}})
        rules = {"hedges": str(path)}  # a new corpus each time: only the disk could answer
        st = dprkbrief.statements(corpus, rules=rules).set_index("quote")
        fc = dprkbrief.forecasts(corpus, rules=rules).set_index("quote")
        pos = dprkbrief.positions(corpus, rules=rules)
        summit = pos.loc[pos["topic"] == "summit", "certainty"].iloc[0]
        return st.loc[sentence, "certainty"], fc.loc[sentence, "certainty"], summit

    assert certainties("0.9") == pytest.approx((0.9, 0.9, 0.9))
    assert certainties("0.6") == pytest.approx((0.6, 0.6, 0.6))
    assert certainties("0.9") == pytest.approx((0.9, 0.9, 0.9))  # back: read from disk
