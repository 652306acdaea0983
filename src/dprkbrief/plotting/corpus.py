"""Figures for the corpus tour: document structure and speaker shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._validate import check_columns
from ._labels import doc_labels

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

KIND_COLORS = {
    "title": "#222222",
    "heading": "#555555",
    "body": "#4C78A8",
    "question": "#F58518",
    "bullet": "#72B7B2",
    "list_item": "#72B7B2",
    "caption": "#B279A2",
    "credit": "#B279A2",
    "pull_quote": "#E45756",
    "byline": "#9D755D",
    "bio": "#9D755D",
    "metadata": "#BAB0AC",
    "separator": "#DDDDDD",
    "boilerplate": "#DDDDDD",
    "speaker_label": "#000000",
}


def plot_structure(
    paragraphs: pd.DataFrame,
    turns: pd.DataFrame | None = None,
    *,
    documents: pd.DataFrame | None = None,
) -> Figure:
    """A strip per document: paragraphs coloured by kind along the text, turns by speaker.

    ``paragraphs`` is ``corpus.segments("paragraph")`` (one or more documents); ``turns`` is
    ``corpus.segments("turn")`` for the same documents. ``documents`` (``corpus.documents``)
    titles each strip by the document's short title (id below); without it, by id.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    check_columns(
        "paragraphs",
        paragraphs,
        ["doc_id", "start", "end", "kind"],
        source='corpus.segments("paragraph")',
    )
    docs = list(dict.fromkeys(paragraphs["doc_id"]))
    row_label = doc_labels(docs, documents, width=28)
    rows = 2 if turns is not None else 1
    fig, axes = plt.subplots(
        len(docs) * rows, 1, figsize=(11, 0.9 * rows * len(docs) + 1.2), squeeze=False
    )
    speakers = sorted(set(turns["speaker"].dropna())) if turns is not None else []
    cmap = plt.get_cmap("tab10")
    spk_color = {s: cmap(i % 10) for i, s in enumerate(speakers)}
    for i, doc in enumerate(docs):
        ax = axes[i * rows][0]
        sub = paragraphs[paragraphs["doc_id"] == doc]
        ax.broken_barh(
            list(zip(sub["start"], sub["end"] - sub["start"])),
            (0, 1),
            facecolors=[KIND_COLORS.get(k, "#999999") for k in sub["kind"]],
        )
        ax.set_yticks([0.5], [f"{row_label[doc]}\nparagraphs"], fontsize=8)
        ax.set_xlim(0, max(sub["end"].max(), 1))
        ax.tick_params(axis="x", labelsize=7)
        if turns is not None:
            ax2 = axes[i * rows + 1][0]
            t = turns[(turns["doc_id"] == doc) & turns["speaker"].notna()]
            ax2.broken_barh(
                list(zip(t["start"], t["end"] - t["start"])),
                (0, 1),
                facecolors=[spk_color[s] for s in t["speaker"]],
            )
            ax2.set_xlim(ax.get_xlim())
            ax2.set_yticks([0.5], ["turns"], fontsize=8)
            ax2.tick_params(axis="x", labelsize=7)
    kinds = list(dict.fromkeys(paragraphs["kind"]))
    handles = [Patch(color=KIND_COLORS.get(k, "#999999"), label=k) for k in kinds]
    handles += [Patch(color=c, label=s) for s, c in spk_color.items()]
    fig.legend(
        handles=handles, loc="lower center", ncol=min(8, len(handles)), fontsize=8, frameon=False
    )
    axes[-1][0].set_xlabel("character offset")
    fig.suptitle("Document structure: paragraph kinds and speaker turns")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def plot_speaker_shares(shares: pd.DataFrame, *, documents: pd.DataFrame | None = None) -> Figure:
    """Horizontal bars: words spoken per speaker in each document (from ``speaker_shares``).

    ``documents`` (``corpus.documents``) names documents by short title and id; else by id.
    """
    import matplotlib.pyplot as plt

    check_columns(
        "shares",
        shares,
        ["doc_id", "speaker", "n_words"],
        source="dprkbrief.speaker_shares(corpus)",
    )
    row_label = doc_labels(shares["doc_id"].unique(), documents, width=30, sep=" · ")
    data = shares.assign(
        label=shares["doc_id"].map(row_label) + " — " + shares["speaker"].fillna("(no speaker)")
    )
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(data) + 1.2))
    ax.barh(data["label"], data["n_words"], color="#4C78A8")
    for y, (n, share) in enumerate(zip(data["n_words"], data.get("share", data["n_words"]))):
        ax.text(
            n, y, f" {n} ({share:.0%})" if "share" in data else f" {n}", va="center", fontsize=8
        )
    ax.invert_yaxis()
    ax.set_xlabel("words of prose")
    ax.set_title("Who speaks how much")
    fig.tight_layout()
    return fig
