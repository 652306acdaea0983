"""Rule and lexicon data files shipped with the package, one folder per kind.

``segment/`` abbreviations and label stop-lists, ``dates/`` temporal patterns and
normalisation tables, ``events/`` the event catalog, ``topics/`` the topic codebook,
``lexicons/`` hedge/booster/claim-type lexicons, ``metadata/`` cues for inferring document
metadata. Each file opens with a comment describing its format; entries carry ``examples``
that the test-suite runs.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import RuleFileError

RESOURCES = Path(__file__).parent


def resource_path(kind: str, name: str) -> Path:
    """Path of a shipped rule file, e.g. ``resource_path("events", "catalog.toml")``."""
    path = RESOURCES / kind / name
    if not path.exists():
        raise RuleFileError(f"no rule file {kind}/{name} in {RESOURCES}")
    return path


@lru_cache(maxsize=256)
def _resolved(path: str) -> str:
    return str(Path(path).resolve())


def file_key(path: str | Path) -> tuple[str, float]:
    """(absolute path, modification time): what a compiled rule file is cached under.

    Rule loaders run once per sentence and resolving a path costs an ``lstat`` per path
    component, so the resolution is remembered per path string; the ``stat`` is made on
    every call, so an edited file is compiled again.
    """
    return _resolved(str(path)), Path(path).stat().st_mtime


@lru_cache(maxsize=64)
def _load_toml_cached(path: str, mtime: float) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(
            f"{path}: not valid TOML ({exc}); fix the syntax at that line"
        ) from None


def load_toml(path: str | Path) -> dict[str, Any]:
    """Load a TOML rule file (cached per path and modification time)."""
    p = Path(path)
    if not p.exists():
        raise RuleFileError(f"rule file not found: {p}; check the path")
    return _load_toml_cached(*file_key(p))
