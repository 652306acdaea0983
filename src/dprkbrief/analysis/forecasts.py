"""Forecast ledger: the predictions experts make, with horizons resolved to dates, and scoring.

A forecast is an own-voice statement of claim type ``prediction`` with a future-oriented
cue (``[[future]]`` in ``lexicons/horizons.toml``: will, would, likely, expects, next
year ...; past reporting is not a forecast). Its horizon comes from
time expressions in the sentence (``lexicons/horizons.toml``: "next year", "maybe not in
year one", "before the end of the first term" ...) resolved against the document date.
Outcomes are recorded by users in a CSV (``corpus/outcomes.csv``): ``forecast_id``
(``"<doc_id>@<start offset>"`` of the sentence), ``outcome`` (1 = came true as stated, 0 = did not, empty =
unresolved), ``resolved_on``, ``note``. :func:`score_forecasts` turns them into Brier scores,
taking the statement's certainty as the forecast probability of what it says.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import calendar as cal
from .._validate import check_type
from ..errors import CorpusError, ParameterError, RuleFileError
from ..resources import file_key
from .codebook import _path, load_toml

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus

FORECAST_COLUMNS = [
    "forecast_id",
    "expert",
    "expert_list",
    "doc_id",
    "seg_id",
    "start",
    "end",
    "quote",
    "doc_date",
    "topics",
    "direction",
    "certainty",
    "horizon",
    "horizon_start",
    "horizon_end",
    "horizon_mod",
    "source",
    "source_kind",
    "cue",
    "hedges",
]
OUTCOME_COLUMNS = ["forecast_id", "outcome", "resolved_on", "note"]
SCORE_COLUMNS = ["expert", "n_forecasts", "n_scored", "brier", "mean_certainty", "hit_rate"]
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12}
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_number(name: str) -> int:
    """Month number of a month name, from the date rules' one month table."""
    from ..temporal.rules import load_dates

    return int(load_dates().tables["month"][name.lower().rstrip(".")])


@lru_cache(maxsize=8)
def _horizon_rules(path: str, mtime: float) -> tuple[tuple, tuple]:
    data = load_toml(path)
    rules = []
    for i, entry in enumerate(data.get("horizon", [])):
        where = f"{path}: horizon #{i + 1}"
        if entry.get("kind") not in ("year", "months", "next_month", "term_end"):
            raise RuleFileError(f"{where}: unknown kind {entry.get('kind')!r}")
        try:
            rx = re.compile(rf"(?<!\w)(?:{entry['pattern']})(?!\w)", re.IGNORECASE)
        except (KeyError, re.error) as exc:
            raise RuleFileError(f"{where}: bad or missing pattern ({exc})") from None
        rules.append((rx, entry["kind"], int(entry.get("offset", 0)), entry.get("mod", "")))
    terms = tuple(
        (date.fromisoformat(t["start"]), date.fromisoformat(t["end"])) for t in data.get("term", [])
    )
    return tuple(rules), terms or _catalog_terms()


@lru_cache(maxsize=1)
def _catalog_terms() -> tuple[tuple[date, date], ...]:
    """Executive terms from the event catalog's inaugurations (category ``inauguration``):
    each runs to the next one; the last to four years after it (the catalog is the one
    source of inauguration dates; a horizons file's own [[term]] tables override it)."""
    from ..events.catalog import load_events

    ev = load_events()
    starts = sorted(
        date.fromisoformat(d) for d in ev.loc[ev["category"] == "inauguration", "date"] if d
    )
    ends = starts[1:] + [cal.add_months(starts[-1], 48)] if starts else []
    return tuple((s, e) for s, e in zip(starts, ends, strict=True) if e is not None)


@lru_cache(maxsize=8)
def _future_rules(path: str, mtime: float) -> re.Pattern | None:
    data = load_toml(path)
    pats = []
    for i, entry in enumerate(data.get("future", [])):
        pattern = entry.get("pattern")
        try:
            re.compile(pattern)
        except (TypeError, re.error) as exc:
            raise RuleFileError(
                f"{path}: future #{i + 1}: bad or missing pattern ({exc})"
            ) from None
        pats.append(f"(?:{pattern})")
    if not pats:
        return None
    return re.compile(rf"(?<![\w’'])(?:{'|'.join(pats)})(?!\w)", re.IGNORECASE)


def future_cue(text: str, *, horizons: str | Path | None = None) -> str | None:
    """The first future-oriented cue of ``text`` ("will", "is likely", "next year"), or None.

    Forecasts need one: a prediction-like sentence that only reports the past ("the summit
    raised expectations") is not a forecast. Cues are the ``[[future]]`` tables of
    ``lexicons/horizons.toml``; a file without them accepts every sentence.
    """
    return _future_match(text, _future_rx(horizons))


def _future_rx(horizons: str | Path | None) -> re.Pattern | None:
    path = _path(horizons, "lexicons", "horizons.toml")
    return _future_rules(*file_key(path))


def _future_match(text: str, rx: re.Pattern | None) -> str | None:
    if rx is None:
        return text
    m = rx.search(text)
    return m.group(0) if m else None


def _dct(value: str | None) -> date | None:
    got = cal.parse_iso(str(value)) if value else None
    return got[0] if got else None


def resolve_horizons(
    text: str, dct: str | None, *, horizons: str | Path | None = None, dates: Any = None
) -> list[dict[str, Any]]:
    """Time windows a sentence's horizon expressions denote, resolved against ``dct``.

    Returns dicts ``{text, start, end, mod}`` (ISO dates; ``end`` empty for open windows,
    both empty when ``dct`` is unknown), in text order.
    """
    return _resolve(text, dct, _load_horizons(horizons), dates)


def _load_horizons(horizons: str | Path | None) -> tuple[tuple, tuple]:
    path = _path(horizons, "lexicons", "horizons.toml")
    return _horizon_rules(*file_key(path))


def load_horizons(horizons: str | Path | None = None) -> tuple[tuple, tuple]:
    """The compiled horizons lexicon (packaged ``lexicons/horizons.toml`` or a user's file):
    ``(horizon rules, executive terms)``; also checks its ``[[future]]`` cues compile."""
    _future_rx(horizons)
    return _load_horizons(horizons)


def _resolve(
    text: str, dct: str | None, loaded: tuple[tuple, tuple], dates: Any = None
) -> list[dict[str, Any]]:
    rules, terms = loaded
    base = _dct(dct)
    out, taken = [], []
    for rx, kind, offset, mod in rules:
        for m in rx.finditer(text):
            if any(m.start() < e and m.end() > s for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            start = end = None
            if base is not None:
                groups = m.groupdict()
                n = _COUNTS.get((groups.get("n") or "").lower(), 0)
                if kind == "year":
                    y = base.year + offset + n
                    start, end = (
                        (base, date(y, 12, 31))
                        if mod == "BEFORE"
                        else (
                            date(y, 1, 1),
                            date(y, 12, 31),
                        )
                    )
                    if mod == "AFTER":
                        start, end = date(y + 1, 1, 1), None
                elif kind == "months":
                    start, end = base, cal.add_months(base, offset)
                elif kind == "next_month":
                    month = _month_number(groups["month"])
                    # the first such month more than two months after the DCT
                    y = base.year if month - base.month > 2 else base.year + 1
                    start = date(y, month, 1)
                    end = cal.month_end(y, month)
                elif kind == "term_end":
                    ends = [e for s, e in terms if s <= base < e] or [
                        e for s, e in terms if s > base
                    ]
                    start, end = base, (min(ends) if ends else None)
            out.append(
                {
                    "text": m.group(0),
                    "start": start.isoformat() if start else "",
                    "end": end.isoformat() if end else "",
                    "mod": mod,
                    "pos": m.start(),
                }
            )
    if not out and base is not None:
        out = _tagger_horizons(text, base, dates)
    out.sort(key=lambda h: h.pop("pos"))
    return out


@lru_cache(maxsize=4)
def _warn_tagger(message: str) -> None:
    import warnings

    from ..errors import DprkbriefWarning

    warnings.warn(
        f"temporal tagger unavailable ({message}); forecast horizons come from "
        "lexicons/horizons.toml only",
        DprkbriefWarning,
        stacklevel=3,
    )


class _Timex(NamedTuple):
    text: str
    type: str
    value: Any
    mod: Any
    start: int


def _tagger_horizons(text: str, base: date, dates: Any = None) -> list[dict[str, Any]]:
    """Future DATE expressions from the temporal tagger, when it is installed."""
    try:
        from ..temporal.tagger import tag_dates_records
    except ImportError:  # the temporal layer is optional for forecasts
        return []
    from ..errors import DprkbriefError

    try:
        tagged = tag_dates_records(text, dct=base.isoformat(), dates=dates)
    except DprkbriefError as exc:  # a broken tagger must not sink the ledger: say so once
        _warn_tagger(str(exc))
        return []
    out = []
    for rec in tagged:
        row = _Timex(rec["text"], rec["type"], rec["value"], rec.get("mod"), rec["start"])
        window = _date_window(str(row.value)) if row.type == "DATE" else None
        if window is None:
            continue
        start, end = window
        if end < base:
            continue
        mod = str(row.mod or "")
        out.append(
            {
                "text": row.text,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "mod": mod,
                "pos": int(row.start),
            }
        )
    return out


def _date_window(value: str) -> tuple[date, date] | None:
    """First and last day of a TIMEX3 date value: a year, month, day or season ("2025-SP";
    meteorological seasons of the northern hemisphere, winter running into the next year)."""
    season = re.match(r"^(\d{4})-(SP|SU|FA|AU|WI)$", value)
    if season:
        start = date(int(season.group(1)), _SEASON_START[season.group(2)], 1)
        end = cal.add_months(start, 3)
        return (start, end - timedelta(days=1)) if end else None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", value)
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    start = date(y, int(mo or 1), int(d or 1))
    if mo is None:
        return start, date(y, 12, 31)
    if d is None:
        return start, cal.month_end(y, int(mo))
    return start, start


def _iso_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def forecast_id(doc_id: str, start: int) -> str:
    """Stable key of a forecast: ``"<doc_id>@<start offset>"`` (survives re-segmentation)."""
    return f"{doc_id}@{int(start)}"


def forecasts(
    corpus: Corpus,
    *,
    docs: list[str] | None = None,
    experts: list[str] | str | None = None,
    topics: list[str] | str | None = None,
    min_certainty: float = 0.0,
    codebook: str | Path | None = None,
    horizons: str | Path | None = None,
    dates: Any = None,
    rules: Any = None,
) -> pd.DataFrame:
    """The forecast ledger: forward-looking claims by experts, with horizon and certainty.

    A row is a sentence :func:`dprkbrief.analysis.stance.is_forward_claim` accepts (a modal or
    future construction over an outcome; never a question, courtesy, formula, narration,
    counterfactual, schedule or term of an agreement) whose source is a named person: quoted
    (registry name, else as written), or the document's own voice (its authors, an
    interview's speaker) when that voice is not relaying someone else
    (:func:`dprkbrief.analysis.positions.holders`). Anonymous sources and institutions make
    no forecasts here.

    Columns: ``forecast_id`` (``"<doc_id>@<sentence start>"``, the key of the outcomes
    file), ``expert, expert_list, doc_id, seg_id`` (the sentence), ``start, end, quote``
    (evidence: the clause of the future construction), ``doc_date`` (None when undated),
    ``topics, direction`` (from the sentence's stance cells), ``certainty`` (0-1,
    :func:`dprkbrief.span_certainty`), ``horizon, horizon_start, horizon_end, horizon_mod``
    (the latest-ending window of the horizons lexicon, else of the date tagger, resolved
    against the document date; ISO, empty when open or unresolved), ``source, source_kind,
    cue`` (the future construction), ``hedges``. ``rules``: a
    :class:`dprkbrief.resources.bundle.Resources` or a dict kind -> path (kinds ``stance``,
    ``hedges``, ``horizons``, ``codebook``, ``attribution`` ...): a user's file of each kind.
    ``dates`` is the date rules for the tagger (None: those of ``rules``, else shipped).
    """
    import pandas as pd

    from ..corpus.corpus import Corpus
    from ..pipeline.fold import record_list
    from .codebook import check_topics
    from .experts import build_people, name_key
    from .statements import _expert_filter, _user_rule, link_names, rule_resources

    check_type("corpus", corpus, Corpus)
    check_type("min_certainty", min_certainty, (int, float))
    if not 0 <= min_certainty <= 1:
        raise ParameterError(f"invalid value for 'min_certainty': {min_certainty!r}; use 0-1")
    docs = corpus._check_docs(docs)
    if docs is not None:
        corpus = corpus.select(docs)
    compiled = dates is not None and not isinstance(dates, (str, Path))
    res = rule_resources(
        rules, corpus, codebook=codebook, horizons=horizons, dates=None if compiled else dates
    )
    topic_ids = check_topics(topics, codebook or _user_rule(res, "codebook"))
    if compiled:  # date rules given as an object: computed per document, not cached
        rows = [r for d in corpus.doc_ids for r in forecast_records(corpus[d], res, dates=dates)]
    else:  # a fold over the per-document ``forecasts`` records, then the names
        rows = record_list(corpus, "forecasts", res)
    people = build_people(corpus, lexicon=_user_rule(res, "attribution"))
    rows = [r for r in rows if r["certainty"] >= min_certainty]
    for r in rows:
        r["expert_list"] = link_names(list(r["expert_list"]), people)
        r["expert"] = " & ".join(r["expert_list"])
        r["source"] = link_names(r["source"], people)
    df = pd.DataFrame(rows, columns=FORECAST_COLUMNS)
    wanted = _expert_filter(experts, people, corpus.doc_ids)
    if wanted is not None:
        keep = df["expert_list"].map(
            lambda ns: any(name_key(n, people.rules) in wanted for n in ns)
        )
        df = df[keep.astype(bool)]
    if topic_ids is not None:
        df = df[df["topics"].map(lambda ts: any(t in topic_ids for t in ts)).astype(bool)]
    df = df.reset_index(drop=True)
    # undated documents: None, not NaN (pandas would infer a string column with NaN)
    dcts = {d: _iso_or_none(corpus[d].meta.get("date")) for d in corpus.doc_ids}
    df["doc_date"] = pd.Series([dcts[d] for d in df["doc_id"]], index=df.index, dtype=object)
    return df


def forecast_records(document: Any, resources: Any, *, dates: Any = None) -> list[dict]:
    """The forecast rows of one document (the ``forecasts`` step of ``dprkbrief.annotate``)
    before the ``min_certainty``, ``experts`` and ``topics`` filters: columns
    ``FORECAST_COLUMNS``, expert names deferred (``statements.link_names``). Claims from
    ``stance.forecast_claims`` with the rule files of ``resources`` (``dates``: date rules
    for the tagger, None = those of ``resources``), held as ``positions.holders`` says."""
    from types import SimpleNamespace

    from ..pipeline.fold import document_records
    from .codebook import topic_rules
    from .positions import holders
    from .stance import forecast_claims
    from .statements import document_people

    doc_id = document.doc_id
    people, quotes = document_people(document, resources)
    authors = [people.name(k) for k in people.doc_authors.get(doc_id, [])]
    sents = [SimpleNamespace(**r) for r in document_records(document, "statements", resources)]
    dct = _iso_or_none(document.meta.get("date"))
    claims = forecast_claims(
        document,
        resources,
        quotes=quotes,
        authors=authors,
        dct=dct,
        topics=tuple(topic_rules(resources.rule_path("codebook"))),
        horizons=resources.rule_path("horizons"),
        dates=dates,
    )
    rows = []
    for c in claims:
        sent = _statement_at(sents, c["sentence_start"])
        names = holders(c["source_kind"], c["expert"], c["source"], sent)
        if not names:
            continue
        rows.append(
            {
                "forecast_id": forecast_id(doc_id, sent.start if sent else c["start"]),
                "expert": " & ".join(names),
                "expert_list": names,
                "doc_id": doc_id,
                "seg_id": sent.seg_id if sent else None,
                "start": int(c["start"]),
                "end": int(c["end"]),
                "quote": c["quote"],
                "doc_date": dct,
                "topics": c["topics"],
                "direction": int(c["direction"]),
                "certainty": c["certainty"],
                "horizon": c["horizon"],
                "horizon_start": c["horizon_start"],
                "horizon_end": c["horizon_end"],
                "horizon_mod": c["horizon_mod"],
                "source": c["source"],
                "source_kind": c["source_kind"],
                "cue": c["cue"],
                "hedges": c["hedges"],
            }
        )
    return rows


def _statement_at(rows: list[Any], pos: int) -> Any:
    """The statements row (a sentence) holding character ``pos``, or None."""
    for row in rows:
        if row.start <= pos < row.end:
            return row
    return None


def outcomes_path(corpus: Corpus) -> Path | None:
    """``outcomes.csv`` in the corpus directory, if the corpus was loaded from one and has it."""
    root = getattr(corpus, "path", None)
    if root is None:
        return None
    path = Path(root) / "outcomes.csv"
    return path if path.exists() else None


def load_outcomes(outcomes: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read an outcomes CSV (or check a DataFrame): ``forecast_id, outcome, resolved_on, note``.

    ``outcome`` must be 1, 0 or empty; anything else raises a CorpusError naming the row.
    """
    import pandas as pd

    if isinstance(outcomes, (str, Path)):
        path = Path(outcomes)
        if not path.exists():
            raise CorpusError(
                f"outcomes file not found: {path}; write one with columns "
                f"{', '.join(OUTCOME_COLUMNS)} (see outcomes_template)"
            )
        import io

        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
            body = "".join(line for line in lines if not line.startswith("#"))
            df = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
        except (
            OSError,
            UnicodeDecodeError,
            pd.errors.ParserError,
            pd.errors.EmptyDataError,
        ) as exc:
            why = getattr(exc, "strerror", None) or str(exc).strip() or type(exc).__name__
            raise CorpusError(
                f"{path}: cannot be read as an outcomes CSV ({why}); it must be a UTF-8 CSV "
                f"file with columns {', '.join(OUTCOME_COLUMNS)} (see outcomes_template)"
            ) from None
        where = str(path)
    else:
        check_type("outcomes", outcomes, pd.DataFrame, hint="a path or a DataFrame")
        df = outcomes.astype(object).where(outcomes.notna(), "")
        where = "outcomes"
    missing = [c for c in ("forecast_id", "outcome") if c not in df.columns]
    if missing:
        raise CorpusError(f"{where}: missing column(s) {missing}; expected {OUTCOME_COLUMNS}")
    values = []
    for i, v in enumerate(df["outcome"]):
        s = str(v).strip()
        if s in ("", "nan", "None"):
            values.append(None)
        elif s in ("1", "1.0", "0", "0.0"):
            values.append(int(float(s)))
        else:
            raise CorpusError(
                f"{where}: row {i + 1} ({df['forecast_id'].iloc[i]}): outcome {v!r} must be "
                f"1 (came true), 0 (did not) or empty (unresolved)"
            )
    out = df.copy()
    out["outcome"] = pd.array(values, dtype="Int64")
    for col in OUTCOME_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    return out


def outcomes_template(
    forecasts: pd.DataFrame, *, existing: str | Path | pd.DataFrame | None = None
) -> pd.DataFrame:
    """An outcomes table for ``forecasts``: one row each, ``outcome`` blank.

    With ``existing`` (a previous outcomes file or table), filled rows are carried over, so
    ``outcomes_template(forecasts(corpus), existing=path).to_csv(path, index=False)``
    refreshes the file after the corpus or the rules change. Columns: ``forecast_id,
    outcome, resolved_on, note, quote``.
    """
    import pandas as pd

    out = pd.DataFrame(
        {
            "forecast_id": forecasts["forecast_id"],
            "outcome": "",
            "resolved_on": "",
            "note": "",
            "quote": forecasts["quote"],
        }
    )
    if existing is not None:
        old = load_outcomes(existing).set_index("forecast_id")
        for i, fid in enumerate(out["forecast_id"]):
            if fid in old.index and pd.notna(old.at[fid, "outcome"]):
                out.loc[i, "outcome"] = str(int(old.at[fid, "outcome"]))
                out.loc[i, "resolved_on"] = old.at[fid, "resolved_on"]
                out.loc[i, "note"] = old.at[fid, "note"]
    return out


def score_forecasts(forecasts: pd.DataFrame, outcomes: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Brier score per expert over the forecasts whose outcome is filled in.

    Brier = mean((certainty - outcome)^2): 0 is perfect, 0.25 is a coin flip at 0.5.
    Columns: ``expert, n_forecasts, n_scored, brier`` (NaN when nothing is scored yet),
    ``mean_certainty, hit_rate`` (share of scored forecasts that came true). Co-authors
    each get the joint forecasts. Resolved outcome rows whose ``forecast_id`` is not among the
    forecasts are not scored, with a DprkbriefWarning (stale ids, or filtered forecasts).
    """
    import pandas as pd

    check_type("forecasts", forecasts, pd.DataFrame)
    if "forecast_id" not in forecasts.columns or "certainty" not in forecasts.columns:
        raise ParameterError(
            "invalid value for 'forecasts': pass the table from dprkbrief.forecasts(corpus)"
        )
    out = load_outcomes(outcomes)
    filled = out[out["outcome"].notna()]
    unknown = sorted(set(filled["forecast_id"]) - set(forecasts["forecast_id"]))
    if unknown:
        import warnings

        from ..errors import DprkbriefWarning

        warnings.warn(
            f"outcomes: {len(unknown)} resolved forecast_id(s) are not among the forecasts and "
            f"are not scored ({', '.join(unknown[:3])}); expected if you filtered the "
            "forecasts, else the ids ('<doc_id>@<start>') are stale: update those rows",
            DprkbriefWarning,
            stacklevel=2,
        )
    merged = forecasts.merge(out[["forecast_id", "outcome"]], on="forecast_id", how="left")
    if "expert_list" in merged.columns:
        merged = merged.explode("expert_list").assign(expert=lambda d: d["expert_list"])
    rows = []
    for expert, g in merged.groupby("expert", sort=True):
        scored = g[g["outcome"].notna()]
        err = (scored["certainty"].astype(float) - scored["outcome"].astype(float)) ** 2
        rows.append(
            {
                "expert": expert,
                "n_forecasts": len(g),
                "n_scored": len(scored),
                "brier": round(float(err.mean()), 4) if len(scored) else float("nan"),
                "mean_certainty": round(float(g["certainty"].mean()), 3),
                "hit_rate": round(float(scored["outcome"].astype(float).mean()), 3)
                if len(scored)
                else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)
