"""Corpus overview tables: segment counts and who speaks how much."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..segment import LEVELS, PROSE_KINDS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus


def segment_counts(corpus: Corpus, *, docs: list[str] | None = None) -> pd.DataFrame:
    """Segments per document and level: columns doc_id, section, turn, paragraph, sentence."""
    import pandas as pd

    ids = corpus._check_docs(docs) or corpus.doc_ids
    table = pd.DataFrame({"doc_id": ids})
    if getattr(corpus, "_index", None) is not None:  # an index: two stored columns, no text
        seg = corpus.records("segments", docs=ids, columns=["doc_id", "level"])
        sizes = seg.groupby(["level", "doc_id"]).size()
    for level in LEVELS:
        if getattr(corpus, "_index", None) is not None:
            counts = sizes[level] if level in sizes.index.get_level_values(0) else {}
        else:
            counts = corpus.segments(level, docs=ids).groupby("doc_id").size()
        table[level] = table["doc_id"].map(counts).fillna(0).astype("int64")
    return table


def speaker_shares(corpus: Corpus, *, docs: list[str] | None = None) -> pd.DataFrame:
    """Who speaks how much: one row per document and speaker (``None`` = unlabelled prose).

    Columns: doc_id, speaker, n_turns, n_sentences, n_words, share (of the document's prose
    words). Only prose sentences count; labels, headings and pull-quote repeats do not.
    """
    import pandas as pd

    from ..pipeline.fold import batches

    cols = ["doc_id", "speaker", "n_turns", "n_sentences", "n_words", "share"]
    # a per-document table: on an index, one stored partition at a time
    parts = [_speaker_shares(part, ids, cols) for part, ids in batches(corpus, docs)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    return out.reset_index(drop=True)


def _speaker_shares(corpus: Corpus, docs: list[str] | None, cols: list[str]) -> pd.DataFrame:
    import pandas as pd

    sents = corpus.segments("sentence", docs=docs)
    sents = sents[sents["kind"].isin(PROSE_KINDS)].copy()
    if sents.empty:
        return pd.DataFrame(columns=cols)
    sents["speaker"] = sents["speaker"].astype(object).where(sents["speaker"].notna(), None)
    sents["n_words"] = sents["text"].str.split().str.len()
    key = sents["speaker"].fillna("(no speaker)")
    g = sents.assign(_spk=key).groupby(["doc_id", "_spk"], sort=False)
    out = g.agg(
        n_turns=("turn_id", "nunique"), n_sentences=("seg_id", "size"), n_words=("n_words", "sum")
    ).reset_index()
    out["share"] = out["n_words"] / out.groupby("doc_id")["n_words"].transform("sum")
    out["speaker"] = pd.Series(
        [None if v == "(no speaker)" else v for v in out["_spk"]], index=out.index, dtype=object
    )
    return (
        out[cols].sort_values(["doc_id", "n_words"], ascending=[True, False]).reset_index(drop=True)
    )
