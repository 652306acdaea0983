"""Robustness on documents the corpus has never seen (tests/user_docs/).

The documents under ``tests/user_docs/`` are invented (people, institutes, events) and vary
in shape: Q/A and ALL-CAPS panel transcripts, a hard-wrapped e-mail, Markdown, a wire story,
a two-author op-ed, a bare paragraph, CRLF + BOM and cp1252 files, tricky dates, HTML
injection and lists/tables; a ~1 MB document is built here. These tests pin the behaviour a
user relies on when dropping such files into ``corpus/``: it loads, segments losslessly, and
every finding carries evidence that matches the text.
"""

from __future__ import annotations

import io
import json
import math
import shutil
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import dprkbrief
from dprkbrief.errors import CorpusError, DprkbriefWarning

USER_DOCS = Path(__file__).parent / "user_docs"
LEVELS = ("section", "turn", "paragraph", "sentence")
N_DOCS = len([p for p in USER_DOCS.iterdir() if p.suffix in (".txt", ".md")])


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory) -> Path:
    """A fresh copy of the user documents, as a user's corpus folder."""
    target = tmp_path_factory.mktemp("user") / "corpus"
    shutil.copytree(USER_DOCS, target)
    return target


@pytest.fixture(scope="module")
def uc(user_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DprkbriefWarning)
        return dprkbrief.load_corpus(user_dir)


def meta(uc, doc_id: str) -> dict:
    return uc.documents.set_index("doc_id").loc[doc_id].to_dict()


def assert_lossless(doc_text: str, seg) -> None:
    """Ordered, non-overlapping, exact text, only whitespace between and around segments."""
    pos = 0
    for row in seg.itertuples():
        assert row.start >= pos, f"{row.seg_id} overlaps the previous segment"
        assert doc_text[pos : row.start].strip() == "", f"non-space text before {row.seg_id}"
        assert doc_text[row.start : row.end] == row.text, row.seg_id
        assert row.text.strip() == row.text, f"{row.seg_id} is not stripped"
        pos = row.end
    assert doc_text[pos:].strip() == ""


def assert_evidence(uc, df, quote: str = "quote") -> None:
    assert {"doc_id", "start", "end", quote} <= set(df.columns)
    for row in df.itertuples():
        assert uc[row.doc_id].text[row.start : row.end] == getattr(row, quote)


# --- loading and decoding ------------------------------------------------------------------


def test_every_user_document_loads_with_one_warning_for_cp1252(user_dir):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = dprkbrief.load_corpus(user_dir)
    assert len(corpus) == N_DOCS >= 10
    msgs = [str(w.message) for w in caught if issubclass(w.category, DprkbriefWarning)]
    assert len(msgs) == 1 and "08b_cp1252.txt" in msgs[0] and "cp1252" in msgs[0]


def test_cp1252_text_is_decoded_to_the_right_characters(uc):
    text = uc["08b_cp1252"].text
    assert "Café" in text and "José Martínez" in text
    assert "“Sunshine Policy”" in text and "1998–2008" in text and "…" in text


def test_bom_is_dropped_and_crlf_kept_so_offsets_match_the_decoded_text(uc):
    text = uc["08a_crlf_bom"].text
    assert not text.startswith("\ufeff")
    assert "\r\n" in text
    assert meta(uc, "08a_crlf_bom")["title"] == "Risk Reduction Before Disarmament"
    paras = uc["08a_crlf_bom"].segments("paragraph")
    assert not any("\r" in t for t in paras.text)  # line ends never leak into a paragraph


def test_documents_table_uses_none_never_nan(uc):
    for row in uc.documents.to_dict("records"):
        for key, value in row.items():
            assert not (isinstance(value, float) and math.isnan(value)), (row["doc_id"], key)


def test_unusable_files_get_clear_errors_or_warnings(tmp_path):
    (tmp_path / "a.txt").write_text("A title\n\nSome text about talks in 2019.\n")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not text")
    with pytest.warns(DprkbriefWarning, match="notes.docx"):
        assert dprkbrief.load_corpus(tmp_path).doc_ids == ["a"]
    (tmp_path / "notes.docx").unlink()
    (tmp_path / "blank.txt").write_text("  \n\n")
    with pytest.raises(CorpusError, match="blank.txt.*empty"):
        dprkbrief.load_corpus(tmp_path)
    (tmp_path / "blank.txt").write_bytes(b"\x00\x01\x02 binary")
    with pytest.raises(CorpusError, match="blank.txt.*binary"):
        dprkbrief.load_corpus(tmp_path)


# --- lossless segmentation -----------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_segments_are_lossless_on_every_user_document(uc, level):
    table = uc.segments(level)
    assert set(table.doc_id) == set(uc.doc_ids)
    assert table.seg_id.is_unique
    for doc_id in uc.doc_ids:
        assert_lossless(uc[doc_id].text, table[table.doc_id == doc_id])


def test_sentences_nest_inside_their_paragraphs(uc):
    paras = uc.segments("paragraph").set_index("seg_id")
    for row in uc.segments("sentence").itertuples():
        p = paras.loc[row.paragraph_id]
        assert p.start <= row.start and row.end <= p.end, row.seg_id


@pytest.mark.parametrize(
    "text",
    [
        "Title\n\u00a0\n\nBody one.\n\u00a0\nBody two.\u2028Next line\x0cpage two.",
        "\tTitle\t\n\n\u3000Body \u200b one.\r\rOld Mac line.\rAnother.",
        "Q:\n\nA:\n\nQ: ?",
        "x",
    ],
)
def test_odd_whitespace_and_degenerate_texts_stay_lossless(text):
    corpus = dprkbrief.corpus_from_texts({"odd": text})
    for level in LEVELS:
        assert_lossless(text, corpus.segments(level))


def test_a_one_megabyte_document_is_segmented_losslessly():
    paras = (USER_DOCS / "06_oped.txt").read_text(encoding="utf-8").split("\n\n")[3:-1]
    block = "\n\n".join(paras)
    head = "A Very Long Report\n\nBy Test Author\n\nMarch 1, 2022\n\n"
    text = head + "\n\n".join([block] * (1_000_000 // len(block) + 1))
    assert len(text) > 1_000_000
    corpus = dprkbrief.corpus_from_texts({"long": text})
    sentences = corpus.segments("sentence")
    assert_lossless(text, sentences)
    assert len(sentences) > 10_000
    assert meta(corpus, "long")["authors"] == ["Test Author"]
    hits = dprkbrief.kwic(corpus, "freeze")
    assert len(hits) == text.count("freeze")


# --- metadata and kinds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_id", "title"),
    [
        ("01_qa_transcript", "Sanctions Fatigue and the Road Back to Talks"),
        ("02_panel", "PANEL DISCUSSION: IS DENUCLEARIZATION STILL THE GOAL?"),
        ("05_wire", "North Korea fires ballistic missile as talks stall"),
        ("06_oped", "The Case for Patience on the Peninsula"),
        ("08b_cp1252", "Café Diplomacy: Notes on Seoul’s “Sunshine” Legacy"),
        ("12_lists", "Five Steps Toward a Verifiable Freeze"),
    ],
)
def test_titles_are_the_first_line(uc, doc_id, title):
    assert meta(uc, doc_id)["title"] == title
    assert meta(uc, doc_id)["title_source"] == "stated"


def test_a_bare_paragraph_gets_an_inferred_title_and_no_invented_metadata(uc):
    m = meta(uc, "07_paragraph")
    assert m["title_source"].startswith("inferred")
    assert m["title"].startswith("The negotiations are unlikely")
    assert m["date"] is None and m["date_source"] == "missing"
    assert m["authors"] == [] and m["genre"] == "other"


@pytest.mark.parametrize(
    ("doc_id", "date"),
    [
        ("02_panel", "2022-09-09"),
        ("03_email", "2023-03-06"),
        ("04_markdown", "2021-06-12"),
        ("06_oped", "2020-11-02"),
        ("08a_crlf_bom", "2021-10-08"),
        ("08b_cp1252", "2020-08-21"),
        ("09_tricky_dates", "2019-07-15"),
        ("12_lists", "2024-01-20"),
    ],
)
def test_stated_dates_are_found(uc, doc_id, date):
    m = meta(uc, doc_id)
    assert (m["date"], m["date_precision"], m["date_source"]) == (date, "day", "stated")


@pytest.mark.parametrize(
    ("doc_id", "genre"),
    [("01_qa_transcript", "interview"), ("02_panel", "interview"), ("05_wire", "news")],
)
def test_genres_from_labels_and_datelines(uc, doc_id, genre):
    assert meta(uc, doc_id)["genre"] == genre


@pytest.mark.parametrize(
    ("doc_id", "authors"),
    [
        ("06_oped", ["Marcus Feld", "Aiko Tanaka"]),
        ("08a_crlf_bom", ["Nina Kowalski"]),
        ("08b_cp1252", ["José Martínez"]),
        ("10_html_injection", ["Rafael Ortiz"]),
    ],
)
def test_by_lines_give_authors(uc, doc_id, authors):
    assert meta(uc, doc_id)["authors"] == authors
    paras = uc[doc_id].segments("paragraph")
    assert paras.kind.iloc[:2].tolist() == ["title", "byline"]


def test_end_bios_are_bio_not_body(uc):
    for doc_id in ("06_oped", "08a_crlf_bom"):
        paras = uc[doc_id].segments("paragraph")
        assert paras.kind.iloc[-1] == "bio"
        assert paras.section.iloc[-1] is None


def test_markdown_headings_and_blockquote(uc):
    paras = uc["04_markdown"].segments("paragraph")
    headings = paras[paras.kind == "heading"].text.tolist()
    assert headings == ["## Summary", "## Background", "## Assessment", "## Conclusion"]
    quote = paras[paras.text.str.startswith(">")]
    assert quote.kind.tolist() == ["body"] and quote.section.tolist() == ["## Background"]


def test_numbered_and_roman_lists_are_list_items(uc):
    paras = uc["12_lists"].segments("paragraph")
    items = paras[paras.kind == "list_item"].text.str.split().str[0].tolist()
    assert items == ["1.", "2.", "3.", "I)", "II)", "III)"]


def test_signature_separator_in_the_email(uc):
    paras = uc["03_email"].segments("paragraph")
    assert paras[paras.text == "--"].kind.tolist() == ["separator"]
    # hard-wrapped lines stay in one paragraph
    assert any("\n" in t and t.startswith("First, most participants") for t in paras.text)


# --- speakers and turns --------------------------------------------------------------------


def test_qa_labels_make_alternating_turns_with_questions(uc):
    m = meta(uc, "01_qa_transcript")
    assert m["speakers"] == ["Q", "A"] and m["interviewer"] == "Q"
    turns = uc["01_qa_transcript"].segments("turn")
    speech = turns[turns.kind == "speech"]
    assert speech.speaker.tolist() == ["Q", "A"] * 4
    for row in speech.itertuples():
        assert row.text.startswith(f"{row.speaker}:")
    paras = uc["01_qa_transcript"].segments("paragraph")
    assert set(paras[paras.speaker == "Q"].kind) == {"question"}


def test_all_caps_panel_labels_give_three_speakers_and_a_moderator(uc):
    m = meta(uc, "02_panel")
    assert len(m["speakers"]) == 4 and m["interviewer"] == "Moderator"
    sents = uc["02_panel"].segments("sentence")
    labels = sents[sents.kind == "speaker_label"]
    assert len(labels) == 8
    for row in labels.itertuples():
        assert row.text.endswith(":") and row.speaker is not None
        assert row.text[:-1].lower().split()[-1] == row.speaker.lower().split()[-1]


def test_panel_experts_unify_caps_label_and_prose_mentions(uc):
    ex = dprkbrief.experts(uc).set_index("expert")
    for name, upper, prose in [
        ("Jane Roe", "DR. JANE ROE", "Dr. Jane Roe"),
        ("Min-Jun Park", "DR. MIN-JUN PARK", "Dr. Min-Jun Park"),
    ]:
        assert {upper, prose} <= set(ex.loc[name, "aliases"])
        assert ex.loc[name, "role"] == "interviewee"
        assert ex.loc[name, "doc_ids"] == ["02_panel"]


# --- analyses ------------------------------------------------------------------------------


def test_experts_quoted_in_news_have_affiliations_and_evidence(uc):
    ex = dprkbrief.experts(uc)
    assert_evidence(uc, ex)
    by = ex.set_index("expert")
    assert by.loc["Laura Chen", "affiliation"] == "Eastbridge University"
    assert "Chen" in by.loc["Laura Chen", "aliases"]
    assert by.loc["Daniel Avery", "affiliation"] == "Atlantic Policy Council"
    assert by.loc["Omar Haddad", "affiliation"] == "Cedar Institute"
    assert by.loc["Marcus Feld", "affiliation"] == "Center for Allied Strategy"
    assert set(by.loc[["Laura Chen", "Daniel Avery"], "role"]) == {"quoted"}


def test_statements_carry_evidence_and_name_speakers_and_quoted_experts(uc):
    st = dprkbrief.statements(uc)
    assert_evidence(uc, st)
    assert set(st.doc_id) == set(uc.doc_ids)
    assert set(st.voice) <= {"own", "reported"}
    panel = st[st.doc_id == "02_panel"]
    assert {"Jane Roe", "Min-Jun Park"} <= set(panel.expert)
    wire = st[(st.doc_id == "05_wire") & (st.expert == "Daniel Avery")]
    assert any(q.startswith('"There is still a window') for q in wire.quote)
    oped = st[st.doc_id == "06_oped"]
    assert set(oped.expert) == {"Marcus Feld & Aiko Tanaka"}
    assert not set(st.kind) & {"title", "byline", "bio", "heading", "speaker_label"}


def test_positions_and_compare_carry_evidence(uc):
    pos = dprkbrief.positions(uc)
    assert len(pos) > 0
    assert_evidence(uc, pos)
    cmp = dprkbrief.compare(uc, "talks")
    assert set(cmp.side) <= {"yes", "no", "neutral"} and len(cmp) > 0
    assert cmp.attrs["question"]
    assert_evidence(uc, cmp)
    # co-authors each hold the op-ed's position
    oped = pos[pos.doc_id == "06_oped"]
    assert set(oped.expert) == {"Marcus Feld", "Aiko Tanaka"}


def test_forecasts_resolve_year_horizons_against_the_document_date(uc):
    fc = dprkbrief.forecasts(uc)
    assert_evidence(uc, fc)
    for row in fc.itertuples():  # keyed by the sentence; the evidence is its forward clause
        doc_id, at = row.forecast_id.rsplit("@", 1)
        assert doc_id == row.doc_id and int(at) <= row.start
    panel = fc[fc.doc_id == "02_panel"].set_index("expert")
    assert panel.loc["Min-Jun Park", "horizon_end"] == "2024-12-31"
    assert panel.loc["Min-Jun Park", "doc_date"] == "2022-09-09"


def test_timeline_links_catalog_events_in_unseen_documents(uc):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DprkbriefWarning)
        tl = dprkbrief.timeline(uc)
    undated = {d for d in uc.doc_ids if meta(uc, d)["date"] is None}
    warned = {d for d in undated if any(f"'{d}' has no date" in str(w.message) for w in caught)}
    assert warned == undated  # the user is told which documents need a date
    assert_evidence(uc, tl)
    for row in tl.itertuples():
        assert uc[row.doc_id].text[row.cue_start : row.cue_end] == row.cue
    found = set(zip(tl.doc_id, tl.event_id, strict=True))
    for pair in [
        ("03_email", "singapore_summit"),
        ("06_oped", "singapore_summit"),
        ("03_email", "hanoi_summit"),
        ("05_wire", "stockholm_talks"),
        ("01_qa_transcript", "agreed_framework"),
    ]:
        assert pair in found
    # numbers that look like years are not dates
    tricky = tl[tl.doc_id == "09_tricky_dates"]
    assert not any(c in ("1,968", "$2019", "3000") for c in tricky.cue)


def test_tag_dates_on_tricky_expressions():
    text = (USER_DOCS / "09_tricky_dates.txt").read_text(encoding="utf-8")
    with pytest.warns(DprkbriefWarning, match="February 30, 2019"):
        tags = dprkbrief.tag_dates(text, dct="2019-07-15")
    for row in tags.itertuples():
        assert text[row.start : row.end] == row.text
    values = dict(zip(tags.text, tags.value, strict=True))
    assert values["the 1990s"] == "199"
    assert values["Last year"] == "2018"
    assert values["next month"] == "2019-08"
    assert values["July 15, 2019"] == "2019-07-15"
    assert not {"1968", "3000"} & set(tags.value)
    assert not any("1,968" in t or "$2019" in t for t in tags.text)


def test_kwic_matches_are_exact_and_carry_speakers(uc):
    hits = dprkbrief.kwic(uc, "freeze")
    assert_evidence(uc, hits, quote="match")
    panel = hits[hits.doc_id == "02_panel"]
    assert panel.speaker.notna().all()
    qa = hits[hits.doc_id == "01_qa_transcript"]
    assert set(qa.speaker) == {"Q", "A"}


def test_markup_in_documents_is_kept_as_text_and_escaped_in_timelinejs_text(uc):
    from dprkbrief.exports import timeline_to_timelinejs

    text = uc["10_html_injection"].text
    assert "<img src=x onerror=alert(1)>" in text  # lossless: nothing stripped
    tl = dprkbrief.timeline(uc, docs=["10_html_injection"])
    assert len(tl) > 0
    tjs = timeline_to_timelinejs(tl, documents=uc.documents)
    for event in tjs["events"]:
        assert "<a href" not in event["text"]["text"]
        assert "<script" not in event["text"]["text"]


# --- command line --------------------------------------------------------------------------


def run_cli(*argv: str) -> tuple[int, str, str]:
    from dprkbrief.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("always", DprkbriefWarning)
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_corpus_lists_every_user_document(user_dir, uc):
    code, out, err = run_cli("corpus", str(user_dir))
    assert code == 0
    for doc_id in uc.doc_ids:
        assert doc_id in out
    assert "08b_cp1252.txt" in err  # the decoding warning reaches the user


def test_cli_segments_json_is_lossless(user_dir, uc):
    code, out, _ = run_cli(
        "segments", str(user_dir), "--level", "sentence", "--doc", "08a_crlf_bom",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    text = uc["08a_crlf_bom"].text
    assert rows and all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_cli_kwic_csv_finds_accented_words_in_cp1252_file(user_dir):
    code, out, _ = run_cli("kwic", "Martínez", str(user_dir), "--format", "csv")
    assert code == 0
    assert out.count("08b_cp1252") >= 2


def test_overview_tables_agree_with_the_segment_tables(uc):
    counts = dprkbrief.segment_counts(uc).set_index("doc_id")
    for level in LEVELS:
        per_doc = uc.segments(level).groupby("doc_id").size()
        assert (counts[level] == per_doc.reindex(counts.index)).all(), level
    shares = dprkbrief.speaker_shares(uc)
    assert shares.groupby("doc_id").share.sum().round(6).eq(1.0).all()
    panel = shares[shares.doc_id == "02_panel"]
    assert panel.n_turns.sum() == 8
