"""Notebook parameters: read a notebook's ``parameters`` cell, type and validate values.

The ``parameters`` cell holds plain assignments of literals (``name = "text"``, ``n = 3``,
``flag = False``, ``docs = []``). Values given on the command line are typed like papermill
does (``True``/``False``/``None``, int, float, else str); values from YAML keep their YAML type.
Validation happens before any kernel starts, so a typo costs a second, not a notebook run.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprkbrief.errors import ParameterError

PARAMETERS_TAG = "parameters"
# a comment containing this on a parameter's line declares that it names a corpus folder
CORPUS_MARK = "dprkbrief: corpus"
PLAIN_TYPES = (str, int, float, bool, list)


@dataclass(frozen=True)
class NotebookParameter:
    """One assignment of a notebook's ``parameters`` cell."""

    name: str
    type: str  # "str" | "int" | "float" | "bool" | "list" | "NoneType"
    default: Any
    line: int
    corpus: bool = False  # the line carries the ``# dprkbrief: corpus`` comment


def read_notebook(path: str | Path):
    """Read an ``.ipynb`` file with nbformat; a clear error when it is missing or not JSON."""
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"notebook {str(path)!r} does not exist; give the path of an .ipynb")
    try:
        return nbformat.read(path, as_version=4)
    except (ValueError, json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise ParameterError(f"notebook {str(path)!r} is not a valid .ipynb file: {exc}") from None


def parameters_cell(nb) -> Any | None:
    """The first code cell tagged ``parameters`` of a notebook node, or None."""
    for cell in nb.cells:
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def parse_parameters_source(source: str, *, where: str = "parameters cell") -> list:
    """Parse the source of a parameters cell into :class:`NotebookParameter` items.

    Every statement must be ``name = <literal>`` (comments allowed); anything else raises a
    :class:`ParameterError` naming the line, because the runner could not know its type.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{where}: not valid Python ({exc.msg}, line {exc.lineno})") from None
    params = []
    lines = source.splitlines()
    for stmt in tree.body:
        target = None
        value_node = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value_node = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value_node = stmt.target, stmt.value
        if not isinstance(target, ast.Name):
            raise ParameterError(
                f"{where}, line {stmt.lineno}: only 'name = literal' assignments are allowed "
                "in a parameters cell; move other code to the next cell"
            )
        try:
            value = ast.literal_eval(value_node)
        except ValueError:
            raise ParameterError(
                f"{where}, line {stmt.lineno}: the value of {target.id!r} is not a plain literal "
                "(str, int, float, bool, list or None); compute it in the next cell"
            ) from None
        if value is not None and not isinstance(value, PLAIN_TYPES):
            raise ParameterError(
                f"{where}, line {stmt.lineno}: {target.id!r} has type {type(value).__name__}; "
                "parameters must be str, int, float, bool, list or None"
            )
        end = getattr(stmt, "end_lineno", None) or stmt.lineno
        marked = any(CORPUS_MARK in lines[i - 1] for i in range(stmt.lineno, end + 1))
        params.append(
            NotebookParameter(target.id, type(value).__name__, value, stmt.lineno, marked)
        )
    return params


def notebook_parameters(notebook: str | Path):
    """The parameters a notebook declares, as a DataFrame.

    Columns: ``name``, ``type`` (``str``/``int``/``float``/``bool``/``list``/``NoneType``),
    ``default`` (the literal in the cell), ``line`` (1-based line in the cell).
    A notebook without a ``parameters`` cell gives an empty table.
    """
    import pandas as pd

    items = _declared(notebook)
    return pd.DataFrame(
        [(p.name, p.type, p.default, p.line) for p in items],
        columns=["name", "type", "default", "line"],
    )


def _declared(notebook) -> list:
    nb = read_notebook(notebook) if isinstance(notebook, str | Path) else notebook
    cell = parameters_cell(nb)
    if cell is None:
        return []
    where = f"parameters cell of {str(notebook)!r}" if isinstance(notebook, str | Path) else None
    return parse_parameters_source(cell.source, where=where or "parameters cell")


def _is_corpus_folder(path: Path) -> bool:
    if not path.is_dir():
        return False
    if (path / "catalog.toml").is_file():
        return True
    return any(p.suffix.lower() in (".txt", ".md") for p in path.iterdir() if p.is_file())


def corpus_parameters(notebook: str | Path, parameters: dict[str, Any] | None = None) -> dict:
    """The parameters of ``notebook`` that name a corpus folder, with the folder each names.

    A parameter counts when its line in the parameters cell carries the comment
    ``# dprkbrief: corpus`` (its value may then be None: the default corpus, see
    :func:`dprkbrief.corpus.io.locate_corpus`), or when its value (given in ``parameters``,
    else the default) is a string naming an existing folder of ``.txt``/``.md`` documents or
    with a ``catalog.toml``. Relative folders resolve from the notebook's folder, as the
    notebook's ``load_corpus`` resolves them. Returns ``{name: resolved Path}``.
    """
    from dprkbrief.corpus.io import locate_corpus

    notebook = Path(notebook)
    given = dict(parameters or {})
    found: dict[str, Path] = {}
    for p in _declared(notebook):
        value = given.get(p.name, p.default)
        if value is not None and not isinstance(value, str | Path):
            continue
        if p.corpus:
            found[p.name] = locate_corpus(value or None, cwd=notebook.parent).resolve()
        elif isinstance(value, str) and value.strip():
            folder = locate_corpus(value, cwd=notebook.parent)
            if _is_corpus_folder(folder):
                found[p.name] = folder.resolve()
    return found


def resolve_value(text: str) -> Any:
    """Type a command-line value like papermill: True/False/None, int, float, else str."""
    if text == "True":
        return True
    if text == "False":
        return False
    if text == "None":
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _describe(params: list) -> str:
    if not params:
        return "  (this notebook has no parameters cell)"
    return "\n".join(f"  {p.name}: {p.type} = {p.default!r}" for p in params)


def _compatible(declared: str, value: Any) -> bool:
    if declared == "NoneType" or value is None:
        return True
    if declared == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if declared == "float":
        return isinstance(value, int | float)
    if declared == "int":
        return isinstance(value, int)
    if declared == "str":
        return isinstance(value, str)
    if declared == "list":
        return isinstance(value, list | tuple)
    return False


def validate_parameters(notebook, parameters: dict[str, Any] | None) -> dict[str, Any]:
    """Check ``parameters`` against the notebook's ``parameters`` cell and return them.

    An unknown name, or a value whose type does not match the default's type, raises a
    :class:`ParameterError` listing every parameter with its type and default. ``int`` values
    are accepted (and converted) for ``float`` parameters; tuples become lists.
    """
    parameters = dict(parameters or {})
    declared = {p.name: p for p in _declared(notebook)}
    name = str(notebook) if isinstance(notebook, str | Path) else "the notebook"
    out: dict[str, Any] = {}
    for key, value in parameters.items():
        if key not in declared:
            raise ParameterError(
                f"unknown parameter {key!r} for {name}; its parameters are:\n"
                + _describe(list(declared.values()))
            )
        p = declared[key]
        if not _compatible(p.type, value):
            hint = (
                " (command-line values are scalars; give lists in a --params YAML file)"
                if p.type == "list"
                else ""
            )
            raise ParameterError(
                f"invalid type for parameter {key!r} of {name}: expected {p.type}, got "
                f"{type(value).__name__} {value!r}{hint}; its parameters are:\n"
                + _describe(list(declared.values()))
            )
        if p.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def load_params_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML (or JSON) mapping of parameter names to values."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"parameter file {str(path)!r} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"parameter file {str(path)!r} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ParameterError(
            f"parameter file {str(path)!r} must be a mapping 'name: value', "
            f"got {type(data).__name__}"
        )
    return data


def expand_grid(grid: dict[str, Any]) -> list[dict[str, Any]]:
    """All combinations of the grid's values, in order (last name varies fastest).

    ``grid`` maps a parameter name to a list of values (a scalar counts as a one-value list).
    An empty list raises, because it would silently produce no run.
    """
    import itertools

    names, choices = [], []
    for key, values in grid.items():
        if not isinstance(values, list):
            values = [values]
        if not values:
            raise ParameterError(
                f"grid entry {key!r} has no values; give at least one value or remove it"
            )
        names.append(key)
        choices.append(values)
    return [dict(zip(names, combo)) for combo in itertools.product(*choices)]
