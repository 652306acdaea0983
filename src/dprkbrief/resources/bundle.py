"""``Resources``: everything a per-document step needs besides the document itself.

One picklable object names the language, the rule files in force (a user's copies or the
packaged ones, one per rule *kind*), the spaCy model, and the sha256 fingerprint of each, so a
step written as ``f(document, resources)`` gives the same result on any worker and caches can
be keyed on ``resources.fingerprint``. Loaded rule objects and the spaCy pipeline are cached on
the object but never pickled: a worker reloads them on first use.

A rule kind is one entry of ``RULE_KINDS``: the packaged file and the loader that turns a path
into a rule object. Adding a kind is adding an entry; ``Resources(rules={kind: path})`` then
reaches every step that calls ``resources.rules(kind)``.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ParameterError, RuleFileError
from . import RESOURCES


@dataclass(frozen=True)
class RuleKind:
    """A kind of rule file: where the packaged copy is and how to load one."""

    folder: str
    filename: str
    loader: str  # "module:function" taking a path (str) and returning the rule object
    affects_parse: bool = False  # part of the parse-cache key when True

    @property
    def packaged(self) -> Path:
        return RESOURCES / self.folder / self.filename


# kind -> RuleKind. Later steps register more kinds here (dates, events, topics, lexicons …).
RULE_KINDS: dict[str, RuleKind] = {
    "structure": RuleKind("segment", "structure.toml", "dprkbrief.segment.blocks:load_structure"),
    "attribution": RuleKind("lexicons", "attribution.toml", "dprkbrief.resources:load_toml"),
    "titles": RuleKind("people", "titles.toml", "dprkbrief.names:load_titles"),
    "gazetteer": RuleKind("people", "gazetteer.toml", "dprkbrief.nlp.people:load_gazetteer"),
    "sources": RuleKind("people", "sources.toml", "dprkbrief.nlp.people:load_sources"),
    # used by the per-document steps of dprkbrief.annotate (documents, dates, mentions, statements)
    "datelines": RuleKind(
        "metadata", "dateline.toml", "dprkbrief.segment.datelines:load_dateline_rules"
    ),
    "dates": RuleKind("dates", "patterns.toml", "dprkbrief.temporal.rules:load_dates"),
    "events": RuleKind("events", "catalog.toml", "dprkbrief.events.catalog:load_events"),
    "codebook": RuleKind("topics", "codebook.toml", "dprkbrief.analysis.codebook:load_codebook"),
    # the statements step's certainty lexicon and claim-type cues (statements(lexicon=, claims=))
    "certainty": RuleKind("lexicons", "certainty.toml", "dprkbrief.resources:load_toml"),
    "claims": RuleKind("lexicons", "claim_types.toml", "dprkbrief.resources:load_toml"),
    # read by stance, positions and forecasts (stance cues, hedges, forecast horizons)
    "stance": RuleKind("lexicons", "stance.toml", "dprkbrief.analysis.stance:load_stance_lexicon"),
    "hedges": RuleKind("lexicons", "hedges.toml", "dprkbrief.analysis.certainty:load_hedges"),
    "horizons": RuleKind("lexicons", "horizons.toml", "dprkbrief.analysis.forecasts:load_horizons"),
}
LANGUAGES = ("en",)


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise RuleFileError(f"cannot read rule file {path}: {exc}; check the path") from None


@dataclass
class Resources:
    """Language, rule files, spaCy model and their fingerprints for per-document steps.

    ``Resources()`` uses the packaged rule files and the default model;
    ``Resources(rules={"gazetteer": "my_people.toml"}, model="en_core_web_md")`` uses a user's
    gazetteer and another pipeline. ``resources.rules(kind)`` gives the loaded rule object,
    ``resources.nlp`` the spaCy pipeline (both loaded once, not pickled).
    """

    language: str = "en"
    rules: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    fingerprints: dict[str, str] = field(default_factory=dict, init=False)
    model_name: str | None = field(default=None, init=False)
    _loaded: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            shown = ", ".join(repr(x) for x in LANGUAGES)
            raise ParameterError(
                f"invalid value for 'language': {self.language!r}; allowed are {shown}"
            )
        given = dict(self.rules or {})
        unknown = sorted(set(given) - set(RULE_KINDS))
        if unknown:
            shown = ", ".join(repr(k) for k in RULE_KINDS)
            raise ParameterError(
                f"invalid rule kind(s) in 'rules': {', '.join(map(repr, unknown))}; "
                f"allowed are {shown}"
            )
        paths: dict[str, str] = {}
        for kind, spec in RULE_KINDS.items():
            p = Path(given[kind]) if kind in given and given[kind] is not None else spec.packaged
            if not p.exists():
                raise RuleFileError(
                    f"rule file for {kind!r} not found: {p}; pass an existing file in "
                    f"rules={{{kind!r}: PATH}} or leave it out to use the packaged one"
                )
            paths[kind] = str(p.resolve())
        self.rules = paths
        self.fingerprints = {kind: _sha256(Path(p)) for kind, p in paths.items()}

    # -- pickling: rule objects and the pipeline are rebuilt on the other side
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_loaded"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- rules
    def rule_path(self, kind: str) -> str:
        """Path of the rule file in force for ``kind``."""
        self._check_kind(kind)
        return self.rules[kind]

    def load_rules(self, kind: str) -> Any:
        """The loaded rule object of ``kind`` (cached on this object, not pickled)."""
        self._check_kind(kind)
        key = "rules:" + kind
        if key not in self._loaded:
            module, func = RULE_KINDS[kind].loader.split(":")
            loader = getattr(importlib.import_module(module), func)
            self._loaded[key] = loader(self.rules[kind])
        return self._loaded[key]

    def _check_kind(self, kind: str) -> None:
        if kind not in RULE_KINDS:
            shown = ", ".join(repr(k) for k in RULE_KINDS)
            raise ParameterError(f"invalid value for 'kind': {kind!r}; allowed are {shown}")

    # -- the spaCy model
    @property
    def model_info(self) -> Any:
        """The resolved (and, for a re-upload, verified) model: name, version, path."""
        if "model_info" not in self._loaded:
            from ..nlp.model import model_info

            info = model_info(self.model)
            self._loaded["model_info"] = info
            self.model_name = info.ident
        return self._loaded["model_info"]

    @property
    def nlp(self) -> Any:
        """The spaCy ``Language`` (loaded once per process)."""
        if "nlp" not in self._loaded:
            from ..nlp.model import load_model

            info = self.model_info
            self._loaded["nlp"] = load_model(str(info.path) if info.verified else self.model)
        return self._loaded["nlp"]

    # -- fingerprints
    @property
    def fingerprint(self) -> str:
        """sha256 over the language, every rule file's digest and the model's name-version."""
        h = hashlib.sha256(self.language.encode())
        for kind in sorted(self.fingerprints):
            h.update(f"\0{kind}={self.fingerprints[kind]}".encode())
        h.update(f"\0model={self.model_info.ident}".encode())
        return h.hexdigest()

    @property
    def parse_fingerprint(self) -> str:
        """What a parse depends on: the model's name-version and rule kinds that shape it."""
        from ..nlp.model import PIPELINE_EXTRAS

        h = hashlib.sha256(f"{self.language}\0{self.model_info.ident}\0{PIPELINE_EXTRAS}".encode())
        for kind in sorted(k for k, spec in RULE_KINDS.items() if spec.affects_parse):
            h.update(f"\0{kind}={self.fingerprints[kind]}".encode())
        return h.hexdigest()


def as_resources(rules: Any) -> Resources:
    """A :class:`Resources` from ``rules``: a Resources, a dict kind -> path, a list of
    ``"kind=path"`` strings (as notebook parameters give them), or None (packaged rules)."""
    if rules is None:
        return default_resources()
    if isinstance(rules, Resources):
        return rules
    if isinstance(rules, (list, tuple)):  # ["stance=my_stance.toml", ...]: notebook parameters
        pairs = {}
        for item in rules:
            kind, sep, path = str(item).partition("=")
            if not sep or not kind.strip() or not path.strip():
                raise ParameterError(
                    f"invalid value for 'rules': {item!r}; write each rule file as "
                    f"'kind=path' with kind one of {', '.join(RULE_KINDS)}"
                )
            pairs[kind.strip()] = path.strip()
        rules = pairs
    if isinstance(rules, dict):
        return (
            Resources(rules={k: str(v) for k, v in rules.items()}) if rules else default_resources()
        )
    raise ParameterError(
        f"invalid type for 'rules': expected a Resources, a dict kind -> path, a list of "
        f"'kind=path' or None, got {type(rules).__name__}"
    )


def _user_rule(res: Any, kind: str) -> str | None:
    """The path of ``kind`` in ``res`` when it is not the packaged file (else None)."""
    path = res.rule_path(kind)
    return None if Path(path) == RULE_KINDS[kind].packaged.resolve() else path


def default_resources() -> Resources:
    """A shared ``Resources()`` with the packaged rules and the default model."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Resources()
    return _DEFAULT


_DEFAULT: Resources | None = None
