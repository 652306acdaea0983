"""HTML reports: readable (headings, tables, figures survive) and safe (no script runs)."""

from __future__ import annotations

import nbformat

from dprkbrief.runner.html import clean_html, notebook_to_html


def _notebook(html_output: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A heading\n\nA paragraph with **bold** text."),
        nbformat.v4.new_code_cell(
            "df",
            outputs=[
                nbformat.v4.new_output(
                    "execute_result", data={"text/html": html_output}, execution_count=1
                )
            ],
        ),
    ]
    return nb


def test_headings_paragraphs_and_tables_render_as_html_not_text():
    import pandas as pd

    table = pd.DataFrame({"quote": ["<script>alert(1)</script> said X"]}).to_html()
    page = notebook_to_html(_notebook(table))
    assert "<h1" in page and "&lt;h1" not in page
    assert "<p>A paragraph with <strong>bold</strong> text.</p>" in page
    assert "<th>" in page and "&lt;th" not in page
    assert "&lt;style" not in page and "&lt;table" not in page
    # document text inside the table stays escaped text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; said X" in page


def test_clean_html_removes_active_content():
    dirty = (
        '<p onclick="x()">hi</p><img src=x onerror="alert(1)"><script>alert(2)</script>'
        '<a href="javascript:alert(3)">j</a><a href="data:text/html,boom">d</a>'
        '<iframe src="https://example.org"></iframe><style>p{color:red}</style>'
        '<img src="data:image/png;base64,AAAA" alt="fig">'
    )
    out = clean_html(dirty)
    for bad in (
        "onclick",
        "onerror",
        "<script",
        "alert(2)",
        "javascript:",
        "data:text",
        "<iframe",
        "color:red",
    ):
        assert bad not in out, bad
    assert '<img src="data:image/png;base64,AAAA" alt="fig">' in out
    assert "<p>hi</p>" in out
