import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from lithkg.rdf import formats
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


def test_merged_lines_sorts_and_dedupes_across_spilled_runs(tmp_path, monkeypatch):
    from lithkg.rdf import exports

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    chunks = [b"<b> <p> <o> .\n<a> <p> <o> .\n", b"<a> <p> <o> .\n<c> <p> <o> .\n", b"<a> <p> <x> .\n"]
    lines = exports.merged_lines(chunks, run_bytes=1)  # every chunk is a run of its own
    first = next(lines)
    spilled = [p for p in tmp_path.iterdir() if p.name.startswith("lithkg-export-")]
    assert len(spilled) == 1 and len(list(spilled[0].glob("run-*.nt"))) == 3
    assert [first, *lines] == [b"<a> <p> <o> .", b"<a> <p> <x> .", b"<b> <p> <o> .", b"<c> <p> <o> ."]
    assert not spilled[0].exists()  # the runs are removed once merged


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "json-ld", "rdf-xml"])
def test_a_union_export_merged_from_small_runs_is_byte_identical(built_store, fmt):
    import io

    from lithkg.rdf import exports
    with KnowledgeGraph(built_store, read_only=True) as kg:
        whole = kg.export(fmt)
        buf = io.BytesIO()
        n = exports.write_graphs(kg.store.graphs_ntriples(), formats.get(fmt), buf, ids=kg.ids, run_bytes=2048)
    assert buf.getvalue() == whole
    assert n == len(union_of(whole, fmt))


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "trig", "nquads"])
def test_an_export_streamed_to_a_file_equals_the_bytes_and_counts_statements(built_store, tmp_path, fmt):
    with KnowledgeGraph(built_store, read_only=True) as kg:
        whole = kg.export(fmt)
        with open(tmp_path / "out", "wb") as fh:
            n = kg.export(fmt, out=fh)
        quads = len(kg.store)
    assert (tmp_path / "out").read_bytes() == whole
    assert n == (quads if fmt in ("trig", "nquads") else len(union_of(whole, fmt)))


def test_nquads_lists_graph_after_graph_each_sorted(built_store):
    with KnowledgeGraph(built_store, read_only=True) as kg:
        lines = kg.export("nquads").decode("utf-8").splitlines()
    graphs = [line.rsplit(" ", 2)[1][1:-1] for line in lines]  # the graph IRIs, in IRI order
    assert graphs == sorted(graphs)
    for g in set(graphs):
        mine = [line for line, name in zip(lines, graphs) if name == g]
        assert mine == sorted(mine, key=lambda s: s.encode("utf-8"))
