"""Matching phase: find date expressions and emit their UNDERSPECIFIED values.

A :class:`Mention` is a span plus the rule's value expression with its groups normalised
(``weekday(4, tense)``, ``ref(Y, -2)``, ``month(10, tense)``, ``recurring(us_inauguration,
tense)`` or a complete value such as ``2019-02-28``), as HeidelTime's matching emits
``UNDEF-this-day`` values. Nothing here looks at the sentence's tense or the document's genre;
:mod:`.resolve` fills the values in a second pass.

Speed: rules run only near their trigger words (one pass over the text finds them all), and
each rule's regex starts with a one-character guard (:mod:`.regexinfo`).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

from .rules import DateRules, Rule, Trigger

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_WORD_RX: dict[str, re.Pattern] = {}
_WORD = re.compile(r"[^\W\d_]+")
_OPENERS = frozenset("\n\r.!?:;\"'`“‘([—–-_")


@dataclass(slots=True)
class Mention:
    """A matched expression: span, rule and underspecified value (None: not a date)."""

    start: int
    end: int
    rule: Rule
    value: str | None
    # a range rule's second date ("1950-1953": 1953), split at the separator
    end_span: tuple[int, int] | None = None
    end_expr: str | None = None


def _word_regex(word: str) -> re.Pattern:
    """``word`` not followed by a letter (the letter before is checked by the caller: a
    pattern that starts with the literal word is searched much faster)."""
    rx = _WORD_RX.get(word)
    if rx is None:
        rx = _WORD_RX[word] = re.compile(re.escape(word) + r"(?![^\W\d_])")
    return rx


class Windows:
    """Stretches of a text near trigger words, per set of trigger keys (cached): the rules
    run only there. The trigger words of the text are found once (the set of its words, then
    each trigger word's occurrences); windows are merged and cut at whitespace."""

    def __init__(self, text: str, trig: Trigger | None):
        self.text, self.trig = text, trig
        self.cache: dict[Any, list[tuple[int, int]]] = {}
        self.hits: dict[str, list[tuple[int, int]]] = {}
        if trig is None:
            return
        hits = self.hits
        low = text.lower()
        if len(low) != len(text):  # lower() changed the length of a rare letter: word by word
            for m in _TOKEN.finditer(text):
                key = m.group()
                key = ("#4" if len(key) == 4 else "#") if key[0].isdigit() else key.lower()
                if key[0] == "#" or key in trig.words:
                    hits.setdefault(key, []).append(m.span())
            return
        # the trigger words of this text, then each one's occurrences (C-speed searches)
        for w in trig.words.intersection(_LETTERS.findall(low)):
            lst = [
                m.span()
                for m in _word_regex(w).finditer(low)
                if not m.start() or not low[m.start() - 1].isalpha()
            ]
            if lst:
                hits[w] = lst
        for m in _DIGITS.finditer(low):
            key = "#4" if m.end() - m.start() == 4 else "#"
            hits.setdefault(key, []).append(m.span())

    def get(self, key: Any) -> list[tuple[int, int]]:
        """Windows for a key of :meth:`DateRules.groups` (``whole``: the whole text)."""
        if key == "whole" or self.trig is None:
            return [(0, len(self.text))]
        got = self.cache.get(key)
        if got is None:
            got = self.cache[key] = self._build(key)
        return got

    def _build(self, key: Any) -> list[tuple[int, int]]:
        hits, text, w = self.hits, self.text, self.trig.window
        if key == "all":
            keys = [k for k in hits if self.trig.digits or not k.startswith("#")]
        elif key == "words":
            keys = [k for k in hits if not k.startswith("#")]
        else:
            keys = [k for k in hits if k in key]
        if not keys:
            return []
        pairs = hits[keys[0]] if len(keys) == 1 else sorted([p for k in keys for p in hits[k]])
        n = len(text)
        out: list[list[int]] = []
        for s, e in pairs:
            s, e = s - w, e + w
            if out and s <= out[-1][1]:
                if e > out[-1][1]:
                    out[-1][1] = e
            else:
                out.append([s, e])
        res: list[tuple[int, int]] = []
        for s, e in out:
            s, e = max(0, s), min(n, e)
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            while e < n and not text[e].isspace():
                e += 1
            if res and s <= res[-1][1]:
                res[-1] = (res[-1][0], max(e, res[-1][1]))
            else:
                res.append((s, e))
        return res


def in_name(text: str, s: int, e: int, names: frozenset[str]) -> bool:
    """Whether a match holds a time word capitalised inside a sentence ("High Noon", "This
    Week", "60 Minutes"): part of a title or name. Title Case lines (headlines) are exempt."""
    seg = text[s:e]
    if seg == seg.lower():
        return False  # the common case: nothing capitalised
    words = list(_WORD.finditer(text, s, e))
    caps = [w for w in words if w.group().istitle() and w.group().lower() in names]
    if not caps:
        return False
    first = words[0]
    if len(caps) == 1 and caps[0] is first:
        j = first.start() - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j < 0 or text[j] in _OPENERS:
            return False  # "Today, ..." at the start of a line, sentence or quote
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", e)
    line = text[ls : le if le >= 0 else len(text)].rstrip()
    content = [w for w in _WORD.findall(line) if w[0].isupper() or len(w) > 3]
    if (
        not line.endswith((".", "!", "?", '."', ".'", "”"))
        and len(content) >= 2
        and sum(w[0].isupper() for w in content) >= 0.7 * len(content)
    ):
        return False  # a headline in Title Case ("Seventy Years of Talks")
    return True


def candidates(text: str, dr: DateRules) -> list[tuple[int, int, Rule, re.Match]]:
    """Non-overlapping rule matches in text order: longest first, then by rule order."""
    cands = []
    add = cands.append
    windows = Windows(text, dr.trigger)
    if dr.trigger is not None and not windows.hits:
        return []  # no trigger word at all: no date
    present = windows.hits.keys()
    for key, rules in dr.groups():
        if isinstance(key, frozenset) and key.isdisjoint(present):
            continue  # none of the rules' trigger words is in the text
        wins = windows.get(key)
        if not wins:
            continue
        for rule in rules:
            finditer = rule.regex.finditer
            for ws, we in wins:
                for m in finditer(text, ws, we):
                    s, e = m.span()
                    if s != e:
                        add((s, e, rule, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2].order, c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    n = len(text)
    for c in cands:
        s, e, rule = c[0], c[1], c[2]
        i = bisect.bisect_left(taken, (s, e))
        if i > 0 and taken[i - 1][1] > s:
            continue
        if i < len(taken) and taken[i][0] < e:
            continue
        # the context checks run only for a match that would be taken (same result, as a
        # rejected match takes no room, but most candidates lose to a longer one first)
        if rule.reject_before and rule.reject_before.search(text, max(0, s - 40), s):
            continue
        if rule.reject_after and rule.reject_after.match(text, e, min(n, e + 40)):
            continue
        if rule.require_before and not rule.require_before.search(text, max(0, s - 40), s):
            continue
        if dr.names and rule.name not in dr.names_exempt and in_name(text, s, e, dr.names):
            continue
        taken.insert(i, (s, e))
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


# --------------------------------------------------------------------------- normalisation


def number(s: str, tables: dict) -> int | None:
    """Integer of a number in digits or words; -1 for vague quantities; None if unknown."""
    s = s.strip().lower().replace(",", "")
    if s.isdigit():
        return int(s)
    words = tables["numword"]
    if s in words:
        return words[s]
    s = re.sub(r"\s+", " ", s)
    if s in words:
        return words[s]
    total = 0
    for w in re.split(r"[\s-]+", s):
        if w == "and":
            continue
        if w not in words or words[w] < 0:
            return None
        v = words[w]
        total = total * v if v == 100 and total else total + v
    return total


def _year_words(key: str, tables: dict) -> int | None:
    """'nineteen ninety-six' -> 1996, 'two thousand' -> 2000."""
    m = re.fullmatch(r"(.+?)\s+hundred(?:\s+(?:and\s+)?(.+))?", key)
    if m:
        a = number(m.group(1), tables)
        b = number(m.group(2), tables) if m.group(2) else 0
        return a * 100 + b if a and b is not None else None
    m = re.fullmatch(r"(?:the\s+year\s+)?two\s+thousand(?:\s+(?:and\s+)?(.+))?", key)
    if m:
        b = number(m.group(1), tables) if m.group(1) else 0
        return 2000 + b if b is not None else None
    parts = key.split(" ", 1)
    if len(parts) == 2:
        a, b = number(parts[0], tables), number(parts[1], tables)
        if a and 10 <= a <= 20 and b is not None and 0 < b < 100:
            return a * 100 + b
    return None


def _n_year(key: str, t: dict, dct: _dt.date | None) -> str | None:
    digits = key.lstrip("'’")
    if digits.isdigit():
        y = int(digits)
        if len(digits) == 2:  # '98: the century of the DCT (or the 1900s), never 20 years ahead
            century = (dct.year // 100) * 100 if dct else 1900
            y = century + y
            if dct and y > dct.year + 20:
                y -= 100
        return f"{y:04d}"
    n = _year_words(key, t)
    return f"{n:04d}" if n else None


def _n_month(key: str, t: dict, dct: Any) -> str | None:
    if key.isdigit():
        return f"{int(key):02d}"
    v = t["month"].get(key)
    return f"{v:02d}" if v else None


def _n_day(key: str, t: dict, dct: Any) -> str | None:
    d = re.sub(r"(st|nd|rd|th)$", "", key)
    return f"{int(d):02d}" if d.isdigit() else None


def _n_num(key: str, t: dict, dct: Any) -> str | None:
    n = number(key, t)
    return None if n is None else ("X" if n < 0 else str(n))


def _n_ordinal(key: str, t: dict, dct: Any) -> str | None:
    if key.isdigit():
        return key
    v = t["ordinal"].get(key.replace("-", ""))
    return None if v is None else str(v)


def _n_century(key: str, t: dict, dct: Any) -> str | None:
    n = re.sub(r"(st|nd|rd|th)$", "", key)
    n = n if n.isdigit() else str(t["ordinal"].get(n, ""))
    return f"{int(n) - 1:02d}" if n.isdigit() and int(n) > 0 else None


# group name -> normaliser (the other groups: their table of normalization.toml)
_NORMALISERS = {
    "year": _n_year,
    "month": _n_month,
    "day": _n_day,
    "num": _n_num,
    "ordinal": _n_ordinal,
    "quarter": _n_ordinal,
    "century": _n_century,
    "decade": lambda key, t, dct: key[:3] if key[:3].isdigit() else None,
    "minute": lambda key, t, dct: key,
    "ampm": lambda key, t, dct: key.replace(".", "").replace(" ", ""),
}


def norm_group(name: str, raw: str, dr: DateRules, dct: _dt.date | None) -> str | None:
    """A matched group normalised by its name (``month`` ``October`` -> ``10``)."""
    base = name.rstrip("0123456789")
    key = re.sub(r"\s+", " ", raw.strip().lower().rstrip("."))
    fn = _NORMALISERS.get(base)
    if fn is not None and not (base in ("minute", "ampm") and base in dr.tables):
        return fn(key, dr.tables, dct)
    table = dr.tables.get(base)
    if table is not None:
        v = table.get(key)
        if v is None:
            v = table.get(key.rstrip("s"))
        if v is None:
            return None
        return str(v[0] if isinstance(v, list) else v)
    if base == "hour":
        return f"{int(key):02d}" if key.isdigit() else None
    return raw


_FIELD = re.compile(r"\{(\w+)\}")


def fill(expr: str, m: re.Match, dr: DateRules, dct: _dt.date | None, siblings: bool) -> str | None:
    """The value expression of a rule with its groups normalised: the underspecified value.

    With ``siblings`` (range rules) a group that did not match takes the text of its
    numbered sibling: ``month`` that of ``month2`` and the other way round."""
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if siblings:
        for k in list(m.groupdict()):
            if k not in groups:
                other = k[:-1] if k.endswith("2") else k + "2"
                if other in groups:
                    groups[k] = groups[other]
    normed: dict[str, str] = {}
    for k, v in groups.items():
        n = norm_group(k, v, dr, dct)
        if n is None:
            return None
        normed[k] = n
    if "hour" in normed:  # clock times: 24-hour hour, minutes default to :00
        h = int(normed["hour"])
        ampm = normed.get("ampm", "")
        if ampm.startswith("p") and h < 12:
            h += 12
        elif ampm.startswith("a") and h == 12:
            h = 0
        normed["hour"] = f"{h:02d}"
        normed.setdefault("minute", "00")
    return _FIELD.sub(
        lambda g: normed.get(g.group(1), g.group(0) if g.group(1) == "signal" else ""), expr
    )


def match_dates(text: str, dr: DateRules, dct: _dt.date | None = None) -> list[Mention]:
    """Every date expression of ``text`` with its underspecified value, in text order.

    ``dct`` is used only to give a two-digit year ("'98") its century."""
    out: list[Mention] = []
    for s, e, rule, m in candidates(text, dr):
        ranged = bool(rule.end_value) and m.group("end") is not None
        if ranged:  # a range: the first date ends at the separator
            e2, s2, e = e, m.end("sep"), m.start("sep")
            end_expr = fill(rule.end_value, m, dr, dct, True)
            mention = Mention(s, e, rule, fill(rule.value, m, dr, dct, True), (s2, e2), end_expr)
        else:
            mention = Mention(s, e, rule, fill(rule.value, m, dr, dct, bool(rule.end_value)))
        if rule.require_before is not None and mention.value and "{signal}" in mention.value:
            sig = rule.require_before.search(text, max(0, s - 40), s)
            fwd = bool(sig and rule.forward and rule.forward.match(sig.group().strip()))
            mention.value = mention.value.replace("{signal}", "forward" if fwd else "tense")
        out.append(mention)
    return out
