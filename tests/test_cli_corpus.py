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


def test_a_doc_id_starting_with_a_dash_is_accepted(tmp_path):
    (tmp_path / "-rf.txt").write_text("A document whose name starts with a dash.")
    (tmp_path / "b.txt").write_text("Another document.")
    code, out, err = run("segments", str(tmp_path), "--doc", "-rf", "--format", "json")
    assert code == 0, err
    assert {r["doc_id"] for r in json.loads(out)} == {"-rf"}


def test_out_pointing_at_a_folder_or_a_missing_folder_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Talks resumed in June 2019 in Panmunjom.")
    code, out, err = run("timeline", str(tmp_path), "--out", str(tmp_path / "missing" / "x.csv"))
    assert code == 2 and out == ""
    assert "'--out'" in err and "does not exist" in err and "Traceback" not in err
    code, _, err = run("timeline", str(tmp_path), "--out", str(tmp_path))
    assert code == 2 and "is a folder" in err
    code, _, err = run("timeline", str(tmp_path), "--out", str(tmp_path / "a.txt" / "x.csv"))
    assert code == 2 and "is a file, not a folder" in err


def test_malformed_outcomes_and_bad_min_certainty_are_clear_errors(tmp_path):
    (tmp_path / "a.txt").write_text("We expect talks to resume by 2027.")
    bad = tmp_path / "outcomes.csv"
    bad.write_bytes(b'forecast_id,outcome\n"x,1\n\xff\xfe,0,,,,\n')
    code, out, err = run("forecasts", str(tmp_path), "--outcomes", str(bad))
    assert code == 2 and out == "" and "outcomes.csv" in err and "outcomes CSV" in err
    code, _, err = run("forecasts", str(tmp_path), "--outcomes", str(tmp_path))
    assert code == 2 and "Traceback" not in err
    code, _, err = run("forecasts", str(tmp_path), "--min-certainty", "-1")
    assert code == 2 and "'min_certainty'" in err


def test_empty_results_print_a_plain_line(tmp_path):
    (tmp_path / "a.txt").write_text("Nothing to see.")
    code, out, _ = run("kwic", "sanctions", str(tmp_path))
    assert code == 0 and "Empty DataFrame" not in out and out.startswith("(no rows")


def test_kwic_table_keeps_the_left_context_next_to_the_match(tmp_path):
    left = " ".join(f"word{i}" for i in range(40))
    (tmp_path / "a.txt").write_text(f"{left} sanctions stay in place.")
    code, out, _ = run("kwic", "sanctions", str(tmp_path))
    assert code == 0 and "word39" in out and "word0 " not in out
