"""Class handouts from a teaching notebook: a student and an instructor version.

Cells tagged ``solution`` hold the answers to exercises. The student version replaces each
with an empty scaffold (the cell's ``dprkbrief.scaffold`` metadata text if present, else
``# Your answer here``; a Markdown solution becomes an empty answer prompt), drops cells tagged
``instructor`` (teaching notes) and clears every output. The instructor version keeps
everything and, by default, is executed so its HTML shows the solutions' results.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Literal

from dprkbrief._validate import check_choice, check_type
from dprkbrief.errors import ParameterError
from dprkbrief.runner.params import read_notebook
from dprkbrief.runner.paths import safe_join, safe_name

SOLUTION_TAG = "solution"
INSTRUCTOR_TAG = "instructor"
DEFAULT_SCAFFOLD = "# Your answer here\n"
MARKDOWN_SCAFFOLD = "*Your answer:*\n"


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def student_version(nb):
    """A copy of notebook node ``nb`` for students: scaffolds instead of solutions, no outputs."""
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        tags = _tags(cell)
        if INSTRUCTOR_TAG in tags:
            continue
        if SOLUTION_TAG in tags:
            scaffold = cell.metadata.get("dprkbrief", {}).get("scaffold")
            if cell.cell_type == "code":
                cell.source = scaffold or DEFAULT_SCAFFOLD
            else:
                cell.source = scaffold or MARKDOWN_SCAFFOLD
            cell.metadata["tags"] = [t for t in tags if t != SOLUTION_TAG] + ["scaffold"]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cells.append(cell)
    out.cells = cells
    out.metadata.pop("papermill", None)
    return out


def make_handout(
    notebook: str | Path,
    *,
    version: Literal["student", "instructor"],
    out: str | Path = "reports/handouts",
    execute: bool = True,
) -> dict[str, Path]:
    """Write ``<stem>_<version>.ipynb`` and ``.html`` into ``out``; return their paths.

    ``execute`` (instructor version only) runs the notebook with papermill first so the HTML
    shows results; a failing cell raises :class:`~dprkbrief.runner.store.NotebookExecutionError`.
    """
    import tempfile

    import nbformat

    from dprkbrief.runner.html import write_notebook_html
    from dprkbrief.runner.paths import RUN_DIR_ENV
    from dprkbrief.runner.store import execute_notebook, strip_for_storage

    check_choice("version", version, ("student", "instructor"))
    check_type("execute", execute, bool)
    notebook = Path(notebook)
    nb = read_notebook(notebook)
    out_dir = Path(out)
    if out_dir.resolve() == notebook.resolve().parent:
        raise ParameterError(
            f"--out {str(out)!r} is the folder of the source notebook; handouts there would be "
            "run and stored as notebooks. Give another folder, e.g. --out reports/handouts"
        )
    if version == "student":
        result = student_version(nb)
    elif execute:
        with tempfile.TemporaryDirectory() as tmp:
            executed = execute_notebook(
                notebook, Path(tmp) / notebook.name, env={RUN_DIR_ENV: str(Path(tmp) / "files")}
            )
        result = strip_for_storage(executed, None)
        for cell, done in zip(
            result.cells,
            [c for c in executed.cells if "injected-parameters" not in _tags(c)],
        ):
            if cell.cell_type == "code":  # keep every output in the instructor version
                cell.outputs = done.outputs
                cell.execution_count = done.get("execution_count")
    else:
        result = copy.deepcopy(nb)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = safe_name(f"{notebook.stem}_{version}")
    ipynb = safe_join(out_dir, stem + ".ipynb")
    if ipynb.is_symlink():  # replace a link, never write through it
        ipynb.unlink()
    nbformat.write(result, ipynb)
    html = write_notebook_html(ipynb, ipynb.with_suffix(".html"))
    return {"ipynb": ipynb, "html": html}
