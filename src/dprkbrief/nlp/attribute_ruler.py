"""The pipeline's attribute ruler, same rules, matched without spaCy's general Matcher.

The English pipelines map fine-grained tags to coarse POS and morphology, and fix a few
lemmas, with an ``attribute_ruler`` of ~180 token patterns. spaCy runs every pattern through
its general ``Matcher`` on every token, a sixth of the whole pipeline's time on news text.
The patterns are simple: one or two tokens, each testing TAG, LOWER, DEP or IS_SPACE by
equality, ``IN``, ``NOT_IN`` or ``REGEX``. :func:`speed_up` swaps the component's matching for
a lookup keyed by those four values (each distinct combination is tested against the
patterns once) and leaves everything else to spaCy: the same patterns, read from the loaded
model, applied in the same order with spaCy's own ``set_token_attrs``, so the annotations are
identical (``tests/test_nlp_model.py`` compares both on text). A ruler holding any pattern
outside that subset keeps spaCy's matching. This module imports spaCy: only
``nlp.model.load_model`` imports it, after loading a pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.pipeline import AttributeRuler
from spacy.tokens._retokenize import set_token_attrs

_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
_MEMO_LIMIT = 200_000  # distinct (tag, lower, dep, is_space) combinations remembered


def _value_test(value: Any) -> Callable[[Any], bool] | None:
    """A test of one feature value, or None when the pattern syntax is not supported."""
    if isinstance(value, bool | str):
        return lambda got: got == value
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda got: got in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            banned = frozenset(arg)
            return lambda got: got not in banned
        if op == "REGEX" and isinstance(arg, str):
            search = re.compile(arg).search
            return lambda got: isinstance(got, str) and search(got) is not None
    return None


def _token_test(spec: Any) -> Callable[[tuple], bool] | None:
    """A test of a token's (tag, lower, dep, is_space), or None when not supported."""
    if not isinstance(spec, dict) or not spec or any(k not in _FEATURES for k in spec):
        return None
    tests = []
    for key, value in spec.items():
        test = _value_test(value)
        if test is None:
            return None
        tests.append((_FEATURES.index(key), test))
    return lambda feats: all(test(feats[i]) for i, test in tests)


def _index_key(spec: dict) -> tuple[int, str] | None:
    """(feature position, value) a spec requires by plain equality (TAG first), else None."""
    for pos, name in ((0, "TAG"), (1, "LOWER")):
        if isinstance(spec.get(name), str):
            return pos, spec[name]
    return None


class FastMatch:
    """Matches the patterns of one AttributeRuler; ``None`` from :meth:`build` if it cannot.

    Per distinct (tag, lower, dep, is_space) of a token (memoised): the single-token rules it
    matches and the multi-token rules it may open. Per token, the attributes of every rule
    that sets it are merged in rule order (a later rule wins, as when spaCy applies them one
    after the other) and set with one ``set_token_attrs`` call.
    """

    def __init__(self, ruler: Any, specs: list, keys: list, rules: list) -> None:
        self.attrs = ruler.attrs  # attr_id -> {attribute id: value}, spaCy's own table
        self.strings = ruler.vocab.strings
        self.specs = specs  # one test per token spec
        # specs that require one TAG or one LOWER value are tried only on such tokens
        self.by_value: dict[tuple[int, str], list[int]] = {}
        self.general: list[int] = []
        for i, key in enumerate(keys):
            (self.general if key is None else self.by_value.setdefault(key, [])).append(i)
        self.single = [(a, ids[0]) for a, ids, _ in rules if len(ids) == 1]
        self.multi = [(a, ids, index) for a, ids, index in rules if len(ids) > 1]
        self.memo: dict[tuple, tuple] = {}
        self.merged: dict[tuple[int, ...], dict] = {}

    @classmethod
    def build(cls, ruler: Any) -> FastMatch | None:
        specs: list[Callable[[tuple], bool]] = []
        keys: list[tuple[int, str] | None] = []
        rules: list[tuple] = []
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    return None
                ids = []
                for spec in pattern:
                    test = _token_test(spec)
                    if test is None:
                        return None
                    specs.append(test)
                    ids.append(len(specs) - 1)
                    keys.append(_index_key(spec))
                index = entry.get("index", 0)
                if not isinstance(index, int) or not -len(ids) <= index < len(ids):
                    return None
                rules.append((attr_id, ids, index % len(ids)))
        return cls(ruler, specs, keys, rules)

    def _lookup(self, key: tuple) -> tuple:
        """(attr_ids of matching single-token rules, spec ids matched) of a token."""
        got = self.memo.get(key)
        if got is None:
            tag, lower, dep, space = key
            s = self.strings
            feats = (s[tag] if tag else "", s[lower] if lower else "", s[dep] if dep else "")
            feats += (bool(space),)
            tried = self.general + self.by_value.get((0, feats[0]), [])
            tried += self.by_value.get((1, feats[1]), [])
            hit = frozenset(i for i in tried if self.specs[i](feats))
            got = (tuple(a for a, spec in self.single if spec in hit), hit)
            if len(self.memo) < _MEMO_LIMIT:
                self.memo[key] = got
        return got

    def _attrs(self, attr_ids: tuple[int, ...]) -> dict:
        merged = self.merged.get(attr_ids)
        if merged is None:
            merged = {}
            for a in sorted(attr_ids):
                merged.update(self.attrs[a])
            self.merged[attr_ids] = merged
        return merged

    def assignments(self, doc: Any) -> list[tuple[int, dict]]:
        """(token index, attributes to set) for every token a rule sets."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        keys = [tuple(row) for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        found = [self._lookup(k) for k in keys]
        per_token: list[tuple[int, ...]] = [f[0] for f in found]
        for attr_id, ids, index in self.multi:
            width = len(ids)
            first = ids[0]
            for i in range(len(found) - width + 1):
                if first in found[i][1] and all(ids[k] in found[i + k][1] for k in range(width)):
                    per_token[i + index] = (*per_token[i + index], attr_id)
        return [(i, self._attrs(ids)) for i, ids in enumerate(per_token) if ids]


class FastAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler with :class:`FastMatch` in place of its Matcher."""

    _fast: FastMatch | None = None
    _fast_key: tuple = ()

    def __call__(self, doc: Any) -> Any:
        key = (id(self.matcher), len(self.attrs))
        if key != self._fast_key:  # patterns added or cleared since: match them again
            self._fast, self._fast_key = FastMatch.build(self), key
        if self._fast is None:  # a pattern the fast path does not cover
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            for i, attrs in self._fast.assignments(doc):
                set_token_attrs(doc[i], attrs)
            return doc
        except Exception as e:  # the same error path as spaCy's component
            return error_handler(self.name, self, [doc], e)


def speed_up(nlp: Any, name: str = "attribute_ruler") -> bool:
    """Give the pipeline's attribute ruler the fast matching; True when it is in use."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if type(ruler) is FastAttributeRuler:
        return ruler._fast is not None
    if type(ruler) is not AttributeRuler:
        return False
    fast = FastMatch.build(ruler)
    if fast is None:
        return False
    ruler.__class__ = FastAttributeRuler
    ruler._fast, ruler._fast_key = fast, (id(ruler.matcher), len(ruler.attrs))
    return True
