"""What a regex can start with, read from its source text (no private ``re`` internals).

The tagger puts a one-character lookahead guard in front of each rule (same matches, fewer
failed attempts at positions where no match can start). This module reads the characters a
pattern's match can begin with from the pattern string itself, conservatively: whenever it
meets a construct it does not model (``.``, ``\\w``, a negated class, a back-reference) it says
"any character" (None) and no guard is used.
"""

from __future__ import annotations

import re

_ESC_CLASSES = {"d": set("0123456789"), "s": set(" \t\n\r\f\v\xa0")}
_ESC_CHARS = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_ZERO_WIDTH_ESC = set("bBAZ")
_QUANT = re.compile(r"\?|\*|\+|\{(\d*)(?:,(\d*))?\}")


class _Unknown(Exception):
    """A construct the reader does not model: the answer is "any character"."""


def first_chars(pattern: str) -> set[str] | None:
    """Characters a non-empty match of ``pattern`` can start with, or None if any (or if the
    pattern can match the empty string).

    >>> sorted(first_chars(r"(?:Jan|Feb)\\.?\\s+\\d"))
    ['F', 'J']
    >>> first_chars(r"\\w+") is None
    True
    """
    try:
        chars, nullable, pos = _alternation(pattern, 0)
    except (_Unknown, IndexError):
        return None
    if pos != len(pattern) or nullable or not chars:
        return None
    return chars


def _alternation(p: str, i: int) -> tuple[set[str], bool, int]:
    chars: set[str] = set()
    nullable = False
    while True:
        c, n, i = _sequence(p, i)
        chars |= c
        nullable = nullable or n
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        return chars, nullable, i


def _sequence(p: str, i: int) -> tuple[set[str], bool, int]:
    chars: set[str] = set()
    nullable = True  # the empty sequence so far
    while i < len(p) and p[i] not in "|)":
        c, n, i = _item(p, i)
        i, optional = _quantifier(p, i)
        if nullable:
            chars |= c
            nullable = n or optional
    return chars, nullable, i


def _quantifier(p: str, i: int) -> tuple[int, bool]:
    m = _QUANT.match(p, i)
    if not m:
        return i, False
    q = m.group()
    optional = q in ("?", "*") or (q.startswith("{") and (m.group(1) or "0") == "0")
    i = m.end()
    if i < len(p) and p[i] in "?+":  # lazy or possessive
        i += 1
    return i, optional


def _item(p: str, i: int) -> tuple[set[str], bool, int]:
    ch = p[i]
    if ch == "(":
        return _group(p, i)
    if ch == "[":
        return _char_class(p, i)
    if ch == "\\":
        nxt = p[i + 1]
        if nxt in _ZERO_WIDTH_ESC:
            return set(), True, i + 2
        if nxt in _ESC_CLASSES:
            return set(_ESC_CLASSES[nxt]), False, i + 2
        if nxt.isalnum():
            if nxt in _ESC_CHARS:
                return {_ESC_CHARS[nxt]}, False, i + 2
            raise _Unknown(nxt)  # \w \S \D, back-references, \x..
        return {nxt}, False, i + 2
    if ch in "^$":
        return set(), True, i + 1
    if ch == ".":
        raise _Unknown(".")
    return {ch}, False, i + 1


def _group(p: str, i: int) -> tuple[set[str], bool, int]:
    j = i + 1
    lookaround = False
    if p.startswith("?", j):
        if p.startswith(("?:",), j):
            j += 2
        elif p.startswith("?P<", j):
            j = p.index(">", j) + 1
        elif p.startswith(("?=", "?!"), j):
            j, lookaround = j + 2, True
        elif p.startswith(("?<=", "?<!"), j):
            j, lookaround = j + 3, True
        elif p.startswith("?#", j):
            return set(), True, p.index(")", j) + 1
        else:  # inline flags: (?i) (?-i:...) (?ai:...)
            m = re.compile(r"\?[aiLmsux]*(?:-[imsx]+)?(:|\))").match(p, j)
            if not m:
                raise _Unknown(p[j : j + 3])
            if m.group(1) == ")":
                return set(), True, m.end()
            j = m.end()
    if lookaround:  # zero width: the next item says what starts the match
        return set(), True, _skip_group(p, j)
    chars, nullable, j = _alternation(p, j)
    if j >= len(p) or p[j] != ")":
        raise _Unknown("unbalanced")
    return chars, nullable, j + 1


def _skip_group(p: str, j: int) -> int:
    """Index after the ``)`` closing the group whose body starts at ``j``."""
    depth, in_class = 1, False
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if p.startswith("]", j + 1) or p.startswith("^]", j + 1):
                j += 1 + (p[j + 1] == "^")
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise _Unknown("unbalanced")


def _char_class(p: str, i: int) -> tuple[set[str], bool, int]:
    j = i + 1
    if p[j] == "^":
        raise _Unknown("[^")
    chars: set[str] = set()
    first = True
    while p[j] != "]" or first:
        first = False
        if p[j] == "\\":
            nxt = p[j + 1]
            if nxt in _ESC_CLASSES:
                chars |= _ESC_CLASSES[nxt]
                j += 2
                continue
            if nxt.isalnum() and nxt not in _ESC_CHARS:
                raise _Unknown(nxt)
            lo = _ESC_CHARS.get(nxt, nxt)
            j += 2
        else:
            lo = p[j]
            j += 1
        if p[j] == "-" and p[j + 1] != "]":
            hi = p[j + 1]
            if hi == "\\":
                hi = p[j + 2]
                j += 1
            j += 2
            if ord(hi) - ord(lo) > 300:
                raise _Unknown("wide range")
            chars |= {chr(k) for k in range(ord(lo), ord(hi) + 1)}
        else:
            chars.add(lo)
    return chars, False, j + 1
