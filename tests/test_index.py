"""build_index / open_index: a Parquet index read back as a Corpus; incremental; faults."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import dprkbrief
from dprkbrief.errors import CorpusError, ParameterError
from dprkbrief.pipeline import annotate as annotate_mod
from dprkbrief.pipeline.index import BuildError, IndexPathError, build_index, open_index

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "corpus"
USER_DOCS = HERE / "user_docs"
RULE_STEPS = ["segments", "dates", "mentions"]


def _build(src, out, **kw):
    kw.setdefault("steps", RULE_STEPS)
    kw.setdefault("scheduler", "synchronous")
    return build_index(src, out, **kw)


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory):
    out = tmp_path_factory.mktemp("idx") / "index"
    _build(FIXTURE, out, partition_size=2)
    return out


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)[list(a.columns)]
    assert a.to_dict("records") == b.to_dict("records")


def test_index_reads_back_equal_to_the_corpus(fixture_index):
    corpus = dprkbrief.load_corpus(FIXTURE)
    index = open_index(fixture_index)
    assert isinstance(index, dprkbrief.Corpus)
    assert index.doc_ids == corpus.doc_ids and len(index) == len(corpus)
    _same(corpus.documents, index.documents)
    for level in ("section", "turn", "paragraph", "sentence"):
        _same(corpus.segments(level), index.segments(level))
    d = corpus.doc_ids[0]
    assert index[d].text == corpus[d].text and index[d].meta == corpus[d].meta
    _same(corpus.segments("paragraph", docs=[d]), index.segments("paragraph", docs=[d]))
    _same(dprkbrief.timeline(corpus), dprkbrief.timeline(index))
    _same(
        dprkbrief.timeline(corpus, start=2019, end=2019),
        dprkbrief.timeline(index, start=2019, end=2019),
    )
    sizes = index.dask_table("segments", columns=["level"]).groupby("level").size().compute()
    assert sizes["sentence"] == len(corpus.segments("sentence"))
    stored = index.records("mentions")
    assert len(stored) == len(dprkbrief.timeline(corpus))
    _same(dprkbrief.timeline(corpus), index.timeline())  # the stored fast path
    _same(dprkbrief.timeline(corpus, start=2019, end=2019), index.timeline(start=2019, end=2019))
    sub = index.select([d])
    assert sub.doc_ids == [d] and set(sub.segments("sentence")["doc_id"]) == {d}
    _same(dprkbrief.experts(corpus), dprkbrief.experts(index))
    _same(dprkbrief.statements(corpus), dprkbrief.statements(index))
    _same(dprkbrief.kwic(corpus, "summit"), dprkbrief.kwic(index, "summit"))
    _same(dprkbrief.kwic(corpus, "talks", docs=[d]), dprkbrief.kwic(index, "talks", docs=[d]))
    _same(dprkbrief.segment_counts(corpus), dprkbrief.segment_counts(index))
    _same(dprkbrief.speaker_shares(corpus), dprkbrief.speaker_shares(index))


def test_user_documents_from_a_jsonl_source(tmp_path):
    corpus = dprkbrief.load_corpus(USER_DOCS)
    src = tmp_path / "docs.jsonl"
    with src.open("w", encoding="utf-8") as fh:  # partitions out of doc_id order
        for d in reversed(corpus.doc_ids):
            fh.write(json.dumps({"doc_id": d, "text": corpus[d].text}) + "\n")
    _build(src, tmp_path / "idx", partition_size=4, steps=[*RULE_STEPS, "registry"])
    index = open_index(tmp_path / "idx")
    _same(dprkbrief.experts(corpus), dprkbrief.experts(index))  # merged in doc_id order
    for level in ("paragraph", "sentence"):
        _same(corpus.segments(level), index.segments(level))
    # corpus functions read the stored records and equal the in-memory results
    _same(dprkbrief.timeline(corpus), dprkbrief.timeline(index))
    _same(dprkbrief.timeline(corpus, start=2018, end=2019), index.timeline(start=2018, end=2019))
    _same(dprkbrief.kwic(corpus, "Kim"), dprkbrief.kwic(index, "Kim"))
    _same(dprkbrief.segment_counts(corpus), dprkbrief.segment_counts(index))
    assert index.records("dates")["doc_id"].isin(corpus.doc_ids).all()


def test_csv_and_parquet_sources_are_streamed_and_read_back_exactly(tmp_path):
    import csv

    import pyarrow as pa
    import pyarrow.parquet as pq

    from dprkbrief.pipeline.sources import load_documents, scan_source

    texts = {
        "a1": 'He said: "we will talk"\r\nagain, in 2019.\n\nA second paragraph, “curly”.',
        "b2": "Singapore, June 12, 2018 — the leaders met.",
        "c3": 'Multi\nline, with a comma and a "quote".',
    }
    with (tmp_path / "docs.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "text", "date"])
        for d, t in texts.items():
            w.writerow([d, t, "2019-03-01"])
        fh.write("\r\n")  # a blank line is skipped, as csv.DictReader does
    table = pa.table({"doc_id": list(texts), "text": list(texts.values())})
    pq.write_table(table, tmp_path / "docs.parquet", row_group_size=2)
    for name in ("docs.csv", "docs.parquet"):
        refs = scan_source(tmp_path / name)
        assert [r.doc_id for r in refs] == sorted(texts)
        assert all(not hasattr(r, "text") for r in refs)  # the scan keeps no text
        docs = load_documents(refs[1:])  # a worker reads only its own documents
        assert {d.doc_id: d.text for d in docs} == {d: texts[d] for d in sorted(texts)[1:]}
        _build(tmp_path / name, tmp_path / f"idx-{name}", partition_size=2)
        index = open_index(tmp_path / f"idx-{name}")
        assert {d: index[d].text for d in index.doc_ids} == texts
    assert open_index(tmp_path / "idx-docs.csv")["b2"].meta["date"] == "2019-03-01"


def test_rebuild_of_an_unchanged_source_recomputes_nothing(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    first = _build(src, tmp_path / "idx", partition_size=1)
    assert first["recomputed"] == 3 and first["complete"]
    assert first["versions"]["dask"] and first["versions"]["pyarrow"]
    assert set(first["rules"]) == {"structure", "datelines", "dates", "events"}
    again = _build(src, tmp_path / "idx", partition_size=1)
    assert again["recomputed"] == 0 and again["reused"] == 3
    doc = sorted(src.glob("*.txt"))[0]
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA new paragraph in 2020.\n", "utf-8")
    third = _build(src, tmp_path / "idx", partition_size=1)
    assert third["recomputed"] == 1 and third["reused"] == 2
    assert "A new paragraph in 2020." in open_index(tmp_path / "idx")[doc.stem].text
    parts = list((tmp_path / "idx" / "segments").glob("part-*.parquet"))
    assert len(parts) == 3  # the replaced partition's old file is gone


def _tables(index_path, names=("documents", *RULE_STEPS)):
    index = open_index(index_path)
    out = {}
    for name in names:
        df = index.records(name)
        out[name] = df.sort_values("doc_id", kind="stable").reset_index(drop=True)
    return out


def _count_dates_step(monkeypatch) -> list[str]:
    """Wrap the ``dates`` step so each document it annotates is appended to the returned list."""
    calls: list[str] = []
    real = annotate_mod.STEPS["dates"]

    def counted(document, resources):
        calls.append(document.doc_id)
        return real.func(document, resources)

    monkeypatch.setitem(
        annotate_mod.STEPS, "dates", annotate_mod.Step("dates", counted, ("dates",))
    )
    return calls


def test_a_one_document_edit_recomputes_one_document(tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(USER_DOCS, src)
    calls = _count_dates_step(monkeypatch)
    n_docs = len(dprkbrief.load_corpus(src))
    first = _build(src, tmp_path / "idx", partition_size=32)  # one partition holds them all
    assert first["recomputed_documents"] == n_docs == len(calls)
    doc = sorted(src.glob("*.txt"))[3]
    doc.write_text(doc.read_text(encoding="utf-8") + "\nTalks resumed on 5 May 2021.\n", "utf-8")
    calls.clear()
    second = _build(src, tmp_path / "idx", partition_size=32)
    assert second["recomputed"] == 1 and second["recomputed_documents"] == 1
    assert calls == [doc.stem]  # the other documents' records were copied, not recomputed
    # a new document shifts every later partition boundary: still only it is annotated
    (src / "0000_new.txt").write_text("On 12 June 2018 the leaders met in Singapore.\n", "utf-8")
    calls.clear()
    third = _build(src, tmp_path / "idx", partition_size=3)
    assert calls == ["0000_new"] and third["recomputed_documents"] == 1
    # the index equals a fresh build of the same source, table by table
    _build(src, tmp_path / "fresh", partition_size=3)
    got, want = _tables(tmp_path / "idx"), _tables(tmp_path / "fresh")
    for name in want:
        _same(want[name], got[name])
    assert "5 May 2021" in open_index(tmp_path / "idx")[doc.stem].text


def test_a_poisoned_document_goes_to_errors_and_the_build_goes_on(tmp_path, monkeypatch):
    victim = dprkbrief.load_corpus(FIXTURE).doc_ids[1]
    real = annotate_mod.STEPS["dates"]

    def poisoned(document, resources):
        if document.doc_id == victim:
            raise RuntimeError("poisoned")
        return real.func(document, resources)

    monkeypatch.setitem(annotate_mod.STEPS, "dates", annotate_mod.Step("dates", poisoned))
    with pytest.raises(BuildError, match=f"1 step.*{victim} \\(dates\\): RuntimeError: poisoned"):
        _build(FIXTURE, tmp_path / "idx")
    index = open_index(tmp_path / "idx")
    errs = index.records("errors")
    assert errs[["doc_id", "step"]].to_dict("records") == [{"doc_id": victim, "step": "dates"}]
    dates = index.records("dates")
    assert victim not in set(dates["doc_id"]) and len(set(dates["doc_id"])) == 2
    assert len(index.segments("sentence", docs=[victim]))  # its other steps are there


def test_an_interrupted_build_is_refused_then_finished_by_a_rerun(tmp_path, monkeypatch):
    victim = dprkbrief.load_corpus(FIXTURE).doc_ids[2]
    real = annotate_mod.STEPS["segments"]

    def dies(document, resources):
        if document.doc_id == victim:
            raise KeyboardInterrupt  # the process stops here, as a killed worker would
        return real.func(document, resources)

    monkeypatch.setitem(annotate_mod.STEPS, "segments", annotate_mod.Step("segments", dies))
    with pytest.raises(KeyboardInterrupt):
        _build(FIXTURE, tmp_path / "idx", partition_size=1)
    with pytest.raises(CorpusError, match="incomplete.*re-run"):
        open_index(tmp_path / "idx")
    monkeypatch.setitem(annotate_mod.STEPS, "segments", real)
    m = _build(FIXTURE, tmp_path / "idx", partition_size=1)
    assert m["complete"] and m["recomputed"] == 1 and m["reused"] == 2
    assert open_index(tmp_path / "idx").doc_ids == dprkbrief.load_corpus(FIXTURE).doc_ids


def test_local_cluster_with_two_workers_survives_a_killed_worker(tmp_path):
    from dask.distributed import Client, LocalCluster

    corpus = dprkbrief.load_corpus(USER_DOCS)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        result: dict = {}

        def run():
            try:
                result["m"] = build_index(
                    USER_DOCS,
                    tmp_path / "idx",
                    steps=RULE_STEPS,
                    scheduler=cluster.scheduler_address,
                    partition_size=1,
                )
            except BaseException as exc:  # reported below
                result["exc"] = exc

        t = threading.Thread(target=run)
        t.start()
        parts = tmp_path / "idx" / "parts"
        deadline = time.time() + 60
        while time.time() < deadline and not (parts.is_dir() and any(parts.glob("*.json"))):
            time.sleep(0.05)
        victim = sorted(client.scheduler_info()["workers"])[0]
        assert t.is_alive()  # the build is still running
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)  # the worker dies mid-build
        t.join(120)
    assert "exc" not in result, result.get("exc")
    m = result["m"]
    assert m["complete"] and m["n_documents"] == len(corpus)
    index = open_index(tmp_path / "idx")
    _same(corpus.segments("sentence"), index.segments("sentence"))
    again = _build(USER_DOCS, tmp_path / "idx", partition_size=1)
    assert again["recomputed"] == 0


def test_bad_input_gets_clear_errors(tmp_path):
    with pytest.raises(CorpusError, match="build source not found"):
        _build(tmp_path / "nope", tmp_path / "idx")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no .txt or .md documents"):
        _build(tmp_path / "empty", tmp_path / "idx")
    odd = tmp_path / "docs.xlsx"
    odd.write_text("x")
    with pytest.raises(CorpusError, match="unknown source format '.xlsx'"):
        _build(odd, tmp_path / "idx")
    cases = {
        "[1, 2]\n": "expected a JSON object",
        '{"doc_id": "a"}\n': "lacks a non-empty 'text'",
        '{"doc_id": "a", "text": "x"}\n{"doc_id": "a", "text": "y"}\n': "line 2: doc_id 'a' repeats",
    }
    for body, message in cases.items():
        src = tmp_path / "bad.jsonl"
        src.write_text(body, encoding="utf-8")
        with pytest.raises(CorpusError, match=message):
            _build(src, tmp_path / "idx")
    src.write_bytes(b'{"doc_id": "a", "text": "caf\xe9"}\n')
    with pytest.raises(CorpusError, match="line 1: not UTF-8"):
        _build(src, tmp_path / "idx")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    with pytest.raises(IndexPathError, match="not a dprkbrief index.*refusing"):
        _build(FIXTURE, taken)
    assert (taken / "notes.txt").read_text() == "mine"
    with pytest.raises(CorpusError, match="not a dprkbrief index"):
        open_index(taken)
    with pytest.raises(ParameterError, match="invalid value for 'steps'"):
        _build(FIXTURE, tmp_path / "idx2", steps=["segments", "wordcount"])


def test_a_scheduler_that_does_not_answer_fails_fast(tmp_path):
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="no Dask scheduler answers"):
        build_index(FIXTURE, tmp_path / "idx", steps=["segments"], scheduler="tcp://127.0.0.1:9")
    assert time.perf_counter() - t0 < 30


def test_cli_build_and_open_corpus(tmp_path, capsys):
    from dprkbrief.cli import main

    out = tmp_path / "idx"
    rc = main(
        [
            "build",
            str(FIXTURE),
            "--out",
            str(out),
            "--steps",
            "segments,dates",
            "--scheduler",
            "synchronous",
        ]
    )
    assert rc == 0
    assert "3 documents" in capsys.readouterr().out
    assert isinstance(dprkbrief.open_corpus(out), type(open_index(out)))
    assert dprkbrief.open_corpus(FIXTURE).doc_ids == open_index(out).doc_ids
    assert dprkbrief.load_corpus(out).doc_ids == open_index(out).doc_ids  # notebooks' loader
    with pytest.raises(CorpusError, match="is an index"):
        dprkbrief.load_corpus(out, infer_dates=True)
    from dprkbrief.analysis.forecasts import outcomes_path

    assert outcomes_path(open_index(out)).read_bytes() == (FIXTURE / "outcomes.csv").read_bytes()
    with pytest.raises(ParameterError, match="has no 'mentions' table"):
        open_index(out).records("mentions")
    rc = main(["build", str(tmp_path / "missing"), "--out", str(out)])
    assert rc == 2
    assert "build source not found" in capsys.readouterr().err


def test_nlp_tables_of_an_index_equal_the_corpus(tmp_path):
    from dprkbrief.analysis.experts import people

    _build(FIXTURE, tmp_path / "idx", steps=["people", "quotations"], partition_size=2)
    corpus, index = dprkbrief.load_corpus(FIXTURE), open_index(tmp_path / "idx")
    _same(people(corpus), people(index))  # merged from the stored per-partition tables
    _same(dprkbrief.quotes(corpus), dprkbrief.quotes(index))
    every = ("person", "anonymous", "institution")
    _same(dprkbrief.experts(corpus, kinds=every), dprkbrief.experts(index, kinds=every))


def test_a_partition_leaves_no_parses_in_the_worker(tmp_path):
    """A worker's memory is one partition's parses: run_partition forgets them when done
    (the next partition holds other texts)."""
    from dprkbrief.nlp import parsing

    parsing.clear_memory_cache()
    _build(FIXTURE, tmp_path / "idx", steps=["people"], partition_size=2)
    assert len(parsing._MEMO) == 0
    assert len(open_index(tmp_path / "idx").records("people")) > 0


@pytest.mark.parametrize("source", [FIXTURE, USER_DOCS], ids=["fixture", "user_docs"])
def test_statements_positions_forecasts_of_an_index_equal_the_corpus(tmp_path, monkeypatch, source):
    import warnings

    from dprkbrief.analysis import statements as statements_mod
    from dprkbrief.analysis.positions import position_cells
    from dprkbrief.errors import DprkbriefWarning

    steps = ["statements", "position_cells", "forecasts"]
    _build(source, tmp_path / "idx", steps=steps, partition_size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DprkbriefWarning)  # the user documents' encodings
        corpus = dprkbrief.load_corpus(source)
    index = open_index(tmp_path / "idx")
    for name in steps:
        assert len(index.records(name)), name
    expected = {
        f.__name__: f(corpus)
        for f in (dprkbrief.statements, position_cells, dprkbrief.positions, dprkbrief.forecasts)
    }

    def fail(*args, **kwargs):
        raise AssertionError("recomputed instead of read from the index")

    monkeypatch.setattr(statements_mod, "statement_records", fail)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DprkbriefWarning)  # read, never recomputed
        _same(expected["statements"], dprkbrief.statements(index))
        _same(expected["position_cells"], position_cells(index))
        _same(expected["positions"], dprkbrief.positions(index))
        _same(expected["forecasts"], dprkbrief.forecasts(index))
    assert len(expected["statements"]) and len(expected["forecasts"])


def test_corpus_records_reads_an_index_only_when_its_rules_match(tmp_path, fixture_index):
    from dprkbrief.errors import DprkbriefWarning
    from dprkbrief.pipeline.fold import corpus_records, resources_for

    index = open_index(fixture_index)
    stored = corpus_records(index, "dates")
    corpus = dprkbrief.load_corpus(FIXTURE)
    _same(corpus_records(corpus, "dates"), stored)
    # a user's date rules: the stored table was built with others, so it is recomputed
    mine = tmp_path / "dates.toml"
    from dprkbrief.resources.bundle import RULE_KINDS

    mine.write_text(RULE_KINDS["dates"].packaged.read_text(encoding="utf-8") + "\n# mine\n")
    res = resources_for({"dates": mine})
    with pytest.warns(DprkbriefWarning, match="other dates rules; computing 'dates' per document"):
        again = corpus_records(index, "dates", res)
    _same(stored, again)  # same rules in a different file: same records
    with pytest.raises(ParameterError, match="invalid value for 'table': 'nope'"):
        corpus_records(index, "nope")


def test_per_document_records_are_memoised_under_the_rule_fingerprint(tmp_path, monkeypatch):
    from dprkbrief.pipeline.fold import corpus_records, resources_for
    from dprkbrief.resources.bundle import RULE_KINDS

    corpus = dprkbrief.corpus_from_texts(
        {"a": "The summit in Singapore on June 12, 2018 ended.", "b": "Talks in 2019 failed."}
    )
    calls = _count_dates_step(monkeypatch)
    first = corpus_records(corpus, "dates")
    assert calls == ["a", "b"] and set(first["doc_id"]) == {"a", "b"}
    _same(first, corpus_records(corpus, "dates"))
    assert calls == ["a", "b"]  # the second call is a lookup
    sub = corpus.select(["b"])  # documents are shared: so is their memo
    assert list(corpus_records(sub, "dates")["doc_id"].unique()) == ["b"] and len(calls) == 2
    mine = tmp_path / "dates.toml"
    mine.write_text(RULE_KINDS["dates"].packaged.read_text(encoding="utf-8") + "\n# mine\n")
    corpus_records(corpus, "dates", resources_for({"dates": mine}))
    assert calls == ["a", "b", "a", "b"]  # other rules: computed afresh
    only = corpus_records(corpus, "dates", filters=[("value", "=", "2018-06-12")])
    assert list(only["doc_id"]) == ["a"]


def test_adding_a_step_recomputes_only_that_step(tmp_path, monkeypatch):
    """A build with one more step (here the expert registry) copies the other steps' files
    and computes only the new one, also for partitions written before step keys existed;
    experts() then merges the stored registry without reading the segments table."""
    src = tmp_path / "src"
    shutil.copytree(USER_DOCS, src)
    for f in FIXTURE.glob("*.txt"):
        shutil.copy(f, src / f.name)
    dates = _count_dates_step(monkeypatch)
    _build(src, tmp_path / "idx", partition_size=4)
    n_docs = len(dates)
    for info in (tmp_path / "idx" / "parts").glob("*.json"):  # as an older build wrote them
        data = json.loads(info.read_text(encoding="utf-8"))
        del data["step_keys"]
        info.write_text(json.dumps(data), encoding="utf-8")
    registry: list[str] = []
    real = annotate_mod.STEPS["registry"]

    def counted(document, resources):
        registry.append(document.doc_id)
        return real.func(document, resources)

    monkeypatch.setitem(
        annotate_mod.STEPS, "registry", annotate_mod.Step("registry", counted, real.rule_kinds)
    )
    dates.clear()
    second = _build(src, tmp_path / "idx", steps=[*RULE_STEPS, "registry"], partition_size=4)
    assert dates == [] and len(registry) == n_docs == second["recomputed_documents"]
    registry.clear()
    third = _build(src, tmp_path / "idx", steps=[*RULE_STEPS, "registry"], partition_size=4)
    assert registry == [] and third["recomputed"] == 0
    _build(src, tmp_path / "fresh", steps=[*RULE_STEPS, "registry"], partition_size=4)
    names = ("documents", *RULE_STEPS, "registry")
    got, want = _tables(tmp_path / "idx", names), _tables(tmp_path / "fresh", names)
    for name in want:
        _same(want[name], got[name])
    corpus, index = dprkbrief.load_corpus(src), open_index(tmp_path / "idx")
    expected = dprkbrief.experts(corpus)
    assert len(expected) > 5

    def no_segments(*args, **kwargs):
        raise AssertionError("experts() read the segments table")

    monkeypatch.setattr(type(index), "segments", no_segments)
    _same(expected, dprkbrief.experts(index))
    monkeypatch.undo()
    index = open_index(tmp_path / "idx")
    _same(dprkbrief.statements(corpus), dprkbrief.statements(index))


def test_local_cluster_workers_keep_no_profile_history():
    """The build's workers run without Dask's statistical profiler, whose per-second call
    trees (1,000 kept) made a worker's memory grow with the build's duration."""
    from dask.distributed import Client

    from dprkbrief.pipeline.index import local_cluster

    def busy(seconds):
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass
        return True

    with local_cluster(1) as cluster, Client(cluster) as client:
        assert client.submit(busy, 2.5).result()
        kept = client.run(lambda dask_worker: len(dask_worker.profile_history))
    assert list(kept.values()) == [0]
