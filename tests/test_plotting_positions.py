"""Heatmap and quote-table figures for positions."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from dprkbrief.errors import ParameterError  # noqa: E402
from dprkbrief.plotting.positions import (  # noqa: E402
    plot_positions,
    plot_quote_table,
    position_matrix,
)

POS = pd.DataFrame(
    {
        "expert": ["A", "B", "A"],
        "topic": ["summit", "summit", "china"],
        "label": ["Summit", "Summit", "China"],
        "direction": [1, -1, 0],
        "mean_certainty": [0.8, 0.5, 0.7],
        "n_statements": [3, 1, 2],
    }
)


def test_matrix_values():
    value, count = position_matrix(POS)
    assert value.loc["A", "summit"] == pytest.approx(0.8)
    assert value.loc["B", "summit"] == pytest.approx(-0.5)
    assert pd.isna(value.loc["B", "china"])
    assert count.loc["A", "china"] == 2


def test_heatmap_annotates_counts():
    import matplotlib.pyplot as plt

    fig = plot_positions(POS)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "3"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Summit", "China"]
    plt.close(fig)


def test_quote_table():
    import matplotlib.pyplot as plt

    cmp = pd.DataFrame(
        {
            "side": ["yes", "no"],
            "expert": ["A", "B"],
            "quote": ["It will happen.", "It will not."],
            "doc_id": ["d1", "d2"],
        }
    )
    cmp.attrs["question"] = "Will it happen?"
    fig = plot_quote_table(cmp)
    texts = [c.get_text().get_text() for c in fig.axes[0].tables[0].get_celld().values()]
    assert any("A (d1)" in t and "It will happen." in t for t in texts)
    assert fig.axes[0].get_title() == "Will it happen?"
    plt.close(fig)


def test_errors():
    with pytest.raises(ParameterError, match="lacks column"):
        plot_positions(POS.drop(columns="direction"))
    with pytest.raises(ParameterError, match="empty"):
        plot_positions(POS.iloc[0:0])


def test_quote_table_names_documents_by_short_title():
    import matplotlib.pyplot as plt

    cmp = pd.DataFrame(
        {
            "side": ["yes"],
            "expert": ["A"],
            "quote": ["It will happen."],
            "doc_id": ["000_2e56d51cbefd21fb"],
        }
    )
    docs = pd.DataFrame({"doc_id": ["000_2e56d51cbefd21fb"], "title": ["Prospects for talks"]})
    fig = plot_quote_table(cmp, documents=docs)
    texts = [c.get_text().get_text() for c in fig.axes[0].tables[0].get_celld().values()]
    assert any("A (Prospects for talks, 000_2e56d51c…)" in t for t in texts)
    plt.close(fig)


def test_an_empty_comparison_draws_a_sentence_not_an_empty_table():
    import matplotlib.pyplot as plt

    cmp = pd.DataFrame(columns=["side", "expert", "quote", "doc_id"])
    cmp.attrs["question"] = "Will it happen?"
    cmp.attrs["note"] = "The topic 'x' is not among the topics analysed (summit)."
    fig = plot_quote_table(cmp)
    ax = fig.axes[0]
    assert not ax.tables
    assert [t.get_text() for t in ax.texts] == [cmp.attrs["note"]]
    plt.close(fig)


def test_certainty_is_circle_size_and_lean_is_colour():
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection

    from dprkbrief.plotting.positions import position_matrices

    pos = POS.assign(score=[0.4, -0.5, 0.0])
    m = position_matrices(pos)
    assert m["lean"].loc["A", "summit"] == pytest.approx(0.5)  # score / mean certainty
    assert m["certainty"].loc["B", "summit"] == pytest.approx(0.5)
    fig = plot_positions(pos)
    dots = next(c for c in fig.axes[0].collections if isinstance(c, PathCollection))
    sizes = dict(zip(map(tuple, dots.get_offsets().data.tolist()), dots.get_sizes()))
    # A/summit (x 0, y 0) at certainty 0.8 is drawn larger than B/summit (x 0, y 1) at 0.5
    assert sizes[(0.0, 0.0)] > sizes[(0.0, 1.0)]
    assert fig.legends and "certainty" in fig.legends[0].get_title().get_text()
    plt.close(fig)
