"""Batch runs with papermill: run folder, HTML, manifest, index, failures, grids, safety."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprkbrief.cli import main
from dprkbrief.errors import ParameterError
from dprkbrief.runner.html import index_html, notebook_to_html
from dprkbrief.runner.manifest import fingerprint
from dprkbrief.runner.paths import params_slug, safe_join, safe_name
from dprkbrief.runner.run import run_notebooks

NB = Path(__file__).parent / "fixtures" / "notebooks"
PARAMS = Path(__file__).parent / "fixtures" / "params"
PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def _no_active_payload(page: str) -> None:
    assert "<script>window.__pwned" not in page
    assert not re.search(r"<img[^>]*onerror", page, flags=re.I)


def test_run_writes_notebooks_html_manifest_and_index_and_survives_a_failure(tmp_path):
    out = tmp_path / "reports"
    result = run_notebooks(
        [NB / "fails.ipynb", NB / "greet.ipynb"],
        parameters={},
        out=out,
        progress=False,
    )
    runs = result.runs.set_index("notebook")
    assert not result.ok
    assert runs.loc["greet.ipynb", "status"] == "ok"
    assert runs.loc["fails.ipynb", "status"] == "failed"
    assert runs.loc["fails.ipynb", "error_cell"] == 2  # index in the notebook as written
    assert runs.loc["fails.ipynb", "error"] == "ValueError: boom from the fixture"
    assert runs.loc["greet.ipynb", "error_cell"] is None
    # the failing notebook is still written, with the failing cell marked; later cells unrun
    failed = json.loads((out / "fails.ipynb").read_text())
    text = json.dumps(failed)
    assert "first cell ran" in text and "boom from the fixture" in text
    third = next(c for c in failed["cells"] if "third cell ran" in "".join(c["source"]))
    assert third["outputs"] == []
    assert "papermill-error-cell-tag" in text
    # HTML of both, with the figure embedded as a data URI
    page = (out / "greet.html").read_text()
    assert "hello world hello world 1.0 2" in page
    assert "data:image/png;base64," in page
    assert (out / "fails.html").exists()
    manifest = json.loads(result.manifest.read_text())
    assert manifest["status"] == "failed"
    assert {r["notebook"]: r["status"] for r in manifest["runs"]} == {
        "fails.ipynb": "failed",
        "greet.ipynb": "ok",
    }
    err = next(r["error"] for r in manifest["runs"] if r["status"] == "failed")
    assert err["cell_index"] == 2 and err["ename"] == "ValueError"
    assert err["source_first_line"].startswith("if fail_at")
    assert manifest["versions"]["papermill"] and manifest["versions"]["python"]
    assert manifest["fingerprints"]["rules"]["sha256"]
    assert all(r["started"] <= r["finished"] for r in manifest["runs"])
    index = result.index.read_text()
    assert 'href="greet.html"' in index and 'href="fails.ipynb"' in index
    assert "1 of 2 notebooks ran without error" in index


def test_parameters_are_validated_before_any_kernel_starts(tmp_path):
    out = tmp_path / "never"
    with pytest.raises(ParameterError, match=r"unknown parameter 'nmae'[\s\S]*repeat: int = 2"):
        run_notebooks([NB / "greet.ipynb"], parameters={"nmae": "x"}, out=out, progress=False)
    with pytest.raises(ParameterError, match="invalid type for parameter 'repeat'"):
        run_notebooks([NB / "greet.ipynb"], params_file=PARAMS / "greet_bad_type.yaml", out=out)
    with pytest.raises(ParameterError, match="both as a fixed value and in the grid"):
        run_notebooks([NB / "greet.ipynb"], parameters={"name": "a"}, grid={"name": ["b"]}, out=out)
    with pytest.raises(ParameterError, match="jobs"):
        run_notebooks([NB / "greet.ipynb"], jobs=0, out=out)
    assert not out.exists()


def test_cli_grid_runs_in_parallel_into_sanitized_subfolders(tmp_path, capsys):
    out = tmp_path / "grid"
    code = main(
        [
            "run",
            str(NB / "greet.ipynb"),
            "--params",
            str(PARAMS / "greet.yaml"),
            "-p",
            "repeat",
            "1",
            "--grid",
            str(PARAMS / "grid.yaml"),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--no-progress",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed[-1] == str(out.resolve() / "index.html")
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["runs"]) == 4
    assert manifest["parameters"] == {"ratio": 1.5, "repeat": 1}
    folders = {Path(r["ipynb"]).parent.as_posix() for r in manifest["runs"]}
    assert len(folders) == 4
    root = out.resolve()
    for written in out.rglob("*"):
        assert root in written.resolve().parents
    assert not (tmp_path / "escape").exists()
    by_params = {(r["parameters"]["name"], r["parameters"]["shout"]): r for r in manifest["runs"]}
    page = (out / by_params[("alpha", True)]["html"]).read_text()
    assert "HELLO ALPHA" in page and "hello alpha" not in page


def test_cli_run_exits_nonzero_when_a_notebook_fails(tmp_path, capsys):
    code = main(["run", str(NB / "fails.ipynb"), "--out", str(tmp_path), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 1
    assert "fails.ipynb (cell 2): ValueError: boom from the fixture" in captured.err
    assert captured.out.strip().endswith("index.html")


def test_cli_run_reports_bad_parameters_with_exit_code_2(tmp_path, capsys):
    code = main(["run", str(NB / "greet.ipynb"), "-p", "repeat", "many", "--out", str(tmp_path)])
    assert code == 2
    assert "invalid type for parameter 'repeat'" in capsys.readouterr().err


def test_untrusted_text_is_inert_in_notebook_html_and_index(tmp_path):
    result = run_notebooks(
        [NB / "escape.ipynb"], parameters={"payload": PAYLOAD}, out=tmp_path, progress=False
    )
    assert result.ok
    page = (tmp_path / "escape.html").read_text()
    assert "raw html output" in page  # the HTML output is rendered, minus the payload
    assert "window.__pwned = 1" in page  # the text is still shown (escaped) ...
    _no_active_payload(page)  # ... but not as live markup
    assert "Content-Security-Policy" in page and "script-src 'none'" in page
    index = result.index.read_text()
    _no_active_payload(index)
    assert "&lt;script&gt;" in index


def test_index_html_escapes_every_field():
    manifest = {
        "started": PAYLOAD,
        "runs": [
            {
                "notebook": PAYLOAD,
                "parameters": {"doc": PAYLOAD},
                "status": "failed",
                "html": 'x" onmouseover="alert(1).html',
                "ipynb": None,
                "error": {"cell_index": 1, "ename": PAYLOAD, "evalue": PAYLOAD},
                "duration_s": 1.0,
            }
        ],
    }
    page = index_html(manifest, out_dir=".")
    _no_active_payload(page)
    assert 'onmouseover="' not in page


def test_notebook_html_sanitizes_markdown_cells():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Title " + PAYLOAD)])
    _no_active_payload(notebook_to_html(nb))


@given(st.text(min_size=0, max_size=60))
def test_safe_names_never_leave_the_root(text):
    name = safe_name(text)
    assert name not in {"", ".", ".."} and "/" not in name and "\\" not in name
    assert not name.startswith(".")
    root = Path("/tmp/reports-root")
    assert root in safe_join(root, name).parents
    assert root in safe_join(root, params_slug({"p": text, "q": [text]})).parents


def test_safe_name_keeps_plain_ids_and_separates_changed_ones():
    assert safe_name("007_0123456789abcdef") == "007_0123456789abcdef"
    assert safe_name("a/b") != safe_name("a_b")
    with pytest.raises(ParameterError, match="outside the reports directory"):
        safe_join("/tmp/reports-root", "..", "etc")


def test_fingerprint_changes_when_a_file_changes(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    first = fingerprint(tmp_path)
    assert list(first["files"]) == ["a.txt"]
    (tmp_path / "a.txt").write_text("two")
    assert fingerprint(tmp_path)["sha256"] != first["sha256"]
    assert fingerprint(tmp_path / "missing")["sha256"] is None


def test_progress_bars_show_notebooks_and_cells(tmp_path, capsys):
    run_notebooks([NB / "greet.ipynb"], out=tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "notebooks: 100%" in err and "1/1" in err
    assert re.search(r"greet: +\d+%.*cell/s", err)


def test_a_new_run_replaces_the_reports_of_the_previous_one(tmp_path):
    run_notebooks([NB / "greet.ipynb"], grid={"name": ["one"]}, out=tmp_path, progress=False)
    assert (tmp_path / "greet" / "name-one" / "greet.html").exists()
    (tmp_path / "notes.txt").write_text("mine")
    run_notebooks([NB / "greet.ipynb"], out=tmp_path, progress=False)
    assert not (tmp_path / "greet").exists()
    assert (tmp_path / "greet.html").exists()
    assert (tmp_path / "notes.txt").read_text() == "mine"  # files we did not write stay
