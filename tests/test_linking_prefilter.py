"""The keyword prefilter of event linking and the shared date tagging of ``annotate``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from dprkbrief.events.catalog import load_events
from dprkbrief.events.linking import (
    Matchers,
    _fold,
    candidates,
    compile_events,
    dates_memo,
    find_dates,
    match_sentence,
    required_literals,
    tagged_dates,
)

ROOT = Path(__file__).resolve().parents[1]


def _example_texts() -> list[str]:
    out = []
    for r in load_events().itertuples(index=False):
        for ex in [*r.examples, *r.counter_examples]:
            out.append(ex if isinstance(ex, str) else ex["text"])
    return out


def test_fold_maps_every_character_an_ascii_letter_matches_case_insensitively():
    every = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for ch in set(re.findall(r"(?i)[a-z]", every)):
        letters = [x for x in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(f"(?i){x}", ch)]
        assert letters and all(x in _fold(ch) for x in letters), ch


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bsix[\s\-]+party[\s\-]+talks\b", {"party"}),
        (r"\b(release|freeing|return)\s+of\s+the\s+(USS\s+)?Pueblo\b", {"pueblo"}),
        (r"\b(?:Hanoi|Singapore)\s+(?:summit)?", {"hanoi", "singapore"}),
        (r"\b(?:Hanoi|Singapore)\s+summit", {"summit"}),
        (r"(?:ab)?c", {"c"}),
        (r"\b1950\s*[-–]\s*(19)?53\b", {"1950"}),
        (r"x{2,}yz", {"x", "yz"}),
    ],
)
def test_required_literals_reads_the_strings_every_match_contains(pattern, expected):
    need = required_literals(pattern)
    if expected == {"x", "yz"}:  # a repeat counts once: "x" or "yz" is a valid choice
        assert need in ({"x"}, {"yz"})
    else:
        assert need == expected


@pytest.mark.parametrize("pattern", [r"\d+", r"a|\d", r"(?:summit)?", r"[Ss]\d", r"(?=summit)\w+"])
def test_required_literals_is_none_when_no_string_is_certain(pattern):
    assert required_literals(pattern) is None


def test_every_cue_match_contains_one_of_its_literals():
    texts = _example_texts()
    checked = 0
    for ev in compile_events(load_events()):
        for _, rx in ev.cues:
            need = required_literals(rx)
            for t in texts:
                if need is not None and rx.search(t):
                    assert any(k in _fold(t) for k in need), (rx.pattern, t)
                    checked += 1
    assert checked > 50


def test_prefilter_changes_no_link_on_catalog_examples_and_the_seed_corpus():
    from dprkbrief import split_sentences

    compiled = compile_events(load_events())
    assert isinstance(compiled, Matchers)
    plain = list(compiled)
    texts = _example_texts()
    for f in sorted(ROOT.glob("corpus/*.txt")):
        texts += split_sentences(f.read_text(encoding="utf-8"))
    skipped = 0
    for t in texts:
        timexes, _ = find_dates(t, "2019-06-30")
        assert match_sentence(t, compiled, timexes) == match_sentence(t, plain, timexes)
        skipped += len(compiled) - len(candidates(t, compiled))
    assert skipped > len(texts)  # the prefilter does skip events


def test_candidates_keeps_catalog_order_and_a_plain_list_unfiltered():
    compiled = compile_events(load_events())
    got = candidates("The Hanoi summit collapsed; the Agreed Framework had failed.", compiled)
    ids = [ev.event_id for ev in got]
    assert ids == [ev.event_id for ev in compiled if ev.event_id in ids]
    assert {"hanoi_summit", "agreed_framework"} <= set(ids)
    assert "korean_war" not in ids
    hanoi = next(ev for ev in got if ev.event_id == "hanoi_summit")
    full = next(ev for ev in compiled if ev.event_id == "hanoi_summit")
    assert 0 < len(hanoi.cues) < len(full.cues)  # only the cues whose words occur
    assert all(c in full.cues for c in hanoi.cues)
    assert candidates("nothing here", list(compiled)) == list(compiled)


def test_dates_memo_tags_a_text_once_and_only_inside_the_block():
    text = "The talks resumed on 12 June 2018 and stalled in February 2019."
    with dates_memo():
        a = tagged_dates(text, "2019-06-30")
        assert tagged_dates(text, "2019-06-30") is a
        assert tagged_dates(text, "2020-01-01") is not a  # another reference date
    assert tagged_dates(text, "2019-06-30") is not tagged_dates(text, "2019-06-30")
    assert [r["value"] for r in a] == ["2018-06-12", "2019-02"]


def test_timeline_records_equal_the_timeline_rows_on_the_seed_and_user_documents():
    import warnings

    from dprkbrief import load_corpus
    from dprkbrief.analysis.timeline import timeline, timeline_records
    from dprkbrief.pipeline.annotate import plain

    corpora = [load_corpus(ROOT / "corpus"), load_corpus(ROOT / "tests" / "user_docs")]
    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for corpus in corpora:
            for opts in ({}, {"start": 2018, "end": 2019}):
                df = timeline(corpus, **opts)
                rows = [{k: plain(v) for k, v in r.items()} for r in df.to_dict("records")]
                recs = [
                    {k: plain(v) for k, v in r.items()} for r in timeline_records(corpus, **opts)
                ]
                assert recs == rows
                n += len(rows)
    assert n > 40


def test_annotate_many_equals_annotate_per_document_and_survives_a_failing_batch(monkeypatch):
    from dprkbrief.pipeline import annotate as A

    texts = [p for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += sorted((ROOT / "tests" / "user_docs").glob("*.txt"))[:3]
    docs = [A.make_document(f"d{i}", p.read_text(encoding="utf-8")) for i, p in enumerate(texts)]
    steps = ["segments", "dates", "mentions"]
    alone = [A.annotate(d, steps=steps) for d in docs]
    assert A.annotate_many(docs, steps=steps) == alone
    assert sum(len(t["mentions"]) for t in alone) > 20

    def boom(*a, **k):
        raise RuntimeError("batch failed")

    monkeypatch.setattr("dprkbrief.analysis.timeline.timeline_records", boom)
    errors: list[dict] = []
    got = A.annotate_many(docs[:2], steps=steps, errors=errors)
    assert [e["doc_id"] for e in errors] == ["d0", "d1"]  # each document's own error
    assert all(e["step"] == "mentions" for e in errors)
    assert [t["dates"] for t in got] == [t["dates"] for t in alone[:2]]
