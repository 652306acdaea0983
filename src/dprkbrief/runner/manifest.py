"""What a run records: versions of the software, fingerprints of inputs, times."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .._provenance import DEPENDENCIES, now, versions

__all__ = ["DEPENDENCIES", "CORPUS_SUFFIXES", "fingerprint", "now", "versions"]

CORPUS_SUFFIXES = {".txt", ".md", ".toml", ".csv"}


def fingerprint(directory: str | Path, *, suffixes: set[str] | None = None) -> dict:
    """SHA-256 of every file in ``directory`` (recursively) and one digest over all of them.

    Returns ``{"path": str, "sha256": str, "files": {relative_path: sha256}}``; a missing
    directory gives ``sha256 = None`` and no files (recorded, not an error: the notebook run
    will report the missing corpus itself).
    """
    directory = Path(directory)
    files: dict[str, str] = {}
    if (directory / "manifest.json").is_file() and (directory / "parts").is_dir():
        suffixes = {".json"}  # a Parquet index: its manifest fingerprints the partitions
        directory_files = [directory / "manifest.json"]
    else:
        directory_files = sorted(directory.rglob("*")) if directory.is_dir() else []
    if directory_files:
        for f in directory_files:
            if not f.is_file() or "__pycache__" in f.parts:
                continue
            if suffixes is not None and f.suffix.lower() not in suffixes:
                continue
            files[f.relative_to(directory).as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    total = hashlib.sha256()
    for rel, digest in files.items():
        total.update(f"{rel}\0{digest}\n".encode())
    return {
        "path": str(directory.resolve()),
        "sha256": total.hexdigest() if files else None,
        "files": files,
    }


def rules_fingerprint() -> dict:
    """Fingerprint of the rule files shipped in ``dprkbrief/resources``."""
    from dprkbrief.resources import RESOURCES

    return fingerprint(RESOURCES, suffixes={".toml", ".csv", ".txt", ".json"})
