"""Shared fixtures. Fixture notebooks under tests/fixtures are data, not tests.

The suite reads only corpora it owns: ``tests/fixtures/corpus`` (a copy of the three seed
documents with their catalog.toml and outcomes.csv). ``$DPRKBRIEF_CORPUS`` is set to it here,
at import, before any kernel starts, so notebooks whose ``corpus_dir`` is None (their default)
load the fixture under nbval and in runner tests; the user's ``corpus/`` is never read.
nbval therefore runs as ``pytest tests notebooks --nbval-lax ...`` (as ``make test`` does), so
that this file is loaded.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

collect_ignore_glob = ["fixtures/*", "artifacts/*"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
os.environ["DPRKBRIEF_CORPUS"] = str(CORPUS)
# files notebooks write under nbval (runner.paths.output_dir) go to a temporary run folder,
# never into notebooks/
if not os.environ.get("DPRKBRIEF_RUN_DIR"):
    _RUN_DIR = tempfile.mkdtemp(prefix="dprkbrief_nbval_")
    os.environ["DPRKBRIEF_RUN_DIR"] = _RUN_DIR
    atexit.register(shutil.rmtree, _RUN_DIR, True)
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus():
    """The fixture corpus (the three seed documents plus catalog and outcomes)."""
    import dprkbrief

    return dprkbrief.load_corpus(CORPUS)


@pytest.fixture
def shared_dir() -> Path:
    """``../shared``; skips the test where it is absent (as in a user's clone)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present in this checkout")
    return SHARED


def docs_before(nlp, texts, component):
    """``texts`` run through ``nlp``'s pipeline up to (not including) ``component``: the
    input a component's test hands to spaCy's implementation and to ours."""
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        if name == component:
            break
        docs = [proc(d) for d in docs]
    return docs
