"""Student and instructor handouts of a teaching notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from dprkbrief.cli import main
from dprkbrief.errors import ParameterError
from dprkbrief.teaching.handout import make_handout, student_version

CLASS = Path(__file__).parent / "fixtures" / "notebooks" / "class.ipynb"


def _executed_copy():
    nb = nbformat.read(CLASS, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="out\n")]
            cell.execution_count = 1
    nb.cells.append(
        nbformat.v4.new_markdown_cell("Teaching note: stop here", metadata={"tags": ["instructor"]})
    )
    return nb


def test_student_version_replaces_solutions_and_clears_outputs():
    nb = _executed_copy()
    student = student_version(nb)
    sources = [c.source for c in student.cells]
    assert not any("Solution" in s or "max(values)" in s for s in sources)
    scaffolds = [c for c in student.cells if "scaffold" in c.metadata.get("tags", [])]
    assert len(scaffolds) == 2
    assert all(c.source == "# Your answer here\n" for c in scaffolds)
    assert all(
        c.outputs == [] and c.execution_count is None for c in student.cells if "outputs" in c
    )
    assert not any("Teaching note" in s for s in sources)
    # everything else is untouched, and the original is not modified
    assert sum("solution" in c.metadata.get("tags", []) for c in nb.cells) == 2
    assert len(student.cells) == len(nb.cells) - 1
    assert "interactive = False" in sources[1]


def test_custom_scaffold_from_cell_metadata():
    nb = nbformat.read(CLASS, as_version=4)
    sol = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []))
    sol.metadata["dprkbrief"] = {"scaffold": "best = ...  # fill in\n"}
    student = student_version(nb)
    assert "best = ...  # fill in\n" in [c.source for c in student.cells]


def test_make_student_handout_writes_ipynb_and_html(tmp_path):
    paths = make_handout(CLASS, version="student", out=tmp_path)
    assert paths["ipynb"] == (tmp_path / "class_student.ipynb").resolve()
    nb = nbformat.read(paths["ipynb"], as_version=4)
    assert not any("max(values)" in c.source for c in nb.cells)
    page = paths["html"].read_text()
    assert "Your answer here" in page and "max(values)" not in page


def test_instructor_handout_is_executed_and_keeps_solutions(tmp_path, capsys):
    assert main(["handout", str(CLASS), "--instructor", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed[0].endswith("class_instructor.ipynb") and printed[1].endswith(".html")
    nb = nbformat.read(printed[0], as_version=4)
    sol = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert [c.outputs[0]["text"] for c in sol] == ["3\n", "[3, 2, 1]\n"]
    assert "papermill" not in nb.metadata
    assert "[3, 2, 1]" in Path(printed[1]).read_text()


def test_handout_version_is_validated(tmp_path):
    with pytest.raises(ParameterError, match="invalid value for 'version'"):
        make_handout(CLASS, version="teacher", out=tmp_path)
    with pytest.raises(ParameterError, match="does not exist"):
        make_handout(tmp_path / "none.ipynb", version="student", out=tmp_path)


def test_handouts_are_not_written_beside_the_source_notebook(tmp_path):
    src = tmp_path / "class.ipynb"
    src.write_bytes(CLASS.read_bytes())
    with pytest.raises(ParameterError, match="folder of the source notebook"):
        make_handout(src, version="student", out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.ipynb"]
