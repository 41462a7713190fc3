"""The analyses' numbers on small purpose-built inputs, and on the bundled graph."""
import networkx as nx
import pytest

from lithkg.read import analyses


def claim(cid, group, value, source, doc=None, status="normal", prop="https://w3id.org/lithkg/prop/rank"):
    return {"id": cid, "group": group, "value": value, "source": f"{source}.md", "source_key": f"https://{source}",
            "document": doc or f"doc-{source}", "status": status, "property": prop, "subject_label": "X",
            "property_label": "rank", "time": "2022"}


def rel(kind, a, b, group):
    return {"kind": kind, "from": a, "to": b, "group": group, "group_label": f"label {group}", "reason": "r"}


CLAIMS = [claim("c1", "g1", 100, "s1", status="preferred"), claim("c2", "g1", 120, "s2"), claim("c3", "g1", 100, "s3"),
          claim("c4", "g2", 5, "s1"), claim("c5", "g2", 5, "s2"),
          claim("c6", "g3", 1, "s1"), claim("c7", "g3", 2, "s1", doc="doc-s1-v2"),
          claim("c8", "g4", 1, "s4"), claim("c9", "g4", 3, "s5"),
          claim("c10", "g5", 7, "s1")]
RELATIONS = [rel("conflicts", "c1", "c2", "g1"), rel("corroborates", "c1", "c3", "g1"), rel("conflicts", "c2", "c3", "g1"),
             rel("corroborates", "c4", "c5", "g2"), rel("updates", "c7", "c6", "g3"),
             rel("conflicts", "c8", "c9", "g4")]


def test_disputes_are_components_with_a_conflict_ranked_by_sources_then_spread():
    g = analyses.dispute_graph(CLAIMS, RELATIONS)
    assert g.number_of_nodes() == 10 and g.number_of_edges() == 6
    assert nx.number_connected_components(g) == 5  # g1, g2, g3, g4 and the lone c10
    found = analyses.disputes(g)
    assert [d.groups for d in found] == [["g1"], ["g4"]]
    first, second = found
    assert first.sources == ["https://s1", "https://s2", "https://s3"] and first.conflicts == 2
    assert first.spread == pytest.approx(20 / 120, abs=1e-4) and first.values == ["100th", "120th"]
    assert second.spread == pytest.approx(2 / 3, abs=1e-4) and len(second.sources) == 2
    assert g.nodes["c1"]["preferred"] is True and g.nodes["c1"]["group_label"] == "label g1"
    assert g.edges["c7", "c6"]["kind"] == "updates"


def test_spread_of_values():
    assert analyses.spread([4, 6]) == pytest.approx(0.3333, abs=1e-4)
    assert analyses.spread([5, 5]) == 0.0
    assert analyses.spread([0, 0]) == 0.0
    assert analyses.spread(["2021-01-01", "2022-01-01"]) == 1.0


def test_source_agreement_counts_groups_not_claim_pairs():
    g = analyses.source_graph(CLAIMS, RELATIONS)
    assert sorted(g) == ["https://s1", "https://s2", "https://s3", "https://s4", "https://s5"]
    assert g.edges["https://s1", "https://s2"] == {"corroborates": 1, "conflicts": 1, "weight": 2, "agreement": 0.0}
    assert g.edges["https://s1", "https://s3"]["agreement"] == 1.0
    assert g.edges["https://s2", "https://s3"]["agreement"] == -1.0
    assert g.nodes["https://s1"]["claims"] == 5 and g.nodes["https://s1"]["versions"] == 2
    found = analyses.agreement(g)
    assert [(p["source_a"], p["source_b"]) for p in found.pairs][0] == ("https://s1", "https://s3")
    assert found.standalone == ["https://s4", "https://s5"]
    assert found.clusters == [["https://s1", "https://s3"]]
    names, matrix = analyses.agreement_matrix(g)
    assert matrix[names.index("https://s1")][names.index("https://s2")] == (1, 1)
    assert matrix[0][0] is None


def test_source_agreement_by_version_separates_versions_of_one_source():
    g = analyses.source_graph(CLAIMS, RELATIONS, by="version")
    assert "doc-s1" in g and "doc-s1-v2" in g and not g.has_edge("doc-s1", "doc-s1-v2")  # updates do not count
    with pytest.raises(ValueError):
        analyses.source_graph(CLAIMS, RELATIONS, by="page")


def test_entity_map_weights_and_centrality():
    links = [{"subject": "A", "entity": "B", "claims": 3, "properties": "member of", "via": "value"},
             {"subject": "A", "entity": "B", "claims": 2, "properties": "rank", "via": "qualifier"},
             {"subject": "C", "entity": "B", "claims": 1, "properties": "located in", "via": "value"}]
    g = analyses.entity_graph(links, [{"subject": "A", "subject_label": "Alpha"}] * 4)
    assert g.edges["A", "B"] == {"weight": 5, "properties": "member of, rank"}
    assert g.nodes["B"]["betweenness"] == 1.0 and g.nodes["A"]["betweenness"] == 0.0
    assert g.nodes["B"]["degree_centrality"] == 1.0 and g.nodes["A"]["degree_centrality"] == 0.5
    assert g.nodes["A"]["claims"] == 4 and g.nodes["A"]["label"] == "Alpha"
    assert [r["entity"] for r in analyses.central_entities(g)] == ["B", "A", "C"]


def test_lineage_counts_added_kept_revised_and_retracted():
    versions = [{"source_key": "x", "document": "d1", "version": 1, "file": "a.md", "source_date": "2021", "claims": 3},
                {"source_key": "x", "document": "d2", "version": 2, "file": "b.md", "source_date": "2022", "claims": 4},
                {"source_key": "y", "document": "d3", "version": 1, "file": "c.md", "claims": 2}]
    links = [{"claim": "n1", "document": "d2", "link": "continues", "other": "o1"},
             {"claim": "n2", "document": "d2", "link": "continues", "other": "o2"},
             {"claim": "n3", "document": "d2", "link": "revises", "other": "o3"},
             {"claim": "o4", "document": "d1", "link": "retracted", "other": "d2"}]
    g = analyses.lineage_graph(versions, links)
    assert nx.is_directed_acyclic_graph(g) and list(g.edges) == [("d1", "d2")]
    assert {k: g.nodes["d2"][k] for k in ("continued", "revised", "added", "retracted")} == \
        {"continued": 2, "revised": 1, "added": 1, "retracted": 1}
    assert g.nodes["d1"]["added"] == 3 and g.nodes["d3"]["added"] == 2
    assert g.edges["d1", "d2"]["retracted"] == 1


def test_value_labels():
    assert analyses.value_label({"value": 57, "property": ".../rank"}) == "57th"
    assert analyses.value_label({"value": 22, "property": ".../rank"}) == "22nd"
    assert analyses.value_label({"value": 12, "property": ".../rank"}) == "12th"
    assert analyses.value_label({"value": 2000000, "bound": "approx"}) == "~ 2,000,000"
    assert analyses.value_label({"value": 1.5, "unit_label": "km", "bound": "lower"}) == "> 1.5 km"


def test_bundled_analyses_agree_with_the_named_query(bundled):
    """The Python source-agreement and the SPARQL 'source-agreement' query count the same thing."""
    g = bundled.network("sources")
    rows = bundled.run_named("source-agreement").rows
    assert {(r["source_a"], r["source_b"]): (r["corroborates"], r["conflicts"]) for r in rows} == \
        {(a, b): (d["corroborates"], d["conflicts"]) for a, b, d in g.edges(data=True)}
    found = analyses.disputes(bundled.network("disputes"))
    assert [d.labels for d in found] == [["Baltic Way / participants"],
                                         ["Lithuania / rank / index: National Cyber Security Index"]]
    assert {"4th", "5th", "6th", "57th"} == set(found[1].values)
    assert analyses.central_entities(bundled.network("entities"), 1)[0]["label"] == "Lithuania"
    lineage = bundled.network("lineage")
    assert lineage.number_of_edges() == 1
    (old, new), = lineage.edges
    assert lineage.nodes[new]["label"] == "graph/sources/official-page-2022.md" and lineage.nodes[new]["retracted"] > 0
