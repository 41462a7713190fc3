"""Claims <-> RDF, as ``ontology/README.md`` draws it: namespaces, IRIs minted from hashes, statement nodes,
one named graph per document version, one derived graph per claim group and per source.

Terms are pyoxigraph terms: this is the hot path of every ingest.
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from ..errors import StoreError
from .iris import (  # noqa: F401  (re-exported: the namespaces are part of the mapping's interface)
    AGENTS_GRAPH, DCT, DEFAULT_BASE, DEFAULT_IDS, ENTITIES_GRAPH, LDT, LKD, LKE, LKG, LKGP, LP, LPQ, LPS, OA,
    ONTOLOGY_GRAPH, PREFIXES, PROV, RDF, RDFS, XSD, Ids, check_base, digest)
from ..model import Claim, ClaimGroup, Document, Qualifier, Value, date_datatype

BOUND_IRIS = {"lower": LKG + "LowerBound", "upper": LKG + "UpperBound", "approx": LKG + "Approximate"}
BOUND_NAMES = {v: k for k, v in BOUND_IRIS.items()}
RANK_IRIS = {"preferred": LKG + "PreferredRank", "normal": LKG + "NormalRank", "deprecated": LKG + "DeprecatedRank"}
RELATION_CLASS = {"corroborates": LKG + "Corroboration", "compatible": LKG + "Compatibility", "updates": LKG + "Update",
                  "conflicts": LKG + "Conflict"}
RELATION_PREDICATE = {"corroborates": LKG + "corroborates", "compatible": LKG + "compatibleWith",
                      "updates": LKG + "updates", "conflicts": LKG + "conflictsWith"}

_N = ox.NamedNode
_TYPE = _N(RDF + "type")


def prop_local(iri: str) -> str:
    if not iri.startswith(LKGP):
        raise StoreError(f"property {iri} is not in the lithkg property namespace")
    return iri[len(LKGP):]


def literal(value: Value) -> ox.NamedNode | ox.Literal:
    """The RDF term of a value: typed numbers and dates, an IRI for entities, a string for text."""
    if value.kind == "number":
        return ox.Literal(value.lexical, datatype=_N(XSD + ("integer" if value.is_integer else "decimal")))
    if value.kind == "date":
        return ox.Literal(value.lexical, datatype=_N(XSD + date_datatype(value.lexical)))
    if value.kind == "entity":
        return _N(value.lexical)
    return ox.Literal(value.lexical)


def term_to_value(term) -> Value:
    """The inverse of :func:`literal` for terms read back from the store."""
    if isinstance(term, ox.NamedNode):
        return Value("entity", term.value)
    dt = term.datatype.value if term.datatype else XSD + "string"
    if dt in (XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float", XSD + "nonNegativeInteger"):
        return Value.number(term.value)
    if dt in (XSD + "gYear", XSD + "gYearMonth", XSD + "date"):
        return Value("date", term.value)
    return Value("text", term.value)


def _date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=_N(XSD + date_datatype(text)))


def _bool(flag: bool) -> ox.Literal:
    return ox.Literal("true" if flag else "false", datatype=_N(XSD + "boolean"))


def _int(n: int, dt: str = "integer") -> ox.Literal:
    return ox.Literal(str(n), datatype=_N(XSD + dt))


def document_quads(doc: Document, *, record_time: str, ids: Ids = DEFAULT_IDS) -> list[ox.Quad]:
    """The document version, in its own graph (its source is described in the source's derived graph)."""
    d, s = _N(ids.document(doc)), _N(ids.source(doc.source_key))
    g = d
    q = [
        ox.Quad(d, _TYPE, _N(LKG + "DocumentVersion"), g), ox.Quad(d, _TYPE, _N(PROV + "Entity"), g),
        ox.Quad(d, _N(PROV + "specializationOf"), s, g),
        ox.Quad(d, _N(LKG + "contentHash"), ox.Literal(doc.content_hash), g),
        ox.Quad(d, _N(LKG + "mediaType"), ox.Literal(doc.media_type), g),
        ox.Quad(d, _N(LKG + "fileName"), ox.Literal(doc.file_name), g),
        ox.Quad(d, _N(LKG + "text"), ox.Literal(doc.text), g),
        ox.Quad(d, _N(LKG + "recordTime"), ox.Literal(record_time, datatype=_N(XSD + "dateTime")), g),
    ]
    if doc.title:
        q.append(ox.Quad(d, _N(DCT + "title"), ox.Literal(doc.title), g))
    if doc.published:
        q.append(ox.Quad(d, _N(LKG + "published"), _date(doc.published), g))
    if doc.retrieved:
        q.append(ox.Quad(d, _N(LKG + "retrieved"), _date(doc.retrieved), g))
    if doc.source_date:
        q.append(ox.Quad(d, _N(LKG + "sourceDate"), _date(doc.source_date), g))
        q.append(ox.Quad(d, _N(LKG + "sourceDateInferred"), _bool(doc.source_date_inferred), g))
    return q


def run_quads(doc_iri: str, extractor: str, version: str, record_time: str, *,
              ids: Ids = DEFAULT_IDS) -> tuple[str, list[ox.Quad]]:
    run, agent, g = _N(ids.mint("run", doc_iri, extractor, version)), _N(ids.agent(extractor, version)), _N(doc_iri)
    a = _N(AGENTS_GRAPH)
    return run.value, [
        ox.Quad(run, _TYPE, _N(LKG + "ExtractionRun"), g), ox.Quad(run, _TYPE, _N(PROV + "Activity"), g),
        ox.Quad(run, _N(PROV + "used"), _N(doc_iri), g), ox.Quad(run, _N(PROV + "wasAssociatedWith"), agent, g),
        ox.Quad(run, _N(PROV + "endedAtTime"), ox.Literal(record_time, datatype=_N(XSD + "dateTime")), g),
        ox.Quad(agent, _TYPE, _N(LKG + "Extractor"), a), ox.Quad(agent, _TYPE, _N(PROV + "SoftwareAgent"), a),
        ox.Quad(agent, _N(RDFS + "label"), ox.Literal(f"{extractor}@{version}"), a),
        ox.Quad(agent, _N(LKG + "extractorName"), ox.Literal(extractor), a),
        ox.Quad(agent, _N(LKG + "extractorVersion"), ox.Literal(version), a),
    ]


def claim_quads(claim: Claim, doc_iri: str, run_iri: str, *, also_runs: Iterable[str] = (),
                ids: Ids = DEFAULT_IDS, iri: str | None = None, group: str | None = None, graph: str | None = None
                ) -> tuple[str, str, list[ox.Quad]]:
    """The statement node of one claim with its evidence; returns (claim IRI, group IRI, quads). ``also_runs``: the
    runs of the other extractors that read the same statement (``claim.also_read_by``), each a
    prov:wasGeneratedBy too; each of ``claim.disagreements`` is an lkg:extractorDisagreement. ``iri``, ``group``
    and ``graph`` (default: minted from the claim, and its version's graph) are set for a claim a correction
    makes (see :func:`amended_claim_quads`)."""
    c_iri = iri or ids.claim(claim, doc_iri)
    grp = group or ids.group(claim)
    c, g, subj = _N(c_iri), _N(graph or doc_iri), _N(claim.subject.iri)
    local = prop_local(claim.property.iri)
    value = literal(claim.value)
    ev, qs, ps = _N(c_iri + "#evidence"), _N(c_iri + "#quote"), _N(c_iri + "#position")
    out = [
        ox.Quad(c, _TYPE, _N(LKG + "Claim"), g),
        ox.Quad(c, _N(LKG + "subject"), subj, g),
        ox.Quad(subj, _N(LP + local), c, g),
        ox.Quad(c, _N(LKG + "property"), _N(claim.property.iri), g),
        ox.Quad(c, _N(LKG + "value"), value, g),
        ox.Quad(c, _N(LPS + local), value, g),
        ox.Quad(c, _N(LKG + "group"), _N(grp), g),
        ox.Quad(c, _N(LKG + "confidence"), ox.Literal(_decimal(claim.confidence), datatype=_N(XSD + "decimal")), g),
        ox.Quad(c, _N(LKG + "extractor"), ox.Literal(claim.extractor), g),
        ox.Quad(c, _N(LKG + "evidence"), ev, g),
        ox.Quad(c, _N(PROV + "wasDerivedFrom"), _N(doc_iri), g),
        ox.Quad(c, _N(PROV + "wasGeneratedBy"), _N(run_iri), g),
        ox.Quad(ev, _TYPE, _N(OA + "SpecificResource"), g),
        ox.Quad(ev, _N(OA + "hasSource"), _N(doc_iri), g),
        ox.Quad(ev, _N(OA + "hasSelector"), qs, g),
        ox.Quad(ev, _N(OA + "hasSelector"), ps, g),
        ox.Quad(qs, _TYPE, _N(OA + "TextQuoteSelector"), g),
        ox.Quad(qs, _N(OA + "exact"), ox.Literal(claim.evidence.quote), g),
        ox.Quad(qs, _N(OA + "prefix"), ox.Literal(claim.evidence.prefix), g),
        ox.Quad(qs, _N(OA + "suffix"), ox.Literal(claim.evidence.suffix), g),
        ox.Quad(ps, _TYPE, _N(OA + "TextPositionSelector"), g),
        ox.Quad(ps, _N(OA + "start"), _int(claim.evidence.start), g),
        ox.Quad(ps, _N(OA + "end"), _int(claim.evidence.end), g),
    ]
    out += [ox.Quad(c, _N(PROV + "wasGeneratedBy"), _N(run), g) for run in also_runs]
    out += [ox.Quad(c, _N(LKG + "extractorDisagreement"), ox.Literal(text), g) for text in claim.disagreements]
    if claim.unit:
        out.append(ox.Quad(c, _N(LKG + "unit"), _N(claim.unit), g))
    if claim.bound:
        out.append(ox.Quad(c, _N(LKG + "bound"), _N(BOUND_IRIS[claim.bound]), g))
    for pred, text in (("pointInTime", claim.time.point), ("startTime", claim.time.start),
                       ("endTime", claim.time.end)):
        if text:
            out.append(ox.Quad(c, _N(LKG + pred), _date(text), g))
    if claim.time.inferred and not claim.time.is_empty:
        out.append(ox.Quad(c, _N(LKG + "timeInferred"), _bool(True), g))
    for q in claim.qualifiers:
        out.append(ox.Quad(c, _N(LPQ + prop_local(q.property.iri)), literal(q.value), g))
    eg = _N(ENTITIES_GRAPH)
    for term in _unlinked_terms(claim, ids):
        e = _N(term.iri)
        out += [ox.Quad(e, _TYPE, _N(LKG + "Entity"), eg), ox.Quad(e, _N(RDFS + "label"), ox.Literal(term.label), eg),
                ox.Quad(e, _N(LKG + "unlinked"), _bool(True), eg)]
    return c_iri, grp, out


def _unlinked_terms(claim: Claim, ids: Ids):
    """Minted entities a claim uses, as subject, value or qualifier value (each gets its label written)."""
    from ..model import Term
    terms = [claim.subject]
    values = [claim.value] + [q.value for q in claim.qualifiers]
    for v in values:
        if v.kind == "entity" and ids.is_unlinked(v.lexical):
            terms.append(Term(v.lexical, v.label or "", True))
    return [t for t in terms if (t.unlinked or ids.is_unlinked(t.iri)) and t.label]


def _decimal(x: float) -> str:
    """Oxigraph's canonical xsd:decimal text (1.0 -> "1", 0.850 -> "0.85"), so re-reads compare equal."""
    return Value.number(round(x, 4)).lexical


def group_quads(group: ClaimGroup, claim: Claim | None, subject: str, prop: str, scoping: Iterable[Qualifier],
                label: str, preferred_value, preference_reason: str, *, ids: Ids = DEFAULT_IDS) -> list[ox.Quad]:
    """The derived graph of one group: the group node, each claim's rank, status and its reason, its relation to the
    preferred claim (an lkg:Corroboration, lkg:Compatibility, lkg:Update or lkg:Conflict with a reason), the
    conflicting pairs as direct lkg:conflictsWith triples, the truthy triple. Other pairs are not stored: the
    listings derive them on read from the group's members (:func:`lithkg.versioning.rules.pair_relations`)."""
    g = _N(ids.derived_graph(group.iri))
    grp = _N(group.iri)
    out = [
        ox.Quad(grp, _TYPE, _N(LKG + "ClaimGroup"), g),
        ox.Quad(grp, _N(RDFS + "label"), ox.Literal(label), g),
        ox.Quad(grp, _N(LKG + "subject"), _N(subject), g),
        ox.Quad(grp, _N(LKG + "property"), _N(prop), g),
        ox.Quad(grp, _N(LKG + "distinctValues"), _int(group.distinct_values), g),
        ox.Quad(grp, _N(LKG + "disputed"), _bool(group.disputed), g),
    ]
    for q in scoping:
        out.append(ox.Quad(grp, _N(LPQ + prop_local(q.property.iri)), literal(q.value), g))
    for m in group.members:
        out.append(ox.Quad(grp, _N(LKG + "member"), _N(m), g))
    if group.preferred:
        out.append(ox.Quad(grp, _N(LKG + "preferredClaim"), _N(group.preferred), g))
        out.append(ox.Quad(grp, _N(LKG + "reason"), ox.Literal(preference_reason), g))
        out.append(ox.Quad(_N(subject), _N(LDT + prop_local(prop)), preferred_value, g))
    ranks, reasons = dict(group.ranks), dict(group.reasons)
    for claim_id, status in group.statuses:
        c = _N(claim_id)
        out.append(ox.Quad(c, _N(LKG + "statementRank"), _N(RANK_IRIS[ranks.get(claim_id, "normal")]), g))
        out.append(ox.Quad(c, _N(LKG + "status"), ox.Literal(status), g))
        if reasons.get(claim_id):
            out.append(ox.Quad(c, _N(LKG + "statusReason"), ox.Literal(reasons[claim_id]), g))
    for rel in group.relations:  # each claim's relation to the preferred claim, with its reason
        r = _N(ids.mint("rel", rel.kind, rel.source, rel.target))
        a, b = _N(rel.source), _N(rel.target)
        out += [
            ox.Quad(b if rel.source == group.preferred else a, _N(LKG + "relationToPreferred"), r, g),
            ox.Quad(r, _TYPE, _N(RELATION_CLASS[rel.kind]), g),
            ox.Quad(r, _N(LKG + "fromClaim"), a, g), ox.Quad(r, _N(LKG + "toClaim"), b, g),
            ox.Quad(r, _N(LKG + "reason"), ox.Literal(rel.reason), g),
            ox.Quad(a, _N(RELATION_PREDICATE[rel.kind]), b, g),
        ]
        if rel.kind != "updates":
            out.append(ox.Quad(b, _N(RELATION_PREDICATE[rel.kind]), a, g))
    for a, b in group.conflicts:  # every conflicting pair, as direct triples (their reasons are derived on read)
        out += [ox.Quad(_N(a), _N(LKG + "conflictsWith"), _N(b), g), ox.Quad(_N(b), _N(LKG + "conflictsWith"), _N(a), g)]
    return list(dict.fromkeys(out))


def lineage_quads(source: str, source_key: str, url: str | None, versions: list[str],
                  lineage: dict | None = None, *, ids: Ids = DEFAULT_IDS) -> list[ox.Quad]:
    """The source and the chain of its versions, oldest first; with ``lineage`` (see
    :func:`lithkg.versioning.rules.lineage`), what each claim continues or revises and the version that no longer states a claim."""
    g, s = _N(ids.source_graph(source)), _N(source)
    out = [ox.Quad(s, _TYPE, _N(LKG + "Source"), g), ox.Quad(s, _TYPE, _N(PROV + "Entity"), g),
           ox.Quad(s, _N(LKG + "sourceKey"), ox.Literal(source_key), g)]
    if url:
        out.append(ox.Quad(s, _N(LKG + "url"), ox.Literal(url, datatype=_N(XSD + "anyURI")), g))
    for i, v in enumerate(versions):
        out.append(ox.Quad(_N(v), _N(LKG + "versionNumber"), _int(i + 1), g))
        if i:
            out.append(ox.Quad(_N(v), _N(PROV + "wasRevisionOf"), _N(versions[i - 1]), g))
    if versions:
        out.append(ox.Quad(s, _N(LKG + "latestVersion"), _N(versions[-1]), g))
    for new, old in (lineage or {}).get("continues", ()):
        out.append(ox.Quad(_N(new), _N(LKG + "continues"), _N(old), g))
    for new, old in (lineage or {}).get("revises", ()):
        out.append(ox.Quad(_N(new), _N(LKG + "revises"), _N(old), g))
    for claim, version in (lineage or {}).get("retracted", {}).items():  # stores built before: lkg:retractedIn
        out.append(ox.Quad(_N(claim), _N(LKG + "noLongerStatedIn"), _N(version), g))
    return out


def ontology_quads(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    g = _N(ONTOLOGY_GRAPH)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples if not isinstance(t.subject, ox.BlankNode)
            and not isinstance(t.object, ox.BlankNode)]


def override_quads(claim: str, rank: str, reason: str, by: str, at: str, *,
                   ids: Ids = DEFAULT_IDS) -> list[ox.Quad]:
    """A person's rank for a claim, dated and attributed, in the claim's own overrides graph (kept, not replaced)."""
    g = _N(ids.override_graph(claim))
    o = _N(ids.mint("override", claim, rank, reason, by, at))
    agent = _N(ids.person(by))
    return [
        ox.Quad(o, _TYPE, _N(LKG + "RankOverride"), g), ox.Quad(o, _N(LKG + "claim"), _N(claim), g),
        ox.Quad(o, _N(LKG + "statementRank"), _N(RANK_IRIS[rank]), g),
        ox.Quad(o, _N(LKG + "reason"), ox.Literal(reason), g),
        ox.Quad(o, _N(PROV + "generatedAtTime"), ox.Literal(at, datatype=_N(XSD + "dateTime")), g),
        ox.Quad(o, _N(PROV + "wasAttributedTo"), agent, g),
        ox.Quad(agent, _TYPE, _N(PROV + "Person"), g), ox.Quad(agent, _N(RDFS + "label"), ox.Literal(by), g),
    ]


CORRECTION_CLASS = {"reject": LKG + "Rejection", "confirm": LKG + "Confirmation", "amend": LKG + "Amendment",
                    "merge": LKG + "GroupMerge", "split": LKG + "GroupSplit", "accept": LKG + "LinkAcceptance",
                    "refuse": LKG + "LinkRefusal", "undo": LKG + "Withdrawal"}
CORRECTION_KIND = {v: k for k, v in CORRECTION_CLASS.items()}


def correction_quads(record, *, ids: Ids = DEFAULT_IDS) -> list[ox.Quad]:
    """An analyst's correction (a :class:`lithkg.versioning.corrections.Correction`), dated and attributed, in a
    named graph of its own."""
    g = _N(ids.correction_graph(record.iri))
    r = _N(record.iri)
    agent = _N(ids.person(record.by))
    out = [
        ox.Quad(r, _TYPE, _N(LKG + "Correction"), g), ox.Quad(r, _TYPE, _N(CORRECTION_CLASS[record.kind]), g),
        ox.Quad(r, _N(LKG + "reason"), ox.Literal(record.reason), g),
        ox.Quad(r, _N(PROV + "generatedAtTime"), ox.Literal(record.at, datatype=_N(XSD + "dateTime")), g),
        ox.Quad(r, _N(PROV + "wasAttributedTo"), agent, g),
        ox.Quad(agent, _TYPE, _N(PROV + "Person"), g), ox.Quad(agent, _N(RDFS + "label"), ox.Literal(record.by), g),
    ]
    out += [ox.Quad(r, _N(LKG + "claim"), _N(c), g) for c in record.claims]
    out += [ox.Quad(r, _N(LKG + "aboutGroup"), _N(x), g) for x in record.groups]
    if record.withdraws:
        out.append(ox.Quad(r, _N(LKG + "withdraws"), _N(record.withdraws), g))
    if record.changes:
        out.append(ox.Quad(r, _N(LKG + "changes"), ox.Literal(record.changes), g))
    return out


def amended_claim_quads(record: str, claim: Claim, doc_iri: str, original: str, iri: str, group: str, *,
                        ids: Ids = DEFAULT_IDS) -> list[ox.Quad]:
    """A claim a correction (``record``: an amend, merge or split) makes in place of ``original``: a statement
    node like any other, derived from the same version and quote, in the record's graph, generated by the record
    and lkg:amends the claim it replaces."""
    graph = ids.correction_graph(record)
    _, _, out = claim_quads(claim, doc_iri, record, ids=ids, iri=iri, group=group, graph=graph)
    return out + [ox.Quad(_N(iri), _N(LKG + "amends"), _N(original), _N(graph))]
