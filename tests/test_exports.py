"""CSV and TimelineJS exports of the timeline."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import dprkbrief
from dprkbrief.errors import DprkbriefWarning, ParameterError
from dprkbrief.events.catalog import load_eras
from dprkbrief.exports import timeline_to_csv, timeline_to_timelinejs, write_timelinejs

TEXT = (
    "A Look Back\n\n"
    "The six-party talks began in 2003 and the Agreed Framework <held> for years.\n\n"
    "In March 2011 a new office opened.\n"
)


@pytest.fixture
def tl():
    c = dprkbrief.corpus_from_texts({"d1": TEXT}, metadata={"d1": {"date": "2012-05-01"}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DprkbriefWarning)
        return dprkbrief.timeline(c), c


def test_csv_round_trip(tl, tmp_path):
    table, _ = tl
    text = timeline_to_csv(table)
    assert text.splitlines()[0].split(",")[:3] == ["event_id", "label", "date"]
    path = tmp_path / "sub" / "tl.csv"
    assert timeline_to_csv(table, path) is None
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back["quote"]) == list(table["quote"])
    assert list(back["start"].astype(int)) == list(table["start"])


def test_timelinejs_structure(tl):
    table, corpus = tl
    data = timeline_to_timelinejs(table, documents=corpus.documents, eras=load_eras())
    assert set(data) == {"title", "events", "eras"}
    assert len(data["events"]) == len(table)
    by_head = {e["text"]["headline"]: e for e in data["events"]}
    talks = by_head["Six-party talks"]
    assert talks["start_date"] == {"year": "2003", "month": "8", "day": "27"}
    assert talks["end_date"]["year"] == "2009"  # a span keeps its end
    assert talks["group"] == "A Look Back"  # one group per document, named by its title
    af = by_head["Agreed Framework"]
    assert "end_date" not in af
    assert "&lt;held&gt;" in af["text"]["text"]  # the quote is escaped HTML
    assert "2012-05-01" in af["text"]["text"] and "d1:s" in af["text"]["text"]
    dated = [e for e in data["events"] if e["start_date"] == {"year": "2011", "month": "3"}]
    assert len(dated) == 1
    assert data["eras"][0]["start_date"] == {"year": "1950"}
    json.dumps(data)  # serialisable


def test_write_timelinejs(tl, tmp_path):
    table, _ = tl
    p = write_timelinejs(table, tmp_path / "out" / "tl.json", title="Mine")
    data = json.loads(p.read_text(encoding="utf-8"))
    assert data["title"]["text"]["headline"] == "Mine"
    assert "eras" not in data
    with pytest.raises(ParameterError, match="directory"):
        write_timelinejs(table, tmp_path)


def test_bad_input():
    with pytest.raises(ParameterError, match="'tl'"):
        timeline_to_csv("not a table")
    with pytest.raises(ParameterError, match="lacks column"):
        timeline_to_timelinejs(pd.DataFrame({"date": ["2019"]}))


def test_decades_and_quarters_use_their_interval():
    table = pd.DataFrame(
        {
            "event_id": [None, None],
            "label": ["the 1990s", "second quarter"],
            "date": ["199", "2019-Q2"],
            "kind": ["dated_mention", "dated_mention"],
            "doc_id": ["d", "d"],
            "doc_date": ["2020", "2020"],
            "seg_id": ["d:s0000", "d:s0001"],
            "quote": ["In the 1990s.", "In the second quarter."],
            "date_start": ["1990-01-01", "2019-04-01"],
            "date_end": ["1999-12-31", "2019-06-30"],
        }
    )
    events = timeline_to_timelinejs(table)["events"]
    assert events[0]["start_date"] == {"year": "1990", "month": "1", "day": "1"}
    assert events[0]["end_date"]["year"] == "1999"
    assert events[1]["end_date"] == {"year": "2019", "month": "6", "day": "30"}


def test_timelinejs_escapes_document_titles():
    import dprkbrief
    from dprkbrief.exports import timeline_to_timelinejs

    text = "Report <script>alert(1)</script>\n\nIn June 2019, the leaders met at the DMZ.\n"
    c = dprkbrief.corpus_from_texts({"x": text}, metadata={"x": {"date": "2019-10-01"}})
    data = timeline_to_timelinejs(dprkbrief.timeline(c), documents=c.documents)
    groups = {e["group"] for e in data["events"]}
    assert groups and all("<script>" not in g for g in groups)
    assert any("&lt;script&gt;" in g for g in groups)
