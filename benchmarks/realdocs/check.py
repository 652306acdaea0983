"""Validate the real-document annotations against the format and their texts.

Usage: ``.venv/bin/python benchmarks/realdocs/check.py [--texts DIR] [doc_id ...]``

Checks every ``rd*.json`` beside this script: schema (keys, kinds, value types), the sha256
and length against the text in the texts folder (``$DPRKBRIEF_REALDOCS`` or
``.cache/realdocs``), every span in bounds with no surrounding whitespace, every anchor equal
to the first <= 40 characters of its span, quote sources present among the people, the
stance cells, forecasts and non-forecasts (labels, topics, sources, spans), and prints counts. Exit status 1 if any problem is found. A document whose text is absent gets its
schema checked only (noted).
"""

from __future__ import annotations

import argparse
import json
import re
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOAD = runpy.run_path(str(HERE / "load.py"))

GENRES = {"news", "oped", "analysis", "interview", "transcript"}
PERSON_KINDS = {"person", "anonymous", "institution"}
QUOTE_KINDS = {"direct", "indirect", "mixed", "according_to", "floating"}
PRECISIONS = {"day", "month", "year", "decade"}
DATE_RE = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "year": re.compile(r"^\d{4}$"),
    "decade": re.compile(r"^\d{3}X?$|^\d{4}s$"),
}
DOC_ID = re.compile(r"^rd\d{2}_[a-z0-9_]+$")
TOP_KEYS = {"doc_id", "source", "sha256", "n_chars", "annotated_by", "people", "quotes"}
TOP_KEYS |= {"events", "stance"}
SOURCE_KEYS = {"url", "query", "corpus", "title", "publisher", "published"}
SOURCE_KEYS |= {"published_stated", "genre"}
TOPICS = {"summit", "talks", "denuclearization", "sanctions", "russia_dprk", "china"}
TOPICS |= {"south_korea_alliance", "japan", "trump_motives", "kim_motives", "deal_content"}
TOPICS |= {"human_rights"}
STANCES = {"expects", "doubts", "recommends", "warns", "describes"}
CERTAINTIES = {"certain", "hedged"}
AUTHOR = "the author"  # a stance/forecast source: the document's own (unnamed) voice
HORIZON_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_doc(doc: dict, text: str | None) -> list[str]:
    """Problems found in one annotation (``text`` None: schema only)."""
    errs: list[str] = []

    def err(msg: str) -> None:
        errs.append(msg)

    missing = TOP_KEYS - set(doc)
    if missing:
        err(f"missing keys {sorted(missing)}")
        return errs
    if not DOC_ID.match(doc["doc_id"]):
        err(f"doc_id {doc['doc_id']!r} is not rdNN_<slug>")
    src = doc["source"]
    if SOURCE_KEYS - set(src):
        err(f"source: missing {sorted(SOURCE_KEYS - set(src))}")
    if src.get("genre") not in GENRES:
        err(f"source.genre {src.get('genre')!r} not in {sorted(GENRES)}")
    if src.get("corpus") != "pages":
        err("source.corpus must be 'pages'")
    pub = src.get("published")
    if pub is not None and not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", pub):
        err(f"source.published {pub!r} is not ISO")
    if not isinstance(src.get("published_stated"), bool):
        err("source.published_stated must be true or false")

    def span_ok(where: str, span, anchor: str | None = None) -> None:
        if not (isinstance(span, list | tuple) and len(span) == 2):
            err(f"{where}: span {span!r} is not [start, end]")
            return
        a, b = span
        if not (isinstance(a, int) and isinstance(b, int)):
            err(f"{where}: span {span!r} has non-integer offsets")
            return
        if text is None:
            return
        if not 0 <= a < b <= len(text):
            err(f"{where}: span {span!r} out of bounds (n_chars {len(text)})")
            return
        s = text[a:b]
        if s != s.strip():
            err(f"{where}: span {span!r} has surrounding whitespace: {s[:40]!r}")
        if anchor is not None and anchor != s[:40]:
            err(f"{where}: anchor {anchor!r} != span start {s[:40]!r}")

    names = set()
    for i, p in enumerate(doc["people"]):
        where = f"people[{i}] {p.get('name')!r}"
        if p.get("kind") not in PERSON_KINDS:
            err(f"{where}: kind {p.get('kind')!r}")
        if not p.get("name"):
            err(f"{where}: empty name")
        if p.get("name") in names:
            err(f"{where}: duplicate name")
        names.add(p.get("name"))
        if "role" not in p:
            err(f"{where}: missing role (null if unknown)")
        mentions = p.get("mentions") or []
        if not mentions:
            err(f"{where}: no mentions")
            continue
        if len(p.get("anchor", "")) > 40:
            err(f"{where}: anchor longer than 40")
        if mentions != sorted(mentions):
            err(f"{where}: mentions not sorted")
        if len({tuple(m) for m in mentions}) != len(mentions):
            err(f"{where}: duplicate mentions")
        for m in mentions:
            span_ok(where, m)
        if text is not None and p.get("anchor") != text[mentions[0][0] : mentions[0][1]][:40]:
            err(f"{where}: anchor {p.get('anchor')!r} is not the first mention's text")
    for i, q in enumerate(doc["quotes"]):
        where = f"quotes[{i}]"
        if q.get("kind") not in QUOTE_KINDS:
            err(f"{where}: kind {q.get('kind')!r}")
        if q.get("source") not in names:
            err(f"{where}: source {q.get('source')!r} not among people")
        if len(q.get("anchor", "")) > 40:
            err(f"{where}: anchor longer than 40")
        span_ok(where, [q.get("start"), q.get("end")], q.get("anchor"))
        for key in ("source_span", "cue_span"):
            if q.get(key) is not None:
                span_ok(f"{where}.{key}", q[key])
        if q.get("source_span") is not None and q.get("source") in names:
            person = next(p for p in doc["people"] if p["name"] == q["source"])
            if list(q["source_span"]) not in [list(m) for m in person["mentions"]]:
                err(f"{where}: source_span {q['source_span']} is not a mention of {q['source']}")
        if (q.get("cue_span") is None) != (not q.get("cue")):
            err(f"{where}: cue and cue_span must be both set or both null")
        if text is not None and q.get("cue_span") and q.get("cue"):
            a, b = q["cue_span"]
            if text[a:b] != q["cue"]:
                err(f"{where}: cue {q['cue']!r} != text {text[a:b]!r}")
    for i, e in enumerate(doc["events"]):
        where = f"events[{i}] {e.get('what')!r}"
        prec = e.get("precision")
        if prec not in PRECISIONS:
            err(f"{where}: precision {prec!r}")
        elif not DATE_RE[prec].match(str(e.get("date"))):
            err(f"{where}: date {e.get('date')!r} does not fit precision {prec}")
        if len(e.get("anchor", "")) > 40:
            err(f"{where}: anchor longer than 40")
        if len(str(e.get("what", "")).split()) > 12:
            err(f"{where}: 'what' longer than 12 words")
        span_ok(where, [e.get("start"), e.get("end")], e.get("anchor"))
        if e.get("date_span") is not None:
            span_ok(f"{where}.date_span", e["date_span"])
    check_stance(doc, names, span_ok, err)
    if text is not None:
        if LOAD["sha256_text"](text) != doc["sha256"]:
            err("sha256 differs from the text file")
        if len(text) != doc["n_chars"]:
            err(f"n_chars {doc['n_chars']} != len(text) {len(text)}")
    return errs


def check_stance(doc: dict, names: set, span_ok, err) -> None:
    """Check the optional ``stance``, ``forecasts`` and ``non_forecasts`` lists."""
    sources = names | {AUTHOR}
    for i, c in enumerate(doc.get("stance") or []):
        where = f"stance[{i}]"
        if c.get("source") not in sources:
            err(f"{where}: source {c.get('source')!r} not among people (or {AUTHOR!r})")
        if c.get("topic") not in TOPICS:
            err(f"{where}: topic {c.get('topic')!r}")
        if c.get("stance") not in STANCES:
            err(f"{where}: stance {c.get('stance')!r}")
        if c.get("direction") not in (1, -1, 0):
            err(f"{where}: direction {c.get('direction')!r} not +1, -1 or 0")
        if not c.get("target"):
            err(f"{where}: empty target")
        if c.get("certainty") not in CERTAINTIES:
            err(f"{where}: certainty {c.get('certainty')!r}")
        if not isinstance(c.get("hedges"), list):
            err(f"{where}: hedges must be a list")
        elif c.get("certainty") == "certain" and c["hedges"]:
            err(f"{where}: certain but hedges {c['hedges']}")
        if len(c.get("anchor", "")) > 40:
            err(f"{where}: anchor longer than 40")
        span_ok(where, [c.get("start"), c.get("end")], c.get("anchor"))
    for i, f in enumerate(doc.get("forecasts") or []):
        where = f"forecasts[{i}]"
        if f.get("source") not in sources:
            err(f"{where}: source {f.get('source')!r} not among people (or {AUTHOR!r})")
        if f.get("certainty") not in CERTAINTIES:
            err(f"{where}: certainty {f.get('certainty')!r}")
        if f.get("horizon") is not None and not HORIZON_RE.match(str(f["horizon"])):
            err(f"{where}: horizon {f.get('horizon')!r} is not ISO or null")
        span_ok(where, [f.get("start"), f.get("end")], f.get("anchor"))
    for i, n in enumerate(doc.get("non_forecasts") or []):
        where = f"non_forecasts[{i}]"
        if not n.get("why"):
            err(f"{where}: missing why")
        span_ok(where, [n.get("start"), n.get("end")], n.get("anchor"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", help="folder of <doc_id>.txt (default: $DPRKBRIEF_REALDOCS)")
    ap.add_argument("doc_ids", nargs="*", help="only these documents")
    args = ap.parse_args(argv)
    folder = LOAD["realdocs_folder"](args.texts)
    totals = {"docs": 0, "people": 0, "mentions": 0, "quotes": 0, "events": 0}
    totals |= {"stance": 0, "forecasts": 0, "non_forecasts": 0}
    bad = 0
    for path in sorted(HERE.glob("rd*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if args.doc_ids and doc.get("doc_id") not in args.doc_ids:
            continue
        if path.stem != doc.get("doc_id"):
            print(f"{path.name}: doc_id {doc.get('doc_id')!r} differs from the file name")
            bad += 1
        txt = folder / f"{path.stem}.txt"
        text = LOAD["read_text"](txt) if txt.is_file() else None
        errs = check_doc(doc, text)
        note = "" if text is not None else "  (text absent: schema only)"
        n = (len(doc.get("people", [])), len(doc.get("quotes", [])), len(doc.get("events", [])))
        print(f"{path.stem}: {n[0]} people, {n[1]} quotes, {n[2]} events{note}")
        for e in errs:
            print(f"  ERROR {e}")
        bad += len(errs)
        totals["docs"] += 1
        totals["people"] += n[0]
        totals["mentions"] += sum(len(p.get("mentions", [])) for p in doc.get("people", []))
        totals["quotes"] += n[1]
        totals["events"] += n[2]
        for key in ("stance", "forecasts", "non_forecasts"):
            totals[key] += len(doc.get(key) or [])
    print("totals: " + ", ".join(f"{k} {v}" for k, v in totals.items()) + f"; problems {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
