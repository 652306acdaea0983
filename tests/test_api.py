"""The flat public API: every exported name resolves, lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dprkbrief


@pytest.mark.parametrize("name", [n for n in dprkbrief.__all__ if n != "__version__"])
def test_every_public_name_resolves(name):
    assert getattr(dprkbrief, name) is not None


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dprkbrief.nope  # noqa: B018


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "dprkbrief", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"dprkbrief {dprkbrief.__version__}"
