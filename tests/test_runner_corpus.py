"""The suite's own corpus: notebooks read $DPRKBRIEF_CORPUS under tests and nbval, the
project's corpus/ otherwise, so a user's documents in corpus/ never change a test result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

import dprkbrief
from dprkbrief.corpus.io import CORPUS_ENV, locate_corpus
from dprkbrief.runner.run import run_notebooks
from dprkbrief.runner.store import is_checked

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "corpus"
USER_DOCS = ROOT / "tests" / "user_docs"


def test_the_suite_points_every_kernel_at_its_fixture_corpus():
    import os

    assert Path(os.environ[CORPUS_ENV]) == FIXTURE
    assert locate_corpus(None) == FIXTURE
    assert sorted(dprkbrief.load_corpus().doc_ids) == sorted(p.stem for p in FIXTURE.glob("*.txt"))


def test_locate_corpus_resolves_like_a_notebook(tmp_path, monkeypatch):
    monkeypatch.delenv(CORPUS_ENV)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert locate_corpus(None).resolve() == tmp_path / "corpus"  # found in the parent
    assert locate_corpus("corpus", cwd=tmp_path / "notebooks") == tmp_path / "corpus"
    assert locate_corpus("/abs/x", cwd=tmp_path) == Path("/abs/x")
    monkeypatch.setenv(CORPUS_ENV, str(FIXTURE))
    assert locate_corpus(None) == FIXTURE
    assert locate_corpus("corpus", cwd=tmp_path / "notebooks") == tmp_path / "corpus"


def _project_with_user_documents(tmp_path: Path, notebooks: list[str]) -> Path:
    """A copy of the project's notebooks beside a corpus/ holding the seed documents and
    three of a user's own articles (as README's "Adding your own documents" says)."""
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    for name in notebooks:
        shutil.copy(ROOT / "notebooks" / name, project / "notebooks" / name)
    shutil.copytree(FIXTURE, project / "corpus")
    for name in ("05_wire.txt", "06_oped.txt", "07_paragraph.txt"):
        shutil.copy(USER_DOCS / name, project / "corpus" / name)
    return project


def _checked_outputs(nb) -> list[str]:
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and is_checked(cell):
            out.append("".join(o.get("text", "") for o in cell.outputs))
    return out


def test_user_documents_in_corpus_do_not_change_the_checked_outputs(tmp_path):
    """nbval's view: with $DPRKBRIEF_CORPUS set (as conftest sets it), a notebook beside a
    corpus/ with extra documents still prints exactly its stored outputs."""
    name = "01_corpus_tour.ipynb"
    project = _project_with_user_documents(tmp_path, [name])
    result = run_notebooks([project / "notebooks" / name], out=tmp_path / "run", progress=False)
    assert result.ok, result.runs["error"].tolist()
    executed = nbformat.read(result.out / result.runs.loc[0, "ipynb"], as_version=4)
    stored = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    assert _checked_outputs(executed) == _checked_outputs(stored)
    prints = json.loads(result.manifest.read_text())["fingerprints"]["corpus"]
    assert list(prints) == [str(FIXTURE.resolve())]


@pytest.mark.parametrize(
    "name",
    [
        "01_corpus_tour.ipynb",
        "02_timeline.ipynb",
        "03_expert_positions.ipynb",
        "04_teaching_session.ipynb",
    ],
)
def test_make_run_reads_the_users_corpus_with_their_documents(tmp_path, monkeypatch, name):
    """`make run`'s view: without $DPRKBRIEF_CORPUS the notebooks read the project's corpus/,
    user documents included, and run without error; exports stay in the run folder."""
    monkeypatch.delenv(CORPUS_ENV)
    project = _project_with_user_documents(tmp_path, [name])
    monkeypatch.chdir(project)
    result = run_notebooks(out="reports", progress=False)
    assert result.ok, result.runs["error"].tolist()
    page = (result.out / result.runs.loc[0, "html"]).read_text()
    if name == "01_corpus_tour.ipynb":
        assert "05_wire" in page  # the user's document is in the documents table
    prints = json.loads(result.manifest.read_text())["fingerprints"]["corpus"]
    assert list(prints) == [str((project / "corpus").resolve())]
    if name == "02_timeline.ipynb":
        assert (result.out / "02_timeline_files" / "exports" / "timeline.csv").is_file()
    assert sorted(p.name for p in (project / "notebooks").iterdir()) == [name]
