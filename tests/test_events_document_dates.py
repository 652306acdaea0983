"""Document dates: every stated shape (data in resources/metadata/dateline.toml), published
vs updated, and the opt-in inferred date."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.errors import DprkbriefError
from dprkbrief.resources import load_toml, resource_path
from dprkbrief.segment.datelines import find_date, load_dateline_rules, stated_dates

DATA = load_toml(resource_path("metadata", "dateline.toml"))
SHAPES = [ex for p in DATA["pattern"] for ex in p["examples"]]
LABELS = [ex for p in DATA["label"] for ex in p["examples"]]
BODY = "Talks between the two sides resumed this week after a long pause, officials said."


@pytest.mark.parametrize("ex", SHAPES, ids=[e["text"] for e in SHAPES])
def test_dateline_shapes_from_the_rule_file(ex):
    assert find_date(ex["text"]) == ex["date"]


@pytest.mark.parametrize("ex", LABELS, ids=[e["text"] for e in LABELS])
def test_dateline_labels_from_the_rule_file(ex):
    assert stated_dates(ex["text"])[0].role == ex["role"]


def test_impossible_and_non_month_dates_are_not_dates():
    assert find_date("February 30, 2020") is None
    assert find_date("Chapter 3, 2019") is None
    assert find_date("31/31/2019") is None


def test_two_dates_on_one_line_keep_their_roles():
    got = stated_dates("Published March 3, 2019; updated March 5, 2019 10:00")
    assert [(d.iso, d.role, d.labelled) for d in got] == [
        ("2019-03-03", "published", True),
        ("2019-03-05", "updated", True),
    ]


@pytest.mark.parametrize(
    "front, date",
    [
        ("Published: 3 Mar. 2021, 10:15", "2021-03-03"),
        ("Aired March 4, 2018 - 09:00 ET", "2018-03-04"),
        ("Updated 7 May 2022", "2022-05-07"),
        ("Posted on March 5, 2019 by staff", "2019-03-05"),
        ("February 28, 2019 at 5:34 PM", "2019-02-28"),
        ("2019-02-28", "2019-02-28"),
        ("28.02.2019", "2019-02-28"),
    ],
)
def test_document_date_from_a_line_under_the_headline(front, date):
    text = f"Envoys meet again\n\n{front}\n\n{BODY}\n"
    meta = dprkbrief.corpus_from_texts({"a": text})["a"].meta
    assert (meta["date"], meta["date_source"]) == (date, "stated")


def test_published_wins_over_updated_which_is_kept():
    text = f"Envoys meet again\n\nUpdated 7 May 2022\n\nPublished: 3 May 2022\n\n{BODY}\n"
    c = dprkbrief.corpus_from_texts({"a": text})
    row = c.documents.iloc[0]
    assert (row["date"], row["date_updated"]) == ("2022-05-03", "2022-05-07")


def test_two_unlabelled_date_lines_earliest_wins():
    text = f"Envoys meet again\n\nMarch 5, 2019\n\nMarch 3, 2019\n\n{BODY}\n"
    meta = dprkbrief.corpus_from_texts({"a": text})["a"].meta
    assert (meta["date"], meta["date_updated"]) == ("2019-03-03", "2019-03-05")


def test_news_dateline_in_the_first_paragraph():
    text = (
        "Envoys meet again\n\nWASHINGTON, March 3, 2021 - Talks between the two sides resumed "
        "this week after a long pause, officials said, and both delegations described the "
        "first session as useful while warning that a deal remained far away from reach.\n"
    )
    assert dprkbrief.corpus_from_texts({"a": text})["a"].meta["date"] == "2021-03-03"


def test_a_date_inside_body_prose_is_not_the_document_date():
    text = (
        "Envoys meet again\n\nThe talks resumed after a long pause. On June 12, 2018 the two "
        "leaders met in Singapore, and both delegations described that first session as useful "
        "while warning that a deal remained far away from reach for many months to come.\n"
    )
    meta = dprkbrief.corpus_from_texts({"a": text})["a"].meta
    assert (meta["date"], meta["date_source"]) == (None, "missing")


def test_inferred_date_only_when_asked():
    text = f"Envoys meet again\n\n{BODY} They last met in June 2019 and in March 2021.\n"
    plain = dprkbrief.corpus_from_texts({"a": text})["a"].meta
    assert plain["date"] is None and plain["date_source"] == "missing"
    meta = dprkbrief.corpus_from_texts({"a": text}, infer_dates=True)["a"].meta
    assert meta["date"] == "2021-03"
    assert meta["date_source"] == "inferred: latest explicit date in the text"


def test_inferred_date_never_replaces_a_stated_or_curated_one(tmp_path):
    text = f"Envoys meet again\n\nMarch 3, 2019\n\n{BODY} They met in March 2021.\n"
    meta = dprkbrief.corpus_from_texts({"a": text}, infer_dates=True)["a"].meta
    assert (meta["date"], meta["date_source"]) == ("2019-03-03", "stated")
    (tmp_path / "a.txt").write_text(f"Envoys\n\n{BODY} They met in March 2021.\n")
    c = dprkbrief.load_corpus(tmp_path, infer_dates=True)
    assert c["a"].meta["date"] == "2021-03"


def test_infer_dates_must_be_a_bool():
    with pytest.raises(DprkbriefError, match="infer_dates"):
        dprkbrief.corpus_from_texts({"a": BODY}, infer_dates="yes")


def test_user_dateline_rules(tmp_path):
    path = tmp_path / "dl.toml"
    path.write_text(
        '[months]\n"märz" = 3\n\n[[label]]\nrole = "updated"\nregex = "aktualisiert"\n'
        "examples = []\n\n[[pattern]]\nregex = '(?P<day>\\d{1,2})\\.\\s+{month}\\s+"
        "(?P<year>\\d{4})'\nexamples = []\n"
    )
    rules = load_dateline_rules(path)
    got = stated_dates("Aktualisiert: 3. März 2021", rules)
    assert [(d.iso, d.role) for d in got] == [("2021-03-03", "updated")]


DATELINES = [ex for p in DATA["dateline"] for ex in p["examples"]]


@pytest.mark.parametrize("ex", DATELINES, ids=[e["text"] for e in DATELINES])
def test_yearless_dateline_examples(ex):
    from dprkbrief.segment.datelines import dateline_day

    got = dateline_day(ex["text"])
    assert (f"{got[0]:02d}-{got[1]:02d}" if got else "") == ex["day"]


def test_story_dateline_day_resolves_today():
    text = (
        "Pact signed\n\nGENEVA, Oct. 21 -- After months of talks, the two delegations met "
        "again, officials said. They signed the accord today in a short ceremony, and both "
        "sides described it as a turning point.\n"
    )
    c = dprkbrief.corpus_from_texts({"g": text}, metadata={"g": {"date": "1994-10-22"}})
    assert c["g"].meta["dateline_day"] == (10, 21)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl = dprkbrief.timeline(c)
    today = tl[tl["cue"] == "today"].iloc[0]
    assert (today["date"], today["doc_date"]) == ("1994-10-21", "1994-10-22")


def test_story_day_window():
    from dprkbrief.analysis.timeline import story_day

    assert story_day("1994-10-22", (10, 21)) == "1994-10-21"
    assert story_day("1969-01-02", (12, 31)) == "1968-12-31"  # filed across the new year
    assert story_day("1994-10-22", (3, 1)) == "1994-10-22"  # too far: keep the document date
    assert story_day(None, (3, 1)) is None and story_day("1994", None) == "1994"


def test_front_date_lines_anywhere():
    text = (
        "Title of the piece\n\nThe talks went on for a long time without any real result, "
        "both sides said afterwards in separate statements to the press in the capital.\n\n"
        "03/23/2010 05:12 am ET Updated May 25, 2011\n\nKim died on December 17, 2011.\n"
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl = dprkbrief.timeline(dprkbrief.corpus_from_texts({"f": text}))
    # (read as news, the lead narrates the story's day: a row of its own, not a date line)
    assert list(tl.loc[tl["how"] != "narrative", "date"]) == ["2011-12-17"]


SPOKEN = [ex for p in DATA["spoken"] for ex in p["examples"]]


@pytest.mark.parametrize("ex", SPOKEN, ids=[e["text"] for e in SPOKEN])
def test_spoken_event_markers(ex):
    from dprkbrief.segment.datelines import is_spoken

    assert is_spoken(ex["text"]) is ex["spoken"]


def test_held_dates_count_as_the_document_date():
    text = f"Envoys\n\nAired March 4, 2018 - 09:00 ET\n\nUpdated March 5, 2018\n\n{BODY}\n"
    meta = dprkbrief.corpus_from_texts({"a": text})["a"].meta
    assert (meta["date"], meta["date_updated"]) == ("2018-03-04", "2018-03-05")


def test_user_dateline_file_reaches_metadata_and_the_timeline(tmp_path):
    import shutil
    import warnings

    path = tmp_path / "dl.toml"
    shutil.copy(resource_path("metadata", "dateline.toml"), path)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(
            '\n[[label]]\nrole = "published"\nregex = "veröffentlicht"\n'
            'examples = [{ text = "Veröffentlicht: 3 March 2021", role = "published" }]\n'
        )
    text = f"Envoys\n\n{BODY} They met on 1 March 2021.\n\nVeröffentlicht am 3 March 2021 von der Redaktion des Instituts in Berlin\n"
    c = dprkbrief.corpus_from_texts({"a": text}, datelines=path)
    assert c.datelines is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl = dprkbrief.timeline(c)
    assert "2021-03-03" not in set(tl["date"])  # a labelled publication line, by the user's label
    plain = dprkbrief.corpus_from_texts({"a": text})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert "2021-03-03" in set(dprkbrief.timeline(plain)["date"])
    with pytest.raises(DprkbriefError, match="datelines"):
        dprkbrief.corpus_from_texts({"a": text}, datelines=tmp_path / "missing.toml")
    assert c.select(["a"]).datelines is c.datelines


OCCASION = [ex for p in DATA["occasion"] for ex in p["examples"]]


@pytest.mark.parametrize("ex", OCCASION, ids=[e["text"] for e in OCCASION])
def test_occasion_sentences_of_spoken_records(ex):
    from dprkbrief.segment.datelines import is_occasion

    assert is_occasion(ex["text"]) is ex["occasion"]


def test_a_spoken_records_talk_of_its_own_occasion_adds_no_row():
    import warnings

    text = (
        "Special Briefing\n\nMarch 7, 2019\n\n"
        "MODERATOR: Thank you all for coming today to this briefing.\n\n"
        "OFFICIAL: We just had additional meetings today with the North Koreans.\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl = dprkbrief.timeline(dprkbrief.corpus_from_texts({"b": text}))
    quotes = list(tl["quote"])
    # the moderator's "today" is the briefing itself (no row); the official's meetings are one
    assert not any("Thank you all" in q for q in quotes)
    assert any("additional meetings today" in q for q in quotes)
    assert set(tl["date"]) == {"2019-03-07"}
