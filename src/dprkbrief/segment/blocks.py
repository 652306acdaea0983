"""Block parser: split a document into paragraphs and classify each one.

A *paragraph* is a run of non-blank lines, or a single line where a block's lines are not
hard-wrapped prose (one-line-per-paragraph exports, bullet lists, title blocks). Each
paragraph gets a ``kind`` (see docs/architecture.md), an optional interview ``speaker`` and
the span of its ``Name:`` label. Recognition cues (boilerplate, credits, bios …) are data in
``resources/segment/structure.toml``; the logic here is generic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ..names import byline_names, canonical_name
from ..resources import load_toml, resource_path

__all__ = ["PROSE_KINDS", "Para", "Structure", "byline_names", "canonical_name"]

PROSE_KINDS = frozenset({"body", "question", "bullet", "list_item"})

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BULLET = re.compile(r"^(?:[•·▪◦●‣*]|[-–—](?=\s))\s*")
_LIST = re.compile(
    r"^(?:\(?(?:[IVXLC]{1,6}|[ivxlc]{1,6}|\d{1,3}|[A-Za-z])[.)]|\(\d{1,3}\))\s+(?=\S)"
)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")
_ALNUM = re.compile(r"\w")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# "Q. ..." / "A. ..." at the start of a paragraph (speaker labels proper are data:
# the [speaker_label] table of structure.toml)
_STAMP = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+)?"
_QA_DOT = re.compile(rf"^{_STAMP}(?P<label>[QA])\.\s+(?=\S)")
_TABLE_ROW = re.compile(
    r"\S(?:\t|\s{3,})\S.*\S(?:\t|\s{2,})\S|\S\s{3,}\d[\d.,%]*$|^\|?(?:[^|\n]*\|){2,}"
)
_EMAIL_HEADER = re.compile(
    r"^(?P<field>From|To|Cc|Bcc|Subject|Date|Sent|Reply-To):\s*(?P<value>.*)$"
)


@dataclass(frozen=True)
class Structure:
    """Compiled cue patterns from a structure TOML file."""

    tables: dict[str, list[re.Pattern[str]]]
    role_words: frozenset[str]
    not_name_words: frozenset[str]
    genre_cues: dict[str, list[re.Pattern[str]]]

    def match(self, table: str, text: str) -> re.Match[str] | None:
        for pat in self.tables.get(table, ()):
            m = pat.search(text)
            if m:
                return m
        return None


@lru_cache(maxsize=8)
def load_structure(path: str | None = None) -> Structure:
    """Load and compile the structure cues (the shipped file when ``path`` is None)."""
    p = Path(path) if path else resource_path("segment", "structure.toml")
    data = load_toml(p)
    tables: dict[str, list[re.Pattern[str]]] = {}
    genre: dict[str, list[re.Pattern[str]]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            continue
        flags = 0 if table.get("case_sensitive") else re.IGNORECASE
        if name == "genre_cues":
            for g, pats in table.items():
                if g in ("examples", "counter_examples"):
                    continue
                genre[g] = [re.compile(x, re.IGNORECASE) for x in pats]
            continue
        pats = table.get("patterns", [])
        if len(pats) > 1 and not any("(?P<" in x for x in pats):
            pats = ["|".join(f"(?:{x})" for x in pats)]  # one alternation: one scan per text
        tables[name] = [re.compile(x, flags) for x in pats]
    roles = frozenset(data.get("bio", {}).get("role_words", []))
    not_names = frozenset(w.lower() for w in data.get("byline", {}).get("not_name_words", []))
    return Structure(tables=tables, role_words=roles, not_name_words=not_names, genre_cues=genre)


# the notes of a paragraph without any (read-only and shared: ``Para.set_note`` copies first)
_NO_NOTES: Mapping[str, object] = MappingProxyType({})


@dataclass(slots=True)
class Para:
    """One paragraph: ``doc[start:end]`` with no surrounding whitespace.

    ``doc`` is the whole document string, shared by every paragraph (no copy per paragraph),
    so the paragraphs of a large document cost offsets, not a second copy of its text."""

    start: int
    end: int
    doc: str = field(repr=False)
    kind: str = "body"
    speaker: str | None = None
    label_end: int | None = None  # absolute end offset of the "Name:" label (incl. colon)
    block: int = 0
    repeat_of: int | None = None  # index of the paragraph a pull-quote repeats
    notes: Mapping[str, object] = field(default_factory=lambda: _NO_NOTES)  # see set_note

    def set_note(self, key: str, value: object) -> None:
        """Set one note, giving the paragraph its own dict first (most paragraphs have none,
        so they share one empty read-only mapping instead of a dict each)."""
        if type(self.notes) is not dict:
            self.notes = dict(self.notes)
        self.notes[key] = value

    @property
    def text(self) -> str:
        """The paragraph's text, sliced from the document on demand."""
        return self.doc[self.start : self.end]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its line terminator."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in "\r\n":
            e -= 1
        out.append((s, e))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def is_heading_like(t: str) -> bool:
    """Short line without final sentence punctuation (a '?' only if title-cased)."""
    if not t or len(t) > 120 or "\n" in t:
        return False
    words = t.split()
    if len(words) > 16 or not (t[0].isupper() or t[0].isdigit() or t[0] in "\"“'‘"):
        return False
    last = t[-1]
    if last in ".,;:!…":
        return False
    if last == "?" or last in "\"”'’)":
        long_words = [w for w in _WORD.findall(t) if len(w) > 3]
        if not long_words or len(words) > 12:
            return False
        caps = sum(1 for w in long_words if w[0].isupper())
        return caps / len(long_words) >= 0.7
    return True


def _is_title_like(t: str) -> bool:
    """A first line may be a title even when it ends in '?' without title case."""
    if is_heading_like(t):
        return True
    return t.endswith("?") and len(t) <= 150 and len(t.split()) <= 20 and t[0].isupper()


def _split_block(text: str, lines: list[tuple[int, int]], st: Structure) -> list[tuple[int, int]]:
    """Split one block (consecutive non-blank lines) into paragraph spans.

    In a hard-wrapped block a line continues the paragraph when the previous line runs to
    (near) the wrap width; otherwise every line is its own paragraph.
    """
    if len(lines) == 1:
        return lines
    width = max(e - s for s, e in lines)
    # hard-wrapped prose: most lines (but the last) run close to the wrap width
    body_lens = [e - s for s, e in lines[:-1]]
    full = sum(1 for n in body_lens if n >= 0.75 * width)
    wrapped = 30 <= width <= 120 and full >= max(1, (len(body_lens) + 1) // 2)
    # wrapped prose mostly breaks mid-sentence; one-line-per-paragraph text breaks after "."
    inner = [
        text[s:e]
        for s, e in lines[:-1]
        if (e - s) >= 0.75 * width or not is_heading_like(text[s:e])
    ]
    open_ends = sum(1 for t in inner if t.rstrip()[-1:] not in '.!?:"”')
    mostly_open = bool(inner) and open_ends / len(inner) >= 0.5
    paras: list[list[tuple[int, int]]] = []
    for s, e in lines:
        line = text[s:e]
        new = True
        if wrapped and paras:
            ps, pe = paras[-1][-1]
            first_word = line.split(None, 1)[0] if line.split() else ""
            # the previous line was wrapped only if this line's first word would not have fit
            would_not_fit = (pe - ps) + 1 + len(first_word) > width
            starts_item = bool(
                _BULLET.match(line)
                or _LIST.match(line)
                or _MD_HEADING.match(line)
                or st.match("boilerplate", line)
                or st.match("credit", line)
                or not _ALNUM.search(line)
                or _EMAIL_HEADER.match(line)
            )
            closed = text[ps:pe].rstrip()[-1:] in '.!?:"”'
            prev = text[ps:pe]
            standalone = bool(
                _MD_HEADING.match(prev)
                or st.match("hashtags", prev)
                or st.match("metadata_label", prev)
                or _EMAIL_HEADER.match(prev)
            )
            # a paragraph's first line may be short (indented in the original): a line
            # that ends mid-sentence runs on into a next line that opens in lower case
            runs_on = not closed and line[:1].islower() and mostly_open
            starts_item = starts_item or label_match(st, line) is not None
            if (
                ((would_not_fit and (mostly_open or not closed)) or runs_on)
                and not starts_item
                and not standalone
            ):
                new = False
        if new:
            paras.append([(s, e)])
        else:
            paras[-1].append((s, e))
    return [(p[0][0], p[-1][1]) for p in paras]


_NON_WORD = re.compile(r"[\W_]+")


def _norm(t: str) -> str:
    """Lower case, words joined by single spaces (the key for repeat detection)."""
    return _NON_WORD.sub(" ", t.lower()).strip()


def parse_paragraphs(text: str, structure: Structure | None = None) -> list[Para]:
    """Split ``text`` into classified paragraphs (kinds, speakers, pull-quotes)."""
    st = structure or load_structure()
    # 1. blocks of non-blank lines
    blocks: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for s, e in _lines(text):
        s2, e2 = _strip(text, s, e)
        if s2 == e2:
            if cur:
                blocks.append(cur)
                cur = []
        else:
            cur.append((s2, e2))
    if cur:
        blocks.append(cur)
    paras: list[Para] = []
    for b, lines in enumerate(blocks):
        for s, e in _split_block(text, lines, st):
            paras.append(Para(s, e, text, block=b))
    _classify(paras, st)
    _assign_speakers(paras, st)
    _mark_pull_quotes(paras)
    return paras


def _classify(paras: list[Para], st: Structure) -> None:
    from .datelines import find_date

    n = len(paras)
    seen_prose = False  # a long body paragraph: the front matter is over
    seen_body = False  # any body paragraph or section heading
    title_done = False
    # e-mail export: header lines at the top; a "--" line opens the signature
    email = any(_EMAIL_HEADER.match(p.text) for p in paras[:6])
    in_signature = False
    for i, p in enumerate(paras):
        t = p.text
        one_line = "\n" not in t and "\r" not in t
        front = not seen_prose
        if email and one_line and _EMAIL_HEADER.match(t) and not seen_body:
            p.kind = "metadata"
            m = _EMAIL_HEADER.match(t)
            p.set_note("email_" + m.group("field").lower(), m.group("value").strip())
            continue
        if in_signature and p.kind != "separator":
            p.kind = "signature" if _ALNUM.search(t) else "separator"
            continue
        if email and t.strip() in ("--", "-- ", "—"):
            p.kind = "separator"
            in_signature = True
            prev = paras[i - 1] if i else None
            if prev is not None and prev.kind == "heading" and len(prev.text.split()) <= 3:
                prev.kind = "signature"  # the sign-off name above the signature mark
            continue
        if not _ALNUM.search(t):
            p.kind = "separator"
        elif st.match("boilerplate", t):
            p.kind = "boilerplate"
        elif st.match("credit", t):
            p.kind = "credit"
        elif _MD_HEADING.match(t):
            p.kind = "title" if not title_done and front else "heading"
        elif st.match("hashtags", t):
            p.kind = "metadata"
        elif one_line and st.match("metadata_label", t):
            p.kind = "metadata"
            if i + 1 < n and len(paras[i + 1].text) <= 120 and "\n" not in paras[i + 1].text:
                paras[i + 1].set_note("metadata_value", True)
        elif p.notes.get("metadata_value"):
            p.kind = "metadata"
        elif st.match("caption_mark", t):
            p.kind = "caption"
            # a heading-like line directly above, in the same block, is the caption's title
            if i > 0 and paras[i - 1].block == p.block and paras[i - 1].kind in ("heading", "body"):
                if is_heading_like(paras[i - 1].text) or len(paras[i - 1].text) < 160:
                    paras[i - 1].kind = "caption"
        elif one_line and _TABLE_ROW.search(t):
            p.kind = "table"
        elif _BULLET.match(t):
            short = len(t) <= 80 and not t.rstrip().endswith(".")
            p.kind = "byline" if (not seen_body and short) else "bullet"
        elif _LIST.match(t) and not _QA_DOT.match(t) and (one_line or len(t) < 400):
            p.kind = "list_item"
        elif front and one_line and len(t) <= 80 and find_date(t):
            p.kind = "byline"  # a date line: "May 5, 2022", "Published: 2023-05-01"
        elif front and len(t) <= 160 and byline_names(st, t):
            p.kind = "byline"
        elif not title_done and not seen_body and one_line and _is_title_like(t):
            p.kind = "title"
        elif one_line and is_heading_like(t) and not _label_alone(st, t):
            p.kind = "heading"
        else:
            p.kind = "body"
        if p.kind == "title":
            title_done = True
        if p.kind in ("body", "heading"):
            seen_body = True
        if p.kind == "body" and len(t) > 60:
            seen_prose = True
    # bios: trailing "<Name> is a ... fellow ..." paragraphs, scanning back from the end over
    # trailer kinds; the first body paragraph that is not a bio ends the scan
    for p in reversed(paras):
        if p.kind not in ("body", "boilerplate", "credit", "separator", "caption", "signature"):
            break
        if p.kind == "body":
            name = match_bio(st, p.text)
            if not name or label_match(st, p.text):
                break
            p.kind = "bio"
            p.set_note("bio_name", name)


def match_bio(st: Structure, text: str) -> str | None:
    """The person's name if ``text`` reads as a biography ("X is a senior fellow at ...")."""
    m = st.match("bio", text)
    if not m:
        return None
    words = {w.lower() for w in _WORD.findall(text[:400])}
    return m.group("name") if words & st.role_words else None


def label_match(st: Structure, text: str) -> re.Match[str] | None:
    """The speaker label opening ``text`` (``[speaker_label]`` of structure.toml), or None.

    A role after a comma counts only in a name-like label (in capitals, or two words or
    more): "Moreover, North Korea: ..." is prose.
    """
    m = st.match("speaker_label", text)
    if m is None:
        return None
    label = m.group("label")
    if m.groupdict().get("role") and not (label.isupper() or len(label.split()) >= 2):
        return None
    return m


def _label_alone(st: Structure, text: str) -> bool:
    m = label_match(st, text)
    return m is not None and m.end() >= len(text.rstrip())


def _caps_label(label: str) -> bool:
    """Transcript style: the label's last word in capitals ("INSKEEP", "Amb. GALLUCCI")."""
    last = label.split()[-1]
    letters = [c for c in last if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _assign_speakers(paras: list[Para], st: Structure) -> None:
    cands: Counter[str] = Counter()
    labelled: dict[int, re.Match[str]] = {}
    heads: dict[int, re.Match[str]] = {}
    dots: dict[int, re.Match[str]] = {}
    for i, p in enumerate(paras):
        if p.kind not in ("body", "heading", "question", "title"):
            continue
        m = label_match(st, p.text)
        if not m:
            d = _QA_DOT.match(p.text)
            if d:
                dots[i] = d
            continue
        label = m.group("label")
        if st.match("not_speaker", label.strip()):
            continue
        if p.kind in ("heading", "title"):
            # "The Pueblo: A Symbolic Victory" is a heading unless its label speaks elsewhere
            heads[i] = m
            continue
        labelled[i] = m
        cands[canonical_name(label)] += 1
    for i, m in heads.items():
        if cands.get(canonical_name(m.group("label"))) or m.group("label") in ("Q", "A"):
            labelled[i] = m
            cands[canonical_name(m.group("label"))] += 1
    # "Q. ..." / "A. ..." count only when both occur ("A. Smith said" is an initial)
    if {d.group("label") for d in dots.values()} == {"Q", "A"}:
        for i, d in dots.items():
            labelled[i] = d
            cands[d.group("label")] += 1
    qa = "Q" in cands and "A" in cands
    valid = {c for c, k in cands.items() if k >= 2 or (qa and c in ("Q", "A"))}
    # broadcast transcripts: labels in capitals, with a role ("DAVID GREENE, HOST:"), or two
    # or more of them, are speakers even when each speaks once
    caps = {canonical_name(m.group("label")): m for m in labelled.values()}
    caps = {c: m for c, m in caps.items() if _caps_label(m.group("label"))}
    if len(caps) >= 2 or any(
        m.groupdict().get("role") or m.groupdict().get("paren") for m in caps.values()
    ):
        valid |= set(caps)
    # singletons count when the transcript has another recurring speaker (in a transcript
    # of capitals labels, only capitals singletons count)
    if valid:
        valid |= {c for c in cands if c not in valid and len(c.split()) >= 2 and not caps}
    if not valid:
        _unlabelled_interview(paras, st)
        return
    current: str | None = None
    for i, p in enumerate(paras):
        m = labelled.get(i)
        if m and canonical_name(m.group("label")) in valid:
            current = canonical_name(m.group("label"))
            alone = m.end() >= len(p.text.rstrip())
            p.kind = "speaker_label" if alone else "body"
            p.speaker = current
            p.label_end = p.start + m.end()
            # trim the whitespace after the colon out of the label
            while p.label_end > p.start and p.text[p.label_end - p.start - 1].isspace():
                p.label_end -= 1
            p.set_note("label_span", (p.start + m.start("label"), p.start + m.end("label")))
            role = m.groupdict().get("role") or m.groupdict().get("paren")
            if role:
                p.set_note("speaker_role", role.strip())
        elif p.kind in PROSE_KINDS and current is not None:
            p.speaker = current
        elif p.kind in ("bio", "boilerplate", "credit"):
            current = None
    # the interviewer: the Q label, else the speaker who asks most questions (first on ties)
    order = list(dict.fromkeys(p.speaker for p in paras if p.speaker))
    if "Q" in valid:
        interviewer = "Q"
    else:
        asks = Counter(p.speaker for p in paras if p.speaker and "?" in p.text)
        rank = {s: k for k, s in enumerate(order)}  # first on ties, without order.index
        interviewer = max(order, key=lambda s: (asks[s], -rank[s])) if asks else None
        if len(order) < 2:
            interviewer = None
    if interviewer and interviewer in caps and valid & set(caps) == valid:
        _host_opening(paras, labelled, interviewer)
    if interviewer == "Q":
        named = _addressed_interviewer(paras, st)
        if named:
            for p in paras:
                if p.speaker == "Q":
                    p.speaker = named
            interviewer = named
    shared = MappingProxyType({"interviewer": interviewer})  # one mapping for every paragraph
    for p in paras:
        if interviewer:  # absent note = no interviewer (saves a dict entry per paragraph)
            p.notes = {**p.notes, "interviewer": interviewer} if p.notes else shared
        if interviewer and p.speaker == interviewer and p.kind == "body" and "?" in p.text:
            p.kind = "question"


def _host_opening(paras: list[Para], labelled: dict[int, re.Match[str]], host: str) -> None:
    """A broadcast transcript (capitals labels) opens with the host reading the story
    before the first label: the run of body paragraphs right before the first labelled
    paragraph (back to a heading, list or repeated teaser) is the host's turn."""
    first = min((i for i in labelled if paras[i].speaker), default=None)
    if first is None:
        return
    i = first - 1
    while i >= 0 and paras[i].kind == "body" and paras[i].speaker is None:
        key = _norm(paras[i].text)
        if len(key) >= 25 and any(key in _norm(q.text) for q in paras if q is not paras[i]):
            break  # a teaser repeating the headline or the story: page furniture
        paras[i].speaker = host
        i -= 1


def _addressed_interviewer(paras: list[Para], st: Structure) -> str | None:
    """The name the interviewee greets the anonymous interviewer ("Q") with in the first
    answer ("Good morning, Bryant."): the ``[vocative]`` patterns of structure.toml."""
    for k, p in enumerate(paras):
        if p.speaker == "Q" or p.speaker is None or p.label_end is None:
            continue
        if not any(q.speaker == "Q" for q in paras[:k]):
            return None  # the first answer must follow a question
        m = st.match("vocative", p.doc[p.label_end : p.end].lstrip(" \t:"))
        return m.group("name") if m else None
    return None


_YOU = re.compile(r"\byou(?:r|rs|rself)?\b", re.IGNORECASE)
_GLUED = re.compile(r"\b([a-z]+)[A-Z]\w*")  # "robert gallucciHome": page furniture glued on


def _unlabelled_interview(paras: list[Para], st: Structure) -> None:
    """Speakers of an interview printed without labels (see ``[unlabelled_interview]`` of
    structure.toml): a question paragraph is the interviewer's ("Q"), the paragraphs up to
    the next question the interviewee's (named in the front matter, else "A")."""
    prose = [i for i, p in enumerate(paras) if p.kind in PROSE_KINDS]
    questions = []
    for k, i in enumerate(prose[:-1]):
        t = paras[i].text.rstrip()
        nxt = paras[prose[k + 1]].text.rstrip()
        if (
            len(t) <= 300
            and t[:1].isupper()  # a sentence, not page furniture ("who are they?")
            and t.endswith("?")
            and not nxt.endswith("?")
            and len(nxt) > len(t)
        ):
            questions.append(i)
    if len(questions) < 2 or 2 * sum(bool(_YOU.search(paras[i].text)) for i in questions) < len(
        questions
    ):
        return
    front = [p.text for p in paras[: questions[0]]]
    if not any(st.match("unlabelled_interview", t) for t in front):
        return
    interviewee = "A"
    for t in front:
        m = st.match("interviewee_intro", _GLUED.sub(r"\1", t))
        if m:
            raw = m.group("name")
            words = raw.split()
            if raw == raw.lower():
                words = [w[:1].upper() + w[1:] for w in words]
            else:  # keep the capitalised run ("with Jane Roe about ..." -> "Jane Roe")
                run = []
                for w in words:
                    if not w[:1].isupper():
                        break
                    run.append(w)
                words = run
            if len(words) >= 2:
                interviewee = " ".join(words)
                break
    asks = set(questions)
    current: str | None = None
    for i, p in enumerate(paras[questions[0] :], start=questions[0]):
        if i in asks:
            current = "Q"
            p.kind = "question"
        elif p.kind in ("bio", "boilerplate", "credit"):
            current = None
        elif p.kind in PROSE_KINDS and current is not None:
            current = interviewee
        if p.kind in PROSE_KINDS:
            p.speaker = current
    shared = MappingProxyType({"interviewer": "Q"})
    for p in paras:
        p.notes = {**p.notes, "interviewer": "Q"} if p.notes else shared


def find_repeats(
    keys: list[str], texts: Iterable[str], *, longer: bool = False
) -> list[int | None]:
    """For each key, the index of the first of ``texts`` that holds it as a run of whole
    words (with ``longer``, only a text longer than the key), else None.

    Keys and texts are normalised (lower case, words joined by single spaces, see ``_norm``);
    ``texts`` may be a generator (read once, so the normalised copies never all exist).
    Linear in the total size: each key is filed under its longest word, each text is scanned
    once for the anchor words it contains, and a hit is checked by one hash lookup of the
    text slice where the key would lie, so no key is compared against every text.
    """
    result: list[int | None] = [None] * len(keys)
    owners: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            owners.setdefault(key, []).append(i)
    # anchor word -> {(offset of the anchor in the key, key length): {keys}}
    anchors: dict[str, dict[tuple[int, int], set[str]]] = {}
    for key in owners:
        words = key.split(" ")
        longest = max(words, key=len)
        offset = (" " + key + " ").index(" " + longest + " ")
        anchors.setdefault(longest, {}).setdefault((offset, len(key)), set()).add(key)
    for j, text in enumerate(texts):
        if not anchors:
            break
        n = len(text)
        for word in anchors.keys() & set(text.split(" ")):
            groups = anchors[word]
            pos = text.find(word)
            while pos >= 0 and word in anchors:
                end = pos + len(word)
                if (pos == 0 or text[pos - 1] == " ") and (end == n or text[end] == " "):
                    for (offset, size), group in list(groups.items()):
                        a = pos - offset
                        b = a + size
                        if a < 0 or b > n or (longer and size >= n):
                            continue
                        if (a and text[a - 1] != " ") or (b < n and text[b] != " "):
                            continue
                        cand = text[a:b]
                        if cand in group:
                            for i in owners[cand]:
                                result[i] = j
                            group.discard(cand)
                            if not group:
                                del groups[(offset, size)]
                    if not groups:
                        del anchors[word]
                pos = text.find(word, end)
    return result


def _mark_pull_quotes(paras: list[Para]) -> None:
    """Mark short body paragraphs that repeat text found in a longer body paragraph."""
    body_idx = [i for i, p in enumerate(paras) if p.kind == "body"]
    keys = []
    for i in body_idx:
        p = paras[i]
        key = _norm(p.text) if len(p.text) <= 300 and not p.speaker else ""
        keys.append(key if len(key) >= 25 else "")
    texts = (_norm(paras[i].text) for i in body_idx)
    for i, hit in zip(body_idx, find_repeats(keys, texts, longer=True)):
        if hit is not None:
            paras[i].kind = "pull_quote"
            paras[i].repeat_of = body_idx[hit]
