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
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from .rdf import exports, formats, mapping
from . import extract
from .read import diff, listings, sparql
from .read.sparql import QueryResult
from .versioning import rules, stored
from .config import Settings, data_dir, load_settings
from .extract.documents import (check_file_name, display_path, is_document_path, not_regular, parse_document, read_document, read_stdin)
from .errors import CheckFailed, ClaimsFileError, DocumentError, UsageError, escape
from .extract.curated import ClaimsFile, is_claims_path, load_claims_file
from .model import Claim, Document, GroupMember, VersionClaim
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
        """The named query ``name`` (``queries/NAME.rq``) with its typed parameters."""
        return sparql.run_named(self.session, name, params)

    def claims(self, *, subject: str | None = None, property: str | None = None, source: str | None = None,
               status: str | None = None, group: str | None = None, as_of: str | None = None,
               valid_at: str | None = None, source_date_before: str | None = None) -> list[dict]:
        """Every claim as a dict with the keys of the claims-listing contract (see DESIGN.md).

        Three time axes, which combine: ``as_of`` (record time: what had been ingested by then), ``valid_at`` (the
        claims whose own time holds at that date), ``source_date_before`` (what sources dated before it said). With
        any of them, statuses are derived again over just those claims.
        """
        return listings.claims(self.session, subject=subject, property=property, source=source, status=status,
                               group=group, as_of=as_of, valid_at=valid_at, source_date_before=source_date_before)

    # ------------------------------------------------------------------ versions and time
    def log(self, source: str | None = None) -> list[dict]:
        """The versions of every source (or of one: its key, url or a file name), with their dates, record time
        and claim counts, oldest first."""
        return listings.log(self.session, source)

    def diff(self, a: str, b: str | None = None) -> list[dict]:
        """What changed between two document versions: claims added, retracted and changed (old value -> new value,
        with both quotes). With one argument, a source's two latest versions."""
        return diff.diff(self.session, a, b)

    def diff_patch(self, rows: list[dict], fmt: str = "trig") -> bytes:
        """A diff as RDF: a graph of the statements removed and one of those added (retracted and added claims,
        and both sides of a change), for tools that apply RDF patches."""
        return diff.diff_patch(self.session, rows, fmt)

    def blame(self, claim: str) -> list[dict]:
        """Every source version that made this claim (the claim and those it continues or that continue it),
        first to last."""
        return listings.blame(self.session, claim)

    def stale(self, *, older_than: str = "2y", now: str | None = None) -> list[dict]:
        """Claims the latest version of a source still presents as current (no time, or a time resolved from the
        document's date) whose time is older than ``older_than`` ("2y", "18m", "90d") at ``now`` (default today),
        and claims a newer claim of another source has updated: what an editor fixes first."""
        return listings.stale(self.session, older_than=older_than, now=now)

    def conflicts(self) -> list[dict]:
        """Claim groups with more than one value: each claim with source, time, quote, status and the reason."""
        return listings.conflicts(self.session)

    def history(self, subject: str, property: str, *, qualifiers: dict[str, str] | None = None) -> list[dict]:
        """Every value claimed for one subject and property, by group and valid time."""
        return listings.history(self.session, subject, property, qualifiers=qualifiers)

    def stats(self) -> dict:
        """Counts of what the store holds."""
        return listings.stats(self.session)

    # ------------------------------------------------------------------ analyses
    def network(self, kind: str, *, by: str = "source"):
        """An analysis graph (networkx) over the whole store: ``disputes``, ``sources`` (``by`` source or
        version), ``entities`` or ``lineage``; see :mod:`lithkg.read.analyses`. networkx is imported on first use."""
        return listings.network(self.session, kind, by=by)

    def find_group(self, text: str) -> str:
        """A claim group by its IRI, its hash, or words of its label (all of them, any case): exactly one must
        match."""
        return listings.find_group(self.session, text)

    def group_label(self, group: str) -> tuple[str, str | None]:
        """A group's label and the reason its preferred value is preferred (None when it has none)."""
        return listings.group_label(self.session, group)

    def group_claims(self, group: str) -> list[dict]:
        """Every claim of one group (found as :meth:`find_group` does), retracted ones included."""
        return listings.group_claims(self.session, group)

    # ------------------------------------------------------------------ query
    def query(self, text: str, *, params: dict[str, str] | None = None, declared=None) -> QueryResult:
        """Run a read-only SPARQL query (standard prefixes predeclared) with safely bound parameters."""
        return sparql.query(self.session, text, params=params, declared=declared)

    def run_query(self, text: str | None = None, *, name: str | None = None, params: dict[str, str] | None = None,
                  timeout: float | None = None) -> QueryResult:
        """A user's query (``text``, or the named query ``name``), as ``lithkg query`` runs it. On the embedded
        store it runs in a worker process of its own (:mod:`lithkg.read.sandbox`): with no network, whatever the query
        says, and killed at ``timeout`` seconds (default: the ``query_timeout`` setting; 0: no limit), which raises
        a QueryError. On a SPARQL server the query is that server's to run, within the same limit."""
        return sparql.run_query(self.session, text, name=name, params=params, timeout=timeout)

    def resolve_param(self, name: str, value: str) -> str:
        """The IRI a named query's ``iri`` parameter names (see :meth:`lithkg.session.Session.resolve_param`)."""
        return self.session.resolve_param(name, value)

    def serialize_result(self, result: QueryResult, fmt: formats.Format) -> bytes:
        """A query result in a result format (SELECT/ASK) or an RDF format (CONSTRUCT/DESCRIBE)."""
        return sparql.serialize_result(self.session, result, fmt)

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

