"""Figures for expert positions: an experts x topics heatmap and a side-by-side quote table."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from .._validate import check_columns
from ..errors import ParameterError
from ._labels import doc_labels

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure


def position_matrix(positions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(value, count) matrices experts x topics: value = direction x mean certainty."""
    check_columns(
        "positions",
        positions,
        ["expert", "topic", "direction", "mean_certainty"],
        source="dprkbrief.positions(corpus)",
    )
    df = positions.assign(value=positions["direction"] * positions["mean_certainty"])
    topics = list(dict.fromkeys(df["topic"]))
    experts = sorted(dict.fromkeys(df["expert"]), key=str.casefold)
    value = df.pivot_table(index="expert", columns="topic", values="value", aggfunc="first")
    count = df.pivot_table(index="expert", columns="topic", values="n_statements", aggfunc="sum")
    return value.reindex(index=experts, columns=topics), count.reindex(
        index=experts, columns=topics
    )


def plot_positions(positions: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Heatmap of experts x topics; colour = direction x certainty, numbers = statements.

    Blue leans "yes" on the topic's question, red leans "no", grey cells hold statements
    without a lean; blank cells mean the expert does not address the topic.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    value, count = position_matrix(positions)
    if value.empty:
        raise ParameterError("'positions' is empty: no expert takes a position to plot")
    # room for the expert names on the left, the rotated topic labels below and the colour bar
    name_len = max((len(textwrap.shorten(str(e), 48)) for e in value.index), default=10)
    width = 2.2 + 0.08 * name_len + 0.9 * value.shape[1]
    height = 2.4 + 0.5 * value.shape[0]
    fig, ax = plt.subplots(figsize=(max(width, 5.0), height), layout="constrained")
    data = np.ma.masked_invalid(value.to_numpy(dtype=float))
    cmap = plt.get_cmap("RdBu").with_extremes(bad="#f4f4f4")
    im = ax.imshow(data, cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    for i in range(value.shape[0]):
        for j in range(value.shape[1]):
            n = count.iat[i, j]
            if n == n and n:  # not NaN
                ax.text(j, i, f"{int(n)}", ha="center", va="center", fontsize=8)
    labels = value.columns
    if "label" in positions.columns:
        names = dict(zip(positions["topic"], positions["label"]))
        labels = [names.get(t, t) for t in value.columns]
    ax.set_xticks(range(value.shape[1]), labels, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(value.shape[0]), [textwrap.shorten(e, 48) for e in value.index])
    fig.colorbar(im, ax=ax, label="lean x certainty (-1 no, +1 yes)", shrink=0.8)
    ax.set_title(title or "Expert positions (numbers: statements)")
    return fig


def plot_quote_table(
    comparison: pd.DataFrame,
    *,
    width: int = 48,
    max_rows: int = 6,
    documents: pd.DataFrame | None = None,
) -> Figure:
    """Slide-ready table: experts leaning yes beside those leaning no, each with a quote.

    ``comparison`` is ``dprkbrief.compare(...)``; its ``attrs["question"]`` is the title.
    ``documents`` (``corpus.documents``) names each quote's document by short title and id.
    An empty comparison draws a sentence saying so instead of an empty table.
    """
    import matplotlib.pyplot as plt

    check_columns(
        "comparison",
        comparison,
        ["side", "expert", "quote", "doc_id"],
        source="dprkbrief.compare(positions, topic)",
    )
    sides = {s: comparison[comparison["side"] == s].head(max_rows) for s in ("yes", "no")}
    title = comparison.attrs.get("question", "Who agrees, who disagrees")
    if not any(len(v) for v in sides.values()):
        fig, ax = plt.subplots(figsize=(11, 1.4), layout="constrained")
        ax.axis("off")
        note = comparison.attrs.get("note") or "No expert leans yes or no on this question."
        ax.text(0.5, 0.5, note, ha="center", va="center", fontsize=10, wrap=True)
        ax.set_title(title, fontsize=11)
        return fig
    label = doc_labels(comparison["doc_id"].unique(), documents, width=30, sep=", ")
    n = max(1, *(len(v) for v in sides.values()))
    cells = []
    for i in range(n):
        row = []
        for s in ("yes", "no"):
            g = sides[s]
            if i < len(g):
                r = g.iloc[i]
                quote = textwrap.fill(f"“{r['quote']}”", width)
                row.append(f"{r['expert']} ({label[r['doc_id']]})\n{quote}")
            else:
                row.append("")
        cells.append(row)
    lines = max(c.count("\n") + 1 for row in cells for c in row)
    fig, ax = plt.subplots(figsize=(11, 0.6 + n * (0.18 * lines + 0.2)), layout="constrained")
    ax.axis("off")
    table = ax.table(
        cellText=cells, colLabels=["Leans yes", "Leans no"], cellLoc="left", loc="upper center"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    for (r, _c), cell in table.get_celld().items():
        cell.set_height((0.18 * lines + 0.2) / (0.6 + n * (0.18 * lines + 0.2)) if r else 0.08)
        cell.get_text().set_wrap(True)
        if r == 0:
            cell.set_facecolor("#e8eef7")
    ax.set_title(title, fontsize=11)
    return fig
