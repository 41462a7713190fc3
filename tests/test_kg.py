import pyoxigraph as ox
import pytest

from lithkg.errors import ClaimsFileError, DocumentError, UnknownTermError, UsageError
from lithkg.kg import KnowledgeGraph, build_record_time
from lithkg.rdf.mapping import LKG

from conftest import CLAIMS_2022, write


def revision_chain(kg):
    rows = kg.store.select("SELECT ?new ?old WHERE { ?new prov:wasRevisionOf ?old }")
    return {(r["new"].value, r["old"].value) for r in rows}


def test_ingest_twice_changes_nothing(kg, two_versions):
    first = kg.ingest([two_versions])
    assert [d.status for d in first.documents] == ["added", "added"] and first.claims == 3
    before = kg.store.dump_nquads()
    again = kg.ingest([two_versions])
    assert [d.status for d in again.documents] == ["unchanged", "unchanged"]
    assert kg.store.dump_nquads() == before


def test_new_text_for_the_same_url_is_a_new_version(kg, two_versions):
    report = kg.ingest([two_versions / "p2021.md", two_versions / "p2021.yaml"])
    v1 = report.documents[0].document
    report = kg.ingest([two_versions / "p2022.md", two_versions / "p2022.yaml"])
    v2 = report.documents[0].document
    assert v1 != v2
    assert revision_chain(kg) == {(v2, v1)}
    assert kg.stats()["sources"] == 1 and kg.stats()["document_versions"] == 2


def test_versions_ingested_out_of_order_still_chain_by_date(store_path, two_versions):
    with KnowledgeGraph(store_path) as kg:
        v2 = kg.ingest([two_versions / "p2022.md", two_versions / "p2022.yaml"]).documents[0].document
        v1 = kg.ingest([two_versions / "p2021.md", two_versions / "p2021.yaml"]).documents[0].document
        assert revision_chain(kg) == {(v2, v1)}
        latest = kg.store.select("SELECT ?v WHERE { ?s lkg:latestVersion ?v }")
        assert [r["v"].value for r in latest] == [v2]


def test_derivations_follow_each_ingest(kg, two_versions):
    kg.ingest([two_versions / "p2021.md", two_versions / "p2021.yaml"])
    statuses = {r["value"]: r["status"] for r in kg.claims()}
    assert statuses == {4: "preferred", 57: "updated"}
    kg.ingest([two_versions / "p2022.md", two_versions / "p2022.yaml"])
    statuses = {r["value"]: r["status"] for r in kg.claims()}
    assert statuses == {4: "updated", 57: "no longer stated", 6: "preferred"}  # the 2022 version no longer says 57th
    truthy = kg.store.select("SELECT ?v WHERE { lke:lithuania ldt:rank ?v }")
    assert [r["v"].value for r in truthy] == ["6"]


def test_claims_listing_has_the_contract_keys(kg, two_versions):
    kg.ingest([two_versions])
    row = next(r for r in kg.claims() if r["value"] == 6)
    for key in ("id", "group", "subject", "subject_label", "property", "property_label", "value", "unit", "bound",
                "time", "qualifiers", "document", "source", "quote", "start", "end", "status", "extractor"):
        assert key in row
    assert row["subject_label"] == "Lithuania" and row["property_label"] == "rank"
    assert row["time"] == "2022" and row["unit"] is None and row["bound"] is None
    assert row["qualifiers"] == {"index": "National Cyber Security Index"}
    assert row["source"] == "p2022.md" or row["source"].endswith("docs/p2022.md")
    text = (two_versions / "p2022.md").read_text().split("---\n", 2)[2]
    assert text[row["start"]:row["end"]] == row["quote"]
    assert row["extractor"] == "curated" and row["status"] == "preferred"


def test_editing_curated_claims_updates_the_version(kg, two_versions):
    kg.ingest([two_versions])
    write(two_versions / "p2022.yaml", CLAIMS_2022.replace("value: 6", "value: 7").replace("ranks 6th", "ranks 6th"))
    report = kg.ingest([two_versions / "p2022.md", two_versions / "p2022.yaml"])
    assert report.documents[0].status == "updated"
    assert sorted(r["value"] for r in kg.claims()) == [4, 7, 57]


def test_record_time_is_kept_when_a_version_is_seen_again(kg, two_versions):
    kg.ingest([two_versions], record_time="2020-01-01T00:00:00Z")
    kg.ingest([two_versions], record_time="2030-01-01T00:00:00Z")
    times = {r["record_time"] for r in kg.claims()}
    assert times == {"2020-01-01T00:00:00Z"}


@pytest.mark.parametrize("name,content,error,message", [
    ("bad.md", b"\xff\xfe bad", DocumentError, "the text is not UTF-8"),
    ("empty.txt", b"", DocumentError, "the document is empty"),
    ("bad.yaml", b"document: p2022.md\nclaims:\n  - {subject: Nowhere, property: rank, value: 1, quote: x}\n",
     UnknownTermError, "unknown entity 'Nowhere'"),
    ("bad.yaml", b"document: missing.md\nclaims: []\n", None, None),
    ("bad.yaml", b"document: missing.md\nclaims:\n  - {subject: Lithuania}\n", ClaimsFileError,
     "names document"),
])
def test_bad_input_leaves_the_store_as_it_was(kg, two_versions, name, content, error, message):
    kg.ingest([two_versions / "p2021.md", two_versions / "p2021.yaml"])
    before = kg.store.dump_nquads()
    (two_versions / name).write_bytes(content)
    if error is None:
        kg.ingest([two_versions / name, two_versions / "p2022.md"])
        return
    with pytest.raises(error, match=message):
        kg.ingest([two_versions / "p2022.md", two_versions / "p2022.yaml", two_versions / name])
    assert kg.store.dump_nquads() == before


def test_stdin_document_with_flags(kg):
    report = kg.ingest(["-"], stdin=b"Text from a pipe, 2019.", source="https://pipe.example/a", title="Piped",
                       published="2019-03-04")
    [d] = report.documents
    assert d.file == "-" and d.source == "https://pipe.example/a"
    rows = kg.store.select("SELECT ?t ?p WHERE { ?d dcterms:title ?t ; lkg:published ?p }")
    assert [(r["t"].value, r["p"].value) for r in rows] == [("Piped", "2019-03-04")]


def test_build_record_time(monkeypatch):
    from lithkg.model import Document
    d = Document(text="x", content_hash="h", source_key="k", file_name="f", media_type="text/plain",
                 published="2022-05")
    assert build_record_time(d) == "2022-05-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_record_time(d) == "1970-01-01T00:00:00Z"


def test_history_orders_values_over_valid_time(kg, two_versions):
    kg.ingest([two_versions])
    rows = kg.history("Lithuania", "rank")
    assert [(r["time"], r["value"]) for r in rows] == [("2017", 57), ("2021", 4), ("2022", 6)]
    assert [r["relation_to_previous"] for r in rows] == ["no longer stated", "updates", "updates"]  # 57: not said in 2022
    assert kg.history("Lithuania", "rank", qualifiers={"index": "National Cyber Security Index"}) == rows
    assert kg.history("Lithuania", "rank", qualifiers={"index": "Henley Passport Index"}) == []


def test_rdflib_dataset_view_of_the_store(kg, two_versions):
    import rdflib
    kg.ingest([two_versions])
    ds = kg.dataset()
    claims = set(ds.subjects(rdflib.RDF.type, rdflib.URIRef(LKG + "Claim")))
    assert len(claims) == 3
    [row] = ds.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c <https://w3id.org/lithkg/ns#status> ?s }")
    assert int(row[0]) == 3


def test_a_failing_extractor_is_one_error_and_writes_nothing(kg, two_versions, monkeypatch):
    from lithkg import extract
    from lithkg.errors import ExtractionError

    class Broken:
        name, version = "broken", "1"

        def extract(self, document, context):
            raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(extract._REGISTRY, "broken", Broken)
    kg.settings = kg.settings.replace(extractors=("curated", "broken"))
    with pytest.raises(ExtractionError) as exc:
        kg.ingest([two_versions])
    assert str(exc.value).endswith("p2021.md: extractor 'broken' failed: ZeroDivisionError: division by zero "
                                   "(nothing was written; please report this document)")
    assert not kg.store.named_graphs()


def test_a_configured_base_mints_every_data_iri_under_it(store_path, two_versions, tmp_path):
    """Same claims, same local names, different base; the store keeps its base and refuses another one."""
    from lithkg.config import Settings
    base = "https://kg.example.org/data/"
    with KnowledgeGraph(store_path, settings=Settings(extractors=("curated",), base=base)) as graph:
        graph.ingest([two_versions], record_time="2024-01-01T00:00:00Z")
        quads = list(graph.store.quads())
        rows = graph.claims()
        ttl = graph.export("turtle").decode()
        q = graph.query("SELECT ?s ?c WHERE { ?s lp:rank ?c } LIMIT 1", params={"s": "lke:lithuania"})
    with KnowledgeGraph(tmp_path / "default", settings=Settings(extractors=("curated",))) as default:
        default.ingest([two_versions], record_time="2024-01-01T00:00:00Z")
        default_quads = list(default.store.quads())
    iris = {t.value for q in quads for t in (q.subject, q.object, q.graph_name) if isinstance(t, ox.NamedNode)}
    assert any(i.startswith(base + "claim/") for i in iris) and any(i.startswith(base + "doc/") for i in iris)
    assert not [i for i in iris if i.startswith("https://w3id.org/lithkg/id/")]
    moved = {str(q).replace("https://w3id.org/lithkg/id/", base) for q in default_quads}
    assert {str(q) for q in quads} == moved
    assert rows and all(r["id"].startswith(base + "claim/") and r["group"].startswith(base + "group/")
                        and r["subject"] == base + "entity/lithuania" for r in rows)
    assert f"@prefix lke: <{base}entity/> ." in ttl
    assert q.rows and q.rows[0]["c"].startswith(base + "claim/")
    with KnowledgeGraph(store_path, settings=Settings(base="https://other.example/id/")) as graph:
        with pytest.raises(UsageError) as exc:
            graph.claims()
    assert exc.value.message == f"the store {store_path} mints IRIs under {base}, not https://other.example/id/"
    with KnowledgeGraph(store_path) as graph:  # no setting: the store's own base
        assert graph.base == base and graph.claims() == rows


def test_every_claim_but_the_preferred_links_its_relation_to_the_preferred(bundled):
    """lkg:relationToPreferred: one step from a claim to the relation that explains its status."""
    rows = bundled.query("""
SELECT ?claim ?status ?preferred ?kind ?from ?to WHERE {
  ?group lkg:member ?claim ; lkg:preferredClaim ?preferred . ?claim lkg:status ?status .
  FILTER(?claim != ?preferred)
  OPTIONAL { ?claim lkg:relationToPreferred ?rel . ?rel a ?kind ; lkg:fromClaim ?from ; lkg:toClaim ?to }
}""").rows
    assert len(rows) == 39  # 91 claims in 52 groups, one preferred in each
    kinds = {"corroborated": "Corroboration", "compatible": "Compatibility"}
    for r in rows:
        assert r["kind"] is not None, r["claim"]
        assert {r["from"], r["to"]} == {r["claim"], r["preferred"]}
        if r["status"] in kinds:
            assert r["kind"].endswith("#" + kinds[r["status"]])
    preferred = bundled.query("SELECT ?c WHERE { ?g lkg:preferredClaim ?c . ?c lkg:relationToPreferred ?r }").rows
    assert preferred == []


def test_the_package_exports_the_facade():
    import lithkg
    from lithkg import KnowledgeGraph as exported
    from lithkg.kg import KnowledgeGraph
    assert exported is KnowledgeGraph and lithkg.__all__ == ["KnowledgeGraph", "LithkgError", "__version__"]
    with pytest.raises(AttributeError):
        lithkg.NoSuchThing
