"""Output names derived from notebook names, document ids and parameters.

Names are sanitized to ``[A-Za-z0-9._-]``, never start with a dot, are bounded in length and
get a short hash when sanitizing changed them (so two different values never share a folder);
:func:`safe_join` refuses any path that would resolve outside the reports directory.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from dprkbrief.errors import ParameterError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+|\.{2,}")
_REPEAT = re.compile(r"_{2,}")
MAX_NAME = 80


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def safe_name(text: Any, *, max_len: int = MAX_NAME) -> str:
    """A file-system-safe single path component for ``text``.

    ``"doc_001"`` stays as is; ``"../../etc/passwd"`` becomes ``"etc_passwd-<hash>"``.
    The result is never empty, ``.`` or ``..``, and contains no separator.
    """
    raw = str(text)
    name = _REPEAT.sub("_", _UNSAFE.sub("_", raw)).strip("._-")
    changed = name != raw
    if not name:
        name, changed = "x", True
    if len(name) > max_len:
        name, changed = name[: max_len - 9].rstrip("._-"), True
    if changed:
        name = f"{name}-{_short_hash(raw)}"
    return name


def _value_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "+".join(_value_text(v) for v in value)
    return str(value)


def params_slug(params: dict[str, Any]) -> str:
    """A folder name for one grid combination, e.g. ``doc_id-doc_001__topic-sanctions``."""
    if not params:
        return "default"
    parts = [f"{k}-{_value_text(v)}" for k, v in params.items()]
    raw = "__".join(parts)
    safe = "__".join(safe_name(p, max_len=60) for p in parts)
    if len(safe) > 120:
        safe = f"{safe[:110].rstrip('._-')}-{_short_hash(raw)}"
    return safe


def safe_join(root: str | Path, *parts: str) -> Path:
    """``root / parts...``, guaranteed to stay inside ``root`` (else ParameterError)."""
    root = Path(root).resolve()
    path = root.joinpath(*parts).resolve()
    if path != root and root not in path.parents:
        raise ParameterError(
            f"output path {path} would be outside the reports directory {root}; "
            "use names without '..' or absolute paths"
        )
    return path


RUN_DIR_ENV = "DPRKBRIEF_RUN_DIR"


def output_dir(relative: str | Path = "exports", *, create: bool = True) -> Path:
    """The folder a notebook writes its files to: ``relative`` inside its run folder.

    Under ``dprkbrief run`` the base is the notebook's own run folder (the runner passes it to
    the kernel as ``$DPRKBRIEF_RUN_DIR``), so exports stay with the report that links to them;
    elsewhere (JupyterLab, nbval) the base is the current folder. ``relative`` must stay inside
    the base: an absolute path or one with ``..`` raises :class:`ParameterError`.
    """
    import os

    text = str(relative).strip()
    p = Path(text)
    if not text or p.is_absolute() or text.startswith("~") or ".." in p.parts:
        raise ParameterError(
            f"invalid value for 'export_dir': {text!r}; give a folder name relative to the run "
            "folder (e.g. 'exports'), without '..' or an absolute path"
        )
    base = Path(os.environ.get(RUN_DIR_ENV) or Path.cwd()).resolve()
    target = base
    for part in p.parts:
        if part == ".":
            continue
        target = target / part
        if target.is_symlink():
            raise ParameterError(
                f"export folder {target} is a symbolic link; the run writes only into real "
                "folders inside the run folder"
            )
    if create:
        target.mkdir(parents=True, exist_ok=True)
    return target
