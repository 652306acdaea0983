"""Read TimeML (TempEval-3) files and score the temporal tagger against them.

A ``.tml`` file holds a document creation time (``<DCT><TIMEX3 value=...>``) and the article
in ``<TEXT>`` with gold ``<TIMEX3>`` annotations. :func:`read_timeml` turns one file into plain
text plus gold spans; :func:`evaluate_timeml` tags every text with :func:`tag_dates` and scores
it the TempEval-3 way: strict (exact span) and relaxed (overlapping span) precision, recall and
F1, and attribute F1 = attribute accuracy over relaxed matches x relaxed F1.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)((?:\s+[^>]*?)?)\s*(/?)>")
_ATTR = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')
_DCT = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.S)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


@dataclass
class TimemlDoc:
    """One TimeML document: ``text`` (the TEXT element, tags removed), ``dct`` and gold timexes.

    ``timexes`` is a list of dicts with ``start, end, text, type, value, mod``.
    """

    name: str
    text: str
    dct: str | None
    timexes: list[dict[str, Any]] = field(default_factory=list)


def _attrs(s: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(s)}


def read_timeml(path: str | Path) -> TimemlDoc:
    """Parse one ``.tml`` file into a :class:`TimemlDoc` (plain text with exact gold offsets)."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"cannot read TimeML file {p}: {exc}") from None
    m = _DCT.search(raw)
    dct = _attrs(m.group(1)).get("value") if m else None
    t = _TEXT.search(raw)
    if t is None:
        raise ParameterError(f"{p}: no <TEXT> element; expected a TempEval-3 TimeML file")
    body = t.group(1)
    out: list[str] = []
    pos = 0
    n = 0
    timexes: list[dict[str, Any]] = []
    open_timex: dict[str, Any] | None = None
    for tm in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tm.start()])
        out.append(chunk)
        n += len(chunk)
        pos = tm.end()
        closing, name, attrs, selfclose = tm.groups()
        if name != "TIMEX3" or selfclose:
            continue
        if not closing:
            a = _attrs(attrs)
            open_timex = {
                "start": n,
                "type": a.get("type"),
                "value": a.get("value"),
                "mod": a.get("mod"),
            }
        elif open_timex is not None:
            open_timex["end"] = n
            timexes.append(open_timex)
            open_timex = None
    out.append(html.unescape(body[pos:]))
    text = "".join(out)
    for tx in timexes:
        tx["text"] = text[tx["start"] : tx["end"]]
    return TimemlDoc(name=p.stem, text=text, dct=dct, timexes=timexes)


def _expand(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            files.extend(sorted(p.rglob("*.tml")))
        elif p.is_file():
            files.append(p)
        else:
            raise ParameterError(
                f"invalid value for 'paths': {str(p)!r} is neither a .tml file nor a folder"
            )
    if not files:
        raise ParameterError("invalid value for 'paths': no .tml files found there")
    return files


def match_timexes(
    gold: list[dict[str, Any]], system: list[dict[str, Any]]
) -> tuple[int, int, int, list[tuple[dict, dict]]]:
    """Align gold and system spans of one document.

    Returns ``(strict, relaxed_gold, relaxed_system, pairs)``: exact span matches, gold spans
    overlapped by some system span, system spans overlapping some gold span, and one-to-one
    (gold, system) pairs of overlapping spans used for attribute scoring.
    """
    strict = 0
    sys_spans = {(s["start"], s["end"]) for s in system}
    for g in gold:
        if (g["start"], g["end"]) in sys_spans:
            strict += 1
    pairs: list[tuple[dict, dict]] = []
    used: set[int] = set()
    rel_gold = 0
    for g in gold:
        hit = False
        for i, s in enumerate(system):
            if s["start"] < g["end"] and g["start"] < s["end"]:
                hit = True
                if i not in used:
                    used.add(i)
                    pairs.append((g, s))
                    break
        rel_gold += hit
    rel_sys = sum(
        1 for s in system if any(s["start"] < g["end"] and g["start"] < s["end"] for g in gold)
    )
    return strict, rel_gold, rel_sys, pairs


def _prf(tp_p: int, n_sys: int, tp_r: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class TimexScores:
    """TempEval-3 scores of one run; :meth:`to_frame` gives one row per metric."""

    n_files: int
    n_gold: int
    n_system: int
    strict: tuple[float, float, float]
    relaxed: tuple[float, float, float]
    type_accuracy: float
    value_accuracy: float
    errors: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def type_f1(self) -> float:
        return self.type_accuracy * self.relaxed[2]

    @property
    def value_f1(self) -> float:
        return self.value_accuracy * self.relaxed[2]

    def to_frame(self) -> pd.DataFrame:
        """Columns ``metric, value``: strict/relaxed precision, recall, F1, type/value F1."""
        import pandas as pd

        rows = [
            ("strict_precision", self.strict[0]),
            ("strict_recall", self.strict[1]),
            ("strict_f1", self.strict[2]),
            ("relaxed_precision", self.relaxed[0]),
            ("relaxed_recall", self.relaxed[1]),
            ("relaxed_f1", self.relaxed[2]),
            ("type_accuracy", self.type_accuracy),
            ("type_f1", self.type_f1),
            ("value_accuracy", self.value_accuracy),
            ("value_f1", self.value_f1),
            ("n_files", float(self.n_files)),
            ("n_gold", float(self.n_gold)),
            ("n_system", float(self.n_system)),
        ]
        return pd.DataFrame(rows, columns=["metric", "value"])

    def errors_frame(self) -> pd.DataFrame:
        """Columns ``file, kind (missed|spurious|value|type), text, gold, system, context, rule``."""
        import pandas as pd

        cols = ["file", "kind", "text", "gold", "system", "context", "rule"]
        return pd.DataFrame(self.errors, columns=cols)


def score_docs(
    docs: list[TimemlDoc], tagger: Callable[[str, str | None], list[dict[str, Any]]]
) -> TimexScores:
    """Score ``tagger(text, dct) -> list of {start, end, type, value}`` on parsed documents."""
    n_gold = n_sys = strict = rel_g = rel_s = 0
    n_pairs = type_ok = value_ok = 0
    errors: list[dict[str, Any]] = []
    for doc in docs:
        system = tagger(doc.text, doc.dct)
        s, rg, rs, pairs = match_timexes(doc.timexes, system)
        n_gold += len(doc.timexes)
        n_sys += len(system)
        strict += s
        rel_g += rg
        rel_s += rs
        n_pairs += len(pairs)

        def ctx(a: int, b: int, text: str = doc.text) -> str:
            return " ".join(text[max(0, a - 40) : b + 40].split())

        for g, x in pairs:
            type_ok += g["type"] == x["type"]
            value_ok += g["value"] == x["value"]
            if g["value"] != x["value"] or g["type"] != x["type"]:
                errors.append(
                    {
                        "file": doc.name,
                        "kind": "value" if g["value"] != x["value"] else "type",
                        "text": f"{g['text']!r} / {doc.text[x['start'] : x['end']]!r}",
                        "gold": f"{g['type']} {g['value']}",
                        "system": f"{x['type']} {x['value']}",
                        "context": ctx(g["start"], g["end"]),
                        "rule": x.get("rule"),
                    }
                )
        for g in doc.timexes:
            if not any(x["start"] < g["end"] and g["start"] < x["end"] for x in system):
                errors.append(
                    {
                        "file": doc.name,
                        "kind": "missed",
                        "text": g["text"],
                        "gold": f"{g['type']} {g['value']}",
                        "system": None,
                        "context": ctx(g["start"], g["end"]),
                    }
                )
        for x in system:
            if not any(x["start"] < g["end"] and g["start"] < x["end"] for g in doc.timexes):
                errors.append(
                    {
                        "file": doc.name,
                        "kind": "spurious",
                        "text": doc.text[x["start"] : x["end"]],
                        "gold": None,
                        "system": f"{x['type']} {x['value']}",
                        "context": ctx(x["start"], x["end"]),
                        "rule": x.get("rule"),
                    }
                )
    return TimexScores(
        n_files=len(docs),
        n_gold=n_gold,
        n_system=n_sys,
        strict=_prf(strict, n_sys, strict, n_gold),
        relaxed=_prf(rel_s, n_sys, rel_g, n_gold),
        type_accuracy=type_ok / n_pairs if n_pairs else 0.0,
        value_accuracy=value_ok / n_pairs if n_pairs else 0.0,
        errors=errors,
    )


def evaluate_timeml(
    paths: Iterable[str | Path] | str | Path, *, details: bool = False
) -> pd.DataFrame | TimexScores:
    """Score :func:`dprkbrief.tag_dates` on TimeML files or folders of ``.tml`` files.

    Returns a DataFrame with columns ``metric, value`` (strict/relaxed precision, recall and F1,
    type and value accuracy and F1, counts). With ``details=True`` returns the
    :class:`TimexScores` object, whose ``errors_frame()`` lists every miss and wrong value.
    """
    from .tagger import tag_dates_records

    docs = [read_timeml(p) for p in _expand(paths)]
    scores = score_docs(docs, tag_dates_records)
    return scores if details else scores.to_frame()
