import re

import pyoxigraph as ox

from lithkg.rdf import mapping
from lithkg.model import Claim, Document, Evidence, Qualifier, Term, TimeSpec, Value

IDS = mapping.DEFAULT_IDS
DOC = Document(text="Hello <world> \"quoted\" {x}", content_hash="sha256:" + "0" * 64, source_key="a b<c>",
               file_name="x.md", media_type="text/markdown", title="T \"q\"")


def claim(**kw):
    base = dict(subject=Term(mapping.LKE + "lithuania", "Lithuania"), property=Term(mapping.LKGP + "rank", "rank"),
                value=Value.number(6), evidence=Evidence("Hello", 0, 5), extractor="curated",
                time=TimeSpec(point="2022"),
                qualifiers=(Qualifier(Term(mapping.LKGP + "index", "index"), Value.text_("A <b> \"c\""), True),))
    base.update(kw)
    return Claim(**base)


def test_iris_are_hashes_never_raw_text():
    iri = IDS.document(DOC)
    assert re.fullmatch(r"https://w3id.org/lithkg/id/doc/[0-9a-f]{20}", iri)
    assert re.fullmatch(r"https://w3id.org/lithkg/id/source/[0-9a-f]{20}", IDS.source(DOC.source_key))
    c_iri, g_iri, _ = mapping.claim_quads(claim(), iri, IDS.mint("run", iri))
    assert re.fullmatch(r"https://w3id.org/lithkg/id/claim/[0-9a-f]{20}", c_iri)
    assert re.fullmatch(r"https://w3id.org/lithkg/id/group/[0-9a-f]{20}", g_iri)
    assert IDS.unlinked_entity("Some <Name>") == IDS.unlinked_entity("  some   <name> ")


def test_group_ignores_time_and_value_but_not_scoping_qualifiers():
    a = IDS.group(claim())
    assert IDS.group(claim(value=Value.number(4), time=TimeSpec(point="2021"))) == a
    assert IDS.group(claim(qualifiers=())) != a


def test_statement_node_is_wikibase_style_in_the_document_graph():
    d = IDS.document(DOC)
    c_iri, g_iri, quads = mapping.claim_quads(claim(), d, IDS.mint("run", d))
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}
    assert all(q.graph_name.value == d for q in quads)
    assert (mapping.LKE + "lithuania", mapping.LP + "rank", c_iri) in triples
    assert (c_iri, mapping.LPS + "rank", "6") in triples
    assert (c_iri, mapping.LKG + "value", "6") in triples
    assert (c_iri, mapping.LPQ + "index", "A <b> \"c\"") in triples
    assert (c_iri, mapping.LKG + "group", g_iri) in triples
    assert (c_iri + "#quote", mapping.OA + "exact", "Hello") in triples


def test_literals_are_typed():
    assert mapping.literal(Value.number("0.06")).datatype.value.endswith("#decimal")
    assert mapping.literal(Value.number(1600000000)).datatype.value.endswith("#integer")
    assert mapping.literal(Value.date("2022-03")).datatype.value.endswith("#gYearMonth")
    assert isinstance(mapping.literal(Value("entity", mapping.LKE + "x")), ox.NamedNode)
    for v in (Value.number("0.06"), Value.date("2022"), Value.text_("x")):
        assert mapping.term_to_value(mapping.literal(v)) == v


def test_quads_with_hostile_text_go_through_sparql_insert(tmp_path):
    from lithkg.store.oxigraph import OxigraphStore
    d = IDS.document(DOC)
    quads = mapping.document_quads(DOC, record_time="2022-01-01T00:00:00Z")
    store = OxigraphStore(tmp_path / "s")
    store.apply(insert=quads)
    assert set(store.graph_quads(d)) == set(quads)
