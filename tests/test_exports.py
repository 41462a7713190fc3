import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from lithkg import formats
from lithkg.kg import KnowledgeGraph


def union_of(data: bytes, fmt: str) -> rdflib.Graph:
    g = rdflib.Graph()
    if fmt in ("trig", "nquads"):
        ds = rdflib.Dataset()
        ds.parse(data=data.decode("utf-8"), format=fmt)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
    else:
        g.parse(data=data.decode("utf-8"), format={"turtle": "turtle", "ntriples": "nt", "json-ld": "json-ld",
                                                   "rdf-xml": "xml"}[fmt])
    return g


@pytest.fixture(scope="module")
def reference(built_store):
    with KnowledgeGraph(built_store, read_only=True) as kg:
        return union_of(kg.export("nquads"), "nquads")


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "json-ld", "trig", "nquads", "rdf-xml"])
def test_every_export_parses_back_isomorphic(built_store, reference, fmt):
    with KnowledgeGraph(built_store, read_only=True) as kg:
        data = kg.export(fmt)
    assert isomorphic(union_of(data, fmt), reference)


def test_dataset_exports_keep_the_named_graphs(built_store):
    with KnowledgeGraph(built_store, read_only=True) as kg:
        ds = rdflib.Dataset()
        ds.parse(data=kg.export("trig").decode("utf-8"), format="trig")
        graphs = {str(c.identifier) for c in ds.graphs()}
        assert set(kg.store.named_graphs()) <= graphs


def test_the_same_content_gives_byte_identical_exports(built_store, tmp_path, two_versions):
    # Two stores with the same content, written in a different order.
    a, b = tmp_path / "a", tmp_path / "b"
    with KnowledgeGraph(a) as kg:
        kg.ingest([two_versions], record_time="2022-01-01T00:00:00Z")
        first = {f: kg.export(f) for f in ("turtle", "json-ld", "trig", "nquads", "ntriples")}
    with KnowledgeGraph(b) as kg:
        kg.ingest([two_versions / "p2022.md", two_versions / "p2022.yaml"], record_time="2022-01-01T00:00:00Z")
        kg.ingest([two_versions / "p2021.md", two_versions / "p2021.yaml"], record_time="2022-01-01T00:00:00Z")
        second = {f: kg.export(f) for f in first}
    for f in first:
        assert first[f] == second[f], f


def test_jsonld_is_compacted_with_the_project_context(built_store):
    with KnowledgeGraph(built_store, read_only=True) as kg:
        doc = json.loads(kg.export("json-ld"))
    assert doc["@context"]["lkg"] == "https://w3id.org/lithkg/ns#"
    claim = next(n for n in doc["@graph"] if n.get("@type") == "lkg:Claim")
    assert claim["@id"].startswith("lkd:claim/")
    assert any(k in claim for k in ("subject", "lkg:subject"))
    assert "@context" not in json.dumps(doc["@graph"])  # one context, nothing remote


def test_turtle_carries_claims_with_qualifiers_and_provenance_without_graphs(built_store):
    with KnowledgeGraph(built_store, read_only=True) as kg:
        g = rdflib.Graph().parse(data=kg.export("turtle").decode(), format="turtle")
    rows = list(g.query("""
        PREFIX lkg: <https://w3id.org/lithkg/ns#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX lpq: <https://w3id.org/lithkg/prop/pq/> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?v ?file ?quote WHERE {
          ?c lkg:property <https://w3id.org/lithkg/prop/rank> ; lkg:value ?v ; lpq:index ?i ; prov:wasDerivedFrom ?d ; lkg:evidence/oa:hasSelector/oa:exact ?quote .
          ?d lkg:fileName ?file . } """))
    assert {int(r.v) for r in rows} >= {4, 6, 57}


def test_unknown_export_format(built_store):
    from lithkg.errors import UsageError
    with KnowledgeGraph(built_store, read_only=True) as kg:
        with pytest.raises(UsageError, match="unknown format 'csv'"):
            kg.export("csv")
    assert formats.get("jsonld").name == "json-ld"
