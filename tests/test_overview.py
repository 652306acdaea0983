"""Overview tables and the corpus figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import dprkbrief  # noqa: E402
from dprkbrief.errors import ParameterError  # noqa: E402
from dprkbrief.plotting.corpus import plot_speaker_shares, plot_structure  # noqa: E402

TALK = "Title Line\n\nQ: Is a summit coming?\n\nA: Yes. It will come soon, I think.\n"


def test_segment_counts_match_segment_tables(corpus):
    counts = dprkbrief.segment_counts(corpus).set_index("doc_id")
    for level in ("section", "turn", "paragraph", "sentence"):
        sizes = corpus.segments(level).groupby("doc_id").size()
        assert counts[level].to_dict() == sizes.to_dict()


def test_speaker_shares_count_prose_words_per_speaker():
    c = dprkbrief.corpus_from_texts({"t": TALK})
    shares = dprkbrief.speaker_shares(c).set_index("speaker")
    assert shares.loc["A", "n_words"] == 7 and shares.loc["Q", "n_words"] == 4
    assert shares.loc["A", "n_sentences"] == 2
    assert abs(shares["share"].sum() - 1) < 1e-9


def test_figures_are_returned_and_validate_input(corpus):
    from matplotlib.figure import Figure

    fig = plot_structure(corpus.segments("paragraph"), corpus.segments("turn"))
    assert isinstance(fig, Figure) and len(fig.axes) == 2 * len(corpus)
    fig = plot_speaker_shares(dprkbrief.speaker_shares(corpus))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("(no speaker)" in x for x in labels)
    with pytest.raises(ParameterError, match="lacks column"):
        plot_structure(corpus.documents)


def test_unlabelled_prose_has_speaker_none_not_nan():
    c = dprkbrief.corpus_from_texts({"a": "Title\n\nJust prose here. More prose."})
    assert dprkbrief.speaker_shares(c)["speaker"].tolist() == [None]
