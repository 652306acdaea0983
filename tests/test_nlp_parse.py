"""Parsing: offsets into the document text, batching, the content-addressed parse cache."""

from __future__ import annotations

import pickle
import threading

import pytest

import dprkbrief
from dprkbrief.nlp import parsing as p
from dprkbrief.resources.bundle import Resources

TEXT = (
    "Defense Secretary Lloyd Austin met Moon Jae-in in Seoul.\r\n\r\n"
    "  “We will talk,” Kim Jong Un said.\u00a0Talks followed.\n"
)


@pytest.fixture
def res(tmp_path, monkeypatch):
    monkeypatch.setenv(p.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(p.SWITCH_ENV, raising=False)
    p.clear_memory_cache()
    yield Resources()
    p.clear_memory_cache()


def _check_offsets(doc, text):
    assert doc.text == text
    for tok in doc:
        assert text[tok.idx : tok.idx + len(tok)] == tok.text
    for ent in doc.ents:
        assert text[ent.start_char : ent.end_char] == ent.text


def test_parse_offsets_index_the_document_text(res):
    corpus = dprkbrief.corpus_from_texts({"a": TEXT})
    doc = p.parse(corpus["a"], res)
    _check_offsets(doc, TEXT)
    people = {e.text for e in doc.ents if e.label_ == "PERSON"}
    assert {"Lloyd Austin", "Kim Jong Un"} <= people


def test_parse_many_keeps_order_and_parses_each_text_once(res):
    texts = ["Trump met Kim in Hanoi.", "", "Biden did not.", "Trump met Kim in Hanoi."]
    docs = p.parse_many(texts, res)
    assert [d.text for d in docs] == texts
    assert docs[0] is docs[3]  # same text, one parse
    assert p.parse(texts[2], res) is docs[2]  # memory cache


def test_parses_keep_no_token_vectors(res):
    """A fresh parse drops ``doc.tensor`` (nothing reads it after the pipeline), as a parse
    read from the disk cache has none; the annotations stay."""
    fresh = p.parse("Kim Jong Un met Donald Trump in Hanoi.", res)
    assert fresh.tensor.size == 0
    assert [e.text for e in fresh.ents if e.label_ == "PERSON"] == ["Kim Jong Un", "Donald Trump"]
    p.clear_memory_cache()
    cached = p.parse("Kim Jong Un met Donald Trump in Hanoi.", res)
    assert cached is not fresh and cached.tensor.shape == fresh.tensor.shape


class _NoPipe:
    """Stands in for the pipeline: any attempt to parse fails the test."""

    def __init__(self, nlp):
        self.vocab = nlp.vocab
        self.max_length = nlp.max_length

    def pipe(self, *args, **kwargs):
        raise AssertionError("parsed again instead of reading the cache")


def test_disk_cache_is_reused_across_processes(res, tmp_path):
    doc = p.parse(TEXT, res)
    files = list((tmp_path / "cache" / "parses").rglob("*.spacy"))
    assert len(files) == 1 and files[0].stem == p.parse_key(TEXT, res)
    assert not list((tmp_path / "cache").rglob(".tmp-*"))
    # a new process: no memory cache, no pipeline runs
    p.clear_memory_cache()
    fresh = pickle.loads(pickle.dumps(res))
    fresh._loaded["nlp"] = _NoPipe(res.nlp)
    again = p.parse(TEXT, fresh)
    _check_offsets(again, TEXT)
    assert [(e.text, e.label_) for e in again.ents] == [(e.text, e.label_) for e in doc.ents]
    assert [t.dep_ for t in again] == [t.dep_ for t in doc]


def test_cache_off_switch_writes_nothing(res, tmp_path, monkeypatch):
    p.parse("Kim said no.", res, cache=False)
    monkeypatch.setenv(p.SWITCH_ENV, "0")
    p.parse("Moon said yes.", res)
    # no parse was written (the model's verification stamp may be: it was taken before)
    assert not (tmp_path / "cache" / "parses").exists()


def test_damaged_cache_file_is_parsed_again(res, tmp_path):
    p.parse("Kim said no.", res)
    (f,) = (tmp_path / "cache" / "parses").rglob("*.spacy")
    f.write_bytes(b"garbage")
    p.clear_memory_cache()
    assert p.parse("Kim said no.", res).text == "Kim said no."


def test_key_depends_on_text_and_model(res, monkeypatch):
    k = p.parse_key("Kim said no.", res)
    assert k != p.parse_key("Kim said no!", res)
    monkeypatch.setattr(Resources, "parse_fingerprint", property(lambda self: "other"))
    assert k != p.parse_key("Kim said no.", res)


def test_concurrent_writers_leave_one_whole_file(res, tmp_path):
    doc = p.parse("Kim said no.", res, cache=False)
    key = p.parse_key("Kim said no.", res)
    threads = [threading.Thread(target=p._write_cached, args=(key, doc, res)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert p._read_cached(key, res).text == "Kim said no."
    assert not list((tmp_path / "cache").rglob(".tmp-*"))


@pytest.mark.parametrize("limit", [1, 7, 40, 1000])
def test_chunk_spans_cover_the_text(limit):
    text = "First para one.\n\nSecond para\nline two.\n\n\nThird " + "x" * 50 + " end."
    spans = p.chunk_spans(text, limit)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(0 < e - s <= limit for s, e in spans)


def test_chunk_spans_prefer_paragraph_breaks():
    text = "Alpha beta.\n\nGamma delta.\nEpsilon."
    assert p.chunk_spans(text, 22) == [(0, 13), (13, len(text))]
    assert p.chunk_spans(text, 20) == [(0, 13), (13, 26), (26, len(text))]


def test_long_text_is_parsed_in_chunks_with_offsets_kept(res, monkeypatch):
    para = "Kim Jong Un met Donald Trump in Hanoi. The talks ended early.\n\n"
    text = para * 12 + "Moon Jae-in said nothing."
    monkeypatch.setattr(res.nlp, "max_length", 200)
    doc = p.parse(text, res, cache=False)
    _check_offsets(doc, text)
    assert sum(1 for e in doc.ents if e.text == "Hanoi") == 12


def test_bad_document_type_is_a_clear_error(res):
    with pytest.raises(dprkbrief.errors.ParameterError, match="'document'"):
        p.parse(42, res)


def test_parse_spans_keep_ordinary_paragraphs_together_and_cut_long_ones(monkeypatch):
    monkeypatch.setattr(p, "_LONG_PARAGRAPH", 50)
    monkeypatch.setattr(p, "_PIECE", 20)
    short = "Kim met Trump.\n\nThey talked."
    long_para = "word " * 30  # 150 characters in one paragraph
    text = short + "\n\n" + long_para + "\n\n" + short
    spans = p.parse_spans(text, 10_000)
    assert spans[0] == (0, len(short) + 2) and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    start = text.index("word")
    inside = [(s, e) for s, e in spans if start <= s and e <= start + len(long_para)]
    assert len(inside) >= 7 and all(e - s <= 20 for s, e in inside)
    # a text of ordinary paragraphs is one span
    assert p.parse_spans(short, 10_000) == [(0, len(short))]


def test_a_long_unbroken_paragraph_is_parsed_in_pieces_with_offsets_kept(res, monkeypatch):
    monkeypatch.setattr(p, "_LONG_PARAGRAPH", 60)
    monkeypatch.setattr(p, "_PIECE", 30)
    text = "Kim said no.\n\n" + "(" * 80 + "“talks”" + ")" * 80 + "\n\nTrump said yes."
    doc = p.parse(text, res, cache=False)
    _check_offsets(doc, text)
    assert doc.text == text


def test_doc_text_is_the_text_and_read_once_per_doc(res, monkeypatch):
    doc = p.parse(TEXT, res)
    assert p.doc_text(doc) == TEXT == doc.text
    # a Doc from elsewhere: read from spaCy once, then remembered for that Doc only
    other = res.nlp.make_doc("Kim said so.")
    assert p.doc_text(other) == "Kim said so."
    assert p.doc_text(other) is p.doc_text(other)
    assert p._TEXTS[other] == "Kim said so."
    assert p._TEXTS[doc] == TEXT


def test_doc_memo_lives_with_its_doc():
    import gc

    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    a, b = nlp("one text"), nlp("another text")
    p.doc_memo(a)["k"] = 1
    assert p.doc_memo(a) == {"k": 1} and p.doc_memo(b) == {}
    assert p.doc_memo("not a doc") == {}  # a str cannot be weakly referenced: no memo
    before = len(p._DOC_MEMOS)
    del a
    gc.collect()
    assert len(p._DOC_MEMOS) == before - 1
