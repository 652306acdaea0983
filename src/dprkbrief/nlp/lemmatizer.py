"""The pipeline's lemmatizer, same rules, each distinct word form lemmatised once.

spaCy's rule lemmatizer walks every token in Python and caches only the forms that reach its
suffix rules: a base form (``is_base_form``: a singular noun, an infinitive ...) or a word of
a part of speech without rules is worked out again at every occurrence, and every token pays
for its ``Token`` object. A form that reaches the rules tests each candidate lemma against
the ``lemma_index`` table, whose entries are lists (57,000 nouns): a linear scan per
candidate, most of the lemmatizer's time on new text. In the rule and lookup modes the lemma
is a function of the token's text, coarse POS and morphology alone (spaCy's own cache key),
so :func:`speed_up` gives the component a memo keyed by those three hashes, read for the
whole ``Doc`` with one ``to_array`` and written back with one ``from_array``; a form not yet
seen goes through spaCy's own ``lemmatize`` while the index lists are seen as sets (same
members, so the same answers; the component's own tables, which it saves, are not changed).
Lemmas are identical (``tests/test_nlp_lemmatizer.py``). Only spaCy's ``Lemmatizer`` and
``EnglishLemmatizer`` are sped up (a subclass may read more of the token). This module
imports spaCy: only ``nlp.model.load_model`` imports it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.lookups import Lookups, Table
from spacy.pipeline import Lemmatizer

_MEMO_LIMIT = 500_000  # distinct (text, POS, morphology) forms remembered
_MODES = ("rule", "lookup")  # modes whose result depends on text, POS and morphology only


def _with_index_sets(lookups: Any) -> Any:
    """A ``Lookups`` holding the same tables, with ``lemma_index``'s lists as frozensets."""
    out = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            table = Table(name=name, data={k: frozenset(v) for k, v in table.items()})
        out.set_table(name, table)
    return out


class _MemoMixin:
    """``__call__`` of a lemmatizer reading and writing lemmas through a form memo."""

    _memo: dict[tuple[int, int, int], int]
    _fast_lookups: tuple[Any, Any] = (None, None)  # (the component's lookups, set-backed)

    def _lemma_of(self, token: Any) -> str:
        """spaCy's lemma of a form not seen yet, with the index tables as sets."""
        lookups = self.lookups  # type: ignore[attr-defined]
        if self._fast_lookups[0] is not lookups:  # first call, or the tables were replaced
            self._fast_lookups = (lookups, _with_index_sets(lookups))
        self.lookups = self._fast_lookups[1]
        try:
            return self.lemmatize(token)[0]  # type: ignore[attr-defined]
        finally:
            self.lookups = lookups

    def __call__(self, doc: Any) -> Any:
        if not self._validated:  # type: ignore[attr-defined]
            self._validate_tables(Errors.E1004)  # type: ignore[attr-defined]
        error_handler = self.get_error_handler()  # type: ignore[attr-defined]
        try:
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = rows[:, 3].copy()
            memo, strings = self._memo, self.vocab.strings  # type: ignore[attr-defined]
            overwrite = self.overwrite  # type: ignore[attr-defined]
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if lemma and not overwrite:
                    continue  # set by the attribute ruler: spaCy keeps it too
                key = (orth, pos, morph)
                got = memo.get(key)
                if got is None:
                    got = strings.add(self._lemma_of(doc[i]))
                    if pos and len(memo) < _MEMO_LIMIT:  # no POS: spaCy warns every time
                        memo[key] = got
                lemmas[i] = got
            doc.from_array([LEMMA], lemmas.reshape(-1, 1).astype(np.uint64))
            return doc
        except Exception as e:  # the same error path as spaCy's component
            error_handler(self.name, self, [doc], e)  # type: ignore[attr-defined]


class FastLemmatizer(_MemoMixin, Lemmatizer):
    """spaCy's ``Lemmatizer`` with a form memo."""


class FastEnglishLemmatizer(_MemoMixin, EnglishLemmatizer):
    """spaCy's ``EnglishLemmatizer`` with a form memo."""


_FAST = {Lemmatizer: FastLemmatizer, EnglishLemmatizer: FastEnglishLemmatizer}


def speed_up(nlp: Any, name: str = "lemmatizer") -> bool:
    """Give the pipeline's lemmatizer the form memo; True when it is in use."""
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if type(lemmatizer) in _FAST.values():
        return True
    fast = _FAST.get(type(lemmatizer))
    if fast is None or lemmatizer.mode not in _MODES:
        return False
    lemmatizer.__class__ = fast
    lemmatizer._memo = {}
    return True
