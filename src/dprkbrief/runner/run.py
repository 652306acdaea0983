"""Batch runs: execute notebooks with papermill into a run folder, with HTML and a manifest.

``run_notebooks`` validates every parameter against each notebook's ``parameters`` cell
before any kernel starts, expands a grid into one run per combination, executes the runs
(in worker processes when ``jobs > 1``, each with its own kernel), renders each executed
notebook to HTML, and writes ``manifest.json`` and ``index.html``. A failing notebook is kept
(executed notebook with the failing cell marked, HTML, error in the manifest) and the other
runs continue.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkbrief._validate import check_type
from dprkbrief.errors import ParameterError

from . import manifest as _manifest
from . import outdir as _outdir
from .kernels import (
    RunInterrupted,
    interrupt_on_sigterm,
    kernel_manager_class,
    kill_kernels,
    task_running,
)
from .params import expand_grid, load_params_file, validate_parameters
from .paths import RUN_DIR_ENV, params_slug, safe_name

DEFAULT_TIMEOUT = 600.0
FILES_SUFFIX = "_files"

SKIP_TAGS = ("injected-parameters", "papermill-error-cell-tag")
RUN_COLUMNS = [
    "notebook",
    "parameters",
    "status",
    "ipynb",
    "html",
    "error_cell",
    "error",
    "started",
    "finished",
    "duration_s",
    "files",
]


@dataclass
class RunResult:
    """The outcome of :func:`run_notebooks`.

    ``runs`` is a DataFrame with one row per executed notebook and columns ``notebook`` (file
    name), ``parameters`` (dict given to papermill), ``status`` (``ok``/``failed``/``interrupted``), ``ipynb``
    and ``html`` (paths relative to ``out``), ``error_cell`` (index of the failing cell in the
    notebook, else None), ``error`` (``"Name: message"`` or None), ``started``, ``finished``
    (ISO UTC), ``duration_s``, ``files`` (the folder, relative to ``out``, where the notebook
    wrote its own files such as exports, or None).
    """

    out: Path
    index: Path
    manifest: Path
    runs: Any = field(repr=False)

    @property
    def ok(self) -> bool:
        """True when every notebook ran without error."""
        return bool((self.runs["status"] == "ok").all())


def default_notebooks(directory: str | Path = "notebooks") -> list[Path]:
    """Every ``*.ipynb`` in ``directory`` (sorted), which ``dprkbrief run`` runs by default."""
    directory = Path(directory)
    found = sorted(p for p in directory.glob("*.ipynb") if not p.name.startswith("."))
    if not found:
        raise ParameterError(
            f"no notebooks found in {str(directory)!r}; pass notebook paths, or run from the "
            "project root where notebooks/ lives"
        )
    return found


def _plan(notebooks, parameters, grid) -> list[dict]:
    """Validate everything and return one task dict per run (no kernel started yet)."""
    tasks = []
    combos = expand_grid(grid) if grid else [{}]
    stems = [Path(nb).stem for nb in notebooks]
    for nb in notebooks:
        nb = Path(nb)
        validate_parameters(nb, parameters)
        folder = [safe_name(nb.stem)] if (grid or stems.count(nb.stem) > 1) else []
        if stems.count(nb.stem) > 1:
            folder = [safe_name(f"{nb.parent.name}_{nb.stem}")]
        for combo in combos:
            params = validate_parameters(nb, {**parameters, **combo})
            sub = [params_slug(combo)] if grid else []
            tasks.append(
                {
                    "notebook": str(nb.resolve()),
                    "parameters": params,
                    "grid": combo,
                    "folder": "/".join(folder + sub),
                }
            )
    seen = set()
    for t in tasks:
        if t["folder"] in seen and t["folder"]:
            raise ParameterError(f"two runs would write to the same folder {t['folder']!r}")
        seen.add(t["folder"])
    return tasks


def _error_info(executed) -> tuple[int | None, dict | None]:
    index = -1
    for cell in executed.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if any(t in tags for t in SKIP_TAGS):
            continue
        index += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return index, {
                    "cell_index": index,
                    "execution_count": cell.get("execution_count"),
                    "ename": out.get("ename"),
                    "evalue": out.get("evalue"),
                    "source_first_line": first,
                }
    return None, None


def _timeout_cell(ipynb: Path, seconds: float | None) -> tuple[int | None, dict]:
    """Mark the cell that was running when the time limit hit (the last one papermill
    started) with an error output, and return its index and the error record."""
    import nbformat

    nb = nbformat.read(ipynb, as_version=4) if ipynb.is_file() else nbformat.v4.new_notebook()
    index, hit = -1, None
    for cell in nb.cells:
        if any(t in cell.get("metadata", {}).get("tags", []) for t in SKIP_TAGS):
            continue
        index += 1
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            hit = (index, cell)
    limit = f"{seconds:g} s" if seconds else "the time limit"
    evalue = f"cell did not finish within {limit}; raise --timeout or make the cell faster"
    if hit is None:
        return None, {
            "cell_index": None,
            "execution_count": None,
            "ename": "CellTimeoutError",
            "evalue": evalue,
            "source_first_line": "",
        }
    i, cell = hit
    cell.setdefault("outputs", []).append(
        nbformat.v4.new_output(
            "error",
            ename="CellTimeoutError",
            evalue=evalue,
            traceback=[f"CellTimeoutError: {evalue}"],
        )
    )
    nbformat.write(nb, ipynb)
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return i, {
        "cell_index": i,
        "execution_count": cell.get("execution_count"),
        "ename": "CellTimeoutError",
        "evalue": evalue,
        "source_first_line": first,
    }


def execute_task(
    task: dict,
    out: str,
    progress: bool | dict = False,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> dict:
    """Run one task (a dict made by the planner) and return its manifest record.

    Top-level so worker processes can pickle it. Never raises for a notebook error or a cell
    that exceeds ``timeout`` seconds; KeyboardInterrupt/SIGTERM propagate after the kernel is
    shut down. The kernel gets ``$DPRKBRIEF_RUN_DIR`` = ``<run folder>/<notebook>_files``,
    where :func:`dprkbrief.runner.paths.output_dir` puts the notebook's own files.
    """
    import nbformat
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError

    from .html import write_notebook_html

    nb = Path(task["notebook"])
    root = Path(out).resolve()
    parts = [p for p in task["folder"].split("/") if p]
    target_dir = _outdir.make_dirs(root, *parts)
    stem = safe_name(nb.stem)
    ipynb = _outdir.clear_link(target_dir / (stem + ".ipynb"))
    html_path = _outdir.clear_link(ipynb.with_suffix(".html"))
    files_dir = _outdir.clear_link(target_dir / (stem + FILES_SUFFIX))
    started, t0 = _manifest.now(), time.perf_counter()
    status, error, error_cell = "ok", None, None
    try:
        with task_running():
            pm.execute_notebook(
                str(nb),
                str(ipynb),
                parameters=task["parameters"],
                kernel_name="python3",
                cwd=str(nb.parent),
                progress_bar=progress,
                execution_timeout=timeout,
                shutdown_kernel="immediate",  # the notebook is done: no graceful shutdown
                kernel_manager_class=kernel_manager_class({RUN_DIR_ENV: str(files_dir)}),
            )
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: recorded, the caller stops the run
        status = "interrupted"
        error = {
            "cell_index": None,
            "execution_count": None,
            "ename": "Interrupted",
            "evalue": "the run was interrupted (Ctrl-C or SIGTERM) while this notebook ran",
            "source_first_line": "",
        }
    except CellTimeoutError:
        status = "failed"
        error_cell, error = _timeout_cell(ipynb, timeout)
    except Exception as exc:  # a notebook error must not stop the other runs
        status = "failed"
        if ipynb.exists():
            error_cell, error = _error_info(nbformat.read(ipynb, as_version=4))
        if error is None:
            error = {
                "cell_index": None,
                "execution_count": None,
                "ename": type(exc).__name__,
                "evalue": str(exc).strip().splitlines()[-1] if str(exc).strip() else "",
                "source_first_line": "",
                "traceback": traceback.format_exception_only(exc)[-1].strip(),
            }
    finally:
        kill_kernels()  # normally none left: nbclient shut it down
    html_rel = None
    if ipynb.exists():
        try:
            write_notebook_html(ipynb, html_path)
            html_rel = html_path.relative_to(root).as_posix()
        except Exception as exc:  # rendering failure is recorded, not fatal
            status = "failed" if status == "ok" else status
            error = error or {
                "cell_index": None,
                "execution_count": None,
                "ename": type(exc).__name__,
                "evalue": f"HTML rendering failed: {exc}",
                "source_first_line": "",
            }
    has_files = files_dir.is_dir() and not files_dir.is_symlink()
    return {
        "notebook": nb.name,
        "notebook_path": str(nb),
        "parameters": task["parameters"],
        "grid": task["grid"],
        "status": status,
        "ipynb": ipynb.relative_to(root).as_posix() if ipynb.exists() else None,
        "html": html_rel,
        "files": files_dir.relative_to(root).as_posix() if has_files else None,
        "error_cell": error_cell,
        "error": error,
        "started": started,
        "finished": _manifest.now(),
        "duration_s": round(time.perf_counter() - t0, 2),
    }


def _fingerprints(tasks: list[dict]) -> dict:
    """Fingerprints of every corpus folder a task's notebook reads (see
    :func:`~dprkbrief.runner.params.corpus_parameters`) and of the shipped rule files."""
    from .params import corpus_parameters

    corpora: dict[str, str | None] = {}
    files: dict[str, dict] = {}
    for t in tasks:
        for d in corpus_parameters(t["notebook"], t["parameters"]).values():
            if str(d) not in files:
                fp = _manifest.fingerprint(d, suffixes=_manifest.CORPUS_SUFFIXES)
                files[str(d)] = fp["files"]
                corpora[str(d)] = fp["sha256"]
    return {"corpus": corpora, "corpus_files": files, "rules": _manifest.rules_fingerprint()}


def run_notebooks(
    notebooks: list[str | Path] | None = None,
    *,
    parameters: dict[str, Any] | None = None,
    params_file: str | Path | None = None,
    grid: dict[str, list] | str | Path | None = None,
    out: str | Path = "reports",
    jobs: int = 1,
    progress: bool | None = None,
    notebooks_dir: str | Path = "notebooks",
    timeout: float | None = DEFAULT_TIMEOUT,
) -> RunResult:
    """Execute notebooks into ``out`` and write HTML, ``manifest.json`` and ``index.html``.

    ``out`` belongs to the runner: it must be empty, new, or a previous run of ours (whose
    recorded reports are replaced); a folder holding the source notebooks or other files is
    refused (:class:`~dprkbrief.runner.outdir.OutputFolderError`), and no symbolic link inside
    it is followed. ``notebooks`` defaults to every notebook in ``notebooks_dir``.
    ``params_file`` (YAML) is read first, ``parameters`` override it; ``grid`` (dict or YAML
    file of name -> list of values) runs every combination, each into
    ``out/<notebook>/<name-value...>/``. All values are validated against each notebook's
    parameters cell before anything runs. ``jobs`` > 1 runs notebooks in that many worker
    processes. A cell running longer than ``timeout`` seconds (None: no limit) fails its
    notebook. ``progress`` None shows progress bars only on a terminal. On Ctrl-C or SIGTERM
    every kernel is shut down, the manifest is written with status ``interrupted`` and
    :class:`~dprkbrief.runner.kernels.RunInterrupted` is raised. Returns a :class:`RunResult`.
    """
    check_type("jobs", jobs, int)
    if jobs < 1:
        raise ParameterError(f"invalid value for 'jobs': {jobs}; give 1 or more worker processes")
    check_type("out", out, (str, Path))
    if timeout is not None:
        check_type("timeout", timeout, (int, float))
        if isinstance(timeout, bool) or timeout <= 0:
            raise ParameterError(
                f"invalid value for 'timeout': {timeout!r}; give seconds > 0 (or None: no limit)"
            )
        timeout = float(timeout)
    if progress is None:
        progress = sys.stderr.isatty()
    paths = [Path(n) for n in notebooks] if notebooks else default_notebooks(notebooks_dir)
    for p in paths:
        if not p.is_file():
            raise ParameterError(f"notebook {str(p)!r} does not exist; check the path")
        if p.suffix != ".ipynb":
            raise ParameterError(f"notebook {str(p)!r} is not an .ipynb file")
    merged: dict[str, Any] = {}
    if params_file is not None:
        merged.update(load_params_file(params_file))
    merged.update(parameters or {})
    if isinstance(grid, str | Path):
        grid = load_params_file(grid)
    if grid is not None:
        check_type("grid", grid, dict, hint="a mapping of parameter name to a list of values")
        clash = sorted(set(grid) & set(merged))
        if clash:
            raise ParameterError(
                f"parameter(s) {', '.join(clash)} given both as a fixed value and in the grid; "
                "keep one"
            )
    tasks = _plan(paths, merged, grid)

    out_dir = _outdir.claim_out_dir(out, notebooks=paths, notebooks_dir=Path(notebooks_dir))
    _remove_previous_run(out_dir)
    started = _manifest.now()
    records: list[dict | None] = [None] * len(tasks)
    interrupted: BaseException | None = None
    with interrupt_on_sigterm():
        try:
            _execute_all(
                tasks, out_dir, records, jobs=jobs, progress=bool(progress), timeout=timeout
            )
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (kernels.Terminated)
            interrupted = exc
        finally:
            kill_kernels()
        done = [r for r in records if r is not None]
        if interrupted is not None:
            status = "interrupted"
        else:
            status = "ok" if all(r["status"] == "ok" for r in done) else "failed"
        record = {
            "dprkbrief_run": 1,
            "started": started,
            "finished": _manifest.now(),
            "out": str(out_dir),
            "parameters": merged,
            "grid": grid or None,
            "jobs": jobs,
            "timeout_s": timeout,
            "versions": _manifest.versions(),
            "fingerprints": _fingerprints(tasks),
            "status": status,
            "runs": done,
            "not_run": [
                {"notebook": Path(t["notebook"]).name, "parameters": t["parameters"]}
                for t, r in zip(tasks, records)
                if r is None
            ],
        }
        from .html import index_html

        manifest_path = _outdir.write_text(
            out_dir / _outdir.MANIFEST, json.dumps(record, indent=2, default=str)
        )
        index = _outdir.write_text(out_dir / "index.html", index_html(record, out_dir=out_dir))
    if interrupted is not None:
        raise RunInterrupted(
            f"run interrupted after {len(done)} of {len(tasks)} notebooks; kernels shut down, "
            f"manifest written to {manifest_path}"
        ) from None

    import pandas as pd

    rows = [
        [
            f"{r['error']['ename']}: {r['error']['evalue']}"
            if k == "error" and r["error"]
            else (None if k == "error" else r.get(k))
            for k in RUN_COLUMNS
        ]
        for r in done
    ]
    runs = pd.DataFrame(rows, columns=RUN_COLUMNS, dtype=object)
    return RunResult(out=out_dir, index=index, manifest=manifest_path, runs=runs)


def _remove_previous_run(out_dir: Path) -> None:
    """Delete the notebooks, HTML and notebook files a previous run recorded in
    ``out_dir/manifest.json`` (and folders left empty), so the folder never mixes stale
    reports with new ones. Only paths inside ``out_dir`` are touched; links are removed,
    never followed."""
    import shutil

    data = _outdir.read_previous_manifest(out_dir)
    if data is None:
        return
    for record in data.get("runs", []):
        if not isinstance(record, dict):
            continue
        files = record.get("files")
        parts = _outdir.relative_parts(files) if isinstance(files, str) else None
        if parts:
            folder = out_dir.joinpath(*parts)
            through_link = any(
                out_dir.joinpath(*parts[: i + 1]).is_symlink() for i in range(len(parts) - 1)
            )
            if folder.is_symlink():
                folder.unlink()
            elif folder.is_dir() and not through_link:
                shutil.rmtree(folder)  # rmtree unlinks links inside, never follows them
        for key in ("ipynb", "html"):
            rel = record.get(key)
            if isinstance(rel, str):
                _outdir.remove_file(out_dir, rel)


def _execute_all(
    tasks: list[dict],
    out_dir: Path,
    results: list[dict | None],
    *,
    jobs: int,
    progress: bool,
    timeout: float | None,
) -> None:
    """Run every task, filling ``results`` in place (so an interrupt keeps what finished)."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), unit="notebook", desc="notebooks", disable=not progress)
    try:
        if jobs == 1 or len(tasks) == 1:
            for i, task in enumerate(tasks):
                cell_bar = (
                    {"desc": Path(task["notebook"]).stem, "leave": False, "position": 1}
                    if progress
                    else False
                )
                results[i] = execute_task(task, str(out_dir), cell_bar, timeout)
                bar.update(1)
                if results[i]["status"] == "interrupted":
                    raise KeyboardInterrupt
        else:
            _execute_parallel(
                tasks, out_dir, results, jobs=jobs, progress=progress, timeout=timeout, bar=bar
            )
    finally:
        bar.close()


def _execute_parallel(tasks, out_dir, results, *, jobs, progress, timeout, bar) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .kernels import worker_init

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=worker_init)
    try:
        futures = {}
        for i, task in enumerate(tasks):
            cell_bar = (
                {"desc": Path(task["notebook"]).stem, "leave": False, "position": 1 + i % jobs}
                if progress
                else False
            )
            futures[pool.submit(execute_task, task, str(out_dir), cell_bar, timeout)] = i
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            bar.update(1)
            if results[futures[fut]]["status"] == "interrupted":
                raise KeyboardInterrupt
    except BaseException:
        # workers turn SIGTERM into an interrupt and shut their kernels down
        procs = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
        raise
    else:
        pool.shutdown(wait=True)
