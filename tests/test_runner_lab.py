"""`dprkbrief lab`: the kernel registration and the JupyterLab command line."""

from __future__ import annotations

import json
import sys

import pytest

from dprkbrief.errors import ParameterError
from dprkbrief.runner.lab import lab_command, register_kernel


def test_register_kernel_points_at_this_python(tmp_path):
    spec_dir = register_kernel(prefix=tmp_path)
    assert spec_dir == tmp_path / "share" / "jupyter" / "kernels" / "python3"
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable
    assert "dprkbrief" in spec["display_name"]


def test_lab_command_opens_the_notebook_folder(tmp_path):
    cmd = lab_command(tmp_path, port=8899, token="abc", open_browser=False)
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in cmd
    assert "--ServerApp.port=8899" in cmd and "--no-browser" in cmd
    assert "--IdentityProvider.token=abc" in cmd
    with pytest.raises(ParameterError, match="does not exist"):
        lab_command(tmp_path / "missing")


def test_install_browser_never_fails_for_a_user_without_root(tmp_path):
    """A non-root user without chromium or sudo gets a message and exit 0 (the browser test
    then skips with its reason), so `make test` goes on."""
    import shutil
    import subprocess
    from pathlib import Path

    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, body in {"id": "echo 1000", "apt-get": "exit 100"}.items():
        (stubs / name).write_text(f"#!/bin/sh\n{body}\n")
        (stubs / name).chmod(0o755)
    script = Path(__file__).resolve().parents[1] / "tools" / "install_browser.sh"
    bash = shutil.which("bash")
    done = subprocess.run(
        [bash, str(script)], env={"PATH": str(stubs)}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "needs root" in done.stderr and "skipped" in done.stderr
