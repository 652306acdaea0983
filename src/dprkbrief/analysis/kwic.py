"""Keyword in context over a corpus, with exact offsets of every match."""

from __future__ import annotations

import bisect
import fnmatch
import re
import time
from typing import TYPE_CHECKING, Any, Literal

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
# seconds a user's regular expression may run over the whole corpus (per kwic call)
REGEX_TIMEOUT = 10.0


def compile_pattern(
    pattern: str, valuetype: Literal["fixed", "regex", "glob"] = "fixed", *, case: bool = False
) -> Any:
    """Compile a search pattern: a literal phrase (word-bounded), a regex, or a glob.

    Returns a compiled pattern of the ``regex`` package (its ``finditer`` takes a
    ``timeout``). Fixed phrases and globs compile to expressions that run in linear time: a
    glob's ``*`` matches word characters only and several stars in one word become atomic
    groups (as ``fnmatch.translate`` writes them), so nothing backtracks over a long token.
    """
    import regex

    check_type("pattern", pattern, str)
    check_choice("valuetype", valuetype, ("fixed", "regex", "glob"))
    if not pattern.strip():
        raise ParameterError("invalid value for 'pattern': empty; give a word or phrase")
    flags = regex.VERSION0 | (0 if case else regex.IGNORECASE)
    if valuetype == "fixed":
        body = r"\s+".join(re.escape(w) for w in pattern.split())
        src = rf"(?<!\w){body}(?!\w)"
    elif valuetype == "glob":
        words = [re.sub(r"\*+", "*", w) for w in pattern.split()]  # "**" is one star
        body = r"\s+".join(fnmatch.translate(w)[4:-3].replace(".*", r"\w*") for w in words)
        src = rf"(?<!\w){body}(?!\w)"
    else:
        src = pattern
    try:
        return regex.compile(src, flags)
    except (regex.error, OverflowError, RecursionError) as exc:
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
    timeout: float = REGEX_TIMEOUT,
) -> pd.DataFrame:
    """Every match of ``pattern`` with its left and right context.

    ``window="sentence"`` gives the rest of the sentence on each side; an int gives that many
    characters. Pull-quote repeats are skipped unless ``repeats=True``, so a claim is not
    listed twice. The search over all documents may take at most ``timeout`` seconds (a
    regular expression that backtracks badly raises ParameterError instead of hanging).
    Columns: doc_id, seg_id (sentence), speaker, section, kind, start, end,
    left, match, right; ``match == corpus[doc_id].text[start:end]``.
    """
    import pandas as pd

    if isinstance(window, bool) or not (window == "sentence" or isinstance(window, int)):
        raise ParameterError(
            f"invalid value for 'window': {window!r}; allowed are 'sentence' or an int >= 0"
        )
    if isinstance(window, int) and window < 0:
        raise ParameterError(f"invalid value for 'window': {window}; use an int >= 0")
    check_type("timeout", timeout, (int, float))
    if isinstance(timeout, bool) or not timeout > 0:
        raise ParameterError(f"invalid value for 'timeout': {timeout!r}; use seconds > 0")
    from ..pipeline.fold import batches

    rx = compile_pattern(pattern, valuetype, case=case)
    rows: list[dict] = []
    deadline = time.monotonic() + timeout
    for part, ids in batches(corpus, docs):  # an index: one stored partition at a time
        rows += _kwic_rows(part, ids, rx, window, repeats, deadline, pattern, timeout)
    df = pd.DataFrame(rows, columns=KWIC_COLUMNS, dtype=object)
    return df.astype({"start": "int64", "end": "int64"})


def _kwic_rows(
    corpus: Corpus,
    docs: list[str] | None,
    rx: Any,
    window: str | int,
    repeats: bool,
    deadline: float,
    pattern: str,
    timeout: float,
) -> list[dict]:
    """The kwic rows of every document of ``corpus`` (a per-document loop)."""
    sents = corpus.segments("sentence", docs=docs)
    rows = []
    for doc_id, group in sents.groupby("doc_id", sort=True):
        text = corpus[doc_id].text
        starts = group["start"].tolist()
        recs = group.to_dict("records")
        for m in _finditer(rx, text, deadline, pattern, timeout):
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
    return rows


def _finditer(rx: Any, text: str, deadline: float, pattern: str, timeout: float):
    """``rx.finditer`` that gives up at ``deadline`` with a ParameterError naming the pattern."""
    try:
        yield from rx.finditer(text, timeout=max(0.001, deadline - time.monotonic()))
    except TimeoutError:
        raise ParameterError(
            f"invalid value for 'pattern': {pattern!r} ran longer than {timeout:g} s (the "
            "expression backtracks too much, e.g. nested repeats like '(a|aa)+'); simplify it "
            "or use valuetype='fixed' or 'glob'"
        ) from None


def kwic_view(hits: pd.DataFrame, *, width: int = 40) -> pd.DataFrame:
    """A copy of a kwic table for display: ``left`` keeps its last ``width`` characters (the
    words next to the match) and ``right`` its first, each cut marked with '…'."""
    check_type("width", width, int)
    if width < 1:
        raise ParameterError(f"invalid value for 'width': {width}; use an int >= 1")
    view = hits.copy()
    if "left" in view:
        view["left"] = view["left"].map(lambda s: s if len(s) <= width else "…" + s[1 - width :])
    if "right" in view:
        view["right"] = view["right"].map(lambda s: s if len(s) <= width else s[: width - 1] + "…")
    return view
