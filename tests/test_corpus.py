"""Corpus loading: discovery, decoding, catalog, metadata inference, bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings

import pytest
from conftest import CORPUS

import dprkbrief
from dprkbrief.errors import CorpusError, DprkbriefWarning, ParameterError


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_seed_documents_are_byte_identical_to_shared(shared_dir):
    for seed in sorted((shared_dir / "seeds").glob("*.txt")):
        assert (CORPUS / seed.name).read_bytes() == seed.read_bytes()


def test_documents_table_has_documented_columns(corpus):
    df = corpus.documents
    for col in [
        "doc_id",
        "path",
        "title",
        "date",
        "date_precision",
        "date_source",
        "genre",
        "authors",
        "speakers",
        "publisher",
        "n_chars",
        "n_words",
    ]:
        assert col in df.columns
    assert len(df) == len(corpus) == 3
    assert df["n_chars"].tolist() == [len(corpus[d].text) for d in df["doc_id"]]


def test_every_catalog_value_carries_provenance(corpus):
    df = corpus.documents
    for col in [
        "date_source",
        "title_source",
        "genre_source",
        "authors_source",
        "publisher_source",
    ]:
        for v in df[col]:
            assert v == "missing" or v.startswith(("stated", "inferred: ", "curated: "))
    # a document without a date line gets its date from the catalog, with the reason
    inferred = df[df["date_source"].str.startswith("inferred")]
    assert len(inferred) >= 1 and inferred["date"].notna().all()


def test_loader_infers_metadata_from_text(tmp_path):
    write(
        tmp_path / "talk.txt",
        "A Conversation on Summits\n\n• Interview\n• March 3, 2021\n\n"
        "Jane Roe: What comes next?\n\nJohn Doe: Talks, probably.\n\n"
        "Jane Roe: Why?\n\nJohn Doe: Because both sides need them.\n",
    )
    write(
        tmp_path / "essay.md",
        "# Sanctions Revisited\n\nBy Ann Lee and Bo Kim\n\nSanctions have not worked. "
        "They were never enforced.\n\n## Why\n\nBecause neighbours traded.\n",
    )
    c = dprkbrief.load_corpus(tmp_path)
    talk, essay = c["talk"].meta, c["essay"].meta
    assert talk["title"] == "A Conversation on Summits"
    assert (talk["date"], talk["date_precision"], talk["date_source"]) == (
        "2021-03-03",
        "day",
        "stated",
    )
    assert talk["genre"] == "interview"
    assert talk["speakers"] == ["Jane Roe", "John Doe"]
    assert talk["interviewer"] == "Jane Roe"
    assert essay["title"] == "Sanctions Revisited"
    assert essay["authors"] == ["Ann Lee", "Bo Kim"] and essay["authors_source"] == "stated"
    assert essay["date"] is None and essay["date_source"] == "missing"


def test_single_paragraph_without_title_loads(tmp_path):
    write(tmp_path / "note.txt", "north korea fired two missiles and nobody was surprised.")
    c = dprkbrief.load_corpus(tmp_path)
    meta = c["note"].meta
    assert meta["title_source"].startswith("inferred")
    assert meta["genre"] in ("other", "news", "analysis")
    assert len(c.segments("sentence")) == 1


def test_utf8_bom_is_accepted_and_offsets_index_decoded_text(tmp_path):
    write(tmp_path / "bom.txt", b"\xef\xbb\xbfHello there. General text.")
    c = dprkbrief.load_corpus(tmp_path)
    assert c["bom"].text.startswith("Hello")


def test_cp1252_fallback_warns_naming_the_file(tmp_path):
    write(tmp_path / "old.txt", "Kim\u2019s \u201cletter\u201d arrived.".encode("cp1252"))
    with pytest.warns(DprkbriefWarning, match=r"old\.txt.*cp1252"):
        c = dprkbrief.load_corpus(tmp_path)
    assert "Kim’s “letter”" in c["old"].text


def test_binary_file_is_refused_with_the_file_name(tmp_path):
    write(tmp_path / "ok.txt", "Fine text.")
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CorpusError, match=r"image\.txt.*binary"):
        dprkbrief.load_corpus(tmp_path)


def test_empty_file_is_refused(tmp_path):
    write(tmp_path / "empty.txt", "  \n\xa0\n")
    with pytest.raises(CorpusError, match=r"empty\.txt.*empty"):
        dprkbrief.load_corpus(tmp_path)


def test_other_files_are_listed_in_one_warning(tmp_path):
    write(tmp_path / "a.txt", "Text.")
    write(tmp_path / "b.pdf", b"%PDF")
    write(tmp_path / "c.docx", b"PK")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = dprkbrief.load_corpus(tmp_path)
    msgs = [str(w.message) for w in caught if issubclass(w.category, DprkbriefWarning)]
    assert len(msgs) == 1 and "b.pdf" in msgs[0] and "c.docx" in msgs[0]
    assert c.doc_ids == ["a"]


def test_missing_and_empty_directories(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        dprkbrief.load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no .txt or .md"):
        dprkbrief.load_corpus(tmp_path)
    with pytest.raises(ParameterError, match="'path'"):
        dprkbrief.load_corpus(42)


@pytest.mark.parametrize(
    "catalog, message",
    [
        (
            '[documents."ghost"]\ndate = { value = "2020", source = "stated" }',
            r"'ghost'.*does not exist",
        ),
        (
            '[documents."a"]\ndate = { value = "2020-02-30", source = "stated" }',
            r"'date'.*real calendar date",
        ),
        ('[documents."a"]\ndate = "2020"', r"'date'.*value = \.\.\."),
        ('[documents."a"]\ndate = { value = "2020", source = "a guess" }', r"'date'.*source"),
        ('[documents."a"]\ncolour = { value = "red", source = "stated" }', r"'colour'.*unknown"),
        ('[documents."a"]\ngenre = { value = "poem", source = "stated" }', r"genre 'poem'"),
        ('[documents."a"\n', r"catalog\.toml.*not valid TOML"),
    ],
)
def test_broken_catalog_names_file_field_and_fix(tmp_path, catalog, message):
    write(tmp_path / "a.txt", "Text.")
    write(tmp_path / "catalog.toml", catalog)
    with pytest.raises(CorpusError, match=message):
        dprkbrief.load_corpus(tmp_path)


def test_catalog_overrides_inference_and_keeps_its_source(tmp_path):
    write(tmp_path / "a.txt", "Title Line\n\nSome analysis text here.")
    write(
        tmp_path / "catalog.toml",
        '[documents."a"]\ndate = { value = "2019-10", source = "curated: website" }\n'
        'authors = { value = ["X Y"], source = "curated: website" }\n',
    )
    meta = dprkbrief.load_corpus(tmp_path)["a"].meta
    assert (meta["date"], meta["date_precision"], meta["date_source"]) == (
        "2019-10",
        "month",
        "curated: website",
    )
    assert meta["authors"] == ["X Y"]


def test_getitem_unknown_id_lists_known_ids(corpus):
    with pytest.raises(KeyError, match="known ids"):
        corpus["nope"]
    with pytest.raises(CorpusError, match="unknown doc_id"):
        corpus.segments("sentence", docs=["nope"])


def test_relative_corpus_dir_is_found_from_a_subfolder(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    write(tmp_path / "corpus" / "a.txt", "Text.")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert dprkbrief.load_corpus("corpus").doc_ids == ["a"]


def test_original_files_are_not_modified(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "c")
    before = {f.name: f.read_bytes() for f in (tmp_path / "c").iterdir()}
    c = dprkbrief.load_corpus(tmp_path / "c")
    for level in ("section", "turn", "paragraph", "sentence"):
        c.segments(level)
    assert {f.name: f.read_bytes() for f in (tmp_path / "c").iterdir()} == before


def test_corpus_from_texts_validates_input():
    with pytest.raises(CorpusError, match="empty"):
        dprkbrief.corpus_from_texts({"a": "  "})
    with pytest.raises(CorpusError, match="unknown field"):
        dprkbrief.corpus_from_texts({"a": "x"}, metadata={"a": {"colour": "red"}})
    c = dprkbrief.corpus_from_texts({"a": "Hello."}, metadata={"a": {"date": "2020-01-02"}})
    assert c["a"].meta["date_source"] == "curated: corpus_from_texts"


def test_import_does_not_load_pandas_or_matplotlib():
    code = (
        "import sys, dprkbrief; "
        "print(any(m in sys.modules for m in ('pandas', 'matplotlib', 'papermill')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


NEWS = """North Korea Fires Missile Ahead of Talks

By Jane Doe

SEOUL, Dec. 26, 2024 (Reuters) — North Korea fired a ballistic missile on Thursday, officials
said, days before envoys were due to meet. "This is a message to Washington," said Kim Minsu, a
professor at Example University in Seoul.

The launch was the third this month, according to the Joint Chiefs of Staff.
"""


def test_news_story_with_dateline_byline_and_wrapped_lines():
    c = dprkbrief.corpus_from_texts({"news": NEWS})
    meta = c["news"].meta
    assert meta["genre"] == "news"
    assert (meta["date"], meta["date_source"]) == ("2024-12-26", "stated")
    assert meta["authors"] == ["Jane Doe"]
    paras = c.segments("paragraph")
    assert paras["kind"].tolist() == ["title", "byline", "body", "body"]
    sents = c.segments("sentence")
    assert any(t.startswith('"This is a message to Washington,"') for t in sents["text"])
