"""The run folder belongs to the runner: which folders it accepts, and how it writes there.

:func:`claim_out_dir` refuses a folder that is a file, that holds (or is, or contains) the
source notebooks, or that is not empty without being a previous run of ours (recognised by
its ``manifest.json``). Inside the folder nothing follows a symbolic link: :func:`make_dirs`
and :func:`write_text` replace a link by a real folder/file (the link's target is never
touched) and :func:`remove_file` unlinks the link itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from dprkbrief.errors import DprkbriefError

MANIFEST = "manifest.json"
MANIFEST_KEY = "dprkbrief_run"


class OutputFolderError(DprkbriefError):
    """The run folder (``--out``) cannot be used: it is a file, holds source notebooks, or
    holds files that are not from a previous run."""


def read_previous_manifest(out_dir: Path) -> dict | None:
    """The manifest of a previous run in ``out_dir`` (a regular file, never a link), else None."""
    path = out_dir / MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    if isinstance(data, dict) and data.get(MANIFEST_KEY) == 1:
        return data
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def claim_out_dir(out: str | Path, *, notebooks: list[Path], notebooks_dir: Path | None) -> Path:
    """Check that the runner may use ``out`` as its run folder; create it; return it resolved.

    Raises :class:`OutputFolderError` naming the folder and the fix.
    """
    given = Path(out)
    out_dir = given.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(
            f"--out {str(given)!r} is a file, not a folder; give a folder for the reports, "
            "e.g. --out reports"
        )
    sources = [Path(nb).resolve() for nb in notebooks]
    if notebooks_dir is not None and Path(notebooks_dir).is_dir():
        sources.append(Path(notebooks_dir).resolve() / "x.ipynb")
    for src in sources:
        if _inside(src.parent, out_dir):
            raise OutputFolderError(
                f"--out {str(given)!r} holds the source notebooks ({src.parent}); the run would "
                "overwrite them. Give a separate folder, e.g. --out reports"
            )
    if out_dir.is_dir() and any(out_dir.iterdir()) and read_previous_manifest(out_dir) is None:
        raise OutputFolderError(
            f"--out {str(given)!r} is not empty and is not a previous dprkbrief run (no "
            f"{MANIFEST} of ours); the runner only writes into an empty folder or one of its "
            "own runs. Give a new folder (e.g. --out reports/run2) or empty this one"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def relative_parts(rel: str) -> list[str] | None:
    """The components of a relative POSIX path, or None when it is absolute or has ``..``."""
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or any(part in ("..", "") for part in p.parts):
        return None
    return [part for part in p.parts if part != "."]


def make_dirs(root: Path, *parts: str) -> Path:
    """Create ``root/parts...`` without following links (a link in the way is removed)."""
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            path.unlink()
        if path.exists() and not path.is_dir():
            raise OutputFolderError(
                f"{path} is a file where the run needs a folder; remove it or use another --out"
            )
        path.mkdir(exist_ok=True)
    return path


def clear_link(path: Path) -> Path:
    """Remove ``path`` if it is a symbolic link (so writing there cannot reach its target)."""
    if path.is_symlink():
        path.unlink()
    return path


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path``; a link at ``path`` is replaced, never followed."""
    clear_link(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def remove_file(root: Path, rel: str) -> None:
    """Delete ``root/rel`` (a file or a link, never a link's target), then the folders it
    leaves empty; paths through a linked folder, absolute or with ``..`` are ignored."""
    parts = relative_parts(rel)
    if not parts:
        return
    path = root
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink() or not path.is_dir():
            return
    path = path / parts[-1]
    if path.is_symlink() or path.is_file():
        path.unlink()
    parent = path.parent
    while parent != root and not parent.is_symlink() and parent.is_dir():
        if any(parent.iterdir()):
            break
        parent.rmdir()
        parent = parent.parent
