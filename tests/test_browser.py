"""End-to-end checks in a real browser (headless Debian chromium driven by Playwright).

1. JupyterLab on a free localhost port with a token opens notebooks/02_timeline.ipynb, runs
   all cells; no error output may appear and the timeline figure must render. A screenshot is
   kept in tests/artifacts/.
2. Reports are safe: a corpus document carrying ``<script>`` and ``onerror=`` payloads, run
   through notebook 01 by the batch runner, must not execute anything when its HTML and the
   run's index.html are opened (a control page proves the payload would run if it were live).

Needs ``chromium`` (``tools/install_browser.sh``); skips with the reason otherwise.
Run with: .venv/bin/pytest -m browser tests/test_browser.py
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMELINE_NB = "02_timeline.ipynb"
RUN_TIMEOUT_MS = int(os.environ.get("DPRKBRIEF_BROWSER_TIMEOUT_MS", "180000"))
RUN_ATTEMPTS = 3
PAYLOAD_DOC = """Talks about talks

An analysis of the summit <script>window.__pwned = 1</script> and of what followed.

The second summit <img src=x onerror="window.__pwned = 2"> ended without a deal in 2019.
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed; run tools/install_browser.sh"
    ),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"JupyterLab exited early with code {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer on {url}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of notebooks/ (so running cells never touches the repo)."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "corpus").symlink_to(CORPUS)  # the fixture corpus ($DPRKBRIEF_CORPUS too)
    for sub in ("config", "data", "runtime"):
        (work / sub).mkdir()
    # every cell attached to the DOM (no windowing), no news prompt
    settings = work / "config" / "lab" / "user-settings" / "@jupyterlab"
    for ext, name, value in [
        ("notebook-extension", "tracker", {"windowingMode": "none"}),
        ("apputils-extension", "notification", {"fetchNews": "false"}),
    ]:
        (settings / ext).mkdir(parents=True, exist_ok=True)
        (settings / ext / f"{name}.jupyterlab-settings").write_text(json.dumps(value))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(work / "config"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "JUPYTER_DATA_DIR": str(work / "data"),
    }
    port, token = _free_port(), "dprkbrief-browser-test"
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work / 'notebooks'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    log = open(work / "lab.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    try:
        _wait_http(f"http://127.0.0.1:{port}/api/status?token={token}", proc, work / "lab.log")
        yield f"http://127.0.0.1:{port}", token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_timeline_notebook_runs_in_jupyterlab(browser, lab):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{base}/lab/tree/{TIMELINE_NB}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
        page.wait_for_selector(".jp-StatusBar-TextItem:has-text('Idle')", timeout=60_000)
        n_code = sum(
            c.cell_type == "code" for c in nbformat.read(ROOT / "notebooks" / TIMELINE_NB, 4).cells
        )
        # Run All, then wait until every code cell shows an execution count, or a cell failed
        # (run all stops there). A kernel that has only just connected can drop the queued
        # cells (a JupyterLab start-up race, not a notebook problem), so Run All is retried.
        for attempt in range(RUN_ATTEMPTS):
            page.click("li.lm-MenuBar-item:has-text('Run')")
            page.click(".lm-Menu-item:has-text('Run All Cells')")
            try:
                page.wait_for_function(
                    """(n) => {
                        const err = "[data-mime-type='application/vnd.jupyter.error']";
                        if (document.querySelector(err)) return true;
                        const ps = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                        return ps.length === n && ps.every(p => /\\[\\d+\\]/.test(p.textContent));
                    }""",
                    arg=n_code,
                    timeout=RUN_TIMEOUT_MS // RUN_ATTEMPTS,
                )
                break
            except Exception:
                if attempt + 1 < RUN_ATTEMPTS:
                    continue
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "02_timeline_jupyterlab_timeout.png"))
                prompts = page.eval_on_selector_all(
                    ".jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent)"
                )
                pytest.fail(f"cells did not finish: {n_code} code cells, prompts {prompts}")
        errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
        ARTIFACTS.mkdir(exist_ok=True)
        if errors.count():
            page.screenshot(path=str(ARTIFACTS / "02_timeline_jupyterlab_error.png"))
        assert errors.count() == 0, errors.first.inner_text()
        figure_cell = page.locator(".jp-CodeCell", has_text="plot_timeline(tl")
        img = figure_cell.locator(".jp-OutputArea-output img").first
        img.wait_for(timeout=30_000)
        width = img.evaluate("el => el.naturalWidth")
        assert width > 200, "the timeline figure did not render"
        img.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "02_timeline_jupyterlab.png"))
    finally:
        page.close()


def _flag_after_loading(browser, path: Path):
    page = browser.new_page()
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # let any injected handler fire
        return page.evaluate("() => window.__pwned")
    finally:
        page.close()


def test_payload_in_a_document_does_not_run_in_reports(browser, tmp_path):
    from dprkbrief.runner.run import run_notebooks

    control = tmp_path / "control.html"
    control.write_text(f"<html><body>{PAYLOAD_DOC}</body></html>")
    assert _flag_after_loading(browser, control) in (1, 2), "the detector itself is broken"

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "payload.txt").write_text(PAYLOAD_DOC)
    result = run_notebooks(
        [ROOT / "notebooks" / "01_corpus_tour.ipynb"],
        parameters={"corpus_dir": str(corpus), "doc_id": "payload", "pattern": "summit"},
        out=tmp_path / "reports",
        progress=False,
    )
    assert result.ok, result.runs["error"].tolist()
    report = result.out / result.runs["html"].iloc[0]
    assert "window.__pwned" in report.read_text()  # the document text is in the report ...
    assert _flag_after_loading(browser, report) is None  # ... but does not run
    assert _flag_after_loading(browser, result.index) is None


def test_payload_in_html_outputs_and_parameters_does_not_run(browser, tmp_path):
    from dprkbrief.runner.run import run_notebooks

    payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    result = run_notebooks(
        [ROOT / "tests" / "fixtures" / "notebooks" / "escape.ipynb"],
        parameters={"payload": payload},
        out=tmp_path,
        progress=False,
    )
    assert result.ok
    assert _flag_after_loading(browser, tmp_path / "escape.html") is None
    assert _flag_after_loading(browser, result.index) is None
