"""Provenance helpers shared by every writer of a manifest (batch runs, index builds): the
time and the versions of the software. Kept outside the runner so that the index builder
(pipeline/) does not import a later layer."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime

DEPENDENCIES = (
    "dprkbrief",
    "pandas",
    "numpy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "jupyter_client",
    "ipywidgets",
    "pyyaml",
    "tqdm",
    "spacy",
    "dask",
    "pyarrow",
)


def now() -> str:
    """The current UTC time as an ISO string with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def versions() -> dict[str, str | None]:
    """Python, platform and the installed version of each dependency (None if missing)."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    for dist in DEPENDENCIES:
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out
