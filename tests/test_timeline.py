"""The evidence-linked timeline, its summary tables, the CLI command and the real corpus."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dprkbrief
from dprkbrief.analysis.timeline import (
    TIMELINE_COLUMNS,
    era_profile,
    event_matrix,
    mention_offsets,
)
from dprkbrief.errors import CorpusError, DprkbriefWarning, ParameterError

ARTICLE = """Talks in the Balance

By Jane Roe
March 3, 2020

The summit in Hanoi collapsed in February 2019 without a deal. Negotiators met again in Sweden in October 2019.

The summit in Hanoi collapsed in February 2019 without a deal.

In 2008 a new harbour opened in the port city. Next year may bring a new round.
"""
UNDATED = "Nothing dated here. The Agreed Framework is remembered fondly."


@pytest.fixture
def small():
    return dprkbrief.corpus_from_texts(
        {"a": ARTICLE, "b": UNDATED}, metadata={"a": {"date": "2020-03-03"}}
    )


def _timeline(corpus, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DprkbriefWarning)
        return dprkbrief.timeline(corpus, **kw)


def test_rows_carry_their_evidence(small):
    tl = _timeline(small)
    assert list(tl.columns) == TIMELINE_COLUMNS
    for r in tl.itertuples():
        text = small[r.doc_id].text
        assert text[r.start : r.end] == r.quote
        assert text[r.cue_start : r.cue_end] == r.cue
        assert r.start <= r.cue_start < r.cue_end <= r.end
        assert r.seg_id.startswith(f"{r.doc_id}:s")
    assert set(tl["kind"]) == {"catalog", "dated_mention"}
    assert set(tl["how"]) <= {"explicit", "relative", "catalog"}


def test_catalog_links_and_dated_mentions(small):
    tl = _timeline(small)
    cat = tl[tl["kind"] == "catalog"].set_index("event_id")
    assert cat.at["hanoi_summit", "how"] == "explicit"
    assert cat.at["hanoi_summit", "doc_date"] == "2020-03-03"
    assert cat.at["stockholm_talks", "cue"] == "Sweden"
    assert cat.at["agreed_framework", "how"] == "catalog"
    assert cat.at["agreed_framework", "doc_date"] is None
    dated = tl[tl["kind"] == "dated_mention"]
    assert dated["event_id"].isna().all()
    assert set(dated["date"]) == {"2008", "2021"}
    rel = dated.set_index("date")
    assert rel.at["2021", "how"] == "relative" and rel.at["2008", "how"] == "explicit"
    assert "harbour" in rel.at["2008", "label"]


def test_pull_quotes_and_bylines_add_no_rows(small):
    tl = _timeline(small)
    assert (tl["event_id"] == "hanoi_summit").sum() == 1
    sent = small.segments("sentence")
    kinds = dict(zip(sent["seg_id"], sent["kind"]))
    assert {kinds[s] for s in tl["seg_id"]} <= dprkbrief.segment.PROSE_KINDS
    assert "2020-03-03" not in set(tl["date"])  # the dateline is not a mention


def test_sorted_by_date(small):
    from dprkbrief.events.dates import interval

    tl = _timeline(small)
    starts = [interval(v)[0] for v in tl["date_start"]]
    assert starts == sorted(starts)
    assert list(tl["event_id"].fillna("-")) == [
        "agreed_framework",
        "-",
        "hanoi_summit",
        "stockholm_talks",
        "-",
    ]


def test_start_end_and_docs_filters(small):
    tl = _timeline(small, start=2010, end="2019-06")
    assert list(tl["event_id"]) == ["hanoi_summit"]
    assert _timeline(small, start="2021").shape[0] == 1
    only_b = _timeline(small, docs=["b"])
    assert set(only_b["doc_id"]) == {"b"}
    with pytest.raises(CorpusError, match="unknown doc_id"):
        _timeline(small, docs=["zzz"])


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"start": True}, "'start'"),
        ({"start": "next spring"}, "'start'"),
        ({"end": 1.5}, "'end'"),
        ({"start": 2020, "end": 2010}, "swap"),
        ({"start": 123456}, "plausible year"),
        ({"docs": 5}, "'docs'"),
        ({"events": 5}, "'events'"),
        ({"events": "missing.toml"}, "not found"),
    ],
)
def test_bad_parameters_raise_clear_errors(small, kw, match):
    with pytest.raises((ParameterError, CorpusError), match=match):
        _timeline(small, **kw)


def test_corpus_must_be_a_corpus():
    with pytest.raises(ParameterError, match="'corpus'"):
        dprkbrief.timeline({"a": "text"})


def test_missing_document_date_warns(small):
    with pytest.warns(DprkbriefWarning, match="'b' has no date"):
        dprkbrief.timeline(small, docs=["b"])


def test_text_without_dates_or_events_warns_and_returns_empty_table():
    c = dprkbrief.corpus_from_texts(
        {"x": "Plain words only. Nothing else."}, metadata={"x": {"date": "2020"}}
    )
    with pytest.warns(DprkbriefWarning, match="timeline is empty"):
        tl = dprkbrief.timeline(c)
    assert tl.empty and list(tl.columns) == TIMELINE_COLUMNS


def test_very_long_input_does_not_crash():
    para = "The talks in Hanoi failed in 2019 and nothing moved afterwards. " * 400
    c = dprkbrief.corpus_from_texts({"long": para}, metadata={"long": {"date": "2020"}})
    tl = _timeline(c)
    assert (tl["event_id"] == "hanoi_summit").sum() == 400


def test_user_catalog(tmp_path, small):
    cat = tmp_path / "mine.toml"
    cat.write_text(
        "# mine\n[[event]]\nid = 'harbour'\nlabel = 'Harbour opened'\ndate = '2008'\n"
        "precision = 'year'\ncategory = 'economy'\ndescription = 'A harbour.'\n"
        "context_cues = ['harbour']\nrequires = ['port']\n"
        "examples = ['The harbour opened in the port.']\n",
        encoding="utf-8",
    )
    tl = _timeline(small, events=cat)
    assert set(tl.loc[tl["kind"] == "catalog", "event_id"]) == {"harbour"}
    assert "2008" not in set(tl.loc[tl["kind"] == "dated_mention", "date"])


def test_event_matrix_and_era_profile(small):
    tl = _timeline(small)
    m = event_matrix(tl)
    assert list(m.columns[:6]) == ["event_id", "label", "date", "n_docs", "n_mentions", "all_docs"]
    row = m.set_index("event_id")
    assert row.at["hanoi_summit", "a"] == 1 and row.at["hanoi_summit", "b"] == 0
    assert not row["all_docs"].any()
    assert event_matrix(tl, docs=["a"]).set_index("event_id").at["hanoi_summit", "all_docs"]
    prof = era_profile(tl)
    a = prof[prof["doc_id"] == "a"].set_index("era_id")
    assert a.at["six_party_era", "direction"] == "back"
    assert a.at["summit_diplomacy", "n_mentions"] == 2
    assert a.at["summit_diplomacy", "offset_min"] < -1 < a.at["summit_diplomacy", "offset_max"]
    assert a.at["biden_years", "direction"] == "ahead"
    assert prof.loc[prof["doc_id"] == "b", "direction"].tolist() == ["unknown"]
    offs = mention_offsets(tl)
    hanoi = offs[offs["event_id"] == "hanoi_summit"]["offset"].iloc[0]
    assert -1.1 < hanoi < -1.0
    with pytest.raises(ParameterError, match="'tl'"):
        event_matrix(pd.DataFrame({"x": [1]}))


def test_cli_timeline(tmp_path, capsys):
    from dprkbrief.cli import main

    root = tmp_path / "c"
    root.mkdir()
    (root / "doc1.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["timeline", str(root), "--format", "csv", "--start", "2019"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("event_id,label,date")
    assert "hanoi_summit" in out and "2008" not in out.split("\n", 1)[1].split(",")[2]
    target = tmp_path / "tl.json"
    assert main(["timeline", str(root), "--format", "timelinejs", "--out", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["events"]
    assert main(["timeline", str(root), "--start", "2020", "--end", "2010"]) == 2
    assert "swap" in capsys.readouterr().err


ANCHORS = ["pueblo_seizure", "agreed_framework", "hanoi_summit", "kursk_deployment"]


def test_real_corpus_has_the_four_anchor_events_with_evidence(corpus):
    tl = _timeline(corpus)
    for r in tl.itertuples():
        assert corpus[r.doc_id].text[r.start : r.end] == r.quote
    for event_id in ANCHORS:
        rows = tl[tl["event_id"] == event_id]
        assert len(rows), event_id
        for r in rows.itertuples():  # the cue lies inside the evidence sentence
            assert r.start <= r.cue_start < r.cue_end <= r.end
    assert event_matrix(tl).query("all_docs")["event_id"].tolist() == ["hanoi_summit"]


def test_unusable_document_date_warns_and_is_ignored():
    c = dprkbrief.corpus_from_texts({"a": "The talks in Hanoi failed last year."})
    c["a"].meta["date"] = "2019-02-30"
    with pytest.warns(DprkbriefWarning, match="unusable date"):
        tl = dprkbrief.timeline(c)
    assert tl["doc_date"].isna().all()
    assert list(tl["event_id"]) == ["hanoi_summit"]


WORDS = [
    "the",
    "Hanoi",
    "summit",
    "talks",
    "Pueblo",
    "ship",
    "in",
    "1968",
    "2019",
    "June",
    "last",
    "year",
    "Agreed",
    "Framework",
    "Kursk",
    "troops",
    "nuclear",
    "test",
    "9999",
    "0000",
    "2019-02-31",
    ".",
    "\n\n",
    "•",
    "Q:",
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60), st.sampled_from([None, "2020"]))
def test_any_text_gives_rows_with_intact_evidence(words, date):
    text = " ".join(words)
    if not text.strip():
        return
    meta = {"d": {"date": date}} if date else None
    c = dprkbrief.corpus_from_texts({"d": text}, metadata=meta)
    tl = _timeline(c)
    for r in tl.itertuples():
        assert text[r.start : r.end] == r.quote
        assert text[r.cue_start : r.cue_end] == r.cue
        assert r.kind in ("catalog", "dated_mention")


def test_captions_are_searched_by_default_and_kinds_restricts():
    import dprkbrief

    text = (
        "Talks Again\n\nThe envoys met again this week, and they spoke for hours about "
        "sanctions and the summit that failed.\n\n"
        "Leaders at the border\n"
        "In June 2019, the two leaders met at the DMZ. © dpa\n"
    )
    c = dprkbrief.corpus_from_texts({"a": text}, metadata={"a": {"date": "2019-10-01"}})
    assert c.segments("paragraph")["kind"].tolist()[-1] == "caption"
    tl = dprkbrief.timeline(c)
    cap = tl[tl["quote"].str.startswith("In June 2019")]
    assert "dmz_meeting" in set(cap["event_id"])
    assert dprkbrief.timeline(c, kinds=["body"])["quote"].str.startswith("In June").sum() == 0


# --- every dated line, segment kinds, the document pass (issue 12) --------------------------

NEWS = """Trump-Kim summit ends without a deal

By Jane Roe
Published: 28 Feb. 2019, 10:15

The meeting between the two leaders broke up early, and no joint statement was signed, officials said. Both delegations left the hotel within minutes of each other.

Talks had stalled for months before the meeting. "Sometimes you have to walk," the president said.

"Sometimes you have to walk," the president said.

Key dates:

- In 2006 North Korea tested its first nuclear device.
- Talks resumed in October 2019.

Kim Min-ji is a fellow at an institute in Seoul. She joined the foreign ministry in 2009.
"""


@pytest.fixture
def news():
    return dprkbrief.corpus_from_texts({"n": NEWS})


def test_dated_lines_of_every_fact_kind_say_their_kind(news):
    tl = _timeline(news)
    kinds = dict(zip(tl["date"], tl["seg_kind"]))
    assert kinds["2006"] == "bullet" and kinds["2019-10"] == "bullet"
    assert kinds["2009"] == "bio"
    sent = news.segments("sentence")
    seg_kind = dict(zip(sent["seg_id"], sent["kind"]))
    assert all(seg_kind[s] == k for s, k in zip(tl["seg_id"], tl["seg_kind"]))
    assert "pull_quote" not in set(tl["seg_kind"]) and "byline" not in set(tl["seg_kind"])
    assert "2019-02-28" not in set(tl["date"]) or (tl["how"] == "document").any()


def test_caption_with_a_file_photo_date():
    text = (
        "Talks resume\n\nPhoto: In this March 3, 2018, file photo, officials walk past a banner "
        "in Pyongyang.\n\nNegotiators met again in Sweden in October 2019.\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"c": text}, metadata={"c": {"date": "2019-10"}}))
    row = tl[tl["date"] == "2018-03-03"]
    assert len(row) == 1 and row.iloc[0]["kind"] == "dated_mention"


def test_document_pass_links_the_report_to_the_event_its_title_names(news):
    tl = _timeline(news)
    doc = tl[tl["how"] == "document"]
    assert list(doc["event_id"]) == ["hanoi_summit"]
    r = doc.iloc[0]
    assert (r["date"], r["event_date"], r["seg_kind"]) == ("2019-02-27", "2019-02-27", "title")
    assert r["cue"] in r["quote"] and r["doc_date"] == "2019-02-28"
    # the same title on a report from another year names no event
    other = dprkbrief.corpus_from_texts({"n": NEWS.replace("28 Feb. 2019", "3 May 2023")})
    assert not (_timeline(other)["how"] == "document").any()


def test_document_pass_adds_no_second_row_for_an_event_already_linked():
    text = NEWS.replace("The meeting between", "The Hanoi summit between")
    tl = _timeline(dprkbrief.corpus_from_texts({"n": text}))
    hanoi = tl[tl["event_id"] == "hanoi_summit"]
    assert len(hanoi) == 1 and hanoi.iloc[0]["how"] != "document"


def test_sentence_date_over_catalog_date_in_the_timeline():
    text = "Frontline\n\nNorth Korean troops fought in Kursk on 5 March 2025, officials said.\n"
    c = dprkbrief.corpus_from_texts({"k": text}, metadata={"k": {"date": "2025-03-20"}})
    r = _timeline(c).set_index("event_id").loc["kursk_deployment"]
    assert (r["date"], r["event_date"], r["date_start"], r["date_end"]) == (
        "2025-03-05",
        "2024-10",
        "2025-03-05",
        "2025-03-05",
    )


def test_kinds_are_validated(news):
    with pytest.raises(ParameterError, match="invalid value for 'kinds': 'nokind'; allowed"):
        _timeline(news, kinds=["nokind"])
    with pytest.raises(ParameterError, match="kinds"):
        _timeline(news, kinds=[])
    only_bio = _timeline(news, kinds=["bio"])
    assert set(only_bio["seg_kind"]) == {"bio"}


def test_dates_rules_reach_the_timeline(news, tmp_path):
    with pytest.raises(dprkbrief.errors.DprkbriefError, match="dates|patterns"):
        _timeline(news, dates=tmp_path / "missing.toml")


def test_news_datelines_and_headlines_are_not_mentions():
    text = (
        "Pyongyang recalls the 1994 agreement\n\nSEOUL, Dec. 26, 2024 (Reuters) - North Korea fired a "
        "missile, officials said. The last launch was in June 2019.\n\nGENEVA, Oct. 21 -- "
        "Talks went on.\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"d": text}))
    # the lead tells the news of the dateline's day (a narrative row, not a dateline mention)
    narrative = tl[tl["how"] == "narrative"]
    assert list(narrative["date"]) == ["2024-12-26"]
    assert narrative.iloc[0]["quote"].startswith("SEOUL, Dec. 26, 2024 (Reuters) - North Korea")
    tl = tl[tl["how"] != "narrative"].reset_index(drop=True)
    assert list(tl["date"]) == ["1994-10-21", "2019-06"]
    assert tl.iloc[0]["how"] == "document" and tl.iloc[0]["seg_kind"] == "title"
    with_title = _timeline(dprkbrief.corpus_from_texts({"d": text}), kinds=["title", "body"])
    assert with_title.iloc[0]["how"] == "explicit"  # the headline read as a sentence


def test_a_transcript_header_date_is_the_broadcast_event():
    head = "Powell on the accord\nAired October 20, 2002 - 10:09 ET\n\n"
    body = "WALLACE: The White House is scrapping the deal.\n\nKING: Thank you, Kelly.\n"
    tl = _timeline(dprkbrief.corpus_from_texts({"t": head + body}))
    assert dprkbrief.corpus_from_texts({"t": head + body})["t"].meta["spoken"]
    row = tl[tl["date"] == "2002-10-20"]
    assert len(row) == 1 and row.iloc[0]["cue"] == "October 20, 2002"
    news = "Powell on the accord\nPublished: October 20, 2002\n\nThe deal is off, he said.\n"
    got = _timeline(dprkbrief.corpus_from_texts({"t": news}))
    # the publication line is no event; the lead is the news of that day (narrative)
    assert list(zip(got["how"], got["quote"])) == [("narrative", "The deal is off, he said.")]


def test_other_dates_of_a_linked_sentence_stay_mentions():
    text = (
        "Notes\n\nAt the six-party talks on June 1, 2006 delegates recalled the joint statement "
        "of September 2005. The Korean War (1950-1953) never ended.\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"s": text}))
    assert set(tl["date"]) == {"2006-06-01", "2005-09", "1950-06-25"}


def test_real_document_scorer_matching():
    import importlib.util
    from pathlib import Path
    from types import SimpleNamespace as Row

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_realdocs_timeline.py"
    spec = importlib.util.spec_from_file_location("eval_realdocs_timeline", path)
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    month = {"date": "2018-05", "precision": "month", "start": 10, "end": 50}
    assert ev.right_date(Row(date="2018-05-31"), month)
    assert ev.right_date(Row(date="2018-W22"), month)  # Thursday May 31
    assert not ev.right_date(Row(date="2018"), month)
    decade = {"date": "199X", "precision": "decade", "start": 0, "end": 5}
    assert ev.right_date(Row(date="1994-10-21"), decade)
    docs = [{"doc_id": "d", "events": [month]}]
    tl = pd.DataFrame(
        [
            {"doc_id": "d", "start": 0, "end": 20, "date": "2018-05-02", "kind": "dated_mention"},
            {"doc_id": "d", "start": 60, "end": 80, "date": "2018-05-02", "kind": "catalog"},
        ]
    ).assign(how="explicit", event_id=None, cue="x", quote="q")
    t = ev.score(docs, tl)["totals"]
    assert (t["recall_right_date"], t["precision"], t["precision_span"]) == (1.0, 0.5, 0.5)


def test_chronology_lines_further_down_are_facts():
    text = (
        "Timeline of talks\n\nPublished: 3 May 2023\n\nThe talks went on for a long time "
        "without any real result, both sides said afterwards in separate statements to the "
        "press in the capital, and nobody expected a quick deal, least of all the diplomats "
        "who had spent years on it.\n\nKey dates:\n\n"
        "- June 12, 2018: Singapore summit\n- March 3, 2021: envoys meet again\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"k": text}))
    # the publication line is no mention (the lead, read as news, is: how="narrative")
    assert set(tl.loc[tl["how"] == "narrative", "quote"].str[:9]) <= {"The talks"}
    tl = tl[tl["how"] != "narrative"]
    assert set(tl["date"]) == {"2018-06-12", "2021-03-03"}
    assert "2023-05-03" not in set(tl["date"])


def test_a_bullet_chronology_without_prose_keeps_its_dates():
    text = (
        "Key dates\n\nThe talks have a long history.\n\n- June 12, 2018: Singapore summit\n"
        "- March 3, 2021: envoys meet again\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"k": text}))
    assert set(tl["date"]) == {"2018-06-12", "2021-03-03"}


def test_a_long_running_event_named_without_a_date_is_not_an_occurrence():
    text = (
        "The prolonged stalemate of the six-party talks is no good for anyone. "
        "The six-party talks opened in Beijing in August 2003. "
        "The Agreed Framework froze the reactor."
    )
    corpus = dprkbrief.corpus_from_texts({"a": text}, metadata={"a": {"date": "2006-06-02"}})
    tl = _timeline(corpus)
    cat = tl[tl["kind"] == "catalog"]
    by_quote = {(r.event_id, r.quote[:20]): r for r in cat.itertuples()}
    stalemate = by_quote[("six_party_talks", "The prolonged stalem")]
    assert stalemate.how == "catalog" and not stalemate.occurrence  # a process, no date
    opened = by_quote[("six_party_talks", "The six-party talks ")]
    assert opened.how == "explicit" and opened.occurrence  # the sentence dates it
    signed = by_quote[("agreed_framework", "The Agreed Framework")]
    assert signed.how == "catalog" and signed.occurrence  # a one-day event
    assert tl.loc[tl["kind"] == "dated_mention", "occurrence"].all()
    # event_matrix still counts every mention of the process
    em = event_matrix(tl).set_index("event_id")
    assert em.at["six_party_talks", "n_mentions"] == 2


SUMMIT_NEWS = (
    "SINGAPORE (AP) — The two leaders left Singapore Tuesday after their summit. "
    "The two envoys expressed hope after a long day of talks. "
    "The minister, for her part, said: “Talks will resume soon.” "
    "“The talks went well. We agreed on much of the text,” an aide said. "
    "Then she was off to Tokyo on the way home. "
    "The official, who spoke on condition of anonymity, said they had not yet met.\n\n"
    "The details appear yet to be determined. "
    "During his press conference, Trump acknowledged that it would take time.\n"
)


def test_news_narrative_takes_the_story_day():
    corpus = dprkbrief.corpus_from_texts(
        {"n": SUMMIT_NEWS}, metadata={"n": {"date": "2018-06-12", "genre": "news"}}
    )
    tl = _timeline(corpus)
    nar = tl[tl["how"] == "narrative"]
    assert set(nar["date"]) == {"2018-06-12"}
    assert set(nar["cue_kind"]) == {"narrative"} and set(nar["kind"]) == {"dated_mention"}
    # "The minister, for her part, said: ..." only reports words: no event of the story
    assert [q[:10] for q in nar["quote"]] == ["The two en", "Then she w"]
    # a negated sentence reports no occurrence; a present-tense one ends the narrative: the
    # press conference gets no row
    assert not nar["quote"].str.startswith("During").any()
    for r in nar.itertuples():  # the cue is the verb that makes it narrative
        assert SUMMIT_NEWS[r.cue_start : r.cue_end] == r.cue
    # an op-ed or analysis tells no day's story; nor does a news report without a day
    for meta in ({"date": "2018-06-12", "genre": "analysis"}, {"date": "2018-06", "genre": "news"}):
        other = _timeline(dprkbrief.corpus_from_texts({"n": SUMMIT_NEWS}, metadata={"n": meta}))
        assert "narrative" not in set(other["how"])


def test_news_narrative_rows_come_from_events_not_from_reports_of_them():
    text = (
        "The North launched a short-range rocket early Wednesday local time, officials said.\n"
        "Reuters confirmed the test with officials who said the rocket was still climbing.\n"
        "The navy said its ships carried out a joint exercise minutes later.\n"
        "A spokeswoman said on Twitter that the president “was briefed.”\n"
    )
    tl = _timeline(
        dprkbrief.corpus_from_texts(
            {"r": text}, metadata={"r": {"date": "2017-11-28", "genre": "news"}}
        )
    )
    nar = tl[tl["how"] == "narrative"]
    assert list(zip(nar["cue"], nar["date"])) == [("carried", "2017-11-29")]


def test_news_lead_without_a_date_is_the_story_day_and_a_dated_lead_moves_it():
    lead = "The United States has unveiled a resolution on North Korea with new sanctions.\n"
    corpus = dprkbrief.corpus_from_texts(
        {"u": lead}, metadata={"u": {"date": "2016-02-25", "genre": "news"}}
    )
    tl = _timeline(corpus)
    assert list(zip(tl["how"], tl["date"])) == [("narrative", "2016-02-25")]
    local = (
        "The North launched a short-range rocket early Wednesday local time, officials said.\n"
        "The military carried out a strike drill minutes after the launch.\n"
    )
    corpus = dprkbrief.corpus_from_texts(
        {"l": local}, metadata={"l": {"date": "2017-11-28", "genre": "news"}}
    )
    tl = _timeline(corpus)
    assert list(zip(tl["how"], tl["date"])) == [
        ("relative", "2017-11-29"),
        ("narrative", "2017-11-29"),
    ]


def test_a_headline_the_story_repeats_adds_no_row():
    text = (
        "Powell Says 1994 Accord With North Korea Null, Void\n\n"
        "Secretary of State Colin Powell says the 1994 accord with North Korea is effectively "
        "null and void, after North Korean officials admitted to a secret program in a meeting "
        "with a U.S. envoy earlier this month, officials in Washington told reporters today.\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"h": text}, metadata={"h": {"date": "2002-10-20"}}))
    assert not (tl["seg_kind"] == "heading").any()
    assert "agreed_framework" in set(tl["event_id"])


def test_a_catalog_event_as_the_topic_of_a_present_sentence_is_no_occurrence():
    tl = _timeline(
        dprkbrief.corpus_from_texts(
            {
                "p": "The Singapore summit does remain very relevant to our talks.\n\n"
                "In Singapore, Kim and Trump got to know each other at the summit.\n"
            },
            metadata={"p": {"date": "2019-06-07"}},
        )
    )
    occ = dict(zip(tl["quote"].str[:5], tl["occurrence"]))
    assert occ == {"The S": False, "In Si": True}


def test_the_date_written_next_to_an_event_name_wins_and_is_no_second_row():
    tl = _timeline(
        dprkbrief.corpus_from_texts(
            {"s": "I need not wind the clock back to the Singapore summit in 2016.\n"},
            metadata={"s": {"date": "2019-06-07"}},
        )
    )
    assert len(tl) == 1
    row = tl.iloc[0]
    assert (row["event_id"], row["date"], row["event_date"], row["how"]) == (
        "singapore_summit",
        "2016",
        "2018-06-12",
        "differs",
    )


def test_a_past_sentence_dated_after_the_document_warns_and_keeps_the_row():
    text = "KIM AND TRUMP IN HANOI\n\nThe envoys met in Hanoi on March 5, 2031, officials said.\n"
    corpus = dprkbrief.corpus_from_texts({"f": text}, metadata={"f": {"date": "2019-03-07"}})
    with pytest.warns(DprkbriefWarning, match=r"'f'.*after the document date 2019-03-07.*2031"):
        tl = dprkbrief.timeline(corpus)
    assert "2031-03-05" in set(tl["date"])
    # a future sentence about a later date is no error
    ok = "Talks\n\nThe envoys will meet in Hanoi on March 5, 2031, officials said.\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dprkbrief.timeline(
            dprkbrief.corpus_from_texts({"g": ok}, metadata={"g": {"date": "2019-03-07"}})
        )


def test_a_headline_without_a_verb():
    # no verb, no tense: the headline names the event (document pass); the story's own
    # sentence dates it; the headline adds no second row
    text = (
        "KIM AND TRUMP IN HANOI\n\nTrump and Kim met in Hanoi on February 27, 2019, for "
        "a second summit that ended without a deal the next day, officials said.\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"h": text}, metadata={"h": {"date": "2019-03-01"}}))
    assert list(tl["seg_kind"]).count("title") == 0
    assert (tl["event_id"] == "hanoi_summit").sum() == 1


def test_a_forecast_in_reported_speech_is_no_future_date_error():
    text = "Talks\n\nAn analyst said sanctions relief was unlikely before 2024, officials said.\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tl = dprkbrief.timeline(
            dprkbrief.corpus_from_texts({"f": text}, metadata={"f": {"date": "2022-05-05"}})
        )
    assert "2024" in set(tl["date"])


_PHASE = dprkbrief.resources.load_toml(dprkbrief.resources.resource_path("events", "linking.toml"))[
    "phase"
]["examples"]


@pytest.mark.parametrize("ex", _PHASE, ids=[e["text"][:40] for e in _PHASE])
def test_phase_examples(ex):
    """A phase verb dates one end of a span event; "the summit" + phase verb refers back to
    the summit the document named last."""
    text = (ex["context"] + " " if ex["context"] else "") + ex["text"] + "\n"
    tl = _timeline(dprkbrief.corpus_from_texts({"p": text}, metadata={"p": {"date": "2019-03-05"}}))
    start = text.index(ex["text"])
    got = tl[tl["start"] == start]
    if ex["event"]:
        assert list(zip(got["event_id"], got["date"])) == [(ex["event"], ex["date"])]
        assert got.iloc[0]["quote"] == ex["text"]
    else:
        assert got.empty, got


def test_a_spoken_record_released_on_its_day_dates_the_occasion_its_heading_names():
    body = (
        "Q Mr. President, thank you for joining us this morning on the program. Let's start "
        "with North Korea, where the former President has been meeting the leadership and "
        "says the crisis is over now.\n\nTHE PRESIDENT: Well, we hope so.\n"
    )
    head = (
        "THE WHITE HOUSE\n\nOffice of the Press Secretary\nFor Immediate Release June 20, 1994\n\n"
    )
    occasion = "INTERVIEW OF THE PRESIDENT\n\n"
    tl = _timeline(dprkbrief.corpus_from_texts({"w": head + occasion + body}))
    row = tl[tl["cue_kind"] == "occasion"]
    assert list(zip(row["date"], row["how"], row["quote"])) == [
        ("1994-06-20", "document", "INTERVIEW OF THE PRESIDENT")
    ]
    # a held-on date line dates the occasion itself: no second row
    aired = "Powell on the accord\nAired June 20, 1994 - 10:09 ET\n\n" + occasion + body
    tl = _timeline(dprkbrief.corpus_from_texts({"a": aired}))
    assert "occasion" not in set(tl["cue_kind"]) and "1994-06-20" in set(tl["date"])


def test_a_summary_restated_with_a_date_in_the_next_sentence_takes_that_date():
    text = (
        "The talks have stalled for months over the sanctions question.\n\n"
        "Meanwhile, the North invited the American envoy, a veteran negotiator, to Pyongyang. "
        "The North said yesterday that it had invited the envoy to Pyongyang for talks.\n\n"
        "He visited Seoul for two days of meetings. He visited Tokyo on Tuesday.\n"
    )
    tl = _timeline(dprkbrief.corpus_from_texts({"r": text}, metadata={"r": {"date": "2006-06-02"}}))
    got = tl[tl["cue_kind"] == "restated"]
    assert list(zip(got["cue"], got["date"])) == [("invited", "2006-06-01")]
    # parallel sentences about another place share no argument: "visited Seoul" stays undated
    assert not tl["quote"].str.startswith("He visited Seoul").any()
