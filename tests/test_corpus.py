"""Corpus loading: discovery, decoding, catalog, metadata inference, bad input."""

from __future__ import annotations

import re
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


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        # a wire tag or a dateline after a page's boilerplate line still opens a news story
        (
            "Thanks for reading our site.\n\n(Yonhap) — The two Koreas reopened a hotline on Tuesday, "
            "officials said. The launch was the third this month.\n",
            "news",
        ),
        (
            "Correct this article's text.\n\nSAN DIEGO (California), December 25. The crew "
            "members came home. They were greeted by their families.\n",
            "news",
        ),
        # a heading in the front matter or one that ends the text heads no section
        (
            "Published: 29 Jul. 2025, 10:26\n\nThe envoy said the talks were over. She said "
            "the two sides had met twice. He said they would not meet again.\n",
            "news",
        ),
        (
            "North Korea fired a missile early Wednesday, officials said. The US said it "
            "detected the launch. Officials said it flew far.\n\nThe US believes Pyongyang m",
            "news",
        ),
        # an opinion section named in a breadcrumb or the title's label
        (
            "Home > Opinion > Editorials\n\nA deal worth making\n\nThe talks have "
            "stalled for a year, and Washington must act now to revive them.\n",
            "analysis",
        ),
        # headings that divide the body into sections
        (
            "Talks\n\n"
            + "The talks have stalled for a year and nobody knows why. " * 5
            + "\n\nOptions\n\n"
            + "Washington has three options, each worse. " * 5
            + "\n",
            "analysis",
        ),
    ],
)
def test_genre_inferred_from_the_story_signature(text, genre):
    meta = dprkbrief.corpus_from_texts({"g": text})["g"].meta
    assert meta["genre"] == genre, meta["genre_source"]


# --- decoding per file ---------------------------------------------------------------------

CURLY = "Kim\u2019s \u201cletter\u201d arrived \u2014 late."


def caught_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [str(w.message) for w in caught if issubclass(w.category, DprkbriefWarning)]


def test_one_stray_byte_keeps_the_utf8_text_and_names_its_offset(tmp_path):
    good = CURLY.encode("utf-8")
    write(tmp_path / "mixed.txt", good + b" A stray \x92 quote and \x81 byte.")
    c, msgs = caught_warnings(lambda: dprkbrief.load_corpus(tmp_path))
    text = c["mixed"].text
    assert text.startswith(CURLY)  # no mojibake in the valid UTF-8 part
    assert "stray \u2019 quote" in text and "and \ufffd byte" in text
    assert len(msgs) == 1
    offset = len(good) + len(" A stray ")
    assert "mixed.txt" in msgs[0] and f"byte offset(s) {offset}, {offset + 12}" in msgs[0]
    assert "cp1252" in msgs[0] and "U+FFFD" in msgs[0]


def test_legacy_file_is_decoded_by_detection_with_offsets(tmp_path):
    write(tmp_path / "old.txt", CURLY.encode("cp1252"))
    c, msgs = caught_warnings(lambda: dprkbrief.load_corpus(tmp_path))
    assert c["old"].text == CURLY
    assert len(msgs) == 1 and "old.txt" in msgs[0] and "cp1252" in msgs[0]
    assert "byte offset(s) 3, 6, 13, 23" in msgs[0] and "charset-normalizer" in msgs[0]


def test_cyrillic_legacy_file_is_not_read_as_latin(tmp_path):
    text = "Переговоры в Ханое закончились без соглашения, и стороны разъехались."
    write(tmp_path / "ru.txt", text.encode("cp1251"))
    c, msgs = caught_warnings(lambda: dprkbrief.load_corpus(tmp_path))
    assert c["ru"].text == text and "cp1251" in msgs[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path, encoding):
    data = CURLY.encode(encoding)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        import codecs

        bom = codecs.BOM_UTF16_BE if "16" in encoding else codecs.BOM_UTF32_BE
        data = bom + data
    write(tmp_path / "wide.txt", data)
    c, msgs = caught_warnings(lambda: dprkbrief.load_corpus(tmp_path))
    assert c["wide"].text == CURLY and msgs == []


def test_a_nul_after_the_first_8kb_is_refused(tmp_path):
    write(tmp_path / "late.txt", b"Plain text. " * 1000 + b"\x00 tail")
    with pytest.raises(CorpusError, match=r"late\.txt.*binary.*NUL byte at byte offset 12000"):
        dprkbrief.load_corpus(tmp_path)


# --- discovery -----------------------------------------------------------------------------


def test_symlinks_out_of_the_corpus_are_skipped_and_reported(tmp_path):
    outside = write(tmp_path / "secret.txt", "Outside text that must not load.")
    (tmp_path / "shared").mkdir()
    write(tmp_path / "shared" / "x.txt", "Outside folder text.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "a.txt", "Inside text.")
    (corpus / "passwd.txt").symlink_to(outside)
    (corpus / "dir").symlink_to(tmp_path / "shared")
    (corpus / "alias.txt").symlink_to(corpus / "a.txt")  # inside: fine
    c, msgs = caught_warnings(lambda: dprkbrief.load_corpus(corpus))
    assert c.doc_ids == ["a", "alias"]
    assert len(msgs) == 1 and "outside the corpus" in msgs[0]
    assert "passwd.txt" in msgs[0] and "dir" in msgs[0]


def test_everything_skipped_is_named_in_one_warning(tmp_path, monkeypatch):
    import os

    write(tmp_path / "a.txt", "Text.")
    write(tmp_path / ".hidden.txt", "Hidden text.")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "locked").mkdir()
    write(tmp_path / "locked" / "b.txt", "Locked text.")
    write(tmp_path / "notes.pdf", b"%PDF")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    c, msgs = caught_warnings(lambda: dprkbrief.load_corpus(tmp_path))
    assert c.doc_ids == ["a"]
    assert len(msgs) == 1
    for name, reason in [
        (".hidden.txt", "hidden"),
        ("gone.txt", "broken symbolic link"),
        ("pipe.txt", "not a regular file"),
        ("locked", "unreadable folder"),
        ("notes.pdf", "not a .txt or .md"),
    ]:
        assert re.search(f"{reason}[^;]*{re.escape(name)}", msgs[0]), (name, msgs[0])


def test_catalog_that_is_a_folder_or_unreadable_is_a_clear_error(tmp_path, monkeypatch):
    from pathlib import Path

    write(tmp_path / "a.txt", "Text.")
    (tmp_path / "catalog.toml").mkdir()
    with pytest.raises(CorpusError, match=r"catalog\.toml is a folder"):
        dprkbrief.load_corpus(tmp_path)
    (tmp_path / "catalog.toml").rmdir()
    write(tmp_path / "catalog.toml", "")
    real = Path.read_text

    def read_text(self, *args, **kwargs):
        if self.name == "catalog.toml":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    with pytest.raises(CorpusError, match=r"cannot read the catalog .*catalog\.toml.*permission"):
        dprkbrief.load_corpus(tmp_path)


# --- doc_ids and metadata ------------------------------------------------------------------


def test_file_names_become_doc_ids_corpus_from_texts_accepts(tmp_path):
    write(tmp_path / "a\nb.txt", "First text.")
    write(tmp_path / "<script>.txt", "Second text.")
    write(tmp_path / "my notes.md", "Third text.")
    c, msgs = caught_warnings(lambda: dprkbrief.load_corpus(tmp_path))
    assert c.doc_ids == ["_script_", "a_b", "my_notes"]
    assert len(msgs) == 1 and "'my notes.md' -> 'my_notes'" in msgs[0]
    again = dprkbrief.corpus_from_texts({d: c[d].text for d in c})
    assert again.doc_ids == c.doc_ids
    with pytest.raises(CorpusError, match="invalid doc_id"):
        dprkbrief.corpus_from_texts({"a\n": "Text."})


def test_two_names_that_sanitise_alike_are_refused(tmp_path):
    write(tmp_path / "a b.txt", "First text.")
    write(tmp_path / "a_b.txt", "Second text.")
    with pytest.raises(CorpusError, match="same doc_id 'a_b'"):
        dprkbrief.load_corpus(tmp_path)


@pytest.mark.parametrize(
    "meta, message",
    [
        ({"genre": "bogus"}, r"genre 'bogus'; allowed are interview, analysis, news, other"),
        ({"authors": "Jane Roe"}, r"'authors'.*must be a list"),
        ({"date": "2020-13"}, r"'date'.*real calendar date"),
    ],
)
def test_corpus_from_texts_validates_metadata_values(meta, message):
    with pytest.raises(CorpusError, match=message):
        dprkbrief.corpus_from_texts({"a": "Text."}, metadata={"a": meta})


def test_editing_a_returned_segment_table_leaves_the_corpus_unchanged():
    c = dprkbrief.corpus_from_texts({"a": "One sentence here. Another one.\n\nA second paragraph."})
    first = c.segments("sentence")
    first.loc[0, "text"] = "edited"
    first["kind"] = "edited"
    again = c.segments("sentence")
    assert again.loc[0, "text"] == "One sentence here."
    assert "edited" not in set(again["kind"])
