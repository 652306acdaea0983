"""The real-document loader (benchmarks/realdocs/load.py): reading, re-alignment, skipping."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOAD = runpy.run_path(str(ROOT / "benchmarks" / "realdocs" / "load.py"))

TEXT = (
    "SEOUL, Feb. 28 (Wire) - Talks in Hanoi ended on Thursday without a deal.\n"
    '"We had to walk," President Trump said. Kim Jong Un left early, according to aides.\n'
)


def _span(text: str, sub: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return [start, start + len(sub)]


def _annotation(text: str) -> dict:
    q = _span(text, "We had to walk,")
    e = _span(text, "Talks in Hanoi ended on Thursday")
    return {
        "doc_id": "rd99_test",
        "source": {"published": "2019-02-28", "published_stated": False},
        "sha256": LOAD["sha256_text"](text),
        "n_chars": len(text),
        "people": [
            {
                "name": "Donald Trump",
                "kind": "person",
                "role": "U.S. president",
                "mentions": [_span(text, "President Trump")],
                "anchor": "President Trump",
            },
            {
                "name": "Kim Jong Un",
                "kind": "person",
                "role": None,
                "mentions": [_span(text, "Kim Jong Un")],
                "anchor": "Kim Jong Un",
            },
        ],
        "quotes": [
            {
                "start": q[0],
                "end": q[1],
                "kind": "direct",
                "source": "Donald Trump",
                "source_span": _span(text, "President Trump"),
                "cue": "said",
                "cue_span": _span(text, "said"),
                "anchor": "We had to walk,",
            }
        ],
        "events": [
            {
                "start": e[0],
                "end": e[1],
                "date": "2019-02-28",
                "precision": "day",
                "date_span": _span(text, "Thursday"),
                "what": "Hanoi summit ends",
                "anchor": "Talks in Hanoi ended on Thursday",
            }
        ],
        "stance": [],
    }


def _write(tmp_path: Path, text: str, ann: dict) -> tuple[Path, Path]:
    texts, anns = tmp_path / "texts", tmp_path / "anns"
    texts.mkdir()
    anns.mkdir()
    (texts / "rd99_test.txt").write_bytes(text.encode("utf-8"))
    (anns / "rd99_test.json").write_text(json.dumps(ann), encoding="utf-8")
    return texts, anns


def _spans_text(doc: dict) -> list[str]:
    t = doc["text"]
    return [t[a:b] for a, b in LOAD["iter_spans"](doc)]


def test_absent_text_folder_gives_empty_list(tmp_path):
    assert LOAD["load_realdocs"](tmp_path / "nowhere") == []


def test_unchanged_text_loads_as_is(tmp_path):
    ann = _annotation(TEXT)
    texts, anns = _write(tmp_path, TEXT, ann)
    (doc,) = LOAD["load_realdocs"](texts, annotations=anns)
    assert doc["text"] == TEXT
    assert "realigned" not in doc
    assert _spans_text(doc) == _spans_text({**ann, "text": TEXT})


def test_changed_text_is_realigned_from_anchors(tmp_path, capsys):
    ann = _annotation(TEXT)
    before = _spans_text({**ann, "text": TEXT})
    changed = "Updated headline line\n" + TEXT.replace("Feb. 28", "February 28, 2019")
    texts, anns = _write(tmp_path, changed, ann)
    (doc,) = LOAD["load_realdocs"](texts, annotations=anns)
    assert doc["realigned"] is True
    assert doc["sha256"] == LOAD["sha256_text"](changed)
    assert _spans_text(doc) == before
    assert "re-aligned" in capsys.readouterr().out


def test_edit_between_spans_is_realigned(tmp_path):
    ann = _annotation(TEXT)
    before = _spans_text({**ann, "text": TEXT})
    changed = TEXT.replace("without a deal.", "without any deal at all.")
    texts, anns = _write(tmp_path, changed, ann)
    (doc,) = LOAD["load_realdocs"](texts, annotations=anns)
    assert _spans_text(doc) == before


def test_edit_inside_a_span_skips_document(tmp_path, capsys):
    ann = _annotation(TEXT)
    ann["events"][0]["anchor"] = "Talks in Hanoi"  # shorter than the span: its end is unverified
    changed = TEXT.replace("Talks in Hanoi ended", "Talks in Hanoi had ended")
    texts, anns = _write(tmp_path, changed, ann)
    assert LOAD["load_realdocs"](texts, annotations=anns) == []
    assert "skipping rd99_test" in capsys.readouterr().out


def test_missing_anchor_skips_document(tmp_path, capsys):
    ann = _annotation(TEXT)
    texts, anns = _write(tmp_path, TEXT.replace("We had to walk", "We left"), ann)
    assert LOAD["load_realdocs"](texts, annotations=anns) == []
    assert "skipping rd99_test" in capsys.readouterr().out


def test_missing_text_skips_with_note(tmp_path, capsys):
    ann = _annotation(TEXT)
    texts, anns = _write(tmp_path, TEXT, ann)
    (texts / "rd99_test.txt").unlink()
    assert LOAD["load_realdocs"](texts, annotations=anns) == []
    assert "no text" in capsys.readouterr().out


def test_corpus_gets_date_only_when_text_does_not_state_it(tmp_path):
    ann = _annotation(TEXT)
    ann["source"]["published"] = "2019-03-01"  # a date the text never shows
    texts, anns = _write(tmp_path, TEXT, ann)
    docs = LOAD["load_realdocs"](texts, annotations=anns)
    assert LOAD["realdocs_corpus"](docs)["rd99_test"].meta.get("date") == "2019-03-01"
    docs[0]["source"]["published_stated"] = True
    assert LOAD["realdocs_corpus"](docs)["rd99_test"].meta.get("date") != "2019-03-01"
