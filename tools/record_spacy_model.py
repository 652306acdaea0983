"""Write the record that dprkbrief checks a re-uploaded spaCy model against.

    python tools/record_spacy_model.py OFFICIAL_META.json MODEL_DIR PACKAGE [--wheel-sha256 HEX]

OFFICIAL_META.json is the official meta of the model (explosion/spacy-models,
``meta/<lang>_<name>-<version>.json``); MODEL_DIR the installed re-upload's data directory
(the folder holding config.cfg); PACKAGE its import name. Prints the TOML for
``src/dprkbrief/resources/nlp/<lang>_<name>-<version>.toml``: the official meta fields the
re-upload must match and the sha256 of every pipeline file of MODEL_DIR. Run it once, after
checking by hand that the re-upload's meta.json equals the official one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dprkbrief.nlp.model import file_digests  # noqa: E402

# official meta fields recorded and compared: what the pipeline is and how it scores. Packaging
# fields a re-upload rewrites (name, description, spacy_version range, requirements, checksums
# of the official archives, size) are not compared.
FIELDS = (
    "lang",
    "version",
    "spacy_git_version",
    "vectors",
    "labels",
    "pipeline",
    "components",
    "disabled",
    "performance",
)


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} as a TOML scalar")


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() else json.dumps(k)


def _table(prefix: str, data: dict[str, Any], out: list[str]) -> None:
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict) and v is not None}
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    out.append(f"\n[{prefix}]")
    for k, v in scalars.items():
        out.append(f"{_key(k)} = {_scalar(v)}")
    for k, v in tables.items():
        _table(f"{prefix}.{_key(k)}", v, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("official_meta")
    ap.add_argument("model_dir")
    ap.add_argument("package")
    ap.add_argument("--wheel-sha256", default=None)
    ap.add_argument("--source", default="explosion/spacy-models")
    ap.add_argument("--commit", default=None)
    args = ap.parse_args(argv)
    meta = json.loads(Path(args.official_meta).read_text(encoding="utf-8"))
    ident = f"{meta['lang']}_{meta['name']}-{meta['version']}"
    out = [
        f"# Record of the official spaCy pipeline {ident} and of its pinned re-upload.",
        "#",
        "# Format: [reupload] packages = import names of re-uploads checked against this record,",
        "#   wheel_sha256 = sha256 of the re-upload's wheel as pinned in pyproject.toml;",
        "#   [official] and its sub-tables = fields of the official meta.json (source below) that",
        "#   the re-upload's meta.json must equal (lang, version, spacy_git_version, vectors,",
        "#   labels, pipeline, components, disabled, performance; packaging fields a re-upload",
        "#   rewrites - name, description, spacy_version, requirements - are not compared);",
        "#   [digests] = sha256 of every pipeline file of",
        "#   the model directory (relative path = hex digest; meta.json, README, LICENSE and",
        "#   __init__.py excluded). dprkbrief.nlp.model.verify_model_dir refuses a model that",
        "#   differs in any of them. Written by tools/record_spacy_model.py.",
        f"# Source of [official]: {args.source}, meta/{ident}.json"
        + (f" (commit {args.commit})" if args.commit else ""),
        "",
        "[reupload]",
        f"packages = {_scalar([args.package])}",
    ]
    if args.wheel_sha256:
        out.append(f"wheel_sha256 = {_scalar(args.wheel_sha256)}")
    official = {k: meta[k] for k in FIELDS if k in meta}
    _table("official", official, out)
    out.append("\n[digests]")
    for rel, digest in file_digests(args.model_dir).items():
        out.append(f"{_key(rel)} = {_scalar(digest)}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
