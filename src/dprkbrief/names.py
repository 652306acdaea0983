"""Person names: one place for titles, canonical forms, matching keys and bylines.

Used by corpus metadata (bylines), speaker labels, the people registry and quotations.
Honorifics and role titles are data (``resources/people/titles.toml``); the functions here
are generic. Nothing here imports pandas or spaCy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .resources import load_toml, resource_path

if TYPE_CHECKING:  # pragma: no cover
    from .segment.blocks import Structure

_HYPHENS = "‐‑‒–-"  # hyphen last: literal inside a character class


@dataclass(frozen=True)
class Titles:
    """Compiled title data: honorifics, role titles (longest first), modifiers."""

    honorifics: frozenset[str]  # lower case, no final period
    roles: tuple[tuple[str, ...], ...]  # lower-case token tuples, longest first
    modifiers: frozenset[str]
    path: str

    def is_title_word(self, word: str) -> bool:
        w = word.rstrip(".").lower()
        return w in self.honorifics or any(len(r) == 1 and r[0] == w for r in self.roles)

    @property
    def honorific_pattern(self) -> str:
        """Regex alternation of the honorifics (each optionally followed by a period)."""
        forms = sorted(self.honorifics, key=len, reverse=True)
        return "|".join(re.escape(f) for f in forms)

    @property
    def role_pattern(self) -> str:
        """Regex alternation of role titles (case-insensitive use), longest first."""
        parts = []
        for role in self.roles:
            parts.append(r"\s+".join(re.escape(t).rstrip("\\.") + r"\.?" for t in role))
        return "|".join(parts)


@lru_cache(maxsize=8)
def load_titles(path: str | None = None) -> Titles:
    """Load ``titles.toml`` (the packaged file when ``path`` is None)."""
    p = Path(path) if path else resource_path("people", "titles.toml")
    data = load_toml(p)
    hon = frozenset(h.rstrip(".").lower() for h in data.get("honorifics", []))
    roles = {
        tuple(_norm_tok(x) for x in r.replace(".", ". ").split()) for r in data.get("roles", [])
    }
    roles_t = tuple(sorted(roles, key=lambda r: (-len(r), r)))
    mods = frozenset(m.lower().rstrip("-") for m in data.get("modifiers", []))
    return Titles(honorifics=hon, roles=roles_t, modifiers=mods, path=str(p))


def _norm_tok(tok: str) -> str:
    return tok.rstrip(".,").lower().replace("’", "'")


def split_title(text: str, titles: Titles | None = None) -> tuple[str, str]:
    """``(title, name)``: the leading honorific/role words of ``text`` and the rest.

    "Defense Secretary Lloyd Austin" -> ("Defense Secretary", "Lloyd Austin");
    "Dr. Jane Roe" -> ("Dr.", "Jane Roe"); a text with no title gives ("", text).
    A title is only split off when a name of at least one word remains.
    """
    t = titles or load_titles()
    tokens = text.split()
    i = 0
    while i < len(tokens) - 1:
        w = _norm_tok(tokens[i])
        if w.rstrip("-") in t.modifiers or w.startswith("then-"):
            if w.startswith("then-") and len(w) > 5:
                tokens = tokens[:i] + ["then-", tokens[i][5:]] + tokens[i + 1 :]
            i += 1
            continue
        if w in t.honorifics:
            i += 1
            continue
        matched = 0
        for role in t.roles:
            n = len(role)
            # a role title counts only when at least one name token follows it
            if i + n < len(tokens) and tuple(_norm_tok(x) for x in tokens[i : i + n]) == role:
                matched = n
                break
        if not matched:
            break
        i += matched
    if i == 0:
        return "", text.strip()
    title = " ".join(tokens[:i]).replace("then- ", "then-")
    return title, " ".join(tokens[i:])


def strip_titles(name: str, titles: Titles | None = None) -> str:
    """``name`` without leading honorifics and role titles ("Dr. Jane Doe" -> "Jane Doe")."""
    return split_title(name, titles)[1]


def canonical_name(name: str) -> str:
    """Normalise case of ALL-CAPS name tokens: "DR. MIN-JUN PARK" -> "Dr. Min-Jun Park"."""
    parts = []
    for tok in name.split():
        letters = [c for c in tok if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            tok = "-".join(x.capitalize() for x in tok.split("-"))
        parts.append(tok)
    return " ".join(parts)


def name_key(name: str, titles: Titles | None = None) -> str:
    """Matching key: titles off, case and accents folded, hyphens and spaces removed.

    "Kim Jong-un", "Kim Jong Un" and "KIM JONG UN" share the key "kimjongun".
    """
    bare = strip_titles(canonical_name(name), titles)
    bare = unicodedata.normalize("NFKD", bare)
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    bare = bare.replace("’", "'").casefold()
    return re.sub(rf"[\s.'`{_HYPHENS}]+", "", bare)


def name_tokens(name: str, titles: Titles | None = None) -> list[str]:
    """Lower-case tokens of a bare name, hyphenated parts kept whole ("moon", "jae-in")."""
    bare = strip_titles(canonical_name(name), titles)
    return [re.sub(rf"[{_HYPHENS}]", "-", w).strip(".,").casefold() for w in bare.split()]


def possible_short_forms(name: str, titles: Titles | None = None) -> set[str]:
    """Keys of the one-word forms a text may use for ``name`` after introducing it.

    Western order uses the last word ("Austin"); Korean names (three syllables, or a
    hyphenated given name) use the family name first ("Moon", "Kim") as well.
    """
    toks = name_tokens(name, titles)
    if len(toks) < 2:
        return set()
    out = {toks[-1].replace("-", "")}
    if len(toks) >= 2 and ("-" in toks[1] or len(toks) == 3 and len(toks[0]) <= 4):
        out.add(toks[0])
    return out


# -- bylines -------------------------------------------------------------------------------

_BYLINE_CUT = re.compile(r"\s*(?:\||—|–|;|/|\(|\s-\s)")
_BYLINE_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w.'’\-]*|van|von|de|del|der|da|di|bin|al|la|le)$")


def byline_names(st: Structure, text: str) -> list[str]:
    """Person names in a byline, else [].

    Shapes: "By Jane Doe and John Roe, Example Institute", "Author: Jane Doe",
    "Tim Shorrock / The Nation", "Jane Roe | Reuters" (the ``byline`` patterns of
    ``structure.toml`` find the names part; the leading person-like names are kept: 2-4
    capitalised words each, up to the first part that is not one).
    """
    m = st.match("byline", text.strip().strip("*_ "))
    if not m:
        return []
    body = _BYLINE_CUT.split(m.group("names"), maxsplit=1)[0]
    names: list[str] = []
    for part in _BYLINE_SPLIT.split(body):
        tokens = part.strip(" .,*_").split()
        if not 2 <= len(tokens) <= 4 or not tokens[0][:1].isupper():
            break
        if not all(_NAME_TOKEN.match(t) for t in tokens):
            break
        if {t.lower().strip(".") for t in tokens} & st.not_name_words:
            break
        names.append(canonical_name(" ".join(tokens)))
    return names
