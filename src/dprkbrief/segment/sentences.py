"""Rule-based English sentence splitter with exact character offsets.

Why not pysbd: it rewrites the text (so offsets must be recovered afterwards) and runs at well
under 1 MB/s. This splitter never changes the text: fast regex passes find candidate boundaries
(terminal punctuation; line breaks, bullets and ``)`` markers only where present) and a few
cheap checks decide each, using the abbreviation, sentence-starter and continuation-word lists
in ``resources/segment/abbreviations.toml``. Every decision is a cut position; the spans are
the whitespace-stripped pieces between cuts, so they are lossless by construction.

Decisions, in short:

* ``.`` after an ordinary word ends a sentence unless a lowercase word follows; after an
  abbreviation it depends on the abbreviation's kind (``prefix``, ``number``, ``time``,
  ``general``; see the data file); a single capital letter is an initial unless a sentence
  starter follows ("you and I. Did ..." vs "Albert I. Jones").
* ``?`` / ``!`` end a sentence unless a lowercase word follows ("Yahoo! in ...").
* ``...`` / ``…`` attached to a word end a sentence before a capital; an ellipsis after a space
  or an opening bracket marks an omission; ``word. . . . Next`` ends after the first period.
* Closing quotes/brackets after the punctuation stay with the sentence (``great.” She``).
* URLs and e-mail addresses are never split inside; decimals, times and ``U.S.-DPRK`` have no
  candidate at all.
* List markers (``1.``, ``2)``, ``a.``, ``II)``, bullets) start a sentence and never stand alone;
  a marker in running text counts only when its neighbour in the sequence is present too.
* A blank line always separates; a single line break separates unless the line was
  hard-wrapped (the next word would not have fitted on it), ends in a continuation character
  or word ("," "-" "the" "with"), or a sentence broken mid-way continues in lowercase. So a
  short heading-like line (no final punctuation) before a capitalised line is a boundary.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from ..errors import ParameterError, RuleFileError

__all__ = ["SentenceRules", "load_sentence_rules", "sentence_spans", "split_sentences"]

_KINDS = ("prefix", "number", "time", "general")

# characters
_LB = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OPEN = "\"'“‘«([{"
_BULLETS = "•⁃▪◦‣"
_CONT = ",;-–—/(&+"
_OPEN_BULLETS = _OPEN + _BULLETS

# after the first terminal punctuation mark: the rest of the cluster (spaced dots ". . ."
# included, group 1), closing quotes/brackets (group 2), then either whitespace and opening
# quotes/brackets (group 3: the next visible character, "" at the end), or an uppercase letter
# (no-space boundary, group 3 None), or the end. Each cluster is matched from its first mark
# (the lookbehind); one literal-led pattern per mark keeps the regex scan fast.
_TAIL = (
    r"((?:[.!?…‽]|[ \u00a0]\.(?!\w))*)([\"'”’»)\]}]*)"
    r"(?:\s+[\"'“‘«(\[{]*(?=(.?))|(?=[A-Z])|$)"
)
_CLUSTER = {
    ch: re.compile(re.escape(ch) + rf"(?<![.!?…‽]{re.escape(ch)})" + _TAIL, re.S) for ch in ".?!…‽"
}
_DOT = _CLUSTER["."]
_WORD = re.compile(r"[A-Za-z]+")
_HYPHEN = re.compile(r"[-–/]")
_NONSPACE = re.compile(r"\S+")
_MULTI = re.compile(r"(?:[A-Za-z]{1,3}\.)+[A-Za-z]{1,3}")
# list marker values: "." style takes digits, lowercase letters and lowercase roman numerals;
# ")" styles also take capitals and capital roman numerals
_MARK_DOT = re.compile(r"(\d{1,2}|[a-z]|[ivx]{2,5})")
_MARK_PAREN = re.compile(r"(\d{1,2}|[a-zA-Z]|[ivxIVX]{2,5})(\.?)")
_LINE_MARK = re.compile(
    r"(?:[(]?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{2,5})\.?\)|(?:\d{1,2}|[a-z]|[ivx]{2,5})\.)(?=\s)"
)
_ANY_MARKER = re.compile(
    r"(?:^|(?<=[\s•⁃▪◦‣]))\(?(\d{1,2}|[a-zA-Z]|[ivxIVX]{2,5})(\.\)|\)|\.)(?=\s|$)"
)
_ROMAN = {"i": 1, "v": 5, "x": 10}
_NEIGHBOUR_WINDOW = 1500  # how far (chars) to look for the previous/next list marker


@dataclass(frozen=True)
class SentenceRules:
    """The splitter's data (see ``resources/segment/abbreviations.toml``).

    ``kinds``: lowercase abbreviation without its final period -> kind; ``starters``: words that
    open sentences; ``fronted``: regex for a fronted time phrase ("At 5 a.m"); ``continuation``:
    words that cannot end a line that stands alone.
    """

    kinds: dict[str, str]
    starters: frozenset[str]
    fronted: re.Pattern[str]
    continuation: frozenset[str] = frozenset()


def load_sentence_rules(path: str | Path | None = None) -> SentenceRules:
    """Load the splitter's abbreviation/starter data (the shipped file when ``path`` is None)."""
    from ..resources import load_toml, resource_path

    p = resource_path("segment", "abbreviations.toml") if path is None else Path(path)
    return _build_rules(str(p), load_toml(p))


def _build_rules(where: str, data: dict) -> SentenceRules:
    kinds: dict[str, str] = {}
    fronted: list[str] = []
    groups = data.get("group")
    if not isinstance(groups, list) or not groups:
        raise RuleFileError(f"{where}: no [[group]] tables; add abbreviation groups")
    for g in groups:
        kind = g.get("kind")
        if kind not in _KINDS:
            allowed = ", ".join(repr(k) for k in _KINDS)
            raise RuleFileError(
                f"{where}: group {g.get('name')!r} has kind {kind!r}; allowed are {allowed}"
            )
        words = g.get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise RuleFileError(
                f"{where}: group {g.get('name')!r} needs 'words', a list of non-empty strings"
            )
        for w in words:
            kinds[w.lower().rstrip(".")] = kind
        more = g.get("fronted_by", [])
        if not isinstance(more, list) or not all(isinstance(f, str) and f for f in more):
            raise RuleFileError(
                f"{where}: group {g.get('name')!r}: 'fronted_by' must be a list of prepositions"
            )
        fronted.extend(more)
    table = data.get("starters")
    starters = table.get("words") if isinstance(table, dict) else None
    if not isinstance(starters, list) or not all(isinstance(w, str) for w in starters):
        raise RuleFileError(f"{where}: [starters] needs 'words', a list of capitalised words")
    preps = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in fronted) or "(?!)"
    fronted_re = re.compile(
        rf"(?:{preps})\s+(?:about\s+|around\s+|roughly\s+)?\d{{1,2}}(?:[:.]\d{{2}})?\s*\S*",
        re.IGNORECASE,
    )
    table = data.get("continuation", {})
    cont = table.get("words", []) if isinstance(table, dict) else None
    if not isinstance(cont, list) or not all(isinstance(w, str) for w in cont):
        raise RuleFileError(f"{where}: [continuation] 'words' must be a list of lowercase words")
    return SentenceRules(kinds, frozenset(starters), fronted_re, frozenset(cont))


_RULES: dict[None, SentenceRules] = {}  # the shipped rules, loaded on first use


def _default_rules() -> SentenceRules:
    _RULES[None] = rules = load_sentence_rules()
    return rules


def _as_index(name: str, value: object) -> int:
    if not isinstance(value, bool):
        try:
            return operator.index(value)  # type: ignore[arg-type]
        except TypeError:
            pass
    raise ParameterError(
        f"invalid type for {name!r}: expected int, got {type(value).__name__} {value!r}; "
        "pass a character offset"
    )


def sentence_spans(
    text: str, start: int = 0, end: int | None = None, *, rules: SentenceRules | None = None
) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` (absolute offsets into ``text``) of the sentences in ``text[start:end]``.

    The spans are in order, do not overlap, start and end on non-whitespace, and together cover
    every non-whitespace character of the range. ``rules`` replaces the shipped abbreviation
    data (see :func:`load_sentence_rules`).
    """
    if not isinstance(text, str):
        raise ParameterError(
            f"invalid type for 'text': expected str, got {type(text).__name__}; pass the "
            "document text"
        )
    n_all = len(text)
    if type(start) is not int:
        start = _as_index("start", start)
    if end is None:
        end = n_all
    elif type(end) is not int:
        end = _as_index("end", end)
    if not 0 <= start <= end <= n_all:
        raise ParameterError(
            f"invalid range for 'start'/'end': {start!r}, {end!r}; need "
            f"0 <= start <= end <= len(text) ({n_all})"
        )
    seg = text if (start == 0 and end == n_all) else text[start:end]
    if rules is None:
        rules = _RULES.get(None) or _default_rules()
    elif not isinstance(rules, SentenceRules):
        raise ParameterError(
            f"invalid type for 'rules': expected SentenceRules, got {type(rules).__name__}; "
            "use load_sentence_rules(path)"
        )
    cuts = _cuts(seg, rules)
    out: list[tuple[int, int]] = []
    prev = 0
    n = len(seg)
    cuts.append(n)
    for c in cuts:
        a, b = prev, c
        while a < b and seg[a].isspace():
            a += 1
        while b > a and seg[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a + start, b + start))
        prev = c
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (``text[s:e]`` for each span)."""
    return [text[s:e] for s, e in sentence_spans(text)]


# --------------------------------------------------------------------------- internals


def _cuts(seg: str, rules: SentenceRules) -> list[int]:
    """Sorted, de-duplicated cut positions (local offsets) inside ``seg``."""
    n = len(seg)
    cuts: list[int] = []
    if not seg.isprintable() and any(ch in seg for ch in _LB):
        cuts.extend(_line_cuts(seg, rules.continuation))
    for ch in _BULLETS if not seg.isascii() else ():
        if ch in seg:
            i = seg.find(ch)
            while i != -1:
                if i > 0 and seg[i - 1].isspace():
                    cuts.append(i)
                i = seg.find(ch, i + 1)
    index: list = []  # positions of list-marker-like tokens, built when first needed
    if ")" in seg:
        _paren_marker_cuts(seg, cuts, index)
    # clusters led by "?", "!", "…": their decisions do not depend on earlier cuts
    for ch in "?!…‽":
        if ch in seg:
            _strong_cuts(seg, ch, cuts)
    merge = bool(cuts)  # cuts from several passes: sort them at the end
    if merge:
        cuts.sort()
    pre_cuts = cuts[:]  # sentence starts known before the period pass
    kinds = rules.kinds
    starters = rules.starters
    cur = 0  # start of the current sentence (approximate: last punctuation cut)
    for m in _DOT.finditer(seg):
        rest, close, c = m.groups()
        b = m.end(2)
        if c is None:
            if b >= n:
                break
            # no-space boundary: "world.Today", "1,000.That" (never inside URLs / e-mails)
            a = m.start()
            if (
                not rest
                and not close
                and b + 1 < n
                and seg[b + 1].islower()
                and a > 0
                and (seg[a - 1].islower() or seg[a - 1].isdigit())
                and not _in_address(seg, a)
            ):
                cuts.append(b)
                cur = b
            continue
        if not c:
            break  # only whitespace follows
        a = m.start()
        k = m.end()  # the next visible character, after whitespace and opening quotes
        # the word before the punctuation (bounded by the current sentence start)
        w0 = a - 40 if a - 40 > cur else cur
        sp = seg.rfind(" ", w0, a)
        tok = seg[sp + 1 : a] if sp >= 0 else seg[w0:a]
        if not tok.isprintable():  # other whitespace (NBSP, tab, line break) inside
            chunk = seg[w0:a]
            tok = "" if not chunk or chunk[-1].isspace() else chunk.rsplit(None, 1)[-1]
        if rest:
            core = "." + rest
            if "?" in core or "!" in core or "‽" in core:
                if not c.islower():
                    cuts.append(b)
                    cur = b
                continue
            cut = _ellipsis_cut(core, tok, a, b, c)
            if cut is not None:
                cuts.append(cut)
                cur = cut
            continue
        # a single period
        tl = tok.lstrip(_OPEN_BULLETS)
        if close:
            if close == ")" and _MARK_PAREN.fullmatch(tl):
                continue  # "1.)" list marker, handled by the ")" pass
            # after a closing quote the sentence ends before any non-lowercase word; after a
            # bracket that closes an abbreviation ("(D-Calif.)") the abbreviation decides
            if '"' in close or "”" in close or "'" in close or "’" in close or "»" in close:
                if not c.islower():
                    cuts.append(b)
                    cur = b
                continue
            if _kind(tl, kinds) is None:
                if not c.islower():
                    cuts.append(b)
                    cur = b
                continue
        if (len(tl) <= 2 or tl[0] in "ivx") and _MARK_DOT.fullmatch(tl):
            ts = a - len(tok)
            if _at_line_start(seg, ts):
                continue
            if _has_neighbour(seg, tl, ".", ts, index):
                cuts.append(_marker_start(seg, ts))
                merge = True
                continue
        kind = kinds.get(tl.lower())
        if kind is None and ("-" in tl or "–" in tl or "/" in tl):
            tl = _HYPHEN.split(tl)[-1]  # "DPRK-U.S", "D-Calif": the last part decides
            kind = kinds.get(tl.lower())
        if kind is None:
            if len(tl) == 1 and "A" <= tl <= "Z":
                # an initial ends a sentence only before a starter, and never as the whole
                # sentence ("Q. What do you expect?")
                if c.isupper() and _starter(seg, k, starters):
                    if seg[_sentence_start(a, cur, pre_cuts) : a - 1].strip():
                        cuts.append(b)
                        cur = b
                continue
            elif "." in tl and _MULTI.fullmatch(tl):
                kind = "general"
            elif c.islower():
                continue
            else:
                cuts.append(b)
                cur = b
                continue
        if kind == "general":
            cut = c.isupper() and _starter(seg, k, starters)
        elif kind == "prefix":
            cut = False
        elif kind == "number":
            cut = not (c.islower() or c.isdigit())
        else:  # time
            cut = c.isupper() and not _fronted(seg, a, cur, pre_cuts, rules)
        if cut:
            cuts.append(b)
            cur = b
    return sorted(set(cuts)) if merge else cuts


def _strong_cuts(seg: str, mark: str, cuts: list[int]) -> None:
    """Cuts after clusters led by ``mark`` ("?", "!", "…", "‽")."""
    for m in _CLUSTER[mark].finditer(seg):
        c = m.group(3)
        if not c:
            continue  # no whitespace after (no cut), or only whitespace to the end
        a = m.start()
        core = seg[a : m.end(1)]
        if "?" in core or "!" in core or "‽" in core:
            if not c.islower():
                cuts.append(m.end(2))
            continue
        chunk = seg[max(0, a - 40) : a]
        tok = "" if not chunk or chunk[-1].isspace() else chunk.rsplit(None, 1)[-1]
        cut = _ellipsis_cut(core, tok, a, m.end(2), c)
        if cut is not None:
            cuts.append(cut)


def _kind(tl: str, kinds: dict[str, str]) -> str | None:
    """Abbreviation kind of a word (its last hyphen part counts), or None."""
    kind = kinds.get(tl.lower())
    if kind is None and ("-" in tl or "–" in tl or "/" in tl):
        kind = kinds.get(_HYPHEN.split(tl)[-1].lower())
    if kind is None and "." in tl and _MULTI.fullmatch(tl):
        kind = "general"
    return kind


def _starter(seg: str, k: int, starters: frozenset[str]) -> bool:
    m = _WORD.match(seg, k)
    if m is None:
        return False
    e = m.end()
    if e < len(seg) and seg[e] in "-.":
        return False
    return m.group() in starters


def _fronted(seg: str, a: int, cur: int, pre_cuts: list[int], rules: SentenceRules) -> bool:
    """Is the sentence so far only a fronted time phrase ("At 5 a.m.")?"""
    s0 = _sentence_start(a, cur, pre_cuts)
    return rules.fronted.fullmatch(seg[s0:a].strip()) is not None


def _sentence_start(a: int, cur: int, pre_cuts: list[int]) -> int:
    """Start of the sentence that position ``a`` is in (last punctuation or line cut)."""
    i = bisect_right(pre_cuts, a)
    return max(cur, pre_cuts[i - 1] if i else 0)


def _ellipsis_cut(core: str, tok: str, a: int, b: int, c: str) -> int | None:
    """Cut position for a multi-dot cluster, or None."""
    dots = core.count(".") + 3 * core.count("…")
    if " " in core or "\u00a0" in core:
        if tok and dots >= 4 and core[0] == "." and core[1] in " \u00a0":
            # "compounds. . . . The": the first period ends it, ". . ." opens the next
            return a + 1 if c.isupper() else None
        if not tok and dots < 4:
            return None  # ". . ." after a space: an omission inside the sentence
    elif not tok or tok[-1] in "([{":
        return None  # "really ... well", "[...]": omission marks
    return b if c.isupper() else None


def _in_address(seg: str, a: int) -> bool:
    """Is position ``a`` inside a URL or e-mail address token?"""
    s = a
    while s > 0 and not seg[s - 1].isspace():
        s -= 1
    e = a
    n = len(seg)
    while e < n and not seg[e].isspace():
        e += 1
    token = seg[s:e]
    return "@" in token or "://" in token or token.lower().startswith("www.")


def _at_line_start(seg: str, ts: int) -> bool:
    """Only spaces and bullets between the last line break (or the start) and ``ts``."""
    j = ts - 1
    while j >= 0 and (seg[j] in " \t\u00a0" or seg[j] in _BULLETS):
        j -= 1
    return j < 0 or seg[j] in _LB


def _marker_start(seg: str, ts: int) -> int:
    """Start of a list marker, moved back over a bullet standing before it ("• 10.")."""
    j = ts - 1
    while j >= 0 and seg[j] in " \t\u00a0":
        j -= 1
    if j >= 0 and seg[j] in _BULLETS and (j == 0 or seg[j - 1].isspace()):
        return j
    return ts


def _roman(v: str) -> int | None:
    total = 0
    vals = [_ROMAN.get(ch) for ch in v.lower()]
    if None in vals:
        return None
    for i, x in enumerate(vals):
        total += -x if i + 1 < len(vals) and vals[i + 1] > x else x
    return total


def _to_roman(n: int, upper: bool) -> str:
    out = ""
    for val, sym in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= val:
            out += sym
            n -= val
    return out.upper() if upper else out


def _has_neighbour(
    seg: str, value: str, style: str, at: int, index: list[dict[tuple[str, str], list[int]]]
) -> bool:
    """Does the marker before or after ``value`` (same style) occur as a marker near ``at``?

    ``index`` holds the positions of every marker-like token in ``seg``, built on first use.
    """
    cands: list[str] = []
    if value.isdigit():
        v = int(value)
        cands = [str(v - 1), str(v + 1)]
    else:
        if len(value) == 1:
            cands = [chr(ord(value) - 1), chr(ord(value) + 1)]
        r = _roman(value)
        if r is not None and r < 40:
            up = value.isupper()
            cands += [_to_roman(x, up) for x in (r - 1, r + 1) if x > 0]
    if not index:
        found: dict[tuple[str, str], list[int]] = {}
        for m in _ANY_MARKER.finditer(seg):
            found.setdefault((m.group(1), m.group(2)), []).append(m.start())
        index.append(found)
    for cand in cands:
        pos = index[0].get((cand, style))
        if pos:
            i = bisect_left(pos, at - _NEIGHBOUR_WINDOW)
            if i < len(pos) and pos[i] <= at + _NEIGHBOUR_WINDOW:
                return True
    return False


def _paren_marker_cuts(seg: str, cuts: list[int], index: list) -> None:
    """Cuts before ``2)``, ``b)``, ``II)``, ``2.)`` markers in running text (with a neighbour)."""
    n = len(seg)
    i = seg.find(")")
    while i != -1:
        if i + 1 < n and seg[i + 1].isspace():
            s = i
            while s > 0 and not seg[s - 1].isspace() and i - s < 8:
                s -= 1
            if s == 0 or seg[s - 1].isspace():
                tl = seg[s:i].lstrip(_BULLETS)
                m = _MARK_PAREN.fullmatch(tl)  # "(a)" in running text is an inline enumeration
                if m and not _at_line_start(seg, s):
                    style = m.group(2) + ")"
                    if _has_neighbour(seg, m.group(1), style, s, index):
                        cuts.append(_marker_start(seg, s))
        i = seg.find(")", i + 1)


def _line_cuts(seg: str, continuation: frozenset[str]) -> list[int]:
    """Cuts at line breaks: blank lines, list items, and lines that were not hard-wrapped."""
    raws = seg.splitlines(True)
    cuts: list[int] = []
    if len(raws) < 2:
        return cuts
    lines = [r.strip() for r in raws]
    offs = [0, *accumulate(map(len, raws))]
    widths: dict[int, int] = {}  # block start -> wrap width
    block = 0  # index of the first line of the current block (run of non-blank lines)
    prev = -1  # index of the previous non-blank line
    blank = False
    for i, nline in enumerate(lines):
        if not nline:
            blank = prev >= 0
            continue
        if prev < 0:
            prev = block = i
            continue
        line = lines[prev]
        prev = i
        if blank:
            blank = False
            block = i
            cuts.append(offs[i])
            continue
        first = nline[0]
        if (
            first in _BULLETS
            or (first in "-*–" and nline[1:2].isspace())
            or (len(nline) > 2 and _LINE_MARK.match(nline))
        ):
            cuts.append(offs[i])
            continue
        if line[-1] in _CONT or line[line.rfind(" ") + 1 :] in continuation:
            continue
        head = line.lstrip(_OPEN)[:1]
        if first.islower() and (head.isupper() or head.isdigit()):
            continue  # a sentence broken mid-way
        w = widths.get(block)
        if w is None:
            w = widths[block] = _wrap_width(lines, block)
        if w and len(line) + 1 + _NONSPACE.match(nline).end() > w:
            continue  # hard-wrapped: the next word would not have fitted
        cuts.append(offs[i])
    return cuts


def _wrap_width(lines: list[str], s: int) -> int:
    """Wrap width of the block of non-blank lines starting at line ``s``; 0 if not wrapped.

    A block is hard-wrapped when most of its lines but the last run close to the widest one.
    """
    e = s + 1
    while e < len(lines) and lines[e]:
        e += 1
    lens = [len(x) for x in lines[s:e]]
    w = max(lens)
    full = sum(1 for x in lens[:-1] if x >= 0.75 * w)
    if not (30 <= w <= 150 and full >= max(1, (e - s) // 2)):
        w = 0
    return w
