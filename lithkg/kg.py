"""The library facade: everything the ``lithkg`` command does is a call on :class:`KnowledgeGraph`.

>>> kg = KnowledgeGraph(".lithkg/store")                     # doctest: +SKIP
>>> kg.ingest(["graph/sources", "graph/claims"])             # doctest: +SKIP
>>> for row in kg.conflicts(): print(row["group_label"], row["value"], row["source"])   # doctest: +SKIP

Ingest works in two phases. First every input is read, parsed and extracted, and every curated claim is
checked and anchored: any problem stops the ingest before anything is written. Then each document version
is written in one transaction together with the derived graphs of the claim groups and the source it
touches (recomputed for those groups only).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from .rdf import exports, formats, mapping
from . import extract
from .read import sparql, sandbox
from .versioning import rules, stored
from .config import Settings, data_dir, load_settings
from .extract.documents import (check_file_name, display_path, is_document_path, not_regular, parse_document, read_document, read_stdin)
from .errors import CheckFailed, ClaimsFileError, DocumentError, QueryError, UsageError, escape
from .extract.curated import ClaimsFile, is_claims_path, load_claims_file
from .model import Claim, Document, GroupMember, TimeSpec, Value, VersionClaim
from .rdf.ontology import Ontology, load as load_ontology
from .rdf.iris import DEFAULT_BASE
from .rdf.mapping import LKG, LPQ, ONTOLOGY_GRAPH, XSD
from .session import Session

BUILD_FILES = {"kg.ttl": "turtle", "kg.jsonld": "json-ld", "kg.trig": "trig", "kg.nq": "nquads"}
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


@dataclasses.dataclass
class QueryResult:
    """The result of a query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = dataclasses.field(default_factory=list)
    rows: list[dict] = dataclasses.field(default_factory=list)
    terms: list[dict] = dataclasses.field(default_factory=list)
    boolean: bool | None = None
    triples: list = dataclasses.field(default_factory=list)
    raw: object = None


@dataclasses.dataclass
class ValidationReport:
    conforms: bool
    results: list[dict]
    text: str


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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


def term_json(term):
    """A store term as JSON: numbers as numbers, booleans as booleans, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#nonNegativeInteger", "#int", "#long", "#decimal", "#double", "#float")):
            return _json_value(term.value)  # a number out of lithkg's range stays its text
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


class KnowledgeGraph:
    """A claim graph in an embedded Oxigraph store.

    :param store: path of the store (default: the configured one, ``.lithkg/store``)
    :param settings: settings (default: read from pyproject.toml and the environment)
    :param read_only: open the store for reading only (other processes may write meanwhile)
    """

    def __init__(self, store: str | Path | None = None, *, settings: Settings | None = None,
                 read_only: bool = False, ontology: Ontology | None = None):
        settings = settings or load_settings()
        if store is not None:
            settings = settings.replace(store=Path(store))
        self.session = Session(settings, read_only=read_only, ontology=ontology)

    # ------------------------------------------------------------------ plumbing: the session's
    @property
    def settings(self) -> Settings:
        """The settings (see :mod:`lithkg.config`)."""
        return self.session.settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self.session.settings = value

    read_only = property(lambda self: self.session.read_only, doc="Whether the store is open for reading only.")
    ontology = property(lambda self: self.session.ontology, doc="The ontology, its entities under the store's base.")
    ids = property(lambda self: self.session.ids, doc="Mints this store's data IRIs.")
    base = property(lambda self: self.session.base, doc="The base data IRIs are minted under.")
    remote = property(lambda self: self.session.remote, doc="True when the store is a SPARQL server.")
    store = property(lambda self: self.session.store, doc="The store (see :class:`lithkg.store.base.Store`).")
    where = property(lambda self: self.session.where, doc="What messages name as the store.")

    def dataset(self):
        """An rdflib ``Dataset`` view of the store (through oxrdflib), with the union of all graphs as its default
        graph: existing rdflib code, pyshacl and rdflib's serializers work on it unchanged. lithkg's own hot paths
        call Oxigraph directly."""
        return self.session.dataset()

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def resolve_entity(self, name: str) -> str:
        """An entity's IRI from a label, an alias or an IRI."""
        return self.session.resolve_entity(name)

    def resolve_property(self, name: str) -> str:
        """A property's or qualifier's IRI from its name or an IRI."""
        return self.session.resolve_property(name)

    # ------------------------------------------------------------------ ingest
    def ingest(self, paths: Iterable[str | Path], *, stdin: bytes | None = None, source: str | None = None,
               url: str | None = None, title: str | None = None, published: str | None = None,
               retrieved: str | None = None, relative_to: Path | None = None,
               record_time: Callable[[Document], str] | str | None = None,
               progress: Progress | None = None, bulk: bool = False, workers: int | None = None,
               allow_outside: Iterable[str | Path] = ()) -> IngestReport:
        """Read documents (``.txt``, ``.md``, ``.html``; folders recursively; ``-`` = ``stdin`` bytes) and
        curated-claims files (``.yaml``), extract their claims and write them, one transaction per document.

        ``bulk=True`` streams many documents through ``workers`` extraction processes and writes them without a
        transaction per document, deriving groups once at the end (see :mod:`lithkg.ingest.bulk` for what it gives up).

        ``source``, ``url``, ``title``, ``published``, ``retrieved`` override the documents' front matter.
        ``record_time`` is a fixed ISO timestamp or a function of the document (default: now).

        A curated claim may name (``document:``) only a document given to this ingest or one inside the folders
        given (the folder of a claims file given by name counts), symbolic links resolved; ``allow_outside`` names
        further folders or files it may name. Every file is checked (its name, its type, that it can be read; every
        folder that it can be read) before anything is read or written, the bulk ingest's too.
        """
        relative_to = relative_to or Path.cwd()
        if not self.remote and not self.read_only:
            from .store.oxigraph import check_store_folder
            check_store_folder(self.settings.store)  # a folder of other files is not made a store
        doc_paths, claim_paths, use_stdin, roots = self._expand(paths, relative_to)
        for p in allow_outside:
            if not Path(p).exists():
                raise UsageError("--allow-outside names no file or folder", path=escape(str(p)))
            roots.append(Path(p))
        fields = {"source": source, "url": url, "title": title, "published": published, "retrieved": retrieved}
        claim_files = [load_claims_file(p, name=display_path(p, relative_to)) for p in claim_paths]
        known = {str(p.resolve()) for p in doc_paths}
        for cf in claim_files:
            for entry in cf.entries:
                ref = entry.document
                if "://" not in ref and ref not in known:
                    p = Path(ref)
                    line = entry.lines.get("document", entry.line)
                    shown = display_path(p, relative_to)
                    if not p.exists():
                        raise ClaimsFileError(f"names document {shown}, which does not exist",
                                              path=cf.path, line=line,
                                              hint="fix the 'document:' path (it is relative to the YAML file)")
                    if not _inside(p, roots):
                        raise ClaimsFileError(f"names document {shown}, which is outside the folders given to the "
                                              "ingest", path=cf.path, line=line,
                                              hint="give the document or its folder in the same ingest, or allow it "
                                                   "with --allow-outside PATH")
                    check_file_name(shown)
                    _check_readable(p, relative_to)
                    doc_paths.append(p)
                    known.add(ref)
        if bulk:
            from .ingest import bulk as bulk_ingest
            if use_stdin:
                raise UsageError("--bulk reads files, not stdin", hint="ingest stdin without --bulk")
            entries: dict[str, list] = {}
            for cf in claim_files:
                for entry in cf.entries:
                    entries.setdefault(entry.document, []).append(entry)
            return bulk_ingest.ingest(self, doc_paths, entries, fields=fields, relative_to=relative_to,
                                      record_time=record_time, progress=progress, workers=workers)
        documents: list[tuple[Document, str | None]] = []
        for p in doc_paths:
            documents.append((read_document(p, relative_to=relative_to, max_bytes=self.settings.max_document_size,
                                            **fields), str(p.resolve())))
        if use_stdin:
            if stdin is None:
                stdin = read_stdin(self.settings.max_document_size)
            documents.append((parse_document(stdin, name="-", media_type=None, **fields), None))
        # Same text given twice in one call is one version.
        unique: dict[str, tuple[Document, list[str | None]]] = {}
        for doc, path in documents:
            key = self.ids.document(doc)
            if key in unique:
                unique[key][1].append(path)
            else:
                unique[key] = (doc, [path])
        entries_for = self._match_entries(claim_files, unique, relative_to)
        planned = []
        for key, (doc, _paths) in unique.items():
            ctx = extract.ExtractionContext(ontology=self.ontology, curated=entries_for.get(key, []))
            planned.append((doc, extract.run(self.settings.extractors, doc, ctx)))
        report = IngestReport()
        if not planned:
            return report
        self._ensure_ontology()
        total = len(planned)
        for i, (doc, claims) in enumerate(planned, 1):
            rt = record_time(doc) if callable(record_time) else record_time
            report.documents.append(self._commit(doc, claims, rt))
            if progress:
                progress(i, total, doc.file_name)
        self.store.flush()
        return report

    def _expand(self, paths, relative_to: Path) -> tuple[list[Path], list[Path], bool, list[Path]]:
        """The documents and claims files the paths name (folders walked, hidden entries skipped), whether stdin is
        read, and the roots curated claims may name documents under. Every name, type and permission is checked
        here, before anything is read: a bad one anywhere stops the ingest with nothing written."""
        docs, claims, use_stdin, roots = [], [], False, []
        folder = None  # the first folder given: named when no input at all is found
        for raw in paths:
            if str(raw) == "-":
                use_stdin = True
                continue
            p = Path(raw)
            check_file_name(str(raw))
            if p.is_dir():
                roots.append(p)
                for child in _walk(p):
                    if is_document_path(child) or is_claims_path(child):
                        shown = _shown(child, relative_to)  # a link by its own name
                        check_file_name(shown)
                        if not _inside(child, [p]):
                            raise DocumentError("is a link to a file outside the folder given", path=shown,
                                                hint="give the file it points to by name, or remove the link")
                        _check_readable(child, relative_to, shown)
                        (docs if is_document_path(child) else claims).append(child)
            elif is_claims_path(p):
                if not p.exists():
                    raise ClaimsFileError("no such file", path=str(raw))
                _check_readable(p, None, str(raw))
                claims.append(p)
                roots.append(p.parent)
            elif not p.exists():
                raise DocumentError("no such file or folder", path=str(raw))
            else:
                if is_document_path(p):
                    _check_readable(p, relative_to)
                docs.append(p)
            folder = folder or (str(raw) if p.is_dir() else None)
        if folder and not docs and not claims and not use_stdin:
            raise DocumentError("the folder has nothing to ingest", path=folder,
                                hint="give .txt, .md or .html documents or .yaml curated claims")
        return docs, claims, use_stdin, roots

    def _match_entries(self, claim_files: list[ClaimsFile], unique, relative_to) -> dict[str, list]:
        by_path, by_url = {}, {}
        for key, (doc, paths) in unique.items():
            for p in paths:
                if p:
                    by_path[p] = key
            by_url.setdefault(doc.source_key, key)
            if doc.url:
                by_url.setdefault(doc.url, key)
        out: dict[str, list] = {}
        for cf in claim_files:
            for entry in cf.entries:
                key = by_path.get(entry.document) or by_url.get(entry.document)
                if key is None:
                    raise ClaimsFileError(f"names document {entry.document}, which is not among the documents given",
                                          path=cf.path, line=entry.lines.get("document", entry.line),
                                          hint="give the document file in the same ingest")
                out.setdefault(key, []).append(entry)
        return out

    def _ensure_ontology(self) -> None:
        marker = ox.Quad(ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(LKG + "contentHash"),
                         ox.Literal("sha256:" + self.ontology.digest), ox.NamedNode(ONTOLOGY_GRAPH))
        if self.store.contains(marker) and self.store.contains(self.session.base_quad()):  # two lookups, not the graph
            return
        self.store.apply(drop_graphs=[ONTOLOGY_GRAPH],
                         insert=[*mapping.ontology_quads(self.ontology.triples), marker, self.session.base_quad()])

    def _version_quads(self, doc: Document, claims: list[Claim], record_time: str) -> "VersionQuads":
        """The quads of one document version (its graph, and what it adds to the shared graphs) and the group
        members its claims make."""
        ids = self.ids
        doc_iri, src_iri = ids.document(doc), ids.source(doc.source_key)
        quads = mapping.document_quads(doc, record_time=record_time, ids=ids)
        out = VersionQuads(doc_iri, src_iri)
        runs = {}
        for claim in claims:
            run_key = (claim.extractor, claim.extractor_version)
            if run_key not in runs:
                run_iri, run_q = mapping.run_quads(doc_iri, *run_key, record_time, ids=ids)
                runs[run_key] = run_iri
                quads += run_q
            c_iri, g_iri, c_quads = mapping.claim_quads(claim, doc_iri, runs[run_key], ids=ids)
            out.claim_by_iri[c_iri] = claim
            quads += c_quads
            out.group_claims.setdefault(g_iri, claim)
            cited = next((q.value.lexical for q in claim.qualifiers if q.property.iri.endswith("/citedSource")), None)
            out.members.setdefault(g_iri, []).append(GroupMember(
                claim=c_iri, value=claim.value, unit=claim.unit, bound=claim.bound, time=claim.time,
                document=doc_iri, source=src_iri, source_date=doc.source_date, record_time=record_time,
                cited_source=cited))
        quads.append(ox.Quad(ox.NamedNode(doc_iri), ox.NamedNode(LKG + "claimCount"),
                             ox.Literal(str(len(out.claim_by_iri)), datatype=ox.NamedNode(XSD + "integer")),
                             ox.NamedNode(doc_iri)))
        quads = list(dict.fromkeys(quads))
        out.shared = [q for q in quads if q.graph_name.value in (mapping.AGENTS_GRAPH, mapping.ENTITIES_GRAPH)]
        out.quads = [q for q in quads if q.graph_name.value == doc_iri]
        return out

    def _commit(self, doc: Document, claims: list[Claim], record_time: str | None) -> IngestedDocument:
        store = self.store
        ids = self.ids
        doc_iri = ids.document(doc)
        src_iri = ids.source(doc.source_key)
        existing = store.graph_quads(doc_iri) if store.has_graph(doc_iri) else []
        if existing:
            old_rt = [q.object.value for q in existing if q.predicate.value == LKG + "recordTime"]
            record_time = old_rt[0] if old_rt else record_time
        record_time = record_time or _now()
        built = self._version_quads(doc, claims, record_time)
        quads, shared, new_members = built.quads, built.shared, built.members
        group_claims, claim_by_iri = built.group_claims, built.claim_by_iri
        status = "added"
        if existing:
            if set(existing) == set(quads):
                return IngestedDocument(doc.file_name, doc_iri, doc.source_key, len(claims), "unchanged")
            status = "updated"
        old_groups = {q.object.value for q in existing if q.predicate.value == LKG + "group"}
        versions = self._versions(src_iri, doc_iri, doc.source_date, record_time)
        # A source's versions are compared (continued, revised, retracted claims) only once it has two of them.
        source_claims = [] if len(versions) < 2 else self._source_claims(src_iri, exclude_document=doc_iri) + [
            VersionClaim(m.claim, doc_iri, g, m.value.lexical, m.unit, m.bound,
                         None if claim_by_iri[m.claim].time.inferred else claim_by_iri[m.claim].time.display(),
                         claim_by_iri[m.claim].extractor, claim_by_iri[m.claim].evidence.quote,
                         claim_by_iri[m.claim].evidence.start)
            for g, ms in new_members.items() for m in ms]
        lineage = rules.lineage(versions, source_claims) if source_claims else {}
        retracted = lineage.get("retracted", {})
        own = {c.claim for c in source_claims}
        groups = sorted(set(new_members) | old_groups | {c.group for c in source_claims})
        stored = self._members(groups, exclude_document=doc_iri)
        derived: list[ox.Quad] = []
        for g in groups:
            members = [dataclasses.replace(m, retracted=m.claim in retracted) if m.claim in own else m
                       for m in stored.get(g, []) + new_members.get(g, [])]
            if not members:
                continue
            derived += self._group_quads(g, members, group_claims.get(g))
        derived += mapping.lineage_quads(src_iri, doc.source_key, doc.url, versions, lineage, ids=ids)
        drop = [doc_iri, ids.source_graph(src_iri)] + [ids.derived_graph(g) for g in groups]
        if self.remote:  # derivations through SPARQL Update, then the version's graph in one Graph Store request
            store.apply(drop_graphs=[g for g in drop if g != doc_iri], insert=shared + derived)
            store.put_graph(doc_iri, quads)
        else:  # one transaction
            store.apply(drop_graphs=drop, insert=quads + shared + derived)
        return IngestedDocument(doc.file_name, doc_iri, doc.source_key, len(claims), status)

    def _members(self, groups: list[str], exclude_document: str) -> dict[str, list[GroupMember]]:
        return stored.members(self.session, groups, exclude_document)

    def _labels(self, iris: set[str]) -> dict[str, str]:
        return stored.labels(self.session, iris)

    def _overrides(self, groups: list[str]) -> dict[str, tuple[str, str]]:
        return stored.overrides(self.session, groups)

    def set_rank(self, claim: str, rank: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """Override a claim's rank (preferred, normal or deprecated) as a person, with a reason. The record is kept
        (dated and attributed); the claim's group is derived again at once."""
        if rank not in mapping.RANK_IRIS:
            raise UsageError(f"rank '{rank}' is not one of preferred, normal, deprecated")
        if not reason or not reason.strip():
            raise UsageError("a rank override needs a reason", hint="give --reason \"...\"")
        rows = self.store.select("SELECT ?claim ?g WHERE { ?claim a lkg:Claim ; lkg:group ?g }",
                                 substitutions={ox.Variable("claim"): ox.NamedNode(claim)})
        if not rows:
            raise UsageError(f"no claim '{claim}' in the store", hint="see 'lithkg claims --format jsonl' for claim IRIs")
        group = rows[0]["g"].value
        by = by or os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
        at = at or _now()
        record = mapping.override_quads(claim, rank, reason.strip(), by, at, ids=self.ids)
        members = self._members([group], exclude_document="urn:lithkg:none").get(group, [])
        members = [dataclasses.replace(m, override=rank) if m.claim == claim else m for m in members]
        derived = self._group_quads(group, members, None, {claim: reason.strip()})
        self.store.apply(drop_graphs=[self.ids.derived_graph(group)], insert=record + derived)
        return {"claim": claim, "group": group, "rank": rank, "reason": reason.strip(), "by": by, "at": at}

    def _source_claims(self, source: str, exclude_document: str) -> list[VersionClaim]:
        return stored.source_claims(self.session, source, exclude_document)

    def _source_claims_of(self, sources: list[str], exclude_document: str) -> dict[str, list[VersionClaim]]:
        return stored.source_claims_of(self.session, sources, exclude_document)

    def _lineages(self, sources: list[str]) -> dict[str, tuple[list[str], dict]]:
        return stored.lineages(self.session, sources)

    def _group_description(self, group: str, claim: Claim | None):
        """Subject, property, scoping qualifiers and label of a group: from a new claim, or from the store."""
        if claim is not None:
            scoping = [q for q in claim.qualifiers if q.scoping]
            parts = [claim.subject.label, claim.property.label] + \
                    [f"{q.property.label}: {q.value.display()}" for q in scoping]
            if claim.value.kind == "entity":
                parts.append(claim.value.display())
            return claim.subject.iri, claim.property.iri, scoping, " / ".join(parts)
        rows = self.store.select(f"""
SELECT ?s ?p ?label ?q ?v WHERE {{
  <{group}> lkg:subject ?s ; lkg:property ?p ; rdfs:label ?label .
  OPTIONAL {{ <{group}> ?q ?v . FILTER(STRSTARTS(STR(?q), "{LPQ}")) }}
}}""")
        if not rows:
            raise CheckFailed(f"claim group {group} has lost its description", hint="run 'lithkg validate'")
        from .model import Qualifier, Term
        scoping = [Qualifier(Term(mapping.LKGP + r["q"].value[len(LPQ):], r["q"].value[len(LPQ):]),
                             mapping.term_to_value(r["v"]), True) for r in rows if r.get("q")]
        return rows[0]["s"].value, rows[0]["p"].value, scoping, rows[0]["label"].value

    def _group_quads(self, group: str, members: list[GroupMember], claim: Claim | None,
                     override_reasons: dict[str, str] | None = None) -> list[ox.Quad]:
        subject, prop, scoping, label = self._group_description(group, claim)
        derived = rules.derive(group, members)
        preferred = next((m for m in members if m.claim == derived.preferred), None)
        if preferred is not None and preferred.override == "preferred" and override_reasons is None:
            override_reasons = {c: r for c, (_, r) in self._overrides([group]).items()}
        reason = rules.preference_reason(preferred, members, (override_reasons or {}).get(
            preferred.claim)) if preferred else ""
        value = mapping.literal(preferred.value) if preferred else None
        return mapping.group_quads(derived, claim, subject, prop, scoping, label, value, reason, ids=self.ids)

    def _versions(self, source: str, doc_iri: str | None = None, source_date: str | None = None,
                  record_time: str = "") -> list[str]:
        return stored.versions(self.session, source, doc_iri, source_date, record_time)

    def _versions_of(self, sources: list[str], extra: dict | None = None) -> dict[str, list[str]]:
        return stored.versions_of(self.session, sources, extra)

    # ------------------------------------------------------------------ listings
    def run_named(self, name: str, params: dict | None = None) -> QueryResult:
        nq = sparql.named_queries().get(name)
        if nq is None:
            raise UsageError(f"no named query '{name}'", hint="see 'lithkg query --list'")
        return self.query(nq.text, params=params or {}, declared=nq.params)

    def claims(self, *, subject: str | None = None, property: str | None = None, source: str | None = None,
               status: str | None = None, group: str | None = None, as_of: str | None = None,
               valid_at: str | None = None, source_date_before: str | None = None) -> list[dict]:
        """Every claim as a dict with the keys of the claims-listing contract (see DESIGN.md).

        Three time axes, which combine: ``as_of`` (record time: what had been ingested by then), ``valid_at`` (the
        claims whose own time holds at that date), ``source_date_before`` (what sources dated before it said). With
        any of them, statuses are derived again over just those claims.
        """
        if as_of or valid_at or source_date_before:
            rows = self.claims(subject=subject, property=property, source=source, group=group)
            rows = [r for r in rows if _time_filter(r, as_of, valid_at, source_date_before)]
            rows = self._restatus(rows, as_of, source_date_before)
            return [r for r in rows if not status or r["status"] == status]
        params = {}
        if subject:
            params["subject"] = self.resolve_entity(subject)
        if property:
            params["property"] = self.resolve_property(property)
        result = self.run_named("claims", params)
        quals = self._qualifiers()
        rows = []
        for r in result.terms:
            cid = r["claim"].value
            value = mapping.term_to_value(r["value"])
            row = {
                "id": cid, "group": r["group"].value,
                "subject": r["subject"].value, "subject_label": term_json(r.get("subject_label")),
                "property": r["property"].value, "property_label": term_json(r.get("property_label")),
                "value": value.json(), "unit": term_json(r.get("unit")),
                "unit_label": self.ontology.unit_symbol(term_json(r.get("unit"))),
                "bound": mapping.BOUND_NAMES.get(r["bound"].value) if r.get("bound") else None,
                "time": term_json(r.get("time")), "valid_from": term_json(r.get("valid_from")),
                "valid_until": term_json(r.get("valid_until")),
                "time_inferred": bool(term_json(r.get("time_inferred"))),
                "qualifiers": quals.get(cid, {}),
                "document": r["document"].value, "source": term_json(r["source"]),
                "source_key": term_json(r["source_key"]), "source_date": term_json(r.get("source_date")),
                "record_time": term_json(r["record_time"]),
                "quote": term_json(r["quote"]), "start": term_json(r["start"]), "end": term_json(r["end"]),
                "status": term_json(r.get("status")), "extractor": term_json(r["extractor"]),
                "confidence": term_json(r["confidence"]),
                "retracted_in": term_json(r.get("retracted_in")),
                "retracted_recorded": term_json(r.get("retracted_recorded")),
                "retracted_source_date": term_json(r.get("retracted_source_date")),
            }
            if value.kind == "entity":
                row["value_label"] = self.ontology.label(value.lexical)
            if source and source not in (row["source"], row["source_key"], row["document"]):
                continue
            if status and row["status"] != status:
                continue
            if group and row["group"] != group:
                continue
            rows.append(row)
        return rows

    # ------------------------------------------------------------------ versions and time
    def log(self, source: str | None = None) -> list[dict]:
        """The versions of every source (or of one: its key, url or a file name), with their dates, record time
        and claim counts, oldest first."""
        rows = self.run_named("sources").rows
        if source:
            keys = {r["source_key"] for r in rows if source in (r["source_key"], r["file"], r["document"])}
            if not keys:
                raise UsageError(f"no source '{source}' in the store", hint="see 'lithkg log'")
            rows = [r for r in rows if r["source_key"] in keys]
        return rows

    def _version_of(self, ref: str) -> str:
        rows = [r for r in self.run_named("sources").rows if ref in (r["document"], r["file"])]
        if not rows:
            raise UsageError(f"no document version '{ref}' in the store", hint="give a document IRI or file name from "
                                                                                "'lithkg log'")
        return rows[0]["document"]

    def _version_claims(self, *docs: str) -> dict[str, list[VersionClaim]]:
        """The claims of some document versions, reading each of their sources once."""
        sources = {r["src"].value for d in docs for r in self.store.select(
            "SELECT ?doc ?src WHERE { ?doc prov:specializationOf ?src }",
            substitutions={ox.Variable("doc"): ox.NamedNode(d)})}
        out: dict[str, list[VersionClaim]] = {d: [] for d in docs}
        for claims in self._source_claims_of(sorted(sources), exclude_document="urn:lithkg:none").values():
            for c in claims:
                if c.document in out:
                    out[c.document].append(c)
        return out

    def diff(self, a: str, b: str | None = None) -> list[dict]:
        """What changed between two document versions: claims added, retracted and changed (old value -> new value,
        with both quotes). With one argument, a source's two latest versions."""
        if b is None:
            versions = self.log(a)
            if len(versions) < 2:
                raise UsageError(f"source '{a}' has {len(versions)} version(s); a diff needs two",
                                 hint="give two document versions")
            old, new = versions[-2]["document"], versions[-1]["document"]
        else:
            old, new = self._version_of(a), self._version_of(b)
        claims = self._version_claims(old, new)
        cmp = rules.compare(claims[old], claims[new])
        labels = self._group_labels()
        names = {r["e"].value: r["l"].value for r in self.store.select(
            "SELECT ?e ?l WHERE { ?e a lkg:Entity ; rdfs:label ?l }")}
        rows = []

        def row(change, new_c, old_c):
            c = new_c or old_c
            return {"change": change, "group": c.group, "group_label": labels.get(c.group),
                    "old_value": _json_value(old_c.value) if old_c else None,
                    "new_value": _json_value(new_c.value) if new_c else None,
                    "old_value_label": names.get(old_c.value) if old_c else None,
                    "new_value_label": names.get(new_c.value) if new_c else None,
                    "old_quote": old_c.quote if old_c else None, "new_quote": new_c.quote if new_c else None,
                    "old_claim": old_c.claim if old_c else None, "new_claim": new_c.claim if new_c else None,
                    "extractor": c.extractor, "old_document": old, "new_document": new}
        rows += [row("changed", n, o) for n, o in cmp.changed]
        rows += [row("retracted", None, o) for o in cmp.retracted]
        rows += [row("added", n, None) for n in cmp.added]
        rows.sort(key=lambda r: (("changed", "retracted", "added").index(r["change"]), r["group_label"] or "",
                                 r["extractor"], r["old_claim"] or "", r["new_claim"] or ""))
        return rows

    def diff_patch(self, rows: list[dict], fmt: str = "trig") -> bytes:
        """A diff as RDF: a graph of the statements removed and one of those added (retracted and added claims,
        and both sides of a change), for tools that apply RDF patches."""
        removed = {r["old_claim"] for r in rows if r["old_claim"] and r["change"] != "added"}
        added = {r["new_claim"] for r in rows if r["new_claim"]}
        key = mapping.digest(*(sorted(removed) + ["|"] + sorted(added)))
        out = []
        for claims, name in ((removed, "removed"), (added, "added")):
            g = ox.NamedNode(f"{self.ids.base}diff/{key}/{name}")
            for q in self.store.quads():
                subj = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
                if subj.split("#")[0] in claims and q.graph_name.value.startswith(self.ids.base + "doc/"):
                    out.append(ox.Quad(q.subject, q.predicate, q.object, g))
        buf = io.BytesIO()
        exports.write(out, formats.get(fmt, "dataset"), buf, ids=self.ids)
        return buf.getvalue()

    def _group_labels(self) -> dict[str, str]:
        return {r["g"].value: r["l"].value for r in self.store.select(
            "SELECT ?g ?l WHERE { ?g a lkg:ClaimGroup ; rdfs:label ?l }")}

    def blame(self, claim: str) -> list[dict]:
        """Every source version that made this claim (the claim and those it continues or that continue it),
        first to last."""
        rows = self.run_named("blame", {"claim": claim}).terms
        if not rows:
            raise UsageError(f"no claim '{claim}' in the store", hint="see 'lithkg claims --format jsonl' for claim IRIs")
        return [{"claim": r["c"].value, "document": r["doc"].value, "source": r["file"].value,
                 "version": term_json(r.get("version")), "source_date": term_json(r.get("sdate")),
                 "record_time": term_json(r["rt"]), "quote": r["quote"].value} for r in rows]

    def _restatus(self, rows: list[dict], as_of: str | None = None,
                  source_date_before: str | None = None) -> list[dict]:
        """Statuses derived again over a subset of claims (what was known, or held, at some time); a retraction
        counts only if the version that made it is itself within the same bounds."""
        by_group: dict[str, list[GroupMember]] = {}
        for r in rows:
            v = Value.number(r["value"]) if isinstance(r["value"], (int, float)) else \
                Value("date", r["value"]) if r["value"] and re.match(r"^\d{4}(-\d\d){0,2}$", str(r["value"])) else \
                Value("entity" if str(r["value"]).startswith("http") else "text", str(r["value"]))
            by_group.setdefault(r["group"], []).append(GroupMember(
                claim=r["id"], value=v, unit=r["unit"], bound=r["bound"],
                time=TimeSpec(point=r["time"] if not r["valid_from"] else None, start=r["valid_from"],
                              end=r["valid_until"]),
                document=r["document"], source=r["source_key"], source_date=r["source_date"],
                record_time=r["record_time"], retracted=bool(r.get("retracted_in")) and _known(
                    r["retracted_recorded"], r["retracted_source_date"], as_of, source_date_before)))
        statuses = {}
        for g, members in by_group.items():
            statuses.update(dict(rules.derive(g, members).statuses))
        return [{**r, "status": statuses.get(r["id"], r["status"])} for r in rows]

    def stale(self, *, older_than: str = "2y", now: str | None = None) -> list[dict]:
        """Claims the latest version of a source still presents as current (no time, or a time resolved from the
        document's date) whose time is older than ``older_than`` ("2y", "18m", "90d") at ``now`` (default today),
        and claims a newer claim of another source has updated: what an editor fixes first."""
        m = re.fullmatch(r"\s*(\d+)\s*([ymd])\s*", older_than or "")
        if not m:
            raise UsageError(f"'{older_than}' is not an age", hint="write e.g. 2y, 18m or 90d")
        days = int(m.group(1)) * {"y": 365, "m": 30, "d": 1}[m.group(2)]
        today = _dt.date.fromisoformat(_day(now)) if now else _dt.date.today()
        cutoff = (today - _dt.timedelta(days=days)).isoformat()
        out: dict[str, dict] = {}
        for r in self.run_named("stale").rows:
            reasons = []
            if not isinstance(r["value"], (int, float)):
                continue  # figures go stale; when something happened, or what is related to what, does not
            # "current": no time, or a time resolved from the document's own date ("currently", present tense)
            current = r["time"] is None or bool(r["time_inferred"] and r["source_date"]
                                                 and str(r["time"])[:4] == str(r["source_date"])[:4])
            when = r["time"] or r["source_date"]
            if current and when and _day(when, end=True) < cutoff:
                reasons.append(f"presented as current, but its time is {when}, older than {older_than}")
            if r["newer"]:
                reasons.append(f"updated by {r['newer_value']} ({r['newer_time'] or 'no date'}) in {r['newer_source']}")
            if not reasons:
                continue
            row = out.setdefault(r["claim"], {k: r[k] for k in ("claim", "group_label", "value", "unit", "time",
                                                                 "source", "source_date", "quote", "status")})
            row["reason"] = "; ".join(sorted(set(row.get("reason", "").split("; ")) - {""} | set(reasons)))
        return sorted(out.values(), key=lambda r: (r["source"], r["group_label"] or "", r["claim"]))

    def _qualifiers(self) -> dict[str, dict]:
        rows = self.store.select(f"""
SELECT ?claim ?q ?v ?vl WHERE {{
  ?claim a lkg:Claim ; ?q ?v . FILTER(STRSTARTS(STR(?q), "{LPQ}"))
  OPTIONAL {{ ?v rdfs:label ?vl }}
}} ORDER BY ?claim ?q ?v""")
        out: dict[str, dict] = {}
        for r in rows:
            local = r["q"].value[len(LPQ):]
            info = self.ontology.properties.get(mapping.LKGP + local)
            label = info.label if info else local
            value = r["vl"].value if r.get("vl") else term_json(r["v"])
            out.setdefault(r["claim"].value, {})[label] = value
        return out

    def conflicts(self) -> list[dict]:
        """Claim groups with more than one value: each claim with source, time, quote, status and the reason."""
        rows = []
        for r in self.run_named("conflicts").terms:
            value = mapping.term_to_value(r["value"])
            rows.append({
                "group": r["group"].value, "group_label": term_json(r["group_label"]),
                "disputed": term_json(r["disputed"]), "claim": r["claim"].value,
                "value": value.json(), "value_label": self.ontology.label(value.lexical) if value.kind == "entity" else None,
                "unit": term_json(r.get("unit")), "unit_label": self.ontology.unit_symbol(term_json(r.get("unit"))),
                "bound": mapping.BOUND_NAMES.get(r["bound"].value) if r.get("bound") else None,
                "time": term_json(r.get("time")), "document": term_json(r.get("document")),
                "source": term_json(r["source"]),
                "source_date": term_json(r.get("source_date")), "quote": term_json(r["quote"]),
                "status": term_json(r["status"]), "relation": _relation_name(term_json(r.get("relation"))),
                "reason": term_json(r.get("reason")), "conflicts_with": [],
            })
        by_claim = {r["claim"]: r for r in rows}
        clashes = self.store.select("""
SELECT ?a ?b ?reason WHERE {
  ?rel a lkg:Conflict ; lkg:reason ?reason .
  { ?rel lkg:fromClaim ?a ; lkg:toClaim ?b } UNION { ?rel lkg:fromClaim ?b ; lkg:toClaim ?a }
} ORDER BY ?a ?b""")
        for c in clashes:
            a, b = c["a"].value, c["b"].value
            if a in by_claim and b in by_claim:
                other = by_claim[b]
                by_claim[a]["conflicts_with"].append({"claim": b, "value": other["value"], "bound": other["bound"],
                                                      "source": other["source"], "reason": c["reason"].value})
        return rows

    def history(self, subject: str, property: str, *, qualifiers: dict[str, str] | None = None) -> list[dict]:
        """Every value claimed for one subject and property, by group and valid time."""
        params = {"subject": self.resolve_entity(subject), "property": self.resolve_property(property)}
        rows = []
        relations = {}
        for rel in self.store.select("""
SELECT ?a ?b ?kind WHERE { ?r lkg:fromClaim ?a ; lkg:toClaim ?b ; a ?k .
  VALUES (?k ?kind) { (lkg:Corroboration "corroborates") (lkg:Update "updates") (lkg:Conflict "conflicts") } }"""):
            relations[(rel["a"].value, rel["b"].value)] = rel["kind"].value
            if rel["kind"].value != "updates":
                relations[(rel["b"].value, rel["a"].value)] = rel["kind"].value
        previous: dict[str, str] = {}
        for r in self.run_named("history", params).terms:
            row = {k: (mapping.term_to_value(v).json() if k == "value" else term_json(v)) for k, v in r.items()}
            row["unit_label"] = self.ontology.unit_symbol(row.get("unit"))
            if isinstance(r.get("value"), ox.NamedNode):
                row["value_label"] = self.ontology.label(r["value"].value)
            prev = previous.get(row["group"])
            row["relation_to_previous"] = "retracted" if row.get("status") == "retracted" else \
                relations.get((row["claim"], prev)) if prev else None
            previous[row["group"]] = row["claim"]
            rows.append(row)
        if qualifiers:
            wanted = {}
            for k, v in qualifiers.items():
                q = self.ontology.qualifier(k)
                if q is None:
                    raise UsageError(f"unknown qualifier '{k}'", hint="use a qualifier from ontology/frames.ttl")
                wanted[q.label] = v
            keep = set()
            for g in {r["group"] for r in rows}:
                label = next(r["group_label"] for r in rows if r["group"] == g)
                if all(f"{k}: {v}".casefold() in (label or "").casefold() for k, v in wanted.items()):
                    keep.add(g)
            rows = [r for r in rows if r["group"] in keep]
        return rows

    def stats(self) -> dict:
        """Counts of what the store holds."""
        counts = self.store.select("""
SELECT
  (COUNT(DISTINCT ?src) AS ?sources) (COUNT(DISTINCT ?doc) AS ?versions) WHERE {
  OPTIONAL { ?doc a lkg:DocumentVersion ; prov:specializationOf ?src }
}""")[0]
        claims = self.store.select("""
SELECT (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?g) AS ?groups) (COUNT(DISTINCT ?s) AS ?entities) WHERE {
  OPTIONAL { ?c a lkg:Claim ; lkg:group ?g ; lkg:subject ?s }
}""")[0]
        groups = self.store.select("""
SELECT (COUNT(DISTINCT ?multi) AS ?multi_valued) (COUNT(DISTINCT ?disputed) AS ?disputed) WHERE {
  OPTIONAL { ?multi a lkg:ClaimGroup ; lkg:distinctValues ?n . FILTER(?n > 1) }
  OPTIONAL { ?disputed a lkg:ClaimGroup ; lkg:disputed true }
}""")[0]
        by_ex = self.store.select("SELECT ?ex (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim ; lkg:extractor ?ex } "
                                  "GROUP BY ?ex ORDER BY ?ex")
        return {
            "sources": term_json(counts["sources"]), "document_versions": term_json(counts["versions"]),
            "claims": term_json(claims["claims"]), "claim_groups": term_json(claims["groups"]),
            "groups_with_several_values": term_json(groups["multi_valued"]),
            "disputed_groups": term_json(groups["disputed"]), "subjects": term_json(claims["entities"]),
            "quads": len(self.store), "named_graphs": len(self.store.named_graphs()),
            "claims_by_extractor": {r["ex"].value: term_json(r["n"]) for r in by_ex},
        }

    # ------------------------------------------------------------------ analyses
    def network(self, kind: str, *, by: str = "source"):
        """An analysis graph (networkx) over the whole store: ``disputes``, ``sources`` (``by`` source or
        version), ``entities`` or ``lineage``; see :mod:`lithkg.read.analyses`. networkx is imported on first use."""
        from .read import analyses
        if kind == "disputes":
            return analyses.dispute_graph(self.claims(), self.run_named("relations").rows)
        if kind == "sources":
            if by not in ("source", "version"):
                raise UsageError(f"cannot group sources by '{by}'", hint="use --by source or --by version")
            return analyses.source_graph(self.claims(), self.run_named("relations").rows, by=by)
        if kind == "entities":
            return analyses.entity_graph(self.run_named("entity-links").rows, self.claims())
        if kind == "lineage":
            return analyses.lineage_graph(self.run_named("sources").rows, self.run_named("lineage").rows)
        raise UsageError(f"unknown analysis '{kind}'", hint="use one of: " + ", ".join(analyses.KINDS))

    def find_group(self, text: str) -> str:
        """A claim group by its IRI, its hash, or words of its label (all of them, any case): exactly one must
        match."""
        text = text.strip()
        groups = self._group_labels()
        if text in groups:
            return text
        by_hash = [g for g in groups if g.rsplit("/", 1)[-1] == text.rsplit("/", 1)[-1]]
        if by_hash:
            return by_hash[0]
        words = text.casefold().split()
        found = sorted((label, g) for g, label in groups.items() if words and all(w in label.casefold() for w in words))
        if len(found) == 1:
            return found[0][1]
        if not found:
            raise UsageError(f"no claim group matches '{text}'", hint="give words of a group label as 'lithkg "
                                                                      "conflicts' shows it, or a group IRI")
        labels = "; ".join(label for label, _ in found[:4]) + ("; ..." if len(found) > 4 else "")
        raise UsageError(f"{len(found)} claim groups match '{text}': {labels}", hint="add words to pick one")

    def group_label(self, group: str) -> tuple[str, str | None]:
        """A group's label and the reason its preferred value is preferred (None when it has none)."""
        rows = self.store.select("SELECT ?g ?l ?r WHERE { ?g rdfs:label ?l . OPTIONAL { ?g lkg:reason ?r } }",
                                 substitutions={ox.Variable("g"): ox.NamedNode(group)})
        if not rows:
            raise UsageError(f"no claim group <{group}>")
        return rows[0]["l"].value, rows[0]["r"].value if "r" in rows[0] else None

    def group_claims(self, group: str) -> list[dict]:
        """Every claim of one group (found as :meth:`find_group` does), retracted ones included."""
        return self.claims(group=self.find_group(group))

    # ------------------------------------------------------------------ query
    def query(self, text: str, *, params: dict[str, str] | None = None, declared=None) -> QueryResult:
        """Run a read-only SPARQL query (standard prefixes predeclared) with safely bound parameters."""
        own_dataset = sparql.check_safe(text, bases=(self.base,), prefixes=self.ids.prefixes)
        resolve = self.session.resolve_param
        subs = sparql.bind(params or {}, declared, resolve, prefixes=self.ids.prefixes)
        inlined = sparql.inline_values(text, subs) if declared is not None and subs else None
        if inlined is not None:  # a named query: its parameters are planned with the rest of the query
            raw = self.store.query(inlined, prefixes=self.ids.prefixes)
        else:  # a query with its own FROM / FROM NAMED gets that dataset, not the union of all graphs
            raw = self.store.query(text, substitutions=subs or None, prefixes=self.ids.prefixes,
                                   union=not own_dataset)
        if isinstance(raw, (bool, ox.QueryBoolean)):
            return QueryResult("ask", boolean=bool(raw), raw=raw)
        if hasattr(raw, "variables"):  # pyoxigraph's QuerySolutions, or a remote store's Solutions
            names = [v.value for v in raw.variables]
            terms = [{n: sol[n] for n in names if sol[n] is not None} for sol in raw]
            rows = [{n: term_json(t.get(n)) for n in names} for t in terms]
            return QueryResult("select", variables=names, rows=rows, terms=terms)
        return QueryResult("graph", triples=list(raw))

    def run_query(self, text: str | None = None, *, name: str | None = None, params: dict[str, str] | None = None,
                  timeout: float | None = None) -> QueryResult:
        """A user's query (``text``, or the named query ``name``), as ``lithkg query`` runs it. On the embedded
        store it runs in a worker process of its own (:mod:`lithkg.read.sandbox`): with no network, whatever the query
        says, and killed at ``timeout`` seconds (default: the ``query_timeout`` setting; 0: no limit), which raises
        a QueryError. On a SPARQL server the query is that server's to run, within the same limit."""
        seconds = self.settings.query_timeout if timeout is None else timeout
        if self.remote:
            run = (lambda: self.run_named(name, params)) if name else (lambda: self.query(text, params=params))
            return sparql.run_with_time_limit(run, seconds, path=name or "query")
        try:
            return sandbox.call_once(self.settings, query_task, text, name, params or {}, timeout=seconds)
        except QueryError as exc:
            if "time limit" in exc.message:
                exc.hint = "narrow the query, or raise LITHKG_QUERY_TIMEOUT"
            if name and exc.path == "query":
                exc.path = name
            raise

    def resolve_param(self, name: str, value: str) -> str:
        """The IRI a named query's ``iri`` parameter names (see :meth:`lithkg.session.Session.resolve_param`)."""
        return self.session.resolve_param(name, value)

    def serialize_result(self, result: QueryResult, fmt: formats.Format) -> bytes:
        """A query result in a result format (SELECT/ASK) or an RDF format (CONSTRUCT/DESCRIBE)."""
        if result.kind == "graph":
            if not fmt.is_rdf:
                raise UsageError(f"a CONSTRUCT or DESCRIBE result is RDF, not '{fmt.name}'",
                                 hint="use --format turtle, ntriples, json-ld, nquads or trig")
            buf = io.BytesIO()
            exports.write([ox.Quad(t.subject, t.predicate, t.object) for t in result.triples], fmt, buf, ids=self.ids)
            return buf.getvalue()
        if fmt.kind != "results":
            raise UsageError(f"a SELECT or ASK result cannot be written as '{fmt.name}'",
                             hint="use --format table, csv, tsv, json or xml")
        target = getattr(ox.QueryResultsFormat, fmt.oxigraph)
        if result.kind == "ask":
            return sparql.serialize_boolean(bool(result.boolean), target)
        return sparql.serialize_solutions(result.variables, result.terms, target)

    # ------------------------------------------------------------------ export
    def export(self, fmt: str | formats.Format, out: io.BufferedIOBase | None = None) -> bytes | int:
        """Write the whole store in an RDF format; returns the bytes when ``out`` is None, else the number of
        statements written. With ``out`` the export streams: it holds one graph, or one sorted run of lines, in
        memory at a time (see :mod:`lithkg.rdf.exports`)."""
        fmt = fmt if isinstance(fmt, formats.Format) else formats.get(fmt, "dataset", "graph")
        buf = io.BytesIO() if out is None else None
        n = exports.write_graphs(self.store.graphs_ntriples(), fmt, out if buf is None else buf, ids=self.ids)
        return buf.getvalue() if buf is not None else n

    # ------------------------------------------------------------------ validate
    def validate(self) -> ValidationReport:
        """Check the store against the SHACL shapes in ontology/shapes.ttl (pyshacl, no inference)."""
        import pyshacl
        import rdflib

        data = rdflib.Graph()
        data.parse(data=self.export("ntriples").decode("utf-8"), format="nt")
        shapes = rdflib.Graph().parse(str(data_dir("ontology") / "shapes.ttl"), format="turtle")
        conforms, report_graph, text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                                        advanced=True, allow_warnings=True)
        sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        results = []
        for r in report_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
            results.append({
                "focus": str(report_graph.value(r, sh.focusNode)),
                "path": str(report_graph.value(r, sh.resultPath) or ""),
                "severity": str(report_graph.value(r, sh.resultSeverity)).rsplit("#", 1)[-1],
                "message": str(report_graph.value(r, sh.resultMessage) or ""),
            })
        results.sort(key=lambda x: (x["focus"], x["path"], x["message"]))
        return ValidationReport(bool(conforms), results, text)

    def check(self, *, shacl: bool = True, repair: bool = False, progress: Progress | None = None):
        """Check the store's invariants: versions written whole, quotes at their offsets, derivations equal to a
        fresh derivation, SHACL (``shacl=False`` skips it, the slow part); ``repair=True`` rewrites wrong derived
        graphs first. Returns a :class:`lithkg.read.integrity.CheckReport`."""
        from .read import integrity
        if repair and self.read_only:
            raise UsageError("cannot repair a store opened read-only")
        return integrity.check(self, shacl=shacl, repair=repair, progress=progress)

    # ------------------------------------------------------------------ build
    def build(self, graph_dir: str | Path | None = None, *, check: bool = False,
              progress: Progress | None = None) -> dict:
        """Ingest ``graph/sources`` and ``graph/claims`` into the store and write ``graph/build/`` from a fresh
        build (reproducible: record times from ``SOURCE_DATE_EPOCH`` or the documents' dates).

        With ``check=True`` nothing is written: the exports are rebuilt in a temporary folder and compared with
        the committed ones; :class:`CheckFailed` names the files that differ.
        """
        graph_dir = Path(graph_dir or self.settings.graph_dir)
        sources, claims_dir = graph_dir / "sources", graph_dir / "claims"
        if not sources.is_dir():
            raise UsageError("no sources/ folder here", path=str(graph_dir),
                             hint="run from the project folder or give --graph-dir")
        inputs = [sources] + ([claims_dir] if claims_dir.is_dir() else [])
        root = graph_dir.resolve().parent
        with tempfile.TemporaryDirectory(prefix="lithkg-build-") as tmp:
            ontology = self.session.loaded_ontology or load_ontology(base=self.settings.base or DEFAULT_BASE)
            fresh = KnowledgeGraph(Path(tmp) / "store", settings=self.settings, ontology=ontology)
            report = fresh.ingest(inputs, relative_to=root, record_time=build_record_time, progress=progress)
            outputs = {name: fresh.export(fmt) for name, fmt in BUILD_FILES.items()}
            fresh.close()
        build_dir = graph_dir / "build"
        if check:
            stale = [n for n, data in outputs.items()
                     if not (build_dir / n).is_file() or (build_dir / n).read_bytes() != data]
            if stale:
                raise CheckFailed(f"graph/build is not current: {', '.join(stale)} differ",
                                  path=str(build_dir), hint="run 'lithkg build' and commit graph/build")
            return {"documents": len(report.documents), "claims": report.claims, "files": sorted(outputs)}
        build_dir.mkdir(parents=True, exist_ok=True)
        for name, data in outputs.items():
            tmp_path = build_dir / f".{name}.tmp"
            tmp_path.write_bytes(data)
            os.replace(tmp_path, build_dir / name)
        self.ingest(inputs, relative_to=root, record_time=build_record_time)
        return {"documents": len(report.documents), "claims": report.claims,
                "files": [str(build_dir / n) for n in sorted(outputs)]}


def _walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted, skipping hidden files and folders (a name starting with ``.``) and not
    following links to folders; a folder that cannot be read is an error, not skipped."""
    out: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            raise DocumentError(f"cannot read the folder: {exc.strerror}", path=str(current),
                                hint="make it readable, or leave it out") from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif not entry.is_dir():
                out.append(Path(entry.path))
    return sorted(out)


def _shown(path: Path, relative_to: Path) -> str:
    """A path as a message names it: relative to ``relative_to``, its links not resolved (unlike a document's name)."""
    absolute, base = os.path.abspath(path), os.path.abspath(relative_to)
    return Path(os.path.relpath(absolute, base)).as_posix()


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    """Whether ``path``, its links resolved, is one of ``roots`` or lies under one of them (resolved too)."""
    resolved = path.resolve()
    return any(resolved == root.resolve() or resolved.is_relative_to(root.resolve()) for root in roots)


def _check_readable(path: Path, relative_to: Path | None, shown: str | None = None) -> None:
    """A document or claims file refused before anything is read: not a regular file (a FIFO would block the ingest,
    a device never end), or not readable."""
    name = shown if shown is not None else display_path(path, relative_to)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise DocumentError("no such file (a link to nothing?)", path=name) from None
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror}", path=name) from None
    refused = not_regular(mode, name)
    if refused:
        raise refused
    if not os.access(path, os.R_OK):
        raise DocumentError("cannot read the file: Permission denied", path=name)


def _json_value(lexical: str):
    try:
        return Value.number(lexical).json()
    except ValueError:
        return lexical


def _day(text: str, end: bool = False) -> str:
    """An ISO date or date-time at any precision as a comparable day: '2022' -> 2022-01-01 (or -12-31)."""
    from .model import date_interval, parse_iso_date
    text = str(text)[:10]
    try:
        lo, hi = date_interval(parse_iso_date(text))
    except ValueError:
        raise UsageError(f"'{text}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return (hi if end else lo).isoformat()


def _known(record_time: str, source_date: str | None, as_of, source_date_before) -> bool:
    """Whether something recorded at ``record_time`` from a source dated ``source_date`` is within the record-time
    and source-time bounds (a date, or a moment such as 2022-05-02T10:00:00Z, for ``as_of``)."""
    if as_of and "T" in as_of:  # a moment: what had been recorded by then
        if record_time > as_of.replace("+00:00", "Z"):
            return False
    elif as_of and record_time[:10] > _day(as_of, end=True):
        return False
    if source_date_before and (not source_date or _day(source_date) >= _day(source_date_before)):
        return False
    return True


def _time_filter(row: dict, as_of, valid_at, source_date_before) -> bool:
    if not _known(row["record_time"], row["source_date"], as_of, source_date_before):
        return False
    if valid_at:
        start = row["time"] if row["valid_from"] is None else row["valid_from"]
        if not start:
            return False
        lo, hi = _day(start), _day(row["valid_until"] or row["time"] or "9999", end=True)
        if row["valid_from"] and not row["valid_until"]:
            hi = "9999-12-31"
        if not lo <= _day(valid_at) <= hi:
            return False
    return True


def _relation_name(kind: str | None) -> str | None:
    return {"Update": "updates", "Conflict": "conflicts", "Corroboration": "corroborates",
            "preferred": "preferred"}.get(kind or "", kind)


@sandbox.task
def query_task(kg: KnowledgeGraph, text: str | None, name: str | None, params: dict) -> QueryResult:
    """:meth:`KnowledgeGraph.run_query`'s work, in a worker: the result without the engine's own objects."""
    result = kg.run_named(name, params) if name else kg.query(text, params=params)
    result.raw = None
    return result
