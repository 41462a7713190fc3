"""Bulk ingest: a folder of many documents, extracted in worker processes and written without a transaction per
document (``lithkg ingest --bulk``, ``KnowledgeGraph.ingest(..., bulk=True)``).

How it works: the documents stream through ``workers`` processes, which read and extract them; the one writer (this
process) turns each version into quads and appends them in batches with Oxigraph's bulk loader. Only when every
document is written are the touched sources (version chains, lineage) and claim groups (statuses, relations,
preferred values) derived, a few hundred groups per query, and written the same way. Memory holds one batch of
documents, the set of touched groups and one claim per group, never the corpus.

What it gives up, against the default ingest: atomicity per document. A failure part-way (a bad document, a full
disk) stops the run after deriving what was written, so the store is consistent but holds only part of the input;
a crash (the process killed) can leave versions without their derivations until the same ingest is run again (it
skips the versions that are there and derives their groups and sources again). Every file name, file type and folder
is checked before the first write (as in every ingest, see :meth:`~lithkg.kg.KnowledgeGraph.ingest`); the documents'
contents are checked as they come, not all before the first write. The store is opened for writing with the first
good document (a run whose first document is refused writes nothing) and held for writing to the end.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .. import extract
from ..extract.documents import read_document
from ..errors import LithkgError, UsageError
from ..model import Claim, Document
from ..versioning.deriver import Deriver, now
from .write import IngestedDocument, IngestReport, ensure_ontology, groups_of, stored_version, version_quads

BATCH = 200  # documents written per bulk load
GROUPS_PER_QUERY = 400
SOURCES_PER_QUERY = 200  # sources whose versions are compared in one query

_worker: dict = {}


def _init_worker(base: str, extractors: tuple[str, ...], fields: dict, relative_to: str, by_path: dict,
                 by_url: dict, user_files: tuple = ()) -> None:
    from ..rdf.ontology import load
    _worker.update(ontology=load(base=base, user_files=user_files), extractors=extractors, fields=fields, relative_to=Path(relative_to),
                   by_path=by_path, by_url=by_url)


def _read_and_extract(path: str):
    """In a worker: one document read and extracted; errors come back as values (they pickle cleanly)."""
    try:
        doc = read_document(Path(path), relative_to=_worker["relative_to"], **_worker["fields"])
        entries = _worker["by_path"].get(str(Path(path).resolve()), []) or \
            _worker["by_url"].get(doc.url or "", []) or _worker["by_url"].get(doc.source_key, [])
        ctx = extract.ExtractionContext(ontology=_worker["ontology"], curated=entries)
        return doc, extract.run(_worker["extractors"], doc, ctx), None
    except LithkgError as exc:
        return None, None, exc


@dataclasses.dataclass
class BulkState:
    groups: set = dataclasses.field(default_factory=set)
    group_claims: dict = dataclasses.field(default_factory=dict)
    sources: dict = dataclasses.field(default_factory=dict)  # source IRI -> (source key, url)


def ingest(session, doc_paths: list[Path], entries: dict, *, fields: dict, relative_to: Path, record_time,
           progress=None, workers: int | None = None) -> IngestReport:
    """Bulk-ingest documents into the session's embedded store; returns an
    :class:`~lithkg.ingest.write.IngestReport`."""
    if session.remote:
        raise UsageError("--bulk writes to the embedded store", hint="on a SPARQL server, ingest without --bulk "
                                                                     "(each version is one Graph Store request)")
    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    fields = {**fields, "max_bytes": session.settings.max_document_size}  # read_document's size limit
    by_path = {k: v for k, v in entries.items() if "://" not in k}
    by_url = {k: v for k, v in entries.items() if "://" in k}
    report = IngestReport()
    state = BulkState()
    total = len(doc_paths)
    batch: list[ox.Quad] = []
    failure: LithkgError | None = None
    seen: dict[str, int] = {}  # version IRI -> its claims, for the versions written in this run
    opened = False  # the store is opened for writing with the first good document: a first bad one writes nothing

    def flush():
        if batch:
            session.store.bulk_extend(batch)
            batch.clear()

    def results() -> Iterable:
        names = [str(p) for p in doc_paths]
        if workers == 1 or total < 50:
            _init_worker(session.base, tuple(session.settings.extractors), fields, str(relative_to), by_path, by_url,
                         session.settings.ontology)
            yield from map(_read_and_extract, names)
            return
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ctx.Pool(workers, initializer=_init_worker,
                      initargs=(session.base, tuple(session.settings.extractors), fields, str(relative_to), by_path,
                                by_url, session.settings.ontology)) as pool:
            yield from pool.imap(_read_and_extract, names, chunksize=4)

    try:
        for i, (doc, claims, error) in enumerate(results(), 1):
            if error is not None:
                failure = error
                break
            if not opened:
                ensure_ontology(session)
                opened = True
            report.documents.append(write_version(session, doc, claims, record_time, state, batch, seen))
            if len(batch) >= BATCH * 60:
                flush()
            if progress:
                progress(i, total, doc.file_name)
        flush()
    finally:
        if opened:
            flush()
            derive(session, state, progress)
            session.store.flush()
    if failure is not None:
        raise failure
    return report


def write_version(session, doc: Document, claims: list[Claim], record_time, state: BulkState, batch: list,
                  seen: dict) -> IngestedDocument:
    """One version's quads appended to ``batch`` (a version stored with other text is removed first); what it
    touches (groups, its source) noted in ``state`` for :func:`derive`."""
    doc_iri = session.ids.document(doc)
    if doc_iri in seen:  # the same text twice in one run is one version
        return IngestedDocument(doc.file_name, doc_iri, doc.source_key, seen[doc_iri], "unchanged")
    rt = record_time(doc) if callable(record_time) else record_time
    existing, rt = stored_version(session, doc_iri, rt)
    built = version_quads(session, doc, claims, rt or now())
    seen[doc_iri] = count = len(built.claim_by_iri)
    status = "added"
    if existing:
        state.groups.update(groups_of(existing))
        if set(existing) == set(built.quads):  # derived again all the same: a run after a crash repairs
            state.sources[built.source] = (doc.source_key, doc.url)
            for g, claim in built.group_claims.items():
                state.group_claims.setdefault(g, claim)
            return IngestedDocument(doc.file_name, doc_iri, doc.source_key, count, "unchanged")
        session.store.remove_graph(doc_iri)
        status = "updated"
    batch.extend(built.quads)
    batch.extend(built.shared)
    state.groups.update(built.members)
    for g, claim in built.group_claims.items():
        state.group_claims.setdefault(g, claim)
    state.sources[built.source] = (doc.source_key, doc.url)
    return IngestedDocument(doc.file_name, doc_iri, doc.source_key, count, status)


def derive(session, state: BulkState, progress=None) -> None:
    """Derive the touched sources (first: lineage marks retracted claims) and then the touched groups, through the
    :class:`~lithkg.versioning.deriver.Deriver`, each derived graph replaced and written with the bulk loader."""
    store, ids = session.store, session.ids
    deriver = Deriver(session)
    out: list[ox.Quad] = []
    sources = sorted(state.sources)
    for start in range(0, len(sources), SOURCES_PER_QUERY):
        chunk = sources[start:start + SOURCES_PER_QUERY]
        for src, quads in deriver.sources(chunk, keys=state.sources).items():
            _replace(store, ids.source_graph(src))
            out += quads
        if len(out) > 50_000:
            store.bulk_extend(out)
            out.clear()
        if progress:
            progress(min(start + SOURCES_PER_QUERY, len(sources)), len(sources), "sources derived")
    store.bulk_extend(out)
    out.clear()
    groups = sorted(state.groups)
    for start in range(0, len(groups), GROUPS_PER_QUERY):
        chunk = groups[start:start + GROUPS_PER_QUERY]
        derived = deriver.groups(chunk, claims=state.group_claims)
        for g in chunk:
            _replace(store, ids.derived_graph(g))
            out += derived.get(g, [])
        store.bulk_extend(out)
        out.clear()
        if progress:
            progress(min(start + GROUPS_PER_QUERY, len(groups)), len(groups), "claim groups derived")


def _replace(store, graph: str) -> None:
    if store.has_graph(graph):
        store.remove_graph(graph)
