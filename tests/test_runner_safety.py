"""The runner owns its run folder, limits cell time and never leaves a kernel behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dprkbrief.runner.kernels import live_kernels
from dprkbrief.runner.outdir import OutputFolderError
from dprkbrief.runner.params import corpus_parameters
from dprkbrief.runner.paths import RUN_DIR_ENV, output_dir
from dprkbrief.runner.run import run_notebooks

NB = Path(__file__).parent / "fixtures" / "notebooks"
FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped) counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


# --- the run folder -------------------------------------------------------------------


def test_out_holding_the_source_notebooks_is_refused_and_they_stay(tmp_path):
    src = tmp_path / "notebooks"
    src.mkdir()
    shutil.copy(NB / "greet.ipynb", src / "greet.ipynb")
    before = (src / "greet.ipynb").read_bytes()
    for out in (src, tmp_path):  # the folder itself, and a folder that contains it
        with pytest.raises(OutputFolderError, match="source notebooks"):
            run_notebooks([src / "greet.ipynb"], out=out, progress=False, notebooks_dir=src)
    assert (src / "greet.ipynb").read_bytes() == before
    assert sorted(p.name for p in src.iterdir()) == ["greet.ipynb"]


def test_out_containing_the_notebooks_folder_is_refused(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    with pytest.raises(OutputFolderError, match="--out"):
        run_notebooks([NB / "greet.ipynb"], out=tmp_path, progress=False, notebooks_dir=nbs)


def test_a_foreign_non_empty_folder_is_refused_and_left_alone(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("my own page")
    with pytest.raises(OutputFolderError, match="not empty") as err:
        run_notebooks([NB / "greet.ipynb"], out=out, progress=False)
    assert str(out.name) in str(err.value) and "--out" in str(err.value)
    assert (out / "index.html").read_text() == "my own page"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_out_pointing_at_a_file_is_a_clear_error(tmp_path, capsys):
    from dprkbrief.cli import main

    target = tmp_path / "report.txt"
    target.write_text("x")
    code = main(["run", str(NB / "greet.ipynb"), "--out", str(target), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "is a file, not a folder" in err and "Traceback" not in err
    assert target.read_text() == "x"


def test_links_in_a_previous_run_are_replaced_never_followed(tmp_path):
    out = tmp_path / "run"
    run_notebooks([NB / "greet.ipynb"], out=out, progress=False)
    victims = {}
    for name in ("index.html", "greet.html", "greet.ipynb"):
        victim = tmp_path / f"victim_{name}"
        victim.write_text("precious")
        victims[name] = victim
        (out / name).unlink()
        (out / name).symlink_to(victim)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "greet").symlink_to(elsewhere, target_is_directory=True)
    run_notebooks([NB / "greet.ipynb"], grid={"name": ["x"]}, out=out, progress=False)
    for victim in victims.values():
        assert victim.read_text() == "precious"
    assert not (out / "index.html").is_symlink() and "greet" in (out / "index.html").read_text()
    assert not (out / "greet").is_symlink() and (out / "greet" / "name-x" / "greet.html").is_file()
    assert list(elsewhere.iterdir()) == []


def test_cleanup_of_a_previous_run_does_not_follow_links(tmp_path):
    out = tmp_path / "run"
    run_notebooks([NB / "greet.ipynb"], out=out, progress=False)
    victim = tmp_path / "victim.html"
    victim.write_text("precious")
    (out / "greet.html").unlink()
    (out / "greet.html").symlink_to(victim)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["runs"][0]["ipynb"] = "../victim.html"  # a forged record stays harmless
    (out / "manifest.json").write_text(json.dumps(manifest))
    run_notebooks([NB / "greet.ipynb"], grid={"name": ["y"]}, out=out, progress=False)
    assert victim.read_text() == "precious"
    assert not (out / "greet.html").exists()  # the link itself was ours to remove


# --- time limits and interrupts ---------------------------------------------------------


def test_a_cell_over_the_time_limit_fails_its_notebook_naming_the_cell(tmp_path):
    result = run_notebooks(
        [NB / "sleeps.ipynb"],
        grid={"seconds": [60.0, 0.1]},
        out=tmp_path,
        progress=False,
        timeout=3,
    )
    slow, quick = result.runs.iloc[0], result.runs.iloc[1]
    assert slow["status"] == "failed"
    assert slow["error_cell"] == 3  # index in the notebook as written
    assert slow["error"].startswith("CellTimeoutError: cell did not finish within 3 s")
    assert "--timeout" in slow["error"]
    assert slow["duration_s"] < 40
    assert quick["status"] == "ok"  # the next run still ran
    page = (tmp_path / slow["html"]).read_text()
    assert "did not finish within 3 s" in page
    executed = json.loads((tmp_path / slow["ipynb"]).read_text())
    last = executed["cells"][-1]
    assert "after the sleep" in "".join(last["source"]) and last["outputs"] == []
    assert live_kernels() == []


@pytest.mark.parametrize(
    ("sig", "jobs"), [(signal.SIGTERM, 1), (signal.SIGINT, 1), (signal.SIGTERM, 2)]
)
def test_an_interrupted_run_leaves_no_kernel_and_writes_its_manifest(tmp_path, sig, jobs):
    marker = tmp_path / "kernel.pid"
    out = tmp_path / "out"
    grid = tmp_path / "grid.yaml"
    # with two workers both runs start: the second sleeps too, so it is still running
    grid.write_text("seconds: [300.0, 0.1]\n" if jobs == 1 else "seconds: [300.0, 301.0]\n")
    cmd = [
        sys.executable,
        "-m",
        "dprkbrief",
        "run",
        str(NB / "sleeps.ipynb"),
        "-p",
        "marker",
        str(marker),
        "--grid",
        str(grid),
        "--out",
        str(out),
        "--no-progress",
        "--jobs",
        str(jobs),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists() or len(marker.read_text().split()) < jobs:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the kernels never started"
        time.sleep(0.2)
    kernels = [int(pid) for pid in marker.read_text().split()]
    assert all(_alive(k) for k in kernels)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    for _ in range(50):
        if not any(_alive(k) for k in kernels):
            break
        time.sleep(0.1)
    assert not any(_alive(k) for k in kernels), "a kernel survived the interrupted run"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    if jobs == 1:
        assert [r["parameters"]["seconds"] for r in manifest["not_run"]] == [0.1]
        assert [r["status"] for r in manifest["runs"]] == ["interrupted"]
    else:
        assert len(kernels) == 2  # both workers' kernels were running, and neither survived
    assert (out / "index.html").is_file()


# --- files a notebook writes ----------------------------------------------------------


def test_output_dir_stays_inside_the_run_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(RUN_DIR_ENV, str(tmp_path / "nb_files"))
    assert output_dir("exports") == tmp_path / "nb_files" / "exports"
    assert (tmp_path / "nb_files" / "exports").is_dir()
    for bad in ("/tmp/x", "../x", "a/../../x", "~/x", ""):
        with pytest.raises(Exception, match="export_dir") as err:
            output_dir(bad, create=False)
        assert type(err.value).__name__ == "ParameterError"
    monkeypatch.delenv(RUN_DIR_ENV)
    monkeypatch.chdir(tmp_path)
    assert output_dir("exports", create=False) == tmp_path / "exports"


def test_exports_are_kept_with_the_run_and_replaced_by_the_next(tmp_path):
    result = run_notebooks([NB / "exports.ipynb"], out=tmp_path, progress=False)
    assert result.ok
    assert (tmp_path / "exports_files" / "exports" / "table.csv").is_file()
    assert result.runs.loc[0, "files"] == "exports_files"
    run_notebooks([NB / "greet.ipynb"], out=tmp_path, progress=False)
    assert not (tmp_path / "exports_files").exists()


# --- which parameters name a corpus -----------------------------------------------------


def test_a_corpus_parameter_with_any_name_is_fingerprinted(tmp_path, monkeypatch):
    monkeypatch.setenv("DPRKBRIEF_CORPUS", str(FIXTURE_CORPUS))
    found = corpus_parameters(NB / "other_corpus_name.ipynb")
    assert found["texts"] == FIXTURE_CORPUS.resolve()  # declared by its comment, value None
    # detected by value: a folder of documents, under whatever name
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    (shelf / "a.txt").write_text("text")
    found = corpus_parameters(NB / "other_corpus_name.ipynb", {"shelf": str(shelf)})
    assert found["shelf"] == shelf.resolve()
    assert "shelf" not in corpus_parameters(
        NB / "other_corpus_name.ipynb", {"shelf": str(tmp_path / "missing")}
    )
    result = run_notebooks([NB / "other_corpus_name.ipynb"], out=tmp_path / "out", progress=False)
    prints = json.loads(result.manifest.read_text())["fingerprints"]["corpus"]
    assert prints[str(FIXTURE_CORPUS.resolve())]


# --- logs --------------------------------------------------------------------------------


def test_a_run_logged_to_a_file_has_no_escape_codes_and_no_tcp_warning(tmp_path):
    """stderr is not a terminal here (as in CI logs): no progress bars, no kernel noise."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dprkbrief",
            "run",
            str(NB / "greet.ipynb"),
            str(NB / "fails.ipynb"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1  # fails.ipynb fails on purpose
    log = done.stdout + done.stderr
    assert "without encryption" not in log
    assert "\x1b[" not in log and "\r" not in log
    assert "fails.ipynb (cell 2): ValueError: boom from the fixture" in done.stderr


def test_the_index_says_a_run_was_interrupted_and_links_notebook_files():
    from dprkbrief.runner.html import index_html

    run = {
        "notebook": "02.ipynb",
        "parameters": {},
        "status": "interrupted",
        "html": "02.html",
        "ipynb": "02.ipynb",
        "files": "02_files",
        "error": None,
        "duration_s": 1.0,
    }
    page = index_html(
        {"status": "interrupted", "runs": [run], "not_run": [{"notebook": "03.ipynb"}]},
        out_dir=".",
    )
    assert "the run was interrupted and 1 more did not run" in page
    assert 'href="02_files"' in page
