"""The storage policy of notebooks/*.ipynb (see dprkbrief.runner.store and
tools/store_notebook.py): outputs only on `# NBVAL_CHECK_OUTPUT` cells, a plain-literal
parameters cell, a kernelspec, no stored errors."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from dprkbrief.runner.params import parameters_cell, parse_parameters_source
from dprkbrief.runner.store import is_checked, strip_for_storage

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def policy_violations(nb) -> list[str]:
    """Every way ``nb`` breaks the storage policy (empty list = compliant)."""
    problems = []
    ks = nb.metadata.get("kernelspec", {})
    if ks.get("name") != "python3":
        problems.append(f"kernelspec name is {ks.get('name')!r}, expected 'python3'")
    if "papermill" in nb.metadata:
        problems.append("papermill metadata is stored; run tools/store_notebook.py")
    cell = parameters_cell(nb)
    if cell is None:
        problems.append("no code cell tagged 'parameters'")
    else:
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        if first_code is not cell:
            problems.append("the parameters cell is not the first code cell")
        try:
            parse_parameters_source(cell.source)
        except Exception as exc:  # the message says what is wrong
            problems.append(str(exc))
    for i, c in enumerate(nb.cells):
        tags = c.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags:
            problems.append(f"cell {i}: papermill's injected-parameters cell is stored")
        if c.cell_type != "code":
            continue
        if any(o.get("output_type") == "error" for o in c.outputs):
            problems.append(f"cell {i}: an error output is stored")
        if is_checked(c):
            if not c.outputs:
                problems.append(f"cell {i}: NBVAL_CHECK_OUTPUT cell has no stored output")
            if c.execution_count is None:
                problems.append(f"cell {i}: NBVAL_CHECK_OUTPUT cell has no execution count")
        else:
            if c.outputs:
                problems.append(f"cell {i}: outputs stored on a cell nbval does not check")
            if c.execution_count is not None:
                problems.append(f"cell {i}: execution_count stored on an unchecked cell")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_follows_storage_policy(path):
    nb = nbformat.read(path, as_version=4)
    problems = policy_violations(nb)
    fix = f"run: .venv/bin/python tools/store_notebook.py notebooks/{path.name}"
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems) + f"\n{fix}"


def _nb(*cells, kernel="python3"):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "Python 3", "language": "python"}
    nb.cells = list(cells)
    return nb


def _params(src='x = "a"\nn = 2'):
    return nbformat.v4.new_code_cell(src, metadata={"tags": ["parameters"]})


def _out(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def test_policy_accepts_a_compliant_notebook():
    checked = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)")
    checked.outputs = [_out("1\n")]
    checked.execution_count = 2
    assert policy_violations(_nb(_params(), checked, nbformat.v4.new_markdown_cell("hi"))) == []


def test_policy_flags_each_violation():
    unchecked = nbformat.v4.new_code_cell("print(2)")
    unchecked.outputs = [_out("2\n")]
    empty_checked = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(3)")
    err = nbformat.v4.new_code_cell("1/0")
    err.outputs = [
        nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])
    ]
    problems = policy_violations(
        _nb(_params("x = f(1)"), unchecked, empty_checked, err, kernel="ir")
    )
    text = "\n".join(problems)
    assert "kernelspec" in text
    assert "not a plain literal" in text
    assert "outputs stored on a cell nbval does not check" in text
    assert "has no stored output" in text
    assert "error output is stored" in text
    assert "no code cell tagged 'parameters'" in "\n".join(policy_violations(_nb()))


def test_strip_for_storage_output_follows_policy():
    """What the store tool writes passes the policy check (round trip on an executed copy)."""
    original = _nb(
        _params(),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(n)"),
        nbformat.v4.new_code_cell("print('noise')"),
    )
    executed = _nb(
        _params(),
        nbformat.v4.new_code_cell("n = 5", metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(n)"),
        nbformat.v4.new_code_cell("print('noise')"),
    )
    executed.metadata["papermill"] = {"parameters": {"n": 5}}
    for i, cell in enumerate(executed.cells, 1):
        cell.execution_count = i
        cell.metadata["papermill"] = {"duration": 0.1}
    executed.cells[2].outputs = [_out("5\n")]
    executed.cells[3].outputs = [_out("noise\n")]
    stored = strip_for_storage(executed, original)
    assert policy_violations(stored) == []
    assert [c.source for c in stored.cells] == [c.source for c in original.cells]
    assert stored.cells[1].outputs[0]["text"] == "5\n"
    assert stored.cells[1].execution_count == 2  # position among code cells, not run order
    assert stored.cells[2].outputs == []
    assert "papermill" not in stored.metadata
    assert all("papermill" not in c.metadata for c in stored.cells)


def _sanitize(text: str) -> str:
    import configparser
    import re

    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg")
    for section in cfg.sections():
        text = re.sub(cfg[section]["regex"], cfg[section]["replace"], text)
    return text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("<Figure size 640x480 with 1 Axes>", "<Figure size 1300x806 with 2 Axes>"),
        ("<Axes: title={'center': 'x'}>", "<Axes: >"),
        ("object at 0x7f3a2b1c9d00", "object at 0x55d0c0ffee00"),
        ("wrote /tmp/dprkbrief_timeline_ab12/timeline.csv", "wrote /home/u/out/timeline.csv"),
        ("took 1.23 s", "took 0.4 s"),
        ("run on 2026-11-24T08:16:44+00:00", "run on 2025-01-02 10:00:00"),
    ],
)
def test_sanitize_file_equates_volatile_text(a, b):
    assert _sanitize(a) == _sanitize(b)


def test_sanitize_file_keeps_results_distinct():
    assert _sanitize("3 documents, dated 2019-10 to 2025-02") != _sanitize(
        "4 documents, dated 2019-10 to 2025-02"
    )
    assert _sanitize("2019-02-27 summit") == "2019-02-27 summit"  # dates in results are kept


def test_store_tool_executes_and_stores_only_checked_outputs(tmp_path):
    import shutil
    import subprocess
    import sys

    nb_path = tmp_path / "greet.ipynb"
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "greet.ipynb", nb_path)
    before = nbformat.read(nb_path, as_version=4)
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "store_notebook.py"),
            str(nb_path),
            "-p",
            "repeat",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    stored = nbformat.read(nb_path, as_version=4)
    assert policy_violations(stored) == []
    assert [c.source for c in stored.cells] == [c.source for c in before.cells]
    checked = next(c for c in stored.cells if is_checked(c))
    assert checked.outputs[0]["text"] == "hello world hello world hello world 1.0 2\n"
    figure = stored.cells[-1]
    assert figure.outputs == [] and figure.execution_count is None


def test_store_tool_leaves_a_failing_notebook_untouched(tmp_path):
    import shutil
    import subprocess
    import sys

    nb_path = tmp_path / "fails.ipynb"
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "fails.ipynb", nb_path)
    before = nb_path.read_bytes()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "store_notebook.py"), str(nb_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "ValueError: boom from the fixture" in proc.stderr
    assert nb_path.read_bytes() == before


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_read_the_corpus_the_suite_gives_them(path):
    """`corpus_dir = None  # dprkbrief: corpus`: nbval and the runner tests load
    $DPRKBRIEF_CORPUS (the fixture corpus), `make run` the project's corpus/."""
    cell = parameters_cell(nbformat.read(path, as_version=4))
    marked = [p for p in parse_parameters_source(cell.source) if p.corpus]
    assert [(p.name, p.default) for p in marked] == [("corpus_dir", None)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_write_only_inside_their_run_folder(path):
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert "tempfile" not in source and "mkdtemp" not in source
    if "export_dir" in source:
        assert "output_dir(export_dir)" in source


def test_the_teaching_solution_uses_typed_outcomes():
    nb = nbformat.read(ROOT / "notebooks" / "04_teaching_session.ipynb", as_version=4)
    source = next(c.source for c in nb.cells if "# Solution 4" in c.source)
    assert '"1.0"' not in source and '"1"' not in source
    assert '{1: "held", 0: "failed"}' in source
