"""Shared fixtures. Fixture notebooks under tests/fixtures are data, not tests."""

from __future__ import annotations

from pathlib import Path

import pytest

collect_ignore_glob = ["fixtures/*", "artifacts/*"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus():
    """The project's corpus (the seed documents plus catalog)."""
    import dprkbrief

    return dprkbrief.load_corpus(CORPUS)


@pytest.fixture
def shared_dir() -> Path:
    """``../shared``; skips the test where it is absent (as in a user's clone)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present in this checkout")
    return SHARED
