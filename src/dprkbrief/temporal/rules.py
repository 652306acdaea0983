"""Compiling the date rule files into a :class:`DateRules` object (HeidelTime's resources).

The shipped files live in ``resources/dates/``: ``patterns.toml`` (extraction rules),
``normalization.toml`` (tables: month names, numbers ...), ``tense.toml`` (tense cues) and
``recurring.toml`` (events that recur by rule: inaugurations, elections, annual drills, party
congresses). :func:`load_dates` compiles them once -- or a user's own ``patterns`` file, or
any of the others -- into one object that every step taking ``dates=`` accepts
(:func:`~dprkbrief.tag_dates`, ``link_events``, ``timeline``, the forecast ledger), so a
user's rule file reaches all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ParameterError, RuleFileError
from ..resources import file_key, load_toml, resource_path
from .regexinfo import first_chars

TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass
class Rule:
    """One extraction rule: a regex and the (underspecified) value expression it emits."""

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
    # the text just before the match must match this (recurring events: "before the")
    require_before: re.Pattern | None = None
    # a `require_before` text matching this gives the value `{signal}` "forward", else
    # "tense" (recurring events: "before the inauguration" lies ahead of the sentence)
    forward: re.Pattern | None = None


@dataclass
class Trigger:
    words: frozenset[str]
    digits: bool
    window: int


@dataclass
class Recurrence:
    """An event that recurs by rule or on listed dates (``recurring.toml``)."""

    name: str
    label: str
    precision: str  # day | month
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # the first ISO weekday on or after `day`
    every: int = 1
    start: int | None = None  # a year it occurs in (with `every`)
    months: tuple[int, ...] = ()  # several months a year (month precision)
    dates: tuple[str, ...] = ()  # listed occurrences (irregular events)


@dataclass
class DateRules:
    """Compiled date rules: pass one to ``dates=`` of every step that reads dates."""

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
    future_left: re.Pattern | None = None  # future cues that count only left of a date
    reporting: re.Pattern | None = None  # verbs of saying: no event of a narrated story
    auxiliary: re.Pattern | None = None  # past cues naming no event after a reporting verb
    names: frozenset[str] = frozenset()
    names_exempt: frozenset[str] = frozenset()
    any_modifier: re.Pattern | None = None  # all modifier regexes in one (a quick pre-check)
    recurring: dict[str, Recurrence] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the files it was compiled from
    # the rules grouped by the trigger words they run near (built on first use; a copy made
    # with dataclasses.replace builds its own)
    _groups: list | None = field(default=None, init=False, repr=False, compare=False)

    def groups(self) -> list[tuple[Any, list[Rule]]]:
        """``(window key, rules)`` pairs: each key's windows are computed once per text."""
        if self._groups is None:
            by_key: dict[Any, list[Rule]] = {}
            trig = self.trigger
            for rule in self.rules:
                if trig is None:
                    key: Any = "whole"
                elif rule.triggers is not None:
                    key = rule.triggers
                else:
                    key = "all" if rule.digits and trig.digits else "words"
                by_key.setdefault(key, []).append(rule)
            self._groups = list(by_key.items())
        return self._groups


Ruleset = DateRules  # the former name


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


def _may_match_digits(pattern: str) -> bool:
    """Conservative: False only if the regex names no digit (``\\d``, ``0-9``, any digit
    character) and no broad class (``\\w \\W \\S \\D``, ``[^...]``, ``.``)."""
    return bool(re.search(r"\\[dwWSD]|\[\^|(?<!\\)\.|[0-9]", pattern))


def _with_guard(pattern: str, core: str, flags: int) -> re.Pattern:
    """Compile ``pattern`` behind a lookahead on the characters ``core`` can start with (same
    matches, fewer failed attempts)."""
    first = first_chars(core)
    if first:
        if flags & re.I:
            first |= {c.lower() for c in first} | {c.upper() for c in first}
        cls = "".join(re.escape(c) for c in sorted(first))
        return re.compile(f"(?=[{cls}])" + pattern, flags)
    return re.compile(pattern, flags)


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


def _compile_rule(entry: dict, i: int, macros: dict[str, str], tables: dict, where: str) -> Rule:
    try:
        core = _expand_macros(entry["regex"], macros, where)
        rx = _with_guard(r"(?<![\w])(?:" + core + r")(?![\w])", core, re.I)

        def opt(key: str) -> re.Pattern | None:
            src = entry.get(key)
            return re.compile(_expand_macros(src, macros, where), re.I) if src else None

        rule = Rule(
            name=entry.get("name", f"rule{i}"),
            regex=rx,
            type=entry.get("type", "DATE"),
            value=entry["value"],
            mod=entry.get("mod"),
            reject_before=opt("reject_before"),
            reject_after=opt("reject_after"),
            order=i,
            digits=_may_match_digits(core),
            triggers=_rule_triggers(entry.get("triggers"), tables, where),
            end_value=entry.get("end_value"),
            require_before=opt("require_before"),
        )
    except KeyError as exc:
        raise RuleFileError(f"{where}: missing field {exc}; every rule needs it") from None
    except re.error as exc:
        raise RuleFileError(f"{where}: bad regex ({exc}); fix the pattern") from None
    if rule.type not in TYPES:
        raise RuleFileError(f"{where}: type must be one of {', '.join(TYPES)}")
    if rule.end_value and not {"sep", "end"} <= set(rule.regex.groupindex):
        raise RuleFileError(
            f"{where}: a rule with end_value needs the groups (?P<sep>...) and (?P<end>...)"
        )
    return rule


def _recurrence(entry: dict, where: str) -> Recurrence:
    every = entry.get("every", {})
    if not isinstance(every, dict):
        raise RuleFileError(f"{where}: `every` must be a table such as {{ years = 4, ... }}")
    dates = tuple(entry.get("dates", []))
    if not every and not dates:
        raise RuleFileError(f"{where}: give `every` (a rule) or `dates` (listed occurrences)")
    months = every.get("months", [every["month"]] if "month" in every else [])
    if every and not (months and all(isinstance(m, int) and 1 <= m <= 12 for m in months)):
        raise RuleFileError(f"{where}: `every` needs month = 1..12 (or months = [...])")
    from ..calendar import parse_iso

    bad = [d for d in dates if not isinstance(d, str) or parse_iso(d) is None]
    if bad:
        raise RuleFileError(f"{where}: `dates` must be ISO dates YYYY-MM-DD; not {bad}")
    return Recurrence(
        name=entry["name"],
        label=entry.get("label", entry["name"]),
        precision=entry.get("precision", "day" if "day" in every or dates else "month"),
        month=months[0] if len(months) == 1 else None,
        day=every.get("day"),
        weekday=every.get("weekday"),
        every=int(every.get("years", 1)),
        start=every.get("from"),
        months=tuple(months),
        dates=dates,
    )


def _compile_recurring(
    data: dict, macros: dict[str, str], tables: dict, path: Path, first: int
) -> tuple[list[Rule], dict[str, Recurrence]]:
    signal = data.get("signal")
    rules: list[Rule] = []
    recs: dict[str, Recurrence] = {}
    for k, entry in enumerate(data.get("recurring", [])):
        where = f"{path} recurring {entry.get('name', k)!r}"
        if "name" not in entry or "regex" not in entry or "triggers" not in entry:
            raise RuleFileError(f"{where}: every entry needs name, regex and triggers")
        recs[entry["name"]] = _recurrence(entry, where)
        rule_entry = {
            "name": f"recurring:{entry['name']}",
            "regex": entry["regex"],
            "value": f"recurring({entry['name']}, {{signal}})",
            "triggers": entry["triggers"],
            "require_before": entry.get("signal", signal),
        }
        rule = _compile_rule(rule_entry, first + k, macros, tables, where)
        fwd = entry.get("forward", data.get("forward"))
        try:
            rule.forward = re.compile(fwd, re.I) if fwd else None
        except re.error as exc:
            raise RuleFileError(f"{where}: bad forward regex ({exc})") from None
        rules.append(rule)
    return rules, recs


def load_dates(
    patterns: str | Path | None = None,
    *,
    normalization: str | Path | None = None,
    tense: str | Path | None = None,
    recurring: str | Path | None = None,
) -> DateRules:
    """Compile the date rule files: the shipped ones, or a user's own file of each kind.

    ``patterns`` is a file in the format of ``resources/dates/patterns.toml``; likewise
    ``normalization``, ``tense`` and ``recurring``. The result is what ``dates=`` takes in
    ``tag_dates``, ``link_events``, ``timeline`` and the forecast ledger. Compiled files are
    cached by path and modification time.
    """
    paths = []
    for name, given in (
        ("patterns", patterns),
        ("normalization", normalization),
        ("tense", tense),
        ("recurring", recurring),
    ):
        p = Path(given) if given is not None else resource_path("dates", f"{name}.toml")
        if not p.is_file():
            raise ParameterError(
                f"invalid value for {name!r}: no such file {str(p)!r}; give the path of a "
                f"TOML file in the format of resources/dates/{name}.toml"
            )
        paths.append(file_key(p))
    return _load_cached(tuple(paths))


load_rules = load_dates  # the former name


@lru_cache(maxsize=16)
def _load_cached(paths: tuple[tuple[str, float], ...]) -> DateRules:
    pat_path, norm_path, tense_path, rec_path = (Path(p) for p, _ in paths)
    norm = load_toml(norm_path)
    pats = load_toml(pat_path)
    tense = load_toml(tense_path)
    rec = load_toml(rec_path)
    cs = set(norm.get("meta", {}).get("case_sensitive", []))
    tables = {k: v for k, v in norm.items() if k not in ("meta", "check")}
    macros: dict[str, str] = {}
    for name, table in tables.items():
        macros[name] = _alternation(list(table), name in cs)
        if name in cs:  # %monthfull: the full names (keys no other key starts with)
            full = [k for k in table if not any(o != k and o.startswith(k) for o in table)]
            macros[f"{name}full"] = _alternation(full, True)
    for name, rx in pats.get("macros", {}).items():
        macros[name] = f"(?:{rx})"
    rules: list[Rule] = []
    for i, entry in enumerate(pats.get("rule", [])):
        where = f"{pat_path} rule {entry.get('name', i)!r}"
        rules.append(_compile_rule(entry, i, macros, tables, where))
    rec_rules, recurrences = _compile_recurring(rec, macros, tables, rec_path, len(rules))
    rules.extend(rec_rules)
    modifiers = []
    for entry in pats.get("modifier", []):
        rx = re.compile(r"(?:^|(?<=\W))(?:" + entry["regex"] + r")[\s-]+$", re.I)
        modifiers.append((rx, entry["mod"], tuple(entry.get("types", ["DATE", "DURATION"]))))
    trigger = _compile_trigger(pats.get("trigger"), tables, pat_path, rules)
    try:
        cues = {
            k: re.compile(tense.get(k, "(?!)"), re.I)
            for k in (
                "past",
                "future",
                "weak_past",
                "deadline",
                "perfect",
                "future_left",
                "reporting",
                "auxiliary",
            )
        }
        sentence_end = re.compile(tense["sentence_end"])
    except KeyError as exc:
        raise RuleFileError(f"{tense_path}: missing field {exc}") from None
    except re.error as exc:
        raise RuleFileError(f"{tense_path}: bad regex ({exc}); fix the pattern") from None
    return DateRules(
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
        past=cues["past"],
        future=cues["future"],
        sentence_end=sentence_end,
        horizon=int(tense.get("future_horizon_months", 3)),
        weak_past=cues["weak_past"],
        deadline=cues["deadline"],
        perfect=cues["perfect"],
        future_left=cues["future_left"],
        reporting=cues["reporting"],
        auxiliary=cues["auxiliary"],
        trigger=trigger,
        names=frozenset(w.lower() for w in pats.get("names", {}).get("words", [])),
        names_exempt=frozenset(pats.get("names", {}).get("exempt_rules", [])),
        recurring=recurrences,
        sources=tuple(p for p, _ in paths),
    )


_DEFAULT: DateRules | None = None


def as_dates(dates: DateRules | str | Path | None, name: str = "dates") -> DateRules:
    """``dates`` as compiled rules: a :class:`DateRules`, the path of a user patterns file,
    or None (the shipped rules)."""
    global _DEFAULT
    if dates is None:  # the shipped rules, compiled once per process (no file checks per call)
        if _DEFAULT is None:
            _DEFAULT = load_dates()
        return _DEFAULT
    if isinstance(dates, DateRules):
        return dates
    if isinstance(dates, (str, Path)):
        return load_dates(dates)
    raise ParameterError(
        f"invalid value for {name!r}: {type(dates).__name__}; pass load_dates(...), the path "
        "of a patterns TOML file, or None"
    )
