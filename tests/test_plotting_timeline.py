"""Timeline figures: they draw what the table holds and reject bad input."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import dprkbrief  # noqa: E402
from dprkbrief.errors import DprkbriefWarning, ParameterError  # noqa: E402
from dprkbrief.plotting.timeline import ANCHORS, plot_lookback, plot_timeline  # noqa: E402

TEXTS = {
    "old": "The Pueblo crisis still matters for the navy. In 1990 nothing happened.",
    "new": "The talks in Hanoi failed. Next year could bring a new summit in 2026.",
}


@pytest.fixture(scope="module")
def tl():
    c = dprkbrief.corpus_from_texts(
        TEXTS, metadata={"old": {"date": "2000-01"}, "new": {"date": "2025-06-01"}}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DprkbriefWarning)
        return dprkbrief.timeline(c)


def test_plot_timeline_marks_anchors_and_one_row_per_document(tl):
    fig = plot_timeline(tl)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "doc: old" in labels and "doc: new" in labels
    assert any(lab.startswith("event: ") for lab in labels)
    texts = {t.get_text() for t in ax.texts}
    assert {"USS Pueblo seized", "Agreed Framework", "Hanoi summit"} <= texts
    assert ax.get_xlim() == (1950.0, ax.get_xlim()[1]) and ax.get_xlim()[1] >= 2026
    plt.close(fig)


def test_plot_timeline_highlight_and_range(tl):
    fig = plot_timeline(tl, highlight=["hanoi_summit"], start=2010, end=2030)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "Hanoi summit" in texts and "USS Pueblo seized" not in texts
    assert fig.axes[0].get_xlim() == (2010.0, 2030.0)
    plt.close(fig)
    with pytest.raises(ParameterError, match="unknown event_id"):
        plot_timeline(tl, highlight=["nope"])
    with pytest.raises(ParameterError, match="before end"):
        plot_timeline(tl, start=2000, end=1990)
    with pytest.raises(ParameterError, match="lacks column"):
        plot_timeline(pd.DataFrame({"x": [1]}))
    assert len(ANCHORS) == 4


def test_plot_lookback_places_mentions_relative_to_the_document(tl):
    fig = plot_lookback(tl)
    ax = fig.axes[0]
    labels = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert labels == ["new", "old"]
    xs = sorted(float(x) for line in ax.lines for x in line.get_xdata() if line.get_marker() == "o")
    assert xs[0] < -30  # the Pueblo, seen from 2000
    assert xs[-1] > 0  # "next year", seen from 2025
    notes = {t.get_text() for t in ax.texts}
    assert notes == {"1 back / 1 ahead", "2 back / 0 ahead"}
    plt.close(fig)


def test_plots_accept_an_empty_timeline(tl):
    empty = tl.iloc[0:0]
    plt.close(plot_timeline(empty))
    plt.close(plot_lookback(empty))


def test_user_catalog_without_the_anchors(tl):
    from dprkbrief.events.catalog import load_events

    mine = load_events().query("category == 'test'")
    fig = plot_timeline(tl, events=mine)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert [lab for lab in labels if lab.startswith("event: ")] == ["event: test"]
    assert "Hanoi summit" not in {t.get_text() for t in fig.axes[0].texts}
    plt.close(fig)


def test_document_rows_are_labelled_by_short_title_with_the_id(tl):
    docs = pd.DataFrame(
        {"doc_id": ["old", "new"], "title": ["A very long title about the Pueblo crisis", None]}
    )
    fig = plot_timeline(tl, documents=docs)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "doc: A very long title about the… · old" in labels
    assert "doc: new" in labels  # no title: the id
    plt.close(fig)
    fig = plot_lookback(tl, documents=docs)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[1].startswith("A very long title about the…\nold\n(")
    plt.close(fig)
    with pytest.raises(ParameterError, match="documents"):
        plot_timeline(tl, documents=pd.DataFrame({"x": [1]}))


@pytest.mark.parametrize("end", [2026, 2027, 2030])
def test_era_labels_are_readable_and_inside_the_figure(tl, end):
    fig = plot_timeline(tl, end=end)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    eras = [t for t in fig.axes[0].texts if str(t.get_gid()).startswith("era:")]
    assert len(eras) >= 5
    fig_box = fig.bbox
    for t in eras:
        assert t.get_fontsize() >= 8
        box = t.get_window_extent(renderer)
        assert box.x0 >= fig_box.x0 - 1 and box.x1 <= fig_box.x1 + 1, t.get_text()
        assert t.get_clip_on() is False or not t.get_clip_box()
    plt.close(fig)
