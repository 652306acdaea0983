"""Rule-based temporal tagger: find date expressions and give them TIMEX3 values.

The engine is generic and small; every pattern, lexicon and normalisation table is data in
``resources/dates/`` (HeidelTime style). A rule is a regex with named groups plus a value
expression; groups are normalised through the table of the same name and relative
expressions ("last year", "in October", "Thursday") are resolved against the document
creation time ``dct`` -- by the tense of the sentence where the rule asks for it, as
HeidelTime does in news mode. Without a ``dct`` relative values stay underspecified
(``XXXX-10``), never guessed.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import check_type
from ..errors import DprkbriefWarning, RuleFileError
from ..resources import load_toml, resource_path

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COLUMNS = ["start", "end", "text", "type", "value", "precision", "mod"]
TYPES = ("DATE", "TIME", "DURATION", "SET")
MIN_YEAR, MAX_YEAR = 1, 2999
# how far (characters) back "a year earlier" looks for the quarter it refers to
ANCHOR_REACH = 1000
# how far (characters) from a date expression a tense cue may be
TENSE_WINDOW = 80
# weekdays in sentences without a tense cue: the most recent one (news report the past)
WEEKDAY_DEFAULT = "near"
# longest text tagged in one go; longer texts are tagged in overlapping windows
_CHUNK = 200_000


# --------------------------------------------------------------------------- rules


@dataclass
class Rule:
    name: str
    regex: re.Pattern
    type: str
    value: str
    mod: str | None
    reject_before: re.Pattern | None
    reject_after: re.Pattern | None
    order: int
    digits: bool = True  # whether a match can contain a digit (else: word-trigger windows)
    # the trigger keys (lower-case words, "#" a number, "#4" a four-digit number) one of
    # which every match contains; None = all the trigger words of the [trigger] table
    triggers: frozenset[str] | None = None
    # value of the second date of a range ("1950-1953", "February 27-28, 2019"); the match
    # is then split at the group ``sep`` into two timexes
    end_value: str | None = None


@dataclass
class Ruleset:
    rules: list[Rule]
    tables: dict[str, dict[str, Any]]
    modifiers: list[tuple[re.Pattern, str, tuple[str, ...]]]
    past: re.Pattern
    future: re.Pattern
    sentence_end: re.Pattern
    horizon: int
    weak_past: re.Pattern
    deadline: re.Pattern
    perfect: re.Pattern
    trigger: Trigger | None
    names: frozenset[str] = frozenset()
    names_exempt: frozenset[str] = frozenset()
    any_modifier: re.Pattern | None = None  # all modifier regexes in one (a quick pre-check)


_RULESET: Ruleset | None = None


def _alternation(keys: list[str], case_sensitive: bool) -> str:
    parts: list[str] = []
    for k in sorted(keys, key=len, reverse=True):
        if case_sensitive:
            parts.extend([re.escape(k.capitalize()), re.escape(k.upper())])
        else:
            parts.append(re.escape(k).replace(r"\ ", r"\s+"))
    body = "|".join(dict.fromkeys(parts))
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


def _expand_macros(regex: str, macros: dict[str, str], where: str) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in macros:
            raise RuleFileError(f"{where}: unknown macro %{name}; define it in [macros]")
        return macros[name]

    for _ in range(5):  # macros may use macros
        new = re.sub(r"%([a-z_][a-z0-9_]*)", sub, regex)
        if new == regex:
            break
        regex = new
    return regex


def _first_chars(seq) -> tuple[set[str] | None, bool]:
    """Characters a parsed regex sequence can start with (None = any) and whether it can be
    empty; used to put a cheap one-character guard in front of each rule."""
    out: set[str] = set()
    for op, av in seq:
        f, nullable = _first_op(op, av)
        if f is None:
            return None, False
        out |= f
        if not nullable:
            return out, False
    return out, True


def _first_op(op, av) -> tuple[set[str] | None, bool]:
    from re import _constants as C  # noqa: N812

    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is C.LITERAL:
                chars.add(chr(a))
            elif o is C.RANGE and a[1] - a[0] <= 300:
                chars |= {chr(i) for i in range(a[0], a[1] + 1)}
            elif o is C.CATEGORY and a is C.CATEGORY_DIGIT:
                chars |= set("0123456789")
            elif o is C.CATEGORY and a is C.CATEGORY_SPACE:
                chars |= set(" \t\n\r\f\v\xa0")
            else:
                return None, False
        return chars, False
    if op is C.SUBPATTERN:
        return _first_chars(av[3])
    if op is C.BRANCH:
        chars, nul = set(), False
        for branch in av[1]:
            f, n = _first_chars(branch)
            if f is None:
                return None, False
            chars |= f
            nul = nul or n
        return chars, nul
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        f, n = _first_chars(av[2])
        return (f, n or av[0] == 0) if f is not None else (None, False)
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
        return set(), True
    if op is C.CATEGORY and av is C.CATEGORY_DIGIT:
        return set("0123456789"), False
    return None, False


def _may_match_digits(pattern: str) -> bool:
    """Conservative: False only if the regex names no digit (``\\d``, ``0-9``, any digit
    character) and no broad class (``\\w \\W \\S \\D``, ``[^...]``, ``.``)."""
    return bool(re.search(r"\\[dwWSD]|\[\^|(?<!\\)\.|[0-9]", pattern))


def _with_guard(pattern: str, flags: int) -> re.Pattern:
    """Compile ``pattern`` behind a lookahead on its possible first characters (same matches,
    fewer failed attempts)."""
    from re import _parser

    first, nullable = _first_chars(_parser.parse(pattern, flags))
    if first and not nullable:
        if flags & re.I:
            first |= {c.lower() for c in first} | {c.upper() for c in first}
        cls = "".join(re.escape(c) for c in sorted(first))
        return re.compile(f"(?=[{cls}])" + pattern, flags)
    return re.compile(pattern, flags)


def load_rules(patterns: str | Path | None = None) -> Ruleset:
    """Compile the rule files (the shipped ones, or a user ``patterns`` TOML file)."""
    norm_path = resource_path("dates", "normalization.toml")
    pat_path = Path(patterns) if patterns else resource_path("dates", "patterns.toml")
    tense_path = resource_path("dates", "tense.toml")
    norm = load_toml(norm_path)
    pats = load_toml(pat_path)
    tense = load_toml(tense_path)
    cs = set(norm.get("meta", {}).get("case_sensitive", []))
    tables = {k: v for k, v in norm.items() if k not in ("meta", "check")}
    macros: dict[str, str] = {}
    for name, table in tables.items():
        macros[name] = _alternation(list(table), name in cs)
    for name, rx in pats.get("macros", {}).items():
        macros[name] = f"(?:{rx})"
    rules: list[Rule] = []
    for i, entry in enumerate(pats.get("rule", [])):
        where = f"{pat_path} rule {entry.get('name', i)!r}"
        try:
            core = _expand_macros(entry["regex"], macros, where)
            rx = _with_guard(r"(?<![\w])(?:" + core + r")(?![\w])", re.I)
            rb = entry.get("reject_before")
            ra = entry.get("reject_after")
            rules.append(
                Rule(
                    name=entry.get("name", f"rule{i}"),
                    regex=rx,
                    type=entry.get("type", "DATE"),
                    value=entry["value"],
                    mod=entry.get("mod"),
                    reject_before=re.compile(_expand_macros(rb, macros, where), re.I)
                    if rb
                    else None,
                    reject_after=re.compile(_expand_macros(ra, macros, where), re.I)
                    if ra
                    else None,
                    order=i,
                    digits=_may_match_digits(core),
                    triggers=_rule_triggers(entry.get("triggers"), tables, where),
                    end_value=entry.get("end_value"),
                )
            )
        except KeyError as exc:
            raise RuleFileError(f"{where}: missing field {exc}; every rule needs it") from None
        except re.error as exc:
            raise RuleFileError(f"{where}: bad regex ({exc}); fix the pattern") from None
        if rules[-1].type not in TYPES:
            raise RuleFileError(f"{where}: type must be one of {', '.join(TYPES)}")
        if rules[-1].end_value and not {"sep", "end"} <= set(rules[-1].regex.groupindex):
            raise RuleFileError(
                f"{where}: a rule with end_value needs the groups (?P<sep>...) and (?P<end>...)"
            )
    modifiers = []
    for entry in pats.get("modifier", []):
        rx = re.compile(r"(?:^|(?<=\W))(?:" + entry["regex"] + r")[\s-]+$", re.I)
        modifiers.append((rx, entry["mod"], tuple(entry.get("types", ["DATE", "DURATION"]))))
    trigger = _compile_trigger(pats.get("trigger"), tables, pat_path, rules)
    return Ruleset(
        rules=rules,
        tables=tables,
        modifiers=modifiers,
        any_modifier=re.compile(
            r"(?:^|(?<=\W))(?:"
            + "|".join(f"(?:{e['regex']})" for e in pats["modifier"])
            + r")[\s-]+$",
            re.I,
        )
        if pats.get("modifier")
        else None,
        past=re.compile(tense["past"], re.I),
        future=re.compile(tense["future"], re.I),
        sentence_end=re.compile(tense["sentence_end"]),
        horizon=int(tense.get("future_horizon_months", 3)),
        weak_past=re.compile(tense.get("weak_past", "(?!)"), re.I),
        deadline=re.compile(tense.get("deadline", "(?!)"), re.I),
        perfect=re.compile(tense.get("perfect", "(?!)"), re.I),
        trigger=trigger,
        names=frozenset(w.lower() for w in pats.get("names", {}).get("words", [])),
        names_exempt=frozenset(pats.get("names", {}).get("exempt_rules", [])),
    )


@dataclass
class Trigger:
    words: frozenset[str]
    digits: bool
    window: int


_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_WORD_RX: dict[str, re.Pattern] = {}


def _word_regex(word: str) -> re.Pattern:
    """``word`` not followed by a letter (the letter before is checked by the caller: a
    pattern that starts with the literal word is searched much faster)."""
    rx = _WORD_RX.get(word)
    if rx is None:
        rx = _WORD_RX[word] = re.compile(re.escape(word) + r"(?![^\W\d_])")
    return rx


def _rule_triggers(names: list | None, tables: dict[str, dict], where: str) -> frozenset | None:
    """A rule's ``triggers`` field (table names, words, ``digits``) as a set of keys."""
    if names is None:
        return None
    if not isinstance(names, list) or not names:
        raise RuleFileError(f"{where}: triggers must be a non-empty list of words/table names")
    keys: set[str] = set()
    for name in names:
        if name == "digits":
            keys.update(("#", "#4"))
        elif name == "year_digits":  # a four-digit number
            keys.add("#4")
        elif name in tables:
            for key in tables[name]:
                keys.update(re.findall(r"[^\W\d_]+", key.lower()))
        else:
            keys.add(str(name).lower())
    return frozenset(keys)


def _compile_trigger(
    entry: dict | None, tables: dict[str, dict], where: Path, rules: list[Rule]
) -> Trigger | None:
    if not entry:
        return None  # no trigger: the rules scan the whole text
    words: set[str] = {w.lower() for w in entry.get("words", [])}
    for name in entry.get("tables", []):
        if name not in tables:
            raise RuleFileError(f"{where} [trigger]: unknown table {name!r} in tables")
        for key in tables[name]:
            words.update(re.findall(r"[^\W\d_]+", key.lower()))
    digits = bool(entry.get("digits", True))
    for rule in rules:  # words a rule names are trigger words too
        if rule.triggers is not None:
            words.update(k for k in rule.triggers if not k.startswith("#"))
            digits = digits or "#" in rule.triggers
    return Trigger(frozenset(words), digits, int(entry.get("window", 50)))


class _Windows:
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
            rx = _word_regex(w)
            lst = [
                m.span()
                for m in rx.finditer(low)
                if not m.start() or not low[m.start() - 1].isalpha()
            ]
            if lst:
                hits[w] = lst
        for m in _DIGITS.finditer(low):
            key = "#4" if m.end() - m.start() == 4 else "#"
            hits.setdefault(key, []).append(m.span())

    def get(self, rule: Rule) -> list[tuple[int, int]]:
        trig = self.trig
        if trig is None:
            return [(0, len(self.text))]
        if rule.triggers is not None:
            key = rule.triggers
        else:
            key = "all" if rule.digits and trig.digits else "words"
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
            keys = [k for k in key if k in hits]
        if not keys:
            return []
        if len(keys) == 1:
            pairs = hits[keys[0]]
        else:
            pairs = sorted([p for k in keys for p in hits[k]])
        n = len(text)
        out: list[list[int]] = []
        for s, e in pairs:
            s, e = s - w, e + w
            if out and s <= out[-1][1]:
                if e > out[-1][1]:
                    out[-1][1] = e
            else:
                out.append([s, e])
        res = []
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


def _ruleset() -> Ruleset:
    global _RULESET
    if _RULESET is None:
        _RULESET = load_rules()
    return _RULESET


# --------------------------------------------------------------------------- dct


def parse_dct(dct: Any) -> tuple[_dt.date | None, str | None]:
    """Return ``(date, precision)`` of a document creation time; warn if unparseable.

    Accepts ISO strings (``2024-12-26``, ``2019-10``, ``2025``, with an optional time part),
    ``datetime.date``/``datetime`` or None; other types raise :class:`ParameterError`.
    """
    if dct is None:
        return None, None
    if isinstance(dct, _dt.datetime):
        return dct.date(), "day"
    if isinstance(dct, _dt.date):
        return dct, "day"
    check_type("dct", dct, str, hint="pass an ISO date such as '2019-10-01', a date, or None")
    s = dct.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+Z?)?", s)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        try:
            if d:
                return _dt.date(int(y), int(mo), int(d)), "day"
            if mo:
                return _dt.date(int(y), int(mo), 1), "month"
            if int(y) >= 1:
                return _dt.date(int(y), 1, 1), "year"
        except ValueError:
            pass
    warnings.warn(
        f"cannot parse dct={dct!r} as an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); relative "
        "dates are left underspecified",
        DprkbriefWarning,
        stacklevel=3,
    )
    return None, None


# --------------------------------------------------------------------------- values


def _num(s: str, tables: dict) -> int | None:
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
        if w in ("and",):
            continue
        if w not in words or words[w] < 0:
            return None
        v = words[w]
        total = total * v if v == 100 and total else total + v
    return total


def _norm_group(name: str, raw: str, rs: Ruleset, dct: _dt.date | None) -> str | None:
    base = name.rstrip("0123456789")
    t = rs.tables
    key = re.sub(r"\s+", " ", raw.strip().lower().rstrip("."))
    if base == "year":
        digits = key.lstrip("'’")
        if digits.isdigit():
            y = int(digits)
            if len(digits) == 2:
                century = (dct.year // 100) * 100 if dct else 1900
                y = century + y
                if dct and y > dct.year + 20:
                    y -= 100
            return f"{y:04d}"
        n = _year_words(key, rs)
        return f"{n:04d}" if n else None
    if base == "month":
        if key.isdigit():
            return f"{int(key):02d}"
        v = t["month"].get(key)
        return f"{v:02d}" if v else None
    if base == "day":
        d = re.sub(r"(st|nd|rd|th)$", "", key)
        return f"{int(d):02d}" if d.isdigit() else None
    if base in ("num",):
        n = _num(key, t)
        return None if n is None else ("X" if n < 0 else str(n))
    if base == "ordinal" or base == "quarter":
        if key.isdigit():
            return key
        v = t["ordinal"].get(re.sub(r"-", "", key))
        return None if v is None else str(v)
    if base == "century":
        n = re.sub(r"(st|nd|rd|th)$", "", key)
        n = n if n.isdigit() else str(t["ordinal"].get(n, ""))
        return f"{int(n) - 1:02d}" if n.isdigit() and int(n) > 0 else None
    if base == "decade":
        return key[:3] if key[:3].isdigit() else None
    if base in t:
        v = t[base].get(key)
        if v is None:
            v = t[base].get(key.rstrip("s"))
        if v is None:
            return None
        return str(v[0] if isinstance(v, list) else v)
    if base == "hour":
        return f"{int(key):02d}" if key.isdigit() else None
    if base == "minute":
        return key
    if base == "ampm":
        return key.replace(".", "").replace(" ", "")
    return raw


def _year_words(key: str, rs: Ruleset) -> int | None:
    """'nineteen ninety-six' -> 1996, 'two thousand' -> 2000."""
    m = re.fullmatch(r"(.+?)\s+hundred(?:\s+(?:and\s+)?(.+))?", key)
    if m:
        a = _num(m.group(1), rs.tables)
        b = _num(m.group(2), rs.tables) if m.group(2) else 0
        return a * 100 + b if a and b is not None else None
    m = re.fullmatch(r"(?:the\s+year\s+)?two\s+thousand(?:\s+(?:and\s+)?(.+))?", key)
    if m:
        b = _num(m.group(1), rs.tables) if m.group(1) else 0
        return 2000 + b if b is not None else None
    parts = key.split(" ", 1)
    if len(parts) == 2:
        a, b = _num(parts[0], rs.tables), _num(parts[1], rs.tables)
        if a and 10 <= a <= 20 and b is not None and 0 < b < 100:
            return a * 100 + b
    return None


def _quarter(d: _dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _quarters_between(value: str, d: _dt.date) -> int:
    """How many quarters the quarter ``value`` (``1989-Q3``) lies before the date ``d``."""
    y, q = _quarter(d)
    return (y * 4 + q) - (int(value[:4]) * 4 + int(value[-1]))


def _valid_date(y: int, m: int, d: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def _iso_week(d: _dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _add_months(d: _dt.date, n: int) -> _dt.date:
    k = d.year * 12 + d.month - 1 + n
    return _dt.date(k // 12, k % 12 + 1, 1)


def _ref(gran: str, off: int | None, dct: _dt.date | None, dct_prec: str | None) -> str:
    """DCT truncated to ``gran`` and shifted by ``off`` units (None offset = unknown)."""
    unknown = {
        "Y": "XXXX",
        "Q": "XXXX-QX",
        "M": "XXXX-XX",
        "W": "XXXX-WXX",
        "D": "XXXX-XX-XX",
        "DE": "XXX",
        "CE": "XX",
        "H": "XXXX-XX-XX",
        "MIN": "XXXX-XX-XX",
        "S": "XXXX-XX-XX",
        "WE": "XXXX-WXX-WE",
    }
    if dct is None or off is None:
        return unknown.get(gran, "XXXX")
    if dct_prec == "year" and gran not in ("Y", "DE", "CE"):
        return f"{dct.year:04d}" if off == 0 else unknown.get(gran, "XXXX")
    if dct_prec == "month" and gran in ("W", "D", "WE"):
        return f"{dct.year:04d}-{dct.month:02d}" if off == 0 else unknown[gran]
    try:
        if gran == "Y":
            return f"{dct.year + off:04d}"
        if gran == "DE":
            return f"{dct.year // 10 + off:03d}"
        if gran == "CE":
            return f"{dct.year // 100 + off:02d}"
        if gran == "Q":
            q = (dct.month - 1) // 3 + off
            return f"{dct.year + q // 4:04d}-Q{q % 4 + 1}"
        if gran in ("H", "MIN", "S"):  # hours ago: the day is all a date value can say
            return dct.isoformat()
        if gran == "M":
            d = _add_months(dct, off)
            return f"{d.year:04d}-{d.month:02d}"
        if gran == "W":
            return _iso_week(dct + _dt.timedelta(weeks=off))
        if gran == "WE":  # the weekend just past (or under way), shifted by off weeks
            back = 0 if dct.isoweekday() >= 6 else 1
            return _iso_week(dct + _dt.timedelta(weeks=off - back)) + "-WE"
        if gran == "D":
            return (dct + _dt.timedelta(days=off)).isoformat()
    except (ValueError, OverflowError):
        return unknown.get(gran, "XXXX")
    raise RuleFileError(f"unknown granularity {gran!r} in a ref()/anchor() value")


def _year_by_tense(
    month: int, mode: str, tense: str | None, dct: _dt.date, day: int = 15, horizon: int = 3
) -> int:
    """Year of a month (and day) named without one: by ``mode`` (last|next|this) or, in
    ``tense`` mode, in the past for past-tense sentences, in the future for future ones,
    else the coming occurrence if it is at most ``horizon`` months ahead, else the last one."""
    y = dct.year
    here = (month, day) > (dct.month, dct.day), (month, day) < (dct.month, dct.day)
    if mode == "last":
        return y if month < dct.month else y - 1
    if mode == "past":  # the last such day on or before the DCT ("the year ended March 31")
        return y if (month, day) <= (dct.month, dct.day) else y - 1
    if mode == "next":  # "next November" said in October: the one of next year
        return y + 1
    if mode == "this":
        return y
    if tense == "future":
        return y + 1 if here[1] and month != dct.month else y
    if tense == "past":
        return y - 1 if here[0] and month != dct.month else y
    ahead = (month - dct.month) % 12
    if ahead == 0:
        return y
    if ahead <= horizon:  # no tense cue: the coming one if it is near, else the last one
        return y if month > dct.month else y + 1
    return y if month < dct.month else y - 1


# half of one unit in the next smaller ones: "2 1/2 years" is P2Y6M, "5 1/2 hours" PT5H30M
_HALF = {"Y": "6M", "M": "15D", "D": "T12H", "H": "30M", "MIN": "30S", "W": "3DT12H"}


def _duration(n: str, unit: str, half: str = "") -> str:
    n_int = None if n == "X" else (int(n) if n.isdigit() else None)
    if unit == "DE":
        return "PXY" if n_int is None else f"P{n_int * 10 + (5 if half else 0)}Y"
    if unit == "CE":
        return "PXY" if n_int is None else f"P{n_int * 100 + (50 if half else 0)}Y"
    extra = _HALF.get(unit, "") if half and n_int is not None else ""
    if unit in ("H", "MIN", "S"):
        letter = "M" if unit == "MIN" else unit
        return f"PT{n if n_int is not None else 'X'}{letter}{extra}"
    return f"P{n if n_int is not None else 'X'}{unit}{extra}"


_DATED = re.compile(r"\d{4}(?:-\d\d){0,2}$")
_FUNC = re.compile(r"^(\w+)\((.*?)\)(.*)$")


_PRECISION = [
    (re.compile(p), name)
    for p, name in [
        (r"\d{4}-\d\d-\d\dT.*|X{4}-.*T.*", "time"),
        (r"[\dX]{4}-[\dX]{2}-[\dX]{2}|[\dX]{4}-W[\dX]{2}-\d", "day"),
        (r"[\dX]{4}-W[\dX]{2}(-WE)?", "week"),
        (r"[\dX]{4}-[\dX]{2}", "month"),
        (r"[\dX]{4}-(SP|SU|FA|WI)", "season"),
        (r"[\dX]{4}-(Q[\dX]|H[\dX])", "quarter"),
        (r"[\dX]{4}", "year"),
        (r"[\dX]{3}", "decade"),
        (r"[\dX]{2}", "century"),
    ]
]


def _precision(value: str) -> str | None:
    for rx, name in _PRECISION:
        if rx.fullmatch(value):
            return name
    return None


class _Context:
    """Per-document state: dct, sentence bounds (lazy) and the last absolute date (anchor)."""

    def __init__(self, text: str, rs: Ruleset, dct: _dt.date | None, prec: str | None):
        self.text, self.rs, self.dct, self.prec = text, rs, dct, prec
        self._bounds: list[int] | None = None
        self.anchor: str | None = None
        self.anchor_pos = -(10**9)
        self.impossible: list[str] = []  # texts of impossible dates (February 30), dropped
        self.last_date: str | None = None  # the last DATE with a year ("the following year")
        self.stated: str | None = None  # the last DATE whose year the text states
        self.stated_pos = -(10**9)
        self.last_pos = -(10**9)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._bounds is None:
            self._bounds = [m.end() for m in self.rs.sentence_end.finditer(self.text)]
        b = self._bounds
        i = bisect.bisect_right(b, start)
        s = b[i - 1] if i else 0
        j = bisect.bisect_left(b, end)
        e = b[j] if j < len(b) else len(self.text)
        return s, e

    def sentence_date(self, start: int, end: int) -> str | None:
        """The last date whose year the text states (``2024``, ``November 2024``) earlier
        in the same sentence, if any (relative dates like "last month" do not count)."""
        if self.stated is None or self.stated_pos > start:
            return None
        if self.stated_pos <= self.sentence(start, end)[0]:
            return None
        return self.stated

    def tense(self, start: int, end: int) -> str | None:
        """``past``, ``future``, ``ahead`` or None, from the tense cues of the span's sentence.

        The governing verb usually precedes a date ("will meet ... on Thursday", "met ... in
        October"), so the cues on the left count first, then those on the right; on each
        side weak cues (-ed forms) count only where there is no strong one. ``ahead`` marks
        a deadline ("postponed until Tuesday", "by May") in a sentence that is not future
        already and not in the past perfect: a weekday is then the coming one, a month
        resolves as if there were no cue (the coming one if near, else the last).
        """
        rs = self.rs
        s, e = self.sentence(start, end)
        s, e = max(s, start - TENSE_WINDOW), min(e, end + TENSE_WINDOW)
        tense = self._cue_tense(start, end, s, e)
        if (
            tense != "future"
            and rs.deadline.search(self.text, max(0, start - 40), start)
            and not rs.perfect.search(self.text, s, e)
        ):
            return "ahead"
        return tense

    def _cue_tense(self, start: int, end: int, s: int, e: int) -> str | None:
        rs = self.rs
        strong = ((rs.future, "future"), (rs.past, "past"))
        weak = ((rs.weak_past, "past"),)
        # left of the date: strong cues, then weak ones; then right of it, the same way
        for side in ("left", "right"):
            for cues in (strong, weak):
                best: tuple[int, str] | None = None
                for rx, name in cues:
                    if side == "left":
                        for m in rx.finditer(self.text, s, start):
                            d = start - m.end()
                            if best is None or d < best[0]:
                                best = (d, name)
                    else:
                        m = rx.search(self.text, end, e)
                        if m and (best is None or m.start() - end < best[0]):
                            best = (m.start() - end, name)
                if best:
                    return best[1]
        return None


def _evaluate(
    expr: str, m: re.Match, ctx: _Context, start: int, end: int, siblings: bool = False
) -> str | None:
    """Evaluate a rule's value expression for one match (None = not a valid date).

    With ``siblings`` (range rules) a group that did not match takes the text of its
    numbered sibling: ``month`` that of ``month2`` and the other way round."""
    rs, dct = ctx.rs, ctx.dct
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if siblings:
        for k in list(m.groupdict()):
            if k not in groups:
                other = k[:-1] if k.endswith("2") else k + "2"
                if other in groups:
                    groups[k] = groups[other]
    normed: dict[str, str] = {}
    for k, v in groups.items():
        n = _norm_group(k, v, rs, dct)
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

    def fill(s: str) -> str | None:
        return re.sub(r"\{(\w+)\}", lambda g: normed.get(g.group(1), ""), s)

    filled = fill(expr)
    if filled is None:
        return None
    fm = _FUNC.match(filled)
    if not fm:
        dm = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", filled)
        if dm and not _valid_date(int(dm[1]), int(dm[2]), int(dm[3])):
            ctx.impossible.append(ctx.text[start:end])
            return None
        ym = re.fullmatch(r"(\d{4})(?:-(\d\d))?", filled)
        if ym and not (
            MIN_YEAR <= int(ym[1]) <= MAX_YEAR and (ym[2] is None or 1 <= int(ym[2]) <= 12)
        ):
            return None
        return filled
    fn, args_s, suffix = fm.groups()
    args = [a.strip() for a in args_s.split(",")] if args_s.strip() else []
    try:
        val = _call(fn, args, ctx, start, end)
    except (ValueError, IndexError):  # a group the rule needs did not match
        return None
    if val is None:
        return None
    if suffix and not val.endswith("_REF"):
        val += suffix
    return val


def _int_or_none(s: str) -> int | None:
    s = s.strip()
    if s in ("X", "-X", "+X"):
        return None
    return int(s)


def _call(fn: str, args: list[str], ctx: _Context, start: int, end: int) -> str | None:
    dct, prec = ctx.dct, ctx.prec
    if fn == "ref":
        return _ref(args[0], _int_or_none(args[1]) if len(args) > 1 else 0, dct, prec)
    if fn == "dur":
        return _duration(args[0], args[1], args[2] if len(args) > 2 else "")
    if fn == "weekof":  # "the week of March 6": the ISO week of that day
        if len(args) > 3 and args[3]:  # a year is given
            y, m, d = int(args[3]), int(args[0]), int(args[1])
            if not _valid_date(y, m, d):
                ctx.impossible.append(ctx.text[start:end])
                return None
            return _iso_week(_dt.date(y, m, d))
        day = _call("monthday", args[:3], ctx, start, end)
        if day is None or day.startswith("X"):
            return None if day is None else "XXXX-WXX"
        return _iso_week(_dt.date.fromisoformat(day))
    if fn in ("month", "monthday", "season"):
        mode = args[-1]
        if fn == "season":
            if dct is None:
                return f"XXXX-{args[0]}"
            order = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
            # the season of the DCT in that order; December is the winter after this
            # year's fall ("last fall", said in December, is this year's)
            cur = {12: 4, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2}.get(dct.month, 3)
            s = order[args[0]]
            y = dct.year
            if mode == "last":
                y -= 0 if s < cur else 1
            elif mode == "next":
                y += 0 if s > cur else 1
            elif mode == "tense":
                t = ctx.tense(start, end)
                if t == "past" and s > cur:
                    y -= 1
                elif t == "future" and s < cur:
                    y += 1
            return f"{y:04d}-{args[0]}"
        month = int(args[0])
        if fn == "monthday":
            day = int(args[1])
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                return None
            if day > (29 if month == 2 else calendar.monthrange(2001, month)[1]):
                ctx.impossible.append(ctx.text[start:end])
                return None
        ref = ctx.sentence_date(start, end) if fn == "month" and mode == "tense" else None
        if ref is not None:
            # a year stated earlier in the sentence: "in November 2024 ... took office in
            # January" (the next January after it), "In 2019, talks began in February"
            ry, rm = int(ref[:4]), int(ref[5:7]) if len(ref) >= 7 else None
            y = f"{ry + (1 if rm and month < rm else 0):04d}"
        elif dct is None or prec == "year" and mode == "tense":
            y = f"{dct.year:04d}" if dct is not None else "XXXX"
        else:
            tense = ctx.tense(start, end) if mode == "tense" else None
            d = day if fn == "monthday" else 15
            yy = _year_by_tense(month, mode, tense, dct, d, ctx.rs.horizon)
            if fn == "monthday" and mode == "near":
                # a day named in a future sentence or as a deadline ("flights from August 6",
                # "effective June 1") is the coming one, however far ahead
                ahead = _year_by_tense(month, "tense", "future", dct, d, ctx.rs.horizon)
                if ahead != yy and ctx.tense(start, end) in ("future", "ahead"):
                    yy = ahead
            y = f"{yy:04d}"
        if fn == "month":
            return f"{y}-{month:02d}"
        if y != "XXXX" and not _valid_date(int(y), month, day):
            ctx.impossible.append(ctx.text[start:end])
            return None
        return f"{y}-{month:02d}-{day:02d}"
    if fn == "holiday":
        parts = [int(x) for x in args[0].split("-")]
        month, mode = parts[0], args[1]

        def on(year: int) -> _dt.date:
            if len(parts) == 2:
                return _dt.date(year, month, parts[1])
            d = _dt.date(year, month, parts[2])
            return d + _dt.timedelta(days=(parts[1] - d.isoweekday()) % 7)

        if len(args) > 2 and args[2]:  # the year is given: "Christmas 1950"
            return on(int(args[2])).isoformat()
        if dct is None:
            return f"XXXX-{month:02d}-{parts[-1]:02d}" if len(parts) == 2 else f"XXXX-{month:02d}"
        if mode == "tense":
            mode = {"past": "last", "future": "next"}.get(ctx.tense(start, end) or "", "near")
        cands = [on(y) for y in (dct.year - 1, dct.year, dct.year + 1)]
        if mode == "last":
            return max(d for d in cands if d <= dct).isoformat()
        if mode == "next":
            return min(d for d in cands if d >= dct).isoformat()
        return min(cands, key=lambda d: abs((d - dct).days)).isoformat()
    if fn == "weekday":
        wd, mode = int(args[0]), args[1]
        if dct is None or prec != "day":
            return f"XXXX-WXX-{wd}"
        cur = dct.isoweekday()
        if mode == "tense":
            t = ctx.tense(start, end)
            mode = {"future": "next", "ahead": "next", "past": "last"}.get(t, WEEKDAY_DEFAULT)
        if mode == "last":
            delta = -((cur - wd) % 7)
        elif mode == "next":
            delta = (wd - cur) % 7
        elif mode == "lastweek":
            delta = -((cur - wd) % 7 or 7)
        elif mode == "nextweek":
            delta = (wd - cur) % 7 or 7
        else:  # nearest
            delta = (wd - cur) % 7
            if delta > 3:
                delta -= 7
        return (dct + _dt.timedelta(days=delta)).isoformat()
    if fn == "quarter":
        q = int(args[0])
        if not 1 <= q <= 4:
            return None
        if dct is None:
            return f"XXXX-Q{q}"
        y, cur = _quarter(dct)
        if len(args) > 1 and args[1] == "tense" and (prec or "day") != "year":
            # results for "the fourth quarter" reported in January are last year's; a
            # quarter ahead of the DCT's is next year's only in a future sentence
            t = ctx.tense(start, end)
            if q > cur and t != "future":
                y -= 1
        return f"{y:04d}-Q{q}"
    if fn == "anchor_quarter":
        a = ctx.anchor if start - ctx.anchor_pos <= ANCHOR_REACH else None
        return f"{args[0]}{a[4:]}" if a and re.fullmatch(r"\d{4}-Q\d", a) else args[0]
    if fn == "after":  # "the following year": after the last date mentioned, else the DCT
        gran, off = args[0], _int_or_none(args[1])
        a = ctx.last_date if start - ctx.last_pos <= ANCHOR_REACH else None
        if a and off is not None and gran == "Y":
            return f"{int(a[:4]) + off:04d}"
        if a and off is not None and gran == "D" and len(a) == 10:
            return (_dt.date.fromisoformat(a) + _dt.timedelta(days=off)).isoformat()
        if a and off is not None and gran == "M" and len(a) >= 7:
            d = _add_months(_dt.date(int(a[:4]), int(a[5:7]), 1), off)
            return f"{d.year:04d}-{d.month:02d}"
        return _ref(gran, off, dct, prec)
    if fn == "anchor":
        gran, off = args[0], _int_or_none(args[1])
        a = ctx.anchor if start - ctx.anchor_pos <= ANCHOR_REACH else None
        if a and off is not None and re.fullmatch(r"\d{4}-Q\d", a) and gran == "Y":
            return f"{int(a[:4]) + off:04d}{a[4:]}"
        if a and off is not None and re.fullmatch(r"\d{4}-Q\d", a) and gran == "Q":
            q = int(a[:4]) * 4 + int(a[-1]) - 1 + off
            return f"{q // 4:04d}-Q{q % 4 + 1}"
        if len(args) > 2:  # no anchor: the DCT shifted by the fallback offset
            off = _int_or_none(args[2])
        return _ref(gran, off, dct, prec)
    if fn == "time":
        h = int(args[0])
        ampm = args[2].lower() if len(args) > 2 else ""
        if ampm.startswith("p") and h < 12:
            h += 12
        elif ampm.startswith("a") and h == 12:
            h = 0
        minute = args[1] if len(args) > 1 and args[1] else "00"
        return f"{_ref('D', 0, dct, prec)}T{h:02d}:{minute}"
    if fn == "literal":
        return args[0]
    if fn == "year_end":  # end of a year range: "1998-99" ends in 1999, "1950-53" in 1953
        first, raw = int(args[0]), args[1].strip()
        if len(raw) == 4:
            y = int(raw)
        else:
            y = first // 100 * 100 + int(raw)
            y += 100 if y < first else 0
        return f"{y:04d}" if first < y <= MAX_YEAR else None
    raise RuleFileError(f"unknown value function {fn!r}; see the header of patterns.toml")


# --------------------------------------------------------------------------- engine


_WORD = re.compile(r"[^\W\d_]+")
_OPENERS = frozenset("\n\r.!?:;\"'`“‘([—–-_")


def _in_name(text: str, s: int, e: int, names: frozenset[str]) -> bool:
    """Whether a match holds a time word capitalised inside a sentence ("High Noon", "This
    Week", "60 Minutes"): part of a title or name. Title Case lines (headlines) are exempt."""
    seg = text[s:e]
    if seg == seg.lower():
        return False  # the common case: nothing capitalised
    words = list(_WORD.finditer(text, s, e))
    caps = [  # Titlecase only: text set in capitals says nothing
        w for w in words if w.group().istitle() and w.group().lower() in names
    ]
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


def _candidates(text: str, rs: Ruleset) -> list[tuple[int, int, Rule, re.Match]]:
    cands = []
    add = cands.append
    get = _Windows(text, rs.trigger).get
    for rule in rs.rules:
        wins = get(rule)
        if not wins:
            continue
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
        if rs.names and rule.name not in rs.names_exempt and _in_name(text, s, e, rs.names):
            continue
        taken.insert(i, (s, e))
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def _tag(
    text: str, rs: Ruleset, dct: _dt.date | None, prec: str | None, impossible: list[str]
) -> list[dict]:
    ctx = _Context(text, rs, dct, prec)
    ctx.impossible = impossible
    out: list[dict[str, Any]] = []
    for s, e, rule, m in _candidates(text, rs):
        second = None
        if rule.end_value and m.group("end") is not None:  # a range: two timexes
            e, e2, s2 = m.start("sep"), e, m.end("sep")
            v2 = _evaluate(rule.end_value, m, ctx, s2, e2, siblings=True)
            if v2 is not None:
                second = _record(text, s2, e2, rule, v2, None)
        value = _evaluate(rule.value, m, ctx, s, e, siblings=rule.end_value is not None)
        if value is None:
            if second:
                out.append(second)
            continue
        mod = rule.mod
        lead = max(0, s - 30)
        mods = rs.modifiers if rs.any_modifier and rs.any_modifier.search(text, lead, s) else ()
        for rx, mname, types in mods:
            if rule.type not in types:
                continue
            mm = rx.search(text, lead, s)
            if (
                mm
                and text[s : s + 4].lower() == "the "
                and not mm.group().lower().startswith("the")
            ):
                continue  # "over the past decade": "over" is not a modifier here
            if mm and (not out or out[-1]["end"] <= mm.start()):
                s, mod = mm.start(), mname
                break
        if rule.type == "DATE" and _DATED.match(value):
            ctx.last_date, ctx.last_pos = value, e
            if "{year}" in rule.value:
                ctx.stated, ctx.stated_pos = value, e
        if (
            rule.type == "DATE"
            and "anchor" not in rule.value
            and re.fullmatch(r"\d{4}-Q\d", value)
            and (ctx.dct is None or 0 <= _quarters_between(value, ctx.dct) <= 4)
        ):
            # the reporting period "a year earlier" refers to: the last quarter mentioned
            # that is the DCT's or one of the four before it (a later one is a forecast, an
            # older one history: "stopped paying a dividend in the third quarter of 1984")
            ctx.anchor = value
            ctx.anchor_pos = e
        out.append(_record(text, s, e, rule, value, mod))
        if second:
            out.append(second)
    return out


def _record(text: str, s: int, e: int, rule: Rule, value: str, mod: str | None) -> dict:
    return {
        "start": s,
        "end": e,
        "text": text[s:e],
        "type": rule.type,
        "value": value,
        "precision": _precision(value) if rule.type in ("DATE", "TIME") else None,
        "mod": mod,
        "rule": rule.name,
    }


def tag_dates_records(text: str, dct: Any = None, *, rules: str | Path | None = None) -> list[dict]:
    """Like :func:`tag_dates` but returns a list of dicts (plus the ``rule`` that fired)."""
    check_type("text", text, str, hint="pass the document text")
    d, prec = parse_dct(dct)
    rs = load_rules(rules) if rules else _ruleset()
    impossible: list[str] = []
    if len(text) <= _CHUNK:
        out = _tag(text, rs, d, prec, impossible)
    else:
        out = []
        pos = 0
        while pos < len(text):  # windows cut at whitespace so no expression is split
            stop = min(len(text), pos + _CHUNK)
            if stop < len(text):
                cut = text.rfind("\n", pos + _CHUNK // 2, stop)
                stop = cut + 1 if cut > 0 else stop
            for r in _tag(text[pos:stop], rs, d, prec, impossible):
                r["start"] += pos
                r["end"] += pos
                out.append(r)
            pos = stop
    if impossible:
        names = ", ".join(repr(t) for t in dict.fromkeys(impossible))
        warnings.warn(
            f"impossible calendar date(s) not tagged: {names}; check the day of the month",
            DprkbriefWarning,
            stacklevel=3,
        )
    return out


def tag_dates(text: str, dct: Any = None, *, rules: str | Path | None = None) -> pd.DataFrame:
    """Find the date expressions of ``text`` and normalise them to TIMEX3 values.

    ``dct`` is the document creation time (ISO ``"2024-12-26"``, ``"2019-10"``, ``"2025"``, a
    ``datetime.date``, or None) against which relative expressions are resolved; ``rules`` is an
    optional user patterns TOML file in the format of ``resources/dates/patterns.toml``.

    Returns a DataFrame with one row per expression, in text order, columns ``start, end``
    (character offsets, ``text == input[start:end]``), ``text``, ``type``
    (DATE|TIME|DURATION|SET), ``value`` (TIMEX3 value such as ``2019-02-28``, ``XXXX-10``,
    ``P4Y``, ``PRESENT_REF``), ``precision`` (century|decade|year|season|quarter|month|week|
    day|time|None) and ``mod`` (TIMEX3 mod such as ``START``, ``MORE_THAN``, or None).

    A range gives two rows, as TimeBank annotates it: "1950-1953" is ``1950`` (text
    ``1950``) and ``1953`` (text ``1953``); "February 27-28, 2019" is ``2019-02-27``
    (``February 27``) and ``2019-02-28`` (``28, 2019``), so neither end is lost. Impossible
    dates ("February 30, 2019") are not tagged; one :class:`DprkbriefWarning` per call names
    them.
    """
    import pandas as pd

    recs = tag_dates_records(text, dct, rules=rules)
    df = pd.DataFrame([{k: r[k] for k in COLUMNS} for r in recs], columns=COLUMNS)
    df["start"] = df["start"].astype("int64")
    df["end"] = df["end"].astype("int64")
    for col in ("precision", "mod"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df
