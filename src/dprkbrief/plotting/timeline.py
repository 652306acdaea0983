"""Timeline figures: events and mentions from 1950 to today, and "looks back / looks ahead".

Both take the DataFrame of ``dprkbrief.timeline(corpus)`` and return a matplotlib Figure.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from .._validate import as_str_list, check_columns, check_type
from ..errors import ParameterError
from ._labels import doc_labels

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

ANCHORS = ["pueblo_seizure", "agreed_framework", "hanoi_summit", "kursk_deployment"]
ERA_FONTSIZE = 8
PRECISION_MARKERS = {"day": "o", "month": "s", "year": "D", "decade": "^", "century": "^"}
_SOURCE = "dprkbrief.timeline(corpus)"
_TL_COLUMNS = ["event_id", "label", "date", "precision", "kind", "doc_id", "date_start"]


def _year(iso: str | None, *, upper: bool = False) -> float | None:
    """Decimal year of the start (or end) of an ISO/TIMEX date interval."""
    from ..events.dates import interval

    iv = interval(iso) if isinstance(iso, str) else None
    if iv is None:
        return None
    d = iv[1] + _dt.timedelta(days=1) if upper else iv[0]
    return d.year + (d.timetuple().tm_yday - 1) / 365.25


def _compressed_scale(ax, split: float, factor: float) -> None:
    """Years before ``split`` take ``factor`` of the width of later years."""

    def fwd(x):
        import numpy as np

        x = np.asarray(x, dtype=float)
        return np.where(x >= split, x, split - (split - x) * factor)

    def inv(y):
        import numpy as np

        y = np.asarray(y, dtype=float)
        return np.where(y >= split, y, split - (split - y) / factor)

    ax.set_xscale("function", functions=(fwd, inv))


def plot_timeline(
    tl: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    eras: pd.DataFrame | None = None,
    highlight: list[str] | None = None,
    start: int = 1950,
    end: int | None = None,
    split: int = 2000,
    compress: float = 0.3,
    documents: pd.DataFrame | None = None,
) -> Figure:
    """Catalog events (spans as bars, points as diamonds) above one row of mention markers per
    document, from ``start`` to ``end`` (default: next year).

    Marker shape shows the precision of the date (o day, s month, D year, ^ decade) and a
    thin bar its interval; ``highlight`` event_ids (default: the four anchor events) get a
    labelled vertical line; eras are shaded. Years before ``split`` are compressed by
    ``compress`` so seventy years read well on one axis. ``documents`` (``corpus.documents``)
    labels the document rows by short title (with the id below); without it, by id.
    """
    import matplotlib.pyplot as plt

    from ..events.catalog import load_eras, load_events

    check_columns("tl", tl, _TL_COLUMNS, source=_SOURCE)
    check_type("start", start, int)
    end = _dt.date.today().year + 1 if end is None else check_type("end", end, int)
    if start >= end:
        raise ParameterError(f"invalid values: start {start} must be before end {end}")
    events = load_events(events)
    if highlight is None:  # the anchor events this catalog has
        highlight = [a for a in ANCHORS if a in set(events["event_id"])]
    else:
        highlight = as_str_list("highlight", highlight)
    eras = load_eras() if eras is None else eras
    docs = sorted(tl["doc_id"].unique())
    row_label = doc_labels(docs, documents, sep=" · ")
    cats = list(dict.fromkeys(events["category"]))
    cmap = plt.get_cmap("tab10")
    cat_color = {c: cmap(i % 10) for i, c in enumerate(cats)}
    doc_color = {d: plt.get_cmap("Dark2")(i % 8) for i, d in enumerate(docs)}

    n_rows = len(cats) + len(docs)
    fig, ax = plt.subplots(figsize=(13, 0.42 * n_rows + 2.6))
    _compressed_scale(ax, split, compress)
    import textwrap

    near_end = end - max(4.0, 0.2 * (end - max(start, split)))
    for i, e in enumerate(eras.itertuples(index=False)):
        a, b = _year(e.date_start), _year(e.date_end, upper=True)
        if a is None or b is None or b <= start or a >= end:
            continue
        ax.axvspan(a, b, color="0.5" if i % 2 else "0.8", alpha=0.12, lw=0)
        # an era starting near the right edge is labelled leftwards from its visible end
        left, right = max(a, start), min(b, end)
        at_end = left > near_end
        ax.text(
            right - 0.2 if at_end else left + 0.2,
            n_rows - 0.35 + 0.45 * (i % 2),
            textwrap.fill(e.label, 14),
            fontsize=ERA_FONTSIZE,
            color="0.3",
            ha="right" if at_end else "left",
            va="bottom",
            gid=f"era:{e.era_id}",
        )
    # catalog events, one row per category (top)
    y_of_cat = {c: n_rows - 1 - i for i, c in enumerate(cats)}
    for e in events.itertuples(index=False):
        y = y_of_cat[e.category]
        a, b = _year(e.date_start), _year(e.date_end, upper=True)
        if e.date_start != e.date_end:
            ax.plot(
                [a, b], [y, y], lw=6, color=cat_color[e.category], alpha=0.55, solid_capstyle="butt"
            )
        else:
            ax.plot([_year(e.date)], [y], marker="d", ms=6, color=cat_color[e.category])
    # mentions, one row per document (bottom)
    y_of_doc = {d: len(docs) - 1 - i for i, d in enumerate(docs)}
    for r in tl.itertuples(index=False):
        x = _year(r.date_start)
        if x is None:
            continue
        y = y_of_doc[r.doc_id]
        x2 = _year(getattr(r, "date_end", None), upper=True)
        if x2 is not None and x2 - x > 0.1:
            ax.plot([x, x2], [y, y], lw=1.2, color=doc_color[r.doc_id], alpha=0.5)
        filled = r.kind == "catalog"
        ax.plot(
            [x],
            [y],
            marker=PRECISION_MARKERS.get(r.precision, "o"),
            ms=7,
            color=doc_color[r.doc_id],
            mfc=doc_color[r.doc_id] if filled else "white",
            alpha=0.8,
            ls="none",
        )
    # anchors
    labels = dict(zip(events["event_id"], events["label"]))
    starts = dict(zip(events["event_id"], events["date_start"]))
    xs, names = [], []
    for eid in highlight:
        if eid not in starts:
            raise ParameterError(
                f"invalid value in 'highlight': unknown event_id {eid!r}; see load_events()"
            )
        xs.append(_year(starts[eid]))
        names.append(labels[eid])
        ax.axvline(xs[-1], color="crimson", lw=1, ls="--", alpha=0.8)
    for x, name in zip(xs, names):
        ax.text(
            x,
            1.01,
            name,
            transform=ax.get_xaxis_transform(),
            rotation=25,
            ha="left",
            va="bottom",
            fontsize=8,
            color="crimson",
        )
    ax.set_yticks(
        [y_of_cat[c] for c in cats] + [y_of_doc[d] for d in docs],
        [f"event: {c}" for c in cats] + [f"doc: {row_label[d]}" for d in docs],
        fontsize=8,
    )
    ax.axhline(len(docs) - 0.5, color="0.3", lw=0.8)
    ticks = [t for t in range(start - start % 10, split, 10)] + list(
        range(split, end + 1, 5 if end - split > 15 else 2)
    )
    ax.set_xticks([t for t in ticks if start <= t <= end])
    ax.set_xlim(start, end)
    ax.set_ylim(-0.7, n_rows + 1.6)
    ax.set_xlabel(
        f"year (before {split} compressed x{compress}).  Top: catalog events by category "
        "(bars = spans).\nBottom: mentions per document (filled = catalog event, open = other "
        "dated mention; marker o day, s month, D year precision; thin bar = date interval)",
        fontsize=8,
    )
    fig.tight_layout()
    return fig


def plot_lookback(
    tl: pd.DataFrame,
    *,
    eras: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
) -> Figure:
    """Per document, how far back (left) or ahead (right) of its own date its mentions lie,
    coloured by era. The x axis is symmetric-log years, so decades back and months ahead both
    read. Documents without a date are listed with no markers. ``documents``
    (``corpus.documents``) labels the rows by short title (id below); without it, by id."""
    import matplotlib.pyplot as plt

    from ..analysis.timeline import mention_offsets
    from ..events.catalog import load_eras

    check_columns("tl", tl, _TL_COLUMNS + ["doc_date", "date_end", "seg_id"], source=_SOURCE)
    eras = load_eras() if eras is None else eras
    offs = mention_offsets(tl, eras=eras)
    docs = sorted(offs["doc_id"].unique()) if len(offs) else []
    row_label = doc_labels(docs, documents)
    era_ids = list(eras["era_id"]) + ["other"]
    era_label = dict(zip(eras["era_id"], eras["label"])) | {"other": "other"}
    cmap = plt.get_cmap("viridis")
    color = {e: cmap(i / max(1, len(era_ids) - 1)) for i, e in enumerate(era_ids)}
    fig, ax = plt.subplots(figsize=(11, 0.7 * max(1, len(docs)) + 1.8))
    seen = set()
    for i, d in enumerate(docs):
        g = offs[(offs["doc_id"] == d) & offs["offset"].notna()]
        for k, r in enumerate(g.itertuples(index=False)):
            lab = era_label[r.era_id] if r.era_id not in seen else None
            seen.add(r.era_id)
            jitter = ((k % 5) - 2) * 0.06
            ax.plot(
                [float(r.offset)], [i + jitter], "o", color=color[r.era_id], alpha=0.8, label=lab
            )
        date = offs.loc[offs["doc_id"] == d, "doc_date"].iloc[0]
        back = int((g["offset"].astype(float) < -0.5).sum())
        ahead = int((g["offset"].astype(float) > 0.5).sum())
        ax.text(
            1.01,
            i,
            f"{back} back / {ahead} ahead",
            transform=ax.get_yaxis_transform(),
            fontsize=8,
            va="center",
        )
        if date is None:
            ax.text(0, i, "no document date", ha="center", va="center", fontsize=8)
    ax.axvline(0, color="black", lw=1)
    ax.set_xscale("symlog", linthresh=2)
    ticks = [-75, -50, -25, -10, -5, -2, -1, 0, 1, 2, 5, 10]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlim(-100, 12)
    ax.set_yticks(
        range(len(docs)),
        [
            f"{row_label[d]}\n({offs.loc[offs['doc_id'] == d, 'doc_date'].iloc[0] or 'no date'})"
            for d in docs
        ],
        fontsize=8,
    )
    ax.set_ylim(-0.7, len(docs) - 0.3)
    ax.set_xlabel("years from the document's own date (left: looks back, right: looks ahead)")
    ax.set_title(
        "Which eras each document refers to, relative to its publication date", fontsize=10
    )
    if seen:
        handles, names = ax.get_legend_handles_labels()
        order = sorted(
            range(len(names)),
            key=lambda k: era_ids.index(next(e for e in era_ids if era_label[e] == names[k])),
        )
        ax.legend(
            [handles[k] for k in order],
            [names[k] for k in order],
            fontsize=7,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.25),
            ncol=3,
            frameon=False,
        )
    fig.tight_layout()
    return fig
