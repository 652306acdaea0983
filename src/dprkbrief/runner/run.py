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
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkbrief._validate import check_type
from dprkbrief.errors import ParameterError

from . import manifest as _manifest
from .params import expand_grid, load_params_file, validate_parameters
from .paths import params_slug, safe_join, safe_name

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
]


@dataclass
class RunResult:
    """The outcome of :func:`run_notebooks`.

    ``runs`` is a DataFrame with one row per executed notebook and columns ``notebook`` (file
    name), ``parameters`` (dict given to papermill), ``status`` (``ok``/``failed``), ``ipynb``
    and ``html`` (paths relative to ``out``), ``error_cell`` (index of the failing cell in the
    notebook, else None), ``error`` (``"Name: message"`` or None), ``started``, ``finished``
    (ISO UTC), ``duration_s``.
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


def execute_task(task: dict, out: str, progress: bool | dict = False) -> dict:
    """Run one task (a dict made by the planner) and return its manifest record.

    Top-level so worker processes can pickle it. Never raises for a notebook error.
    """
    import nbformat
    import papermill as pm

    from .html import write_notebook_html

    nb = Path(task["notebook"])
    target_dir = safe_join(out, *[p for p in task["folder"].split("/") if p])
    target_dir.mkdir(parents=True, exist_ok=True)
    ipynb = safe_join(target_dir, safe_name(nb.stem) + ".ipynb")
    html_path = ipynb.with_suffix(".html")
    started, t0 = _manifest.now(), time.perf_counter()
    status, error, error_cell = "ok", None, None
    try:
        pm.execute_notebook(
            str(nb),
            str(ipynb),
            parameters=task["parameters"],
            kernel_name="python3",
            cwd=str(nb.parent),
            progress_bar=progress,
        )
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
    html_rel = None
    if ipynb.exists():
        try:
            write_notebook_html(ipynb, html_path)
            html_rel = html_path.relative_to(Path(out).resolve()).as_posix()
        except Exception as exc:  # rendering failure is recorded, not fatal
            status = "failed"
            error = error or {
                "cell_index": None,
                "execution_count": None,
                "ename": type(exc).__name__,
                "evalue": f"HTML rendering failed: {exc}",
                "source_first_line": "",
            }
    return {
        "notebook": nb.name,
        "notebook_path": str(nb),
        "parameters": task["parameters"],
        "grid": task["grid"],
        "status": status,
        "ipynb": ipynb.relative_to(Path(out).resolve()).as_posix() if ipynb.exists() else None,
        "html": html_rel,
        "error_cell": error_cell,
        "error": error,
        "started": started,
        "finished": _manifest.now(),
        "duration_s": round(time.perf_counter() - t0, 2),
    }


def _fingerprints(tasks: list[dict]) -> dict:
    corpora: dict[str, str | None] = {}
    files: dict[str, dict] = {}
    for t in tasks:
        nb = Path(t["notebook"])
        value = t["parameters"].get("corpus_dir")
        if value is None:
            from .params import notebook_parameters

            declared = notebook_parameters(nb)
            hit = declared.loc[declared["name"] == "corpus_dir", "default"]
            value = hit.iloc[0] if len(hit) else None
        if not isinstance(value, str):
            continue
        d = _manifest.resolve_corpus_dir(value, nb.parent)
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
    progress: bool = True,
    notebooks_dir: str | Path = "notebooks",
) -> RunResult:
    """Execute notebooks into ``out`` and write HTML, ``manifest.json`` and ``index.html``.

    Reports of the previous run recorded in ``out/manifest.json`` are replaced.

    ``notebooks`` defaults to every notebook in ``notebooks_dir``. ``params_file`` (YAML) is
    read first, ``parameters`` override it; ``grid`` (dict or YAML file of name -> list of
    values) runs every combination, each into ``out/<notebook>/<name-value...>/``. All values
    are validated against each notebook's parameters cell before anything runs (a
    :class:`ParameterError` lists the notebook's parameters). ``jobs`` > 1 runs notebooks in
    that many worker processes. Returns a :class:`RunResult`; check ``result.ok``.
    """
    check_type("jobs", jobs, int)
    if jobs < 1:
        raise ParameterError(f"invalid value for 'jobs': {jobs}; give 1 or more worker processes")
    check_type("out", out, (str, Path))
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

    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous_run(out_dir)
    started = _manifest.now()
    records = _execute_all(tasks, out_dir, jobs=jobs, progress=progress)
    record = {
        "dprkbrief_run": 1,
        "started": started,
        "finished": _manifest.now(),
        "out": str(out_dir),
        "parameters": merged,
        "grid": grid or None,
        "jobs": jobs,
        "versions": _manifest.versions(),
        "fingerprints": _fingerprints(tasks),
        "status": "ok" if all(r["status"] == "ok" for r in records) else "failed",
        "runs": records,
    }
    from .html import index_html

    manifest_path = out_dir / "manifest.json"
    manifest_path.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(index_html(record, out_dir=out_dir), encoding="utf-8")

    import pandas as pd

    rows = [
        [
            f"{r['error']['ename']}: {r['error']['evalue']}"
            if k == "error" and r["error"]
            else (None if k == "error" else r[k])
            for k in RUN_COLUMNS
        ]
        for r in records
    ]
    runs = pd.DataFrame(rows, columns=RUN_COLUMNS, dtype=object)
    return RunResult(out=out_dir, index=index, manifest=manifest_path, runs=runs)


def _remove_previous_run(out_dir: Path) -> None:
    """Delete the notebooks and HTML a previous run recorded in ``out_dir/manifest.json``
    (and folders left empty), so the folder never mixes stale reports with new ones.
    Only files listed by a dprkbrief manifest and inside ``out_dir`` are touched."""
    old = out_dir / "manifest.json"
    if not old.is_file():
        return
    try:
        data = json.loads(old.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return
    if not isinstance(data, dict) or data.get("dprkbrief_run") != 1:
        return
    for record in data.get("runs", []):
        for key in ("ipynb", "html"):
            rel = record.get(key) if isinstance(record, dict) else None
            if not isinstance(rel, str):
                continue
            try:
                path = safe_join(out_dir, rel)
            except ParameterError:
                continue
            path.unlink(missing_ok=True)
            parent = path.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent


def _execute_all(tasks: list[dict], out_dir: Path, *, jobs: int, progress: bool) -> list[dict]:
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), unit="notebook", desc="notebooks", disable=not progress)
    results: list[dict | None] = [None] * len(tasks)
    try:
        if jobs == 1 or len(tasks) == 1:
            for i, task in enumerate(tasks):
                cell_bar = (
                    {"desc": Path(task["notebook"]).stem, "leave": False, "position": 1}
                    if progress
                    else False
                )
                results[i] = execute_task(task, str(out_dir), cell_bar)
                bar.update(1)
        else:
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
                futures = {}
                for i, task in enumerate(tasks):
                    cell_bar = (
                        {
                            "desc": Path(task["notebook"]).stem,
                            "leave": False,
                            "position": 1 + i % jobs,
                        }
                        if progress
                        else False
                    )
                    futures[pool.submit(execute_task, task, str(out_dir), cell_bar)] = i
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    bar.update(1)
    finally:
        bar.close()
    return [r for r in results if r is not None]
