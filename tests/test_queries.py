import pytest

from lithkg.errors import QueryError, UsageError
from lithkg.queries import check_safe, named_queries

REQUIRED = {"claims", "conflicts", "history", "claims-by-source", "disagreeing-sources", "preferred", "untimed",
            "provenance", "sources", "version-claims", "blame", "stale"}


def test_the_named_queries_exist_with_headers():
    qs = named_queries()
    assert REQUIRED <= set(qs)
    for q in qs.values():
        assert q.title and q.description, q.name


def test_every_named_query_runs_on_the_bundled_graph(bundled):
    claim = bundled.claims()[0]["id"]
    source_iri = bundled.store.select("SELECT ?s WHERE { ?s a lkg:Source }")[0]["s"].value
    for name, q in named_queries().items():
        params = {}
        for p in q.params:
            if not p.optional:
                params[p.name] = {"subject": "Lithuania", "property": "rank", "claim": claim,
                                  "source": source_iri if p.type == "iri" else "graph/sources/official-page-2022.md"
                                  }[p.name]
        result = bundled.run_named(name, params)
        assert result.kind == "select" and result.rows, name


@pytest.mark.parametrize("query,message", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("select * where { service <http://x.example/> { ?s ?p ?o } }", "SERVICE is refused"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD is refused"),
    ("PREFIX x: <http://x/>\nINSERT DATA { x:a x:b x:c }", "INSERT is refused"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE is refused"),
    ("DROP ALL", "DROP is refused"),
    ("SELECT * FROM <http://127.0.0.1:9/remote> WHERE { ?s ?p ?o }", "FROM <http://127.0.0.1:9/remote> is refused"),
])
def test_queries_that_reach_out_or_write_are_refused(query, message):
    with pytest.raises(QueryError, match=message):
        check_safe(query)


def test_keywords_inside_strings_and_iris_are_fine():
    check_safe('SELECT * WHERE { ?s ?p "SERVICE LOAD" . ?s <http://x.example/SERVICE> ?o } # SERVICE')
    check_safe("SELECT * FROM <https://w3id.org/lithkg/id/doc/abc> WHERE { ?s ?p ?o }")


def test_params_are_bound_as_terms_not_pasted(bundled):
    hostile = 'Lithuania" } ; DROP ALL ; SELECT * { ?s ?p "'
    result = bundled.query("SELECT ?name ?label WHERE { ?e rdfs:label ?label . FILTER(?label = ?name) }",
                           params={"name": hostile})
    assert result.rows == []
    assert bundled.stats()["claims"] > 0


def test_named_query_parameters_are_checked(bundled):
    with pytest.raises(UsageError, match="the query needs --param subject=VALUE"):
        bundled.run_named("history", {"property": "rank"})
    with pytest.raises(UsageError, match="the query has no parameter 'colour'"):
        bundled.run_named("conflicts", {"colour": "red"})
    with pytest.raises(UsageError, match="unknown entity 'Atlantis'"):
        bundled.run_named("history", {"subject": "Atlantis", "property": "rank"})


def test_iri_parameters_resolve_labels_and_prefixed_names(bundled):
    a = bundled.run_named("history", {"subject": "Lithuania", "property": "rank"}).rows
    b = bundled.run_named("history", {"subject": "lke:lithuania", "property": "lkgp:rank"}).rows
    c = bundled.run_named("history", {"subject": "<https://w3id.org/lithkg/id/entity/lithuania>",
                                      "property": "https://w3id.org/lithkg/prop/rank"}).rows
    assert a == b == c and len(a) >= 3


def test_construct_results(bundled):
    r = bundled.query("CONSTRUCT { ?e ldt:rank ?v } WHERE { ?e ldt:rank ?v }")
    assert r.kind == "graph" and r.triples


def test_inline_values_opens_the_first_where_on_the_same_line():
    import pyoxigraph as ox
    from lithkg.queries import inline_values
    subs = {ox.Variable("s"): ox.NamedNode("https://x.example/a"), ox.Variable("n"): ox.Literal("b\"c")}
    text = "SELECT ?s ?n ?o\nWHERE {\n  ?s ?p ?o .\n}"
    assert inline_values(text, subs) == ('SELECT ?s ?n ?o\nWHERE { VALUES (?n ?s) { ("b\\"c" <https://x.example/a>) } '
                                         "\n  ?s ?p ?o .\n}")
    assert inline_values("ASK { ?s ?p ?o }", subs) is None
    assert inline_values(text, {}) == text


def test_inline_values_gives_a_row_for_each_term_of_a_list(tmp_path):
    import pyoxigraph as ox
    from lithkg.queries import inline_values
    a, b = ox.NamedNode("https://x.example/a"), ox.NamedNode("https://x.example/b")
    text = inline_values("SELECT ?s ?o WHERE { ?s <https://x.example/p> ?o }", {ox.Variable("s"): [a, b]})
    assert text == ("SELECT ?s ?o WHERE { VALUES ?s { <https://x.example/a> <https://x.example/b> } "
                    " ?s <https://x.example/p> ?o }")
    store = ox.Store()
    for s, o in ((a, "1"), (b, "2"), (ox.NamedNode("https://x.example/c"), "3")):
        store.add(ox.Quad(s, ox.NamedNode("https://x.example/p"), ox.Literal(o)))
    assert sorted(r["o"].value for r in store.query(text)) == ["1", "2"]


def test_brackets_inside_strings_do_not_count_as_nesting():
    from lithkg.queries import MAX_NESTING, check_nesting
    deep = "{" * (MAX_NESTING + 10)
    check_nesting('SELECT * WHERE { BIND("a\\"' + deep + '" AS ?x) }')      # an escaped quote, then brackets
    check_nesting("SELECT * WHERE { BIND('''it\\'s " + deep + "''' AS ?x) } # " + deep)
    with pytest.raises(QueryError, match="nests brackets more than"):
        check_nesting("SELECT * WHERE " + deep)
