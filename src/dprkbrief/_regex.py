"""Rule regexes that skip the sentences they cannot match.

Rule files hold many case-insensitive regexes, and each runs over every sentence; most find
nothing. :func:`anchors` reads a pattern once and lists strings one of which every match
contains ("won't|will not" -> "won't", "won’t", "will not"); a sentence whose lower-cased
text holds none of them is skipped without running the regex. Results never change: the
shortcut applies only to ASCII text (plus caseless typographic punctuation), where
``str.lower`` and the engine's case-insensitive matching agree, and a pattern whose anchors
cannot be read safely has none (it always runs). :class:`Anchored` wraps a compiled pattern
so rule engines keep calling ``search`` and ``finditer``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# characters without case variants that a cue or a sentence may hold beside ASCII
_CASELESS = "‘’“”–—…"
_DROP_CASELESS = str.maketrans("", "", _CASELESS)
_MAX_ALTERNATIVES = 32


def anchors(pattern: str) -> tuple[str, ...] | None:
    """Lower-case strings one of which every case-insensitive match of ``pattern`` contains
    (``"won't|will not"`` -> ``("won't", "won’t", "will not")``), or None when no such set
    is known. A sentence holding none of them cannot match, so the regex need not run.
    Found from the parsed pattern: runs of literals and small character classes, through
    groups, alternations and required repeats. Only ASCII and caseless punctuation count
    (``str.lower`` and the regex engine agree on those)."""
    try:
        from re import _parser  # the parser ``re.compile`` uses (Python >= 3.11)

        tree = _parser.parse(pattern, re.IGNORECASE)
        found = _required(list(tree), _parser)
    except Exception:  # an unknown construct or another parser: no shortcut, never a guess
        return None
    if not found or not all(a.translate(_DROP_CASELESS).isascii() for a in found):
        return None
    return tuple(dict.fromkeys(found))


def _fixed(items: list, sre: Any) -> list[str] | None:
    """Every string a sequence can match when it is made only of literals, small classes,
    zero-width tests and alternations of those (lower-cased), else None."""
    out = [""]
    for op, av in items:
        if op is sre.LITERAL:
            alts = [chr(av)]
        elif op is sre.IN and len(av) <= 4 and all(o is sre.LITERAL for o, _ in av):
            alts = [chr(c) for _, c in av]
        elif op is sre.BRANCH:
            alts = []
            for branch in av[1]:
                sub = _fixed(list(branch), sre)
                if sub is None:
                    return None
                alts += sub
        elif op is sre.SUBPATTERN:
            sub = _fixed(list(av[-1]), sre)
            if sub is None:
                return None
            alts = sub
        elif op is sre.AT:  # \b, ^, $: zero-width, the neighbours stay adjacent
            alts = [""]
        else:
            return None
        out = [o + a.lower() for o in out for a in alts]
        if len(out) > _MAX_ALTERNATIVES:
            return None
    return out


def _required(items: list, sre: Any) -> list[str] | None:
    """Strings one of which every match of a sequence contains (see :func:`anchors`)."""
    whole = _fixed(items, sre)
    if whole is not None:
        return whole if all(whole) else None
    candidates: list[list[str] | None] = []
    run = [""]
    for op, av in items:
        part = _fixed([(op, av)], sre)
        if part is not None:
            longer = [r + p for r in run for p in part]
            if len(longer) <= _MAX_ALTERNATIVES:
                run = longer
                continue
            candidates.append(run)
            run = part
            continue
        candidates.append(run)
        run = [""]
        if op is sre.SUBPATTERN:
            candidates.append(_required(list(av[-1]), sre))
        elif op is sre.BRANCH:
            subs = [_required(list(b), sre) for b in av[1]]
            if all(sub is not None for sub in subs):
                candidates.append([a for sub in subs for a in sub])  # type: ignore[union-attr]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            candidates.append(_required(list(av[2]), sre))
    candidates.append(run)
    usable = [c for c in candidates if c and all(c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


_LAST: tuple[str | None, str | None] = (None, None)


def lowered(text: str) -> str | None:
    """``text.lower()`` when anchors may be checked against it (ASCII and caseless
    punctuation only), else None. The last answer is kept: rule engines run many patterns
    over the same sentence string one after another."""
    global _LAST
    last = _LAST  # one read of the pair: safe beside other threads
    if last[0] is text:
        return last[1]
    low = text.lower() if text.translate(_DROP_CASELESS).isascii() else None
    _LAST = (text, low)
    return low


def may_match(need: tuple[str, ...] | None, low: str | None) -> bool:
    """False only when ``low`` (from :func:`lowered`) holds none of the anchors ``need``."""
    if need is None or low is None:
        return True
    for a in need:  # a loop, not any(): this runs for every rule and sentence
        if a in low:
            return True
    return False


class Anchored:
    """A compiled pattern that skips texts without its anchors (``search``, ``finditer``);
    every other attribute is the pattern's own."""

    __slots__ = ("regex", "anchors")

    def __init__(self, regex: re.Pattern, anchors_: tuple[str, ...] | None) -> None:
        self.regex = regex
        self.anchors = anchors_

    @classmethod
    def compile(cls, pattern: str, flags: int = re.IGNORECASE) -> Anchored:
        """``re.compile(pattern, flags)`` with the pattern's anchors (none unless the flags
        make it case-insensitive, which is what the anchors assume of letters)."""
        rx = re.compile(pattern, flags)
        return cls(rx, anchors(pattern) if flags & re.IGNORECASE else None)

    def search(self, text: str, *bounds: int) -> re.Match | None:
        """``Pattern.search``; with ``pos``/``endpos`` the regex always runs."""
        if not bounds and self.anchors is not None and not may_match(self.anchors, lowered(text)):
            return None
        return self.regex.search(text, *bounds)

    def finditer(self, text: str, *bounds: int) -> Iterator[re.Match]:
        """``Pattern.finditer``; with ``pos``/``endpos`` the regex always runs."""
        if not bounds and self.anchors is not None and not may_match(self.anchors, lowered(text)):
            return iter(())
        return self.regex.finditer(text, *bounds)

    def __getattr__(self, name: str) -> Any:
        if name in Anchored.__slots__ or name.startswith("__"):
            raise AttributeError(name)  # while unpickling, before the slots are set
        return getattr(self.regex, name)

    def __reduce__(self) -> tuple:
        return (Anchored, (self.regex, self.anchors))

    def __repr__(self) -> str:
        return f"Anchored({self.regex!r}, anchors={self.anchors!r})"
