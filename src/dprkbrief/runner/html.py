"""HTML renderings of executed notebooks and the ``index.html`` of a run.

Reports are static and must be safe to open even when a document contains markup: notebook
HTML is rendered by nbconvert with ``sanitize_html`` (scripts, event-handler attributes and
``javascript:`` links are removed from Markdown and HTML outputs), and every page carries a
Content-Security-Policy that forbids scripts altogether. The index escapes every name,
parameter and message it shows.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

# No script may run in a report; inline styles and embedded (data:) images are allowed.
CSP = (
    "default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline' 'self' data:; "
    "font-src data: 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


def add_csp(page: str) -> str:
    """Insert the Content-Security-Policy meta tag as the first element of ``<head>``."""
    lower = page.lower()
    i = lower.find("<head")
    if i == -1:
        return CSP_META + page
    j = page.find(">", i)
    return page[: j + 1] + "\n" + CSP_META + page[j + 1 :]


# tags a report may contain: prose, tables, figures; no script, style, form, iframe, object
SAFE_TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li ol p pre q s samp small span strong sub sup table "
    "tbody td tfoot th thead tr u ul".split()
)
SAFE_ATTRIBUTES = {
    "*": ["class", "id", "title", "lang", "dir"],
    "a": lambda tag, name, value: (
        name in ("title", "rel")
        or (name == "href" and not value.strip().lower().startswith("data:"))
    ),
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "align"],
    "th": ["colspan", "rowspan", "align", "scope"],
    "col": ["span"],
    "colgroup": ["span"],
    "ol": ["start"],
}
_DROP_BLOCKS = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)


def clean_html(fragment: Any) -> str:
    """Sanitise an HTML fragment from a markdown cell or an output.

    Replaces nbconvert's ``clean_html`` filter, whose allow-list lacks headings, paragraphs and
    table headers and therefore shows them as escaped text. Script/style blocks are dropped
    with their content; other tags outside ``SAFE_TAGS`` are stripped (their text kept,
    escaped); event-handler and style attributes are removed; links and images may only use
    http(s), mailto and (images) embedded ``data:`` URIs.
    """
    import bleach

    text = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    text = _DROP_BLOCKS.sub("", text)
    return bleach.clean(
        text,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        protocols=["http", "https", "mailto", "data"],
        strip=True,
        strip_comments=True,
    )


def notebook_to_html(nb, *, title: str | None = None) -> str:
    """Render a notebook node as a standalone, sanitized HTML page (figures embedded)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        sanitize_html=True, embed_images=True, filters={"clean_html": clean_html}
    )
    resources = {"metadata": {"name": title or "notebook"}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return add_csp(body)


def write_notebook_html(ipynb: str | Path, html_path: str | Path) -> Path:
    """Render the notebook file ``ipynb`` to ``html_path`` (a link there is replaced, never
    followed)."""
    import nbformat

    from .outdir import write_text

    nb = nbformat.read(ipynb, as_version=4)
    return write_text(Path(html_path), notebook_to_html(nb, title=Path(ipynb).stem))


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _href(path: str) -> str:
    return _e(quote(path, safe="/"))


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .35em .6em; text-align: left;
         vertical-align: top; font-size: 0.92em; }
.ok { color: #176317; font-weight: bold; } .failed { color: #a01010; font-weight: bold; }
code { background: #f4f4f4; padding: 0 .2em; } .err { color: #a01010; white-space: pre-wrap; }
"""


def index_html(manifest: dict, *, out_dir: str | Path) -> str:
    """The run's ``index.html``: one row per executed notebook with links and status.

    ``manifest`` is the dict written to ``manifest.json``; paths in it are relative to
    ``out_dir``. All text is HTML-escaped.
    """
    runs = manifest.get("runs", [])
    n_failed = sum(r["status"] != "ok" for r in runs)
    rows = []
    for r in runs:
        params = ", ".join(f"{k}={v!r}" for k, v in (r.get("parameters") or {}).items())
        links = " · ".join(
            f'<a href="{_href(r[key])}">{label}</a>'
            for key, label in (("html", "HTML"), ("ipynb", "notebook"), ("files", "files"))
            if r.get(key)
        )
        status = _e(r["status"])
        cls = "ok" if r["status"] == "ok" else "failed"
        err = ""
        if r.get("error"):
            e = r["error"]
            where = f"cell {e.get('cell_index')}" if e.get("cell_index") is not None else ""
            err = f'<div class="err">{_e(where)} {_e(e.get("ename"))}: {_e(e.get("evalue"))}</div>'
        rows.append(
            f"<tr><td>{_e(r['notebook'])}</td><td><code>{_e(params) or '—'}</code></td>"
            f'<td class="{cls}">{status}{err}</td><td>{_e(r.get("duration_s"))}</td>'
            f"<td>{links}</td></tr>"
        )
    versions = ", ".join(f"{k} {v}" for k, v in manifest.get("versions", {}).items() if v)
    corpus = manifest.get("fingerprints", {}).get("corpus", {})
    corpus_line = "; ".join(f"{_e(p)}: <code>{_e(str(d)[:16])}</code>" for p, d in corpus.items())
    rules = manifest.get("fingerprints", {}).get("rules", {}).get("sha256")
    summary = f"{len(runs) - n_failed} of {len(runs)} notebooks ran without error"
    if manifest.get("status") == "interrupted":
        n_left = len(manifest.get("not_run", []))
        summary += f"; the run was interrupted and {n_left} more did not run"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
{CSP_META}
<title>dprkbrief run {_e(manifest.get("started", ""))}</title>
<style>{_STYLE}</style></head>
<body>
<h1>dprkbrief run</h1>
<p>{_e(summary)}. Started {_e(manifest.get("started"))}, finished {_e(manifest.get("finished"))}.
Full record: <a href="manifest.json">manifest.json</a>.</p>
<table><thead><tr><th>notebook</th><th>parameters</th><th>status</th><th>seconds</th>
<th>outputs</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<h2>Inputs</h2>
<p>Corpus fingerprint (SHA-256): {corpus_line or "—"}<br>
Rule files fingerprint: <code>{_e(str(rules)[:16])}</code></p>
<p>Software: {_e(versions)}</p>
</body></html>
"""
