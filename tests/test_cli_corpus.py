"""The corpus, segments and kwic commands."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

from conftest import CORPUS

from dprkbrief.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_corpus_prints_the_documents_table(corpus):
    code, out, _ = run("corpus", str(CORPUS))
    assert code == 0
    for doc_id in corpus.doc_ids:
        assert doc_id in out


def test_segments_json_has_exact_offsets(corpus):
    doc_id = corpus.doc_ids[0]
    code, out, _ = run(
        "segments", str(CORPUS), "--doc", doc_id, "--level", "paragraph", "--format", "json"
    )
    rows = json.loads(out)
    assert code == 0 and rows
    text = corpus[doc_id].text
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_kwic_csv(corpus):
    code, out, _ = run("kwic", "summit", str(CORPUS), "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("doc_id,seg_id,speaker")
    assert len(out.splitlines()) > 3


def test_errors_go_to_stderr_with_nonzero_exit(tmp_path):
    code, out, err = run("segments", str(tmp_path / "missing"))
    assert code == 2 and out == "" and "not found" in err
    code, _, err = run("kwic", "x", str(CORPUS), "--window", "wide")
    assert code == 2 and "'--window'" in err


def test_warnings_are_printed_plainly(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    code, _, err = run("corpus", str(tmp_path))
    assert code == 0 and err.startswith("dprkbrief: warning:") and "b.pdf" in err


def test_help_everywhere(capsys):
    import pytest

    for argv in (["--help"], ["corpus", "--help"], ["segments", "--help"], ["kwic", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out
