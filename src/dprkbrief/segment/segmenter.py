"""Build the four segment levels (section, turn, paragraph, sentence) of one document.

Returns plain lists of dicts (one per segment); ``Corpus.segments`` turns them into a
DataFrame. Offsets are absolute into the document text, and at every level the segments tile
the document: in order, no overlap, only whitespace in the gaps.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator

from .blocks import PROSE_KINDS, Para, Structure, find_repeats, parse_paragraphs
from .sentences import sentence_spans

LEVELS = ("section", "turn", "paragraph", "sentence")
_LETTER = {"section": "x", "turn": "t", "paragraph": "p", "sentence": "s"}
_BACK = frozenset({"bio", "boilerplate", "credit", "separator", "caption"})
_NORM = re.compile(r"[\W_]+")
# kinds whose paragraph is one segment at sentence level (not split into sentences)
_WHOLE = frozenset(
    {"title", "heading", "byline", "metadata", "separator", "boilerplate", "credit", "list_item"}
)


def seg_id(doc_id: str, level: str, n: int) -> str:
    """Stable segment id: ``"{doc_id}:{letter}{n:04d}"``."""
    return f"{doc_id}:{_LETTER[level]}{n:04d}"


# the fields of a compact row, in order (the "text" column is ``text[start:end]``)
ROW_FIELDS = (
    "doc_id",
    "level",
    "seg_id",
    "start",
    "end",
    "kind",
    "section",
    "speaker",
    "section_id",
    "turn_id",
    "paragraph_id",
    "repeat_of",
)
_SEG, _START, _END, _PAR, _REP = 2, 3, 4, 10, 11
_N = len(ROW_FIELDS)


class Rows:
    """The segments of one level, stored by column: a list per field and ``array('q')``
    for the offsets (about 100 bytes a row instead of a dict's 500)."""

    __slots__ = ("cols",)

    def __init__(self) -> None:
        self.cols: list = [array("q") if k in (_START, _END) else [] for k in range(_N)]

    def append(self, row: tuple) -> None:
        for col, value in zip(self.cols, row):
            col.append(value)

    def __len__(self) -> int:
        return len(self.cols[_START])

    def get(self, r: int, k: int) -> object:
        if k == _SEG:
            return self._seg_id(r)
        return self.cols[k][r]

    def _seg_id(self, r: int) -> str:
        sid = self.cols[_SEG][r]
        return sid if sid is not None else seg_id(self.cols[0][r], self.cols[1][r], r)

    def seg_ids(self) -> Iterator[str]:
        """The ``seg_id`` column. A row whose id nothing else refers to (a sentence) stores
        None and gets ``seg_id(doc_id, level, row)`` here, so a large document's rows do not
        hold a string per sentence until the table is built."""
        for r in range(len(self)):
            yield self._seg_id(r)

    def set(self, r: int, k: int, value: object) -> None:
        self.cols[k][r] = value

    def dicts(self, text: str) -> list[dict]:
        """The rows as dicts, each with its ``text`` (``text[start:end]``)."""
        out = []
        cols = list(self.cols)
        cols[_SEG] = self.seg_ids()
        for values in zip(*cols):
            d = dict(zip(ROW_FIELDS, values))
            d["text"] = text[d["start"] : d["end"]]
            out.append(d)
        return out


def _row(doc_id, level, n, s, e, kind, section, speaker, sec_id, turn_id, par_id, rep):
    # the row's own id is the same string object as its section/turn/paragraph id
    sid = {"section": sec_id, "turn": turn_id, "paragraph": par_id}.get(level)
    if sid is None and level != "sentence":  # a sentence's id is derived when needed
        sid = seg_id(doc_id, level, n)
    return (doc_id, level, sid, s, e, kind, section, speaker, sec_id, turn_id, par_id, rep)


def segment_document(
    doc_id: str, text: str, structure: Structure | None = None, paras: list[Para] | None = None
) -> dict[str, list[dict]]:
    """All four levels for one document, as ``{level: [row, ...]}`` (dicts with ``text``)."""
    compact = segment_compact(doc_id, text, structure, paras)
    return {level: rows.dicts(text) for level, rows in compact.items()}


def segment_compact(
    doc_id: str, text: str, structure: Structure | None = None, paras: list[Para] | None = None
) -> dict[str, Rows]:
    """All four levels as compact column-wise ``Rows`` of the ``ROW_FIELDS``, no text copies
    (a segment's text is ``text[start:end]``), so the rows of a large document stay small."""
    if paras is None:
        paras = parse_paragraphs(text, structure)
    out: dict[str, Rows] = {lv: Rows() for lv in LEVELS}
    if not paras:
        return out

    # --- sections: a heading opens one; trailing back matter after the last prose is its own
    last_prose = max((i for i, p in enumerate(paras) if p.kind in PROSE_KINDS), default=-1)
    sec_of: list[int] = []
    sec_bounds: list[tuple[int, int, str | None, str]] = []  # first, last para, title, kind
    first = 0
    title: str | None = None
    for i, p in enumerate(paras):
        opens = p.kind == "heading" and i > first
        back = i == last_prose + 1 and last_prose >= 0 and i > first and p.kind in _BACK
        if opens or back:
            sec_bounds.append((first, i - 1, title, ""))
            first = i
            title = p.text if p.kind == "heading" else None
        elif i == first and p.kind == "heading":
            title = p.text
        sec_of.append(len(sec_bounds))
    sec_bounds.append((first, len(paras) - 1, title, ""))
    sec_ids = []
    for k, (a, b, t, _) in enumerate(sec_bounds):
        kinds = {p.kind for p in paras[a : b + 1]}
        if a > last_prose and kinds <= _BACK | {"heading"}:
            skind = "back_matter"
        elif t is None and k == 0:
            skind = "front_matter"
        else:
            skind = "body"
        sid = seg_id(doc_id, "section", k)
        sec_ids.append(sid)
        out["section"].append(
            _row(
                doc_id,
                "section",
                k,
                paras[a].start,
                paras[b].end,
                skind,
                t,
                None,
                sid,
                None,
                None,
                None,
            )
        )
    section_title = [sec_bounds[sec_of[i]][2] for i in range(len(paras))]

    # --- turns: maximal runs of paragraphs with the same speaker
    turn_of: list[int] = []
    turns: list[tuple[int, int]] = []
    for i, p in enumerate(paras):
        if turns and paras[turns[-1][0]].speaker == p.speaker:
            turns[-1] = (turns[-1][0], i)
        else:
            turns.append((i, i))
        turn_of.append(len(turns) - 1)
    turn_ids = []
    for k, (a, b) in enumerate(turns):
        spk = paras[a].speaker
        tid = seg_id(doc_id, "turn", k)
        turn_ids.append(tid)
        out["turn"].append(
            _row(
                doc_id,
                "turn",
                k,
                paras[a].start,
                paras[b].end,
                "speech" if spk else "text",
                section_title[a],
                spk,
                sec_ids[sec_of[a]],
                tid,
                None,
                None,
            )
        )

    # --- paragraphs
    par_ids = [seg_id(doc_id, "paragraph", i) for i in range(len(paras))]
    for i, p in enumerate(paras):
        rep = par_ids[p.repeat_of] if p.repeat_of is not None else None
        out["paragraph"].append(
            _row(
                doc_id,
                "paragraph",
                i,
                p.start,
                p.end,
                p.kind,
                section_title[i],
                p.speaker,
                sec_ids[sec_of[i]],
                turn_ids[turn_of[i]],
                par_ids[i],
                rep,
            )
        )

    # --- sentences
    sents = out["sentence"]
    prose = array("q")  # rows of prose sentences (normalised only when a pull-quote needs them)
    pending_repeats: list[int] = []
    for i, p in enumerate(paras):
        ctx = (section_title[i], p.speaker, sec_ids[sec_of[i]], turn_ids[turn_of[i]], par_ids[i])
        s0 = p.start
        if p.label_end is not None:
            sents.append(
                _row(
                    doc_id,
                    "sentence",
                    len(sents),
                    p.start,
                    p.label_end,
                    "speaker_label",
                    *ctx,
                    None,
                )
            )
            s0 = p.label_end
        if p.kind in _WHOLE:
            spans = [(s0, p.end)] if s0 < p.end else []
            # strip whitespace left after a label
            spans = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in spans]
        else:
            spans = sentence_spans(text, s0, p.end)
        for a, b in spans:
            kind = p.kind
            if kind == "question" and not text[a:b].rstrip("\"'”’)] ").endswith("?"):
                kind = "body"
            row = _row(doc_id, "sentence", len(sents), a, b, kind, *ctx, None)
            if kind == "pull_quote":
                pending_repeats.append(len(sents))
            elif kind in PROSE_KINDS:
                prose.append(len(sents))
            sents.append(row)
    if pending_repeats:
        starts, ends = sents.cols[_START], sents.cols[_END]
        norms = (_NORM.sub(" ", text[starts[j] : ends[j]].lower()).strip() for j in prose)
        keys = [
            _NORM.sub(" ", text[sents.get(r, _START) : sents.get(r, _END)].lower()).strip()
            for r in pending_repeats
        ]
        for r, hit in zip(pending_repeats, find_repeats(keys, norms)):
            if hit is not None:
                sents.set(r, _REP, sents.get(prose[hit], _SEG))
            else:
                k = int(str(sents.get(r, _PAR)).rsplit(":p", 1)[1])
                sents.set(r, _REP, out["paragraph"].get(k, _REP))
    return out
