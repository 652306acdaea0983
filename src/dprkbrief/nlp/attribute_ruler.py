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


def _feature_tests(spec: Any) -> list[tuple[int, Callable[[Any], bool]]] | None:
    """(feature position, test) for each feature ``spec`` tests, or None when not supported."""
    if not isinstance(spec, dict) or not spec or any(k not in _FEATURES for k in spec):
        return None
    tests = []
    for key, value in spec.items():
        test = _value_test(value)
        if test is None:
            return None
        tests.append((_FEATURES.index(key), test))
    return tests


def _token_test(spec: Any) -> Callable[[tuple], bool] | None:
    """A test of a token's (tag, lower, dep, is_space), or None when not supported."""
    tests = _feature_tests(spec)
    if tests is None:
        return None
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

    New text brings a new lower-case form every few tokens, and few forms are named by any
    pattern: a form is first reduced to its class, the specs whose LOWER test it passes
    (memoised per form; most forms have the empty class), and the specs are matched once per
    (tag, class, dep, is_space), so a new form costs a dictionary lookup, not a match.
    """

    def __init__(self, ruler: Any, specs: list, keys: list, rules: list, raw: list) -> None:
        self.attrs = ruler.attrs  # attr_id -> {attribute id: value}, spaCy's own table
        self.strings = ruler.vocab.strings
        self.specs = specs  # per token spec: its (feature position, test) pairs
        # specs that require one TAG or one LOWER value are tried only on such tokens
        self.by_value: dict[tuple[int, str], list[int]] = {}
        self.general: list[int] = []
        for i, key in enumerate(keys):
            (self.general if key is None else self.by_value.setdefault(key, [])).append(i)
        # the LOWER test of each spec that has one, and the spec's other tests
        self.lower_test = {i: t for i, tests in enumerate(specs) for f, t in tests if f == 1}
        # a LOWER test by plain equality is looked up by its value, the others are run
        self.lower_equal: dict[str, list[int]] = {}
        for i, spec in enumerate(raw):
            if i in self.lower_test and isinstance(spec.get("LOWER"), str):
                self.lower_equal.setdefault(spec["LOWER"], []).append(i)
        equal = {i for ids in self.lower_equal.values() for i in ids}
        self.lower_other = [(i, t) for i, t in self.lower_test.items() if i not in equal]
        self.other_tests = [[(f, t) for f, t in tests if f != 1] for tests in specs]
        self.single = [(a, ids[0]) for a, ids, _ in rules if len(ids) == 1]
        self.multi = [(a, ids, index) for a, ids, index in rules if len(ids) > 1]
        self.memo: dict[tuple, tuple] = {}  # (tag, lower, dep, is_space) -> match
        self.class_memo: dict[tuple, tuple] = {}  # (tag, lower class, dep, is_space) -> match
        self.classes: dict[int, frozenset[int]] = {}  # lower -> specs its LOWER test passes
        self.merged: dict[tuple[int, ...], dict] = {}

    @classmethod
    def build(cls, ruler: Any) -> FastMatch | None:
        specs: list[list[tuple[int, Callable[[Any], bool]]]] = []
        raw: list[dict] = []  # the token specs as written
        keys: list[tuple[int, str] | None] = []
        rules: list[tuple] = []
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    return None
                ids = []
                for spec in pattern:
                    tests = _feature_tests(spec)
                    if tests is None:
                        return None
                    specs.append(tests)
                    raw.append(spec)
                    ids.append(len(specs) - 1)
                    keys.append(_index_key(spec))
                index = entry.get("index", 0)
                if not isinstance(index, int) or not -len(ids) <= index < len(ids):
                    return None
                rules.append((attr_id, ids, index % len(ids)))
        return cls(ruler, specs, keys, rules, raw)

    def _lower_class(self, lower: int) -> frozenset[int]:
        """The specs whose LOWER test the lower-case form ``lower`` (a string id) passes."""
        got = self.classes.get(lower)
        if got is None:
            text = self.strings[lower] if lower else ""
            got = frozenset(
                [*self.lower_equal.get(text, ()), *(i for i, t in self.lower_other if t(text))]
            )
            if len(self.classes) < _MEMO_LIMIT:
                self.classes[lower] = got
        return got

    def _lookup(self, key: tuple) -> tuple:
        """(attr_ids of matching single-token rules, spec ids matched) of a token."""
        got = self.memo.get(key)
        if got is None:
            tag, lower, dep, space = key
            passed = self._lower_class(lower)
            class_key = (tag, passed, dep, space)
            got = self.class_memo.get(class_key)
            if got is None:
                s = self.strings
                feats = (s[tag] if tag else "", "", s[dep] if dep else "", bool(space))
                tried = {*self.general, *self.by_value.get((0, feats[0]), ()), *passed}
                hit = frozenset(
                    i
                    for i in tried
                    if (i not in self.lower_test or i in passed)
                    and all(test(feats[f]) for f, test in self.other_tests[i])
                )
                got = (tuple(a for a, spec in self.single if spec in hit), hit)
                if len(self.class_memo) < _MEMO_LIMIT:
                    self.class_memo[class_key] = got
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
