"""Figures for expert positions: an experts x topics chart (lean as colour, certainty as
circle size) and a side-by-side quote table."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

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
    m = position_matrices(positions)
    return m["direction"] * m["certainty"], m["count"]


def position_matrices(positions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Experts x topics matrices of a positions table: ``lean`` (certainty-weighted mean
    direction, -1..+1: ``score / mean_certainty``, else ``direction``), ``direction``,
    ``certainty`` (mean certainty of the cells) and ``count`` (cells behind each position)."""
    check_columns(
        "positions",
        positions,
        ["expert", "topic", "direction", "mean_certainty"],
        source="dprkbrief.positions(corpus)",
    )
    df = positions.assign(_lean=positions["direction"].astype(float))
    if "score" in positions.columns:
        cert = positions["mean_certainty"].where(positions["mean_certainty"] > 0)
        df["_lean"] = (positions["score"] / cert).clip(-1, 1).fillna(df["_lean"])
    if "n_statements" not in df.columns:
        df["n_statements"] = 1
    topics = list(dict.fromkeys(df["topic"]))
    experts = sorted(dict.fromkeys(df["expert"]), key=str.casefold)
    out = {}
    for name, col, agg in (
        ("lean", "_lean", "first"),
        ("direction", "direction", "first"),
        ("certainty", "mean_certainty", "first"),
        ("count", "n_statements", "sum"),
    ):
        table = df.pivot_table(index="expert", columns="topic", values=col, aggfunc=agg)
        out[name] = table.reindex(index=experts, columns=topics)
    return out


CERTAINTY_KEY = (0.25, 0.5, 0.75, 1.0)


def _area(certainty: Any, largest: float) -> Any:
    """Marker area (points^2) for a certainty 0-1: area grows with certainty."""
    return largest * (0.08 + 0.92 * certainty)


def plot_positions(positions: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Experts x topics: colour = lean, circle size = certainty, numbers = statements.

    Blue leans "yes" on the topic's question, red leans "no", white holds statements without
    a lean; a large circle is a confident position, a small one a hedged one (key below the
    plot); blank cells mean the expert does not address the topic.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.lines import Line2D

    m = position_matrices(positions)
    lean, cert, count = m["lean"], m["certainty"], m["count"]
    if lean.empty:
        raise ParameterError("'positions' is empty: no expert takes a position to plot")
    # room for the expert names on the left, the rotated topic labels below and the colour bar
    name_len = max((len(textwrap.shorten(str(e), 48)) for e in lean.index), default=10)
    width = 2.2 + 0.08 * name_len + 0.9 * lean.shape[1]
    height = 3.0 + 0.5 * lean.shape[0]
    fig, ax = plt.subplots(figsize=(max(width, 5.0), height), layout="constrained")
    cmap = plt.get_cmap("RdBu")
    largest = 520.0
    ys, xs = np.nonzero(~np.isnan(lean.to_numpy(dtype=float)))
    vals = lean.to_numpy(dtype=float)[ys, xs]
    sizes = _area(np.nan_to_num(cert.to_numpy(dtype=float)[ys, xs]), largest)
    ax.set_facecolor("#f4f4f4")
    sc = ax.scatter(
        xs, ys, s=sizes, c=vals, cmap=cmap, vmin=-1, vmax=1, edgecolors="#555555", linewidths=0.6
    )
    for y, x, v in zip(ys, xs, vals):
        n = count.iat[y, x]
        if n == n and n:  # not NaN
            colour = "white" if abs(v) > 0.55 else "black"
            ax.text(x, y, f"{int(n)}", ha="center", va="center", fontsize=7, color=colour)
    labels = lean.columns
    if "label" in positions.columns:
        names = dict(zip(positions["topic"], positions["label"]))
        labels = [names.get(t, t) for t in lean.columns]
    ax.set_xticks(range(lean.shape[1]), labels, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(lean.shape[0]), [textwrap.shorten(e, 48) for e in lean.index])
    ax.set_xlim(-0.6, lean.shape[1] - 0.4)
    ax.set_ylim(lean.shape[0] - 0.4, -0.6)
    fig.colorbar(sc, ax=ax, label="lean (-1 no, +1 yes)", shrink=0.8)
    key = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor="#555555",
            markersize=float(np.sqrt(_area(c, largest))),
            label=f"{c:.2f}",
        )
        for c in CERTAINTY_KEY
    ]
    fig.legend(
        handles=key,
        title="mean certainty (circle size)",
        loc="outside lower center",
        ncol=len(key),
        fontsize=7,
        title_fontsize=8,
        frameon=False,
    )
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
