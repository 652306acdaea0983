"""Open JupyterLab on ``notebooks/`` with a kernel that runs this environment's Python.

The notebooks name the kernel ``python3``; :func:`register_kernel` installs that kernelspec
into the environment's prefix (``<venv>/share/jupyter/kernels/python3``) pointing at
``sys.executable``, so the notebooks import the installed ``dprkbrief`` whatever other
``python3`` kernels the user has (Jupyter prefers the environment's kernels in a venv).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dprkbrief._validate import check_type
from dprkbrief.errors import ParameterError

KERNEL_NAME = "python3"
DISPLAY_NAME = "Python 3 (dprkbrief)"


def register_kernel(*, prefix: str | Path | None = None) -> Path:
    """Install the ``python3`` kernelspec for this interpreter under ``prefix``
    (default: ``sys.prefix``) and return the kernelspec folder."""
    from ipykernel.kernelspec import install

    path = install(
        kernel_name=KERNEL_NAME,
        display_name=DISPLAY_NAME,
        prefix=str(prefix if prefix is not None else sys.prefix),
    )
    return Path(path)


def lab_command(
    notebook_dir: str | Path = "notebooks",
    *,
    port: int | None = None,
    token: str | None = None,
    open_browser: bool = True,
) -> list[str]:
    """The command line that starts JupyterLab on ``notebook_dir`` with this Python."""
    notebook_dir = Path(notebook_dir)
    if not notebook_dir.is_dir():
        raise ParameterError(
            f"notebook folder {str(notebook_dir)!r} does not exist; run from the project root "
            "or pass --notebook-dir"
        )
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={notebook_dir.resolve()}"]
    if port is not None:
        check_type("port", port, int)
        cmd.append(f"--ServerApp.port={port}")
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        cmd.append("--allow-root")
    return cmd


def launch_lab(
    notebook_dir: str | Path = "notebooks",
    *,
    port: int | None = None,
    open_browser: bool = True,
) -> int:
    """Register the kernel, then run JupyterLab in the foreground; return its exit code."""
    cmd = lab_command(notebook_dir, port=port, open_browser=open_browser)
    register_kernel()
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0
