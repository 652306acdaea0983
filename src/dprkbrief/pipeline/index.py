"""``build_index``: run ``annotate`` over a SOURCE with Dask and write a Parquet index;
``open_index``: read it back as a Corpus.

Layout (docs/architecture.md, "Index")::

    INDEX/manifest.json                  format, versions, rule fingerprints, steps, partitions,
                                         counts, timings, complete (true only when finished)
    INDEX/<table>/part-<key>.parquet     one file per partition and table (documents, segments,
                                         dates, mentions, people, quotations, statements,
                                         position_cells, forecasts, errors)
    INDEX/parts/<key>.json               written last for a partition: its counts and errors

A partition is up to ``partition_size`` documents in doc_id order. Each document has a
``doc key``: a hash of the steps, the fingerprints of the rule files (and model) the steps
read, its doc_id and the fingerprint of its text and metadata; a partition's ``key`` hashes
its documents' keys. A partition whose ``parts/<key>.json`` exists is not recomputed, so
re-building an unchanged source recomputes nothing and a re-run after a crash finishes the
job. In a partition that is recomputed, a document whose doc key an earlier partition of the
index already holds is copied from that partition's files, not annotated again: a re-build
recomputes exactly the documents whose text, metadata or rules changed. The driver streams
the source (``sources.scan_source``) and keeps no text; a worker reads its partition's
documents itself. Every file is written under a temporary name and renamed, so a killed
worker leaves no half-written partition behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CorpusError, DprkbriefError, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..resources.bundle import Resources
    from .sources import SourceRef

INDEX_FORMAT = "dprkbrief-index-1"
MANIFEST = "manifest.json"
PARTITION_SIZE = 32
CONNECT_TIMEOUT = "5s"


class IndexPathError(DprkbriefError):
    """An index that cannot be written or read (named ``dprkbrief.errors``-style)."""


class BuildError(DprkbriefError):
    """A build that finished with failed documents or partitions (details in ``summary``)."""

    def __init__(self, message: str, summary: dict | None = None) -> None:
        super().__init__(message)
        self.summary = summary or {}


# -- keys and manifest ----------------------------------------------------------------------


def _rules_key(resources: Resources, steps: list[str]) -> dict[str, str]:
    from .annotate import STEPS

    kinds = sorted({k for s in steps for k in STEPS[s].rule_kinds})
    out = {k: resources.fingerprints[k] for k in kinds}
    if any(STEPS[s].nlp for s in steps):
        out["model"] = resources.model_info.ident
    return out


def _doc_key(doc: SourceRef, steps: list[str], rules: dict[str, str]) -> str:
    """What one document's records depend on: format, version, steps, rules, id, text."""
    from .. import __version__

    h = hashlib.sha256(f"{INDEX_FORMAT}\0{__version__}\0{','.join(steps)}".encode())
    h.update(json.dumps(rules, sort_keys=True).encode())
    h.update(f"\0{doc.doc_id}\0{doc.fingerprint}".encode())
    return h.hexdigest()[:24]


def _step_keys(doc: SourceRef, steps: list[str], rules: dict[str, str]) -> dict[str, str]:
    """One key per step: what that step's records of the document depend on (the rule files
    of that step alone), so a build that adds or changes one step recomputes only it."""
    from .annotate import STEPS

    out = {}
    for step in steps:
        kinds = STEPS[step].rule_kinds
        mine = {k: v for k, v in rules.items() if k in kinds or (k == "model" and STEPS[step].nlp)}
        out[step] = _doc_key(doc, [step], mine)
    return out


def _partition_key(doc_keys: list[str]) -> str:
    return hashlib.sha256("\0".join(doc_keys).encode()).hexdigest()[:24]


def _read_manifest(path: Path) -> dict | None:
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == INDEX_FORMAT else None


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, default=str)
    os.replace(tmp, path)


def _claim(out: Path) -> None:
    """Refuse to write into a folder that exists, is not empty and is not an index."""
    if out.exists() and not out.is_dir():
        raise IndexPathError(f"index path {out} is a file; pass a new or an index folder as --out")
    if out.is_dir() and any(out.iterdir()) and _read_manifest(out) is None:
        raise IndexPathError(
            f"{out} exists and is not a dprkbrief index (no {MANIFEST}); refusing to overwrite "
            "it. Pass a new folder as --out."
        )
    out.mkdir(parents=True, exist_ok=True)


# -- writing one partition (runs on a worker) ------------------------------------------------


def _column(values: list[Any]) -> Any:
    import pyarrow as pa

    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: store as JSON text
        return pa.array(
            [None if v is None else json.dumps(v, default=str) for v in values], pa.string()
        )


def _write_table(rows: list[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    names: dict[str, None] = {}
    for r in rows:
        names.update(dict.fromkeys(r))
    table = pa.table({n: _column([r.get(n) for r in rows]) for n in names})
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    pq.write_table(table, tmp)
    os.replace(tmp, path)


_PROCESS_RESOURCES: dict[tuple, Resources] = {}


def _process_resources(resources: Resources) -> Resources:
    """One ``Resources`` per worker process and rule set: a pickled copy arrives with every
    task without its loaded rules and pipeline; reusing the first keeps them loaded."""
    key = (resources.language, resources.model, tuple(sorted(resources.fingerprints.items())))
    return _PROCESS_RESOURCES.setdefault(key, resources)


def run_partition(
    refs: list[SourceRef],
    key: str,
    out: str,
    steps: list[str],
    resources: Resources,
    doc_keys: list[str] | None = None,
    reuse: dict[str, dict[str, str]] | None = None,
    step_keys: list[dict[str, str]] | None = None,
) -> dict:
    """Annotate one partition and write its tables; returns its counts, errors, warnings
    (the first 20 distinct messages) and time. ``reuse`` maps a doc_id to the steps whose
    records an earlier partition of this index holds, and that partition's key: those are
    copied (a whole file when the earlier partition has the same documents), the other
    steps of the document are read from the source and annotated."""
    t0 = time.perf_counter()
    resources = _process_resources(resources)
    reuse = reuse or {}
    root = Path(out)
    ids = [r.doc_id for r in refs]
    linked = _link_whole_tables(root, key, steps, ids, reuse)
    old = _old_records(root, [s for s in steps if s not in linked], reuse)
    missing: dict[tuple[str, ...], list[SourceRef]] = {}  # the steps to compute -> documents
    for r in refs:
        have = reuse.get(r.doc_id, {})
        need = tuple(s for s in steps if s not in have)
        if need:
            missing.setdefault(need, []).append(r)
    fresh_tables: dict[str, list[dict]] = {s: [] for s in steps}
    fresh_errors: list[dict] = []
    caught: list = []
    if missing:
        structure = resources.load_rules("structure")
        datelines = resources.load_rules("datelines")
        with warnings.catch_warnings(record=True) as caught:  # kept in the partition's record
            warnings.simplefilter("always")
            for need, todo in missing.items():
                _annotate_some(
                    todo, list(need), resources, structure, datelines, fresh_tables, fresh_errors
                )
        # the next partition holds other texts: a worker keeps no parses from this one, so
        # its memory is one partition's parses however long the build runs
        from ..nlp.parsing import clear_memory_cache

        clear_memory_cache()
    by_doc: dict[str, dict[str, list[dict]]] = {}
    for name, rows in [*fresh_tables.items(), ("errors", fresh_errors)]:
        for r in rows:
            by_doc.setdefault(r["doc_id"], {}).setdefault(name, []).append(r)
    tables: dict[str, list[dict]] = {s: [] for s in steps if s not in linked}
    errors: list[dict] = []
    for r in refs:  # every table in the partition's document order
        have = reuse.get(r.doc_id, {})
        recs, mine = old.get(r.doc_id, {}), by_doc.get(r.doc_id, {})
        for name in tables:
            tables[name] += (recs if name in have else mine).get(name, [])
        errors += [e for e in recs.get("errors", []) if e["step"] in have]
        errors += [e for e in mine.get("errors", []) if e["step"] not in have]
    counts = dict(linked)
    for name, rows in [*tables.items(), ("errors", errors)]:
        counts[name] = len(rows)
        if rows:
            _write_table(rows, root / name / f"part-{key}.parquet")
    counts = {n: counts[n] for n in [*steps, "errors"]}
    todo = [r for group in missing.values() for r in group]
    shown = sorted({str(w.message) for w in caught})
    info = {
        "key": key,
        "doc_ids": [d.doc_id for d in refs],
        "doc_keys": dict(zip([d.doc_id for d in refs], doc_keys or [])),
        "step_keys": {s: {d: k[s] for d, k in zip(ids, step_keys or [])} for s in steps},
        "counts": counts,
        "errors": errors,
        "warnings": shown[:20],
        "n_warnings": len(caught),
        "seconds": round(time.perf_counter() - t0, 3),
        "n_chars": sum(d.n_chars for d in refs),
        "recomputed": [d.doc_id for d in todo],
    }
    _write_json(root / "parts" / f"{key}.json", info)  # last: the partition is complete
    return info


def _link_whole_tables(
    root: Path, key: str, steps: list[str], ids: list[str], reuse: dict[str, dict[str, str]]
) -> dict[str, int]:
    """Tables of this partition that an earlier partition with the same documents in the
    same order holds whole: hard-linked (copied where links fail) as this partition's file,
    not read and rewritten. Returns {table: rows}."""
    import shutil

    out: dict[str, int] = {}
    for step in steps:
        parts = {reuse.get(d, {}).get(step) for d in ids}
        if len(parts) != 1 or None in parts:
            continue
        part = parts.pop()
        try:
            info = json.loads((root / "parts" / f"{part}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if info.get("doc_ids") != ids or step not in info.get("counts", {}):
            continue
        src, dst = root / step / f"part-{part}.parquet", root / step / f"part-{key}.parquet"
        if info["counts"][step]:
            if not src.is_file():
                continue
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=src.parent)
            os.close(fd)
            os.unlink(tmp)
            try:
                os.link(src, tmp)
            except OSError:
                shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
        out[step] = info["counts"][step]
    return out


def _old_records(root: Path, steps: list[str], reuse: dict[str, dict[str, str]]) -> dict[str, dict]:
    """doc_id -> {table: rows} of ``steps`` copied from the earlier partitions named in
    ``reuse`` (and the errors recorded for those documents there)."""
    import pyarrow.parquet as pq

    out: dict[str, dict[str, list[dict]]] = {}
    by_part: dict[str, dict[str, list[str]]] = {}  # part -> step -> doc_ids
    for doc_id, have in reuse.items():
        for step, part in have.items():
            by_part.setdefault(part, {}).setdefault(step, []).append(doc_id)
    for part, wanted in by_part.items():
        try:
            info = json.loads((root / "parts" / f"{part}.json").read_text(encoding="utf-8"))
            found: dict[str, dict[str, list[dict]]] = {}
            for name, ids in wanted.items():
                for d in ids:
                    found.setdefault(d, {})
                if name not in steps:
                    continue
                f = root / name / f"part-{part}.parquet"
                if info["counts"].get(name) and not f.is_file():
                    raise OSError(f"{f} missing")
                if f.is_file():
                    t = pq.read_table(f, filters=[("doc_id", "in", ids)])
                    for r in t.to_pylist():
                        found[r["doc_id"]].setdefault(name, []).append(r)
            for e in info.get("errors", []):
                if e["doc_id"] in found:
                    found[e["doc_id"]].setdefault("errors", []).append(e)
        except (OSError, ValueError, KeyError):
            continue  # the earlier partition is gone or damaged: annotate these again
        for d, tables in found.items():
            mine = out.setdefault(d, {})
            for name, rows in tables.items():
                if name == "errors":
                    mine.setdefault("errors", []).extend(rows)
                else:
                    mine[name] = rows
    return out


def _annotate_some(refs, steps, resources, structure, datelines, tables, errors) -> None:
    """Read ``refs`` from the source and run ``steps`` on them into ``tables``/``errors``."""
    from .sources import load_documents

    mine: dict[str, list[dict]] = {s: [] for s in ("documents", *steps)}
    _annotate_all(load_documents(refs), steps, resources, structure, datelines, mine, errors)
    for name in steps:
        tables[name] += mine.get(name, [])


def _annotate_all(docs, steps, resources, structure, datelines, tables, errors) -> None:
    from ..corpus.corpus import _make_document
    from .annotate import annotate_many

    documents = []
    for d in docs:
        try:
            path = Path(d.path) if d.path else None
            document = _make_document(d.doc_id, d.text, path, d.entry, structure, False, datelines)
        except Exception as exc:
            errors.append(
                {"doc_id": d.doc_id, "step": "documents", "message": f"{type(exc).__name__}: {exc}"}
            )
            continue
        documents.append(document)
    for out in annotate_many(documents, resources, steps=steps, errors=errors):
        for name, recs in out.items():
            tables[name] += recs


# -- the build -------------------------------------------------------------------------------


def _client(workers: int | None, scheduler: str | None) -> tuple[Any, Any]:
    from dask.distributed import Client

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        try:
            return Client(address, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError) as exc:
            raise ParameterError(
                f"invalid value for 'scheduler': no Dask scheduler answers at {address!r} "
                f"within {CONNECT_TIMEOUT} ({exc}); start one with `dask scheduler` or leave "
                "--scheduler out to use a local cluster"
            ) from None
    cluster = local_cluster(workers or max(1, os.cpu_count() or 1))
    return Client(cluster), cluster


def local_cluster(workers: int) -> Any:
    """A ``LocalCluster`` of ``workers`` processes, one thread each, no dashboard, and no
    statistical profiler: a worker's profiler keeps a call-tree per one-second cycle for the
    last 1,000 cycles (``distributed.admin.low-level-log-length``) for a dashboard it does
    not have, so its memory grew with the build's duration (245 MiB after a 10 MB build,
    387 MiB after 1 GB). Without it a worker holds its partition and the compiled rules."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )


def _progress(futures: list[Any], total: int, stream: Any) -> Iterator[Any]:
    from dask.distributed import as_completed

    tty = hasattr(stream, "isatty") and stream.isatty()
    for i, fut in enumerate(as_completed(futures), 1):
        if tty:
            print(f"\rpartitions {i}/{total}", end="", file=stream, flush=True)
        elif i == total or i % max(1, total // 10) == 0:
            print(f"partitions {i}/{total}", file=stream, flush=True)
        yield fut
    if tty:
        print(file=stream)


def build_index(
    source: str | Path,
    out: str | Path,
    *,
    steps: list[str] | str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resources: Resources | None = None,
    partition_size: int = PARTITION_SIZE,
    progress: Any = None,
) -> dict:
    """Annotate every document of ``source`` and write a Parquet index to ``out``.

    ``source``: a corpus folder or a .jsonl/.parquet/.csv file (``doc_id``, ``text`` and
    optional metadata columns). ``steps``: subset of ``dprkbrief.pipeline.annotate.STEPS``
    (default all; rule-only: ``segments,dates,mentions,registry``). ``workers``: processes of a local
    Dask cluster (default: one per core, one thread each); ``scheduler``: address of an
    existing cluster (``tcp://host:8786``; default ``$DASK_SCHEDULER_ADDRESS``), or
    ``"synchronous"`` to run in this process. ``resources``: the rule files and model. Only
    partitions whose documents or rules changed are computed. Returns the manifest; raises
    ``BuildError`` (after writing everything else) when documents failed.
    """
    from .. import __version__
    from .._provenance import now, versions
    from ..resources.bundle import Resources
    from .annotate import _resources, check_steps
    from .sources import scan_source

    t0 = time.perf_counter()
    stream = progress if progress is not None else sys.stderr
    if not isinstance(partition_size, int) or partition_size < 1:
        raise ParameterError(
            f"invalid value for 'partition_size': {partition_size!r}; give a positive integer"
        )
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError(f"invalid value for 'workers': {workers!r}; give a positive integer")
    names = check_steps(steps)
    res = _resources(resources) if resources is not None else Resources()
    outp = Path(out).expanduser()
    docs = scan_source(source)  # streamed: ids, fingerprints, where to read; no texts
    _claim(outp)
    rules = _rules_key(res, names)
    parts = [docs[i : i + partition_size] for i in range(0, len(docs), partition_size)]
    doc_keys = [[_doc_key(d, names, rules) for d in p] for p in parts]
    step_keys = [[_step_keys(d, names, rules) for d in p] for p in parts]
    keys = [_partition_key(dk) for dk in doc_keys]
    previous = _previous_build(outp)
    manifest = {
        "format": INDEX_FORMAT,
        "complete": False,
        "source": str(Path(source).resolve()),
        "steps": names,
        "dprkbrief": __version__,
        "versions": {**versions(), **_versions(("dask", "distributed", "pyarrow", "spacy"))},
        "model": res.model_info.ident if "model" in rules else None,
        "rules": {k: {"path": res.rules[k], "sha256": v} for k, v in rules.items() if k != "model"},
        "partition_size": partition_size,
        "previous": previous,
        "partitions": [],
        "started": now(),
    }
    _write_json(outp / MANIFEST, manifest)
    _copy_sidecars(Path(source), outp)
    done = {k for k in keys if (outp / "parts" / f"{k}.json").is_file()}
    earlier = _earlier_step_keys(outp, set(keys), docs, names, rules, previous)
    todo = []
    for p, dk, sk, k in zip(parts, doc_keys, step_keys, keys):
        if k not in done:
            reuse = {}
            for d, x in zip(p, sk):
                have = {s: earlier[v] for s, v in x.items() if v in earlier}
                if have:
                    reuse[d.doc_id] = have
            todo.append((p, k, dk, reuse, sk))
    fresh = {t[1] for t in todo}
    failed: list[str] = []
    t1 = time.perf_counter()
    if todo and scheduler == "synchronous":
        for p, k, dk, reuse, sk in todo:
            run_partition(p, k, str(outp), names, res, dk, reuse, sk)
    elif todo:
        client, cluster = _client(workers, scheduler)
        try:
            futures = [
                client.submit(
                    run_partition, p, k, str(outp), names, res, dk, reuse, sk, key=f"part-{k}"
                )
                for p, k, dk, reuse, sk in todo
            ]
            for fut in _progress(futures, len(futures), stream):
                if fut.status != "finished":
                    failed.append(f"{fut.key}: {fut.exception()!r}")
                fut.release()  # its record is read from parts/<key>.json: the worker drops it
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    compute_s = time.perf_counter() - t1
    infos = []
    for k in keys:
        try:
            infos.append(json.loads((outp / "parts" / f"{k}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            failed.append(f"part-{k}: not written")
    keep = set(keys) if not failed else set(keys) | _part_keys(outp)
    for folder in [outp / "parts", *[outp / t for t in (*names, "errors")]]:
        for f in folder.glob("*") if folder.is_dir() else []:
            k = f.stem.removeprefix("part-")
            if k not in keep and not f.name.startswith(".tmp-"):
                f.unlink()  # a partition of an earlier build that this source no longer has
    counts: dict[str, int] = {}
    errors = [e for info in infos for e in info["errors"]]
    for info in infos:
        for t, n in info["counts"].items():
            counts[t] = counts.get(t, 0) + n
    manifest.update(
        partitions=[
            {"key": i["key"], "doc_ids": i["doc_ids"], "counts": i["counts"]} for i in infos
        ],
        counts=counts,
        n_documents=len(docs),
        n_warnings=sum(i.get("n_warnings", 0) for i in infos),
        warnings=sorted({w for i in infos for w in i.get("warnings", [])})[:50],
        n_chars=sum(i["n_chars"] for i in infos),
        recomputed=len(todo),
        reused=len(done),
        recomputed_documents=sum(len(i.get("recomputed", [])) for i in infos if i["key"] in fresh),
        timings={
            "total_s": round(time.perf_counter() - t0, 3),
            "compute_s": round(compute_s, 3),
            "partition_s": round(sum(i["seconds"] for i in infos if i["key"] in fresh), 3),
        },
        finished=now(),
        complete=not failed,
    )
    _write_json(outp / MANIFEST, manifest)
    if failed:
        raise BuildError(
            f"index {outp} is incomplete: {len(failed)} partition(s) failed "
            f"({'; '.join(failed[:3])}); re-run the same build to finish it",
            manifest,
        )
    if errors:
        shown = "; ".join(f"{e['doc_id']} ({e['step']}): {e['message']}" for e in errors[:3])
        raise BuildError(
            f"index {outp} written, but {len(errors)} step(s) failed on documents: {shown}"
            f"{' …' if len(errors) > 3 else ''}; all are in the 'errors' table",
            manifest,
        )
    return manifest


def _part_keys(out: Path) -> set[str]:
    folder = out / "parts"
    return {f.stem for f in folder.glob("*.json") if not f.name.startswith(".tmp-")}


def _previous_build(out: Path) -> dict | None:
    """The steps and rule fingerprints of the build that wrote ``out`` before (kept across an
    interrupted re-build), to read partitions written before step keys existed."""
    m = _read_manifest(out)
    if m is None:
        return None
    if m.get("previous") and not m.get("complete"):
        return m["previous"]
    rules = {k: v.get("sha256") for k, v in (m.get("rules") or {}).items()}
    if m.get("model"):
        rules["model"] = m["model"]
    return {"steps": m.get("steps", []), "rules": rules}


def _earlier_step_keys(
    out: Path,
    current: set[str],
    docs: list[SourceRef],
    steps: list[str],
    rules: dict[str, str],
    previous: dict | None,
) -> dict[str, str]:
    """Step key -> key of an earlier partition of this index that holds those records.

    A partition written before step keys existed has one key per document over all its
    steps: a document whose key, recomputed with that build's steps and rules, still
    matches has unchanged text, so each step whose rule files are unchanged is reusable."""
    from .annotate import STEPS

    found: dict[str, str] = {}
    refs: dict[str, SourceRef] | None = None
    for k in sorted(_part_keys(out) - current):
        try:
            info = json.loads((out / "parts" / f"{k}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if info.get("step_keys"):
            for keys in info["step_keys"].values():
                for step_key in keys.values():
                    found.setdefault(step_key, k)
            continue
        if not previous or not info.get("doc_keys"):
            continue
        old_steps, old_rules = previous["steps"], previous["rules"]
        same = [
            s
            for s in steps
            if s in old_steps
            and all(old_rules.get(r) == rules.get(r) for r in STEPS[s].rule_kinds)
            and (not STEPS[s].nlp or old_rules.get("model") == rules.get("model"))
        ]
        if not same:
            continue
        if refs is None:
            refs = {d.doc_id: d for d in docs}
        for doc_id, doc_key in info["doc_keys"].items():
            ref = refs.get(doc_id)
            if ref is not None and _doc_key(ref, old_steps, old_rules) == doc_key:
                for step_key in _step_keys(ref, same, rules).values():
                    found.setdefault(step_key, k)
    return found


def _versions(dists: tuple[str, ...]) -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for dist in dists:
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


def _copy_sidecars(source: Path, out: Path) -> None:
    """A folder source's ``outcomes.csv`` and ``catalog.toml`` go beside the index, so
    ``outcomes_path(index)`` finds the forecast outcomes as for the folder."""
    import shutil

    from ..corpus.io import SIDECARS

    if not source.is_dir():
        return
    for name in sorted(SIDECARS):
        if (source / name).is_file():
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=out)
            os.close(fd)
            shutil.copyfile(source / name, tmp)
            os.replace(tmp, out / name)


def _as_table_name(name: str) -> str:
    from .annotate import STEPS

    if name not in (*STEPS, "errors"):
        shown = ", ".join(repr(n) for n in (*STEPS, "errors"))
        raise ParameterError(f"invalid value for 'table': {name!r}; allowed are {shown}")
    return name


# -- reading ---------------------------------------------------------------------------------


def read_table(
    index: str | Path,
    table: str,
    *,
    docs: list[str] | None = None,
    columns: list[str] | None = None,
    filters: Any = None,
) -> pd.DataFrame:
    """One table of an index as a DataFrame: only the partitions holding ``docs``, only
    ``columns`` (pyarrow projection), rows passing ``filters`` (pyarrow filter syntax)."""
    return _Index(Path(index)).read(table, docs=docs, columns=columns, filters=filters)


class _Index:
    def __init__(self, path: Path) -> None:
        m = _read_manifest(path)
        if m is None:
            raise CorpusError(
                f"{path} is not a dprkbrief index (no readable {MANIFEST}); build one with "
                "`dprkbrief build SOURCE --out INDEX`"
            )
        if not m.get("complete"):
            raise CorpusError(
                f"index {path} is incomplete (its build did not finish); re-run the same "
                "`dprkbrief build` to complete it"
            )
        self.path = path
        self.manifest = m
        self.part_of = {d: p["key"] for p in m["partitions"] for d in p["doc_ids"]}
        self.part_docs = {p["key"]: p["doc_ids"] for p in m["partitions"]}

    def files(self, table: str, docs: list[str] | None) -> list[Path]:
        keys = (
            [p["key"] for p in self.manifest["partitions"]]
            if docs is None
            else sorted({self.part_of[d] for d in docs if d in self.part_of})
        )
        folder = self.path / table
        return [f for k in keys if (f := folder / f"part-{k}.parquet").is_file()]

    def read(self, table, *, docs=None, columns=None, filters=None) -> pd.DataFrame:
        import pandas as pd
        import pyarrow as pa

        t = self.arrow(table, docs=docs, columns=columns, filters=filters)
        if t is None:
            return pd.DataFrame(columns=columns or ["doc_id"], dtype=object)
        df = t.to_pandas()
        for c in df.columns:  # lists back as Python lists, missing values as None
            if df[c].dtype == object:
                df[c] = df[c].map(lambda v: v.tolist() if hasattr(v, "tolist") else v)
        for c in t.column_names:  # integers with gaps as ints and None, not floats and NaN
            col = t.column(c)
            if pa.types.is_integer(col.type) and col.null_count:
                df[c] = pd.Series(col.to_pylist(), index=df.index, dtype=object)
        return df

    def arrow(self, table, *, docs=None, columns=None, filters=None) -> Any:
        """As ``read`` but a pyarrow Table (None when no partition has rows), in partition
        order: for a fold that streams record batches instead of building a DataFrame."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = _as_table_name(table)
        if table != "errors" and table not in self.manifest["steps"]:
            raise ParameterError(
                f"index {self.path} has no {table!r} table (built with steps "
                f"{', '.join(self.manifest['steps'])}); rebuild with --steps including it"
            )
        flt = filters
        if docs is not None:
            cond = ("doc_id", "in", list(docs))
            flt = [cond] if flt is None else [*flt, cond]
        parts = []
        for f in self.files(table, docs):
            cols = None
            if columns is not None:
                have = set(pq.read_schema(f).names)
                cols = [c for c in columns if c in have]
            parts.append(pq.read_table(f, columns=cols, filters=flt))
        if not parts:
            return None
        return pa.concat_tables(parts, promote_options="permissive")


def _document_from_row(row: dict) -> Any:
    from ..corpus.corpus import Document

    meta = {k: v for k, v in row.items() if k not in ("text", "meta_json")}
    meta.update(json.loads(row.get("meta_json") or "{}"))
    path = meta.get("path")
    return Document(row["doc_id"], row["text"], Path(path) if path else None, meta)


class _LazyDocs(dict):
    """doc_id -> Document, reading a document's text from the index on first access."""

    def __init__(self, index: _Index, ids: list[str]) -> None:
        super().__init__(dict.fromkeys(ids))
        self._index = index

    def __getitem__(self, doc_id: str) -> Any:
        value = super().__getitem__(doc_id)
        if value is None:  # read every wanted document of its partition at once
            part = self._index.part_docs.get(self._index.part_of.get(doc_id), [doc_id])
            ids = [d for d in part if d in self and dict.get(self, d) is None]
            df = self._index.read("documents", docs=ids)
            for row in df.to_dict("records"):
                super().__setitem__(row["doc_id"], _document_from_row(row))
            value = super().__getitem__(doc_id)
        return value

    def values(self) -> Any:  # type: ignore[override]
        return [self[k] for k in self]

    def items(self) -> Any:  # type: ignore[override]
        return [(k, self[k]) for k in self]


def _index_corpus_type() -> type:
    from ..corpus.corpus import DOCUMENT_COLUMNS, SEGMENT_COLUMNS, Corpus

    class IndexCorpus(Corpus):
        """A Corpus read from a Parquet index: texts and tables are read on demand."""

        def __init__(self, index: _Index, ids: list[str] | None = None) -> None:
            from ..segment.datelines import load_dateline_rules

            if ids is None:
                ids = sorted(index.part_of)
            super().__init__([], path=index.path, datelines=None)
            self._docs = _LazyDocs(index, ids)
            self._index = index
            rules = index.manifest.get("rules", {})
            dl = rules.get("datelines", {}).get("path")
            self.datelines = load_dateline_rules(dl if dl and Path(dl).is_file() else None)

        @property
        def manifest(self) -> dict:
            return self._index.manifest

        def __repr__(self) -> str:
            return f"IndexCorpus({len(self)} documents from {self.path})"

        @property
        def documents(self) -> pd.DataFrame:
            df = self._index.read(
                "documents", docs=self._subset(), columns=[*DOCUMENT_COLUMNS, "meta_json"]
            )
            df = df.drop(columns="meta_json").reindex(columns=DOCUMENT_COLUMNS)
            df = df.sort_values("doc_id").reset_index(drop=True).astype(object)
            df = df.where(df.notna(), None)
            return df.astype({"n_chars": "int64", "n_words": "int64"})

        def _subset(self) -> list[str] | None:
            return None if len(self._docs) == len(self._index.part_of) else list(self._docs)

        def segments(self, level="sentence", *, docs=None) -> pd.DataFrame:
            from .._validate import check_choice
            from ..segment.segmenter import LEVELS

            check_choice("level", level, LEVELS)
            if "segments" not in self.manifest["steps"]:  # not stored: segment the texts
                return Corpus.segments(self, level, docs=docs)
            ids = self._check_docs(docs)
            if ids is None:
                ids = self._subset()
            df = self._index.read(
                "segments", docs=ids, columns=SEGMENT_COLUMNS, filters=[("level", "=", level)]
            )
            df = df.reindex(columns=SEGMENT_COLUMNS)
            df = df.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
            obj = [c for c in SEGMENT_COLUMNS if c not in ("start", "end")]
            df[obj] = df[obj].astype(object).where(df[obj].notna(), None)
            return df.astype({"start": "int64", "end": "int64"})

        def select(self, docs: list[str]) -> Corpus:
            return IndexCorpus(self._index, self._check_docs(docs) or [])

        def records(self, table: str, *, docs=None, columns=None, filters=None):
            """A stored table (``mentions``, ``people``, ``statements`` …) of these documents,
            read from Parquet without recomputing anything."""
            ids = self._check_docs(docs)
            if ids is None:
                ids = self._subset()
            return self._index.read(table, docs=ids, columns=columns, filters=filters)

        def arrow(self, table: str, *, columns=None, filters=None):
            """A stored table of these documents as one pyarrow Table (None when empty),
            partitions in index order, rows in document order within each."""
            return self._index.arrow(table, docs=self._subset(), columns=columns, filters=filters)

        def timeline(self, *, start=None, end=None, docs=None) -> pd.DataFrame:
            """The timeline stored by the build's ``mentions`` step (the build's event
            catalog and date rules), filtered to ``start``/``end`` as ``dprkbrief.timeline``
            filters (pushed down to Parquet) and sorted the same way, without recomputing it.
            For other events or kinds, call ``dprkbrief.timeline(index, ...)``."""
            from .fold import folded_timeline

            rules = self.manifest.get("rules", {})
            given = {k: rules.get(k, {}).get("path") for k in ("events", "dates")}
            return folded_timeline(self, start=start, end=end, docs=docs, **given)

        def dask_table(self, table: str, *, columns=None):
            """A table as a Dask DataFrame (one partition per file) for aggregations that do
            not fit in memory."""
            import dask.dataframe as dd

            files = [str(f) for f in self._index.files(_as_table_name(table), self._subset())]
            return dd.read_parquet(files, columns=columns)

    return IndexCorpus


_INDEX_CORPUS: type | None = None


def open_index(path: str | Path) -> Any:
    """A complete index as a Corpus (``documents``, ``doc_ids``, ``segments``, ``corpus[id]``,
    every analysis function), plus ``records(table)`` for the stored tables and
    ``dask_table(table)``. Refuses an incomplete index with the command that finishes it."""
    global _INDEX_CORPUS
    if _INDEX_CORPUS is None:
        _INDEX_CORPUS = _index_corpus_type()
    return _INDEX_CORPUS(_Index(Path(path).expanduser()))


def is_index(path: str | Path) -> bool:
    """True when ``path`` is a folder with an index manifest (complete or not)."""
    p = Path(path)
    return p.is_dir() and (p / MANIFEST).is_file()


def open_corpus(path: str | Path | None = None, **kwargs: Any) -> Any:
    """A corpus folder (``load_corpus``) or an index (``open_index``), whichever ``path`` is."""
    from ..corpus.corpus import load_corpus
    from ..corpus.io import locate_corpus

    if path is not None and is_index(locate_corpus(path)):
        if kwargs:
            raise ParameterError(
                f"options {sorted(kwargs)} apply to corpus folders; {path} is an index (its "
                "build fixed them)"
            )
        return open_index(locate_corpus(path))
    return load_corpus(path, **kwargs)
