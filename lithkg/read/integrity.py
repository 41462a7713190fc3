"""Integrity of a store: what ``lithkg check`` verifies, and what ``--repair`` rewrites.

The invariants, each checked by one function that returns :class:`Problem` rows:

* **versions**: every document version states how many claims it makes (``lkg:claimCount``, written in the same
  graph and transaction as its claims) and holds exactly that many, each with its value, group and evidence; a
  version written in part (a bulk ingest killed mid-way) shows here;
* **quotes**: every claim's quote is its version's stored text at the claim's offsets, and the text still has the
  version's content hash;
* **derivations**: every source's graph (its chain of versions, what each version continued, revised and retracted)
  and every claim group's derived graph (statuses, ranks, relations, preferred value) is exactly what a fresh
  derivation from the stored claims gives; no derived graph is left for a group without claims;
* **shacl**: the store conforms to ``ontology/shapes.ttl`` (:func:`validate`).

A fresh derivation is the :class:`~lithkg.versioning.deriver.Deriver`'s, the one every writer uses. Repair rewrites
the source and group graphs found wrong: the sources in one transaction, then (since a source's
lineage says which claims are retracted, which the groups read) the groups derived again in a second one; each
transaction is whole, and a repair cut short between them is finished by the next ``check --repair``. Versions and quotes are never rewritten: they are
what was read; a wrong one is reported with the ingest that puts it right.
"""
from __future__ import annotations

import dataclasses
import io
from typing import Callable

import pyoxigraph as ox

from ..config import data_dir
from ..extract.documents import content_hash
from ..rdf import exports, formats
from ..versioning import stored
from ..versioning.deriver import Deriver

GROUPS_PER_QUERY = 400
SOURCES_PER_QUERY = 200

Progress = Callable[[int, int, str], None]


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One broken invariant: which check, the IRI it is about, what is wrong, and whether repair can fix it."""
    check: str
    iri: str
    message: str
    repairable: bool = False


@dataclasses.dataclass
class ValidationReport:
    conforms: bool
    results: list[dict]
    text: str


@dataclasses.dataclass
class CheckReport:
    problems: list[Problem]
    checked: dict[str, int]          # what was looked at: versions, claims, sources, groups
    repaired: list[str] = dataclasses.field(default_factory=list)  # graphs rewritten

    @property
    def ok(self) -> bool:
        return not self.problems


def check_versions(session) -> tuple[list[Problem], int, int]:
    """Every version has its claim count and that many complete claims. Returns problems, versions, claims."""
    rows = session.store.select("""
SELECT ?doc ?count (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?whole) AS ?complete) WHERE {
  GRAPH ?doc { ?doc a lkg:DocumentVersion . OPTIONAL { ?doc lkg:claimCount ?count } }
  OPTIONAL {
    GRAPH ?doc { ?claim prov:wasDerivedFrom ?doc . }
    OPTIONAL { GRAPH ?doc { ?claim lkg:value ?v ; lkg:group ?g ; lkg:evidence/oa:hasSelector/oa:exact ?q . }
               BIND(?claim AS ?whole) }
  }
} GROUP BY ?doc ?count ORDER BY ?doc""")
    problems, claims = [], 0
    for r in rows:
        doc = r["doc"].value
        n, complete = int(r["claims"].value), int(r["complete"].value)
        claims += n
        hint = "ingest this version again"
        if "count" not in r:
            problems.append(Problem("versions", doc, f"the version has no lkg:claimCount, so whether it was written "
                                                     f"whole cannot be told ({hint})"))
        elif int(r["count"].value) != n:
            problems.append(Problem("versions", doc, f"the version makes {r['count'].value} claim(s) but the store "
                                                     f"holds {n} ({hint})"))
        if complete != n:
            problems.append(Problem("versions", doc, f"{n - complete} claim(s) lack a value, group or quote ({hint})"))
    return problems, len(rows), claims


def check_quotes(session) -> list[Problem]:
    """Every quote is the version's text at its offsets; every text has its content hash."""
    problems = []
    texts = {}
    for r in session.store.select("SELECT ?doc ?text ?hash WHERE { GRAPH ?doc { ?doc lkg:text ?text . "
                             "OPTIONAL { ?doc lkg:contentHash ?hash } } }"):
        doc, text = r["doc"].value, r["text"].value
        texts[doc] = text
        if "hash" in r and content_hash(text) != r["hash"].value:
            problems.append(Problem("quotes", doc, "the stored text no longer has the version's content hash "
                                                   "(ingest the document again)"))
    for r in session.store.select("""
SELECT ?claim ?doc ?exact ?start ?end WHERE {
  GRAPH ?doc { ?claim prov:wasDerivedFrom ?doc ; lkg:evidence ?ev . ?ev oa:hasSelector ?sel .
               ?sel oa:exact ?exact .
               OPTIONAL { ?ev oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end } }
} ORDER BY ?claim"""):
        claim, doc, exact = r["claim"].value, r["doc"].value, r["exact"].value
        if "start" not in r:
            problems.append(Problem("quotes", claim, "the claim's evidence has no start and end offsets"))
            continue
        start, end = int(r["start"].value), int(r["end"].value)
        text = texts.get(doc)
        if text is None:
            problems.append(Problem("quotes", claim, f"its version {doc} has no stored text"))
        elif not (0 <= start <= end <= len(text)) or text[start:end] != exact:
            found = text[start:end] if 0 <= start <= end <= len(text) else "(out of range)"
            problems.append(Problem("quotes", claim, f"the quote {exact!r} is not the text at {start}-{end} "
                                                     f"({found!r})"))
    return sorted(set(problems))


def _compare(store, graph: str, expected: list[ox.Quad]) -> str | None:
    """What differs between a stored graph and what it should hold, in words (None when equal)."""
    stored = set(store.graph_quads(graph)) if store.has_graph(graph) else set()
    want = set(expected)
    if stored == want:
        return None
    if not stored:
        return "is missing"
    return f"differs from a fresh derivation ({len(want - stored)} statement(s) missing, " \
           f"{len(stored - want)} extra)"


def check_derivations(session, progress: Progress | None = None) -> tuple[list[Problem], dict[str, list[ox.Quad]], int,
                                                                     int]:
    """Source and group graphs against a fresh derivation. Returns problems, the expected content of each wrong
    graph (for repair), and how many sources and groups were checked."""
    store, ids = session.store, session.ids
    deriver = Deriver(session)
    problems: list[Problem] = []
    fixes: dict[str, list[ox.Quad]] = {}
    sources = [r["s"].value for r in store.select(
        "SELECT DISTINCT ?s WHERE { GRAPH ?doc { ?doc a lkg:DocumentVersion ; prov:specializationOf ?s } } ORDER BY ?s")]
    derived: dict[str, list[ox.Quad]] = {}
    for start in range(0, len(sources), SOURCES_PER_QUERY):
        derived.update(deriver.sources(sources[start:start + SOURCES_PER_QUERY]))
    for src in sources:
        graph = ids.source_graph(src)
        expected = derived.get(src)
        if expected is None:
            problems.append(Problem("derivations", src, "the source's graph is missing with its key and url "
                                                        "(ingest one of its versions again)"))
            continue
        diff = _compare(store, graph, expected)
        if diff:
            problems.append(Problem("derivations", src, f"the source's graph {diff}", repairable=True))
            fixes[graph] = expected
    groups = [r["g"].value for r in store.select(
        "SELECT DISTINCT ?g WHERE { { GRAPH ?doc { ?doc a lkg:DocumentVersion . ?c prov:wasDerivedFrom ?doc ; "
        "lkg:group ?g } } UNION { ?c lkg:amends ?o ; lkg:group ?g } } ORDER BY ?g")]  # (or a correction made it)
    described = {r["g"].value for r in store.select("SELECT ?g WHERE { GRAPH ?dg { ?g a lkg:ClaimGroup } }")}
    for start in range(0, len(groups), GROUPS_PER_QUERY):
        chunk = groups[start:start + GROUPS_PER_QUERY]
        members = stored.members(session, chunk)
        for g in chunk:
            graph = ids.derived_graph(g)
            if g not in described:
                problems.append(Problem("derivations", g, "the group's derived graph is missing with its description "
                                                           "(ingest one of its versions again)"))
                continue
            expected = deriver.group_quads(g, members.get(g, []))
            diff = _compare(store, graph, expected)
            if diff:
                problems.append(Problem("derivations", g, f"the group's derived graph {diff}", repairable=True))
                fixes[graph] = expected
        if progress:
            progress(min(start + GROUPS_PER_QUERY, len(groups)), len(groups), "claim groups checked")
    for g in sorted(described - set(groups)):
        problems.append(Problem("derivations", g, "a derived graph is left for a group that has no claims",
                                repairable=True))
        fixes[ids.derived_graph(g)] = []
    return problems, fixes, len(sources), len(groups)


def _data_graph():
    """An in-memory rdflib graph whose ``query`` parses each query text once.

    pySHACL runs a SPARQL-based constraint once per focus node, with ``$this`` bound as an initial binding and the
    same query text every time; rdflib parses a query text on every call, which cost most of the time of a
    validation (about 1,000 parses of 17 texts on the bundled graph). A parsed query with the same initial bindings
    is evaluated exactly as the text is.
    """
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    class DataGraph(rdflib.Graph):
        def __init__(self):
            super().__init__()
            self.prepared: dict[str, object] = {}

        def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
                  initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
            if isinstance(query_object, str) and not initNs and processor == "sparql":
                prepared = self.prepared.get(query_object)
                if prepared is None:
                    prepared = self.prepared[query_object] = prepareQuery(query_object)
                query_object = prepared
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided,
                                 **kwargs)

    return DataGraph()


def validate(session, progress: Progress | None = None) -> ValidationReport:
    """Check the store against the SHACL shapes in ontology/shapes.ttl (pyshacl, no inference).

    Only the store's data is validated (the ontology is not mixed in): the union of its graphs, read once into an
    in-memory rdflib graph that pySHACL works on in place."""
    import pyshacl
    import rdflib

    buf = io.BytesIO()
    n = exports.write_graphs(session.store.graphs_ntriples(), formats.get("ntriples", "dataset", "graph"), buf,
                             ids=session.ids)
    data = _data_graph()
    data.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    del buf
    if progress:
        progress(1, 2, f"read {n} statements for SHACL validation")
    shapes = rdflib.Graph().parse(str(data_dir("ontology") / "shapes.ttl"), format="turtle")
    conforms, report_graph, text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                                    advanced=True, allow_warnings=True, inplace=True)
    if progress:
        progress(2, 2, "validated against the SHACL shapes")
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


def check_shacl(session, progress: Progress | None = None) -> list[Problem]:
    report = validate(session, progress)
    return [Problem("shacl", r["focus"], f"{r['severity']}: {r['message']}" + (f" ({r['path']})" if r["path"] else ""))
            for r in report.results if r["severity"] == "Violation"]


def check(session, *, shacl: bool = True, repair: bool = False, progress: Progress | None = None) -> CheckReport:
    """Check every invariant (see the module docstring); with ``repair``, rewrite the wrong derived graphs and
    check the derivations again, so the report says what is still wrong."""
    problems, versions, claims = check_versions(session)
    problems += check_quotes(session)
    derived, fixes, sources, groups = check_derivations(session, progress)
    repaired: list[str] = []
    if repair and fixes:
        repaired = repair_graphs(session, fixes, progress)
        derived, fixes, sources, groups = check_derivations(session, progress)
    problems += derived
    if shacl:
        problems += check_shacl(session, progress)
    return CheckReport(sorted(problems), {"versions": versions, "claims": claims, "sources": sources,
                                          "groups": groups}, repaired)


def repair_graphs(session, fixes: dict[str, list[ox.Quad]], progress: Progress | None = None) -> list[str]:
    """Rewrite the source graphs first, then derive the groups again from the repaired lineage (each through the
    Deriver, in one transaction of its own)."""
    deriver = Deriver(session)
    source_graphs = {g: q for g, q in fixes.items() if g.startswith(session.ids.source_graph(""))}
    deriver.replace(source_graphs)
    _, fixes, _, _ = check_derivations(session, progress)  # group statuses depend on the retractions just written
    group_graphs = {g: q for g, q in fixes.items() if g not in source_graphs}
    deriver.replace(group_graphs)
    session.store.flush()
    return sorted(set(source_graphs) | set(group_graphs))
