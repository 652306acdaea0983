"""Keyword in context over a corpus, with exact offsets of every match."""

from __future__ import annotations

import bisect
import fnmatch
import re
from typing import TYPE_CHECKING, Literal

from .._validate import check_choice, check_type
from ..errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus

KWIC_COLUMNS = [
    "doc_id",
    "seg_id",
    "speaker",
    "section",
    "kind",
    "start",
    "end",
    "left",
    "match",
    "right",
]


def compile_pattern(
    pattern: str, valuetype: Literal["fixed", "regex", "glob"] = "fixed", *, case: bool = False
) -> re.Pattern[str]:
    """Compile a search pattern: a literal phrase (word-bounded), a regex, or a glob."""
    check_type("pattern", pattern, str)
    check_choice("valuetype", valuetype, ("fixed", "regex", "glob"))
    if not pattern.strip():
        raise ParameterError("invalid value for 'pattern': empty; give a word or phrase")
    flags = 0 if case else re.IGNORECASE
    if valuetype == "fixed":
        body = r"\s+".join(re.escape(w) for w in pattern.split())
        src = rf"(?<!\w){body}(?!\w)"
    elif valuetype == "glob":
        body = r"\s+".join(
            fnmatch.translate(w)[4:-3].replace(".*", r"\w*") for w in pattern.split()
        )
        src = rf"(?<!\w){body}(?!\w)"
    else:
        src = pattern
    try:
        return re.compile(src, flags)
    except re.error as exc:
        raise ParameterError(
            f"invalid value for 'pattern': {pattern!r} is not a valid regular expression ({exc})"
        ) from None


def kwic(
    corpus: Corpus,
    pattern: str,
    *,
    window: Literal["sentence"] | int = "sentence",
    valuetype: Literal["fixed", "regex", "glob"] = "fixed",
    case: bool = False,
    docs: list[str] | None = None,
    repeats: bool = False,
) -> pd.DataFrame:
    """Every match of ``pattern`` with its left and right context.

    ``window="sentence"`` gives the rest of the sentence on each side; an int gives that many
    characters. Pull-quote repeats are skipped unless ``repeats=True``, so a claim is not
    listed twice. Columns: doc_id, seg_id (sentence), speaker, section, kind, start, end,
    left, match, right; ``match == corpus[doc_id].text[start:end]``.
    """
    import pandas as pd

    if isinstance(window, bool) or not (window == "sentence" or isinstance(window, int)):
        raise ParameterError(
            f"invalid value for 'window': {window!r}; allowed are 'sentence' or an int >= 0"
        )
    if isinstance(window, int) and window < 0:
        raise ParameterError(f"invalid value for 'window': {window}; use an int >= 0")
    rx = compile_pattern(pattern, valuetype, case=case)
    sents = corpus.segments("sentence", docs=docs)
    rows = []
    for doc_id, group in sents.groupby("doc_id", sort=True):
        text = corpus[doc_id].text
        starts = group["start"].tolist()
        recs = group.to_dict("records")
        for m in rx.finditer(text):
            if m.start() == m.end():
                continue
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or m.start() >= recs[k]["end"]:
                continue
            seg = recs[k]
            if seg["kind"] == "pull_quote" and not repeats:
                continue
            if window == "sentence":
                lo, hi = seg["start"], max(seg["end"], m.end())
            else:
                lo, hi = max(0, m.start() - window), min(len(text), m.end() + window)
            rows.append(
                {
                    "doc_id": doc_id,
                    "seg_id": seg["seg_id"],
                    "speaker": seg["speaker"],
                    "section": seg["section"],
                    "kind": seg["kind"],
                    "start": m.start(),
                    "end": m.end(),
                    "left": " ".join(text[lo : m.start()].split()),
                    "match": m.group(0),
                    "right": " ".join(text[m.end() : hi].split()),
                }
            )
    df = pd.DataFrame(rows, columns=KWIC_COLUMNS, dtype=object)
    return df.astype({"start": "int64", "end": "int64"})
