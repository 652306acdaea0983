"""The repository's notebook storage policy, and the tool that applies it.

Notebooks are committed with outputs ONLY on code cells whose source contains
``# NBVAL_CHECK_OUTPUT`` (the deterministic cells that state results and that nbval compares);
every other output is cleared and its execution count is None (checked cells get their
position among code cells as execution count, which nbval needs to compare them), papermill's injected-parameters cell
and papermill metadata are removed, and the original ``parameters`` cell is kept.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from dprkbrief.errors import DprkbriefError

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
INJECTED_TAG = "injected-parameters"
_VOLATILE_CELL_META = ("papermill", "execution", "collapsed", "scrolled")


class NotebookExecutionError(DprkbriefError):
    """A notebook raised an error while being executed."""


def is_checked(cell) -> bool:
    """True for a code cell whose output is stored and compared by nbval."""
    return cell.cell_type == "code" and CHECK_MARK in cell.source


def _clean_output(output, count):
    output = copy.deepcopy(output)
    if "execution_count" in output:
        output["execution_count"] = count
    return output


def strip_for_storage(executed, original=None):
    """Return the notebook to commit, from an ``executed`` notebook node.

    ``original`` (the notebook before execution) supplies cell sources and metadata, so the
    stored notebook differs from it only in the outputs of checked cells. Without it, the
    executed notebook is cleaned in place of it (injected cell dropped, metadata removed).
    """
    cells = [c for c in executed.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    base = copy.deepcopy(original if original is not None else executed)
    if original is not None:
        if len(cells) != len(base.cells):
            raise DprkbriefError(
                "the executed notebook has a different number of cells than the original; "
                "was it edited while running?"
            )
    else:
        base.cells = copy.deepcopy(cells)
    n_code = 0
    for target, source in zip(base.cells, cells):
        for key in _VOLATILE_CELL_META:
            target.metadata.pop(key, None)
        if target.cell_type != "code":
            continue
        n_code += 1
        errored = any(o.get("output_type") == "error" for o in source.outputs)
        if is_checked(target) and not errored:
            # nbval only compares cells that have an execution count; number them by their
            # position among code cells so the count does not depend on injected cells
            target.execution_count = n_code
            target.outputs = [_clean_output(o, n_code) for o in source.outputs]
        else:
            target.execution_count = None
            target.outputs = []
    base.metadata.pop("papermill", None)
    return base


def execute_notebook(
    path: str | Path,
    output_path: str | Path,
    *,
    parameters: dict[str, Any] | None = None,
    kernel_name: str = "python3",
    cwd: str | Path | None = None,
    progress_bar: bool = False,
    env: dict[str, str] | None = None,
) -> Any:
    """Execute ``path`` with papermill (cwd = its folder by default) and write ``output_path``.

    ``env`` adds environment variables to the kernel's (e.g. ``DPRKBRIEF_RUN_DIR``, where the
    notebook writes its files). Returns the executed notebook node. A failing cell raises :class:`NotebookExecutionError`
    naming the notebook, the cell and the exception; ``output_path`` is still written with
    the failing cell marked by papermill.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .kernels import kernel_manager_class

    path = Path(path)
    try:
        return pm.execute_notebook(
            str(path),
            str(output_path),
            parameters=parameters or {},
            kernel_name=kernel_name,
            cwd=str(cwd if cwd is not None else path.parent.resolve()),
            progress_bar=progress_bar,
            kernel_manager_class=kernel_manager_class(env),
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:
        raise NotebookExecutionError(
            f"{path}: cell {exc.exec_count} raised {exc.ename}: {exc.evalue}"
        ) from exc


def store_notebook(path: str | Path, *, parameters: dict[str, Any] | None = None) -> Path:
    """Execute ``path`` and write it back in place following the storage policy.

    Files the notebook writes (:func:`~dprkbrief.runner.paths.output_dir`) go to a temporary
    run folder that is removed afterwards. On an error the file is left untouched and
    :class:`NotebookExecutionError` is raised.
    """
    import tempfile

    import nbformat

    from dprkbrief.runner.params import read_notebook, validate_parameters

    path = Path(path)
    original = read_notebook(path)
    params = validate_parameters(path, parameters)
    with tempfile.TemporaryDirectory() as tmp:
        from .paths import RUN_DIR_ENV

        executed = execute_notebook(
            path,
            Path(tmp) / path.name,
            parameters=params,
            env={RUN_DIR_ENV: str(Path(tmp) / "files")},
        )
    stored = strip_for_storage(executed, original)
    nbformat.validate(stored)
    nbformat.write(stored, path)
    return path
