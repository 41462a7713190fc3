"""Writing document versions: the ontology graph a store starts with, the quads of one version, and the commit of
one version together with the derivations it changes (:class:`lithkg.versioning.deriver.Deriver`), in one
transaction.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from typing import Callable

import pyoxigraph as ox

from ..errors import UsageError
from ..model import Claim, Document, GroupMember
from ..rdf import mapping
from ..rdf.mapping import LKG, ONTOLOGY_GRAPH, XSD
from ..versioning.deriver import Deriver, now
from . import statements

Progress = Callable[[int, int, str], None]


@dataclasses.dataclass
class IngestedDocument:
    file: str
    document: str
    source: str
    claims: int
    status: str  # added | unchanged | updated


@dataclasses.dataclass
class IngestReport:
    documents: list[IngestedDocument] = dataclasses.field(default_factory=list)

    @property
    def claims(self) -> int:
        return sum(d.claims for d in self.documents)

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)

    def summary(self) -> str:
        return (f"{len(self.documents)} document(s): {self.count('added')} added, {self.count('updated')} updated, "
                f"{self.count('unchanged')} unchanged; {self.claims} claim(s)")


@dataclasses.dataclass
class VersionQuads:
    """What one document version writes: its graph, its additions to the shared graphs, its group members."""

    document: str
    source: str
    quads: list = dataclasses.field(default_factory=list)
    shared: list = dataclasses.field(default_factory=list)
    members: dict = dataclasses.field(default_factory=dict)
    group_claims: dict = dataclasses.field(default_factory=dict)
    claim_by_iri: dict = dataclasses.field(default_factory=dict)


def build_record_time(doc: Document) -> str:
    """Record time in a reproducible build: ``SOURCE_DATE_EPOCH`` if set, else the document's own date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds") from None
        return moment.isoformat().replace("+00:00", "Z")
    day = doc.retrieved or doc.published or doc.source_date
    if not day:
        return "1970-01-01T00:00:00Z"
    parts = (day.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def ensure_ontology(session) -> None:
    """Write the ontology graph (and the store's base) unless the store holds this ontology already."""
    store = session.store
    marker = ox.Quad(ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(LKG + "contentHash"),
                     ox.Literal("sha256:" + session.ontology.digest), ox.NamedNode(ONTOLOGY_GRAPH))
    if store.contains(marker) and store.contains(session.base_quad()):  # two lookups, not the graph
        return
    store.apply(drop_graphs=[ONTOLOGY_GRAPH],
                insert=[*mapping.ontology_quads(session.ontology.triples), marker, session.base_quad()])


def version_quads(session, doc: Document, claims: list[Claim], record_time: str) -> VersionQuads:
    """The quads of one document version (its graph, and what it adds to the shared graphs) and the group
    members its claims make; the claims of several extractors that are one statement are one claim
    (:func:`lithkg.ingest.statements.merge`)."""
    ids = session.ids
    doc_iri, src_iri = ids.document(doc), ids.source(doc.source_key)
    quads = mapping.document_quads(doc, record_time=record_time, ids=ids)
    out = VersionQuads(doc_iri, src_iri)
    runs = {}

    def run(run_key: tuple[str, str]) -> str:
        nonlocal quads
        if run_key not in runs:
            run_iri, run_q = mapping.run_quads(doc_iri, *run_key, record_time, ids=ids)
            runs[run_key] = run_iri
            quads += run_q
        return runs[run_key]

    for claim in statements.merge(claims, session.ontology.unit_symbol):
        c_iri, g_iri, c_quads = mapping.claim_quads(claim, doc_iri, run((claim.extractor, claim.extractor_version)),
                                                    also_runs=[run(k) for k in claim.also_read_by], ids=ids)
        out.claim_by_iri[c_iri] = claim
        quads += c_quads
        out.group_claims.setdefault(g_iri, claim)
        cited = next((q.value.lexical for q in claim.qualifiers if q.property.iri.endswith("/citedSource")), None)
        out.members.setdefault(g_iri, []).append(GroupMember(
            claim=c_iri, value=claim.value, unit=claim.unit, bound=claim.bound, time=claim.time,
            document=doc_iri, source=src_iri, source_date=doc.source_date, record_time=record_time,
            cited_source=cited, label=doc.file_name))
    quads.append(ox.Quad(ox.NamedNode(doc_iri), ox.NamedNode(LKG + "claimCount"),
                         ox.Literal(str(len(out.claim_by_iri)), datatype=ox.NamedNode(XSD + "integer")),
                         ox.NamedNode(doc_iri)))
    quads = list(dict.fromkeys(quads))
    out.shared = [q for q in quads if q.graph_name.value in (mapping.AGENTS_GRAPH, mapping.ENTITIES_GRAPH)]
    out.quads = [q for q in quads if q.graph_name.value == doc_iri]
    return out


def stored_version(session, doc_iri: str, record_time: str | None) -> tuple[list[ox.Quad], str | None]:
    """The quads the store holds for a version (none: a new one) and its record time: the stored one when the
    version was recorded before (seeing a version again does not move its record time), else ``record_time``."""
    store = session.store
    existing = store.graph_quads(doc_iri) if store.has_graph(doc_iri) else []
    if existing:
        old_rt = [q.object.value for q in existing if q.predicate.value == LKG + "recordTime"]
        record_time = old_rt[0] if old_rt else record_time
    return existing, record_time


def groups_of(quads: list[ox.Quad]) -> set[str]:
    """The claim groups a version's quads put claims in."""
    return {q.object.value for q in quads if q.predicate.value == LKG + "group"}


def commit(session, doc: Document, claims: list[Claim], record_time: str | None,
           deriver: Deriver | None = None) -> IngestedDocument:
    """Write one version and the derivations it changes in one transaction (on a SPARQL server: the derivations
    through SPARQL Update, then the version's graph in one Graph Store request); a version stored already with the
    same content is left as it is."""
    store, ids = session.store, session.ids
    doc_iri = ids.document(doc)
    existing, record_time = stored_version(session, doc_iri, record_time)
    record_time = record_time or now()
    built = version_quads(session, doc, claims, record_time)
    status = "added"
    if existing:
        if set(existing) == set(built.quads):
            return IngestedDocument(doc.file_name, doc_iri, doc.source_key, len(built.claim_by_iri), "unchanged")
        status = "updated"
    derived, drop = (deriver or Deriver(session)).version(doc, record_time, built.members, built.claim_by_iri,
                                                          built.group_claims, groups_of(existing))
    if session.remote:
        store.apply(drop_graphs=drop, insert=built.shared + derived)
        store.put_graph(doc_iri, built.quads)
    else:  # one transaction
        store.apply(drop_graphs=[doc_iri] + drop, insert=built.quads + built.shared + derived)
    return IngestedDocument(doc.file_name, doc_iri, doc.source_key, len(built.claim_by_iri), status)


def write(session, planned: list[tuple[Document, list[Claim]]], record_time=None,
          progress: Progress | None = None) -> IngestReport:
    """Write extracted documents one version (one transaction) at a time; ``record_time`` is a fixed ISO timestamp
    or a function of the document (default: now)."""
    report = IngestReport()
    if not planned:
        return report
    ensure_ontology(session)
    deriver = Deriver(session)
    total = len(planned)
    for i, (doc, claims) in enumerate(planned, 1):
        rt = record_time(doc) if callable(record_time) else record_time
        report.documents.append(commit(session, doc, claims, rt, deriver))
        if progress:
            progress(i, total, doc.file_name)
    session.store.flush()
    return report
