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
