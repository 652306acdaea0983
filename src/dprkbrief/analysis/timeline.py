"""Evidence-linked timeline: every mention of a dated event in the corpus, one row each.

Catalog events are found by their cues (``dprkbrief.events.linking``); dates in sentences
that match no catalog event become ``dated_mention`` rows, so a new document yields a
timeline even for events the catalog lacks. Every segment kind that states facts is searched
(prose, captions, bios, headings, titles, tables); each row says its segment kind. A
document-level pass links a report to the event its title or first paragraph names. Every
row carries its evidence sentence.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import as_str_list, check_columns, check_type
from ..errors import DprkbriefWarning, ParameterError
from ..events import dates as _dates
from ..events.linking import (
    HOWS,
    Timex,
    anaphor_link,
    find_dates,
    load_phases,
    load_year_kinds,
    match_sentence,
    month_kind_links,
    phase_date,
    phase_of,
    resolve_events,
)
from ..segment import PROSE_KINDS
from ..segment.datelines import is_occasion, is_spoken
from ..temporal.resolve import in_quotation, narrative_cue, sentence_tense

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus.corpus import Corpus

TIMELINE_COLUMNS = [
    "event_id",
    "label",
    "date",
    "precision",
    "kind",
    "doc_id",
    "doc_date",
    "speaker",
    "seg_id",
    "start",
    "end",
    "quote",
    "cue",
    "how",
    "cue_kind",
    "cue_start",
    "cue_end",
    "timex",
    "category",
    "date_start",
    "date_end",
    "seg_kind",
    "event_date",
    "occurrence",
]
KINDS = ("catalog", "dated_mention")
# A catalog event lasting longer than this (a war, talks, a deployment) named in a sentence
# that states no date refers to the process, not to a dated occurrence (occurrence=False).
PROCESS_DAYS = 31
__all__ = ["HOWS", "KINDS", "SEGMENT_KINDS", "FACT_KINDS", "TIMELINE_COLUMNS", "timeline"]
SEGMENT_KINDS = (
    "title",
    "heading",
    "body",
    "question",
    "bullet",
    "list_item",
    "caption",
    "credit",
    "pull_quote",
    "byline",
    "bio",
    "metadata",
    "separator",
    "boilerplate",
    "speaker_label",
    "table",
    "signature",
)
# segment kinds that state facts: prose, photo captions and credits, bios, headings, tables,
# short lines under the headline (never pull-quote repeats); a publication-date line is the
# document's own date, not an event (see _front_date); the headline restates the story and
# is read by the document pass, not as a sentence (pass kinds=[..., "title"] to read it)
FACT_KINDS = frozenset(
    PROSE_KINDS | {"caption", "credit", "bio", "heading", "table", "byline", "metadata"}
)
_LIST_KINDS = frozenset({"bullet", "list_item", "table"})  # chronology lines: never date lines
_DOC_WINDOW = 31  # days around an event in which a report's date makes it "about" the event


def _excerpt(text: str, s: int, e: int, width: int = 70) -> str:
    """A short one-line excerpt of ``text`` around [s, e), cut at word boundaries."""
    left = text[max(0, s - width // 2) : s]
    right = text[e : e + width // 2 + 10]
    if s - len(left) > 0 and " " in left:
        left = "…" + left.split(" ", 1)[1]
    if e + len(right) < len(text) and " " in right:
        right = right.rsplit(" ", 1)[0] + "…"
    return " ".join((left + text[s:e] + right).split())


def _doc_dct(corpus: Corpus, doc_id: str) -> str | None:
    from ..corpus.corpus import doc_date

    dct = doc_date(corpus, doc_id)
    if dct is None:
        warnings.warn(
            f"document {doc_id!r} has no date: relative dates in it ('last year', 'in "
            "October') cannot be resolved and its doc_date is empty; give its date in the "
            "corpus catalog.toml",
            DprkbriefWarning,
            stacklevel=3,
        )
        return None
    if not isinstance(dct, str) or _dates.interval(dct) is None:
        warnings.warn(
            f"document {doc_id!r} has an unusable date {dct!r}; it is ignored (relative dates "
            "stay unresolved); fix it in the corpus catalog.toml (YYYY, YYYY-MM or YYYY-MM-DD)",
            DprkbriefWarning,
            stacklevel=3,
        )
        return None
    return dct


def story_day(dct: str | None, month_day: Any) -> str | None:
    """The reference date for relative expressions: the day of a year-less news dateline
    ("GENEVA, Oct. 21 --", month_day = (10, 21)) when it falls within a week before (or in)
    the document date -- a story filed on the 21st and printed on the 22nd says "today" of
    the 21st -- else the document date itself."""
    from datetime import date, timedelta

    iv = _dates.interval(dct) if dct else None
    if iv is None or not month_day:
        return dct
    month, day = month_day
    for year in (iv[1].year, iv[1].year - 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if iv[0] - timedelta(days=7) <= d <= iv[1]:
            return d.isoformat()
    return dct


def _bounds(start: Any, end: Any):
    lo = _dates.bound(start, "start", upper=False) if start is not None else None
    hi = _dates.bound(end, "end", upper=True) if end is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise ParameterError(
            f"invalid values for 'start' and 'end': start {start!r} is after end {end!r}; swap them"
        )
    return lo, hi


def _check_kinds(kinds: Any) -> set[str]:
    from .._validate import check_choice

    names = as_str_list("kinds", kinds) or []
    if not names:
        raise ParameterError(
            "invalid value for 'kinds': an empty list searches nothing; give segment kinds "
            f"such as {sorted(FACT_KINDS)} or None for the default"
        )
    for k in names:
        check_choice("kinds", k, SEGMENT_KINDS)
    return set(names)


def _front_date(
    text: str,
    t: Timex,
    spoken: bool = False,
    rules: Any = None,
    front: bool = True,
    cache: dict[str, Any] | None = None,
) -> bool:
    """True if ``t`` dates the document rather than an event: on its line, a line that is
    little more than a date ("03/23/2010 05:12 am ET", "By Jane Roe, March 3, 2020"), a date
    introduced by label words at the start of the line ("Published: 28 Feb. 2019", "date
    2025-07-29 Trump willing to ..."), or a news dateline ("SAN DIEGO, December 25.",
    "SEOUL, Dec. 26, 2024 (Reuters) -"); ``front``: the line lies before the first long
    prose paragraph. In the record of a spoken event (``spoken``: a
    transcript, remarks, a briefing) an unlabelled or "Aired ..." date line is the day the
    event took place and is kept."""
    from ..corpus.metadata import is_dateline
    from ..segment.datelines import dateline_span, stated_dates

    lo = text.rfind("\n", 0, t.start) + 1
    hi = text.find("\n", t.end)
    line = text[lo : hi if hi >= 0 else len(text)]
    s, e = t.start - lo, t.end - lo
    # one reading per line (``cache``): a line holding many dates is read once, not once
    # per date
    got = cache.get(line) if cache is not None else None
    if got is None:
        got = (dateline_span(line, rules), list(stated_dates(line, rules)))
        if cache is not None:
            cache[line] = got
    span, stated = got
    if span is not None and s < span[1]:
        return True
    words = re.compile(r"[A-Za-z]{2,}")
    for i, d in enumerate(stated):
        if d.start < e and s < d.end:
            rest = words.findall(line[: d.start] + " " + line[d.end :])
            # a bare date line in the front matter (a chronology line further down,
            # "- June 12, 2018: Singapore summit", is a fact)
            bare = front and len(rest) <= 4 and not line.rstrip().endswith(".")
            labelled = d.labelled and len(words.findall(line[: d.start])) <= 3
            if spoken and (bare or labelled) and (d.role == "held" or not d.labelled):
                return False
            return bare or labelled or (i == 0 and not d.labelled and is_dateline(line, d))
    return False


def _base(s: Any, doc_id: str, dct: str | None) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "doc_date": dct,
        "speaker": s.speaker,
        "seg_id": s.seg_id,
        "start": int(s.start),
        "end": int(s.end),
        "quote": s.text,
        "seg_kind": s.kind,
    }


def _lead_sentences(sents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per document, the sentences of its title and its first prose paragraph."""
    import pandas as pd

    out = {}
    for doc_id, g in sents.groupby("doc_id", sort=False):
        title = g[g["kind"] == "title"]
        prose = g[g["kind"].isin(PROSE_KINDS) & g["paragraph_id"].notna()]
        first = (
            prose[prose["paragraph_id"] == prose["paragraph_id"].iloc[0]] if len(prose) else prose
        )
        parts = [f for f in (title, first) if len(f)]
        if parts:
            out[doc_id] = pd.concat(parts)
    return out


def _document_rows(
    lead: pd.DataFrame,
    doc_id: str,
    dct: str | None,
    compiled: list,
    spans: dict[str, tuple[str, str]],
    linked: set[str],
    year_kinds: list,
) -> list[dict[str, Any]]:
    """One ``how="document"`` row per event the title or first paragraph names that no
    sentence row links yet: aliases and patterns name it alone; generic cues ("the summit",
    "Trump-Kim meeting") when the report's date lies within a month of the event."""
    from datetime import timedelta

    context = " ".join(lead["text"])
    stamp: list[Timex] = []
    iv = _dates.interval(dct) if dct else None
    if iv is not None:
        pad = timedelta(days=_DOC_WINDOW)
        stamp = [Timex(-1, -1, "", dct, None, iv[0] - pad, iv[1] + pad, True)]
    out = []
    for s in lead.itertuples(index=False):
        links, _ = match_sentence(s.text, compiled, stamp, context=context, year_kinds=year_kinds)
        for link in links:
            eid = link["event_id"]
            if eid in linked or (link["how"] == "differs" and link["cue_kind"] != "alias"):
                continue
            linked.add(eid)
            row = dict(_base(s, doc_id, dct), **link, kind="catalog")
            row.update(
                date=link["event_date"],
                how="document",
                timex=None,
                cue_start=int(s.start + link["cue_start"]),
                cue_end=int(s.start + link["cue_end"]),
            )
            precision = next(ev.precision for ev in compiled if ev.event_id == eid)
            row["precision"] = precision
            row["date_start"], row["date_end"] = spans[eid]
            out.append(row)
    return out


def _mention_row(
    base: dict[str, Any], s: Any, start: int, end: int, cue: str, **fields: Any
) -> dict[str, Any]:
    """A ``dated_mention`` row of sentence ``s`` whose cue is ``cue`` at ``start:end`` of the
    sentence; ``fields`` give ``date, precision, cue_kind, how, timex, date_start, date_end``."""
    return dict(
        base,
        event_id=None,
        label=_excerpt(s.text, start, end),
        date=fields["date"],
        precision=fields["precision"],
        category=None,
        kind="dated_mention",
        cue=cue,
        cue_kind=fields["cue_kind"],
        cue_start=int(s.start + start),
        cue_end=int(s.start + end),
        how=fields["how"],
        timex=fields["timex"],
        date_start=fields["date_start"],
        date_end=fields["date_end"],
        event_date=None,
    )


def _term_row(s: Any, base: dict[str, Any], dct: str | None, previous: Any) -> Any:
    """A ``dated_mention`` row for a period of an office-holder's term the sentence names
    ("In its first six months, the Obama Administration ...": 2009), with the period (for a
    "later six months" after it), or None. See ``dprkbrief.events.terms``."""
    from ..events.terms import term_period

    got = term_period(str(s.text), dct, previous=previous)
    if got is None:
        return None
    m, value, precision, period = got
    iv = _dates.interval(value)
    row = _mention_row(
        base,
        s,
        m.start(),
        m.end(),
        m.group(0),
        date=value,
        precision=precision,
        cue_kind="term",
        how="relative",
        timex=value,
        date_start=iv[0].isoformat(),
        date_end=iv[1].isoformat(),
    )
    return row, period


def _future_in_past(rows: list[dict[str, Any]], dct: str | None, rules: Any) -> list[str]:
    """Dates a past-tense sentence states that lie after the document date ("The envoys
    met in Hanoi on March 5, 2031" in a 2019 report): the text or the document date is
    wrong; the caller warns and keeps the rows (never a silent drop)."""
    iv = _dates.interval(dct) if dct else None
    if iv is None:
        return []
    out = []
    for r in rows:
        if r["how"] != "explicit" or r["kind"] != "dated_mention":
            continue
        lo = _dates.interval(r["date_start"])[0]
        before = r["quote"][: r["cue_start"] - r["start"]]
        # only the date of the occurrence itself ("met ... on March 5, 2031"), not a
        # deadline or forecast in reported speech ("unlikely before 2024")
        if (
            lo > iv[1]
            and _OCCURRENCE_DATE.search(before)
            and sentence_tense(r["quote"], rules)[0] == "past"
        ):
            out.append(f"{r['cue']!r} in {_excerpt(r['quote'], 0, 0, 60)!r}")
    return out


_OCCURRENCE_DATE = re.compile(r"\b(?:on|in)\s+(?:the\s+)?$", re.I)


def _headline_repeats(rows: list[dict[str, Any]], front_end: int) -> list[dict[str, Any]]:
    """The rows of one document without those of a headline that the story repeats: a
    heading before the first long prose paragraph ("Powell Says 1994 Accord With North
    Korea Null, Void", "PUEBLO CREW BACK WITH FAMILIES", a programme name "CNN Sunday
    Morning") whose event or date another row of the document carries adds nothing but a
    second row for the same fact."""

    def headline(r: dict[str, Any]) -> bool:
        return r["seg_kind"] == "heading" and r["start"] < front_end

    told = {v for r in rows if not headline(r) for v in (r["event_id"], r["date"], r["timex"])}
    return [r for r in rows if not (headline(r) and (r["event_id"] or r["date"]) in told)]


# sentences that narrate the story's day in a news report: past tense, no date of their own
_NARRATIVE_GENRES = frozenset({"news"})
_QUOTE_OPEN = tuple("\"“‘'")
_NEGATED = re.compile(r"\b(?:not|never|no\s+longer)\b|n['’]t\b", re.I)
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def _narrative_rows(
    seq: list[tuple[Any, list[Timex], list[dict[str, Any]]]],
    meta: dict[str, Any],
    ref: str | None,
    *,
    dct: str | None,
    rules: Any,
    doc_text: str = "",
) -> list[dict[str, Any]]:
    """``how="narrative"`` rows of one news report (genre ``news`` in its metadata, not the
    record of a spoken event): HeidelTime's news mode read at sentence level. The lead --
    the first prose sentence -- tells the news of the story's day when it states no date
    ("The United States has unveiled a United Nations resolution ..."); a sentence that
    states the story's day ("... left Singapore Tuesday") sets the reference time, and the
    past-tense sentences after it that state no date of their own ("The two envoys
    expressed hope after a long day of talks", "Then she was off to Tokyo") narrate
    that day, until a sentence states another date or stops narrating (no past cue).
    The story's day is ``ref`` (the dateline's day, else the document date, at day
    precision) or the lead's own date when that lies within a day of it ("early Wednesday
    local time" in a report dated Tuesday). Direct quotations and questions are skipped;
    a sentence that already has a dated row gets none. Op-eds, analyses, interviews and
    transcripts get none: their narrative is not of one day. A negated sentence ("had not
    yet joined the fighting") reports no occurrence and gets none; nor does a sentence that
    only reports what was said ("CNN confirmed the launch", "Sanders said on Twitter that
    ..."), except the lead, whose statement is the day's news ("The deal is off, he said."):
    the cue is the first verb that narrates, not one of saying (``narrative_cue``)."""
    if meta.get("genre") not in _NARRATIVE_GENRES or meta.get("spoken") or not ref:
        return []
    iv = _dates.interval(ref)
    if iv is None or iv[0] != iv[1]:
        return []
    story = iv[0]
    prose = [x for x in seq if x[0].kind == "body"]
    out: list[dict[str, Any]] = []
    carry = False
    for n, (s, local, srows) in enumerate(prose):
        text = str(s.text).strip()
        if n == 0 and local:
            days = [t.lo for t in local if t.lo == t.hi and abs((t.lo - story).days) <= 1]
            story = days[0] if days else story
        if local:
            carry = any(t.lo == t.hi == story for t in local)
            continue
        if text.startswith(_QUOTE_OPEN) or text.endswith("?") or len(text.split()) < 5:
            continue
        if in_quotation(doc_text, int(s.start)):
            continue  # the second sentence of a quotation: another speaker's words
        if _NEGATED.search(_QUOTED.sub(" ", text)):
            continue  # "had not yet joined the fighting": no occurrence (TimeML polarity NEG)
        # the narrator's tense: quoted words ("promised: “The world will see ...”") are
        # another speaker's
        own = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
        tense, cue = sentence_tense(own, rules)
        if tense != "past":
            carry = False
            if n:
                continue
        if not (n == 0 or carry) or cue is None:
            continue
        if tense == "past":  # "said" tells; "carried out" narrates
            event = narrative_cue(own, rules)
            if event is None and n:
                continue  # only a report of what was said ("CNN confirmed the launch")
            cue = event or cue  # the lead is the day's news, a statement too
        if any(_is_occurrence(r) for r in srows):
            continue  # the sentence is dated already (a catalog event it names)
        out.append(
            _mention_row(
                _base(s, s.doc_id, dct),
                s,
                cue.start(),
                cue.end(),
                cue.group(0),
                date=story.isoformat(),
                precision="day",
                cue_kind="narrative",
                how="narrative",
                timex=None,
                date_start=story.isoformat(),
                date_end=story.isoformat(),
            )
        )
    return out


_PROPER = re.compile(r"\b[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)*\b")
_SUFFIX = re.compile(r"(?:ied|ed|es|ing|s|e|d)$")


def _stem(word: str) -> str:
    w = word.lower()
    cut = _SUFFIX.sub("", w)
    return cut if len(cut) >= 4 else w


def _restated_rows(
    seq: list[tuple[Any, list[Timex], list[dict[str, Any]]]],
    rows: list[dict[str, Any]],
    *,
    dct: str | None,
    rules: Any,
) -> list[dict[str, Any]]:
    """A summary sentence that the next sentence restates with a date ("Meanwhile, the
    ministry invited a U.N. inspector to Yongbyon." then "The ministry announced
    yesterday that it had invited the chief inspector to Yongbyon"): a past-tense
    prose sentence without a date or row of its own whose narrating verb (``narrative_cue``,
    not a copula) the next sentence repeats (same stem) with the same proper noun after it
    takes the next sentence's date (day or month precision), ``how="relative"``,
    ``cue_kind="restated"``. Parallel sentences about other places or people ("He visited
    Seoul. He visited Tokyo on Tuesday.") share no argument and stay undated."""
    dated = {r["start"] for r in rows}
    out: list[dict[str, Any]] = []
    for (s, local, _srows), (nxt, nlocal, _n) in zip(seq, seq[1:]):
        if s.kind != "body" or local or int(s.start) in dated or not nlocal:
            continue
        if sentence_tense(str(s.text), rules)[0] != "past":
            continue
        cue = narrative_cue(str(s.text), rules)
        if cue is None or (rules.auxiliary is not None and rules.auxiliary.fullmatch(cue.group(0))):
            continue
        stem = _stem(cue.group(0))
        again = next(
            (m for m in re.finditer(r"[A-Za-z]+", str(nxt.text)) if _stem(m.group(0)) == stem),
            None,
        )
        if again is None:
            continue
        after = {m.group(0) for m in _PROPER.finditer(str(s.text), cue.end())}
        if not after & {m.group(0) for m in _PROPER.finditer(str(nxt.text), again.end())}:
            continue
        t = next((t for t in nlocal if t.precision in ("day", "month")), None)
        if t is None:
            continue
        out.append(
            _mention_row(
                _base(s, s.doc_id, dct),
                s,
                cue.start(),
                cue.end(),
                cue.group(0),
                date=t.value,
                precision=t.precision,
                cue_kind="restated",
                how="relative" if t.relative else "explicit",
                timex=t.value,
                date_start=t.lo.isoformat(),
                date_end=t.hi.isoformat(),
            )
        )
    return out


def _occasion_rows(
    seq: list[tuple[Any, list[Timex], list[dict[str, Any]]]],
    meta: dict[str, Any],
    dct: str | None,
    datelines: Any,
    front_end: int,
    rows: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The occasion of the record of a spoken event: the front-matter heading that names it
    ("INTERVIEW OF THE PRESIDENT", "Remarks on Six-Party Talks", a ``[[spoken]]`` line of
    ``dateline.toml``) took place on the document's stated date when that date line is a
    release line ("For Immediate Release June 20, 1994"), which is no event itself. No row
    when a front-matter row already dates the occasion ("Aired October 20, 2002", "This
    interview was conducted on March 5, 2003") or the date is not stated in the text."""
    if (
        not meta.get("spoken")
        or not dct
        or not str(meta.get("date_source", "")).startswith("stated")
    ):
        return []
    iv = _dates.interval(dct)
    if iv is None or iv[0] != iv[1]:
        return []
    day = iv[0].isoformat()
    if any(r["date"] == day and r["start"] < front_end for r in rows):
        return []
    for s, _local, _rows in seq:
        if s.start >= front_end:
            break
        if s.kind == "heading" and is_spoken(str(s.text), datelines):
            text = str(s.text)
            return [
                _mention_row(
                    _base(s, s.doc_id, dct),
                    s,
                    0,
                    len(text),
                    text,
                    date=day,
                    precision="day",
                    cue_kind="occasion",
                    how="document",
                    timex=None,
                    date_start=day,
                    date_end=day,
                )
            ]
    return []


def timeline(
    corpus: Corpus,
    *,
    start: int | str | None = None,
    end: int | str | None = None,
    events: str | Path | pd.DataFrame | None = None,
    docs: list[str] | None = None,
    kinds: list[str] | None = None,
    dates: Any = None,
) -> pd.DataFrame:
    """One row per mention of a dated event in the sentences of ``corpus``.

    ``start``/``end`` keep rows whose date overlaps the range (years like 1994 or ISO strings);
    ``events`` is a catalog path or a ``load_events`` DataFrame (default: shipped catalog);
    ``docs`` restricts to those doc_ids; ``dates`` are the user's date rules
    (``dprkbrief.load_dates(...)`` or a patterns path). ``kinds`` lists the segment kinds
    searched (default ``FACT_KINDS``: prose, captions, bios, headings, titles, tables);
    pull-quote repeats are never searched, so a repeated claim adds no row. Columns:
    event_id (None for dated mentions), label (event label, or a short excerpt), date (the
    date the sentence states, else the catalog date -- the last day of a span event for a
    ``[phase]`` verb of ``linking.toml``, "the summit ended early"), precision, kind
    (catalog|dated_mention), doc_id, doc_date, speaker, seg_id (the sentence), start, end,
    quote (== text[start:end], the sentence), cue (the matched text), how
    (explicit|relative|catalog|differs|document|narrative, see ``link_events``;
    ``document``: the title or first paragraph names the event the report is about;
    ``narrative``: a news report's sentence without a date of its own narrating the story's
    day, see ``_narrative_rows``), cue_kind (alias|pattern|context|dated|year_kind|
    month_kind|anaphora|date|term|narrative|occasion|restated; ``restated``: a summary
    sentence the next one restates with a date, see ``_restated_rows``; ``anaphora``: "the
    summit ended early"
    after the document named the Hanoi summit; ``term``: "in its first six months" of a named
    administration; ``narrative``: the verb that makes the sentence narrate; ``occasion``:
    the heading of a spoken record naming its occasion, see ``_occasion_rows``), cue_start,
    cue_end (absolute offsets of the cue), timex (date value found in the sentence, or None), category, date_start,
    date_end (ISO bounds of the row's date, spans for span events), seg_kind (the segment
    kind of the sentence), event_date (the catalog date of a linked event, else None),
    occurrence (False when a sentence names a long-running catalog event -- longer than
    ``PROCESS_DAYS`` -- without stating a date: a reference to the process that
    ``event_matrix`` counts, not a dated occurrence for a chronology; True otherwise).
    Sorted by date, doc_id, start.
    """
    import pandas as pd

    from ..corpus.corpus import Corpus

    check_type("corpus", corpus, Corpus, hint="load one with dprkbrief.load_corpus(...)")
    ids = as_str_list("docs", docs)
    lo, hi = _bounds(start, end)
    # a fold over the per-document ``mentions`` records (stored in an index, memoised on
    # each document in memory); the loop below is the per-document step itself
    from ..pipeline.fold import folded_timeline

    folded = folded_timeline(
        corpus, start=start, end=end, events=events, docs=ids, kinds=kinds, dates=dates
    )
    if folded is not None:
        return folded
    if dates is not None:  # compile a user's rule files once, with a clear error if wrong
        from ..temporal.rules import as_dates

        dates = as_dates(dates)
    table, compiled = resolve_events(events)
    spans = {
        r.event_id: (r.date_start, r.date_end)
        for r in table[["event_id", "date_start", "date_end"]].itertuples(index=False)
    }
    allowed = set(FACT_KINDS) if kinds is None else _check_kinds(kinds)
    allowed -= {"pull_quote"}
    year_kinds = load_year_kinds()
    phases = load_phases()
    from ..temporal.rules import as_dates

    rules = as_dates(dates)
    dl = getattr(corpus, "datelines", None)  # the date-line rules the corpus was read with
    all_sents = corpus.segments("sentence", docs=ids)
    sents = all_sents[all_sents["kind"].isin(allowed)]
    paras = corpus.segments("paragraph", docs=ids)
    para_text = dict(zip(paras["seg_id"], paras["text"]))
    long = paras[paras["kind"].isin(PROSE_KINDS) & (paras["end"] - paras["start"] > 200)]
    front_end = long.groupby("doc_id")["start"].min().to_dict()
    leads = _lead_sentences(all_sents)

    rows: list[dict[str, Any]] = []
    for doc_id, group in sents.groupby("doc_id", sort=True):
        text = corpus[doc_id].text
        dct = _doc_dct(corpus, doc_id)
        ref = story_day(dct, corpus[doc_id].meta.get("dateline_day"))
        spoken = bool(corpus[doc_id].meta.get("spoken"))
        timexes, rejected = find_dates(text, ref, dates=dates)
        if rejected:
            warnings.warn(
                f"document {doc_id!r}: ignored {len(rejected)} implausible date(s) "
                f"({'; '.join(rejected[:3])}); years must lie in {_dates.MIN_YEAR}-"
                f"{_dates.MAX_YEAR}",
                DprkbriefWarning,
                stacklevel=2,
            )
        seq: list[tuple[Any, list[Timex], list[dict[str, Any]]]] = []
        term_prev: dict[Any, Any] = {}  # per paragraph: the term period named last
        line_cache: dict[str, Any] = {}  # date-line readings of this document's lines
        recent: list[str] = []  # the events linked so far, for "the summit" later on
        doc_first = len(rows)
        for s in group.itertuples(index=False):
            local = [
                dataclasses.replace(t, start=t.start - s.start, end=t.end - s.start)
                for t in timexes
                if t.start >= s.start and t.end <= s.end
            ]
            front = s.start < front_end.get(doc_id, len(text)) and s.kind not in _LIST_KINDS
            local = [t for t in local if not _front_date(s.text, t, spoken, dl, front, line_cache)]
            if spoken and local and dct and is_occasion(s.text, dl):  # "thanks for coming today"
                local = [t for t in local if not (t.relative and t.value == str(dct)[:10])]
            context = para_text.get(s.paragraph_id) if s.paragraph_id else None
            links, used = match_sentence(
                s.text, compiled, local, context=context, year_kinds=year_kinds
            )
            more, more_used = month_kind_links(
                s.text,
                compiled,
                local,
                dct,
                linked={x["event_id"] for x in links},
                year_kinds=year_kinds,
            )
            links, used = links + more, used | more_used
            if not links and not local and recent:  # "the summit ended early"
                back = anaphor_link(s.text, compiled, recent, year_kinds=year_kinds, phases=phases)
                links = [back] if back else []
            links = [  # "the summit ended early": the last day of a two-day summit
                phase_date(x, spans[x["event_id"]], phase_of(s.text, x["cue_end"], phases))
                if x["how"] == "catalog"
                else x
                for x in links
            ]
            recent += [x["event_id"] for x in links]
            base = _base(s, doc_id, dct)
            first = len(rows)
            for link in links:
                row = dict(base, **link, kind="catalog")
                row["cue_start"] += s.start
                row["cue_end"] += s.start
                if link["date"] == link["event_date"]:
                    row["date_start"], row["date_end"] = spans[link["event_id"]]
                else:  # the sentence's own date
                    iv = _dates.interval(link["date"])
                    row["date_start"], row["date_end"] = iv[0].isoformat(), iv[1].isoformat()
                rows.append(row)
            seen: set[str] = set()
            for i, t in enumerate(local):
                if i in used or t.value in seen:
                    continue
                seen.add(t.value)
                rows.append(
                    _mention_row(
                        base,
                        s,
                        t.start,
                        t.end,
                        t.text,
                        date=t.value,
                        precision=t.precision,
                        cue_kind="date",
                        how="relative" if t.relative else "explicit",
                        timex=t.value,
                        date_start=t.lo.isoformat(),
                        date_end=t.hi.isoformat(),
                    )
                )
            term = _term_row(s, base, dct, term_prev.get(s.paragraph_id))
            if term is not None and not any(r["kind"] == "dated_mention" for r in rows[first:]):
                rows.append(term[0])
                term_prev[s.paragraph_id] = term[1]
            seq.append((s, local, rows[first:]))
        rows += _narrative_rows(seq, corpus[doc_id].meta, ref, dct=dct, rules=rules, doc_text=text)
        rows += _restated_rows(seq, rows[doc_first:], dct=dct, rules=rules)
        rows[doc_first:] = _headline_repeats(rows[doc_first:], front_end.get(doc_id, len(text)))
        rows += _occasion_rows(
            seq, corpus[doc_id].meta, dct, dl, front_end.get(doc_id, len(text)), rows[doc_first:]
        )
        late = _future_in_past(rows[doc_first:], dct, rules)
        if late:
            warnings.warn(
                f"document {doc_id!r}: {len(late)} past-tense sentence(s) state a date after the "
                f"document date {dct} ({'; '.join(late[:3])}); the rows keep the stated date: "
                "check the text (a typo?) or the document date in the corpus catalog.toml",
                DprkbriefWarning,
                stacklevel=2,
            )
        lead = leads.get(doc_id)
        if lead is not None and kinds is not None:
            lead = lead[lead["kind"].isin(allowed)]
        if lead is not None and len(lead):
            linked = {r["event_id"] for r in rows if r["doc_id"] == doc_id and r["event_id"]}
            rows += _document_rows(lead, doc_id, dct, compiled, spans, linked, year_kinds)
    for r in rows:
        r["occurrence"] = _is_occurrence(r, rules)
    if _AS_RECORDS.get():  # timeline_records: the same rows, without a DataFrame
        return records_in_range(rows, lo, hi)
    df = pd.DataFrame(rows, columns=TIMELINE_COLUMNS, dtype=object)
    if len(df):
        df = in_date_range(df, lo, hi)
    elif len(sents):
        warnings.warn(
            f"the timeline is empty: no catalog event and no date found in the prose of "
            f"{sents['doc_id'].nunique()} document(s)",
            DprkbriefWarning,
            stacklevel=2,
        )
    return df.astype(
        {**{c: "int64" for c in ("start", "end", "cue_start", "cue_end")}, "occurrence": bool}
    )


_AS_RECORDS: ContextVar[bool] = ContextVar("dprkbrief_timeline_records", default=False)


def timeline_records(corpus: Corpus, **options: Any) -> list[dict[str, Any]]:
    """``timeline(corpus, **options)`` as plain dicts (``TIMELINE_COLUMNS``, same rows and
    order), without building a DataFrame: what the per-document ``mentions`` step of
    ``dprkbrief.annotate`` stores, at a fraction of the cost for one document."""
    token = _AS_RECORDS.set(True)
    try:
        out = timeline(corpus, **options)
    finally:
        _AS_RECORDS.reset(token)
    if not isinstance(out, list):  # the fold answered with a DataFrame of stored records
        return out.to_dict("records")
    return out


def records_in_range(rows: list[dict[str, Any]], lo: Any, hi: Any) -> list[dict[str, Any]]:
    """``in_date_range`` on plain rows: those whose date interval meets ``[lo, hi]``, in
    chronological order (then document and offsets), projected on ``TIMELINE_COLUMNS``."""
    out = []
    for r in rows:
        first = _dates.interval(r["date_start"])[0]
        if (lo is None or _dates.interval(r["date_end"])[1] >= lo) and (hi is None or first <= hi):
            rec = {c: r.get(c) for c in TIMELINE_COLUMNS}
            for c in ("start", "end", "cue_start", "cue_end"):
                rec[c] = int(rec[c])
            rec["occurrence"] = bool(rec["occurrence"])
            out.append((first, rec))
    out.sort(key=lambda x: (x[0], x[1]["doc_id"], x[1]["start"], x[1]["cue_start"]))
    return [rec for _, rec in out]


def in_date_range(df: pd.DataFrame, lo: Any, hi: Any) -> pd.DataFrame:
    """Timeline rows whose date interval meets ``[lo, hi]`` (``_bounds`` values; None = open),
    in chronological order (then document and offset). Shared by ``timeline`` and the index's
    stored-mentions path, so both select and order rows the same way."""
    import pandas as pd

    los = df["date_start"].map(lambda v: _dates.interval(v)[0])
    his = df["date_end"].map(lambda v: _dates.interval(v)[1])
    keep = pd.Series(True, index=df.index)
    if lo is not None:
        keep &= his >= lo
    if hi is not None:
        keep &= los <= hi
    df = df.assign(_lo=los)[keep].sort_values(["_lo", "doc_id", "start", "cue_start"])
    return df.drop(columns="_lo").reset_index(drop=True)


def _is_occurrence(row: dict[str, Any], rules: Any = None) -> bool:
    """False for a catalog link without a date in its sentence to a long-running event
    ("the prolonged stalemate of the six-party talks", "troops in the Kursk region"):
    the sentence names the process, it does not date something that happened; and for
    one in a sentence that narrates nothing (no past or future cue of ``tense.toml``: "The
    Singapore summit does remain very relevant"): the event is the topic, not an
    occurrence."""
    if row["kind"] != "catalog" or row["how"] != "catalog":
        return True
    if rules is not None and sentence_tense(row["quote"], rules)[0] == "present":
        return False
    lo = _dates.interval(row["date_start"])[0]
    hi = _dates.interval(row["date_end"])[1]
    return (hi - lo).days <= PROCESS_DAYS


def event_matrix(tl: pd.DataFrame, *, docs: list[str] | None = None) -> pd.DataFrame:
    """Which catalog events each document mentions: one row per event (by date).

    Columns: event_id, label, date, n_docs (documents mentioning it), n_mentions, all_docs
    (True if every document of ``docs`` -- default: every doc_id in ``tl`` -- mentions it),
    then one count column per doc_id.
    """
    import pandas as pd

    check_columns("tl", tl, TIMELINE_COLUMNS, source="dprkbrief.timeline(corpus)")
    ids = as_str_list("docs", docs) or sorted(tl["doc_id"].unique())
    cat = tl[tl["kind"] == "catalog"]
    counts = (
        pd.crosstab(cat["event_id"], cat["doc_id"]).reindex(columns=ids, fill_value=0)
        if len(cat)
        else pd.DataFrame(columns=ids, dtype="int64")
    )
    first = cat.drop_duplicates("event_id").set_index("event_id")
    out = pd.DataFrame(
        {
            "event_id": counts.index.astype(object),
            "label": [first.at[e, "label"] for e in counts.index],
            "date": [first.at[e, "date"] for e in counts.index],
            "n_docs": (counts > 0).sum(axis=1).to_numpy(dtype="int64"),
            "n_mentions": counts.sum(axis=1).to_numpy(dtype="int64"),
        }
    )
    out["all_docs"] = out["n_docs"] == len(ids)
    for d in ids:
        out[d] = counts[d].to_numpy(dtype="int64") if len(counts) else []
    key = out["event_id"].map(dict(zip(cat["event_id"], cat["date_start"])))
    return (
        out.assign(_k=key).sort_values(["_k", "event_id"]).drop(columns="_k").reset_index(drop=True)
    )


def mention_offsets(tl: pd.DataFrame, *, eras: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each timeline row placed relative to its document's date, with the era it falls in.

    ``eras`` comes from ``dprkbrief.events.catalog.load_eras`` (default: the shipped eras); a
    row whose date starts in no era gets era_id ``"other"``. Columns: doc_id, doc_date,
    seg_id, event_id, label, date, era_id, era_label, offset (years from the document's date
    to the middle of the mention's date interval: negative looks back, positive ahead; None
    without a doc_date).
    """
    import pandas as pd

    from ..events.catalog import load_eras

    check_columns("tl", tl, TIMELINE_COLUMNS, source="dprkbrief.timeline(corpus)")
    eras = load_eras() if eras is None else eras
    spans = [
        (e.era_id, e.label, _dates.interval(e.date_start)[0], _dates.interval(e.date_end)[1])
        for e in eras.itertuples(index=False)
    ]
    recs = []
    for r in tl.itertuples(index=False):
        lo = _dates.interval(r.date_start)[0]
        hi = _dates.interval(r.date_end)[1]
        era = next(((i, lb) for i, lb, a, b in spans if a <= lo <= b), ("other", "other"))
        dd = _dates.interval(r.doc_date) if isinstance(r.doc_date, str) else None
        off = None
        if dd is not None:
            mid = lo + (hi - lo) / 2
            doc_mid = dd[0] + (dd[1] - dd[0]) / 2
            off = round((mid - doc_mid).days / 365.25, 2)
        recs.append((r.doc_id, r.doc_date, r.seg_id, r.event_id, r.label, r.date, *era, off))
    cols = ["doc_id", "doc_date", "seg_id", "event_id", "label", "date", "era_id", "era_label"]
    return pd.DataFrame(recs, columns=[*cols, "offset"], dtype=object)


def era_profile(tl: pd.DataFrame, *, eras: pd.DataFrame | None = None) -> pd.DataFrame:
    """How far each document looks back or ahead: mentions per document and era.

    Columns: doc_id, doc_date, era_id, era_label, n_mentions, offset_min, offset_max (years
    from the document's date, see ``mention_offsets``; None without a doc_date), direction
    (back|same|ahead|unknown, from the median offset; "same" within half a year). Rows are
    ordered by doc_id, then era (catalog order, "other" last).
    """
    import pandas as pd

    from ..events.catalog import load_eras

    eras = load_eras() if eras is None else eras
    order = {e: i for i, e in enumerate(eras["era_id"])}
    raw = mention_offsets(tl, eras=eras)
    out = []
    for (doc_id, era_id), g in raw.groupby(["doc_id", "era_id"], sort=False):
        offs = sorted(float(o) for o in g["offset"] if o is not None)
        med = offs[len(offs) // 2] if offs else None
        if med is None:
            direction = "unknown"
        else:
            direction = "back" if med < -0.5 else "ahead" if med > 0.5 else "same"
        out.append(
            {
                "doc_id": doc_id,
                "doc_date": g["doc_date"].iloc[0],
                "era_id": era_id,
                "era_label": g["era_label"].iloc[0],
                "n_mentions": len(g),
                "offset_min": offs[0] if offs else None,
                "offset_max": offs[-1] if offs else None,
                "direction": direction,
            }
        )
    cols = ["doc_id", "doc_date", "era_id", "era_label", "n_mentions", "offset_min"]
    res = pd.DataFrame(out, columns=[*cols, "offset_max", "direction"], dtype=object)
    res = res.astype({"n_mentions": "int64"})
    key = res["era_id"].map(lambda e: order.get(e, len(order)))
    res = res.assign(_k=key).sort_values(["doc_id", "_k"]).drop(columns="_k")
    return res.reset_index(drop=True)
