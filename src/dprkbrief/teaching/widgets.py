"""Classroom controls: the same view as static output (papermill, nbval, HTML reports) or,
with ``interactive=True`` in JupyterLab, as ipywidgets controls.

The static form is the DataFrame a library function returns, so batch runs stay
deterministic; the interactive form wraps that same function behind a dropdown.
"""

from __future__ import annotations

from typing import Any

from dprkbrief._validate import check_choice, check_type

COMPARE_COLUMNS = ["side", "expert", "score", "n_statements", "doc_id", "start", "end", "quote"]


def compare_table(positions, topic: str, *, topics: list[str] | None = None):
    """``dprkbrief.compare(positions, topic)`` restricted to the columns a class reads.

    Columns: ``side, expert, score, n_statements, doc_id, start, end, quote``; the topic's
    question is kept in ``attrs["question"]``. When the table is empty, ``attrs["note"]`` says
    why in a sentence: ``topic`` is not among ``topics`` (the topics ``positions`` was computed
    for), or no expert takes a side on it; otherwise ``attrs["note"]`` is "".
    """
    from dprkbrief.analysis.positions import compare

    table = compare(positions, topic)
    out = table[COMPARE_COLUMNS].reset_index(drop=True)
    out.attrs["question"] = table.attrs.get("question", "")
    note = ""
    if topics and topic not in topics:
        note = (
            f"The topic {topic!r} is not among the topics analysed ({', '.join(topics)}), so "
            f"no expert is compared on it: add {topic!r} to topics, or compare one of those."
        )
    elif out.empty:
        note = f"No expert in these documents takes a side on {topic!r}."
    out.attrs["note"] = note
    return out


def _table_html(table) -> str:
    import html

    question = html.escape(str(table.attrs.get("question", "")))
    if table.empty:
        note = html.escape(str(table.attrs.get("note") or "No expert takes a side on this topic."))
        return f"<p><b>{question}</b></p><p>{note}</p>"
    # to_html escapes every cell, so document text cannot inject markup into the widget
    return f"<p><b>{question}</b></p>" + table.to_html(index=False, escape=True)


def topic_explorer(
    positions,
    topic: str,
    *,
    topics: list[str] | None = None,
    interactive: bool = False,
) -> Any:
    """Who leans yes/no on a topic, with evidence: a table, or a dropdown over ``topics``.

    ``interactive=False`` returns :func:`compare_table` for ``topic`` (a DataFrame).
    ``interactive=True`` returns an ``ipywidgets.VBox`` (a topic dropdown over ``topics``,
    default every topic in ``positions``, above an HTML table that follows the dropdown).
    """
    check_type("topic", topic, str)
    check_type("interactive", interactive, bool)
    choices = list(topics) if topics else sorted(positions["topic"].unique())
    check_choice("topic", topic, choices)
    if not interactive:
        return compare_table(positions, topic)

    import ipywidgets as widgets

    dropdown = widgets.Dropdown(options=choices, value=topic, description="Topic")
    view = widgets.HTML(value=_table_html(compare_table(positions, topic)))

    def _update(change: dict) -> None:
        view.value = _table_html(compare_table(positions, change["new"]))

    dropdown.observe(_update, names="value")
    return widgets.VBox([dropdown, view])
