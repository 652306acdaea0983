"""Segmentation: every level tiles the text; kinds, speakers, sections and turns."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dprkbrief
from dprkbrief.errors import ParameterError
from dprkbrief.resources import load_toml, resource_path
from dprkbrief.segment import LEVELS, load_structure, parse_paragraphs, segment_document
from dprkbrief.segment.blocks import byline_names, match_bio


def assert_lossless(text: str, rows: list[dict]) -> None:
    pos = 0
    for r in rows:
        assert r["start"] >= pos, "segments overlap or are out of order"
        assert text[pos : r["start"]].strip() == "", f"non-space gap {text[pos : r['start']]!r}"
        assert r["text"] == text[r["start"] : r["end"]]
        assert r["end"] > r["start"]
        pos = r["end"]
    assert text[pos:].strip() == ""


def kinds(text: str) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in parse_paragraphs(text)]


def seg(text: str, level: str = "sentence", doc_id: str = "d"):
    c = dprkbrief.corpus_from_texts({doc_id: text})
    return c.segments(level)


# --- lossless on arbitrary text ------------------------------------------------------------

_alphabet = st.sampled_from(
    list("abcXYZ .,;:?!\n\n\t\xa0•-#()[]“”’'0123456789") + ["U.S.", "Dr. ", "Q: ", "Name: ", "\r\n"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_alphabet, min_size=1, max_size=80).map("".join))
def test_every_level_tiles_arbitrary_text(text):
    out = segment_document("d", text)
    for level in LEVELS:
        assert_lossless(text, out[level])
        ids = [r["seg_id"] for r in out[level]]
        assert len(set(ids)) == len(ids)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_every_level_tiles_arbitrary_unicode(text):
    out = segment_document("d", text)
    for level in LEVELS:
        assert_lossless(text, out[level])


def test_every_level_tiles_the_corpus(corpus):
    for level in LEVELS:
        df = corpus.segments(level)
        for doc_id in corpus:
            rows = df[df["doc_id"] == doc_id].to_dict("records")
            assert rows, (level, doc_id)
            assert_lossless(corpus[doc_id].text, rows)


def test_seg_ids_are_stable_and_formatted(corpus):
    again = dprkbrief.load_corpus(corpus.path).segments("sentence")
    assert again["seg_id"].tolist() == corpus.segments("sentence")["seg_id"].tolist()
    assert all(re.fullmatch(r".+:s\d{4}", s) for s in again["seg_id"])


def test_invalid_level_message_lists_allowed_values(corpus):
    with pytest.raises(ParameterError, match="allowed are 'section', 'turn', 'paragraph'"):
        corpus.segments("word")


# --- document shapes -------------------------------------------------------------------------

TRANSCRIPT = """Talking About Talks

• Interview
• May 2, 2023

TRANSCRIPT

Jane ROE: Thanks for joining. What should we expect?

John Doe: Not much. Both sides are dug in.

Summit Prospects

I still think a meeting is possible next year.

Jane Roe: Why?

John Doe: Because the leaders like summits.

John Doe is a senior fellow at the Example Institute.

Edited by: A. Person
"""


def test_transcript_speakers_turns_and_continuation():
    paras = parse_paragraphs(TRANSCRIPT)
    by_text = {p.text.split(":")[0] if p.speaker else p.text[:20]: p for p in paras}
    cont = next(p for p in paras if p.text.startswith("I still think"))
    assert cont.speaker == "John Doe", "unlabelled paragraph after a heading continues the turn"
    bio = next(p for p in paras if p.text.startswith("John Doe is"))
    assert bio.kind == "bio" and bio.speaker is None
    assert next(p for p in paras if p.text.startswith("Edited")).kind == "boilerplate"
    assert next(p for p in paras if p.text == "Summit Prospects").kind == "heading"
    # "Jane ROE" and "Jane Roe" are one speaker; she asks, so she is the interviewer
    speakers = {p.speaker for p in paras if p.speaker}
    assert speakers == {"Jane Roe", "John Doe"}
    assert {p.notes["interviewer"] for p in paras} == {"Jane Roe"}
    assert by_text["Jane ROE"].kind == "question"
    turns = seg(TRANSCRIPT, "turn")
    speech = turns[turns["kind"] == "speech"]
    assert speech["speaker"].tolist() == [
        "Jane Roe",
        "John Doe",
        "John Doe",
        "Jane Roe",
        "John Doe",
    ]


def test_speaker_label_is_its_own_sentence_segment():
    sents = seg(TRANSCRIPT)
    labels = sents[sents["kind"] == "speaker_label"]
    assert labels["text"].tolist()[:2] == ["Jane ROE:", "John Doe:"]
    first_q = sents[sents["kind"] == "question"]["text"].tolist()
    assert first_q == ["What should we expect?", "Why?"]
    assert "Thanks for joining." in sents[sents["kind"] == "body"]["text"].tolist()


def test_qa_labels_mark_speakers_and_questions():
    text = "Q: Will there be a summit?\n\nA: Probably not soon.\n\nQ: Why?\n\nA: Distrust.\n"
    paras = parse_paragraphs(text)
    assert [p.speaker for p in paras] == ["Q", "A", "Q", "A"]
    assert [p.kind for p in paras] == ["question", "body", "question", "body"]


def test_hard_wrapped_transcript_with_bare_q_labels():
    # a White House transcript: no blank lines, indented first lines lost, "Q" with no colon
    text = (
        "Q Forty years ago, the President, who was staying\n"
        "at the hotel here in New York City, decided to take a morning walk\n"
        "down the street, and he noticed a group of people watching us\n"
        "through the window of the studio at the corner of the street.\n"
        "THE PRESIDENT: Good morning. I wish I\n"
        "were with all of you today, out there on the street, looking in\n"
        "at the studio and the crowd that gathers there every morning.\n"
        "Q Well, we are very grateful that you're\n"
        "allowing us the opportunity to interview you here this morning\n"
        "and we thank you for taking the time to come to our studio.\n"
        "THE PRESIDENT: Thank you. It is good\n"
        "to be here with you and to talk about the talks with the North.\n"
    )
    paras = parse_paragraphs(text)
    assert "".join(text[p.start : p.end] for p in paras).replace("\n", "") == text.replace("\n", "")
    assert [(p.speaker, p.text[:12]) for p in paras] == [
        ("Q", "Q Forty year"),
        ("The President", "THE PRESIDEN"),
        ("Q", "Q Well, we a"),
        ("The President", "THE PRESIDEN"),
    ]
    # one "Q" line in prose is not a speaker
    assert all(p.speaker is None for p in parse_paragraphs("Q Street is closed.\n\nIt rained."))


_UNLABELLED = (
    "interview: jane roe\n\n"
    "Roe led the talks in 1994. This interview was conducted in March.\n\n"
    "What did they want when you first met them?\n\n"
    "They wanted guarantees. I told them we had no hostile intent at all.\n\n"
    "That was not enough for them, and the talks went on for months.\n\n"
    "Did you trust them?\n\n"
    "Not at first, but trust grew as each side kept its word on small steps.\n"
)


def test_unlabelled_interview_questions_and_answers_get_speakers():
    paras = parse_paragraphs(_UNLABELLED)
    assert [(p.speaker, p.kind) for p in paras] == [
        (None, "body"),
        (None, "body"),
        ("Q", "question"),
        ("Jane Roe", "body"),
        ("Jane Roe", "body"),
        ("Q", "question"),
        ("Jane Roe", "body"),
    ]
    assert paras[2].notes["interviewer"] == "Q"
    # the same paragraphs without a stated interview genre are an essay's questions
    essay = _UNLABELLED.replace("interview: jane roe", "Notes").replace("This interview", "It")
    assert all(p.speaker is None for p in parse_paragraphs(essay))


def test_broadcast_host_opening_and_addressed_interviewer():
    text = (
        "Talks Resume\n\n"
        "Talks Resume With The North\n\n"
        "We begin with news from the peninsula, where talks resumed today after a year.\n\n"
        "JANE ROE, BYLINE: The envoys met for three hours.\n\n"
        "INSKEEP: What happens next?\n\n"
        "ROE: Another round next month.\n"
    )
    paras = parse_paragraphs(text)
    assert [p.speaker for p in paras] == [None, None, "Inskeep", "Jane Roe", "Inskeep", "Roe"]
    qa = (
        "Q Welcome to the studio, sir. What brings you here today?\n\n"
        "THE PRESIDENT: Good morning, Bryant. The talks bring me here.\n\n"
        "Q Will they succeed?\n\n"
        "THE PRESIDENT: I hope so.\n"
    )
    speakers = [p.speaker for p in parse_paragraphs(qa)]
    assert speakers == ["Bryant", "The President", "Bryant", "The President"]
    plain = qa.replace("Good morning, Bryant.", "Good morning.")
    assert [p.speaker for p in parse_paragraphs(plain)][0] == "Q"


def test_colon_headings_and_single_labels_are_not_speakers():
    text = (
        "The Pueblo: A Symbolic Victory\n\nThe ship was seized in 1968. It remains in "
        "Pyongyang as a museum and a trophy.\n\nNote: this is an aside about sources.\n"
    )
    paras = parse_paragraphs(text)
    assert all(p.speaker is None for p in paras)
    assert paras[0].kind == "title"


def test_markdown_headings_bullets_and_lists():
    text = (
        "# Main Title\n\nIntro paragraph that is long enough to count as prose for the "
        "parser, with a second clause.\n\n## Options\n\n- first option\n- second option\n\n"
        "1. step one\n2. step two\n\nI) The return of the ship\nII) The dismantlement\n"
    )
    ks = kinds(text)
    assert ks[0] == ("title", "# Main Title")
    assert ("heading", "## Options") in ks
    assert [k for k, t in ks if t.startswith("- ")] == ["bullet", "bullet"]
    assert [k for k, t in ks if re.match(r"(\d|I+\))", t)] == ["list_item"] * 4


def test_hard_wrapped_plain_text_joins_lines_into_paragraphs():
    text = (
        "Negotiations with Pyongyang have a long history of false starts, and the\n"
        "latest round is no exception. Officials met twice in the spring, but the\n"
        "talks stalled over sequencing.\n"
        "\n"
        "A second paragraph also wraps at seventy characters or so, as plain text\n"
        "exports from e-mail clients do. It should be one paragraph, not two.\n"
    )
    paras = parse_paragraphs(text)
    assert len(paras) == 2
    sents = seg(text)
    assert sents["text"].tolist()[1] == (
        "Officials met twice in the spring, but the\ntalks stalled over sequencing."
    )


def test_one_line_per_paragraph_export_splits_every_line():
    text = "A Title Here\nFirst paragraph is a sentence.\nSecond paragraph is another one.\n"
    assert [k for k, _ in kinds(text)] == ["title", "body", "body"]


def test_captions_credits_separators_and_pull_quotes():
    text = (
        "Talks Resume\n\n"
        "The envoys met in Stockholm for a day of talks. Many assumed the North was biding "
        "its time until the election, waiting to see who would win.\n\n"
        "Delegates arrive at the venue\n"
        "Officials walked in together on Saturday. © dpa\n"
        "×\n\n"
        "Many assumed the North was biding its time until the election.\n\n"
        "Image Credit: Shutterstock.\n\nRelated reports\n\nScroll to top\n"
    )
    ks = kinds(text)
    assert [k for k, _ in ks] == [
        "title",
        "body",
        "caption",
        "caption",
        "separator",
        "pull_quote",
        "credit",
        "boilerplate",
        "boilerplate",
    ]
    sents = seg(text)
    pq = sents[sents["kind"] == "pull_quote"].iloc[0]
    original = sents[sents["seg_id"] == pq["repeat_of"]].iloc[0]
    assert original["kind"] == "body" and original["text"].startswith("Many assumed")


def test_nbsp_only_lines_are_gaps_not_segments():
    text = "First paragraph.\n\n\xa0\n\n\xa0 \xa0\nSecond paragraph.\n"
    paras = seg(text, "paragraph")
    assert paras["text"].tolist() == ["First paragraph.", "Second paragraph."]


def test_front_matter_metadata_and_hashtags():
    text = (
        "Some Title\n\n  • Interview\n  • December 26, 2024\nTheme\nSecurity\nKeywords\n"
        "#Talks 2.0 #Northeast Asia #Summit #Nonproliferation #ICBM\nEditor’s Note\n\n"
        "Body text follows here and is long enough to be prose, with several clauses.\n"
    )
    ks = [k for k, _ in kinds(text)]
    assert ks[:8] == ["title", "byline", "byline"] + ["metadata"] * 4 + ["heading"]


def test_sections_have_front_body_and_back_matter():
    text = (
        "Title\n\nLead paragraph of the analysis, long enough to count as prose here.\n\n"
        "First Heading\n\nBody under the first heading, with a sentence or two of text.\n\n"
        "Jane Doe is a senior fellow at the Example Institute.\n"
    )
    secs = seg(text, "section")
    assert secs["kind"].tolist() == ["front_matter", "body", "back_matter"]
    assert secs["section"].tolist()[1] == "First Heading"
    sents = seg(text)
    assert sents[sents["kind"] == "bio"]["section_id"].iloc[0] == secs["seg_id"].iloc[2]


def test_document_without_speakers_has_turns_without_speaker():
    turns = seg("Title\n\nBody one is here.\n\nBody two is here.\n", "turn")
    assert len(turns) == 1 and turns["speaker"].iloc[0] is None and turns["kind"][0] == "text"


def test_sentence_rows_carry_enclosing_ids(corpus):
    sents = corpus.segments("sentence")
    paras = corpus.segments("paragraph").set_index("seg_id")
    for r in sents.sample(40, random_state=1).itertuples():
        p = paras.loc[r.paragraph_id]
        assert p["start"] <= r.start and r.end <= p["end"]
        assert p["speaker"] == r.speaker


def test_structure_file_examples_match_their_tables():
    data = load_toml(resource_path("segment", "structure.toml"))
    st_ = load_structure()
    for name, table in data.items():
        if name == "genre_cues":
            for ex in table["examples"]:
                assert any(p.search(ex) for ps in st_.genre_cues.values() for p in ps), ex
            continue

        def check(t, name=name):
            if name == "bio":
                return match_bio(st_, t)
            if name == "byline":
                return byline_names(st_, t)
            return st_.match(name, t)

        for ex in table.get("examples", []):
            assert check(ex), f"{name}: example {ex!r} does not match"
        for ex in table.get("counter_examples", []):
            assert not check(ex), f"{name}: counter-example {ex!r} matches"


def test_dateline_file_examples():
    from dprkbrief.segment.datelines import find_date

    data = load_toml(resource_path("metadata", "dateline.toml"))
    for pat in data["pattern"]:
        for ex in pat["examples"]:
            assert find_date(ex["text"]) == ex["date"], ex
    assert find_date("February 30, 2020") is None


# --- regressions from user-document QA ---------------------------------------------------------


def test_dash_bullets_after_a_short_intro_are_bullets_not_bylines():
    ks = kinds("Title\n\nIntro text here.\n\n- one point.\n- second point.\n\nBody.\n")
    assert [k for k, t in ks if t.startswith("- ")] == ["bullet", "bullet"]


@pytest.mark.parametrize(
    "line, names",
    [
        ("By Jane Doe, Nordic Institute, 12 June 2021", ["Jane Doe"]),
        ("By Jane Doe | March 3, 2023", ["Jane Doe"]),
        ("Policy brief by Sofia Alvarez, Center for X, January 20, 2024", ["Sofia Alvarez"]),
        ("Author: Jane Doe", ["Jane Doe"]),
        ("*By Clara Jensen, Example Forum*", ["Clara Jensen"]),
        ("By Jane Doe, Staff Reporter", ["Jane Doe"]),
        ("By JANE DOE and John van Roe", ["Jane Doe", "John van Roe"]),
    ],
)
def test_byline_variants_give_authors(line, names):
    c = dprkbrief.corpus_from_texts({"a": f"A Title\n\n{line}\n\nBody text of the piece.\n"})
    assert c["a"].meta["authors"] == names
    assert c.segments("paragraph")["kind"].tolist()[1] == "byline"


@pytest.mark.parametrize(
    "line, iso",
    [
        ("May 5, 2022", "2022-05-05"),
        ("Published: 2023-05-01", "2023-05-01"),
        ("Updated March 3, 2023", "2023-03-03"),
    ],
)
def test_date_lines_are_bylines_not_headings(line, iso):
    text = f"A Title\n\nBy Ann Lee\n\n{line}\n\nBody text follows.\n"
    c = dprkbrief.corpus_from_texts({"a": text})
    paras = c.segments("paragraph")
    assert paras["kind"].tolist() == ["title", "byline", "byline", "body"]
    assert set(paras["section"].dropna()) == set()
    assert c["a"].meta["date"] == iso
    first = dprkbrief.corpus_from_texts({"b": f"{line}\n\nA Title\n\nBody text.\n"})
    assert first["b"].meta["title"] == "A Title"


def test_transcript_label_variants():
    dots = parse_paragraphs("Q. Will talks resume?\n\nA. Not this year.\n\nQ. Why?\n\nA. Distrust.")
    assert [p.speaker for p in dots] == ["Q", "A", "Q", "A"]
    initial = parse_paragraphs("A. Smith said talks would resume.\n\nA. Smith also said more.")
    assert all(p.speaker is None for p in initial), "an initial is not an answer label"
    stamps = parse_paragraphs(
        "[00:00:05] JOHN SMITH: Welcome to the show.\n\n[00:00:09] JANE ROE: Thanks, John.\n\n"
        "[00:01:10] JOHN SMITH: Let us begin."
    )
    assert [p.speaker for p in stamps] == ["John Smith", "Jane Roe", "John Smith"]
    alone = parse_paragraphs(
        "INTERVIEWER:\nWill talks resume this year?\n\nJANE ROE:\nI doubt it.\n\n"
        "INTERVIEWER:\nWhy?\n\nJANE ROE:\nNeither side is ready."
    )
    assert [(p.kind, p.speaker) for p in alone][:2] == [
        ("speaker_label", "Interviewer"),
        ("question", "Interviewer"),
    ]
    assert alone[3].speaker == "Jane Roe" and alone[3].kind == "body"


def test_all_caps_labels_are_normalised():
    paras = parse_paragraphs(
        "DR. MIN-JUN PARK: First point here.\n\nAMB. TOMAS LINDQVIST: A reply.\n\n"
        "DR. MIN-JUN PARK: Second point here.\n\nAMB. TOMAS LINDQVIST: Another reply."
    )
    assert {p.speaker for p in paras} == {"Dr. Min-Jun Park", "Amb. Tomas Lindqvist"}


def test_email_export_headers_subject_author_and_signature():
    text = (
        "From: Peter Okafor <p.okafor@example.org>\nTo: Group <group@example.org>\n"
        "Date: Mon, 6 Mar 2023 09:14:02 +0900\nSubject: Notes from the roundtable\n\n"
        "Dear colleagues,\n\nThank you again for the lively discussion in Tokyo last week. I promised\n"
        "to circulate a short summary of where I think we landed, so here it is.\n\n"
        "Best regards,\nPeter\n--\nPeter Okafor\nSenior Fellow, Example Centre\n"
    )
    c = dprkbrief.corpus_from_texts({"m": text})
    meta = c["m"].meta
    assert meta["title"] == "Notes from the roundtable"
    assert meta["authors"] == ["Peter Okafor"] and meta["date"] == "2023-03-06"
    paras = c.segments("paragraph")
    assert paras["kind"].tolist()[:4] == ["metadata"] * 4
    assert paras["kind"].tolist()[-3:] == ["separator", "signature", "signature"]
    assert "heading" not in set(paras["kind"])


def test_table_rows_and_wire_credits():
    text = (
        "Arsenal Estimates\n\nThe table below sums up the estimates we use in this note.\n\n"
        "Warheads (est.)    50\nMissiles           200\nLaunchers          40\n\n"
        "(Reporting by Jane Roe; Editing by John Doe)\n"
    )
    ks = kinds(text)
    assert [k for k, _ in ks] == ["title", "body", "table", "table", "table", "boilerplate"]
    assert len(seg(text, "section")) == 1


# --- repeats (pull quotes) in linear time ---------------------------------------------------


def _brute_repeats(keys, texts, longer):
    out = []
    for k in keys:
        hit = None
        if k:
            for j, t in enumerate(texts):
                if (not longer or len(t) > len(k)) and f" {k} " in f" {t} ":
                    hit = j
                    break
        out.append(hit)
    return out


_WORDS = st.lists(st.sampled_from(["a", "bb", "talks", "kim", "deal", "x"]), min_size=1, max_size=6)


@given(
    st.lists(_WORDS.map(" ".join), max_size=8),
    st.lists(
        st.lists(_WORDS, max_size=4).map(lambda ws: " ".join(" ".join(w) for w in ws)), max_size=8
    ),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_find_repeats_equals_the_quadratic_search(keys, texts, longer):
    from dprkbrief.segment.blocks import find_repeats

    assert find_repeats(keys, texts, longer=longer) == _brute_repeats(keys, texts, longer)


def test_pull_quote_marking_is_linear_in_the_number_of_paragraphs():
    """15,000 short distinct paragraphs: the old pairwise search made 2e8 substring tests
    (many minutes); the hashed search is a few seconds at most. A hang guard, not a speed target."""
    import threading

    text = "\n\n".join(
        f"Paragraph number {i} says that talks with envoy {i * 7} went nowhere at all."
        for i in range(15_000)
    )
    text += "\n\nParagraph number 14999 says that talks with envoy 104993.\n"
    done = {}

    def work():
        done["paras"] = parse_paragraphs(text)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert "paras" in done, "pull-quote marking did not finish in 60 s"
    pq = [p for p in done["paras"] if p.kind == "pull_quote"]
    assert len(pq) == 1 and done["paras"][pq[0].repeat_of].text.startswith("Paragraph number 14999")
